"""Every indicator on the small council of tests/builders.py, with answers worked out by hand.

The reasoning for each expected value is in the comments beside the rows in builders.py and here.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iro_metrics.indicators import (
    area_ranges,
    children_in_care_by,
    compute_indicators,
    disputes_by_category_level,
    indicator_ids,
    indicator_trend,
    indicators_by_area,
    participation_mix,
    qa_grade_mix,
)
from iro_metrics.selection import Selection, SelectionError
from tests.builders import make_dataset, small_council

Q4 = "2013-14-Q4"


@pytest.fixture(scope="module")
def council():
    return small_council()


def values(frame: pl.DataFrame) -> dict[str, float | None]:
    return dict(frame.select("indicator", "value").iter_rows())


def fractions(frame: pl.DataFrame) -> dict[str, tuple[float | None, float | None]]:
    return {i: (n, d) for i, _, n, d in frame.select("indicator", "value", "numerator", "denominator").iter_rows()}


def test_whole_council_quarter(council):
    got = values(compute_indicators(Selection.of(council, Q4)))
    expected = {
        # In care at the end of 31 March 2014: c1, c2, c6, c7. c5 left that day, c3 went home on
        # 20 March, c4 has short breaks only.
        "children_in_care": 4,
        # S episodes starting Jan-Mar 2014: c2, c3, c6 (c4's V3 episode is left out; c2's L is not S).
        "children_starting_care": 3,
        # c3 (E4A) and c5 (E8); c2's X1 is a change of episode, not leaving care.
        "children_ceasing_care": 2,
        # Staffing at the latest month end on or before 31 March: 1.5 + 0.5 and 1.0 + 0.5.
        "iro_fte_establishment": 2.0,
        "iro_fte_in_post": 1.5,
        "caseload_per_establishment_fte": 4 / 2.0,
        "caseload_per_fte_in_post": 4 / 1.5,
        "reviews_held": 3,
        "reviews_chaired_by_iro_pct": 100 * 2 / 3,
        # c1's third review (31 Mar) was due 1 Apr (1 Oct + 6 months): on time. c2's first was due
        # 20 working days after Mon 6 Jan = Mon 3 Feb, held 4 Feb: a day late. c3's first was due 20
        # working days after Fri 14 Feb = Fri 14 Mar, held that day: on time.
        "reviews_on_time_pct": 100 * 2 / 3,
        # c7 came into care Mon 2 Dec 2013; 20 working days on, skipping 25, 26 Dec and 1 Jan, is
        # 2 Jan 2014, and no review was held. c6's first (due 31 Mar) is not yet overdue on 31 Mar.
        "reviews_overdue": 1,
        # PN1 (c1) and PN7 (c2) count; PN0 (c3, under 4) is left out.
        "participation_pct": 50.0,
        "participation_in_person_pct": 50.0,
        "child_chaired_full": 1,
        "child_chaired_part": 1,
        # c1's minutes on 23 Apr = 15 working days after 31 Mar (Easter skipped): on time; c2 has none;
        # c3's came 6 days after.
        "minutes_on_time_pct": 100 * 2 / 3,
        "qa_audit_rate_pct": 100.0,
        # c2 notified 2 working days after (late); c3 Fri -> Mon is 1 working day (on time); c6 never.
        "late_notifications": 2,
        "late_notifications_pct": 100 * 2 / 3,
        "disputes_formal": 2,
        "disputes_informal": 1,
        "disputes_formal_per_100_reviews": 100 * 2 / 3,
        "disputes_informal_per_100_reviews": 100 * 1 / 3,
        "disputes_resolved_at_level_1_pct": 50.0,
        # Care plans graded good, inadequate and requires improvement.
        "qa_care_plan_adequate_pct": 100 * 2 / 3,
        "qa_care_plan_good_pct": 100 * 1 / 3,
        "qa_sw_report_adequate_pct": 0.0,
        "qa_pledge_adequate_pct": 100.0,
        "qa_pledge_good_pct": 100.0,
        # Nothing graded: a zero denominator has no value.
        "qa_permanence_adequate_pct": None,
        # c1 and c7 of the four in care were contacted in the quarter (c2's contact was in December).
        "iro_contact_pct": 50.0,
        "survey_consultation_responses": 2,
        "survey_leaving_care_responses": 1,
        "survey_exit_interview_responses": 0,
        "survey_consultation_understands_care_plan_yes_pct": 50.0,
        "survey_consultation_knows_pledge_yes_pct": 0.0,
        "survey_leaving_care_iro_helpful_yes_pct": 100.0,
    }
    for indicator, value in expected.items():
        assert got[indicator] == pytest.approx(value) if value is not None else got[indicator] is None, indicator


def test_every_indicator_has_one_row_in_catalogue_order(council):
    frame = compute_indicators(Selection.of(council, Q4))
    assert frame.columns == ["indicator", "value", "numerator", "denominator"]
    assert frame["indicator"].to_list() == indicator_ids(council)
    assert frame["indicator"].n_unique() == frame.height
    spec_ids = {
        "children_in_care", "children_starting_care", "children_ceasing_care", "iro_fte_establishment",
        "iro_fte_in_post", "caseload_per_establishment_fte", "caseload_per_fte_in_post", "reviews_held",
        "reviews_chaired_by_iro_pct", "reviews_on_time_pct", "reviews_overdue", "participation_pct",
        "participation_in_person_pct", "child_chaired_full", "child_chaired_part", "minutes_on_time_pct",
        "qa_audit_rate_pct", "late_notifications", "late_notifications_pct", "disputes_formal",
        "disputes_informal", "disputes_formal_per_100_reviews", "disputes_informal_per_100_reviews",
        "disputes_resolved_at_level_1_pct", "iro_contact_pct",
    }  # fmt: skip
    assert spec_ids <= set(frame["indicator"])


def test_numerators_and_denominators(council):
    got = fractions(compute_indicators(Selection.of(council, Q4)))
    assert got["reviews_on_time_pct"] == (2, 3)
    assert got["participation_pct"] == (1, 2)
    assert got["late_notifications_pct"] == (2, 3)
    assert got["caseload_per_establishment_fte"] == (4, 2.0)
    assert got["children_in_care"] == (4, None)
    assert got["qa_permanence_adequate_pct"] == (0, 0)


def test_uasc_cohort(council):
    got = values(compute_indicators(Selection.of(council, Q4, None, "uasc")))
    assert got["children_in_care"] == 1  # c2
    assert got["children_starting_care"] == 1
    assert got["reviews_held"] == 1
    assert got["reviews_on_time_pct"] == 0.0
    assert got["participation_pct"] == 0.0  # PN7
    assert got["late_notifications_pct"] == 100.0
    assert got["disputes_formal"] == 1
    assert got["disputes_resolved_at_level_1_pct"] == 0.0
    assert got["iro_contact_pct"] == 0.0  # c2's only contact was in December
    # Caseloads are whole-service figures whatever the cohort.
    assert got["caseload_per_establishment_fte"] == 2.0


def test_citizen_cohort(council):
    got = values(compute_indicators(Selection.of(council, Q4, None, "citizen")))
    assert got["children_in_care"] == 3  # c1, c6, c7
    assert got["children_starting_care"] == 2  # c3, c6
    assert got["children_ceasing_care"] == 2
    assert got["reviews_held"] == 2
    assert got["reviews_on_time_pct"] == 100.0
    assert got["participation_pct"] == 100.0  # PN1 counts; PN0 is left out
    assert got["late_notifications_pct"] == 50.0  # c6 of c3 and c6


def test_area_with_no_uasc_and_zero_denominators(council):
    north = values(compute_indicators(Selection.of(council, Q4, ["North Kent"])))
    assert north["children_in_care"] == 0
    assert north["children_starting_care"] == 1
    assert north["reviews_held"] == 1
    assert north["participation_pct"] is None  # only a PN0 review: nothing to divide by
    assert north["iro_contact_pct"] is None  # nobody in care at the end of the quarter
    assert north["disputes_resolved_at_level_1_pct"] is None
    north_uasc = values(compute_indicators(Selection.of(council, Q4, ["North Kent"], "uasc")))
    assert north_uasc["children_in_care"] == 0
    assert north_uasc["reviews_held"] == 0
    assert north_uasc["reviews_on_time_pct"] is None
    assert north_uasc["late_notifications_pct"] is None


def test_year(council):
    got = values(compute_indicators(Selection.of(council, "2013-14")))
    assert got["reviews_held"] == 5
    # c1's first (1 Jul, due 1 Jul: 20 working days after Mon 3 Jun) and second (1 Oct = 1 Jul + 3
    # months) were on time too.
    assert got["reviews_on_time_pct"] == pytest.approx(80.0)
    # c1's October minutes (30 Oct) came after 22 Oct, 15 working days after 1 Oct.
    assert got["minutes_on_time_pct"] == pytest.approx(60.0)
    assert got["disputes_formal"] == 3
    assert got["children_in_care"] == 4  # a point indicator: at the year's last day


def test_trend_matches_single_periods(council):
    trend = indicator_trend(Selection.of(council, Q4))
    assert trend["period"].unique(maintain_order=True).to_list() == [
        "2013-14-Q1", "2013-14-Q2", "2013-14-Q3", "2013-14-Q4",
    ]  # fmt: skip
    in_care = trend.filter(pl.col("indicator") == "children_in_care")["value"].to_list()
    assert in_care == [2, 2, 3, 4]  # c1+c5; c1+c5; c1+c5+c7; c1+c2+c6+c7
    held = trend.filter(pl.col("indicator") == "reviews_held")["value"].to_list()
    assert held == [0, 1, 1, 3]
    # c5 (in care since May 2012, never reviewed) is overdue at every quarter end until she leaves
    # on 31 March 2014; by then c7 (due 2 Jan 2014) is.
    overdue = trend.filter(pl.col("indicator") == "reviews_overdue")["value"].to_list()
    assert overdue == [1, 1, 1, 1]
    # The trend keeps each period's indicator set for compute_indicators to reuse ...
    remembered = dict(council.memo.indicator_sets)
    for quarter in trend["period"].unique().to_list():
        one = trend.filter(pl.col("period") == quarter).select("indicator", "value", "numerator", "denominator")
        assert remembered[(quarter, None, "all")].equals(one), quarter
        # ... and each is what the period computed on its own gives.
        council.memo.indicator_sets.clear()
        assert one.equals(compute_indicators(Selection.of(council, quarter))), quarter


def test_by_area_matches_single_area_selections(council):
    by_area = indicators_by_area(Selection.of(council, Q4))
    for area in ("East Kent", "North Kent"):
        one = by_area.filter(pl.col("area") == area).drop("area")
        assert one.equals(compute_indicators(Selection.of(council, Q4, [area]))), area
    on_time = dict(by_area.filter(pl.col("indicator") == "reviews_on_time_pct").select("area", "value").iter_rows())
    assert on_time == {"East Kent": 50.0, "North Kent": 100.0}


def test_area_ranges(council):
    ranges = (
        area_ranges(Selection.of(council, Q4)).filter(pl.col("indicator") == "reviews_on_time_pct").row(0, named=True)
    )
    assert (ranges["range_min"], ranges["min_area"]) == (50.0, "East Kent")
    assert (ranges["range_max"], ranges["max_area"]) == (100.0, "North Kent")
    # North has no participation figure (only a PN0 review), so only East gives a range.
    participation = (
        area_ranges(Selection.of(council, Q4)).filter(pl.col("indicator") == "participation_pct").row(0, named=True)
    )
    assert participation["areas_with_value"] == 1


def test_children_in_care_breakdowns(council):
    ages = dict(children_in_care_by(Selection.of(council, Q4), "age_band").select("group", "count").iter_rows())
    # On 31 March 2014: c1 is 10, c2 16, c6 0 and c7 5 (her 6th birthday is on 1 April).
    assert ages == {"Under 1": 1, "1-4": 0, "5-9": 1, "10-15": 1, "16-17": 1, "18 and over": 0}
    sexes = dict(children_in_care_by(Selection.of(council, Q4), "sex").select("group", "count").iter_rows())
    assert sexes == {"Male": 2, "Female": 2}
    groups = children_in_care_by(Selection.of(council, Q4), "ethnicity_group")
    assert dict(groups.select("group", "count").iter_rows()) == {
        "White": 1, "Mixed": 0, "Asian": 1, "Black": 1, "Other": 1, "Not known": 0,
    }  # fmt: skip
    assert groups["pct"].to_list()[:1] == [25.0]
    cohorts = dict(children_in_care_by(Selection.of(council, Q4), "cohort").select("group", "count").iter_rows())
    assert cohorts == {"Citizen children": 3, "UASC": 1}


def test_dispute_grid_and_mixes(council):
    grid = disputes_by_category_level(Selection.of(council, Q4))
    assert grid.height == 19 * 5
    nonzero = grid.filter(pl.col("count") > 0).select("category", "level", "count").rows()
    assert sorted(nonzero) == [("care_plan", 1, 1), ("health", 2, 1)]
    mix = dict(participation_mix(Selection.of(council, Q4)).select("code", "count").iter_rows())
    assert mix["PN0"] == 1 and mix["PN1"] == 1 and mix["PN7"] == 1 and mix["PN3"] == 0
    grades = qa_grade_mix(Selection.of(council, Q4)).filter(pl.col("item") == "care_plan")
    assert dict(grades.select("grade", "count").iter_rows()) == {
        "outstanding": 0, "good": 1, "requires_improvement": 1, "inadequate": 1,
    }  # fmt: skip


def test_missing_optional_data_is_not_recorded():
    from tests.builders import small_council_tables

    tables = small_council_tables()
    ds = small_council(
        missing=("disputes", "iro_staffing"),
        missing_columns={"reviews": ("child_chaired",), "episodes": ("iro_notified_date",)},
        disputes=[],
        iro_staffing=[],
    )
    del tables
    got = values(compute_indicators(Selection.of(ds, Q4)))
    for indicator in (
        "disputes_formal", "disputes_resolved_at_level_1_pct", "iro_fte_establishment",
        "caseload_per_establishment_fte", "child_chaired_full", "late_notifications", "late_notifications_pct",
    ):  # fmt: skip
        assert got[indicator] is None, indicator
    assert got["children_in_care"] == 4


def test_bad_selections_are_explained(council):
    with pytest.raises(SelectionError, match="no data for 2016-17-Q1"):
        compute_indicators(Selection.of(council, "2016-17-Q1"))
    with pytest.raises(SelectionError, match="not a period"):
        compute_indicators(Selection.of(council, "Q4 2014"))
    with pytest.raises(SelectionError, match="unknown area 'West Kent'"):
        compute_indicators(Selection.of(council, Q4, ["West Kent"]))
    with pytest.raises(SelectionError, match="unknown cohort 'asylum'"):
        compute_indicators(Selection.of(council, Q4, None, "asylum"))


def test_age_on_birthdays_across_the_year():
    from datetime import date

    from iro_metrics.indicators.breakdowns import age_band, age_on

    cases = [
        # (day, date of birth, age): birthdays in every part of the year, before, on and after.
        (date(2016, 3, 31), date(1998, 4, 1), 17),
        (date(2016, 3, 31), date(1998, 3, 31), 18),
        (date(2016, 3, 31), date(1998, 12, 25), 17),
        (date(2016, 12, 31), date(1998, 12, 31), 18),
        (date(2016, 12, 30), date(1998, 12, 31), 17),
        (date(2016, 11, 15), date(2000, 10, 20), 16),
        (date(2016, 2, 28), date(2012, 2, 29), 3),
        (date(2016, 2, 29), date(2012, 2, 29), 4),
    ]
    frame = pl.DataFrame({"day": [c[0] for c in cases], "dob": [c[1] for c in cases]}).with_columns(
        age=age_on(pl.col("day"), pl.col("dob"))
    )
    assert frame["age"].to_list() == [c[2] for c in cases]
    bands = frame.select(age_band(pl.col("age")).cast(pl.String).alias("band"))["band"].to_list()
    assert bands == ["16-17", "18 and over", "16-17", "18 and over", "16-17", "16-17", "1-4", "1-4"]


def test_by_area_sets_are_remembered_per_period_areas_and_cohort(council):
    # The Areas and Quality pages ask for every area's figures on every rerun: worked out once.
    first = indicators_by_area(Selection.of(council, Q4))
    assert indicators_by_area(Selection.of(council, Q4)) is first
    uasc = indicators_by_area(Selection.of(council, Q4, None, "uasc"))
    assert uasc is not first  # another cohort is its own set
    council.memo.by_area_sets.clear()
    again = indicators_by_area(Selection.of(council, Q4))
    assert again is not first and again.equals(first)
    # In care at 31 March 2014: c1, c2, c6 and c7, all in East Kent; North Kent's c3 went home and
    # c4 has short breaks only.
    in_care = again.filter(pl.col("indicator") == "children_in_care").sort("area")
    assert in_care.select("area", "value").rows() == [("East Kent", 4.0), ("North Kent", 0.0)]


@pytest.mark.parametrize("kind", ["quarter", "year"])
@pytest.mark.parametrize(
    ("areas", "cohort"), [((), "all"), (("East Kent",), "all"), ((), "uasc"), (("North Kent",), "citizen")]
)
def test_a_trend_of_some_indicators_is_the_full_trend_for_those(council, kind, areas, cohort):
    # Only the named indicators' plans run; each must give exactly what the full trend gives.
    selection = Selection.of(council, Q4, list(areas), cohort)
    full = indicator_trend(selection, kind=kind)
    for wanted in (
        ["children_in_care"],
        ["reviews_overdue", "caseload_per_establishment_fte", "late_notifications_pct"],
        ["qa_care_plan_adequate_pct", "reviews_held", "disputes_formal", "participation_pct"],
        [i for i in indicator_ids(council) if i.startswith("survey_")],
    ):
        some = indicator_trend(selection, kind=kind, indicators=wanted)
        assert some.height == full.height // len(indicator_ids(council)) * len(wanted), wanted
        assert some.equals(full.filter(pl.col("indicator").is_in(wanted))), wanted


def test_a_trend_of_no_indicator_is_empty(council):
    some = indicator_trend(Selection.of(council, Q4), indicators=[])
    assert some.is_empty()
    assert some.columns == ["period", "period_start", "indicator", "value", "numerator", "denominator"]


def test_named_indicators_are_the_full_sets_rows_and_only_theirs_are_worked_out(council):
    named = ["reviews_held", "children_in_care", "qa_audit_rate_pct"]
    for period, areas, cohort in (
        (Q4, None, "all"),
        ("2013-14", ["East Kent"], "uasc"),
        ("2013-14-Q2", None, "citizen"),
    ):
        selection = Selection.of(council, period, areas, cohort)
        council.memo.indicator_sets.clear()
        council.memo.indicator_parts.clear()
        part = compute_indicators(selection, named)
        assert not council.memo.indicator_sets  # the full set was not worked out
        assert part.get_column("indicator").to_list() == ["children_in_care", "reviews_held", "qa_audit_rate_pct"]
        # More named later: added to what is kept; the same rows as the full set, in spec order.
        more = compute_indicators(selection, [*named, "disputes_formal"])
        full = compute_indicators(selection)
        assert part.equals(full.filter(pl.col("indicator").is_in(named)))
        assert more.equals(full.filter(pl.col("indicator").is_in([*named, "disputes_formal"])))
    assert compute_indicators(Selection.of(council, Q4), []).is_empty()


def test_named_indicators_by_area_are_the_full_sets_rows(council):
    # The Quality page asks only its own indicators across areas: the same rows as the full set,
    # and a full set asked later is worked out whole, not taken from the part.
    named = ["qa_care_plan_adequate_pct", "reviews_held", "seen_before_review_pct", "iro_caseload_median"]
    for period, cohort in ((Q4, "all"), ("2013-14", "uasc")):
        selection = Selection.of(council, period, None, cohort)
        council.memo.by_area_sets.clear()
        part = indicators_by_area(selection, named)
        assert set(part.get_column("indicator").unique().to_list()) <= set(named)
        full = indicators_by_area(selection)
        assert full.get_column("indicator").n_unique() == len(indicator_ids(council))
        assert part.equals(full.filter(pl.col("indicator").is_in(named)))
        assert area_ranges(selection, named).equals(area_ranges(selection).filter(pl.col("indicator").is_in(named)))


def test_a_trend_of_named_indicators_keeps_each_periods_rows(council):
    council.memo.indicator_parts.clear()
    named = ["reviews_held", "reviews_overdue"]
    trend = indicator_trend(Selection.of(council, Q4), indicators=named)
    for quarter in trend["period"].unique().to_list():
        done, kept = council.memo.indicator_parts[(quarter, None, "all")]
        assert done == frozenset(named)
        council.memo.indicator_sets.clear()
        full = compute_indicators(Selection.of(council, quarter))
        assert kept.equals(full.filter(pl.col("indicator").is_in(named))), quarter


def test_a_breakdown_counts_each_child_once_whatever_the_tables_hold():
    # Issue 27: children are now counted by child_key and their details taken by position. Worked by
    # hand for 31 March 2014: a (C2, male, born 1 June 2005: 8) is in care on one episode; b has two
    # episodes open that day (an overlap a real return can hold) and counts once, by the later
    # one (E1); c has no row in the children table (sex not recorded); d is named twice there.
    d = date
    tables = dict(
        episodes=[
            dict(child_id="a", start_date=d(2013, 5, 1), legal_status="C2"),
            dict(child_id="b", start_date=d(2013, 4, 10), legal_status="C2"),
            dict(child_id="b", start_date=d(2013, 9, 1), legal_status="E1"),
            dict(child_id="c", start_date=d(2013, 6, 1), legal_status="V2"),
            dict(child_id="d", start_date=d(2013, 7, 1), legal_status="V2"),
        ],
        children=[
            dict(child_id="a", sex="1", date_of_birth=d(2005, 6, 1), ethnicity="WBRI"),
            dict(child_id="b", sex="2", date_of_birth=d(2010, 3, 31), ethnicity="WBRI"),
            dict(child_id="d", sex="2", date_of_birth=d(2012, 1, 1), ethnicity="WBRI"),
        ],
    )
    ds = make_dataset(**tables)
    legal = dict(children_in_care_by(Selection.of(ds, Q4), "legal_status").select("group", "count").iter_rows())
    assert (legal["Full care order"], legal["Placement or freeing order"], legal["Section 20 (voluntary)"]) == (1, 1, 2)
    assert sum(legal.values()) == 4
    sexes = dict(children_in_care_by(Selection.of(ds, Q4), "sex").select("group", "count").iter_rows())
    assert sexes == {"Male": 1, "Female": 2, "Not recorded": 1}
    # b turned 4 on 31 March 2014, d is 2, a 8.
    ages = dict(children_in_care_by(Selection.of(ds, Q4), "age_band").select("group", "count").iter_rows())
    assert (ages["1-4"], ages["5-9"]) == (2, 1)
    # d named twice in the children table (a source the importer would refuse): still one child.
    twice = make_dataset(**{**tables, "children": [*tables["children"], dict(child_id="d", sex="2")]})
    sexes_twice = dict(children_in_care_by(Selection.of(twice, Q4), "sex").select("group", "count").iter_rows())
    assert sexes_twice == {"Male": 1, "Female": 2, "Not recorded": 1}
