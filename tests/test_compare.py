"""Comparisons, significance calls and rate x volume decompositions, against examples worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iro_metrics import compare
from iro_metrics.charts import changes
from iro_metrics.compare import (
    cohort_display_table,
    cohort_table,
    compare_indicator_frames,
    compare_periods,
    comparison_screen_table,
    comparison_table,
    count_decompositions,
)
from iro_metrics.decomposition import at_earlier_rate_from, decompose_indicator_frames
from iro_metrics.selection import Selection, SelectionError
from iro_metrics.significance import (
    NORMAL_VARIATION,
    REAL_CHANGE,
    significance_words,
    two_proportion_test,
    two_rate_test,
    wilson_bounds,
)
from iro_metrics.whatif import uasc_baseline
from tests.builders import make_dataset

# --- two-proportion test -----------------------------------------------------------------------------


def test_two_proportion_test_late_notifications_worked_by_hand():
    # Period A 25 late of 160 starts, period B 32 of 158 (the Q4 2013-14 figure in report 001).
    # p_A = 0.15625, p_B = 0.2025316; pooled p = 57/318 = 0.1792453
    # SE = sqrt(0.1792453 * 0.8207547 * (1/160 + 1/158)) = sqrt(0.1471149 * 0.0125791) = 0.0430183
    # z = 0.0462816 / 0.0430183 = 1.0759; from the normal table, P(Z > 1.0759) = 0.1410, so p = 0.282
    result = two_proportion_test(25, 160, 32, 158)
    assert result is not None
    assert result.difference == pytest.approx(0.0462816, abs=1e-6)
    assert result.z == pytest.approx(1.0759, abs=1e-3)
    assert result.p_value == pytest.approx(0.282, abs=1e-3)
    assert result.significance == NORMAL_VARIATION


def test_two_proportion_test_real_change_and_sign():
    # 50/100 against 30/100: pooled 0.4, SE = sqrt(0.4*0.6*0.02) = sqrt(0.0048) = 0.0692820
    # z = -0.2 / 0.0692820 = -2.8868; p = 2 * P(Z > 2.8868) = 2 * 0.001946 = 0.00389
    result = two_proportion_test(50, 100, 30, 100)
    assert result is not None
    assert result.difference == pytest.approx(-0.2)
    assert result.z == pytest.approx(-2.8868, abs=1e-4)
    assert result.p_value == pytest.approx(0.00389, abs=2e-5)
    assert result.significance == REAL_CHANGE


def test_two_proportion_test_edge_cases():
    assert two_proportion_test(0, 0, 5, 10) is None
    everyone = two_proportion_test(10, 10, 20, 20)
    assert everyone is not None and (everyone.z, everyone.p_value) == (0.0, 1.0)
    with pytest.raises(ValueError, match="more than all"):
        two_proportion_test(11, 10, 1, 10)


def test_two_rate_test_worked_by_hand():
    # 30 disputes in 1000 reviews against 60 in 1200: pooled rate 90/2200 = 0.0409091
    # SE = sqrt(0.0409091 * (1/1000 + 1/1200)) = sqrt(0.0409091 * 0.00183333) = 0.0086603
    # difference = 0.05 - 0.03 = 0.02; z = 2.3094; p = 2 * 0.010461 = 0.0209
    result = two_rate_test(30, 1000, 60, 1200)
    assert result is not None
    assert result.z == pytest.approx(2.3094, abs=1e-4)
    assert result.p_value == pytest.approx(0.0209, abs=1e-4)
    assert result.significance == REAL_CHANGE


def test_significance_words_threshold():
    assert significance_words(0.049) == REAL_CHANGE
    assert significance_words(0.05) == NORMAL_VARIATION


# --- Wilson interval ----------------------------------------------------------------------------------


def test_wilson_bounds_care_plans_916_of_1135():
    # p = 0.8070485; z = 1.96, z^2/n = 0.00338467, so the divisor is 1.00338467
    # centre = (0.8070485 + 0.0016923) / 1.0033847 = 0.806013
    # half = 1.96 * sqrt(0.000137201 + 0.00000074552) / 1.0033847 = 0.0229428
    low, high = wilson_bounds(916, 1135, z=1.96)
    assert low == pytest.approx(0.783070, abs=2e-6)
    assert high == pytest.approx(0.828956, abs=2e-6)


def test_wilson_bounds_zero_of_ten():
    # x = 0: the interval is [0, z^2 / (n + z^2)] = [0, 3.8416 / 13.8416] = [0, 0.277540]
    low, high = wilson_bounds(0, 10, z=1.96)
    assert low == pytest.approx(0.0, abs=1e-12)
    assert high == pytest.approx(0.277540, abs=1e-6)


# --- decomposition ------------------------------------------------------------------------------------


def _indicator_frame(rows: list[tuple[str, float | None, float | None, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String,
            "value": pl.Float64,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
        },
        orient="row",
    )


def test_decomposition_whole_numbers():
    # 100 reviews at 10 per 100 = 10 disputes; 200 reviews at 15 per 100 = 30 disputes: change 20
    # volume effect = 100 * (0.10 + 0.15) / 2 = 12.5; rate effect = 0.05 * (100 + 200) / 2 = 7.5
    frame_a = _indicator_frame([("disputes_formal_per_100_reviews", 10.0, 10, 100)])
    frame_b = _indicator_frame([("disputes_formal_per_100_reviews", 15.0, 30, 200)])
    (row,) = decompose_indicator_frames(frame_a, frame_b).iter_rows(named=True)
    assert (row["count_a"], row["count_b"], row["change"]) == (10, 30, 20)
    assert row["volume_effect"] == pytest.approx(12.5)
    assert row["rate_effect"] == pytest.approx(7.5)


def test_decomposition_with_no_volume_in_one_period():
    # No starts in period A: B's rate (6 of 20) is used for both, so all 6 more are volume.
    frame_a = _indicator_frame(
        [("late_notifications_pct", None, 0, 0), ("disputes_formal_per_100_reviews", None, 0, 0)]
    )
    frame_b = _indicator_frame(
        [("late_notifications_pct", 30.0, 6, 20), ("disputes_formal_per_100_reviews", None, 0, 0)]
    )
    (row,) = decompose_indicator_frames(frame_a, frame_b).iter_rows(named=True)
    # With no volume in either period (no reviews) there is nothing to split: formal disputes are left out.
    assert row["count"] == "late_notifications"
    assert (row["count_a"], row["count_b"]) == (0, pytest.approx(6))
    assert row["volume_effect"] == pytest.approx(6)
    assert row["rate_effect"] == pytest.approx(0)


def test_decompose_indicator_frames_reads_numerators_and_complements():
    frame_a = _indicator_frame(
        [
            ("late_notifications_pct", 15.625, 25, 160),
            ("disputes_formal_per_100_reviews", 10.0, 100, 1000),
            ("qa_care_plan_adequate_pct", 80.0, 800, 1000),
            ("reviews_held", 1000, None, None),
        ]
    )
    frame_b = _indicator_frame(
        [
            ("late_notifications_pct", 32 / 158 * 100, 32, 158),
            ("disputes_formal_per_100_reviews", 9.0, 108, 1200),
            ("qa_care_plan_adequate_pct", 80.7, 916, 1135),
            ("reviews_held", 1200, None, None),
        ]
    )
    result = decompose_indicator_frames(frame_a, frame_b)
    assert result["count"].to_list() == ["late_notifications", "disputes_formal", "qa_care_plan_inadequate"]
    # Formal disputes: 1000 reviews at 10 per 100 -> 1200 at 9 per 100 (100 -> 108, change +8)
    # volume = 200 * (0.10 + 0.09) / 2 = 19; rate = -0.01 * 2200 / 2 = -11
    # Inadequate care plans: 200 of 1000 -> 219 of 1135 (change +19)
    # volume = 135 * (0.2 + 0.1929515) / 2 = 26.5242; rate = -0.0070485 * 2135 / 2 = -7.5242
    expected = pl.DataFrame(
        {
            "count": ["late_notifications", "disputes_formal", "qa_care_plan_inadequate"],
            "volume_a": [160.0, 1000.0, 1000.0],
            "volume_b": [158.0, 1200.0, 1135.0],
            "rate_a": [15.625, 10.0, 20.0],
            "rate_b": [20.253165, 9.0, 19.295154],
            "count_a": [25.0, 100.0, 200.0],
            "count_b": [32.0, 108.0, 219.0],
            "change": [7.0, 8.0, 19.0],
            "volume_effect": [-0.3587816, 19.0, 26.52423],
            "rate_effect": [7.3587816, -11.0, -7.52423],
        }
    )
    assert_frame_equal(result.select(expected.columns), expected, abs_tol=1e-4)
    assert result["title"][2] == "Inadequate grades: care plan"
    assert result["volume_title"][1] == "Reviews held"


def test_decompose_indicator_frames_effects_add_up():
    frame_a = _indicator_frame([("minutes_on_time_pct", 70.0, 70, 100), ("reviews_on_time_pct", None, 0, 0)])
    frame_b = _indicator_frame([("minutes_on_time_pct", 75.0, 90, 120), ("reviews_on_time_pct", 90.0, 45, 50)])
    result = decompose_indicator_frames(frame_a, frame_b)
    # Late minutes: 30 of 100 -> 30 of 120: no change in the count.
    # volume = 20 * (0.30 + 0.25) / 2 = 5.5; rate = -0.05 * 220 / 2 = -5.5
    minutes = result.filter(pl.col("count") == "minutes_late").row(0, named=True)
    assert minutes["change"] == pytest.approx(0)
    assert minutes["volume_effect"] == pytest.approx(5.5)
    assert minutes["rate_effect"] == pytest.approx(-5.5)
    # Late reviews: none in A (no reviews), 5 of 50 in B: the whole change is volume.
    late = result.filter(pl.col("count") == "reviews_late").row(0, named=True)
    assert (late["count_a"], late["count_b"], late["volume_effect"], late["rate_effect"]) == (0, 5, 5, 0)
    sums = result.select((pl.col("volume_effect") + pl.col("rate_effect") - pl.col("change")).abs().max()).item()
    assert sums == pytest.approx(0, abs=1e-9)
    # Rows follow decomposed_counts() (catalogue order); late reviews borrow B's rate (5 per 50 = 10 per 100) for A.
    assert result["count"].to_list() == ["reviews_late", "minutes_late"]
    assert result["rate_a"].to_list() == pytest.approx([10.0, 30.0])


# --- whole datasets built by hand ------------------------------------------------------------------


def _late_notification_dataset():
    """Starts in 2012-13: 4, one notified late; in 2013-14: 5 (2 UASC, both late; 3 citizen, 1 late)."""

    def episode(n: int, start: date, late: bool, uasc: bool = False) -> dict:
        # Late: told a week later (5 working days); on time: told the same day.
        notified = start + timedelta(days=7) if late else start
        return {"child_id": f"C{n}", "start_date": start, "iro_notified_date": notified, "uasc": uasc}

    episodes = [
        episode(1, date(2012, 5, 1), True),
        episode(2, date(2012, 6, 5), False),
        episode(3, date(2012, 9, 10), False),
        episode(4, date(2013, 1, 15), False),
        episode(5, date(2013, 5, 7), True, uasc=True),
        episode(6, date(2013, 7, 9), True, uasc=True),
        episode(7, date(2013, 8, 6), True),
        episode(8, date(2013, 11, 5), False),
        episode(9, date(2014, 2, 4), False),
    ]
    staffing = [{"month_end": date(2014, 3, 31), "team": "A", "fte_establishment": 3.0, "fte_in_post": 2.5}]
    return make_dataset(
        first_day=date(2012, 4, 1), last_day=date(2014, 3, 31), episodes=episodes, iro_staffing=staffing
    )


def test_compare_periods_on_a_dataset():
    ds = _late_notification_dataset()
    result = compare_periods(Selection.of(ds, "2012-13"), Selection.of(ds, "2013-14"))
    rows = {r["indicator"]: r for r in result.iter_rows(named=True)}
    late = rows["late_notifications_pct"]
    # 1 of 4 = 25% -> 3 of 5 = 60%: +35 points, worse (lower is better)
    assert (late["value_a"], late["value_b"]) == (pytest.approx(25.0), pytest.approx(60.0))
    assert late["change"] == pytest.approx(35.0)
    assert late["direction"] == "declining"
    # pooled 4/9; SE = sqrt(4/9 * 5/9 * (1/4 + 1/5)) = sqrt(0.111111) = 1/3; z = 0.35 * 3 = 1.05
    # p = 2 * P(Z > 1.05) = 2 * 0.146859 = 0.2937
    assert late["p_value"] == pytest.approx(0.2937, abs=1e-4)
    assert late["significance"] == NORMAL_VARIATION
    assert late["title"] == "Late notification rate"
    # Wilson for 3 of 5 (z = 1.96): centre (0.6 + 0.38416) / 1.76832 = 0.556545,
    # half 1.96 * sqrt(0.048 + 0.038416) / 1.76832 = 0.325830 -> 23.07% to 88.24%
    assert late["ci_low_b"] == pytest.approx(23.07, abs=0.01)
    assert late["ci_high_b"] == pytest.approx(88.24, abs=0.01)
    starts = rows["children_starting_care"]
    assert (starts["value_a"], starts["value_b"], starts["change"]) == (4, 5, 1)
    assert starts["relative_change_pct"] == pytest.approx(25.0)
    assert starts["significance"] is None and starts["p_value"] is None
    in_care = rows["children_in_care"]
    assert (in_care["value_a"], in_care["value_b"], in_care["direction"]) == (4, 9, "increased")
    # Every indicator is there once, in catalogue order.
    assert result["indicator"].n_unique() == result.height
    assert result["indicator"][0] == "children_in_care"


def test_count_decompositions_and_cohort_table_on_a_dataset():
    ds = _late_notification_dataset()
    decomposed = count_decompositions(Selection.of(ds, "2012-13"), Selection.of(ds, "2013-14")).filter(
        pl.col("count") == "late_notifications"
    )
    late = decomposed.row(0, named=True)
    # 4 starts at 25% -> 5 at 60%: 1 -> 3 late. volume = 1 * 0.85 / 2 = 0.425; rate = 0.35 * 9 / 2 = 1.575
    assert (late["count_a"], late["count_b"], late["change"]) == (1, 3, 2)
    assert late["volume_effect"] == pytest.approx(0.425)
    assert late["rate_effect"] == pytest.approx(1.575)
    # At last year's rate, 5 starts would have given 5 * 0.25 = 1.25 late notifications
    at_rate = at_earlier_rate_from(
        count_decompositions(Selection.of(ds, "2012-13"), Selection.of(ds, "2013-14"))
    ).filter(pl.col("count") == "late_notifications")
    assert at_rate["at_earlier_rate"][0] == pytest.approx(1.25)
    assert at_rate["difference"][0] == pytest.approx(1.75)

    table = cohort_table(Selection.of(ds, "2013-14"))
    assert table.columns == ["indicator", "title", "unit", "value_all", "value_uasc", "value_citizen"]
    row = table.filter(pl.col("indicator") == "late_notifications_pct").row(0, named=True)
    # all 3 of 5 = 60%; UASC 2 of 2 = 100%; citizen 1 of 3 = 33.3%
    assert row["value_all"] == pytest.approx(60.0)
    assert row["value_uasc"] == pytest.approx(100.0)
    assert row["value_citizen"] == pytest.approx(100 / 3)
    shown = cohort_display_table(table)
    assert shown.columns == ["Indicator", "Unit", "All children", "UASC", "Citizen children"]
    late_shown = shown.filter(pl.col("Indicator") == "Late notification rate", pl.col("Unit") == "%").row(0)
    assert late_shown[2:] == ("60.0", "100.0", "33.3")  # as text: a cohort with no figure shows '–', never 'None'

    baseline = uasc_baseline(Selection.of(ds, "2013-14"))
    # 9 children in care at 31 March 2014: 2 UASC, 7 citizen; 2 UASC started; no reviews; 3 FTE
    assert (baseline.children_all, baseline.children_uasc, baseline.children_citizen) == (9, 2, 7)
    assert baseline.starting_uasc == 2
    assert baseline.fte == pytest.approx(3.0)


def test_compare_periods_outside_the_data_is_a_clear_error():
    ds = _late_notification_dataset()
    with pytest.raises(SelectionError, match="no data for 2010-11"):
        compare_periods(Selection.of(ds, "2010-11"), Selection.of(ds, "2013-14"))
    with pytest.raises(SelectionError, match="not a period"):
        compare_periods(Selection.of(ds, "last year"), Selection.of(ds, "2013-14"))


def test_waterfall_steps_and_chart():
    decompositions = pl.DataFrame(
        {
            "count": ["disputes_formal"],
            "title": ["Formal disputes"],
            "volume_title": ["Reviews held"],
            "volume_a": [1000.0],
            "volume_b": [1200.0],
            "rate_a": [10.0],
            "rate_b": [9.0],
            "count_a": [100.0],
            "count_b": [108.0],
            "change": [8.0],
            "volume_effect": [19.0],
            "rate_effect": [-11.0],
        }
    )
    steps = changes.waterfall_steps(decompositions, "disputes_formal", "2012-13", "2013-14")
    # 100, then +19 (100 -> 119), then -11 (119 -> 108), then 108
    assert steps["start"].to_list() == [0, 100, 119, 0]
    assert steps["end"].to_list() == [100, 119, 108, 108]
    assert steps["label"].to_list() == ["100", "+19.0", "-11.0", "108"]
    chart = changes.decomposition_waterfall(decompositions, "disputes_formal", "2012-13", "2013-14")
    assert chart.description == (
        "Waterfall chart, Formal disputes: 100 in 2012-13, +19.0 from the change in reviews held, "
        "-11.0 from the change in rate, 108 in 2013-14."
    )
    spec = chart.to_dict()
    assert spec["title"] == "Formal disputes"
    drawn = next(iter(spec["datasets"].values()))
    assert [(d["step"], d["end"]) for d in drawn] == [
        ("2012-13", 100),
        ("Volume", 119),
        ("Rate", 108),
        ("2013-14", 108),
    ]
    with pytest.raises(KeyError, match="not among"):
        changes.waterfall_steps(decompositions, "late_notifications", "2012-13", "2013-14")


def test_comparison_table_rounds_by_unit_and_words():
    frame_a = _indicator_frame(
        [
            ("children_in_care", 1814, None, None),
            ("caseload_per_establishment_fte", 1814 / 22, 1814, 22),
            ("qa_care_plan_adequate_pct", 800 / 1000 * 100, 800, 1000),
        ]
    )
    frame_b = _indicator_frame(
        [
            ("children_in_care", 1842, None, None),
            ("caseload_per_establishment_fte", 1842 / 22, 1842, 22),
            ("qa_care_plan_adequate_pct", 916 / 1135 * 100, 916, 1135),
        ]
    )
    table = comparison_table(compare_indicator_frames(frame_a, frame_b), "2012-13", "2013-14")
    assert table.columns == [
        "Indicator", "Unit", "2012-13", "2013-14", "Change", "More than chance?", "Direction",
        "Change (% of 2012-13)", "p-value", "95% interval 2012-13", "95% interval 2013-14",
    ]  # fmt: skip
    rows = table.rows(named=True)
    # children: 1814 -> 1842, +28 (+1.5% of 1814), no optimum
    assert rows[0]["2013-14"] == 1842 and rows[0]["Change"] == 28
    assert rows[0]["Change (% of 2012-13)"] == 1.5
    assert rows[0]["Direction"] == "↗ Increased"
    assert rows[0]["More than chance?"] == "–"
    assert rows[0]["95% interval 2013-14"] == "–"
    # caseloads to 2 decimals: 82.45 -> 83.73, +1.27 (28 / 22 = 1.2727)
    assert (rows[1]["2012-13"], rows[1]["2013-14"], rows[1]["Change"]) == (82.45, 83.73, 1.27)
    # care plans to 1 decimal: 80.0 -> 80.7, +0.7 points, higher is better
    assert (rows[2]["2012-13"], rows[2]["2013-14"], rows[2]["Change"]) == (80.0, 80.7, 0.7)
    assert rows[2]["Direction"] == "↑ Improving performance"
    # Wilson for 916 of 1135: 78.3 to 82.9 (worked above)
    assert rows[2]["95% interval 2013-14"] == "78.3 to 82.9"
    # pooled 1716/2135 = 0.80375; SE = sqrt(0.80375 * 0.19625 * (1/1000 + 1/1135)) = 0.017221
    # z = 0.0070485 / 0.017221 = 0.4093; p = 0.682
    assert rows[2]["p-value"] == pytest.approx(0.682, abs=0.001)
    assert rows[2]["More than chance?"] == NORMAL_VARIATION


def test_change_ranking_orders_by_how_far_each_moved():
    # Percentages move by points: on time 97.0 -> 83.8 (13.2 points) before chaired 97.0 -> 94.5 (2.5).
    # Counts by % of A: overdue 7 -> 171 (+2,342.9%) moved most, but on a base of 7 (under 20) it
    # never leads, so children 1,842 -> 2,427 (+31.8%) comes first; new (A = 0, a base of 0 and no
    # % of A) goes last; a missing B is left out.
    comparison = pl.DataFrame(
        {
            "indicator": ["chaired", "on_time", "children", "overdue", "new", "gone"],
            "title": ["Chaired", "On time", "Children", "Overdue", "New", "Gone"],
            "unit": ["pct", "pct", "count", "count", "count", "pct"],
            "value_a": [97.0, 97.0, 1842.0, 7.0, 0.0, 50.0],
            "value_b": [94.5, 83.8, 2427.0, 171.0, 5.0, None],
            "change": [-2.5, -13.2, 585.0, 164.0, 5.0, None],
            "direction": ["declining", "declining", "increased", "declining", "increased", None],
            "significance": [REAL_CHANGE, REAL_CHANGE, None, None, None, None],
        }
    )
    ranking = compare.change_ranking(comparison)
    assert ranking.select("title", "scale", "rank").rows() == [
        ("On time", "points", 1),
        ("Chaired", "points", 2),
        ("Children", "relative", 1),
        ("Overdue", "relative", 2),
        ("New", "relative", 3),
    ]
    moved = dict(ranking.select("title", "moved").rows())
    assert moved["On time"] == pytest.approx(13.2)
    assert moved["Overdue"] == pytest.approx(164 / 7 * 100)  # 2,342.857...
    assert moved["Children"] == pytest.approx(585 / 1842 * 100)  # 31.759
    assert moved["New"] is None
    assert ranking.get_column("significance_short").to_list() == [
        "likely real",
        "likely real",
        "not tested",
        "not tested",
        "not tested",
    ]


def test_change_dumbbell_marks_significance_by_shape_and_words():

    comparison = pl.DataFrame(
        {
            "indicator": ["on_time", "children"],
            "title": ["On time", "Children"],
            "unit": ["pct", "count"],
            "value_a": [97.0, 1842.0],
            "value_b": [83.8, 2427.0],
            "change": [-13.2, 585.0],
            "direction": ["declining", "increased"],
            "significance": [REAL_CHANGE, None],
        }
    )
    ranking = compare.change_ranking(comparison)
    spec = changes.change_dumbbell(ranking, "2014-15", "2015-16").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["label"] for r in rows] == ["97.0 → 83.8, −13.2 points ↓, likely real"]
    assert "On time: 97.0 → 83.8, −13.2 points ↓, likely real" in spec["description"]
    counts = changes.change_dumbbell(ranking, "2014-15", "2015-16", scale="relative").to_dict()
    # 1,842 -> 2,427 is +31.8% of 1,842; counts are not tested for significance.
    assert [r["label"] for r in next(iter(counts["datasets"].values()))] == ["1,842 → 2,427, +32% ↗"]


def test_a_few_rows_get_room_and_a_missing_direction_says_so():
    # A 903 alone: three percentages moved and staffing is not recorded. The dumbbell (whose
    # height holds its title, axis and legend, 130 px) is 130 + 3 x 16 = 178 px, not 3 x 22 = 66 px
    # of overprinted labels; 10 rows are 290 px. The Direction of a figure with no value says so.

    def height(n: int) -> int:
        comparison = pl.DataFrame(
            {
                "indicator": [f"i{k}" for k in range(n)],
                "title": [f"Indicator {k}" for k in range(n)],
                "unit": ["pct"] * n,
                "value_a": [50.0 + k for k in range(n)],
                "value_b": [60.0 + 2 * k for k in range(n)],
                "change": [10.0 + k for k in range(n)],
                "direction": ["improving"] * n,
                "significance": [NORMAL_VARIATION] * n,
            }
        )
        return changes.change_dumbbell(compare.change_ranking(comparison), "A", "B").to_dict()["height"]

    assert (height(3), height(10)) == (178, 290)
    frame_a = _indicator_frame([("iro_fte_in_post", None, None, None), ("children_in_care", 1, None, None)])
    frame_b = _indicator_frame([("iro_fte_in_post", 3.5, None, None), ("children_in_care", 4, None, None)])
    table = comparison_table(compare_indicator_frames(frame_a, frame_b), "2015-16", "2016-17")
    assert table.get_column("Direction").to_list() == ["no figure to compare", "↗ Increased"]


def test_the_table_leaves_out_figures_neither_period_has_and_names_them():
    # Staffing not recorded in either period: no row of empty (None) cells; the page names it.
    frame_a = _indicator_frame([("iro_fte_in_post", None, None, None), ("children_in_care", 1, None, None)])
    frame_b = _indicator_frame([("iro_fte_in_post", None, None, None), ("children_in_care", 4, None, None)])
    comparison = compare_indicator_frames(frame_a, frame_b)
    table = comparison_table(comparison, "2015-16", "2016-17")
    assert table.select("Indicator", "2015-16", "2016-17").rows() == [("Children in care", 1, 4)]
    assert compare.unvalued_titles(comparison) == ["IROs in post (FTE)"]


def test_the_cohort_table_reads_as_text_with_a_dash_for_no_figure():
    # Issue 15: a cohort with no figure (UASC not recorded) showed "None" in the app's table.
    table = pl.DataFrame(
        {
            "indicator": ["children_in_care", "participation_pct"],
            "title": ["Children in care", "Child participation"],
            "unit": ["count", "pct"],
            "value_all": [1842.0, 95.04],
            "value_uasc": [None, None],
            "value_citizen": [1624.0, 94.96],
        }
    )
    shown = cohort_display_table(table)
    assert shown.columns == ["Indicator", "Unit", "All children", "UASC", "Citizen children"]
    assert shown.row(0) == ("Children in care", "number", "1,842", "–", "1,624")
    assert shown.row(1)[3:] == ("–", "95.0")  # 94.96 to one decimal


def test_the_comparison_reads_as_text_on_screen_with_a_dash_for_no_figure():
    # Issue 15: a period with no figure (2012-13's surveys, say) showed "None" in the app's table.
    frame_a = _indicator_frame([("children_in_care", 1814, None, None), ("participation_pct", None, None, None)])
    frame_b = _indicator_frame([("children_in_care", 1842, None, None), ("participation_pct", 95.04, 1001, 1053.2)])
    table = comparison_screen_table(compare_indicator_frames(frame_a, frame_b), "2012-13", "2013-14")
    assert table.columns == ["Indicator", "2012-13", "2013-14", "Change", "More than chance?", "Direction"]
    rows = {r["Indicator"]: r for r in table.iter_rows(named=True)}
    assert (rows["Children in care"]["2012-13"], rows["Children in care"]["2013-14"]) == ("1,814", "1,842")
    assert rows["Children in care"]["Change"] == "+28"
    assert (rows["Child participation"]["2012-13"], rows["Child participation"]["Change"]) == ("–", "–")
    assert rows["Child participation"]["2013-14"] == "95.0"


def _points_comparison() -> pl.DataFrame:
    # Three percentages: satisfied 1 of 2 -> 2 of 2 responses (50.0 -> 100.0, +50 points) on a base
    # of 2 responses; on time 97.0 -> 83.8 (-13.2 points, likely real) on 500
    # reviews; chaired 90.0 -> 95.0 (+5.0, within normal variation) on 200 reviews.
    return pl.DataFrame(
        {
            "indicator": ["satisfied", "on_time", "chaired"],
            "title": ["Satisfied", "Reviews on time", "Chaired"],
            "unit": ["pct", "pct", "pct"],
            "value_a": [50.0, 97.0, 90.0],
            "value_b": [100.0, 83.8, 95.0],
            "change": [50.0, -13.2, 5.0],
            "direction": ["improving", "declining", "improving"],
            "significance": [NORMAL_VARIATION, REAL_CHANGE, NORMAL_VARIATION],
            "denominator_a": [2.0, 500.0, 200.0],
            "denominator_b": [2.0, 520.0, 210.0],
        }
    )


def test_a_change_on_a_small_base_never_leads_and_shows_its_base():
    ranking = compare.change_ranking(_points_comparison())
    # Likely real first (on time), then the biggest move on a base of 20 or more (chaired, 5 points);
    # satisfied moved most (50 points) but on 2 responses, so it comes last, with its base.
    assert ranking.select("title", "base", "small_base").rows() == [
        ("Reviews on time", 500.0, False),
        ("Chaired", 200.0, False),
        ("Satisfied", 2.0, True),
    ]
    spec = changes.change_dumbbell(ranking, "A", "B").to_dict()
    labels = [r["label"] for r in next(iter(spec["datasets"].values()))]
    assert labels[2] == "50.0 → 100.0, +50.0 points ↑, within normal variation (base 2)"


def test_two_periods_summary_leads_with_significance_then_size():
    ranking = compare.change_ranking(_points_comparison())
    assert compare.two_periods_summary(ranking, "2014-15", "2015-16") == (
        "Of 3 percentages and rates, 1 changed by more than chance from 2014-15 to 2015-16; the biggest: "
        "reviews on time, 97.0 → 83.8 (−13.2 points, likely real)."
    )
    # Only the small base left: it may lead, but says its base.
    small = compare.change_ranking(_points_comparison().filter(pl.col("indicator") == "satisfied"))
    assert compare.two_periods_summary(small, "A", "B") == (
        "Of 1 percentages and rates, none changed by more than chance from A to B; the biggest move: "
        "satisfied, 50.0 → 100.0 (+50.0 points, within normal variation) on a base of 2."
    )
