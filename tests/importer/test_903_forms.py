"""A real-format return in every form councils hold it: CSV (messy), DfE XML, Excel, several years'
folders and a zip give the same dataset, the same indicators and the hand-worked counts of
tests/fixtures_903.py."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iro_metrics.dataset import Dataset, load_dataset
from iro_metrics.importer import import_uploads, run_import
from iro_metrics.importer.quality import data_quality_note
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection
from tests.fixtures_903 import write_return, xml_return
from tests.importer.test_support import folder_bytes

TODAY = date(2017, 6, 1)
FORMS = ("csv", "xml", "xlsx", "zip")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Dataset, object]]:
    folder = tmp_path_factory.mktemp("903")
    paths = write_return(folder / "in")
    out = {}
    for form in FORMS:
        report = run_import([paths[form]], folder / f"out-{form}", today=TODAY)
        assert report.ok, report.format_text()
        out[form] = (load_dataset(folder / f"out-{form}"), report)
    return out


def _rows(ds: Dataset, name: str) -> pl.DataFrame:
    """A table's rows as text, in one order (a collected scan need not keep the file's row order)."""
    table = ds.tables[name].collect()
    table = table.with_columns(pl.col(pl.Categorical).cast(pl.String))
    return table.sort(table.columns, nulls_last=True)


def _value(ds: Dataset, indicator: str, cohort: str = "all", period: str = "2016-17") -> float | None:
    frame = compute_indicators(Selection.of(ds, period, None, cohort))
    return frame.filter(pl.col("indicator") == indicator)["value"].item()


@pytest.mark.parametrize("form", FORMS)
def test_hand_worked_counts(imported, form):
    ds, _ = imported[form]
    assert _value(ds, "children_in_care") == 4  # C1, C2, C3, C6 at 31 March 2017
    assert _value(ds, "children_starting_care") == 5  # C2, C3, C4, C5 (its first episode kept), C6
    assert _value(ds, "reviews_held") == 11  # C1 2, C2 2, C3 2, C4 2, C5 1, C6 2 (one before care, kept)
    assert _value(ds, "participation_pct") == pytest.approx(100 * 8 / 9)  # C6's PN7 the one not taking part
    # Reviews on time count only the 10 reviews inside a period of care (C6's of 01/10/2016 has no due date).
    on_time = compute_indicators(Selection.of(ds, "2016-17")).filter(pl.col("indicator") == "reviews_on_time_pct")
    assert on_time["denominator"].item() == 10
    # UASC status ends on DUC: C3's ended 15/11/2016, so only C2 (DUC in 2018, after the import) is UASC.
    assert _value(ds, "children_in_care", "uasc") == 1
    assert _value(ds, "children_in_care", "citizen") == 3
    # No review details: who chaired is not recorded (the optional column is left out), never "iro".
    assert "chaired_by" in ds.missing_columns["reviews"]


@pytest.mark.parametrize("form", ["xml", "xlsx", "zip"])
def test_every_form_gives_the_csv_forms_tables_and_indicators(imported, form):
    csv_ds, _ = imported["csv"]
    ds, _ = imported[form]
    for name in ("children", "episodes", "reviews"):
        assert_frame_equal(_rows(ds, name), _rows(csv_ds, name))
    for period in ("2015-16", "2016-17", "2016-17-Q3"):
        for cohort in ("all", "uasc", "citizen"):
            assert_frame_equal(
                compute_indicators(Selection.of(ds, period, None, cohort)),
                compute_indicators(Selection.of(csv_ds, period, None, cohort)),
            )


def test_uasc_flags_follow_duc(imported):
    ds, _ = imported["csv"]
    children = ds.tables["children"].collect().sort("child_id")
    assert children.filter(pl.col("is_uasc"))["child_id"].to_list() == ["C2", "C3"]
    assert children.filter(pl.col("child_id") == "C2")["uasc_ceased"].item() == date(2018, 9, 5)  # in the future
    episodes = ds.tables["episodes"].collect().filter(pl.col("child_id") == "C3").sort("start_date")
    assert episodes["uasc"].to_list() == [True, False]  # the episode from DUC on is not UASC
    reviews = ds.tables["reviews"].collect().filter(pl.col("child_id") == "C3").sort("review_date")
    assert reviews["uasc"].to_list() == [True, False]  # 25/05/2016 before DUC, 20/11/2016 after


def test_exactly_what_was_set_aside(imported):
    ds, _ = imported["csv"]
    expected = [
        {
            "rule": "overlapping_episodes",
            "count": 1,
            "unit": "episodes",
            "description": "1 episode set aside: two episodes of one child overlap",
            "children": 1,  # C5, whose other episode stays
        },
    ]
    assert ds.set_aside == expected  # C6's review before care is kept (a warning), not set aside
    c5 = ds.tables["episodes"].collect().filter(pl.col("child_id") == "C5")
    assert c5["start_date"].to_list() == [date(2016, 4, 1)]  # only the overlapping episode went
    c6 = ds.tables["reviews"].collect().filter(pl.col("child_id") == "C6")
    assert c6["review_date"].to_list() == [date(2016, 10, 1), date(2016, 11, 25)]
    assert ds.records_uasc
    note = data_quality_note(ds)
    assert note == "Figures exclude 1 episode (two episodes of one child overlap): see the import report."


def test_the_report_rows(imported, tmp_path):
    _, report = imported["csv"]
    errors = report.report_frame().filter(pl.col("severity") == "error")
    assert errors.select("file", "row", "column", "value", "rule", "severity", "action").rows() == [
        ("csv/2016-17/episodes.csv", 9, "DECOM", "01/09/2016", "overlapping_episodes", "error", "set aside"),
    ]
    kept = report.report_frame().filter(pl.col("rule") == "review_outside_care")
    assert kept.select("file", "row", "column", "value", "severity", "action").rows() == [
        ("csv/2016-17/reviews.csv", 11, "REVIEW", "01/10/2016", "warning", "warned")
    ]
    rules = report.report_frame().group_by("rule").len().sort("rule").rows()
    assert rules == [
        ("empty_file", 2),  # 2015-16/uasc.csv (1 byte) and 2016-17/dolo.csv (0 bytes)
        ("no_template_file", 2),
        ("overlapping_episodes", 1),
        ("review_outside_care", 1),
        ("two_digit_year", 2),  # C4's DOB (its value never quoted) and the DUCs
        ("unused_903_table", 6),  # OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing
    ]
    dob = report.report_frame().filter((pl.col("rule") == "two_digit_year") & (pl.col("column") == "DOB"))
    assert dob["value"].to_list() == [None] and "20/03/15" not in dob["message"].item()
    path = tmp_path / "report.csv"
    report.write(path)
    written = pl.read_csv(path, infer_schema=False)
    assert written.columns == ["file", "row", "column", "value", "rule", "severity", "action", "message"]
    assert written.height == 14
    for private in ("10/05/2005", "20/03/2015", "A123456789012"):  # dates of birth, a UPN
        assert private not in path.read_text()


def test_dataset_toml_lists_each_file_once(imported):
    ds, _ = imported["csv"]
    assert ds.meta["files"].count("csv/2016-17/episodes.csv") == 1
    assert "csv/2015-16/episodes.csv" in ds.meta["files"]


def test_a_strict_import_is_refused_and_changes_nothing(imported, tmp_path):
    paths = write_return(tmp_path / "in")
    first = run_import([paths["xml"]], tmp_path / "out", today=TODAY)
    assert first.ok
    before = folder_bytes(tmp_path / "out")
    strict = run_import([paths["csv"]], tmp_path / "out", today=TODAY, strict=True)
    assert not strict.ok
    assert set(strict.report_frame().filter(pl.col("severity") == "error")["action"]) == {"refused"}
    assert folder_bytes(tmp_path / "out") == before
    # a structural problem (a required table missing) refuses by default too
    (paths["csv"] / "2016-17" / "reviews.csv").unlink()
    (paths["csv"] / "2015-16" / "reviews.csv").unlink()
    refused = run_import([paths["csv"]], tmp_path / "out", today=TODAY)
    assert not refused.ok and "missing_table" in set(refused.report_frame()["rule"])
    assert folder_bytes(tmp_path / "out") == before


def test_without_a_uasc_table_uasc_is_not_recorded(tmp_path):
    paths = write_return(tmp_path / "in")
    for year in ("2015-16", "2016-17"):
        (paths["csv"] / year / "uasc.csv").unlink()
    report = run_import([paths["csv"]], tmp_path / "out", today=TODAY)
    assert report.ok
    meta = tomllib.loads((tmp_path / "out" / "dataset.toml").read_text())
    assert meta["uasc_recorded"] is False
    assert "no_uasc_table" in set(report.report_frame()["rule"])


def test_uploads_take_a_zip_and_name_its_members(tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    paths = write_return(tmp_path / "in")
    report = import_uploads([("returns.zip", Path(paths["zip"]).read_bytes())], "Zipped", today=TODAY)
    assert report.ok
    assert "returns.zip/2016-17/episodes.csv" in {f.file for f in report.files}


def test_an_xml_with_a_dtd_is_refused(tmp_path):
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&lol2;</CHILDID></HEADER></CHILD></EXPSSDA903>"""
    (tmp_path / "bomb.xml").write_bytes(bomb)
    report = run_import([tmp_path / "bomb.xml"], tmp_path / "out", today=TODAY)
    assert [p.rule for p in report.problems if p.file == "bomb.xml"] == ["malformed_xml"]
    assert not report.ok


