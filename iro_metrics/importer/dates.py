"""Dates as councils write them: dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd and dd/mm/yy.

A two-digit year is resolved from what the date is: a date of birth is not after the import, an
event (an episode, a review) lies in or before the year of the import, and an end date such as
DUC (UASC status ends on the 18th birthday) may lie up to 18 years ahead. The reading taken is
reported as a ``two_digit_year`` warning, once per file and column.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl

DateContext = Literal["birth", "event", "until"]

_DMY = r"^\d{1,2}/\d{1,2}/\d{4}$"
_ISO = r"^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?$"  # also an Excel date read back with its time
_DMY2 = r"^(\d{1,2})/(\d{1,2})/(\d{2})$"


def latest_year(context: DateContext, today: date) -> int:
    """The latest calendar year a two-digit year may mean in this context."""
    return today.year + 18 if context == "until" else today.year


def two_digit(raw: pl.Expr) -> pl.Expr:
    """True where the value is written dd/mm/yy."""
    return raw.str.contains(_DMY2)


def parse_dates(raw: pl.Expr, context: DateContext, today: date) -> pl.Expr:
    """A date from any accepted form (null where unreadable or not a real date)."""
    parts = raw.str.extract_groups(_DMY2)
    yy = parts.struct.field("3").cast(pl.Int32)
    latest = latest_year(context, today)
    year = pl.when(yy + 2000 <= latest).then(yy + 2000).otherwise(yy + 1900)
    from_short = pl.concat_str(
        parts.struct.field("1"), pl.lit("/"), parts.struct.field("2"), pl.lit("/"), year.cast(pl.String)
    )
    return (
        pl.when(raw.str.contains(_DMY))
        .then(raw.str.strptime(pl.Date, "%d/%m/%Y", strict=False))
        .when(raw.str.contains(_ISO))
        .then(raw.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False))
        .when(raw.str.contains(_DMY2))
        .then(from_short.str.strptime(pl.Date, "%d/%m/%Y", strict=False))
    )


def two_digit_message(
    column: str, context: DateContext, example_raw: str, example: date, count: int, today: date
) -> str:
    """The warning for one file's column of dd/mm/yy dates."""
    latest = latest_year(context, today)
    why = {
        "birth": "a date of birth is not after the import",
        "event": "an event is not after the year of the import",
        "until": "an end of status may lie up to 18 years ahead",
    }[context]
    return (
        f"{count:,} date(s) in {column} are written dd/mm/yy; each was read in the latest century that keeps "
        f"it in or before {latest} ({why}): e.g. {example_raw} read as {example:%d/%m/%Y}. "
        "Check them, or save the file with four-digit years."
    )
