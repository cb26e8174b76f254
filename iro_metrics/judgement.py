"""Judging an indicator: its change against a comparison period, the direction, and the RAG rating.

Changes in rates are in percentage points. A change that rounds to zero at the indicator's display
precision is "unchanged", so the words always agree with the figures a reader sees. The RAG rating
is "good" at or beyond the target, "poor" beyond the floor and "improvement required" between;
an indicator with no optimum (polarity none) is "no optimum defined".
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from iro_metrics.catalogue import Catalogue, IndicatorMeta, catalogue_for
from iro_metrics.indicators import compute_indicators
from iro_metrics.periods import Period, previous_period, same_period_last_year
from iro_metrics.selection import Selection

GOOD, IMPROVEMENT_REQUIRED, POOR, NO_OPTIMUM = "good", "improvement required", "poor", "no optimum defined"
IMPROVING, UNCHANGED, DECLINING = "improving", "unchanged", "declining"
INCREASED, DECREASED = "increased", "decreased"  # for indicators with no optimum


def change(meta: IndicatorMeta, old: float | None, new: float | None) -> float | None:
    """``new - old`` (percentage points for rates); None when either is missing."""
    if old is None or new is None:
        return None
    return new - old


def direction(meta: IndicatorMeta, old: float | None, new: float | None) -> str | None:
    """improving / unchanged / declining by the indicator's polarity (increased / decreased where
    it has none); None when either value is missing."""
    delta = change(meta, old, new)
    if delta is None:
        return None
    if round(delta, meta.decimals) == 0:
        return UNCHANGED
    if meta.polarity == "none":
        return INCREASED if delta > 0 else DECREASED
    better = delta > 0 if meta.polarity == "higher" else delta < 0
    return IMPROVING if better else DECLINING


def rag(meta: IndicatorMeta, value: float | None) -> str | None:
    """good / improvement required / poor / no optimum defined; None where there is no value or
    nothing to judge it against."""
    if meta.polarity == "none":
        return NO_OPTIMUM
    if value is None or (meta.target is None and meta.floor is None):
        return None
    sign = 1 if meta.polarity == "higher" else -1
    if meta.target is not None and sign * value >= sign * meta.target:
        return GOOD
    if meta.floor is not None and sign * value < sign * meta.floor:
        return POOR
    return IMPROVEMENT_REQUIRED


def _values(selection: Selection, period: Period, indicators: Sequence[str]) -> pl.DataFrame:
    """Indicator values for the selection in another period, or an empty frame when the data does not cover it."""
    if not selection.covers(period):
        return pl.DataFrame(schema={"indicator": pl.String, "value": pl.Float64})
    return compute_indicators(selection.at(period), indicators).select("indicator", "value")


def scorecard(
    selection: Selection,
    indicators: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
) -> pl.DataFrame:
    """Each indicator (the catalogue's headline ones by default) judged for one selection.

    Columns: indicator, title, unit, theme, value, rag, previous_period, previous_value,
    change_vs_previous, direction_vs_previous, last_year_period, last_year_value,
    change_vs_last_year, direction_vs_last_year. "Previous" is the previous quarter for a quarter
    and the previous year for a year; "last year" is the same period a year earlier.
    """
    chosen = selection.period
    catalogue = catalogue or catalogue_for(selection.ds.path)
    wanted = list(indicators) if indicators is not None else catalogue.headline_ids()
    current = compute_indicators(selection, wanted)  # only the indicators judged are worked out
    previous, last_year = previous_period(chosen), same_period_last_year(chosen)
    before = dict(_values(selection, previous, wanted).iter_rows())
    year_ago = dict(_values(selection, last_year, wanted).iter_rows())
    now = dict(current.select("indicator", "value").iter_rows())
    rows = [
        _judged_row(catalogue[i], now[i], previous, before.get(i), last_year, year_ago.get(i))
        for i in wanted
        if i in now
    ]
    return pl.DataFrame(rows, schema=SCORECARD_SCHEMA, orient="row")


SCORECARD_SCHEMA = {
    "indicator": pl.String,
    "title": pl.String,
    "unit": pl.String,
    "theme": pl.String,
    "value": pl.Float64,
    "rag": pl.String,
    "previous_period": pl.String,
    "previous_value": pl.Float64,
    "change_vs_previous": pl.Float64,
    "direction_vs_previous": pl.String,
    "last_year_period": pl.String,
    "last_year_value": pl.Float64,
    "change_vs_last_year": pl.Float64,
    "direction_vs_last_year": pl.String,
}


def _judged_row(
    meta: IndicatorMeta,
    value: float | None,
    previous: Period,
    before: float | None,
    last_year: Period,
    year_ago: float | None,
) -> dict:
    """One indicator's scorecard row: its rating, and its change and direction against each period."""
    return {
        "indicator": meta.id,
        "title": meta.title,
        "unit": meta.unit,
        "theme": meta.theme,
        "value": value,
        "rag": rag(meta, value),
        "previous_period": previous.label,
        "previous_value": before,
        "change_vs_previous": change(meta, before, value),
        "direction_vs_previous": direction(meta, before, value),
        "last_year_period": last_year.label,
        "last_year_value": year_ago,
        "change_vs_last_year": change(meta, year_ago, value),
        "direction_vs_last_year": direction(meta, year_ago, value),
    }
