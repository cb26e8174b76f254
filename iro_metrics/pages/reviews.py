"""Reviews: held, on time, overdue, chaired by IROs, participation (with the PN mix), children
chairing (full and part), minutes on time."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics.cards import card_changes
from iro_metrics.indicators import participation_mix, themes
from iro_metrics.pages.common import (
    PageFigures,
    any_value,
    catalogue,
    figures,
    labelled_series,
    titled_trend,
    trend,
)
from iro_metrics.pages.oversight_text import not_recorded_text
from iro_metrics.selection import Selection

REVIEW_IDS: tuple[str, ...] = themes.fixed_ids("reviews")
# The start of care: the IRO told in time, and the first review held in time (issue 25).
START_OF_CARE_IDS: tuple[str, ...] = ("late_notifications_pct", "first_reviews_on_time_pct")
# Between reviews: the child seen before, a midway contact, reviews held on the day first set.
BETWEEN_REVIEWS_IDS: tuple[str, ...] = ("seen_before_review_pct", "midway_reviews_pct", "reviews_rescheduled_pct")
# The page's charts, one tab each (key -> label): the cards above them show every figure of the
# period, and only the chosen tab's charts are drawn, so a filter change redraws three charts, not seven.
REVIEW_SECTIONS: dict[str, str] = {
    "timeliness": "Held, overdue and on time",
    "start_and_between": "The start of care and between reviews",
    "participation": "Participation",
    "child_chaired": "Children chairing their review",
}


@dataclass(frozen=True)
class ReviewsFigures(PageFigures):
    """``trend`` (every review indicator over time, with title), ``participation_mix`` (code,
    label, count, pct), ``child_chaired_trend`` (full and part over time, with ``how``)."""

    trend: pl.DataFrame
    participation_mix: pl.DataFrame
    child_chaired_trend: pl.DataFrame
    start_of_care_trend: pl.DataFrame  # first reviews on time beside late notifications, with ``title``
    between_not_recorded: str | None  # why the between-reviews measures are not recorded, when none is
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
        between_not_recorded=not_recorded_text(selection.ds, BETWEEN_REVIEWS_IDS),
        start_of_care_trend=titled_trend(trend(selection, START_OF_CARE_IDS), cat).sort("period_start", "indicator"),
        changes=card_changes(selection, REVIEW_IDS),
    )
