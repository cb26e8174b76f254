"""The synthetic data's calendar: its window, working days (England and Wales bank holidays) and
financial quarters, precomputed for speed; each agrees with ``iro_metrics.periods``."""

from __future__ import annotations

import calendar
from bisect import bisect_right
from datetime import date
from functools import cache

from iro_metrics.periods import bank_holidays

FIRST_DAY = date(2012, 4, 1)
LAST_DAY = date(2026, 3, 31)
HISTORY_START = date(1996, 4, 1)  # entries are simulated from here so the 2012 stock is realistic

_HOLIDAYS = frozenset(d.toordinal() for d in bank_holidays())
_WORKING_DAYS = [
    n
    for n in range(date(1990, 1, 1).toordinal(), date(2030, 12, 31).toordinal())
    if date.fromordinal(n).weekday() < 5 and n not in _HOLIDAYS
]
_WORKING_SET = frozenset(_WORKING_DAYS)


def is_working_day(day: date) -> bool:
    """Monday to Friday, not an England and Wales bank holiday (as iro_metrics.periods, precomputed)."""
    return day.toordinal() in _WORKING_SET


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (as iro_metrics.periods.add_working_days, by lookup)."""
    if n <= 0:
        return day
    return date.fromordinal(_WORKING_DAYS[bisect_right(_WORKING_DAYS, day.toordinal()) + n - 1])


def add_months(day: date, n: int) -> date:
    """Calendar months, clamped to the month's last day (as iro_metrics.periods.add_months)."""
    index = day.month - 1 + n
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@cache
def quarter_label(day: date) -> str:
    """The label of the financial quarter containing ``day``, e.g. 2013-14-Q4."""
    fy = day.year if day.month >= 4 else day.year - 1
    return f"{fy}-{(fy + 1) % 100:02d}-Q{(day.month - 4) % 12 // 3 + 1}"
