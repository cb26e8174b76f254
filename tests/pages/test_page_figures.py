"""The page view functions on a tiny hand-built dataset, every expected number worked out by hand.

The dataset covers 2013-14. Three children are looked after (a fourth has only a short break,
which every indicator leaves out):
- C1, boy born 1 June 2005, White British, East Kent, in care since January 2012 (full care order);
- C2, girl born 2010, East Kent, in care 1 May to 30 November 2013 (returned home, E4A);
- C3, boy born 1 January 1997, Black African, UASC in West Kent, in care from 15 August 2013
  (section 20), the IRO service told 15 days later (late).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iro_metrics.briefing import MARKER
from iro_metrics.briefing.figures import indicator_figures
from iro_metrics.indicators import compute_indicators, indicator_trend
from iro_metrics.pages.about import definitions
from iro_metrics.pages.areas import areas_figures, where_performance_slips
from iro_metrics.pages.challenge import category_level_table, challenge_figures
from iro_metrics.pages.children import children_figures
from iro_metrics.pages.childrens_views import childrens_views_figures
from iro_metrics.pages.common import available_quarters, available_years, catalogue, trend
from iro_metrics.pages.overview import overview_figures
from iro_metrics.pages.quality import charted_item_ranges, item_ranges_table, quality_figures
from iro_metrics.pages.reviews import reviews_figures
from iro_metrics.periods import financial_year
from iro_metrics.selection import Selection
from tests.builders import make_dataset

EAST, WEST = "East Kent", "West Kent"


@pytest.fixture
def ds():
    return _dataset()


@pytest.fixture
def ds_again():
    """The same dataset loaded apart: nothing worked out yet."""
    return _dataset()


def _dataset():
    return make_dataset(
        children=[
            {"child_id": "C1", "sex": "1", "date_of_birth": date(2005, 6, 1), "ethnicity": "WBRI"},
            {"child_id": "C2", "sex": "2", "date_of_birth": date(2010, 1, 1)},
            {"child_id": "C3", "sex": "1", "date_of_birth": date(1997, 1, 1), "ethnicity": "BAFR", "is_uasc": True},
            {"child_id": "C4"},
        ],
        episodes=[
            {"child_id": "C1", "start_date": date(2012, 1, 10)},
            {
                "child_id": "C2",
                "start_date": date(2013, 5, 1),
                "end_date": date(2013, 11, 30),
                "reason_ceased": "E4A",
                "iro_notified_date": date(2013, 5, 2),
            },
            {
                "child_id": "C3",
                "start_date": date(2013, 8, 15),
                "area": WEST,
                "uasc": True,
                "legal_status": "V2",
                "iro_notified_date": date(2013, 8, 30),
            },
            {"child_id": "C4", "start_date": date(2013, 6, 1), "area": WEST, "legal_status": "V3"},
        ],
        reviews=[
            {"child_id": "C1", "review_date": date(2013, 5, 10)},
            {"child_id": "C1", "review_date": date(2013, 11, 8), "participation_code": "PN7", "child_chaired": "full"},
            {"child_id": "C2", "review_date": date(2013, 5, 28), "participation_code": "PN0"},
            {
                "child_id": "C3",
                "review_date": date(2013, 9, 10),
                "area": WEST,
                "uasc": True,
                "child_chaired": "part",
                "minutes_issued_date": date(2013, 9, 12),
            },
            {"child_id": "C3", "review_date": date(2014, 3, 10), "area": WEST, "uasc": True, "chaired_by": "other"},
        ],
        qa_grades=[
            {"audit_date": date(2014, 2, 1), "grade": "good"},
            {"audit_date": date(2014, 3, 1), "grade": "inadequate", "area": WEST, "uasc": True},
            {"audit_date": date(2014, 3, 1), "item": "pledge", "grade": "outstanding", "area": WEST, "uasc": True},
        ],
        disputes=[
            {"child_id": "C1", "raised_date": date(2014, 1, 15), "route": "formal", "highest_level": 2},
            {
                "child_id": "C3",
                "raised_date": date(2014, 2, 1),
                "route": "informal",
                "category": "health",
                "area": WEST,
                "uasc": True,
            },
        ],
        iro_staffing=[
            {"month_end": date(2013, 12, 31), "team": "A", "fte_establishment": 2.0, "fte_in_post": 1.0},
            {"month_end": date(2014, 3, 31), "team": "A", "fte_establishment": 2.0, "fte_in_post": 1.0},
        ],
        survey_responses=[
            {"response_id": "S1", "response_date": date(2014, 1, 5), "question": "iro_helpful", "answer": "yes"},
            {"response_id": "S2", "response_date": date(2014, 1, 6), "question": "iro_helpful", "answer": "no"},
            {"response_id": "S2", "response_date": date(2014, 1, 6), "question": "knows_pledge", "answer": "yes"},
        ],
    )


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return frame.select(columns).rows()


def test_years_and_quarters_come_from_the_data(ds) -> None:
    assert [p.label for p in available_years(ds)] == ["2013-14"]
    assert [p.label for p in available_quarters(ds, financial_year(2013))] == [f"2013-14-Q{q}" for q in (1, 2, 3, 4)]


def test_children_view(ds) -> None:
    view = children_figures(Selection.of(ds, "2013-14-Q4"))
    assert view.value("children_in_care") == 2  # C1 and C3 on 31 March 2014; C4's short break left out
    assert view.display("children_in_care") == "2"
    assert view.value("children_starting_care") == 0
    assert view.value("caseload_per_establishment_fte") == 1.0  # 2 children / 2 FTE
    assert view.value("caseload_per_fte_in_post") == 2.0  # 2 children / 1 FTE
    # Children in care at each quarter end, citizen and UASC.
    assert rows(view.in_care_trend, "period", "cohort", "value") == [
        ("2013-14-Q1", "Citizen children", 2.0),  # C1, C2
        ("2013-14-Q1", "UASC", 0.0),
        ("2013-14-Q2", "Citizen children", 2.0),
        ("2013-14-Q2", "UASC", 1.0),  # C3 from 15 August
        ("2013-14-Q3", "Citizen children", 1.0),  # C2 left on 30 November
        ("2013-14-Q3", "UASC", 1.0),
        ("2013-14-Q4", "Citizen children", 1.0),
        ("2013-14-Q4", "UASC", 1.0),
    ]
    flows = view.flows_trend
    assert rows(flows.filter(pl.col("indicator") == "children_starting_care"), "period", "value") == [
        ("2013-14-Q1", 1.0),
        ("2013-14-Q2", 1.0),
        ("2013-14-Q3", 0.0),
        ("2013-14-Q4", 0.0),
    ]
    assert rows(flows.filter(pl.col("indicator") == "children_ceasing_care"), "period", "value") == [
        ("2013-14-Q1", 0.0),
        ("2013-14-Q2", 0.0),
        ("2013-14-Q3", 1.0),
        ("2013-14-Q4", 0.0),
    ]
    ages = dict(rows(view.breakdowns["age_band"], "group", "count"))
    assert ages == {"Under 1": 0, "1-4": 0, "5-9": 1, "10-15": 0, "16-17": 1, "18 and over": 0}  # 8 and 17
    assert dict(rows(view.breakdowns["sex"], "group", "count")) == {"Male": 2, "Female": 0}
    ethnicity = dict(rows(view.breakdowns["ethnicity_group"], "group", "pct"))
    assert ethnicity["White"] == 50.0 and ethnicity["Black"] == 50.0
    legal = dict(rows(view.breakdowns["legal_status"], "group", "count"))
    assert legal["Full care order"] == 1 and legal["Section 20 (voluntary)"] == 1
    caseloads = view.caseload_trend.filter(pl.col("indicator") == "caseload_per_fte_in_post")
    assert rows(caseloads, "period", "value") == [
        ("2013-14-Q1", None),  # no staffing record before December 2013
        ("2013-14-Q2", None),
        ("2013-14-Q3", 2.0),
        ("2013-14-Q4", 2.0),
    ]
    assert view.caseload_guideline == 70.0
    assert view.has_data is True


def test_a_selection_without_children_has_no_data(ds) -> None:
    # West Kent's only citizen child had short breaks, which are left out.
    view = children_figures(Selection.of(ds, "2013-14", [WEST], "citizen"))
    assert view.has_data is False
    assert view.value("children_in_care") == 0
    assert reviews_figures(Selection.of(ds, "2013-14", [WEST], "citizen")).has_data is False
    assert overview_figures(Selection.of(ds, "2013-14", [WEST], "citizen")).has_data is False


def test_reviews_view(ds) -> None:
    view = reviews_figures(Selection.of(ds, "2013-14"))
    assert view.value("reviews_held") == 5
    assert view.value("reviews_chaired_by_iro_pct") == 80.0  # 4 of 5
    assert view.value("participation_pct") == 75.0  # PN1 x3 of PN1-PN7 x4 (the PN0 review left out)
    assert view.display("participation_pct") == "75.0%"
    assert view.value("child_chaired_full") == 1
    assert view.value("child_chaired_part") == 1
    assert view.value("minutes_on_time_pct") == 20.0  # one of five reviews had minutes within 15 days
    mix = dict(rows(view.participation_mix, "code", "count"))
    assert (mix["PN0"], mix["PN1"], mix["PN7"]) == (1, 3, 1)
    # A year's trend is by year; a quarter's by quarter.
    assert rows(view.child_chaired_trend, "period", "how", "value") == [
        ("2013-14", "Chaired in full", 1.0),
        ("2013-14", "Chaired part", 1.0),
    ]
    quarterly = reviews_figures(Selection.of(ds, "2013-14-Q4"))
    chaired = quarterly.child_chaired_trend.filter(pl.col("value") > 0)
    assert rows(chaired, "period", "how", "value") == [
        ("2013-14-Q2", "Chaired part", 1.0),  # C3, September
        ("2013-14-Q3", "Chaired in full", 1.0),  # C1, November
    ]


def test_quality_view(ds) -> None:
    view = quality_figures(Selection.of(ds, "2013-14-Q4"))
    assert view.value("qa_care_plan_adequate_pct") == 50.0  # good and inadequate
    assert view.value("qa_care_plan_good_pct") == 50.0
    assert view.value("qa_pledge_good_pct") == 100.0
    assert view.value("qa_sw_report_adequate_pct") is None  # nothing graded
    care_plan = view.item_ranges.filter(pl.col("item") == "care_plan")
    assert rows(care_plan, "council", "range_min", "min_area", "range_max", "max_area") == [
        (50.0, 0.0, WEST, 100.0, EAST)
    ]
    mix = view.grade_mix.filter(pl.col("item") == "care_plan")
    counts = dict(zip(mix["grade"].cast(pl.String), mix["count"], strict=True))
    assert counts["good"] == 1 and counts["inadequate"] == 1 and counts["outstanding"] == 0
    trend = view.trend.filter(pl.col("item") == "care_plan", pl.col("period") == "2013-14-Q4")
    assert rows(trend.sort("measure"), "measure", "value") == [("Adequate or better", 50.0), ("Good or better", 50.0)]
    assert view.has_data is True
    assert quality_figures(Selection.of(ds, "2013-14-Q3")).has_data is False


def test_quality_items_table_names_the_lowest_and_highest_areas(ds) -> None:
    view = quality_figures(Selection.of(ds, "2013-14-Q4"))
    table = item_ranges_table(view.item_ranges)
    assert table.columns == ["Item", "Council %", "Lowest area %", "Lowest area", "Highest area %", "Highest area"]
    care_plan = table.filter(pl.col("Item") == "Care plan").row(0)
    assert care_plan == ("Care plan", 50.0, 0.0, WEST, 100.0, EAST)
    # Only the items graded this quarter are charted: the care plan and the Pledge.
    assert sorted(charted_item_ranges(view.item_ranges)["item"]) == ["care_plan", "pledge"]


def test_quality_items_table_leaves_out_ranges_nobody_may_see() -> None:
    # As an area-restricted viewer's view arrives: ranges blanked so that no other area is named.
    blanked = pl.DataFrame(
        {
            "indicator": ["qa_care_plan_adequate_pct", "qa_pledge_adequate_pct"],
            "item": ["care_plan", "pledge"],
            "council": [50.0, None],
            "range_min": [None, None],
            "range_max": [None, None],
            "min_area": [None, None],
            "max_area": [None, None],
        },
        schema_overrides={c: pl.Float64 for c in ("council", "range_min", "range_max")}
        | {c: pl.String for c in ("min_area", "max_area")},
    )
    assert charted_item_ranges(blanked).height == 0
    table = item_ranges_table(blanked)
    assert table.columns == ["Item", "Council %"]
    assert table.rows() == [("Care plan", 50.0), ("The Pledge", None)]


def test_challenge_view(ds) -> None:
    view = challenge_figures(Selection.of(ds, "2013-14"))
    assert view.value("late_notifications") == 1  # C3: told 11 working days after 15 August
    assert view.value("late_notifications_pct") == 50.0  # of the two children starting care
    assert view.value("disputes_formal") == 1
    assert view.value("disputes_informal") == 1
    table = view.category_table
    assert table.columns[0] == "Category" and table.columns[-1] == "Total"
    care_plan = table.filter(pl.col("Category") == "Care plan / pathway plan").row(0, named=True)
    assert care_plan["Level 2: Service manager"] == 1 and care_plan["Total"] == 1
    assert table["Total"].sum() == 1  # informal challenges have no level
    assert table.height == 19
    disputes = view.disputes_trend
    assert rows(disputes, "period", "route", "value") == [("2013-14", "Formal", 1.0), ("2013-14", "Informal", 1.0)]
    quarterly = challenge_figures(Selection.of(ds, "2013-14-Q4")).disputes_trend
    assert rows(quarterly.filter(pl.col("period") == "2013-14-Q4"), "route", "value") == [
        ("Formal", 1.0),
        ("Informal", 1.0),
    ]
    assert view.has_formal is True
    assert challenge_figures(Selection.of(ds, "2013-14-Q1")).has_formal is False


def test_category_level_table_fills_every_category_and_level() -> None:
    grid = pl.DataFrame({"category": ["health", "health", "other"], "level": [1, 5, 3], "count": [2, 1, 4]})
    table = category_level_table(grid)
    assert table.height == 19 and table.width == 7
    health = table.filter(pl.col("Category") == "Health").row(0)
    assert health == ("Health", 2, 0, 0, 0, 1, 3)
    assert table.row(table.height - 1) == ("Other issues", 0, 0, 4, 0, 0, 4)


def test_views_view(ds) -> None:
    view = childrens_views_figures(Selection.of(ds, "2013-14-Q4"))
    assert view.surveys == {"consultation": "Consultation questionnaire"}
    assert view.value("survey_consultation_responses") == 2
    answers = view.trend.filter(pl.col("period") == "2013-14-Q4")
    assert rows(answers, "question", "value", "numerator", "denominator", "responses") == [
        ("iro_helpful", 50.0, 1.0, 2.0, 2.0),
        ("knows_pledge", 100.0, 1.0, 1.0, 2.0),
    ]
    assert answers["question_label"].to_list() == ["Found their IRO helpful", "Knows what the Pledge is"]
    assert rows(view.responses_trend, "period", "value") == [
        ("2013-14-Q1", 0.0),
        ("2013-14-Q2", 0.0),
        ("2013-14-Q3", 0.0),
        ("2013-14-Q4", 2.0),
    ]
    assert view.has_responses is True
    assert childrens_views_figures(Selection.of(ds, "2013-14-Q3")).has_responses is False
    # The card's count for the selected period: 2 responses in Q4, none in Q3.
    assert view.period_responses == {"consultation": 2}
    assert childrens_views_figures(Selection.of(ds, "2013-14-Q3")).period_responses == {"consultation": 0}


def test_areas_view(ds) -> None:
    view = areas_figures(Selection.of(ds, "2013-14-Q4"))
    table = view.table
    assert table.columns == ["indicator", "Indicator", EAST, WEST, "Council"]
    in_care = table.filter(pl.col("indicator") == "children_in_care").row(0, named=True)
    assert (in_care[EAST], in_care[WEST], in_care["Council"]) == (1.0, 1.0, 2.0)
    display = view.display_table.filter(pl.col("indicator") == "qa_care_plan_adequate_pct").row(0)
    assert display[2:] == ("100.0%", "0.0%", "50.0%")
    # West Kent graded its one care plan inadequate: 0% is below the floor, a slip by the rule ...
    council = compute_indicators(Selection.of(ds, "2013-14-Q4"))
    rule = where_performance_slips(view.by_area.drop("selected"), council, catalogue(ds))
    west_care_plan = rule.filter(pl.col("indicator") == "qa_care_plan_adequate_pct")
    assert rows(west_care_plan, "area", "rating", "display", "council_display") == [(WEST, "poor", "0.0%", "50.0%")]
    assert set(rule["indicator"]).isdisjoint({"children_in_care", "reviews_overdue", "disputes_formal"})
    # ... but on a base of 1 West Kent's paper prints c, so the page does not list it (issue 23 item 2):
    # it lists only slips whose figure the area's paper prints.
    west_paper = indicator_figures(Selection.of(ds, "2013-14-Q4", [WEST])).filter(pl.col("measure") == "value")
    printed = dict(zip(west_paper["indicator"].to_list(), west_paper["shown"].to_list(), strict=True))
    assert printed["qa_care_plan_adequate_pct"] == MARKER
    slips = view.slips
    assert slips.filter(pl.col("indicator") == "qa_care_plan_adequate_pct").is_empty()
    assert all(printed.get(i) not in (None, MARKER) for i in slips.filter(pl.col("area") == WEST)["indicator"])
    assert slips["rating"].to_list() == sorted(slips["rating"].to_list(), key=lambda r: r != "poor")


def test_overview_view(ds) -> None:
    view = overview_figures(Selection.of(ds, "2013-14-Q4"))
    card = view.scorecard
    in_care = card.filter(pl.col("indicator") == "children_in_care").row(0, named=True)
    assert in_care["value"] == 2 and in_care["display"] == "2"
    assert in_care["previous_period"] == "2013-14-Q3" and in_care["previous_value"] == 2
    assert in_care["previous_change_text"] == "0" and in_care["direction_vs_previous"] == "unchanged"
    assert in_care["last_year_value"] is None and in_care["last_year_change_text"] == "–"
    formal = card.filter(pl.col("indicator") == "disputes_formal").row(0, named=True)
    assert formal["change_vs_previous"] == 1 and formal["previous_change_text"] == "+1"
    assert set(view.trend["indicator"]) == set(card["indicator"])


def test_trends_are_worked_out_once_per_areas_and_cohort(ds) -> None:
    children_figures(Selection.of(ds, "2013-14-Q4"))
    memo = ds.memo.trends
    keys = set(memo)
    # Another quarter of the same areas and cohort reuses every trend.
    children_figures(Selection.of(ds, "2013-14-Q2"))
    assert set(memo) == keys
    # Other areas need their own.
    children_figures(Selection.of(ds, "2013-14-Q2", [EAST]))
    assert len(memo) > len(keys)


def test_a_remembered_trend_gains_indicators_as_pages_ask_for_them(ds, ds_again) -> None:
    selection = Selection.of(ds, "2013-14-Q4")
    first = trend(selection, ["reviews_held", "children_in_care"])  # catalogue order, not the asked order
    assert first["indicator"].unique(maintain_order=True).to_list() == ["children_in_care", "reviews_held"]
    everything = trend(selection)  # the rest worked out and merged in period, then catalogue, order
    fresh = indicator_trend(Selection.of(ds_again, "2013-14-Q4"))
    assert everything.equals(fresh)
    assert trend(selection, ["reviews_held", "children_in_care"]).equals(first)


def test_the_areas_page_is_worked_out_once_per_period_and_cohort(ds, ds_again) -> None:
    whole = areas_figures(Selection.of(ds, "2013-14-Q4"))
    kept = len(ds.memo.every_area)
    west = areas_figures(Selection.of(ds, "2013-14-Q4", [WEST]))  # another choice of areas: nothing new
    assert len(ds.memo.every_area) == kept
    fresh = areas_figures(Selection.of(ds_again, "2013-14-Q4", [WEST]))
    for name in ("figures", "by_area", "table", "display_table", "slips"):
        assert getattr(west, name).equals(getattr(fresh, name)), name
    assert (west.selected_areas, west.areas, west.marks_selected) == ([WEST], [EAST, WEST], True)
    # Every slip of this two-area dataset is on a base of 1 or 2, withheld by the papers (issue 23 item 2).
    assert west.slips.is_empty() and whole.slips.is_empty()
    assert not whole.marks_selected


def test_definitions_cover_the_datasets_indicators(ds) -> None:
    table = definitions(ds)
    ids = table["indicator"].to_list()
    assert ids[0] == "children_in_care"
    assert "survey_consultation_iro_helpful_yes_pct" in ids
    assert table["definition"].str.len_chars().min() > 20
    caseload = table.filter(pl.col("indicator") == "caseload_per_establishment_fte").row(0, named=True)
    assert caseload["target"] == 70.0 and "Lower is better" in caseload["judged"]


def test_a_page_s_cards_read_each_indicator_s_first_row():
    # Issue 27: the cards' questions (value, display, not recorded, base, scope) are answered from
    # the rows read once, not a filter each; the answers are the frame's, the first row of a
    # repeated indicator, and None for one the frame does not hold.
    from iro_metrics.pages.common import PageFigures

    frame = pl.DataFrame(
        {
            "indicator": ["a", "b", "a"],
            "value": [80.5, None, 1.0],
            "display": ["80.5%", "Not recorded", "1"],
            "not_recorded": [None, "Import the IRO staffing table", None],
            "base": ["n = 3", None, None],
            "scope": [None, "whole service", None],
        }
    )
    view = PageFigures(period=financial_year(2013), figures=frame, has_data=True)
    assert (view.value("a"), view.display("a"), view.base("a"), view.not_recorded("a")) == (
        80.5,
        "80.5%",
        "n = 3",
        None,
    )
    assert (view.value("b"), view.display("b"), view.scope("b")) == (None, "Not recorded", "whole service")
    assert view.not_recorded("b") == "Import the IRO staffing table"
    assert view.has("a") and view.has("b") and not view.has("c")
    assert (view.value("c"), view.display("c"), view.base("c")) == (None, "–", None)
    bare = PageFigures(period=financial_year(2013), figures=frame.select("indicator", "value"), has_data=True)
    assert (bare.value("a"), bare.base("a"), bare.display("a")) == (80.5, None, "–")
