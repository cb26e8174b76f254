"""The oversight measures of issue 25 on a small council, every answer worked out by hand.

Working days are Monday to Friday less England and Wales bank holidays. Those that matter here:
Good Friday 29 March and Easter Monday 1 April 2024; 25, 26 December 2024 and 1 January 2025.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iro_metrics.codes import DISPUTE_AGE_BANDS
from iro_metrics.indicators import (
    compute_indicators,
    indicator_trend,
    iro_caseload_distribution,
    iro_caseload_table,
    open_disputes_by_age_level,
)
from iro_metrics.selection import Selection
from tests.builders import make_dataset

d = date
YEAR, Q3, Q4 = "2024-25", "2024-25-Q3", "2024-25-Q4"

EPISODES = [
    # f1, f2: start Mon 2 Dec 2024; their first review is due 20 working days later, on Thu 2 Jan
    # 2025 (3-6 Dec 4, 9-13 9, 16-20 14, 23-24 16, 27 17, 30-31 19, 2 Jan 20: Christmas and New
    # Year's Day skipped).
    dict(child_id="f1", start_date=d(2024, 12, 2)),
    dict(child_id="f2", start_date=d(2024, 12, 2)),
    # f3: in care before the data starts (1 April 2024; an episode opened by a placement change,
    # P), so none of its reviews here is a first review.
    dict(child_id="f3", start_date=d(2024, 3, 1), reason_new_episode="P"),
    # f5: starts 10 March 2025, no review yet.
    dict(child_id="f5", start_date=d(2025, 3, 10)),
    # f6: starts Mon 3 June 2024: first review due Mon 1 July (4-7 Jun 4, 10-14 9, 17-21 14,
    # 24-28 19, 1 Jul 20).
    dict(child_id="f6", start_date=d(2024, 6, 3)),
    # g1: in care 1 May 2024 to 1 Feb 2025.
    dict(child_id="g1", start_date=d(2024, 5, 1), end_date=d(2025, 2, 1), reason_ceased="E8"),
]

REVIEWS = [
    dict(child_id="f1", review_date=d(2025, 1, 2), first_set_date=d(2025, 1, 2)),  # first, on time
    dict(child_id="f2", review_date=d(2025, 1, 3), first_set_date=d(2024, 12, 20)),  # first, late; moved
    dict(child_id="f3", review_date=d(2024, 4, 22)),  # not a first review (care began before the data)
    dict(child_id="f3", review_date=d(2024, 10, 21)),
    dict(child_id="f6", review_date=d(2024, 7, 1)),  # first, on time (due 1 July)
    dict(child_id="f6", review_date=d(2024, 9, 30)),
]

CONTACTS = [
    # f1's review on Thu 2 Jan 2025: the 20 working days before it run from Mon 2 Dec 2024 (31, 30,
    # 27, 24, 23 Dec 5; 20-16 Dec 10; 13-9 Dec 15; 6-2 Dec 20), so a visit on 2 Dec counts.
    dict(child_id="f1", contact_date=d(2024, 12, 2), type="visit"),
    dict(child_id="f1", contact_date=d(2024, 11, 29), type="visit"),  # one day too early; f1 is seen anyway
    # f2: a visit on the review day itself does not count (before, exclusive), nor an "other".
    dict(child_id="f2", contact_date=d(2025, 1, 3), type="visit"),
    dict(child_id="f2", contact_date=d(2024, 12, 20), type="other"),
    # f3: a conversation a week before its April review; a midway contact between its two reviews.
    dict(child_id="f3", contact_date=d(2024, 4, 15), type="conversation"),
    dict(child_id="f3", contact_date=d(2024, 7, 15), type="midway"),
    # f6: a "midway" contact on the day of the second review is not between the two.
    dict(child_id="f6", contact_date=d(2024, 9, 30), type="midway"),
]

DISPUTES = [
    # raised Fri 20 Dec 2024: 20 working days on is Wed 22 Jan 2025 (23-24 Dec 2, 27 3, 30-31 5,
    # 2-3 Jan 7, 6-10 12, 13-17 17, 20-22 20). Ignoring the bank holidays it would be Fri 17 Jan.
    dict(child_id="f1", raised_date=d(2024, 12, 20), resolved_date=d(2025, 1, 22), route="formal"),  # on time
    dict(child_id="f2", raised_date=d(2024, 12, 20), resolved_date=d(2025, 1, 23), route="formal"),  # late
    # raised Fri 1 March 2024: due Tue 2 April 2024 (4-8 Mar 5, 11-15 10, 18-22 15, 25-28 19, Easter
    # skipped, 2 Apr 20), resolved 2 April: on time (and resolved in 2024-25).
    dict(child_id="f3", raised_date=d(2024, 3, 1), resolved_date=d(2024, 4, 2), route="formal"),
    # raised Sat 1 March 2025 (counted from Fri 28 Feb): due Fri 28 March, resolved Mon 31 March: late.
    dict(child_id="f6", raised_date=d(2025, 3, 1), resolved_date=d(2025, 3, 31), route="formal"),
    # open at 31 March 2025: raised Mon 3 March, due Mon 31 March (4-7 Mar 4, 10-14 9, 17-21 14,
    # 24-28 19, 31 20): not yet over 20 working days.
    dict(child_id="f5", raised_date=d(2025, 3, 3), route="formal"),
    # open: raised Mon 10 Feb, due Mon 10 March: over 20 working days by 31 March.
    dict(child_id="f6", raised_date=d(2025, 2, 10), route="formal"),
    # informal challenges are not disputes here
    dict(child_id="f1", raised_date=d(2025, 1, 6), route="informal"),
    dict(child_id="f2", raised_date=d(2025, 1, 6), resolved_date=d(2025, 1, 7), route="informal"),
]

STAFFING = [
    dict(month_end=d(2025, 2, 28), team="East", fte_establishment=10.0, fte_in_post=9.0, fte_agency=3.0),
    dict(month_end=d(2025, 3, 31), team="East", fte_establishment=10.0, fte_in_post=10.0, fte_agency=1.0),
    dict(month_end=d(2025, 3, 31), team="North", fte_establishment=6.0, fte_in_post=5.0, fte_agency=0.5),
    dict(month_end=d(2024, 12, 31), team="East", fte_establishment=10.0, fte_in_post=8.0, fte_agency=2.0),
]

IROS = [
    dict(iro_id="I1", team="East", fte=1.0, agency=False),
    dict(iro_id="I2", team="East", fte=0.025, agency=False),
    dict(iro_id="I3", team="North", fte=None, agency=True),  # no FTE: a caseload per head
    dict(iro_id="I4", team="North", fte=1.0, agency=False),
]

ALLOCATIONS = [
    dict(child_id="f1", iro_id="I1", start_date=d(2024, 12, 2)),
    dict(child_id="f2", iro_id="I1", start_date=d(2024, 12, 2)),
    # f3 changes IRO in January: I1 leaves the role for it
    dict(child_id="f3", iro_id="I1", start_date=d(2024, 3, 1), end_date=d(2025, 1, 15), change_reason="LEFTRL"),
    dict(child_id="f3", iro_id="I2", start_date=d(2025, 1, 15)),
    dict(child_id="f6", iro_id="I2", start_date=d(2024, 6, 3)),
    dict(child_id="f5", iro_id="I3", start_date=d(2025, 3, 10)),
    # g1 left care on 1 Feb 2025 but its allocation was never closed: I4 counts it until then.
    dict(child_id="g1", iro_id="I4", start_date=d(2024, 5, 1)),
]


def council(**overrides):
    tables = dict(
        episodes=EPISODES,
        reviews=REVIEWS,
        iro_contacts=CONTACTS,
        disputes=DISPUTES,
        iro_staffing=STAFFING,
        iros=IROS,
        iro_allocations=ALLOCATIONS,
    )
    missing = overrides.pop("missing", ())
    missing_columns = overrides.pop("missing_columns", None)
    tables.update(overrides)
    return make_dataset(
        first_day=d(2024, 4, 1), last_day=d(2025, 3, 31), missing=missing, missing_columns=missing_columns, **tables
    )


def figures(ds, period: str) -> dict[str, tuple[float | None, float | None, float | None]]:
    frame = compute_indicators(Selection.of(ds, period))
    return {i: (v, n, m) for i, v, n, m in frame.select("indicator", "value", "numerator", "denominator").iter_rows()}


@pytest.fixture(scope="module")
def year():
    return figures(council(), YEAR)


def test_formal_disputes_resolved_within_20_working_days_count_bank_holidays(year):
    # resolved in 2024-25: f3 (on time), f1 (on time), f2 (late), f6 (late): 2 of 4
    assert year["disputes_resolved_in_20wd_pct"] == (50.0, 2, 4)


def test_a_quarter_counts_the_disputes_resolved_in_it():
    # Q4 (Jan-Mar 2025): f1 on time, f2 late, f6 late
    value, numerator, denominator = figures(council(), Q4)["disputes_resolved_in_20wd_pct"]
    assert (numerator, denominator) == (1, 3)
    assert value == pytest.approx(100 / 3)


def test_open_disputes_at_the_year_end_and_those_over_20_working_days(year):
    # open at 31 March 2025: f5's (raised 3 March) and f6's (raised 10 Feb); only f6's is over
    assert year["disputes_open_at_end"][0] == 2
    assert year["disputes_open_over_20wd"][0] == 1


def test_first_reviews_on_time_leave_out_care_begun_before_the_data(year):
    # first reviews held: f1 (on time), f2 (late), f6 (on time); f3's are not first reviews
    assert year["first_reviews_on_time_pct"][1:] == (2, 3)
    assert year["first_reviews_on_time_pct"][0] == pytest.approx(200 / 3)


def test_seen_before_the_review(year):
    # six reviews held; seen in the 20 working days before: f1 (2 Jan) and f3 (22 April) only
    assert year["seen_before_review_pct"][1:] == (2, 6)


def test_midway_reviews(year):
    # reviews following an earlier review of the same period of care: f3's 21 Oct (a midway contact on
    # 15 July, between) and f6's 30 Sept (its midway contact is on the review day): 1 of 2
    assert year["midway_reviews_pct"] == (50.0, 1, 2)


def test_reviews_outside_every_period_of_care_follow_no_earlier_review():
    # g1 left care on 1 Feb 2025; two reviews recorded after that (10 Feb, 10 March) belong to no
    # period of care, so neither follows an earlier review "of the same period of care", even with
    # a midway contact between them (24 Feb): still f3's and f6's only, 1 of 2.
    reviews = [
        *REVIEWS,
        dict(child_id="g1", review_date=d(2025, 2, 10)),
        dict(child_id="g1", review_date=d(2025, 3, 10)),
    ]
    contacts = [*CONTACTS, dict(child_id="g1", contact_date=d(2025, 2, 24), type="midway")]
    got = figures(council(reviews=reviews, iro_contacts=contacts), YEAR)
    assert got["midway_reviews_pct"] == (50.0, 1, 2)
    assert got["seen_before_review_pct"][1:] == (2, 8)  # the two are still reviews held, neither seen


def test_reviews_rescheduled(year):
    # with a first set date: f1's (held as set) and f2's (set for 20 Dec, held 3 Jan): 1 of 2
    assert year["reviews_rescheduled_pct"] == (50.0, 1, 2)


def test_agency_share_of_fte_at_the_period_end(year):
    # 31 March 2025: (1.0 + 0.5) agency of (10.0 + 5.0) in post
    assert year["iro_agency_fte_pct"] == (pytest.approx(10.0), 1.5, 15.0)
    # 31 Dec 2024: 2.0 of 8.0
    assert figures(council(), Q3)["iro_agency_fte_pct"][0] == pytest.approx(25.0)


def test_caseloads_per_iro_at_the_year_end(year):
    # children in care at 31 March 2025 by IRO: I1 f1, f2 = 2 per 1.0 FTE; I2 f3, f6 = 2 per 0.025
    # FTE = 80; I3 f5 = 1 per head (no FTE); I4 only g1, who left care: 0. Median of 0, 1, 2, 80 = 1.5.
    assert year["iro_caseload_median"][0] == pytest.approx(1.5)
    assert year["iro_caseload_max"][0] == pytest.approx(80.0)
    assert year["iros_over_guideline"][0] == 1  # I2: 80 > 70


def test_caseloads_at_a_quarter_end_follow_allocations_spanning_it():
    # 31 Dec 2024: I1 f1, f2, f3 = 3; I2 f6 = 40; I4 g1 = 1 (still in care); I3 has nothing open yet.
    q3 = figures(council(), Q3)
    assert q3["iro_caseload_median"][0] == pytest.approx(3.0)
    assert q3["iro_caseload_max"][0] == pytest.approx(40.0)
    assert q3["iros_over_guideline"][0] == 0


def test_each_iros_caseload_is_kept_per_period_and_the_same_for_any_area_or_cohort():
    # Issue 27: a page asks for each IRO's caseload twice (the figures and the distribution), so it
    # is kept with the dataset per (kind, periods). Caseloads are whole-service: an area and cohort
    # asking get the same table; another period its own (the hand-worked figures above).
    ds = council()
    # Figures that do not need them never work them out (a workload trend asked for FTE only).
    compute_indicators(Selection.of(ds, YEAR), ["iro_fte_in_post", "iro_changes_pct"])
    indicator_trend(Selection.of(ds, Q3), indicators=["caseload_per_fte_in_post"])
    assert len(ds.memo.iro_caseloads) == 0
    assert iro_caseload_table(Selection.of(ds, YEAR))["Caseload"].to_list() == pytest.approx([80.0, 2.0, 1.0, 0.0])
    assert len(ds.memo.iro_caseloads) == 1
    again = iro_caseload_table(Selection.of(ds, YEAR, areas=ds.areas()[:1], cohort="uasc"))
    assert again["Caseload"].to_list() == pytest.approx([80.0, 2.0, 1.0, 0.0]) and len(ds.memo.iro_caseloads) == 1
    assert figures(ds, YEAR)["iro_caseload_max"][0] == pytest.approx(80.0)
    assert len(ds.memo.iro_caseloads) == 1  # the figures took the one kept
    q3 = figures(ds, Q3)
    assert (q3["iro_caseload_median"][0], q3["iro_caseload_max"][0]) == (pytest.approx(3.0), pytest.approx(40.0))
    assert len(ds.memo.iro_caseloads) == 2
    # A trend of every quarter is one more set; each quarter's figures read the same as alone.
    trend = indicator_trend(Selection.of(ds, Q3), indicators=["iro_caseload_max"])
    assert trend.filter(pl.col("period") == Q3)["value"].to_list() == pytest.approx([40.0])


def test_children_whose_iro_changed(year):
    # in care at 31 March 2025: f1, f2, f3, f5, f6; f3's IRO changed in January: 1 of 5
    assert year["iro_changes_pct"] == (20.0, 1, 5)


def test_each_measure_is_not_recorded_without_its_source():
    bare = council(
        missing=("disputes", "iro_allocations", "iros"),
        missing_columns={"iro_contacts": ("type",), "reviews": ("first_set_date",), "iro_staffing": ("fte_agency",)},
    )
    got = figures(bare, YEAR)
    for indicator in (
        "disputes_resolved_in_20wd_pct",
        "disputes_open_at_end",
        "disputes_open_over_20wd",
        "iro_agency_fte_pct",
        "iro_caseload_median",
        "iro_caseload_max",
        "iros_over_guideline",
        "iro_changes_pct",
        "seen_before_review_pct",
        "midway_reviews_pct",
        "reviews_rescheduled_pct",
    ):
        assert got[indicator][0] is None, indicator
    # first reviews need no optional source
    assert got["first_reviews_on_time_pct"][1:] == (2, 3)


def test_an_area_selection_counts_its_own_disputes_but_the_whole_service_caseloads():
    moved = [dict(row, area="North Kent") if row["child_id"] == "f6" else row for row in DISPUTES]
    episodes = [dict(row, area="North Kent") if row["child_id"] == "f6" else row for row in EPISODES]
    ds = council(disputes=moved, episodes=episodes)
    frame = compute_indicators(Selection.of(ds, YEAR, ["East Kent"]))
    got = {i: (v, n, m) for i, v, n, m in frame.select("indicator", "value", "numerator", "denominator").iter_rows()}
    # East Kent: resolved f3, f1 (on time), f2 (late); open f5 only, not over
    assert got["disputes_resolved_in_20wd_pct"][1:] == (2, 3)
    assert got["disputes_open_at_end"][0] == 1
    assert got["disputes_open_over_20wd"][0] == 0
    assert got["iro_caseload_max"][0] == pytest.approx(80.0)  # whole service


def test_no_iro_id_leaves_the_engine_in_an_indicator_frame(year):
    frame = compute_indicators(Selection.of(council(), YEAR))
    text = frame.select(pl.all().cast(pl.String)).to_pandas().to_string()
    assert "I1" not in text and "I2" not in text


def test_open_disputes_by_level_and_age_in_working_days():
    # An extra level 3 dispute raised Mon 2 Dec 2024, still open: its 40th working day after is Thu
    # 30 Jan 2025 (20th 2 Jan; 3 Jan 21, 6-10 26, 13-17 31, 20-24 36, 27-30 40): over 40 by 31 March.
    # f5's (3 March, level 1): 0-20. f6's (10 Feb, level 1): 20th working day 10 March, 40th 7 April:
    # 21-40.
    extra = dict(child_id="f1", raised_date=d(2024, 12, 2), route="formal", highest_level=3)
    table = open_disputes_by_age_level(Selection.of(council(disputes=[*DISPUTES, extra]), YEAR))
    assert table.height == 5 * 3  # every level x band
    nonzero = table.filter(pl.col("count") > 0).select("level", pl.col("age_band").cast(pl.String), "count").rows()
    assert nonzero == [(1, "0-20 working days", 1), (1, "21-40 working days", 1), (3, "over 40 working days", 1)]
    assert table.schema["age_band"] == pl.Enum(list(DISPUTE_AGE_BANDS))
    # Q3 (31 Dec 2024): the extra dispute's 20th working day is 2 Jan, so 0-20; f1's and f2's (raised
    # 20 Dec, resolved in January) are open and 0-20; the rest were resolved or not yet raised.
    q3 = open_disputes_by_age_level(Selection.of(council(disputes=[*DISPUTES, extra]), Q3))
    assert q3.filter(pl.col("count") > 0).select("level", pl.col("age_band").cast(pl.String), "count").rows() == [
        (1, "0-20 working days", 2),
        (3, "0-20 working days", 1),
    ]


def test_open_disputes_not_recorded_without_the_table():
    table = open_disputes_by_age_level(Selection.of(council(missing=("disputes",)), YEAR))
    assert table.height == 15 and table["count"].null_count() == 15


def test_caseload_distribution_has_no_iro_ids():
    table = iro_caseload_distribution(Selection.of(council(), YEAR))
    assert table.columns == ["caseload", "over_guideline"]
    assert table["caseload"].to_list() == pytest.approx([0.0, 1.0, 2.0, 80.0])
    assert table["over_guideline"].to_list() == [False, False, False, True]
    assert iro_caseload_distribution(Selection.of(council(missing=("iro_allocations",)), YEAR)).height == 0


def test_the_per_iro_table_for_the_importer_role_names_each_iro_largest_first():
    # As test_caseloads_per_iro_at_the_year_end: I2 2 children / 0.025 FTE = 80 (above 70); I1 2 / 1.0;
    # I3 1 per head (no FTE, agency); I4 0 (g1 left care). Ties of caseload would sort by IRO id.
    table = iro_caseload_table(Selection.of(council(), YEAR))
    assert table.columns == ["IRO", "Team", "FTE", "Agency", "Children", "Caseload", "Above guideline"]
    assert table.rows() == [
        ("I2", "East", 0.025, False, 2, pytest.approx(80.0), True),
        ("I1", "East", 1.0, False, 2, 2.0, False),
        ("I3", "North", None, True, 1, 1.0, False),
        ("I4", "North", 1.0, False, 0, 0.0, False),
    ]
    without_iros = iro_caseload_table(Selection.of(council(missing=("iros",)), YEAR))
    assert without_iros["Team"].null_count() == 4 and without_iros["Caseload"].to_list() == [2.0, 2.0, 1.0, 0.0]
    assert iro_caseload_table(Selection.of(council(missing=("iro_allocations",)), YEAR)).height == 0


def test_the_sentences_over_the_charts():
    from iro_metrics.pages.oversight_text import caseload_sentence, not_recorded_text, open_disputes_sentence

    extra = dict(child_id="f1", raised_date=d(2024, 12, 2), route="formal", highest_level=3)
    selection = Selection.of(council(disputes=[*DISPUTES, extra]), YEAR)
    assert open_disputes_sentence(open_disputes_by_age_level(selection), d(2025, 3, 31)) == (
        "At 31 March 2025, 3 formal disputes were open: 1 within 20 working days of being raised, "
        "1 at 21 to 40 and 1 over 40."
    )
    assert caseload_sentence(iro_caseload_distribution(selection), d(2025, 3, 31), 70.0) == (
        "At 31 March 2025, 4 IROs had an allocation open; the median caseload was 1.5 children per FTE "
        "and 1 was above the guideline of 70."
    )
    bare = council(missing=("disputes", "iro_allocations", "iros"))
    assert not_recorded_text(bare, ("iro_caseload_median",)).startswith("Not recorded: ")
    assert not_recorded_text(council(), ("iro_caseload_median",)) is None
    assert open_disputes_sentence(open_disputes_by_age_level(Selection.of(bare, YEAR)), d(2025, 3, 31)) is None
