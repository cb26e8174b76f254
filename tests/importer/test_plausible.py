"""Plausible nonsense gets a named warning or error (issue 12, item 9), fuzzed over many values.

Each test mutates the small valid files of tests/importer/test_support.py into something that reads
correctly but cannot be right, and asserts the rule that names it; the import itself goes on
(these are warnings) unless the value is impossible (an FTE of 1e308 is a ``bad_number`` error).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iro_metrics.importer import ImportReport, import_sources
from tests.importer.test_support import TODAY, VALID_FILES, replacing

SETTINGS = settings(
    max_examples=12, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
STAFFING = "MONTH_END,TEAM,FTE_ESTABLISHMENT,FTE_IN_POST,FTE_AGENCY\n"
DISPUTES = "DISPUTE_ID,CHILD,RAISED,ROUTE,CATEGORY,HIGHEST_LEVEL,RESOLVED\n"


def _import(tmp_path, changes: dict[str, str]) -> ImportReport:
    files = {**VALID_FILES, **changes}
    return import_sources([(n, t.encode()) for n, t in sorted(files.items())], tmp_path / "out", TODAY)


def _rules(report: ImportReport, file: str) -> list[tuple[str, str, int | None]]:
    return [(p.rule, p.severity, p.row) for p in report.problems if p.file == file]


@SETTINGS
@given(
    in_post=st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 1)),
    extra=st.floats(0.1, 20).map(lambda x: round(x, 1)),
)
def test_agency_staff_above_staff_in_post(tmp_path_factory, in_post, extra):
    text = STAFFING + f"30/04/2013,East,60,{in_post},{round(in_post + extra, 1)}\n"
    report = _import(tmp_path_factory.mktemp("a"), {"iro_staffing.csv": text})
    assert _rules(report, "iro_staffing.csv") == [("agency_above_in_post", "warning", 2)]
    assert report.ok


@SETTINGS
@given(days=st.integers(1, 300))
def test_dispute_resolved_before_it_was_raised(tmp_path_factory, days):
    resolved = date(2013, 10, 15) - timedelta(days=days)
    text = DISPUTES + f"D1,A1,15/10/2013,formal,care_plan,2,{resolved:%d/%m/%Y}\n"
    report = _import(tmp_path_factory.mktemp("d"), {"disputes.csv": text})
    assert _rules(report, "disputes.csv") == [("resolved_before_raised", "warning", 2)]


@SETTINGS
@given(days=st.integers(1, 60))
def test_minutes_issued_before_the_review(tmp_path_factory, days):
    issued = date(2013, 4, 25) - timedelta(days=days)
    changes = replacing(
        "review_details.csv", "A1,25/04/2013,iro,none,02/05/2013", f"A1,25/04/2013,iro,none,{issued:%d/%m/%Y}"
    )
    report = _import(tmp_path_factory.mktemp("m"), changes)
    assert _rules(report, "review_details.csv") == [("minutes_before_review", "warning", 2)]


@SETTINGS
@given(days=st.integers(1, 4000))
def test_uasc_status_ending_before_birth(tmp_path_factory, days):
    ended = date(2000, 3, 15) - timedelta(days=days)  # B3 was born 15/03/2000
    changes = replacing("uasc.csv", "B3,1,15/03/2000,01/09/2013", f"B3,1,15/03/2000,{ended:%d/%m/%Y}")
    report = _import(tmp_path_factory.mktemp("u"), changes)
    assert ("uasc_ends_before_birth", "warning", 3) in _rules(report, "uasc.csv")


@SETTINGS
@given(year=st.integers(1800, 1953))
def test_a_date_of_birth_far_in_the_past(tmp_path_factory, year):
    changes = replacing("header.csv", "A1,1,01/01/2005", f"A1,1,01/01/{year}")
    report = _import(tmp_path_factory.mktemp("b"), changes)
    found = [p for p in report.problems if p.rule == "implausible_birth_date"]
    assert [(p.file, p.row, p.column, p.value) for p in found] == [("header.csv", 2, "DOB", None)]
    assert str(year) not in report.csv_bytes().decode().split("implausible_birth_date")[1]  # never quoted


@SETTINGS
@given(fte=st.sampled_from(["1e308", "1001", "99999", "1e20", "5000.5"]))
def test_an_impossible_fte_is_an_error(tmp_path_factory, fte):
    text = STAFFING + f"30/04/2013,East,{fte},7,\n"
    report = _import(tmp_path_factory.mktemp("f"), {"iro_staffing.csv": text})
    assert _rules(report, "iro_staffing.csv") == [("bad_number", "error", 2)]
    assert [p.action for p in report.problems if p.rule == "bad_number"] == ["set aside"]  # that row only


unsafe = st.one_of(
    st.tuples(st.sampled_from("=+-@"), st.text(alphabet="ABCabc123()!,. ", max_size=10)).map("".join),
    st.text(alphabet="abc ", max_size=5).map(lambda s: f"{s}<script>x</script>"),
    st.tuples(st.text(alphabet="abc", min_size=1, max_size=5), st.sampled_from(["\x01", "\x07", "\x1b", "\x7f"])).map(
        "".join
    ),
)


@SETTINGS
@given(name=unsafe)
def test_formulas_html_and_control_characters_in_names(tmp_path_factory, name):
    quoted = '"' + name.replace('"', '""') + '"'
    changes = replacing("episode_details.csv", "A1,01/10/2013,West Kent,", f"A1,01/10/2013,{quoted},")
    report = _import(tmp_path_factory.mktemp("t"), changes)
    found = [p for p in report.problems if p.rule == "unsafe_text"]
    assert [(p.file, p.row, p.column, p.severity) for p in found] == [("episode_details.csv", 3, "AREA", "warning")]


def test_ordinary_names_are_not_flagged(tmp_path):
    for name in ("East Kent", "Children's Services (North)", "Team 2 - Leavers", "Ashford & Canterbury"):
        changes = replacing("episode_details.csv", "A1,01/10/2013,West Kent,", f'A1,01/10/2013,"{name}",')
        assert _import(tmp_path / name.replace(" ", "_"), changes).problems == []


def test_the_pn_wording_gives_the_age(tmp_path):
    report = _import(tmp_path, replacing("reviews.csv", "10/06/2013,PN0", "10/06/2013,PN5"))
    (found,) = [p for p in report.problems if p.rule == "pn_code_under_4"]
    assert found.message == "the child was 1 at the review and should be coded PN0 (under 4)"
