"""Honest figures (issue 13): short-break reviews left out, child-centred IRO contact, and
"not recorded is not zero", each worked out by hand and checked in all three engines.

The dataset, 2023-24 Q4 (1 January to 31 March 2024):
  K1: only short breaks (V3); review R1 on 1 Feb 2024 is left out (every episode a short break).
  K2: a C2 episode (3 Apr 2023 to 8 Jan 2024), then a V3 short break (15 Jan to 20 Feb 2024);
      review R2 on 5 Feb 2024 falls inside the short break and is left out.
  K3: C2 from Mon 18 Dec 2023, North, citizen. Review R3 on 15 Jan 2024 (PN1), its first: due 20
      working days after 18 Dec (25, 26 Dec and 1 Jan skipped) = 18 Jan: on time. Its IRO contact
      on 10 Feb 2024 was recorded against South and as UASC: it still counts (child-centred).
  K4: C1 from 1 Nov 2023, South, citizen. Review R4 on 1 Mar 2024 (PN7): its first, due 29 Nov
      2023: late. No IRO contact.
Reviews held: R3, R4 = 2 (4 without the short-break rule). Participation: PN1-PN6 of PN1-PN7 =
R3 of R3, R4 = 50% (R1, R2 are PN1: 75% without the rule). On time 1 of 2. Audit A1 of R3: audit
rate 1 / 2 = 50%. Formal dispute D1 (K3): 100 * 1 / 2 = 50 per 100 reviews. In care at 31 March:
K3, K4; contact K3: 50% (North citizen: K3 only, 100%; South: K4, 0%).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iro_metrics.__main__ import main
from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.indicators import (
    children_in_care_by,
    compute_indicators,
    indicator_trend,
    indicators_by_area,
    oversight,
    participation_mix,
)
from iro_metrics.indicators.recorded import not_recorded
from iro_metrics.indicators.workload import caseload_is_whole_service, caseload_scope
from iro_metrics.pages.areas import areas_figures
from iro_metrics.pages.children import children_figures
from iro_metrics.pages.overview import overview_figures
from iro_metrics.pages.quality import quality_figures
from iro_metrics.pages.reviews import reviews_figures
from iro_metrics.periods import add_working_days
from iro_metrics.selection import Selection
from tests.builders import frame
from tools.bench import duckdb_baseline, pandas_baseline
from tools.bench.common import BenchSelection

D = date
Q4 = "2023-24-Q4"


def _tables() -> dict[str, pl.DataFrame]:
    episodes = [
        {
            "child_id": "K1",
            "start_date": D(2023, 10, 1),
            "end_date": D(2023, 10, 3),
            "legal_status": "V3",
            "reason_ceased": "E4A",
            "area": "South",
        },
        {
            "child_id": "K1",
            "start_date": D(2024, 1, 10),
            "end_date": D(2024, 1, 12),
            "legal_status": "V3",
            "reason_ceased": "E4A",
            "area": "South",
        },
        {
            "child_id": "K2",
            "start_date": D(2023, 4, 3),
            "end_date": D(2024, 1, 8),
            "legal_status": "C2",
            "reason_ceased": "E4A",
            "area": "North",
            "iro_notified_date": D(2023, 4, 3),
        },
        {
            "child_id": "K2",
            "start_date": D(2024, 1, 15),
            "end_date": D(2024, 2, 20),
            "legal_status": "V3",
            "reason_ceased": "E4A",
            "area": "North",
        },
        {
            "child_id": "K3",
            "start_date": D(2023, 12, 18),
            "legal_status": "C2",
            "area": "North",
            "iro_notified_date": D(2023, 12, 18),
        },
        {
            "child_id": "K4",
            "start_date": D(2023, 11, 1),
            "legal_status": "C1",
            "area": "South",
            "iro_notified_date": D(2023, 11, 1),
        },
    ]
    reviews = [
        {"review_id": "R1", "child_id": "K1", "review_date": D(2024, 2, 1), "area": "South"},
        {"review_id": "R2", "child_id": "K2", "review_date": D(2024, 2, 5), "area": "North"},
        {
            "review_id": "R3",
            "child_id": "K3",
            "review_date": D(2024, 1, 15),
            "area": "North",
            "minutes_issued_date": D(2024, 1, 20),
        },
        {
            "review_id": "R4",
            "child_id": "K4",
            "review_date": D(2024, 3, 1),
            "area": "South",
            "participation_code": "PN7",
            "minutes_issued_date": D(2024, 3, 5),
        },
    ]
    tables = {
        "episodes": frame("episodes", episodes),
        "children": frame("children", [{"child_id": c} for c in ("K1", "K2", "K3", "K4")]),
        "reviews": frame("reviews", reviews),
        "qa_grades": frame(
            "qa_grades", [{"audit_id": "A1", "review_id": "R3", "audit_date": D(2024, 1, 20), "area": "North"}]
        ),
        "disputes": frame(
            "disputes", [{"child_id": "K3", "raised_date": D(2024, 2, 1), "route": "formal", "area": "North"}]
        ),
        "iro_contacts": frame(
            "iro_contacts", [{"child_id": "K3", "contact_date": D(2024, 2, 10), "area": "South", "uasc": True}]
        ),
        "iro_staffing": frame(
            "iro_staffing", [{"month_end": D(2024, 3, 31), "team": "T", "fte_establishment": 1.0, "fte_in_post": 1.0}]
        ),
        "survey_responses": frame(
            "survey_responses",
            [
                {
                    "response_id": "S1",
                    "response_date": D(2024, 2, 1),
                    "question": "understands_care_plan",
                    "answer": "yes",
                    "area": "North",
                }
            ],
        ),
    }
    return tables


META = {"local_authority": "Hand-worked", "synthetic": True, "first_day": D(2023, 4, 1), "last_day": D(2024, 3, 31)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("honest") / "dataset"
    write_dataset(_tables(), META, out)
    return out


def _engines(folder: Path, period: str, areas: list[str] | None, cohort: str) -> dict[str, dict]:
    sel = BenchSelection.of(period, areas, cohort)
    frames = {
        "ours": compute_indicators(Selection.of(load_dataset(folder), period, areas, cohort)),
        "pandas": pandas_baseline.compute(pandas_baseline.load(folder), sel),
        "duckdb": duckdb_baseline.compute(duckdb_baseline.load(folder), sel),
    }
    return {name: dict(zip(f["indicator"], f["value"], strict=True)) for name, f in frames.items()}


def _check(results: dict[str, dict], expected: dict[str, float | None]) -> None:
    for engine, values in results.items():
        for indicator, want in expected.items():
            got = values[indicator]
            if want is None:
                assert got is None, f"{engine}: {indicator} should be not recorded, got {got}"
            else:
                assert got == pytest.approx(want), f"{engine}: {indicator} = {got}, expected {want}"


def test_the_due_dates_in_the_docstring() -> None:
    assert add_working_days(D(2023, 12, 18), 20) == D(2024, 1, 18)
    assert add_working_days(D(2023, 11, 1), 20) == D(2023, 11, 29)


def test_short_break_reviews_are_left_out_of_every_review_figure(folder: Path) -> None:
    _check(
        _engines(folder, Q4, None, "all"),
        {
            "reviews_held": 2,
            "participation_pct": 50.0,
            "participation_in_person_pct": 50.0,
            "reviews_on_time_pct": 50.0,
            "reviews_chaired_by_iro_pct": 100.0,
            "minutes_on_time_pct": 100.0,
            "qa_audit_rate_pct": 50.0,
            "disputes_formal_per_100_reviews": 50.0,
            "children_in_care": 2,
        },
    )


def test_iro_contact_is_child_centred(folder: Path) -> None:
    _check(_engines(folder, Q4, None, "all"), {"iro_contact_pct": 50.0})
    # The contact row says South and UASC; the child is North and a citizen child at 31 March.
    _check(_engines(folder, Q4, ["North"], "citizen"), {"iro_contact_pct": 100.0})
    by_area = indicators_by_area(Selection.of(load_dataset(folder), Q4)).filter(
        pl.col("indicator") == "iro_contact_pct"
    )
    assert dict(zip(by_area["area"], by_area["value"], strict=True)) == {"North": 100.0, "South": 0.0}


def _variant(tmp_path: Path, meta: dict | None = None, **changes: pl.DataFrame | None) -> Path:
    tables = _tables()
    for name, table in changes.items():
        if table is None:
            tables.pop(name)
        else:
            tables[name] = table
    out = tmp_path / "variant"
    write_dataset(tables, {**META, **(meta or {})}, out)
    return out


# This small council predates issue 25's sources: it holds no IRO allocations, no contact types,
# no first set dates and no agency FTE, so those eight figures are not recorded throughout (the
# disputes and first-review figures it can give). The tests below are about other sources.
ISSUE_25_NOT_HELD = frozenset(
    (*oversight.CONTACT_TYPE_IDS, *oversight.RESCHEDULED_IDS, *oversight.AGENCY_IDS, *oversight.ALLOCATION_IDS)
)


def _others(missing: dict) -> dict:
    """The not-recorded figures other than issue 25's (which this council never holds)."""
    assert set(missing) >= ISSUE_25_NOT_HELD
    return {i: m for i, m in missing.items() if i not in ISSUE_25_NOT_HELD}


