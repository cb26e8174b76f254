"""Reviews: held, on time, overdue, chaired by IROs, participation (with the PN mix), children
chairing (full and part), minutes on time."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics import indicator_registry as registry
from iro_metrics.cards import card_changes
from iro_metrics.indicators import participation_mix
from iro_metrics.pages.common import (
    PageFigures,
    any_value,
    catalogue,
    figures,
    labelled_series,
    titled_trend,
    trend,
)
from iro_metrics.selection import Selection

REVIEW_IDS: tuple[str, ...] = registry.fixed_ids("reviews")


@dataclass(frozen=True)
class ReviewsFigures(PageFigures):
    """``trend`` (every review indicator over time, with title), ``participation_mix`` (code,
    label, count, pct), ``child_chaired_trend`` (full and part over time, with ``how``)."""

    trend: pl.DataFrame
    participation_mix: pl.DataFrame
    child_chaired_trend: pl.DataFrame
    changes: pl.DataFrame  # cards.card_changes: each card's change against the previous period and a year ago


def reviews_figures(selection: Selection) -> ReviewsFigures:
    """The Reviews page's figures for one selection."""
    cat = catalogue(selection.ds)
    review_trend = titled_trend(trend(selection, REVIEW_IDS), cat)
    chaired = labelled_series(
        review_trend, {"child_chaired_full": "Chaired in full", "child_chaired_part": "Chaired part"}, "how"
    )
    period_figures = figures(selection, REVIEW_IDS)
    return ReviewsFigures(
        period=selection.period,
        figures=period_figures,
        has_data=any_value(period_figures, ["reviews_held", "reviews_overdue"]),
        trend=review_trend.sort("period_start", "indicator"),
        participation_mix=participation_mix(selection).sort("code"),
        child_chaired_trend=chaired.sort("period_start", "how"),
        changes=card_changes(selection, REVIEW_IDS),
    )
