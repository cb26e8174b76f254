"""What every chart shares: the theme's config, sizing and finishing without re-checking the
schema, axis titles for units, alt text and the spec with its data inline. Numbers, periods and
changes are written by ``iro_metrics.formatting``."""

from __future__ import annotations

from datetime import date
from functools import cache

import altair as alt
import polars as pl
from altair.utils import schemapi

from iro_metrics import theme
from iro_metrics.formatting import period_text, value_text

# Altair checks every schema object against Vega-Lite as it is built; a page rerun builds all
# its charts again, and those checks were most of the rerun. The finished specs are still
# checked in full by the tests (tests/charts/), so the app skips the checks.
schemapi.disable_debug_mode()

NO_VALUE = "no value"  # what a chart's tooltip or alt text says for a missing value


# Encodings go in as channel objects (alt.X2("high:Q"), alt.YValue(0)), never as a shorthand string,
# ``alt.value`` or ``alt.condition``: Altair matches those against the schema to find their class,
# 2-5 ms each, and a page rerun builds its charts again (the IRO caseload chart took 27 ms of each
# Children rerun). The spec is the same.
def colour_if(test: str | alt.expr.core.Expression, then: str, otherwise: str) -> alt.ColorValue:
    """A colour that is ``then`` where ``test`` (a Vega expression) holds, else ``otherwise``:
    ``alt.condition(test, alt.value(then), alt.value(otherwise))`` without its schema search."""
    return alt.ColorValue(otherwise, condition={"test": str(test), "value": then})


def unit_title(unit: str) -> str:
    """Words for an axis title's unit."""
    return {
        "pct": "%",
        "count": "number",
        "per_fte": "children per FTE IRO",
        "fte": "FTE",
        "per_100": "per 100 reviews",
    }.get(unit, unit)


def wrapped_label_expr(chars: int) -> str:
    """A Vega labelExpr writing a label longer than ``chars`` on two lines, broken at the last space
    within its first ``chars`` characters (a label is wrapped, never cut)."""
    cut = f"lastindexof(slice(datum.label, 0, {chars}), ' ')"
    return (
        f"length(datum.label) > {chars - 1} && {cut} > 0 "
        f"? [slice(datum.label, 0, {cut}), slice(datum.label, {cut} + 1)] : datum.label"
    )


def alt_text(chart: alt.TopLevelMixin) -> str:
    """The chart's alt text (its Vega-Lite description)."""
    description = getattr(chart, "description", alt.Undefined)
    return "" if description is alt.Undefined else str(description)


@cache
def config() -> alt.Config:
    """The theme's Vega-Lite config, built (and checked against the schema) once."""
    return alt.Config(**theme.altair_config())


def sized(chart: alt.TopLevelMixin, **properties: object) -> alt.TopLevelMixin:
    """``chart.properties(...)`` without re-checking the schema each time: every page rerun
    builds its charts again, and Altair's checks were most of a rerun's time."""
    chart = chart.copy(deep=False)
    for name, value in properties.items():
        setattr(chart, name, value)
    return chart


def finish(chart: alt.TopLevelMixin, description: str) -> alt.TopLevelMixin:
    """The chart with its alt text (``description``) and the theme's config."""
    finished = sized(chart, description=description)
    finished.config = config()
    return finished


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with its data inline, skipping Altair's schema check."""
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict(validate=False)


def period_order(frame: pl.DataFrame) -> list[str]:
    """The frame's periods, earliest first (by ``period_start``; a period without a start first).

    In Python: a chart's frame holds a few hundred rows, and a Polars query's setting up (0.6 ms)
    was most of the time of the ten or so asked in a page's rerun."""
    pairs = set(zip(frame.get_column("period_start").to_list(), frame.get_column("period").to_list(), strict=True))
    return [period for _, period in sorted(pairs, key=lambda pair: (pair[0] is not None, pair[0] or date.min, pair[1]))]


def series_summary(
    frame: pl.DataFrame, series: str | None, unit: str, decimals: int | None, selected: str | None = None
) -> str:
    """'Latest (Q4 2015-16): A 12.0%, B 3.0%.' from the last period with a value in each series;
    with ``selected`` (a period in the frame), 'Selected (Q2 2015-16): ...' describes that period first."""
    valued = frame.filter(pl.col("value").is_not_null())
    if valued.is_empty():
        return "No values."

    def describe(rows: pl.DataFrame, word: str) -> str:
        label = period_text(rows.get_column("period")[0])
        if series is None:
            return f"{word} ({label}): {value_text(rows.get_column('value')[0], unit, decimals, missing=NO_VALUE)}."
        parts = [
            f"{row[series]} {value_text(row['value'], unit, decimals, missing=NO_VALUE)}"
            for row in rows.sort(series).iter_rows(named=True)
        ]
        return f"{word} ({label}): " + ", ".join(parts) + "."

    latest_start = valued.get_column("period_start").max()
    latest = valued.filter(pl.col("period_start") == latest_start)
    chosen = valued.filter(pl.col("period") == selected) if selected else valued.clear()
    if chosen.is_empty() or chosen.get_column("period_start")[0] == latest_start:
        return describe(latest, "Selected" if not chosen.is_empty() else "Latest")
    return describe(chosen, "Selected") + " " + describe(latest, "Latest")