def test_reviews_without_chairing_records_are_not_recorded_not_100(tmp_path: Path) -> None:
    reviews = _tables()["reviews"]
    for variant in (reviews.drop("chaired_by"), reviews.with_columns(chaired_by=pl.lit(None, pl.String))):
        folder = _variant(tmp_path, reviews=variant)
        _check(_engines(folder, Q4, None, "all"), {"reviews_chaired_by_iro_pct": None, "reviews_held": 2})
        missing = _others(not_recorded(load_dataset(folder)))
        assert list(missing) == ["reviews_chaired_by_iro_pct"]
        assert "review-details template" in missing["reviews_chaired_by_iro_pct"].remedy


def test_optional_columns_absent_are_not_recorded(tmp_path: Path) -> None:
    reviews = _tables()["reviews"].drop("child_chaired", "minutes_issued_date")
    episodes = _tables()["episodes"].with_columns(iro_notified_date=pl.lit(None, pl.Date))  # held, but all empty
    folder = _variant(tmp_path, reviews=reviews, episodes=episodes)
    expected = dict.fromkeys(
        [
            "child_chaired_full",
            "child_chaired_part",
            "minutes_on_time_pct",
            "late_notifications",
            "late_notifications_pct",
        ]
    )
    _check(_engines(folder, Q4, None, "all"), {**expected, "reviews_held": 2})
    assert set(_others(not_recorded(load_dataset(folder)))) == set(expected)


