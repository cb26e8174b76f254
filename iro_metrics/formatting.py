"""The one formatter for what the app and its papers print: numbers with their unit, periods and changes.

Periods read "Q2 2015-16" (a quarter) or "2015-16" (a year), never the data's "2015-16-Q2" key, in
Python (``period_text``), in Polars (``period_expr``) and in Vega (``period_vega``, for axes and
tooltips drawn by the browser). Counts carry thousands separators ("2,065"), percentages a
"%" ("33.3%"), changes a sign ("+28", "−17", "+1.5 points"). Pages, cards, charts, tables and the
committee paper call these, so the same figure is written the same way everywhere. Plain-English
words for figures ("a rise of 11") stay in ``briefing.wording``, built on these.
"""

from __future__ import annotations

import math
import re

import polars as pl

from iro_metrics.periods import Period

MISSING = "–"  # an en dash where there is no value (never the word 'None')
MINUS = "−"  # a true minus sign, for changes in sentences and chart labels
PERCENT_UNITS = frozenset({"pct", "percent", "%"})

_QUARTER_KEY = re.compile(r"^(\d{4}-\d{2})-Q([1-4])$")


def period_text(period: Period | str | None) -> str:
    """A period as people read it: '2015-16-Q2' (or its ``Period``) -> 'Q2 2015-16'; a year stays '2015-16'."""
    if period is None:
        return ""
    label = period.label if isinstance(period, Period) else period
    match = _QUARTER_KEY.match(label)
    return f"Q{match.group(2)} {match.group(1)}" if match else label


def period_expr(expr: pl.Expr) -> pl.Expr:
    """``period_text`` as a Polars expression, for a table's period column."""
    is_quarter = expr.str.contains(r"^\d{4}-\d{2}-Q[1-4]$")
    return (
        pl.when(is_quarter)
        .then(pl.concat_str([expr.str.slice(8, 2), pl.lit(" "), expr.str.slice(0, 7)]))
        .otherwise(expr)
    )


def period_vega(field: str) -> str:
    """``period_text`` as a Vega expression over ``field`` (e.g. 'datum.label' for an axis's
    labelExpr, 'datum.period' for a mark's description): the chart's data keep the key, which a
    click selects, and the browser writes it as people read it."""
    return f"length({field}) == 10 ? slice({field}, 8) + ' ' + slice({field}, 0, 7) : {field}"


# An axis label written as people read it ("2015-16-Q2" drawn as "Q2 2015-16").
PERIOD_LABEL_EXPR = period_vega("datum.label")


def number_text(value: float | None, decimals: int = 0, *, missing: str = MISSING) -> str:
    """A number with thousands separators and a fixed number of decimals ('1,842', '76.8').

    ``missing`` is written for None or NaN (never the word 'None').
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no '-0.0'
    return f"{rounded:,.{decimals}f}"


def default_decimals(unit: str) -> int:
    """Decimals for a unit when the caller has no indicator to ask: counts whole, the rest to one."""
    return 0 if unit == "count" else 1


def value_text(
    value: float | None,
    unit: str,
    decimals: int | None = None,
    *,
    with_unit: bool = True,
    missing: str = MISSING,
) -> str:
    """A value with its unit: count '2,065', pct '33.3%', per_100 '12.5', fte '24.0', ratio '83.73'.

    ``decimals`` defaults to ``default_decimals(unit)`` (an indicator's own decimals win);
    ``with_unit`` False leaves off the '%'.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = number_text(value, default_decimals(unit) if decimals is None else decimals)
    return f"{text}%" if with_unit and unit in PERCENT_UNITS else text


def d3_format(unit: str, decimals: int | None = None) -> str:
    """The d3 format string (axes, tooltips) writing a unit's numbers as ``value_text`` does: ',.1f'."""
    return f",.{default_decimals(unit) if decimals is None else decimals}f"


def signed_text(value: float, decimals: int = 0, *, minus: str = MINUS) -> str:
    """A change with its sign ('+36', '−4.2'; '0' for a change that rounds to nothing).

    ``minus`` is the sign written for a fall: a true minus sign, or '-' where a table or card has
    always shown a hyphen.
    """
    if round(value, decimals) == 0:
        return number_text(0, decimals)
    text = number_text(abs(value), decimals)
    return f"+{text}" if value > 0 else f"{minus}{text}"


def change_text(change: float | None, unit: str, decimals: int | None = None, *, minus: str = "-") -> str:
    """A change as a card or table shows it: '+0.6 pts' for a percentage, '+11' for a count,
    '-3.78' for a caseload; '–' when there is nothing to compare."""
    if change is None:
        return MISSING
    text = signed_text(change, default_decimals(unit) if decimals is None else decimals, minus=minus)
    return f"{text} pts" if unit in PERCENT_UNITS else text


def fte_text(value: float | None) -> str:
    """An FTE figure to one decimal, dropping '.0' for whole numbers ('24', '26.3')."""
    if value is None:
        return MISSING
    text = number_text(value, 1)
    return text[:-2] if text.endswith(".0") else text


def interval_expr(low: pl.Expr, high: pl.Expr, decimals: int = 1) -> pl.Expr:
    """A confidence interval as text ('45.2 to 60.1'), null where there is no interval."""
    return pl.when(low.is_not_null()).then(pl.format("{} to {}", low.round(decimals), high.round(decimals)))


def whole_number_columns(frame: pl.DataFrame) -> list[str]:
    """The columns a table shows with thousands separators: integers, and floats holding only
    whole numbers reaching 1,000 or more (2,065, not 2065)."""

    def whole(name: str, dtype: pl.DataType) -> bool:
        if dtype.is_integer():
            return True
        if not dtype.is_float():
            return False
        values = frame.get_column(name).drop_nulls().drop_nans()
        return values.len() > 0 and bool((values == values.round(0)).all()) and bool(values.abs().max() >= 1000)

    return [name for name, dtype in frame.schema.items() if whole(name, dtype)]


def in_sentence(title: str) -> str:
    """A title as words inside a sentence: its first letter lower case ('Reviews on time' -> 'reviews
    on time'), unless its first word is an abbreviation ('IRO contact', 'UASC' stay as they are)."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return title
    return title[:1].lower() + title[1:]
