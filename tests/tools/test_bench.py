"""The benchmark's engines: a hand-worked dataset, the generator, and the quick mode.

The pandas and DuckDB baselines are written from spec/indicators.md independently of
iro_metrics.indicators, so a small dataset worked out by hand checks all three engines, and
the generated datasets check that they agree with each other on several selections.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.indicators import compute_indicators
from iro_metrics.periods import add_working_days
from iro_metrics.selection import Selection
from tools.bench import duckdb_baseline, national, pandas_baseline
from tools.bench.common import BenchSelection
from tools.bench.run import EnginesDisagreeError, compare_results, run_bench

D = date


def _children() -> pl.DataFrame:
    rows = [
        ("C1", "1", D(2010, 5, 5), "WBRI", None, False),
        ("C2", "1", D(2007, 1, 9), "BAFR", None, True),
        ("C3", "2", D(2012, 3, 3), "WBRI", None, False),
        ("C4", "2", D(2014, 7, 7), "WBRI", None, False),
        ("C5", "1", D(2021, 6, 1), "MWBC", None, False),
        ("C6", "2", D(2011, 2, 2), "WIRI", None, False),
        ("C7", "1", D(2009, 9, 9), "WBRI", None, False),
    ]
    return pl.DataFrame(
        rows,
        schema={
            "child_id": pl.String,
            "sex": pl.String,
            "date_of_birth": pl.Date,
            "ethnicity": pl.String,
            "uasc_ceased": pl.Date,
            "is_uasc": pl.Boolean,
        },
        orient="row",
    )


def _episodes() -> pl.DataFrame:
    # child, start, end, rne, legal status, reason ceased, area, uasc, notified
    rows = [
        ("C1", D(2023, 12, 1), D(2024, 1, 15), "S", "C2", "X1", "North", False, D(2023, 12, 1)),
        ("C1", D(2024, 1, 15), None, "P", "C2", None, "North", False, None),
        ("C2", D(2023, 6, 1), None, "S", "C1", None, "North", True, D(2023, 6, 1)),
        ("C3", D(2022, 1, 10), None, "S", "V2", None, "South", False, D(2022, 1, 10)),
        ("C4", D(2024, 3, 1), None, "S", "V3", None, "South", False, None),  # short break: left out
        ("C5", D(2024, 2, 5), D(2024, 3, 10), "S", "C1", "E4A", "South", False, D(2024, 2, 8)),
        ("C6", D(2024, 3, 28), None, "S", "V2", None, "North", False, D(2024, 3, 28)),
        ("C7", D(2024, 1, 2), None, "S", "V2", None, "North", False, None),
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "child_id": pl.String,
            "start_date": pl.Date,
            "end_date": pl.Date,
            "reason_new_episode": pl.String,
            "legal_status": pl.String,
            "reason_ceased": pl.String,
            "area": pl.String,
            "uasc": pl.Boolean,
            "iro_notified_date": pl.Date,
        },
        orient="row",
    )
    return frame.with_columns(category_of_need=pl.lit("N1"), placement_type=pl.lit("U4"))


def _reviews() -> pl.DataFrame:
    # id, child, date, participation, chaired by, child chaired, minutes issued, area, uasc
    rows = [
        ("R1", "C1", D(2024, 1, 3), "PN1", "iro", "full", D(2024, 1, 24), "North", False),
        ("R3", "C2", D(2023, 6, 28), "PN1", "iro", "none", D(2023, 7, 1), "North", True),
        ("R4", "C2", D(2023, 9, 20), "PN1", "iro", "none", D(2023, 9, 25), "North", True),
        ("R5", "C2", D(2024, 3, 25), "PN7", "iro", "part", D(2024, 4, 18), "North", True),
        ("R6", "C3", D(2022, 2, 1), "PN2", "iro", "none", D(2022, 2, 3), "South", False),
        ("R7", "C3", D(2022, 5, 1), "PN2", "iro", "none", D(2022, 5, 3), "South", False),
        ("R8", "C3", D(2023, 8, 31), "PN2", "iro", "none", D(2023, 9, 3), "South", False),
        ("R9", "C5", D(2024, 3, 1), "PN0", "other", "none", None, "South", False),
        ("R10", "C5", D(2024, 3, 20), "PN5", "iro", "none", D(2024, 3, 21), "South", False),  # after care ended
    ]
    return pl.DataFrame(
        rows,
        schema={
            "review_id": pl.String,
            "child_id": pl.String,
            "review_date": pl.Date,
            "participation_code": pl.String,
            "chaired_by": pl.String,
            "child_chaired": pl.String,
            "minutes_issued_date": pl.Date,
            "area": pl.String,
            "uasc": pl.Boolean,
        },
        orient="row",
    )


def _other_tables() -> dict[str, pl.DataFrame]:
    qa = pl.DataFrame(
        [
            ("A1", "R1", D(2024, 1, 10), "care_plan", "good", "North", False),
            ("A1", "R1", D(2024, 1, 10), "sw_report", "inadequate", "North", False),
            ("A2", "R9", D(2024, 3, 5), "care_plan", "requires_improvement", "South", False),
            ("A2", "R9", D(2024, 3, 5), "sw_report", "outstanding", "South", False),
            ("A3", "R6", D(2023, 12, 20), "care_plan", "inadequate", "South", False),
        ],
        schema=["audit_id", "review_id", "audit_date", "item", "grade", "area", "uasc"],
        orient="row",
    )
    disputes = pl.DataFrame(
        [
            ("D1", "C1", D(2024, 2, 1), "formal", "care_plan", 1, None, "North", False),
            ("D2", "C3", D(2024, 3, 1), "formal", "permanence", 3, None, "South", False),
            ("D3", "C7", D(2024, 1, 20), "informal", "visits", None, None, "North", False),
            ("D4", "C3", D(2023, 12, 15), "formal", "health", 1, None, "South", False),
        ],
        schema={
            "dispute_id": pl.String,
            "child_id": pl.String,
            "raised_date": pl.Date,
            "route": pl.String,
            "category": pl.String,
            "highest_level": pl.Int64,
            "resolved_date": pl.Date,
            "area": pl.String,
            "uasc": pl.Boolean,
        },
        orient="row",
    )
    staffing = pl.DataFrame(
        [
            (D(2024, 1, 31), "T1", 3.0, 2.5),
            (D(2024, 1, 31), "T2", 2.0, 2.0),
            (D(2024, 2, 29), "T1", 3.0, 3.0),
            (D(2024, 2, 29), "T2", 2.0, 1.5),
            (D(2024, 3, 31), "T1", 3.5, 3.0),
            (D(2024, 3, 31), "T2", 2.0, 2.0),
            (D(2024, 4, 30), "T1", 9.0, 9.0),
        ],
        schema=["month_end", "team", "fte_establishment", "fte_in_post"],
        orient="row",
    )
    contacts = pl.DataFrame(
        [
            ("C1", D(2024, 2, 10), "North", False),
            ("C3", D(2024, 3, 30), "South", False),
            ("C2", D(2023, 12, 1), "North", True),
            ("C5", D(2024, 2, 20), "South", False),
        ],
        schema=["child_id", "contact_date", "area", "uasc"],
        orient="row",
    )
    surveys = pl.DataFrame(
        [
            ("Q1", "consultation", D(2024, 2, 1), "understands_care_plan", "yes", "North", False),
            ("Q1", "consultation", D(2024, 2, 1), "knows_how_to_complain", "no", "North", False),
            ("Q2", "consultation", D(2024, 3, 1), "understands_care_plan", "not_sure", "South", False),
            ("Q3", "carer", D(2023, 11, 1), "iro_helpful", "yes", "North", False),
        ],
        schema=["response_id", "survey", "response_date", "question", "answer", "area", "uasc"],
        orient="row",
    )
    return {
        "qa_grades": qa,
        "disputes": disputes,
        "iro_staffing": staffing,
        "iro_contacts": contacts,
        "survey_responses": surveys,
    }


@pytest.fixture(scope="module")
def hand_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hand") / "dataset"
    frames = {"children": _children(), "episodes": _episodes(), "reviews": _reviews(), **_other_tables()}
    write_dataset(frames, {"local_authority": "Hand-worked", "synthetic": True}, folder)
    return folder


# Q4 2023-24 (1 January to 31 March 2024), every area, every child, worked out by hand:
# in care at 31 March: C1, C2, C3, C6, C7 (C5 left on 10 March; C4's V3 short break is left out).
# Starts: C5, C6, C7 (S episodes; C4 is a short break). Ceased: C5 (E4A); C1's X1 does not count.
# Reviews in the quarter: R1, R5, R9, R10 (R10 falls after C5's care ended: outside any period
# of care, so it is held but not in the on-time denominator).
#   R1: C1's first review; 20 working days after Fri 1 Dec 2023, skipping 25-26 Dec and 1 Jan,
#       is Wed 3 Jan 2024: on time.  R5: C2's third review, due 20 Sep 2023 + 6 months =
#       20 Mar 2024, held 25 Mar: late.  R9: C5's first, due 20 working days after Mon 5 Feb
#       = Mon 4 Mar, held 1 Mar: on time.  On time 2 of 3.
# Overdue at 31 March: C3 (last review 31 Aug 2023 was its third: next due 31 Aug + 6 months,
#   clamped to 29 Feb 2024) and C7 (no review; first due 20 working days after 2 Jan = 30 Jan).
#   C1 next due 3 Apr (3 months after its first review), C2 25 Sep, C6 late April: not overdue.
# Participation: eligible PN1-PN7 = R1, R5, R10; participated PN1-PN6 = R1, R10; in person = R1.
# Minutes within 15 working days: R1 (due 24 Jan, issued 24 Jan) yes; R5 (due Wed 17 Apr, Good
#   Friday and Easter Monday skipped; issued 18 Apr) no; R9 (none issued) no; R10 yes: 2 of 4.
# Late notifications: C5 (Mon 5 Feb; 2 working days after is Wed 7 Feb; told Thu 8 Feb) and C7
#   (never told); C6 (Thu 28 Mar, told the same day) is not late: 2 of 3.
# QA in the quarter: audits A1, A2 (A3 is December). care_plan: good, requires_improvement;
#   sw_report: inadequate, outstanding.  Disputes: formal D1 (level 1), D2 (level 3); informal D3.
# Staffing at the latest month end on or before 31 March (31 March): 3.5 + 2.0 established,
#   3.0 + 2.0 in post; caseloads use all 5 children in care.
# Contact in the quarter among children in care: C1 and C3 (C5 is no longer in care): 2 of 5.
# Surveys: consultation Q1, Q2 in the quarter; understands_care_plan yes 1 of 2.
EXPECTED_ALL = {
    "children_in_care": 5,
    "children_starting_care": 3,
    "children_ceasing_care": 1,
    "iro_fte_establishment": 5.5,
    "iro_fte_in_post": 5.0,
    "caseload_per_establishment_fte": 5 / 5.5,
    "caseload_per_fte_in_post": 1.0,
    "reviews_held": 4,
    "reviews_chaired_by_iro_pct": 75.0,
    "reviews_on_time_pct": 100 * 2 / 3,
    "reviews_overdue": 2,
    "participation_pct": 100 * 2 / 3,
    "participation_in_person_pct": 100 / 3,
    "child_chaired_full": 1,
    "child_chaired_part": 1,
    "minutes_on_time_pct": 50.0,
    "qa_audit_rate_pct": 50.0,
    "late_notifications": 2,
    "late_notifications_pct": 100 * 2 / 3,
    "disputes_formal": 2,
    "disputes_informal": 1,
    "disputes_formal_per_100_reviews": 50.0,
    "disputes_informal_per_100_reviews": 25.0,
    "disputes_resolved_at_level_1_pct": 50.0,
    "iro_contact_pct": 40.0,
    "qa_care_plan_adequate_pct": 100.0,
    "qa_care_plan_good_pct": 50.0,
    "qa_sw_report_adequate_pct": 50.0,
    "qa_sw_report_good_pct": 50.0,
    "qa_pledge_adequate_pct": None,
    "survey_consultation_responses": 2,
    "survey_carer_responses": 0,
    "survey_consultation_understands_care_plan_yes_pct": 50.0,
    "survey_consultation_knows_how_to_complain_yes_pct": 0.0,
    "survey_carer_iro_helpful_yes_pct": None,
}

# North, citizen children only: C1, C6, C7 in care; starts C6, C7; review R1 (on time); overdue C7;
# caseloads still use the whole service (5 children).
EXPECTED_NORTH_CITIZEN = {
    "children_in_care": 3,
    "children_starting_care": 2,
    "children_ceasing_care": 0,
    "reviews_held": 1,
    "reviews_on_time_pct": 100.0,
    "reviews_overdue": 1,
    "late_notifications": 1,
    "caseload_per_establishment_fte": 5 / 5.5,
    "disputes_formal": 1,
    "disputes_informal": 1,
    "iro_contact_pct": 100 / 3,
}

# UASC children only: C2 in care; its review R5 is late; nothing overdue.
EXPECTED_UASC = {
    "children_in_care": 1,
    "children_starting_care": 0,
    "reviews_held": 1,
    "reviews_on_time_pct": 0.0,
    "reviews_overdue": 0,
    "participation_pct": 0.0,
    "disputes_formal_per_100_reviews": 0.0,
    "disputes_resolved_at_level_1_pct": None,
    "iro_contact_pct": 0.0,
}

CASES = [
    (("2023-24-Q4", None, "all"), EXPECTED_ALL),
    (("2023-24-Q4", ["North"], "citizen"), EXPECTED_NORTH_CITIZEN),
    (("2023-24-Q4", None, "uasc"), EXPECTED_UASC),
]


def test_hand_worked_dates_match_the_calendar() -> None:
    # The working-day sums in the comments above, checked against the shared calendar.
    assert add_working_days(D(2023, 12, 1), 20) == D(2024, 1, 3)
    assert add_working_days(D(2024, 2, 5), 20) == D(2024, 3, 4)
    assert add_working_days(D(2024, 1, 2), 20) == D(2024, 1, 30)
    assert add_working_days(D(2024, 3, 25), 15) == D(2024, 4, 17)
    assert add_working_days(D(2024, 2, 5), 2) == D(2024, 2, 7)


def _values(frame: pl.DataFrame) -> dict[str, float | None]:
    return dict(zip(frame["indicator"], frame["value"], strict=True))


def _check(values: dict[str, float | None], expected: dict[str, float | None], engine: str) -> None:
    for indicator, want in expected.items():
        got = values[indicator]
        if want is None:
            assert got is None, f"{engine}: {indicator} should have no value, got {got}"
        else:
            assert got == pytest.approx(want, abs=1e-9), f"{engine}: {indicator} = {got}, expected {want}"


@pytest.mark.parametrize(("selection", "expected"), CASES, ids=["all", "north-citizen", "uasc"])
def test_every_engine_gives_the_hand_worked_values(hand_folder: Path, selection: tuple, expected: dict) -> None:
    period, areas, cohort = selection
    sel = BenchSelection.of(period, areas, cohort)
    _check(_values(pandas_baseline.compute(pandas_baseline.load(hand_folder), sel)), expected, "pandas")
    _check(_values(duckdb_baseline.compute(duckdb_baseline.load(hand_folder), sel)), expected, "duckdb")
    _check(
        _values(compute_indicators(Selection.of(load_dataset(hand_folder), period, areas, cohort))), expected, "ours"
    )


def test_review_schedule_of_the_baselines(hand_folder: Path) -> None:
    schedule = pandas_baseline.load(hand_folder).schedule
    due = {r: d.date() for r, d in zip(schedule["review_id"], schedule["due_date"], strict=True)}
    # R10 is outside every period of care; C3's reviews: first due 20 working days after
    # Mon 10 Jan 2022 (Mon 7 Feb), then 1 Feb + 3 months, then 1 May + 6 months.
    assert "R10" not in due
    assert due["R6"] == D(2022, 2, 7)
    assert due["R7"] == D(2022, 5, 1)
    assert due["R8"] == D(2022, 11, 1)
    assert due["R5"] == D(2024, 3, 20)
    duck = duckdb_baseline.load(hand_folder).con.execute("SELECT review_id, due_date FROM schedule").fetchall()
    assert dict(duck) == due


@pytest.fixture(scope="module")
def quick_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return national.ensure_dataset("quick", folder=tmp_path_factory.mktemp("bench") / "bench-quick")


def test_generator_is_schema_valid_seeded_and_exercises_the_edge_cases(quick_folder: Path) -> None:
    ds = load_dataset(quick_folder)  # raises DatasetError listing every problem if invalid
    assert not ds.missing_tables
    again = national.generate_frames(national.SCALES["quick"])
    assert again["episodes"].equals(national.generate_frames(national.SCALES["quick"])["episodes"])
    episodes = ds.table("episodes").collect()
    assert episodes.filter(pl.col("legal_status").is_in(["V3", "V4"])).height > 0
    assert episodes.filter(pl.col("end_date").is_null()).height > 0
    # Some children come back into care (two S episodes), some reviews fall outside care.
    starts = episodes.filter(pl.col("reason_new_episode") == "S").group_by("child_id").len()
    assert starts.filter(pl.col("len") > 1).height > 0
    pocs = pandas_baseline.load(quick_folder)
    assert pocs.schedule.shape[0] < ds.table("reviews").collect().height


def test_the_three_engines_agree_on_several_selections(quick_folder: Path) -> None:
    pandas_data, duck_data, ds = (
        pandas_baseline.load(quick_folder),
        duckdb_baseline.load(quick_folder),
        load_dataset(quick_folder),
    )
    areas = ds.areas()
    selections = [
        BenchSelection.of("2023-24-Q4"),
        BenchSelection.of("2023-24"),
        BenchSelection.of("2022-23-Q3", areas[:2], "citizen"),
        BenchSelection.of("2023-24-Q2", None, "uasc"),
        BenchSelection.of("2022-23", areas[-1:], "all"),
    ]
    for sel in selections:
        ours = compute_indicators(Selection.of(ds, sel.period, list(sel.areas) or None, sel.cohort))
        assert ours["value"].drop_nulls().len() > 40  # a real comparison, not mostly nulls
        for name, theirs in (
            ("pandas", pandas_baseline.compute(pandas_data, sel)),
            ("duckdb", duckdb_baseline.compute(duck_data, sel)),
        ):
            assert compare_results(ours, theirs, f"{name} {sel.key}") == []
            # The baselines also agree on numerators and denominators.
        a, b = pandas_baseline.compute(pandas_data, sel), duckdb_baseline.compute(duck_data, sel)
        assert a.equals(b), sel.key


def test_compare_results_reports_a_difference() -> None:
    ours = pl.DataFrame({"indicator": ["a", "b", "c"], "value": [1.0, None, 3.0]})
    theirs = pl.DataFrame({"indicator": ["a", "b", "d"], "value": [1.0 + 1e-6, 2.0, 3.0]})
    problems = compare_results(ours, theirs, "x")
    assert len(problems) == 4  # only-ours c, only-theirs d, a differs, b null vs value
    assert compare_results(ours, ours, "x") == []


@pytest.mark.slow
def test_quick_mode_runs_end_to_end_and_the_engines_agree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("IRO_BENCH_CACHE", str(tmp_path))
    try:
        report = run_bench("quick", repeats=1)
    except EnginesDisagreeError as exc:  # pragma: no cover - the message is the diagnosis
        pytest.fail(str(exc))
    assert (tmp_path / "bench-quick" / "episodes.parquet").exists()
    assert set(report.medians) == {"polars", "pandas", "duckdb"}
    assert all(report.peak_memory_mb[e] > 0 for e in report.medians)
    assert report.disagreements == [] and len(report.selections) == 5
    # Ours is timed from a folder without derived/ too, in its own process; a baseline's every load is a first.
    assert report.medians["polars"]["first-ever load + first answer (no derived/)"] > 0
    assert report.first_load_peak_memory_mb["polars"] > 0
    assert (
        report.medians["duckdb"]["first-ever load + first answer (no derived/)"]
        == report.medians["duckdb"]["load + first answer"]
    )
    out = capsys.readouterr().out
    assert "The three engines agree on 5 selections" in out and "load average" in out


@pytest.mark.slow
def test_the_three_engines_agree_on_the_shipped_kent_dataset() -> None:
    shipped = Path(__file__).resolve().parents[2] / "data"
    pandas_data, duck_data, ds = (
        pandas_baseline.load(shipped),
        duckdb_baseline.load(shipped),
        load_dataset(shipped),
    )
    selections = [
        BenchSelection.of("2013-14"),
        BenchSelection.of("2013-14-Q4"),
        BenchSelection.of("2015-16", None, "uasc"),
        BenchSelection.of("2017-18-Q2", ["East Kent", "West Kent"], "citizen"),
    ]
    for sel in selections:
        ours = compute_indicators(Selection.of(ds, sel.period, list(sel.areas) or None, sel.cohort))
        assert compare_results(ours, pandas_baseline.compute(pandas_data, sel), f"pandas {sel.key}") == []
        assert compare_results(ours, duckdb_baseline.compute(duck_data, sel), f"duckdb {sel.key}") == []
    # 1842 children in care at 31 March 2014, as Kent published (spec/indicators.md).
    assert _values(pandas_baseline.compute(pandas_data, selections[0]))["children_in_care"] == 1842


@pytest.mark.slow
def test_our_extras_time_every_breakdown_and_page_without_an_error():
    # The benchmark's own steps call the product's functions: a renamed or re-signed function shows
    # here as an error, not as a step quietly missing from the report.
    from tools.bench.run import _ours_extras, bench_selections

    shipped = Path(__file__).resolve().parents[2] / "data"
    timings: dict = {}
    errors: dict = {}
    _ours_extras(shipped, bench_selections(shipped)[0], 1, timings, errors)
    assert errors == {}
    pages = sorted(k.removeprefix("page: ") for k in timings if k.startswith("page: "))
    assert pages == ["areas", "challenge", "children", "childrens_views", "overview", "quality", "reviews"]
    assert "breakdown: scorecard" in timings and "load (load_dataset alone)" in timings


class _Listener:
    """A stand-in for a Playwright page or websocket: keeps the handlers it is given by event."""

    def __init__(self) -> None:
        self.handlers: dict[str, object] = {}

    def on(self, event: str, handler: object) -> None:
        self.handlers[event] = handler


def test_the_app_bench_notes_when_the_server_says_a_run_finished():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tools.bench.app_latency import _ScriptFinishes

    page, socket = _Listener(), _Listener()
    finishes = _ScriptFinishes(page)
    page.handlers["websocket"](socket)
    frame = socket.handlers["framereceived"]
    before = time.perf_counter()
    frame(ForwardMsg(script_finished=ForwardMsg.FINISHED_EARLY_FOR_RERUN).SerializeToString())  # not the end
    frame(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY).SerializeToString())
    frame(ForwardMsg(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY).SerializeToString())
    frame(ForwardMsg(hash="x").SerializeToString())  # no type: not a finish
    frame("text frame")
    frame(b"\xff\xff not a message")
    assert len(finishes.times) == 2
    assert finishes.first_after(before) == finishes.times[0]
    assert finishes.first_after(time.perf_counter()) is None
