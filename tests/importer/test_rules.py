"""Each validation rule of the importer, on small files whose problems are worked out by hand.

Rows are counted as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iro_metrics.importer import RULES
from iro_metrics.importer.build_records import age_in_years
from tests.importer.test_support import TODAY, VALID_FILES, import_files, replacing, with_line


def drop_column(name: str, column: str) -> dict[str, str]:
    """VALID_FILES[name] without one column."""
    lines = VALID_FILES[name].splitlines()
    index = lines[0].split(",").index(column)
    kept = [",".join(f for i, f in enumerate(line.split(",")) if i != index) for line in lines]
    return {name: "\n".join(kept) + "\n"}


def test_valid_files_import_cleanly(tmp_path):
    report = import_files(tmp_path)
    assert report.ok
    assert report.problems == []
    assert (tmp_path / "out" / "dataset.toml").is_file()
    assert report.table_rows == {"children": 3, "episodes": 4, "reviews": 4}


# (case id, changes to VALID_FILES, rule, file, row, column, value)
CASES = [
    (
        "unknown 903 code",
        replacing("episodes.csv", "A2,15/05/2013,S,V2", "A2,15/05/2013,S,C9"),
        "unknown_code",
        "episodes.csv",
        4,
        "LS",
        "C9",
    ),
    (
        "unknown template code",
        replacing("review_details.csv", "A2,10/06/2013,other", "A2,10/06/2013,manager"),
        "unknown_code",
        "review_details.csv",
        4,
        "CHAIRED_BY",
        "manager",
    ),
    (
        "impossible date",
        replacing("reviews.csv", "20/07/2013,PN7", "31/06/2013,PN7"),
        "bad_date",
        "reviews.csv",
        3,
        "REVIEW",
        "31/06/2013",
    ),
    (
        "missing required column",
        drop_column("episodes.csv", "DEC"),
        "missing_column",
        "episodes.csv",
        1,
        "DEC",
        None,
    ),
    (
        "misspelt template column (its data would be lost)",
        replacing("review_details.csv", "MINUTES_ISSUED", "MINUTES_ISUED"),
        "unexpected_column",
        "review_details.csv",
        1,
        "MINUTES_ISUED",
        None,
    ),
    (
        "missing required value",
        replacing("episodes.csv", "A2,15/05/2013,S,V2,N4,U6", "A2,15/05/2013,S,V2,,U6"),
        "missing_value",
        "episodes.csv",
        4,
        "CIN",
        None,
    ),
    (
        "duplicate episode key",
        with_line("episodes.csv", "A2,15/05/2013,S,V2,N4,U5,PR1,,,,,,"),  # placed U5, not U6
        "duplicate_key",
        "episodes.csv",
        6,
        "CHILD + DECOM",
        "CHILD A2, DECOM 15/05/2013",
    ),
    (
        "duplicate review key",
        with_line("reviews.csv", "B3,15/03/2000,20/06/2013,PN1"),
        "duplicate_key",
        "reviews.csv",
        6,
        "CHILD + REVIEW",
        "CHILD B3, REVIEW 20/06/2013",
    ),
    (
        "date in the future",
        with_line("reviews.csv", "A1,01/01/2005,02/06/2014,PN1"),
        "future_date",
        "reviews.csv",
        6,
        "REVIEW",
        "02/06/2014",
    ),
    (
        "episodes overlap (previous one closed later)",
        replacing("episodes.csv", "A1,01/10/2013,P", "A1,01/09/2013,P"),
        "overlapping_episodes",
        "episodes.csv",
        3,
        "DECOM",
        "01/09/2013",
    ),
    (
        "episodes overlap (previous one still open)",
        with_line("episodes.csv", "A2,01/01/2014,P,V2,N4,U4,PR1,,,,,,"),
        "overlapping_episodes",
        "episodes.csv",
        6,
        "DECOM",
        "01/01/2014",
    ),
    (
        "end before start",
        replacing("episodes.csv", "31/12/2013,E8", "31/05/2013,E8"),
        "end_before_start",
        "episodes.csv",
        5,
        "DEC",
        "31/05/2013",
    ),
    (
        "end date without a reason",
        replacing("episodes.csv", "31/12/2013,E8", "31/12/2013,"),
        "ceased_without_reason",
        "episodes.csv",
        5,
        "REC",
        None,
    ),
    (
        "child missing from the Header",
        with_line("episodes.csv", "Z9,01/05/2013,S,V2,N4,U6,PR1,,,,,,"),
        "child_not_in_header",
        "episodes.csv",
        6,
        "CHILD",
        "Z9",
    ),
    (
        "episode before birth",
        replacing("header.csv", "A2,2,01/06/2012", "A2,2,01/06/2013"),
        "date_before_birth",
        "episodes.csv",
        4,
        "DECOM",
        "15/05/2013",
    ),
    (
        "row with too few values (truncated)",
        with_line("reviews.csv", "B3,15/03/2000,20"),
        "wrong_field_count",
        "reviews.csv",
        6,
        None,
        None,
    ),
    (
        "flag neither Y nor N",
        {"iro_contacts.csv": "CHILD,CONTACT_DATE,AREA,UASC\nA1,01/05/2013,East Kent,maybe\n"},
        "bad_flag",
        "iro_contacts.csv",
        2,
        "UASC",
        "maybe",
    ),
    (
        "negative FTE",
        {"iro_staffing.csv": "MONTH_END,TEAM,FTE_ESTABLISHMENT,FTE_IN_POST\n31/05/2013,East,8,-1\n"},
        "bad_number",
        "iro_staffing.csv",
        2,
        "FTE_IN_POST",
        "-1",
    ),
    (
        "infinite FTE",
        {"iro_staffing.csv": "MONTH_END,TEAM,FTE_ESTABLISHMENT,FTE_IN_POST\n31/05/2013,East,inf,7\n"},
        "bad_number",
        "iro_staffing.csv",
        2,
        "FTE_ESTABLISHMENT",
        "inf",
    ),
    (
        "dispute level outside 1-5",
        {"disputes.csv": "DISPUTE_ID,CHILD,RAISED,ROUTE,CATEGORY,HIGHEST_LEVEL\nD1,A1,03/06/2013,formal,care_plan,6\n"},
        "unknown_code",
        "disputes.csv",
        2,
        "HIGHEST_LEVEL",
        "6",
    ),
]


@pytest.mark.parametrize(
    ("changes", "rule", "file", "row", "column", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_error_rule_is_reported_exactly_and_blocks_a_strict_import(
    tmp_path, changes, rule, file, row, column, value
):
    report = import_files(tmp_path, changes, strict=True)
    found = [p for p in report.problems if p.rule == rule]
    assert [(p.file, p.row, p.column, p.value) for p in found] == [(file, row, column, value)]
    assert found[0].severity == "error"
    assert found[0].message
    assert not report.ok
    assert not (tmp_path / "out").exists()


# The record rules set aside a unit by default: (case id, unit, count) for each CASE that is a record error.
SET_ASIDE_UNITS = {
    "unknown 903 code": ("children", 1),
    "unknown template code": ("rows", 1),
    "impossible date": ("reviews", 1),
    "missing required value": ("children", 1),
    "duplicate episode key": ("children", 1),
    "duplicate review key": ("reviews", 1),
    "review after the period of care ended": ("reviews", 1),
    "review before the child came into care": ("reviews", 1),
    "date in the future": ("reviews", 1),
    # an overlapping episode is set aside on its own, the child and its other episodes kept (issue 22)
    "episodes overlap (previous one closed later)": ("episodes", 1),
    "episodes overlap (previous one still open)": ("episodes", 1),
    "end before start": ("children", 1),
    "end date without a reason": ("children", 1),
    "child missing from the Header": ("children", 1),
    "episode before birth": ("children", 1),
    "flag neither Y nor N": ("rows", 1),
    "negative FTE": ("rows", 1),
    "infinite FTE": ("rows", 1),
    "dispute level outside 1-5": ("rows", 1),
}


@pytest.mark.parametrize(
    ("case_id", "changes", "rule", "file", "row", "column", "value"),
    [c for c in CASES if c[0] in SET_ASIDE_UNITS],
    ids=[c[0] for c in CASES if c[0] in SET_ASIDE_UNITS],
)
def test_by_default_a_record_error_sets_aside_one_unit_and_the_import_goes_on(
    tmp_path, case_id, changes, rule, file, row, column, value
):
    report = import_files(tmp_path, changes)
    found = [p for p in report.problems if p.rule == rule]
    assert [(p.file, p.row, p.column, p.value, p.action) for p in found] == [(file, row, column, value, "set aside")]
    assert report.ok
    unit, count = SET_ASIDE_UNITS[case_id]
    assert [(e["rule"], e["count"], e["unit"]) for e in report.set_aside] == [(rule, count, unit)]
    import tomllib

    meta = tomllib.loads((tmp_path / "out" / "dataset.toml").read_text())
    assert [(e["rule"], e["count"], e["unit"]) for e in meta["set_aside"]] == [(rule, count, unit)]


def test_structural_errors_refuse_even_by_default(tmp_path):
    report = import_files(tmp_path, with_line("reviews.csv", "B3,15/03/2000,20"))
    assert [p.action for p in report.problems if p.rule == "wrong_field_count"] == ["refused"]
    assert not report.ok and not (tmp_path / "out").exists()


def test_iso_and_two_digit_dates_are_read(tmp_path):
    changes = {
        **replacing("episodes.csv", "B3,01/06/2013", "B3,2013-06-01"),
        **replacing("uasc.csv", "01/09/2013", "01/09/13"),
    }
    report = import_files(tmp_path, changes)
    assert report.ok and report.errors == []
    (warning,) = report.problems
    assert (warning.rule, warning.file, warning.row, warning.column, warning.action) == (
        "two_digit_year",
        "uasc.csv",
        3,
        "DUC",
        "read as",
    )
    assert "01/09/13 read as 01/09/2013" in warning.message
    children = pl.read_parquet(tmp_path / "out" / "children.parquet")
    assert children.filter(pl.col("child_id") == "B3")["uasc_ceased"].item() == date(2013, 9, 1)


def test_duplicate_key_names_the_first_row(tmp_path):
    report = import_files(tmp_path, with_line("episodes.csv", "A2,15/05/2013,S,V2,N4,U5,PR1,,,,,,"), strict=True)
    (duplicate,) = report.errors
    assert duplicate.message.startswith("same CHILD and DECOM as row 4:")


def test_quoted_files_are_read_like_plain_ones(tmp_path):
    """A file with quoting (read by the csv module) gives the same rows as its plain form."""
    quoted = "\n".join(
        ",".join(f'"{field}"' for field in line.split(",")) for line in VALID_FILES["episode_details.csv"].splitlines()
    )
    plain = import_files(tmp_path / "plain")
    assert import_files(tmp_path / "quoted", {"episode_details.csv": quoted + "\r\n"}).ok and plain.ok
    assert (tmp_path / "plain/out/episodes.parquet").read_bytes() == (
        tmp_path / "quoted/out/episodes.parquet"
    ).read_bytes()


def test_problems_in_a_quoted_file_name_the_right_row(tmp_path):
    # A quoted area holding a line break takes two lines: the record after it starts on line 4.
    text = 'CHILD,DECOM,AREA,IRO_NOTIFIED\nA1,01/04/2013,"East\nKent",02/04/2013\nA1,1/10/2013,West Kent,x\n'
    report = import_files(tmp_path, {"episode_details.csv": text})
    (bad,) = [p for p in report.errors if p.rule == "bad_date"]
    assert (bad.row, bad.column, bad.value) == (4, "IRO_NOTIFIED", "x")


def test_missing_903_table_is_an_error(tmp_path):
    report = import_files(tmp_path, {"reviews.csv": None})
    assert [(p.rule, p.severity) for p in report.problems] == [("missing_table", "error")]
    assert "Reviews" in report.problems[0].message
    assert not report.ok


def test_unrecognised_file_names_its_columns(tmp_path):
    report = import_files(tmp_path, {"notes.csv": "NAME,COLOUR,SIZE\nx,red,3\n"})
    (found,) = [p for p in report.problems if p.rule == "unrecognised_file"]
    assert found.file == "notes.csv" and found.row == 1
    assert "NAME, COLOUR, SIZE" in found.message
    assert not report.ok


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"CHILD,SEX\x00\x01\x02", "not_text"),
        (b"", "empty_file"),
        (b"\n\n  \n", "empty_file"),
        (b'CHILD,DOB,REVIEW,REVIEW_CODE\nA1,"01/01/2005,25/04/2013,PN1\n', "malformed_csv"),
        (b"CHILD,CHILD,REVIEW,REVIEW_CODE\nA1,A1,25/04/2013,PN1\n", "bad_header"),
        (b"CHILD,,REVIEW,REVIEW_CODE\nA1,x,25/04/2013,PN1\n", "bad_header"),
    ],
)
def test_unreadable_files_are_clean_errors(tmp_path, content, rule):
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "bad.csv"
    path.write_bytes(content)
    from iro_metrics.importer import run_import

    report = run_import([path], tmp_path / "out", today=TODAY)
    assert rule in [p.rule for p in report.problems if p.file == "bad.csv"]
    assert not report.ok


@pytest.mark.parametrize(
    ("changes", "rule", "file", "row", "column", "value"),
    [
        (  # A1 was 8 at the review
            replacing("reviews.csv", "25/04/2013,PN1", "25/04/2013,PN0"),
            "pn0_aged_4_or_over",
            "reviews.csv",
            2,
            "REVIEW_CODE",
            "PN0",
        ),
        (  # A2 was 1 at the review
            replacing("reviews.csv", "10/06/2013,PN0", "10/06/2013,PN5"),
            "pn_code_under_4",
            "reviews.csv",
            4,
            "REVIEW_CODE",
            "PN5",
        ),
        (
            {"episodes.csv": VALID_FILES["episodes.csv"].replace(",URN", ",URN,NOTES").replace(",,,,\n", ",,,,,\n")},
            "unknown_column",
            "episodes.csv",
            1,
            "NOTES",
            None,
        ),
        (  # a template row for an episode the 903 does not have
            with_line("episode_details.csv", "A1,01/01/2013,East Kent,"),
            "no_matching_record",
            "episode_details.csv",
            6,
            "CHILD + DECOM",
            "01/01/2013",
        ),
        (  # a 903 review with no row in review details: taken as IRO-chaired
            replacing("review_details.csv", "B3,20/06/2013,iro,full,\n", ""),
            "no_template_row",
            "reviews.csv",
            5,
            "CHILD + REVIEW",
            "20/06/2013",
        ),
        (
            replacing("episode_details.csv", "A1,01/10/2013,West Kent,", "A1,01/10/2013,West Kent,03/10/2013"),
            "notified_not_start",
            "episode_details.csv",
            3,
            "IRO_NOTIFIED",
            "03/10/2013",
        ),
        (  # a review after the period of care ended: kept, counted in reviews held (indicators.md)
            with_line("reviews.csv", "B3,15/03/2000,10/01/2014,PN2"),
            "review_outside_care",
            "reviews.csv",
            6,
            "REVIEW",
            "10/01/2014",
        ),
        (  # a review before the child came into care: the same
            with_line("reviews.csv", "A1,01/01/2005,31/03/2013,PN1"),
            "review_outside_care",
            "reviews.csv",
            6,
            "REVIEW",
            "31/03/2013",
        ),
        (  # a contact before the child's first episode: no area to give it
            {"iro_contacts.csv": "CHILD,CONTACT_DATE\nA1,01/03/2013\nA1,01/05/2013\n"},
            "no_episode_for_event",
            "iro_contacts.csv",
            2,
            "CONTACT_DATE",
            "01/03/2013",
        ),
    ],
)
def test_each_warning_rule_lets_the_import_go_on(tmp_path, changes, rule, file, row, column, value):
    report = import_files(tmp_path, changes)
    found = [p for p in report.problems if p.rule == rule]
    assert [(p.file, p.row, p.column, p.value) for p in found] == [(file, row, column, value)]
    assert found[0].severity == "warning"
    assert report.errors == []
    assert report.ok
    assert (tmp_path / "out" / "dataset.toml").is_file()


def test_missing_templates_give_one_warning_each_and_documented_defaults(tmp_path):
    report = import_files(tmp_path, {"episode_details.csv": None, "review_details.csv": None})
    assert sorted((p.rule, p.file) for p in report.problems) == [
        ("no_template_file", "episode_details.csv"),
        ("no_template_file", "review_details.csv"),
    ]
    assert report.ok
    episodes = pl.read_parquet(tmp_path / "out" / "episodes.parquet")
    reviews = pl.read_parquet(tmp_path / "out" / "reviews.parquet")
    assert set(episodes["area"]) == {"Not recorded"}
    # No review details: who chaired is not recorded (the column is left out), never taken as "iro".
    assert "chaired_by" not in reviews.columns
    # Optional columns never supplied are left out, so their indicators read "not recorded".
    assert "iro_notified_date" not in episodes.columns
    assert "child_chaired" not in reviews.columns and "minutes_issued_date" not in reviews.columns


def test_birth_dates_are_never_quoted_and_child_ids_may_be(tmp_path):
    changes = {
        **replacing("header.csv", "B3,1,15/03/2000", "B3,1,15/13/2000"),
        **with_line("episodes.csv", "SECRET7,01/05/2013,S,V2,N4,U6,PR1,,,,,,"),
    }
    report = import_files(tmp_path, changes)
    text = report.format_text() + report.report_frame().write_csv() + report.csv_bytes().decode()
    # A child id may be named (the analyst must find the record); a date of birth never.
    assert "SECRET7" in text and "15/13/2000" not in text
    (bad_birth,) = [p for p in report.problems if p.rule == "bad_date"]
    assert (bad_birth.file, bad_birth.row, bad_birth.column) == ("header.csv", 4, "DOB")


def test_report_frame_and_text(tmp_path):
    report = import_files(tmp_path, replacing("episodes.csv", "A2,15/05/2013,S,V2", "A2,15/05/2013,S,C9"), strict=True)
    frame = report.report_frame()
    assert frame.columns == ["file", "row", "column", "value", "rule", "severity", "action", "message"]
    assert frame.row(0, named=True)["rule"] == "unknown_code"
    text = report.format_text()
    assert "ERROR [unknown_code] episodes.csv, row 4, column LS (value 'C9')" in text
    assert "Import failed: 1 error(s)" in text


def test_every_rule_has_a_severity_and_description():
    assert all(sev in ("error", "warning") and text for sev, text in RULES.values())


@pytest.mark.parametrize(
    ("on", "born", "age"),
    [
        (date(2013, 6, 10), date(2009, 6, 10), 4),  # fourth birthday: 4
        (date(2013, 6, 9), date(2009, 6, 10), 3),  # the day before: 3
        (date(2013, 2, 28), date(2012, 2, 29), 0),  # a leap-day baby is 1 on 1 March
        (date(2013, 3, 1), date(2012, 2, 29), 1),
    ],
)
def test_age_in_completed_years(on, born, age):
    frame = pl.DataFrame({"on": [on], "born": [born]})
    assert frame.select(age_in_years("on", "born")).item() == age


def test_today_is_the_future_boundary(tmp_path):
    # A review on the day of the import is allowed; one the day after is not (see CASES).
    report = import_files(tmp_path, with_line("reviews.csv", f"A1,01/01/2005,{TODAY:%d/%m/%Y},PN1"))
    assert "future_date" not in [p.rule for p in report.problems]
    assert report.ok


def test_command_line_prints_the_report_and_exits_1_on_errors(tmp_path, capsys):
    from iro_metrics.__main__ import main
    from tests.importer.test_support import write_files

    good = write_files(tmp_path / "good", VALID_FILES)
    assert main(["import", "--out", str(tmp_path / "out"), *map(str, good)]) == 0
    assert "Imported into" in capsys.readouterr().out
    bad_files = {**VALID_FILES, **replacing("reviews.csv", "20/07/2013,PN7", "31/06/2013,PN7")}
    bad = write_files(tmp_path / "bad", bad_files)
    assert main(["import", "--strict", "--out", str(tmp_path / "out"), *map(str, bad)]) == 1
    printed = capsys.readouterr().out
    assert "ERROR [bad_date] reviews.csv, row 3, column REVIEW (value '31/06/2013')" in printed
    # By default the review is set aside, the rest imported (exit 0), and --report writes every problem.
    report_path = tmp_path / "report.json"
    assert main(["import", "--out", str(tmp_path / "out"), "--report", str(report_path), *map(str, bad)]) == 0
    printed = capsys.readouterr().out
    assert "ERROR [bad_date] [set aside] reviews.csv, row 3, column REVIEW (value '31/06/2013')" in printed
    assert "Set aside: 1 review set aside" in printed
    import json

    rows = json.loads(report_path.read_text())
    assert [(r["file"], r["row"], r["column"], r["rule"], r["severity"], r["action"]) for r in rows] == [
        ("reviews.csv", 3, "REVIEW", "bad_date", "error", "set aside"),
        ("review_details.csv", 3, "CHILD + REVIEW", "no_matching_record", "warning", "warned"),
    ]


def test_one_unreadable_cell_is_one_problem(tmp_path):
    # An unreadable DEC is reported once: not also as "REC without DEC" or as an overlap.
    report = import_files(tmp_path, replacing("episodes.csv", "01/10/2013,X1", "31/13/2013,X1"), strict=True)
    assert [(p.rule, p.file, p.row, p.column, p.value) for p in report.problems] == [
        ("bad_date", "episodes.csv", 2, "DEC", "31/13/2013")
    ]
    default = import_files(tmp_path / "default", replacing("episodes.csv", "01/10/2013,X1", "31/13/2013,X1"))
    assert [(e["rule"], e["count"], e["unit"]) for e in default.set_aside] == [("bad_date", 1, "children")]
    # A1's episodes and reviews are left out together; the other children are imported.
    assert default.table_rows == {"children": 2, "episodes": 2, "reviews": 2}