def test_absent_tables_are_not_recorded_and_present_empty_ones_count_zero(tmp_path: Path) -> None:
    folder = _variant(
        tmp_path, qa_grades=None, iro_contacts=None, survey_responses=None, disputes=frame("disputes", [])
    )
    _check(
        _engines(folder, Q4, None, "all"),
        {
            "qa_audit_rate_pct": None,
            "qa_care_plan_adequate_pct": None,
            "iro_contact_pct": None,
            "disputes_formal": 0,
            "disputes_formal_per_100_reviews": 0.0,
        },
    )
    missing = not_recorded(load_dataset(folder))
    assert "disputes_formal" not in missing
    assert {"qa_audit_rate_pct", "qa_pledge_good_pct", "iro_contact_pct", "survey_carer_responses"} <= set(missing)
    assert "survey-responses template" in missing["survey_carer_responses"].remedy


def test_without_the_uasc_table_the_uasc_and_citizen_cohorts_are_not_recorded(tmp_path: Path) -> None:
    folder = _variant(tmp_path, meta={"uasc_recorded": False})
    for cohort in ("uasc", "citizen"):
        results = _engines(folder, Q4, None, cohort)
        for engine, values in results.items():
            assert all(v is None for v in values.values()), engine
    _check(_engines(folder, Q4, None, "all"), {"children_in_care": 2, "reviews_held": 2})
    ds = load_dataset(folder)
    assert set(not_recorded(ds, cohort="uasc")) == set(compute_indicators(Selection.of(ds, Q4))["indicator"])
    assert _others(not_recorded(ds, cohort="all")) == {}
    # The breakdowns say nothing rather than 0: the cohorts, and the all-children split into them.
    assert participation_mix(Selection.of(ds, Q4, None, "uasc"))["count"].null_count() == 8
    assert children_in_care_by(Selection.of(ds, Q4), "cohort")["count"].to_list() == [None, None]
    assert children_in_care_by(Selection.of(ds, Q4), "sex")["count"].to_list() == [2, 0]  # the total is still recorded
    note = children_figures(Selection.of(ds, Q4)).uasc_split_not_recorded
    assert "import the 903 UASC table" in note
    assert children_figures(Selection.of(load_dataset(SHIPPED), "2013-14-Q4")).uasc_split_not_recorded is None


