"""Financial years and quarters, working days and month arithmetic.

Financial years run 1 April to 31 March and are written ``2013-14``; quarters are written
``2013-14-Q4`` (Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar). Working days are Monday to
Friday less England and Wales bank holidays, taken from the maintained ``holidays`` package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Literal

import holidays
import polars as pl

from iro_metrics.errors import SelectionError

PeriodKind = Literal["year", "quarter"]

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2})(?:\s*[-\s]\s*Q([1-4]))?\s*$", re.IGNORECASE)
_HOLIDAY_YEARS = range(1990, 2051)


@dataclass(frozen=True, order=True)
class Period:
    """A financial year or a quarter of one, with its first and last days."""

    start: date
    end: date
    kind: PeriodKind
    label: str

    @property
    def fy(self) -> int:
        """The calendar year in which the financial year starts (2013 for 2013-14)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def quarter(self) -> int | None:
        return None if self.kind == "year" else ((self.start.month - 4) % 12) // 3 + 1

    @property
    def key(self) -> int:
        """A sortable integer: ``fy * 10 + quarter`` for quarters, ``fy`` for years."""
        return self.fy if self.kind == "year" else self.fy * 10 + (self.quarter or 0)

    @property
    def fy_label(self) -> str:
        return fy_label(self.fy)

    @property
    def long_label(self) -> str:
        """Plain English, e.g. 'Q4 2013-14 (January to March 2014)'."""
        if self.kind == "year":
            return f"{self.label} (April {self.fy} to March {self.fy + 1})"
        return f"Q{self.quarter} {self.fy_label} ({self.start:%B} to {self.end:%B %Y})"

    @property
    def end_label(self) -> str:
        """The point date in words, e.g. '31 March 2014'."""
        return f"{self.end.day} {self.end:%B %Y}"

    def __str__(self) -> str:
        return self.label


def fy_label(fy: int) -> str:
    """``2013`` -> ``'2013-14'``."""
    return f"{fy}-{(fy + 1) % 100:02d}"


def financial_year(fy: int) -> Period:
    """The financial year starting in April of ``fy``."""
    return Period(date(fy, 4, 1), date(fy + 1, 3, 31), "year", fy_label(fy))


def financial_quarter(fy: int, quarter: int) -> Period:
    """Quarter 1-4 of the financial year starting in April of ``fy``."""
    if quarter not in (1, 2, 3, 4):
        raise SelectionError(f"quarter must be 1 to 4, not {quarter}")
    month = 4 + 3 * (quarter - 1)
    year = fy + (month > 12)
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    end = _month_end(date(year, month + 2, 1))
    return Period(start, end, "quarter", f"{fy_label(fy)}-Q{quarter}")


def parse_period(text: str) -> Period:
    """Read ``2013-14`` or ``2013-14-Q4`` (also ``2013/14 Q4``); raise SelectionError otherwise."""
    match = _PERIOD_RE.match(str(text))
    if not match:
        raise SelectionError(
            f"'{text}' is not a period: write a financial year like 2013-14 or a quarter like 2013-14-Q4"
        )
    fy, end2, quarter = int(match.group(1)), int(match.group(2)), match.group(3)
    if (fy + 1) % 100 != end2:
        raise SelectionError(f"'{text}' is not a financial year: {fy} is followed by {(fy + 1) % 100:02d}")
    return financial_quarter(fy, int(quarter)) if quarter else financial_year(fy)


def period_containing(day: date, kind: PeriodKind = "quarter") -> Period:
    """The quarter (or financial year) that contains ``day``."""
    fy = day.year if day.month >= 4 else day.year - 1
    if kind == "year":
        return financial_year(fy)
    return financial_quarter(fy, ((day.month - 4) % 12) // 3 + 1)


def previous_period(period: Period) -> Period:
    """The quarter before a quarter, or the year before a year."""
    if period.kind == "year":
        return financial_year(period.fy - 1)
    return period_containing(period.start - timedelta(days=1))


def same_period_last_year(period: Period) -> Period:
    """The same quarter a year earlier, or the previous year for a year."""
    if period.kind == "year":
        return financial_year(period.fy - 1)
    return financial_quarter(period.fy - 1, period.quarter or 1)


def quarters_between(first: date, last: date) -> list[Period]:
    """Every quarter from the one containing ``first`` to the one containing ``last``."""
    out: list[Period] = []
    current = period_containing(first)
    while current.start <= last:
        out.append(current)
        current = period_containing(current.end + timedelta(days=1))
    return out


def years_between(first: date, last: date) -> list[Period]:
    """Every financial year from the one containing ``first`` to the one containing ``last``."""
    start, stop = period_containing(first, "year").fy, period_containing(last, "year").fy
    return [financial_year(fy) for fy in range(start, stop + 1)]


def _month_end(day: date) -> date:
    nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


# --- Working days -------------------------------------------------------------------------------


@cache
def bank_holidays() -> tuple[date, ...]:
    """England and Wales bank holidays (substitute days and one-off holidays included)."""
    # England and Wales share one list; the holidays package calls the subdivision ENG.
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=_HOLIDAY_YEARS)
    return tuple(sorted(calendar))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holiday_set()


@cache
def _holiday_set() -> frozenset[date]:
    return frozenset(bank_holidays())


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day``, counting from the day after (n >= 0)."""
    current = day
    while n > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current


def working_days_after(expr: pl.Expr, n: int | pl.Expr) -> pl.Expr:
    """Polars: the ``n``-th working day after each date, counting from the day after.

    A date that is itself a weekend or holiday rolls back to the working day before it, so
    that the count still starts on the next working day (Saturday + 1 = Monday).
    """
    return expr.dt.add_business_days(n, holidays=bank_holidays(), roll="backward")


def add_months(day: date, n: int) -> date:
    """Calendar-month arithmetic that clamps to the month's last day (31 Aug + 6 = 28/29 Feb)."""
    month_index = day.month - 1 + n
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _month_end(date(year, month, 1)).day
    return date(year, month, min(day.day, last))


def months_after(expr: pl.Expr, n: int | pl.Expr) -> pl.Expr:
    """Polars: ``expr`` plus ``n`` calendar months, clamped to the month's last day."""
    if isinstance(n, int):
        return expr.dt.offset_by(f"{n}mo")
    return expr.dt.offset_by(pl.format("{}mo", n))


# --- Period keys for grouping events ---------------------------------------------------------------


def fy_expr(expr: pl.Expr) -> pl.Expr:
    """Polars: the financial year (its starting calendar year) of each date."""
    return (expr.dt.year() - (expr.dt.month() < 4).cast(pl.Int32)).cast(pl.Int32)


def quarter_key_expr(expr: pl.Expr) -> pl.Expr:
    """Polars: ``fy * 10 + quarter`` for each date, matching ``Period.key``."""
    quarter = ((expr.dt.month().cast(pl.Int32) + 8) % 12) // 3 + 1
    return fy_expr(expr) * 10 + quarter


def period_key_expr(expr: pl.Expr, kind: PeriodKind) -> pl.Expr:
    """Polars: the key of the quarter or financial year containing each date."""
    return quarter_key_expr(expr) if kind == "quarter" else fy_expr(expr)
