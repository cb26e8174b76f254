"""One way of writing periods and numbers everywhere the app shows them in words.

Periods read "Q2 2015-16" (a quarter) or "2015-16" (a year), never the data's "2015-16-Q2" key;
counts carry thousands separators ("2,065"). Pages, captions, deltas and sentences use these, so
the same figure is written the same way on every page.
"""

from __future__ import annotations

import math
import re

import polars as pl

_QUARTER_KEY = re.compile(r"^(\d{4}-\d{2})-Q([1-4])$")


def period_text(label: str | None) -> str:
    """A period key as people read it: '2015-16-Q2' -> 'Q2 2015-16'; a year stays '2015-16'."""
    if label is None:
        return ""
    match = _QUARTER_KEY.match(label)
    return f"Q{match.group(2)} {match.group(1)}" if match else label


def number_text(value: float | None, decimals: int = 0, *, missing: str = "–") -> str:
    """A number with thousands separators and a fixed number of decimals ('1,842', '76.8').

    ``missing`` is written for None or NaN (never the word 'None').
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no '-0.0'
    return f"{rounded:,.{decimals}f}"


def signed_text(value: float, decimals: int = 0) -> str:
    """A change with its sign ('+36', '−4.2'; a true minus sign, '0' for no change)."""
    text = number_text(abs(value), decimals)
    if round(value, decimals) == 0:
        return number_text(0, decimals)
    return f"+{text}" if value > 0 else f"−{text}"


def fte_text(value: float | None) -> str:
    """An FTE figure to one decimal, dropping '.0' for whole numbers ('24', '26.3')."""
    if value is None:
        return "–"
    text = number_text(value, 1)
    return text[:-2] if text.endswith(".0") else text


def period_expr(expr: pl.Expr) -> pl.Expr:
    """``period_text`` as a Polars expression, for a table's period column."""
    is_quarter = expr.str.contains(r"^\d{4}-\d{2}-Q[1-4]$")
    return (
        pl.when(is_quarter)
        .then(pl.concat_str([expr.str.slice(8, 2), pl.lit(" "), expr.str.slice(0, 7)]))
        .otherwise(expr)
    )