def test_no_staffing_for_the_period_leaves_caseloads_without_a_value(tmp_path: Path) -> None:
    staffing = frame(
        "iro_staffing", [{"month_end": D(2024, 4, 30), "team": "T", "fte_establishment": 1.0, "fte_in_post": 1.0}]
    )
    folder = _variant(tmp_path, iro_staffing=staffing)
    _check(_engines(folder, Q4, None, "all"), {"caseload_per_establishment_fte": None, "iro_fte_in_post": None})
    ds = load_dataset(folder)
    missing = _others(not_recorded(ds, period_end=D(2024, 3, 31)))
    assert set(missing) == {
        "iro_fte_establishment",
        "iro_fte_in_post",
        "caseload_per_establishment_fte",
        "caseload_per_fte_in_post",
    }
    assert _others(not_recorded(ds, period_end=D(2024, 4, 30))) == {}


def test_the_command_line_prints_not_recorded_values_empty_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = _variant(tmp_path, reviews=_tables()["reviews"].drop("chaired_by"))
    status = main(["indicators", "--data", str(folder), "--period", Q4])
    out, err = capsys.readouterr()
    assert status == 0
    assert "reviews_chaired_by_iro_pct,,," in out.splitlines()
    assert "reviews_held,2,2," in out.splitlines()
    assert "reviews_chaired_by_iro_pct: Not recorded: the dataset does not record who chaired each review" in err
    assert "import the review-details template (CHAIRED_BY)" in err


def test_a_page_says_not_recorded_and_what_to_import(tmp_path: Path) -> None:
    folder = _variant(tmp_path, reviews=_tables()["reviews"].drop("chaired_by"))
    view = reviews_figures(Selection.of(load_dataset(folder), Q4))
    assert view.display("reviews_chaired_by_iro_pct") == "Not recorded"
    assert view.value("reviews_chaired_by_iro_pct") is None
    assert "import the review-details template" in view.not_recorded("reviews_chaired_by_iro_pct")
    assert view.not_recorded("reviews_held") is None
    # Participation is 1 of 2 reviews: a percentage on a small base shows it.
    assert view.display("participation_pct") == "50.0%" and view.base("participation_pct") == "n = 2"
    assert view.base("reviews_held") is None


SHIPPED = Path(__file__).resolve().parents[2] / "data"


def test_the_areas_page_council_figure_is_the_whole_council() -> None:
    # /areas?year=2013-14&quarter=Q4&area=North+Kent: the council's late notification rate is
    # 32 of 158 = 20.3% over 1,842 children in care, not North Kent's 6 of 25 = 24.0%.
    ds = load_dataset(SHIPPED)
    view = areas_figures(Selection.of(ds, "2013-14-Q4", ["North Kent"]))
    assert view.display("late_notifications_pct") == "20.3%"
    assert view.value("children_in_care") == 1842
    late = view.by_area.filter(pl.col("indicator") == "late_notifications_pct")
    assert late.height == 7  # every area stays, the chosen one highlighted
    assert late.filter("selected")["area"].to_list() == ["North Kent"]
    assert late.filter(pl.col("area") == "North Kent")["display"].item() == "24.0%"
    table = view.table.filter(pl.col("indicator") == "children_in_care").row(0, named=True)
    assert table["Council"] == 1842 and table["North Kent"] == 307
    slips = view.slips.filter(pl.col("indicator") == "late_notifications_pct")
    assert set(slips["council_display"]) == {"20.3%"}
    assert slips.filter(pl.col("area") == "North Kent")["selected"].item() is True
    # The Quality page: the range runs across every area; the council is Kent's 916 / 1135 = 80.7%.
    ranges = quality_figures(Selection.of(ds, "2013-14-Q4", ["North Kent"])).item_ranges
    care_plan = ranges.filter(pl.col("item") == "care_plan").row(0, named=True)
    assert round(care_plan["council"], 1) == 80.7 and care_plan["areas_with_value"] == 7
    assert care_plan["min_area"] != care_plan["max_area"]


