"""Files as analysts save them (issue 22 item 4): each variant of the hand-made return of
tests/fixtures_903.py gives the same indicators as the clean file, and the hand-worked counts.

The counts, from the fixture's docstring (2016-17): children in care at 31 March 2017 4, starting
care 5, reviews held 11, participation 8 of 9. Each variant is made from the clean CSV or XML
return by a plain text edit, imported, and its indicators for 2016-17, Q4 and 2015-16 compared with
the clean import's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import run_import
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection
from tests.fixtures_903 import write_return

TODAY = date(2017, 6, 1)
PERIODS = ("2015-16", "2016-17", "2016-17-Q4")


def _indicators(folder: Path) -> pl.DataFrame:
    ds = load_dataset(folder)
    return pl.concat(
        compute_indicators(Selection.of(ds, period)).with_columns(period=pl.lit(period)) for period in PERIODS
    )


@pytest.fixture(scope="module")
def returns(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    paths = write_return(root / "in")
    clean = run_import([paths["csv"]], root / "clean", today=TODAY)
    assert clean.ok, clean.format_text()
    return root, paths, _indicators(root / "clean")


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")


def _lines(edit: Callable[[int, str], str]) -> Callable[[Path], bytes]:
    """Apply ``edit(line number, line)`` to every non-empty line of a CSV (line 0 is the header)."""

    def apply(path: Path) -> bytes:
        lines = _text(path).split("\n")
        return "\n".join(edit(i, line) if line else line for i, line in enumerate(lines)).encode("utf-8")

    return apply


def _frame_edit(edit: Callable[[pl.DataFrame], str]) -> Callable[[Path], bytes]:
    def apply(path: Path) -> bytes:
        text = _text(path)
        if not text.strip():
            return path.read_bytes()
        return edit(pl.read_csv(text.encode(), infer_schema=False)).encode("utf-8")

    return apply


def _extra_column_in_windows_1252(path: Path) -> bytes:
    lines = _text(path).split("\n")
    edited = [line + (",NOTES" if i == 0 else ",Café costs £5") if line else line for i, line in enumerate(lines)]
    return "\n".join(edited).encode("cp1252")


CSV_VARIANTS: dict[str, Callable[[Path], bytes]] = {
    "CRLF line endings": lambda p: _text(p).replace("\n", "\r\n").encode("utf-8"),
    "lower-case headers": _lines(lambda i, line: line.lower() if i == 0 else line),
    "mixed-case headers": _lines(lambda i, line: line.title() if i == 0 else line),
    "an extra column, in Windows-1252 with £ and é": _extra_column_in_windows_1252,
    "columns in another order": _frame_edit(lambda f: f.select(list(reversed(f.columns))).write_csv()),
    "trailing empty lines": lambda p: (_text(p) + "\n\n,,,\n\n").encode("utf-8") if _text(p).strip() else b"",
    "every field quoted": _frame_edit(lambda f: f.write_csv(quote_style="always")),
}

XML_VARIANTS: dict[str, Callable[[str], str]] = {
    "a default namespace": lambda t: t.replace("<EXPSSDA903>", '<EXPSSDA903 xmlns="http://www.example.org/ssda903">'),
    "a prefixed root": lambda t: t.replace("<EXPSSDA903>", '<s:EXPSSDA903 xmlns:s="urn:x">').replace(
        "</EXPSSDA903>", "</s:EXPSSDA903>"
    ),
    "another root element name": lambda t: t.replace("EXPSSDA903", "Message"),
    "CRLF line endings": lambda t: t.replace("\n", "\r\n"),
}


def _assert_same(folder: Path, reference: pl.DataFrame) -> None:
    indicators = _indicators(folder)
    assert_frame_equal(indicators, reference)
    got = indicators.filter(pl.col("period") == "2016-17")
    value = dict(zip(got["indicator"].to_list(), got["value"].to_list(), strict=True))
    assert (value["children_in_care"], value["children_starting_care"], value["reviews_held"]) == (4, 5, 11)
    assert value["participation_pct"] == pytest.approx(100 * 8 / 9)


def _import_edited(returns, form: str, name: str, edit: Callable[[Path], None]) -> None:
    """The clean ``form`` return copied, each of its files edited, imported and compared with the clean import."""
    root, paths, reference = returns
    folder = root / name
    shutil.copytree(paths[form], folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        edit(path)
    report = run_import([folder], root / f"{name}-out", today=TODAY)
    assert report.ok, report.format_text()
    _assert_same(root / f"{name}-out", reference)


@pytest.mark.parametrize("variant", list(CSV_VARIANTS))
def test_a_csv_return_as_analysts_save_it_gives_the_same_indicators(returns, variant):
    edit = CSV_VARIANTS[variant]
    _import_edited(returns, "csv", f"csv-{list(CSV_VARIANTS).index(variant)}", lambda p: p.write_bytes(edit(p)))


@pytest.mark.parametrize("variant", list(XML_VARIANTS))
def test_an_xml_return_as_analysts_save_it_gives_the_same_indicators(returns, variant):
    edit = XML_VARIANTS[variant]
    _import_edited(
        returns,
        "xml",
        f"xml-{list(XML_VARIANTS).index(variant)}",
        lambda p: p.write_text(edit(p.read_text(encoding="utf-8")), encoding="utf-8"),
    )


def test_a_sheet_with_a_title_row_above_its_header_gives_the_same_indicators(returns, monkeypatch):
    # Excel dates (day numbers in cells styled as dates) are already in every sheet of the fixture.
    import tests.fixtures_903 as fixtures

    root, _, reference = returns
    plain = fixtures.xlsx_bytes
    monkeypatch.setattr(
        fixtures,
        "xlsx_bytes",
        lambda sheets: plain({k: [[f"Kent County Council: SSDA903 {k}"], *v] if v else v for k, v in sheets.items()}),
    )
    folder = root / "xlsx-titled"
    for year in ("2015-16", "2016-17"):
        (folder / year).mkdir(parents=True)
        (folder / year / "return.xlsx").write_bytes(fixtures.xlsx_return(year))
    report = run_import([folder], root / "xlsx-titled-out", today=TODAY)
    assert report.ok, report.format_text()
    _assert_same(root / "xlsx-titled-out", reference)
    # rows are still numbered as the sheet numbers them: the overlapping episode is on row 10 (was 9)
    (overlap,) = [p for p in report.problems if p.rule == "overlapping_episodes"]
    assert (overlap.file, overlap.row) == ("xlsx-titled/2016-17/return.xlsx (sheet Episodes)", 10)


def _with_second_header_row(root: Path, paths: dict, name: str, line: Callable[[str], str]) -> Path:
    folder = root / name
    shutil.copytree(paths["csv"], folder)
    header = folder / "2016-17" / "header.csv"
    lines = _text(header).split("\n")
    lines.insert(2, line(lines[1]))  # C1's row, repeated as the next row
    header.write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_two_identical_header_rows_for_one_child_count_once(returns):
    root, paths, reference = returns
    folder = _with_second_header_row(root, paths, "header-twice", lambda row: row)
    report = run_import([folder], root / "header-twice-out", today=TODAY)
    assert report.ok, report.format_text()
    _assert_same(root / "header-twice-out", reference)
    repeats = [(p.rule, p.row) for p in report.problems if p.rule in ("duplicate_row", "duplicate_key")]
    assert repeats == [("duplicate_row", 3)]


def test_two_different_header_rows_for_one_child_give_one_clear_message(returns):
    root, paths, _ = returns
    folder = _with_second_header_row(root, paths, "header-differs", lambda row: row.replace("WBRI", "WIRI"))
    report = run_import([folder], root / "header-differs-out", today=TODAY)
    (clash,) = [p for p in report.problems if p.rule in ("duplicate_row", "duplicate_key")]
    assert (clash.rule, clash.row, clash.column, clash.value) == ("duplicate_key", 3, "CHILD", "CHILD C1")
    assert "row 2" in clash.message and "10/05/2005" not in clash.message  # names the row, never the DOB
