"""Financial periods, working days and month arithmetic, checked against a calendar by hand."""

from datetime import date

import polars as pl
import pytest

from iro_metrics.periods import (
    add_months,
    add_working_days,
    bank_holidays,
    financial_quarter,
    months_after,
    parse_period,
    period_containing,
    previous_period,
    quarter_key_expr,
    quarters_between,
    same_period_last_year,
    working_days_after,
)
from iro_metrics.selection import SelectionError


def test_parse_quarters_and_years():
    q4 = parse_period("2013-14-Q4")
    assert (q4.start, q4.end, q4.kind, q4.label) == (date(2014, 1, 1), date(2014, 3, 31), "quarter", "2013-14-Q4")
    year = parse_period("2013-14")
    assert (year.start, year.end, year.kind) == (date(2013, 4, 1), date(2014, 3, 31), "year")
    assert parse_period("2013/14 Q1") == financial_quarter(2013, 1)
    assert financial_quarter(2013, 3).start == date(2013, 10, 1)
    assert financial_quarter(2013, 3).end == date(2013, 12, 31)
    assert q4.long_label == "Q4 2013-14 (January to March 2014)"
    assert q4.end_label == "31 March 2014"


@pytest.mark.parametrize("text", ["2013-15", "2013-14-Q5", "Q4", "", "2013"])
def test_bad_periods(text):
    with pytest.raises(SelectionError):
        parse_period(text)


def test_comparison_periods():
    assert previous_period(parse_period("2013-14-Q1")).label == "2012-13-Q4"
    assert previous_period(parse_period("2013-14-Q4")).label == "2013-14-Q3"
    assert same_period_last_year(parse_period("2013-14-Q4")).label == "2012-13-Q4"
    assert previous_period(parse_period("2015-16")).label == "2014-15"
    assert period_containing(date(2014, 3, 31)).label == "2013-14-Q4"
    assert period_containing(date(2014, 4, 1), "year").label == "2014-15"
    assert [p.label for p in quarters_between(date(2012, 4, 1), date(2012, 12, 1))] == [
        "2012-13-Q1", "2012-13-Q2", "2012-13-Q3",
    ]  # fmt: skip


def test_bank_holidays_come_from_the_maintained_list():
    holidays = set(bank_holidays())
    assert {date(2013, 12, 25), date(2013, 12, 26), date(2014, 4, 18), date(2014, 4, 21)} <= holidays
    assert date(2012, 6, 5) in holidays  # the Diamond Jubilee, a one-off
    assert date(2015, 12, 28) in holidays  # Boxing Day 2015 fell on a Saturday: substitute Monday


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2013, 12, 20), 1, date(2013, 12, 23)),  # Friday + 1 = Monday
        (date(2013, 12, 21), 1, date(2013, 12, 23)),  # Saturday + 1 = Monday
        (date(2013, 12, 24), 1, date(2013, 12, 27)),  # over Christmas and Boxing Day
        (date(2014, 4, 17), 1, date(2014, 4, 22)),  # over Good Friday to Easter Monday
        (date(2014, 4, 1), 20, date(2014, 5, 1)),  # would be 29 April without Easter
        (date(2013, 12, 2), 20, date(2014, 1, 2)),  # over Christmas and New Year
        (date(2014, 3, 31), 15, date(2014, 4, 23)),
        (date(2013, 4, 1), 20, date(2013, 4, 29)),  # starting on Easter Monday itself
    ],
)
def test_working_days(day, n, expected):
    assert add_working_days(day, n) == expected
    frame = pl.DataFrame({"d": [day]}).select(working_days_after(pl.col("d"), n))
    assert frame.item() == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2013, 8, 31), 6, date(2014, 2, 28)),
        (date(2015, 8, 31), 6, date(2016, 2, 29)),
        (date(2013, 11, 30), 3, date(2014, 2, 28)),
        (date(2014, 2, 3), 3, date(2014, 5, 3)),
        (date(2013, 10, 31), 6, date(2014, 4, 30)),
    ],
)
def test_months_clamp_to_month_end(day, n, expected):
    assert add_months(day, n) == expected
    assert pl.DataFrame({"d": [day]}).select(months_after(pl.col("d"), n)).item() == expected


def test_quarter_keys():
    days = [
        date(2013, 4, 1),
        date(2013, 6, 30),
        date(2013, 7, 1),
        date(2013, 12, 31),
        date(2014, 1, 1),
        date(2014, 3, 31),
    ]
    keys = pl.DataFrame({"d": days}).select(quarter_key_expr(pl.col("d")))["d"].to_list()
    assert keys == [20131, 20131, 20132, 20133, 20134, 20134]
    assert parse_period("2013-14-Q4").key == 20134