def test_an_area_shows_its_iro_teams_caseload_or_says_whole_service(tmp_path: Path) -> None:
    # North is served by the North team (2 FTE established, 1 in post at 31 March 2024); South is
    # not mapped. In care at 31 March: K3 (North), K4 (South).
    staffing = frame(
        "iro_staffing",
        [
            {"month_end": D(2024, 3, 31), "team": "North team", "fte_establishment": 2.0, "fte_in_post": 1.0},
            {"month_end": D(2024, 3, 31), "team": "Other team", "fte_establishment": 3.0, "fte_in_post": 3.0},
        ],
    )
    teams = frame("area_teams", [{"area": "North", "team": "North team"}])
    folder = _variant(tmp_path, iro_staffing=staffing, area_teams=teams)
    # North: its team's 1 child / 2 FTE = 0.5, and 1 / 1 in post; every cohort of the team's areas.
    _check(
        _engines(folder, Q4, ["North"], "citizen"),
        {"caseload_per_establishment_fte": 0.5, "caseload_per_fte_in_post": 1.0, "iro_fte_establishment": 2.0},
    )
    # South has no team: the whole service's 2 children / 5 FTE = 0.4.
    _check(_engines(folder, Q4, ["South"], "all"), {"caseload_per_establishment_fte": 0.4})
    _check(_engines(folder, Q4, None, "all"), {"caseload_per_establishment_fte": 0.4, "iro_fte_in_post": 4.0})
    ds = load_dataset(folder)
    by_area = indicators_by_area(Selection.of(ds, Q4)).filter(pl.col("indicator") == "caseload_per_establishment_fte")
    assert dict(zip(by_area["area"], by_area["value"], strict=True)) == {"North": 0.5, "South": 0.4}
    assert caseload_scope(ds, ["North"]) == "North team" and caseload_scope(ds, ["South"]) == "whole service"
    assert caseload_is_whole_service(ds, ["South"]) and not caseload_is_whole_service(ds, ["North"])
    assert not caseload_is_whole_service(ds, None)  # the council's own figure is the whole service's
    # The cards and the Overview say what the figure covers; a whole-service caseload is not rated
    # for an area.
    assert children_figures(Selection.of(ds, Q4, ["North"])).scope("caseload_per_establishment_fte") == "North team"
    assert children_figures(Selection.of(ds, Q4, ["South"])).scope("caseload_per_establishment_fte") == "whole service"
    assert children_figures(Selection.of(ds, Q4, ["South"])).scope("children_in_care") is None
    card = overview_figures(Selection.of(ds, Q4, ["South"])).scorecard
    caseload = card.filter(pl.col("indicator") == "caseload_per_establishment_fte").row(0, named=True)
    assert caseload["scope"] == "whole service" and caseload["rag"] is None
    council_card = overview_figures(Selection.of(ds, Q4)).scorecard
    assert council_card.filter(pl.col("indicator") == "caseload_per_establishment_fte")["rag"].item() == "good"


