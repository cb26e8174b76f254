"""Overview: the headline scorecard with ratings, changes and each headline indicator's trend."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics.catalogue import Catalogue, format_change, format_value
from iro_metrics.indicators import workload
from iro_metrics.indicators.recorded import STAFFING_IDS
from iro_metrics.judgement import scorecard
from iro_metrics.pages.common import NOT_RECORDED, PageFigures, any_value, catalogue, figures, trend
from iro_metrics.selection import Selection

TrendPanel = tuple[str, str, str, int | None]  # indicator, title, unit, decimals


@dataclass(frozen=True)
class OverviewFigures(PageFigures):
    """``scorecard``: judgement.scorecard's columns plus ``display``, ``previous_change_text``,
    ``last_year_change_text``, ``scope``, ``not_recorded`` and ``base``. ``trend``: period,
    period_start, indicator, value, numerator, denominator for the headline indicators.
    ``trend_panels``: what the sparkline grid draws (headline indicators with a value in some period).
    """

    scorecard: pl.DataFrame
    trend: pl.DataFrame
    trend_panels: list[TrendPanel]


def overview_figures(selection: Selection) -> OverviewFigures:
    """The headline scorecard (value, RAG, change and direction against the previous period and the
    same period last year) with each headline indicator's trend."""
    ds = selection.ds
    cat = catalogue(ds)
    # Only the headline indicators' trend is drawn, so only theirs is worked out (once per areas and
    # cohort: moving between periods reuses it).
    headline_trend = trend(selection, cat.headline_ids())
    card = scorecard(selection, catalogue=cat)
    rows = card.select("indicator", "value", "change_vs_previous", "change_vs_last_year").rows()
    card = card.with_columns(
        display=pl.Series([format_value(cat[i], v) for i, v, _, _ in rows], dtype=pl.String),
        previous_change_text=pl.Series([format_change(cat[i], c) for i, _, c, _ in rows], dtype=pl.String),
        last_year_change_text=pl.Series([format_change(cat[i], c) for i, _, _, c in rows], dtype=pl.String),
    )
    # A whole-service caseload beside an area's figures is labelled so and not rated for the area.
    scope = workload.caseload_scope(ds, selection.area_list)
    unrated = workload.caseload_is_whole_service(ds, selection.area_list)
    card = card.with_columns(
        scope=pl.when(pl.col("indicator").is_in(list(STAFFING_IDS))).then(pl.lit(scope)),
        rag=pl.when(pl.col("indicator").is_in(list(STAFFING_IDS)) & pl.lit(unrated))
        .then(pl.lit(None, pl.String))
        .otherwise(pl.col("rag")),
    )
    ids = card.get_column("indicator").to_list()
    headline_trend = headline_trend.filter(pl.col("indicator").is_in(ids)).sort("period_start", "indicator")
    period_figures = figures(selection, ids)
    # What a reader must know beside each value, as on every topic page's cards: not recorded
    # (and what to import), a small base. A figure that is not recorded has no rating either.
    notes = period_figures.select("indicator", "not_recorded", "base")
    card = card.join(notes, on="indicator", how="left", maintain_order="left").with_columns(
        display=pl.when(pl.col("not_recorded").is_not_null()).then(pl.lit(NOT_RECORDED)).otherwise("display"),
        rag=pl.when(pl.col("not_recorded").is_not_null()).then(pl.lit(None, pl.String)).otherwise("rag"),
    )
    return OverviewFigures(
        period=selection.period,
        figures=period_figures,
        has_data=any_value(period_figures, ["children_in_care", "reviews_held"]),
        scorecard=card,
        trend=headline_trend,
        trend_panels=_trend_panels(card, headline_trend, cat),
    )


def _trend_panels(card: pl.DataFrame, trend: pl.DataFrame, cat: Catalogue) -> list[TrendPanel]:
    """The trend panels in scorecard order: each headline indicator with a value in some period."""
    valued = set(trend.filter(pl.col("value").is_not_null()).get_column("indicator").to_list())
    return [
        (indicator, title, cat[indicator].unit, None)
        for indicator, title in card.select("indicator", "title").iter_rows()
        if indicator in valued
    ]
