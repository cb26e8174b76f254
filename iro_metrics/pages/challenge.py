"""Challenge: late notifications, formal and informal disputes over time, and formal disputes by
category and highest level."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics import codes
from iro_metrics.cards import card_changes
from iro_metrics.indicators import disputes_by_category_level, open_disputes_by_age_level, themes
from iro_metrics.pages.common import (
    PageFigures,
    any_value,
    catalogue,
    figures,
    labelled_series,
    titled_trend,
    trend,
)
from iro_metrics.pages.oversight_text import not_recorded_text, open_disputes_sentence
from iro_metrics.selection import Selection

CHALLENGE_IDS: tuple[str, ...] = themes.fixed_ids("challenge")


@dataclass(frozen=True)
class ChallengeFigures(PageFigures):
    """``trend`` (every challenge indicator over time, with title), ``disputes_trend`` (formal and
    informal counts with a ``route`` label), ``by_category_level`` (category, level, count, every
    pair, zeros included), ``category_table`` (a row per category, a column per level, a total) and
    ``has_formal``."""

    trend: pl.DataFrame
    disputes_trend: pl.DataFrame
    by_category_level: pl.DataFrame
    category_table: pl.DataFrame
    has_formal: bool
    changes: pl.DataFrame  # cards.card_changes: each card's change against the previous period and a year ago
    open_ages: pl.DataFrame  # open_disputes_by_age_level at the period end
    open_sentence: str | None  # the sentence over its chart; None when disputes are not recorded
    open_not_recorded: str | None  # why not (and what to import), when it is not recorded


def challenge_figures(selection: Selection) -> ChallengeFigures:
    """The Challenge page's figures for one selection."""
    cat = catalogue(selection.ds)
    challenge_trend = titled_trend(trend(selection, CHALLENGE_IDS), cat)
    disputes = labelled_series(challenge_trend, {"disputes_formal": "Formal", "disputes_informal": "Informal"}, "route")
    grid = disputes_by_category_level(selection)
    open_ages = open_disputes_by_age_level(selection)
    period_figures = figures(selection, CHALLENGE_IDS)
    has_data = any_value(
        period_figures, ["late_notifications", "disputes_formal", "disputes_informal", "reviews_held"]
    ) or any_value(figures(selection, ["children_starting_care"]), ["children_starting_care"])
    return ChallengeFigures(
        period=selection.period,
        figures=period_figures,
        has_data=has_data,
        trend=challenge_trend.sort("period_start", "indicator"),
        disputes_trend=disputes.sort("period_start", "route"),
        by_category_level=grid,
        category_table=category_level_table(grid),
        has_formal=bool(grid.get_column("count").sum() > 0),
        changes=card_changes(selection, CHALLENGE_IDS),
        open_ages=open_ages,
        open_not_recorded=not_recorded_text(selection.ds, ("disputes_open_at_end",)),
        open_sentence=open_disputes_sentence(open_ages, selection.period.end),
    )


def category_level_table(grid: pl.DataFrame) -> pl.DataFrame:
    """Formal disputes as a table: a row per category (code-list order), a column per level, a total."""
    levels = list(codes.DISPUTE_LEVELS)
    categories = list(codes.DISPUTE_CATEGORIES)
    full = (
        pl.DataFrame({"category": categories})
        .join(pl.DataFrame({"level": levels}, schema={"level": pl.Int64}), how="cross")
        .join(
            grid.select("category", pl.col("level").cast(pl.Int64), pl.col("count").cast(pl.Int64)),
            on=["category", "level"],
            how="left",
        )
        .with_columns(pl.col("count").fill_null(0))
    )
    wide = full.pivot(on="level", index="category", values="count", sort_columns=True)
    renamed = {str(level): f"Level {level}: {label}" for level, label in codes.DISPUTE_LEVELS.items()}
    position = {c: i for i, c in enumerate(categories)}
    return (
        wide.rename(renamed)
        .with_columns(
            Total=pl.sum_horizontal(list(renamed.values())),
            _order=pl.col("category").replace_strict(position, return_dtype=pl.Int64),
            Category=pl.col("category").replace_strict(codes.DISPUTE_CATEGORIES, return_dtype=pl.String),
        )
        .sort("_order")
        .select("Category", *renamed.values(), "Total")
    )