def test_the_shipped_small_surveys_vary_from_quarter_to_quarter() -> None:
    # Before: 6 carers at 83.3% and 3 parents at 66.7% in every quarter a report did not cover.
    trend = indicator_trend(
        Selection.of(load_dataset(SHIPPED), "2014-15-Q4"),
        indicators=["survey_carer_responses", "survey_parent_responses", "survey_carer_iro_helpful_yes_pct"],
    ).filter(pl.col("period_start") < D(2015, 4, 1))
    for indicator, at_least in (
        ("survey_carer_responses", 4),
        ("survey_parent_responses", 4),
        ("survey_carer_iro_helpful_yes_pct", 4),
    ):
        values = trend.filter(pl.col("indicator") == indicator)["value"].drop_nulls()
        assert values.n_unique() >= at_least, (indicator, values.to_list())
    # The published volumes stay exactly as the reports give them.
    year = compute_indicators(Selection.of(load_dataset(SHIPPED), "2015-16"))
    published = dict(zip(year["indicator"], year["value"], strict=True))
    assert (published["survey_carer_responses"], published["survey_parent_responses"]) == (3, 0)
    assert published["survey_leaving_care_responses"] == 30


def test_the_areas_page_says_not_recorded_in_every_column(tmp_path: Path) -> None:
    folder = _variant(tmp_path, reviews=_tables()["reviews"].drop("chaired_by"))
    view = areas_figures(Selection.of(load_dataset(folder), Q4, ["North"]))
    row = view.display_table.filter(pl.col("indicator") == "reviews_chaired_by_iro_pct").row(0, named=True)
    assert (row["North"], row["South"], row["Council"]) == ("Not recorded", "Not recorded", "Not recorded")
    held = view.display_table.filter(pl.col("indicator") == "reviews_held").row(0, named=True)
    assert (held["North"], held["South"], held["Council"]) == ("1", "1", "2")


def test_the_pages_say_what_the_figures_cover(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("IRO_DATASET", raising=False)
    app = str(Path(__file__).resolve().parents[2] / "app.py")

    def open_page(page: str, query: dict) -> AppTest:
        at = AppTest.from_file(app, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    query = {"year": "2013-14", "quarter": "Q4", "area": ["North Kent"], "indicator": "Late notification rate"}
    captions = [c.value for c in open_page("pages/areas.py", query).caption]
    assert any("the whole council's figure, 20.3%" in c and "(selected)" in c for c in captions), captions
    # East Kent's caseload is its IRO team's, and the card says so.
    captions = [c.value for c in open_page("pages/children.py", {**query, "area": ["East Kent"]}).caption]
    assert "Covers: East and South Kent IRO team" in captions
    no_area = {k: v for k, v in query.items() if k != "area"}
    captions = [c.value for c in open_page("pages/children.py", no_area).caption]
    assert "Covers: whole service" in captions


def test_the_short_break_reviews_left_out_are_counted(folder: Path) -> None:
    from iro_metrics.indicators.recorded import short_break_reviews_left_out

    assert short_break_reviews_left_out(load_dataset(folder)) == 2  # R1 and R2
    assert short_break_reviews_left_out(load_dataset(SHIPPED)) == 0


def test_the_overview_cards_say_not_recorded_and_the_small_base(tmp_path: Path, monkeypatch) -> None:
    # Without QA grades the Overview's care-plan card is "Not recorded" (with what to import) and
    # unrated, never "–" and "Not rated"; participation is 1 of 2 reviews (R3 of R3, R4): n = 2.
    folder = _variant(tmp_path, qa_grades=None)
    card = overview_figures(Selection.of(load_dataset(folder), Q4)).scorecard
    care_plan = card.filter(pl.col("indicator") == "qa_care_plan_adequate_pct").row(0, named=True)
    assert care_plan["display"] == "Not recorded" and care_plan["rag"] is None
    assert "import the QA-grades template" in care_plan["not_recorded"]
    participation = card.filter(pl.col("indicator") == "participation_pct").row(0, named=True)
    assert (participation["display"], participation["base"], participation["not_recorded"]) == ("50.0%", "n = 2", None)
    held = card.filter(pl.col("indicator") == "reviews_held").row(0, named=True)
    assert (held["display"], held["base"], held["not_recorded"]) == ("2", None, None)

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("IRO_DATASET", str(folder))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=60)
    at.query_params["year"], at.query_params["quarter"] = "2023-24", "Q4"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(m.value for m in at.markdown)
    assert "Not recorded: the dataset has no QA audit grades" in shown
    assert "Small base: n = 2" in shown
    assert [m.value for m in at.metric if m.label == "Care plan: adequate or better"] == ["Not recorded"]