def test_an_xml_with_an_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = f"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY s SYSTEM "file://{secret}">]>
<EXPSSDA903><CHILD><HEADER><CHILDID>&s;</CHILDID></HEADER></CHILD></EXPSSDA903>""".encode()
    report = import_uploads_like(tmp_path, [("xxe.xml", xxe)])
    assert [p.rule for p in report.problems if p.file == "xxe.xml"] == ["malformed_xml"]
    assert "TOP SECRET" not in report.csv_bytes().decode()


def import_uploads_like(tmp_path, sources):
    from iro_metrics.importer import import_sources

    return import_sources(sources, tmp_path / "out", TODAY)


def test_a_broken_xml_names_the_problem(tmp_path):
    report = import_uploads_like(tmp_path, [("broken.xml", b"<EXPSSDA903><CHILD><HEADER></CHILD>")])
    (found,) = [p for p in report.problems if p.file == "broken.xml"]
    assert found.rule == "malformed_xml" and found.row == 1 and not report.ok


def test_a_zip_member_climbing_out_is_skipped(tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.csv", "CHILD,SEX\n")
    report = import_uploads_like(tmp_path, [])  # nothing: a baseline
    from iro_metrics.importer.sources import expand_uploads

    sources, problems = expand_uploads([("bad.zip", buffer.getvalue())])
    assert sources == [] and [(p.rule, p.file) for p in problems] == [("unreadable_file", "bad.zip/../evil.csv")]
    assert not report.ok


def test_a_header_without_its_header_row_never_echoes_a_birth_date(tmp_path):
    report = import_uploads_like(tmp_path, [("header.csv", b"C1,1,10/05/2005,WBRI\nC2,2,05/09/2000,BAFR\n")])
    text = report.csv_bytes().decode() + report.format_text()
    assert "10/05/2005" not in text and "unrecognised_file" in text


def test_dataset_toml_writes_set_aside_as_an_array_of_tables(imported):
    ds, _ = imported["csv"]
    text = (ds.path / "dataset.toml").read_text()
    assert text.count("[[set_aside]]") == 1  # the overlapping episode (the review before care is kept)
    assert tomllib.loads(text)["set_aside"] == ds.set_aside


@pytest.mark.parametrize("year", ["2015-16", "2016-17"])
def test_plain_and_element_by_element_xml_readers_agree(year, monkeypatch):
    """A plain return is read by Polars regexes; anything else element by element: the same tables."""
    from iro_metrics.importer import read_xml as reader

    data = xml_return(year)
    fast, fast_problems = reader.read_xml("r.xml", data)
    # A comment makes the file not plain: the element-by-element reader takes it.
    commented = data.replace(b"<EXPSSDA903>", b"<EXPSSDA903><!-- exported by the case system -->")
    assert reader.read_plain_xml("r.xml", commented, reader.XML_TABLES) is None
    assert reader.read_plain_xml("r.xml", data, reader.XML_TABLES) is not None
    slow, slow_problems = reader.read_xml("r.xml", commented)
    assert [t.source for t in fast] == [t.source for t in slow]
    for a, b in zip(fast, slow, strict=True):
        assert a.header == b.header
        assert_frame_equal(a.body, b.body)
    assert [p.message for p in fast_problems] == [p.message for p in slow_problems]


def test_files_with_the_same_name_are_named_by_their_folders_and_read_once(tmp_path):
    from iro_metrics.importer.sources import expand_paths

    paths = write_return(tmp_path / "in")
    older, newer = paths["csv"] / "2015-16" / "episodes.csv", paths["csv"] / "2016-17" / "episodes.csv"
    sources, problems = expand_paths([older, newer, paths["csv"] / "2016-17"])
    names = [name for name, _ in sources]
    assert problems == [] and names.count("2016-17/episodes.csv") == 1 and "2015-16/episodes.csv" in names
    assert len(names) == len(set(names)) == 1 + len(list((paths["csv"] / "2016-17").iterdir()))
