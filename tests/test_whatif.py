"""Scenario arithmetic: caseloads and FTE, UASC arrivals, counts at an earlier period's rate."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from iro_metrics.decomposition import at_earlier_rate_from, at_earlier_rate_sentences
from iro_metrics.whatif import (
    UascBaseline,
    caseload_per_fte,
    caseload_without_uasc,
    current_caseload_sentence,
    fte_needed,
    fte_needed_rounded_up,
    scenario_display_table,
    scenario_start_fte,
    staffing_scenario,
    staffing_sentence,
    uasc_scenario,
    uasc_sentence,
    without_uasc_sentence,
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


def test_uasc_scenario_keeps_todays_fte_in_the_baseline_column():
    # Issue 15: the scenario's 24 FTE belongs in the scenario column; today's 22 stays in "Now".
    # Caseload now 1842 / 22 = 83.727; with UASC unchanged and 24 FTE, 1842 / 24 = 76.75.
    rows = {r["measure"]: r for r in uasc_scenario(BASELINE, 0, fte=24).iter_rows(named=True)}
    assert (rows["IRO FTE"]["baseline"], rows["IRO FTE"]["scenario"]) == (22, 24)
    assert rows["Children per FTE IRO"]["baseline"] == pytest.approx(83.7272727)
    assert rows["Children per FTE IRO"]["scenario"] == pytest.approx(76.75)


def test_staffing_sentence_for_24_fte():
    # 1842 / 24 = 76.75 -> 76.8, 6.8 above 70 (76.8 - 70.0); 1842 / 70 = 26.314 -> 26.3 FTE.
    assert staffing_sentence(1842, 24, 70, fte_now=22) == (
        "With 24 FTE, caseloads would be 76.8 children per IRO, still 6.8 above the guideline of 70; "
        "26.3 FTE would meet it."
    )
    # Without a current FTE to compare, no "still".
    assert staffing_sentence(1842, 24) == (
        "With 24 FTE, caseloads would be 76.8 children per IRO, 6.8 above the guideline of 70; 26.3 FTE would meet it."
    )


def test_staffing_sentence_when_the_target_is_met_or_there_is_no_fte():
    # 1842 / 28 = 65.79 -> 65.8, 4.2 below 70; 1842 / 60 = 30.7 FTE for a target of 60.
    assert staffing_sentence(1842, 28, 70, fte_now=22) == (
        "With 28 FTE, caseloads would be 65.8 children per IRO, 4.2 below the guideline of 70; "
        "26.3 FTE would be enough."
    )
    assert staffing_sentence(1842, 28, 60) == (
        "With 28 FTE, caseloads would be 65.8 children per IRO, 5.8 above the target of 60; 30.7 FTE would meet it."
    )
    # 1680 / 24 = 70.0 exactly.
    assert "exactly at the guideline of 70" in staffing_sentence(1680, 24)
    assert staffing_sentence(1842, 0) == (
        "With no IRO FTE, caseloads cannot be worked out; 26.3 FTE would meet the guideline of 70 "
        "for 1,842 children in care."
    )


def test_current_caseload_sentence():
    # 1842 / 22 = 83.727 -> 83.7, 13.7 above 70.
    assert current_caseload_sentence(1842, 22, "Q4 2013-14") == (
        "At the end of Q4 2013-14, 1,842 children in care and 22 FTE: 83.7 children per IRO, "
        "13.7 above the guideline of 70."
    )


def test_caseload_without_uasc_for_2015_16():
    # The shipped data's 2015-16: 2,427 in care of whom 883 UASC, so 1,544 citizen children on 29 FTE:
    # 1544 / 29 = 53.241 -> 53.2 without UASC; 2427 / 29 = 83.690 -> 83.7 with them.
    baseline = UascBaseline(2427, 883, 1544, 1101, 6241, 2091, 4150, 29)
    assert caseload_without_uasc(baseline) == pytest.approx(53.2413793)
    assert without_uasc_sentence(baseline, "2015-16") == (
        "Without UASC, caseloads at the end of 2015-16 would be 53.2 children per IRO (1,544 citizen children, "
        "29 FTE), 16.8 below the guideline of 70; with the 883 UASC they are 83.7."
    )


def test_uasc_sentence():
    # +50%: UASC 218 -> 327, all 1842 -> 1951; 1951 / 24 = 81.29 -> 81.3, 11.3 above 70 (and
    # 1842 / 24 = 76.75 is above already: "still"); 1951 / 70 = 27.87 -> 27.9 FTE.
    assert uasc_sentence(BASELINE, 50, fte=24) == (
        "If UASC arrivals rose by 50%, UASC in care would go from 218 to 327 and all children in care from "
        "1,842 to 1,951: 81.3 children per IRO with 24 FTE, still 11.3 above the guideline of 70; "
        "27.9 FTE would meet it."
    )
    # -100%: 1624 citizen children on 24 FTE = 67.67 -> 67.7, 2.3 below; 1624 / 70 = 23.2 FTE.
    assert uasc_sentence(BASELINE, -100, fte=24) == (
        "If UASC arrivals fell by 100%, UASC in care would go from 218 to 0 and all children in care from "
        "1,842 to 1,624: 67.7 children per IRO with 24 FTE, 2.3 below the guideline of 70; 23.2 FTE would be enough."
    )


def test_at_earlier_rate_sentences():
    # 158 starts at last year's 15.625 per 100 = 24.6875 -> 25, against 32 actual: 7.3 -> 7 more.
    frame = pl.DataFrame(
        {
            "count": ["late_notifications", "reviews_late"],
            "title": ["Late notifications", "Reviews not held on time"],
            "volume_title": ["Children starting care", "Reviews in a period of care"],
            "volume_b": [158.0, 50.0],
            "rate_a": [15.625, None],
            "rate_b": [20.253165, 10.0],
            "actual_b": [32.0, 5.0],
            "at_earlier_rate": [24.6875, None],
            "difference": [7.3125, None],
        }
    )
    assert at_earlier_rate_sentences(frame, "2014-15-Q1", "2015-16-Q1") == [
        "Late notifications: at Q1 2014-15's rate (15.6 per 100 children starting care), Q1 2015-16's 158 "
        "children starting care would have given 25, against 32 (7 more than at the earlier rate).",
        "Reviews not held on time: Q1 2014-15 had no reviews in a period of care, so there is no earlier rate "
        "to apply.",
    ]


def test_at_earlier_rate_sentence_numbers_agree_when_the_count_is_a_half():
    # A 903 alone, 2016-17 against 2015-16: 9 reviews at last year's 50.0 per 100 = 4.5, read as 5;
    # 3 were late, so "5, against 3 (2 fewer)" (it read "4, against 3 (2 fewer ...)").
    frame = pl.DataFrame(
        {
            "count": ["reviews_late"],
            "title": ["Reviews not held on time"],
            "volume_title": ["Reviews in a period of care"],
            "volume_b": [9.0],
            "rate_a": [50.0],
            "rate_b": [33.333333],
            "actual_b": [3.0],
            "at_earlier_rate": [4.5],
            "difference": [-1.5],
        }
    )
    assert at_earlier_rate_sentences(frame, "2015-16", "2016-17") == [
        "Reviews not held on time: at 2015-16's rate (50.0 per 100 reviews in a period of care), 2016-17's 9 "
        "reviews in a period of care would have given 5, against 3 (2 fewer than at the earlier rate)."
    ]


def test_the_staffing_scenario_starts_from_the_establishment_or_what_meets_the_guideline():
    # Issue 15: with staffing not recorded the scenario never starts at "no IRO FTE".
    assert scenario_start_fte(BASELINE) == 22  # the recorded establishment
    unrecorded = dataclasses.replace(BASELINE, fte=None)
    # 1842 / 70 = 26.314 FTE, rounded up to the next 0.1 FTE: 26.4 (26.4 * 70 = 1848 >= 1842)
    assert scenario_start_fte(unrecorded) == pytest.approx(26.4)
    assert staffing_sentence(1842, scenario_start_fte(unrecorded)).startswith(
        "With 26.4 FTE, caseloads would be 69.8 children per IRO"  # 1842 / 26.4 = 69.77
    )


# --- Issue 26 item 6: one sentence and one chart per question ------------------------------------------


def _at_rate_frame() -> pl.DataFrame:
    # Three counts worked by hand (volume_b x rate_a / 100):
    #   late notifications 1,200 starts x 12.0 = 144 at last year's rate, 180 actual -> 36 more
    #   reviews late        400 reviews x 10.0 = 40, 38 actual                        -> 2 fewer
    #   disputes            50 reviews x 9.0  = 4.5 -> 5 (halves up), 5 actual        -> the same
    #   visits              no volume last year -> no earlier rate, left out
    return pl.DataFrame(
        {
            "count": ["late", "reviews_late", "disputes", "visits"],
            "title": ["Late notifications", "Reviews late", "Disputes", "Visits"],
            "volume_title": ["Children starting care", "Reviews", "Reviews", "Children"],
            "volume_b": [1200.0, 400.0, 50.0, 10.0],
            "rate_a": [12.0, 10.0, 9.0, None],
            "rate_b": [15.0, 9.5, 10.0, 50.0],
            "actual_b": [180.0, 38.0, 5.0, 5.0],
            "at_earlier_rate": [144.0, 40.0, 4.5, None],
            "difference": [36.0, -2.0, 0.5, None],
        }
    )


def test_at_earlier_rate_summary_tallies_and_leads_with_the_biggest_gap():
    from iro_metrics.decomposition import at_earlier_rate_summary

    # 1 higher (late +36), 1 lower (reviews late -2), 1 the same (disputes 5 against 5); visits left out.
    assert at_earlier_rate_summary(_at_rate_frame(), "2014-15", "2015-16") == (
        "At 2014-15's rates, 1 of 3 counts in 2015-16 were higher than the rate alone would give, 1 lower "
        "and 1 the same; the biggest gap: late notifications, 180 against 144 (36 more)."
    )
    nothing = _at_rate_frame().with_columns(pl.lit(None, pl.Float64).alias("at_earlier_rate"))
    assert "no volumes" in at_earlier_rate_summary(nothing, "2014-15", "2015-16")


def test_caseload_comparison_sets_the_scenario_against_now():
    from iro_metrics.whatif import caseload_comparison, uasc_caseload_comparison

    # 1,842 children on 22 FTE = 83.727 now; on 24 FTE = 76.75.
    frame = caseload_comparison(1842, 22, 1842, 24)
    assert frame["bar"].to_list() == ["Now", "Scenario"]
    assert frame["caseload"].to_list() == pytest.approx([83.7272727, 76.75])
    # No FTE: no caseload (never a division by zero).
    assert caseload_comparison(1842, None, 1842, 0)["caseload"].to_list() == [None, None]
    # UASC up 50%: 218 UASC -> 327, all children 1,842 + 109 = 1,951 on 22 FTE = 88.68.
    uasc = uasc_caseload_comparison(BASELINE, 50)
    assert uasc["children"].to_list() == pytest.approx([1842, 1951])
    assert uasc["caseload"][1] == pytest.approx(1951 / 22)


def test_what_if_charts_carry_their_values_as_text():
    from iro_metrics.charts import whatif as whatif_charts
    from iro_metrics.whatif import caseload_comparison

    chart = whatif_charts.caseload_chart(caseload_comparison(1842, 22, 1842, 24), 70, title="Staffing")
    spec = chart.to_dict()  # checked against the Vega-Lite schema
    # 83.727 -> 83.7 and 76.75 -> 76.8 (to 0.1), with the children and FTE behind each.
    assert "Now: 83.7 (1,842 children, 22 FTE); Scenario: 76.8 (1,842 children, 24 FTE)" in spec["description"]
    assert "guideline 70" in spec["description"]
    rate = whatif_charts.at_earlier_rate_chart(_at_rate_frame(), "2014-15", "2015-16")
    rows = whatif_charts.at_earlier_rate_rows(_at_rate_frame(), "2014-15")
    rate.to_dict()
    # Biggest gap first; visits (no earlier rate) left out.
    assert rows["label"].to_list() == [
        "180 against 144 at 2014-15's rate, +36",
        "38 against 40 at 2014-15's rate, −2",
        "5 against 5 at 2014-15's rate, same",
    ]
