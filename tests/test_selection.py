"""The one Selection: made and checked once, with one error type for a bad period, area or cohort."""

from __future__ import annotations

import pytest

from iro_metrics.periods import financial_quarter, financial_year
from iro_metrics.selection import Selection, SelectionError, data_periods, parse_cohort
from tests.builders import small_council


@pytest.fixture(scope="module")
def council():
    return small_council()  # East Kent and North Kent, April 2013 to March 2014


def test_a_selection_is_read_and_checked_once(council):
    chosen = Selection.of(council, "2013-14-Q4", ["North Kent", "East Kent", "North Kent"], "UASC")
    assert chosen.period == financial_quarter(2013, 4)
    assert chosen.areas == ("East Kent", "North Kent")  # sorted, each once
    assert chosen.cohort == "uasc"  # the label in any case reads as the code
    assert chosen.description == "Q4 2013-14 (January to March 2014) · East Kent, North Kent · UASC"
    assert chosen.file_suffix == "2013-14-q4_east-kent-north-kent_uasc"
    whole = Selection.of(council, financial_year(2013))
    assert (whole.areas, whole.cohort, whole.area_list) == ((), "all", None)
    assert whole.description == "2013-14 (April 2013 to March 2014) · all areas · All children"


@pytest.mark.parametrize(
    ("period", "areas", "cohort", "message"),
    [
        ("2013/14 Q5", None, "all", "not a period"),
        ("2010-11", None, "all", "no data for 2010-11: it covers 2013-14 to 2013-14"),
        ("2013-14", ["West Kent"], "all", "unknown area 'West Kent'"),
        ("2013-14", None, "refugees", "unknown cohort 'refugees'"),
    ],
)
def test_a_bad_period_area_or_cohort_is_one_error_type(council, period, areas, cohort, message):
    with pytest.raises(SelectionError, match=message):
        Selection.of(council, period, areas, cohort)


def test_derived_selections_keep_what_they_do_not_change(council):
    chosen = Selection.of(council, "2013-14-Q3", ["East Kent"], "citizen")
    earlier = chosen.at(financial_quarter(2013, 1))
    assert (earlier.period.label, earlier.areas, earlier.cohort) == ("2013-14-Q1", ("East Kent",), "citizen")
    assert chosen.whole_council().areas == ()
    assert chosen.for_cohort("uasc").cohort == "uasc"
    with pytest.raises(SelectionError, match="no data for 2012-13-Q4"):
        chosen.at(financial_quarter(2012, 4))  # before the data starts
    assert not chosen.covers(financial_quarter(2012, 4)) and chosen.covers(financial_quarter(2013, 1))
    assert chosen == Selection.of(council, "2013-14-Q3", ["East Kent"], "Citizen children")
    assert chosen != chosen.for_cohort("all")


def test_the_periods_a_dataset_covers(council):
    assert [p.label for p in data_periods(council)] == ["2013-14-Q1", "2013-14-Q2", "2013-14-Q3", "2013-14-Q4"]
    assert [p.label for p in data_periods(council, "year")] == ["2013-14"]


@pytest.mark.parametrize(("text", "code"), [("all", "all"), ("UASC", "uasc"), (" citizen ", "citizen")])
def test_cohorts_read_in_any_case(text, code):
    assert parse_cohort(text) == code
