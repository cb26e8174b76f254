"""Scenario arithmetic: caseloads and FTE, UASC arrivals, counts at an earlier period's rate."""

from __future__ import annotations

import polars as pl
import pytest

from iro_metrics.whatif import (
    UascBaseline,
    at_earlier_rate_from,
    caseload_per_fte,
    fte_needed,
    fte_needed_rounded_up,
    scenario_display_table,
    staffing_scenario,
    uasc_scenario,
)


def test_caseload_question_from_report_001():
    # 1842 children in care at 31 March 2014 and 22 FTE: 1842 / 22 = 83.727 (the report prints 83.72)
    assert caseload_per_fte(1842, 22) == pytest.approx(83.7272727)
    # The report asks whether 24 FTE would bring caseloads to 70: 1842 / 24 = 76.75, so no
    assert caseload_per_fte(1842, 24) == pytest.approx(76.75)
    # 70 per FTE needs 1842 / 70 = 26.314 FTE; the smallest tenth that meets it is 26.4 (26.3 gives 70.04)
    assert fte_needed(1842, 70) == pytest.approx(26.3142857)
    assert fte_needed_rounded_up(1842, 70) == pytest.approx(26.4)
    assert 1842 / 26.3 > 70 >= 1842 / 26.4


def test_fte_rounding_keeps_exact_multiples():
    assert fte_needed_rounded_up(1680, 70) == pytest.approx(24.0)  # exactly 24, not 24.1
    assert fte_needed_rounded_up(701, 70) == pytest.approx(10.1)  # 10.014 -> 10.1


def test_caseload_with_no_fte_and_bad_input():
    assert caseload_per_fte(100, 0) is None
    with pytest.raises(ValueError, match="more than 0"):
        fte_needed(100, 0)
    with pytest.raises(ValueError, match="negative"):
        caseload_per_fte(-1, 10)


def test_staffing_scenario_table():
    table = staffing_scenario(1842, 22, 24, 70)
    assert table.columns == ["measure", "unit", "baseline", "scenario", "change"]
    rows = {r["measure"]: r for r in table.iter_rows(named=True)}
    per_fte = rows["Children per FTE IRO"]
    assert (per_fte["baseline"], per_fte["scenario"]) == (pytest.approx(83.7272727), pytest.approx(76.75))
    # 76.75 - 83.7273 = -6.9773 children per FTE
    assert per_fte["change"] == pytest.approx(-6.9772727)
    assert rows["IRO FTE"]["change"] == pytest.approx(2)
    assert rows["FTE needed for 70 children per FTE"]["scenario"] == pytest.approx(26.3142857)
    assert rows["FTE needed for 70 per FTE, rounded up to 0.1"]["baseline"] == pytest.approx(26.4)
    # short of target: 26.314 - 22 = 4.314 now; 26.314 - 24 = 2.314 with 24 FTE
    short = rows["FTE short of 70 per FTE (negative: spare)"]
    assert (short["baseline"], short["scenario"]) == (pytest.approx(4.3142857), pytest.approx(2.3142857))


BASELINE = UascBaseline(
    children_all=1842,
    children_uasc=218,
    children_citizen=1624,
    starting_uasc=40,
    reviews_all_per_year=5220,
    reviews_uasc_per_year=600,
    reviews_citizen_per_year=4620,
    fte=22,
)


def test_uasc_arrivals_up_half():
    # +50%: UASC 218 -> 327, all children 1842 + 109 = 1951; UASC reviews 600 -> 900, all 5220 -> 5520
    # caseload 1951 / 22 = 88.6818; FTE for 70 each: 1951 / 70 = 27.8714
    table = uasc_scenario(BASELINE, 50)
    rows = {r["measure"]: r for r in table.iter_rows(named=True)}
    assert rows["UASC starting care in the period"]["scenario"] == pytest.approx(60)
    assert rows["UASC in care"]["scenario"] == pytest.approx(327)
    assert rows["Citizen children in care"]["scenario"] == pytest.approx(1624)
    assert rows["All children in care"]["scenario"] == pytest.approx(1951)
    assert rows["All children in care"]["change"] == pytest.approx(109)
    assert rows["Reviews a year: UASC"]["scenario"] == pytest.approx(900)
    assert rows["Reviews a year: all children"]["scenario"] == pytest.approx(5520)
    # 600 reviews a year for 218 children = 2.752 reviews per child, unchanged by the scenario
    assert rows["Reviews a year per UASC child"]["scenario"] == pytest.approx(2.7522936)
    assert rows["Children per FTE IRO"]["baseline"] == pytest.approx(83.7272727)
    assert rows["Children per FTE IRO"]["scenario"] == pytest.approx(88.6818182)
    assert rows["FTE needed for 70 children per FTE"]["scenario"] == pytest.approx(27.8714286)


def test_uasc_arrivals_stop_with_chosen_fte():
    # -100%: no UASC; 1624 citizen children on 24 FTE = 67.6667 each
    table = uasc_scenario(BASELINE, -100, fte=24)
    rows = {r["measure"]: r for r in table.iter_rows(named=True)}
    assert rows["UASC in care"]["scenario"] == 0
    assert rows["All children in care"]["scenario"] == pytest.approx(1624)
    assert rows["Reviews a year: all children"]["scenario"] == pytest.approx(4620)
    assert rows["Children per FTE IRO"]["scenario"] == pytest.approx(67.6666667)
    with pytest.raises(ValueError, match="more than 100%"):
        uasc_scenario(BASELINE, -101)


def test_at_earlier_rate():
    # Late notifications: 15.625 per 100 starts last year; 158 starts this year -> 24.6875 expected,
    # 32 actual, 7.3125 more than last year's rate would give.
    decompositions = pl.DataFrame(
        {
            "count": ["late_notifications", "reviews_late"],
            "title": ["Late notifications", "Reviews not held on time"],
            "volume_title": ["Children starting care", "Reviews in a period of care"],
            "volume_a": [160.0, 0.0],
            "volume_b": [158.0, 50.0],
            "rate_a": [15.625, 10.0],
            "rate_b": [20.253165, 10.0],
            "count_a": [25.0, 0.0],
            "count_b": [32.0, 5.0],
            "change": [7.0, 5.0],
            "volume_effect": [-0.3587816, 5.0],
            "rate_effect": [7.3587816, 0.0],
        }
    )
    result = at_earlier_rate_from(decompositions)
    late = result.row(0, named=True)
    assert late["at_earlier_rate"] == pytest.approx(24.6875)
    assert late["actual_b"] == 32
    assert late["difference"] == pytest.approx(7.3125)
    # No reviews last year, so there is no earlier rate to apply.
    none = result.row(1, named=True)
    assert none["rate_a"] is None and none["at_earlier_rate"] is None and none["difference"] is None


def test_scenario_display_table():
    shown = scenario_display_table(staffing_scenario(1842, 22, 24, 70))
    assert shown.columns == ["Measure", "Unit", "Now", "Scenario", "Change"]
    rows = {r["Measure"]: r for r in shown.iter_rows(named=True)}
    # counts to 0.1, the rest to 0.01: 83.7272 -> 83.73, 26.3142 -> 26.31
    assert rows["Children per FTE IRO"]["Now"] == 83.73
    assert rows["Children per FTE IRO"]["Unit"] == "children per FTE"
    assert rows["FTE needed for 70 children per FTE"]["Scenario"] == 26.31
    assert rows["Children in care (whole service)"]["Unit"] == "number"
