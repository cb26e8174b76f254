"""Downloads: suppressed by the period table by default, friendly and whole-number, and never a formula.

Issue #14 item 7: the "indicators by area" CSV held 21 count cells from 1 to 4; an area named
``=cmd|' /C calc'!A0`` passed into a CSV header. Every download path is tried with that area name.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import docx
import polars as pl
import pytest

from iro_metrics.briefing import MARKER, build_briefing, markdown_text
from iro_metrics.briefing.batch import papers_zip
from iro_metrics.briefing.docx_writer import docx_bytes
from iro_metrics.briefing.downloads import friendly_header, internal_csv, publishable_csv, publishable_frame
from iro_metrics.briefing.figures import figures_csv
from iro_metrics.dataset import load_dataset
from iro_metrics.pages.areas import areas_figures
from iro_metrics.safe_text import FORMULA_STARTS, neutralise, neutralise_frame
from iro_metrics.selection import Selection
from tests.briefing.test_build import FIRST_DAY, LAST_DAY, TABLES
from tests.builders import make_dataset

ROOT = Path(__file__).resolve().parents[2]
EVIL = "=cmd|' /C calc'!A0"
Q4 = "2013-14-Q4"


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(cells: list[str]) -> None:
    bad = [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert not bad, bad[:5]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_every_formula_start(start):
    assert neutralise(f"{start}1+1") == f"'{start}1+1"
    frame = neutralise_frame(pl.DataFrame({f"{start}x": [f"{start}SUM(A1)", "plain"], "n": [-3, 4]}))
    assert frame.columns == [f"'{start}x", "n"]
    assert frame[f"'{start}x"].to_list() == [f"'{start}SUM(A1)", "plain"]
    assert frame["n"].to_list() == [-3, 4]  # numbers stay numbers


def test_neutralise_leaves_other_text_alone():
    assert neutralise("East Kent") == "East Kent"
    assert neutralise("") == ""


def test_friendly_headers():
    assert friendly_header("period_start") == "Period start"
    assert friendly_header("Children in care") == "Children in care"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(ROOT / "data")


def test_indicators_by_area_download_is_suppressed_by_the_period_table(shipped):
    table = areas_figures(Selection.of(shipped, Q4)).table
    raw = table.filter(indicator="late_notifications")
    assert raw["South Kent"][0] == 3 and raw["Council"][0] == 32
    shown = publishable_frame(table, Selection.of(shipped, Q4, None, "all"))
    late = shown.filter(pl.col("Indicator") == "Late notifications")
    assert late["South Kent"][0] == MARKER and late["Council"][0] == "32"
    # No count cell from 1 to 4 below council level survives (21 of 105 did before).
    areas = shipped.areas()
    counts = [
        "children_in_care",
        "children_starting_care",
        "children_ceasing_care",
        "reviews_held",
        "reviews_overdue",
        "late_notifications",
        "disputes_formal",
        "disputes_informal",
        "child_chaired_full",
        "child_chaired_part",
    ]
    for indicator in counts:
        row = table.filter(indicator=indicator)
        published = shown.filter(pl.col("Indicator") == row["Indicator"][0])
        for area in areas:
            if 1 <= (row[area][0] or 0) <= 4:
                assert published[area][0] == MARKER, (indicator, area)
    # Counts are whole numbers and percentages as shown on screen.
    children = shown.filter(pl.col("Indicator") == "Children in care")
    assert children["Council"][0] == "1842"
    assert shown.filter(pl.col("Indicator") == "Late notification rate")["Council"][0] == "20.3%"
    assert "indicator" not in shown.columns  # friendly headers only


def test_internal_download_is_unsuppressed_and_labelled_by_its_caller(shipped):
    table = areas_figures(Selection.of(shipped, Q4)).table
    rows = list(csv.DictReader(io.StringIO(internal_csv(table))))
    late = next(r for r in rows if r["indicator"] == "late_notifications")
    assert late["South Kent"] == "3.0"


def test_a_part_of_the_council_long_download(shipped):
    from iro_metrics.indicators import compute_indicators

    frame = compute_indicators(Selection.of(shipped, Q4, ["South Kent"]))
    shown = publishable_frame(frame, Selection.of(shipped, Q4, ["South Kent"], "all"))
    late = shown.filter(pl.col("Indicator") == "late_notifications")
    assert late["Value"][0] == MARKER and late["Numerator"][0] == MARKER


@pytest.fixture(scope="module")
def evil():
    renamed = {
        name: [{**row, "area": EVIL} if row.get("area") == "West Kent" else row for row in rows]
        for name, rows in TABLES.items()
    }
    return make_dataset(first_day=FIRST_DAY, last_day=LAST_DAY, **renamed)


def test_a_formula_area_name_is_neutralised_in_every_download(evil):
    assert EVIL in evil.areas()
    table = areas_figures(Selection.of(evil, Q4)).table
    assert f"'{EVIL}" in csv_cells(publishable_csv(table, Selection.of(evil, Q4, None, "all")))
    assert_no_formula(csv_cells(publishable_csv(table, Selection.of(evil, Q4, None, "all"))))
    assert_no_formula(csv_cells(internal_csv(table)))
    by_area = areas_figures(Selection.of(evil, Q4)).by_area
    assert_no_formula(csv_cells(publishable_csv(by_area, Selection.of(evil, Q4, None, "all"))))
    assert_no_formula(csv_cells(internal_csv(by_area)))

    paper = build_briefing(Selection.of(evil, Q4))
    assert_no_formula(csv_cells(figures_csv(paper)))
    # Markdown table cells and Word table cells.
    for line in markdown_text(paper).splitlines():
        if line.startswith("|") and set(line) - set("|:- "):  # a table row, not the alignment row
            assert_no_formula([cell.strip() for cell in line.strip("|").split("|")])
    assert "'" + EVIL.replace("|", "\\|") in markdown_text(paper)  # pipes escaped in a Markdown table
    document = docx.Document(io.BytesIO(docx_bytes(paper)))
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert f"'{EVIL}" in cells
    assert_no_formula(cells)
    # The batch zip: every CSV inside.
    archive = zipfile.ZipFile(io.BytesIO(papers_zip(Selection.of(evil, Q4))))
    for name in archive.namelist():
        assert not name.startswith(FORMULA_STARTS)
        if name.endswith(".csv"):
            assert_no_formula(csv_cells(archive.read(name).decode("utf-8")))


def test_every_app_table_offers_the_labelled_internal_choice(tmp_path_factory, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from iro_metrics.dataset import write_dataset
    from tests.builders import frame

    home = tmp_path_factory.mktemp("iro-data-home")
    frames = {name: frame(name, rows) for name, rows in TABLES.items()}
    meta = {"local_authority": "Downloads test", "synthetic": True, "first_day": FIRST_DAY, "last_day": LAST_DAY}
    write_dataset(frames, meta, home / "datasets" / "downloads-test")
    monkeypatch.setenv("IRO_DATA_HOME", str(home))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"dataset": "downloads-test", "year": "2013-14", "quarter": "Q4"})
    at.run()
    at.switch_page("pages/areas.py").run()
    assert not at.exception, at.exception
    labels = [box.label for box in at.checkbox]
    assert "Unsuppressed figures: for internal use, not for publication" in labels
    # Ticking it keeps the table's download (its file is built only when clicked).
    box = next(b for b in at.checkbox if b.key == "internal_indicators_by_area")
    buttons = len(at.get("download_button"))
    box.check().run()
    assert not at.exception, at.exception
    assert len(at.get("download_button")) == buttons
