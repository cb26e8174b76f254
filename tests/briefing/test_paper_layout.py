"""The papers checked in a real renderer (issue 24), as pages are checked in a real browser: each
paper kind is written as Word, converted to PDF by LibreOffice headless, and read back with
pdfinfo and pdftotext.

Asserted on the PDF: the page count (at most 10 A4 pages for the council), no heading, rating
line, caption or lead-in line last on a page (keep-with-next), a table's header row repeated on
every page it runs onto, and no word broken inside a table cell. Asserted on the Word file and the
charts: alt text on every chart, and one legend per chart (the chart drawn to SVG by vl-convert).

Marked ``paper``: they run in ``make test``; without LibreOffice they are skipped with a reason,
except on CI (``CI`` set), where .ci/run installs it and a missing soffice is a failure.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import polars as pl
import pytest

from iro_metrics.briefing import write_docx
from iro_metrics.briefing.build import build_paper
from iro_metrics.briefing.model import (
    Briefing,
    BriefingSection,
    BriefingTable,
    Heading,
    Paragraph,
)
from iro_metrics.dataset import load_dataset
from iro_metrics.selection import Selection

ROOT = Path(__file__).resolve().parents[2]
SOFFICE = shutil.which("soffice")
MAX_COUNCIL_PAGES = 10

pytestmark = pytest.mark.paper
if SOFFICE is None or shutil.which("pdftotext") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install LibreOffice and poppler-utils (.ci/run) for the paper layout tests")
    pytestmark = [
        pytest.mark.paper,
        pytest.mark.skip(
            reason="LibreOffice (soffice) or pdftotext is not installed: apt-get install "
            "libreoffice-writer-nogui poppler-utils"
        ),
    ]


def to_pdf(document: Path) -> Path:
    """The Word file converted by LibreOffice headless, with a profile of its own (tests run side by side)."""
    profile = document.parent / "lo-profile"
    subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(document.parent),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = document.with_suffix(".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {document.name}"
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_lines(pdf: Path, page: int) -> list[str]:
    """The page's text lines, without the footer's page number."""
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [line.strip() for line in text.splitlines() if line.strip() and not re.fullmatch(r"Page \d+", line.strip())]


def images_on_page(pdf: Path, page: int) -> int:
    """How many images (charts) the page draws, from pdfimages' list (two header lines)."""
    listing = subprocess.run(
        ["pdfimages", "-f", str(page), "-l", str(page), "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return sum(1 for line in listing.splitlines()[2:] if line.split() and line.split()[2] == "image")


def raw_words(pdf: Path) -> list[str]:
    """Every word of the PDF in the order it was drawn (a table cell's lines one after the other)."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split()


def kept_lines(briefing: Briefing) -> list[str]:
    """Everything that must never end a page: headings, rating lines, lead-ins and captions."""
    out = ["Key headlines", "Notes"]
    for section in briefing.sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, Heading) or (isinstance(block, Paragraph) and block.style in ("rating", "lead")):
                out.append(block.text)
            elif isinstance(block, BriefingTable):
                out.append(block.title)
        out += [f"Chart: {chart.title}" for chart in section.charts]
    return out


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def rendered(shipped, tmp_path_factory):
    """Each paper kind as (briefing, its .docx, its PDF)."""
    out = {}
    kinds = {
        "council 2013-14 Q4": (Selection.of(shipped, "2013-14-Q4"), "quarterly"),
        "council 2025-26 Q4": (Selection.of(shipped, "2025-26-Q4"), "quarterly"),
        "area 2025-26 Q4": (Selection.of(shipped, "2025-26-Q4", ["East Kent"]), "quarterly"),
        "annual 2015-16": (Selection.of(shipped, "2015-16"), "annual"),
    }
    for name, (selection, kind) in kinds.items():
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        briefing = build_paper(selection, kind=kind)
        word = write_docx(briefing, folder / "paper.docx")
        out[name] = (briefing, word, to_pdf(word))
    return out


def test_each_paper_fits_ten_pages(rendered):
    for name, (_, _, pdf) in rendered.items():
        assert page_count(pdf) <= MAX_COUNCIL_PAGES, name


def test_no_heading_caption_or_rating_line_ends_a_page(rendered):
    for name, (briefing, _, pdf) in rendered.items():
        kept = [k for k in kept_lines(briefing) if k]
        pages = page_count(pdf)
        for page in range(1, pages):  # the last page may end anywhere
            lines = page_lines(pdf, page)
            last = lines[-1]
            stranded = [k for k in kept if len(last) >= 4 and k.endswith(last)]
            if stranded and last.startswith("Chart: "):
                # A chart is a picture with no text, so its caption is the last text of a page that ends
                # with the chart: stranded only when the page has fewer pictures than chart captions.
                captions = sum(1 for line in lines if line.startswith("Chart: "))
                stranded = stranded if images_on_page(pdf, page) < captions else []
            assert not stranded, f"{name}: page {page} ends with {last!r} ({stranded[0]!r})"


def test_no_word_breaks_inside_a_table_cell(rendered, tmp_path):
    # Each paper's tables on their own (laid out as in the paper), so a word the body text breaks at a
    # hyphen at the end of a line ("2013-" / "14") is not taken for a cell's.
    for name, (briefing, _, _) in rendered.items():
        tables = [t for s in briefing.sections for t in s.tables]
        alone = Briefing("Tables", "", [], [BriefingSection("Tables", list(tables))], [], "", briefing.synthetic)
        pdf = to_pdf(write_docx(alone, tmp_path / f"{name.replace(' ', '-')}-tables.docx"))
        cell_words = {
            word
            for section in briefing.sections
            for table in section.tables
            for row in [tuple(table.header), *table.rows()]
            for cell in row
            for word in cell.split()
            if len(word) >= 4
        }
        words = [w.replace("\u2060", "") for w in raw_words(pdf)]
        broken = [(a, b) for a, b in itertools.pairwise(words) if a + b in cell_words and a not in cell_words]
        assert not broken, f"{name}: words broken inside a table cell: {broken[:5]}"


def test_every_chart_has_alt_text_and_one_legend(rendered):
    import vl_convert as vlc

    from iro_metrics.briefing.images import chart_spec

    for name, (briefing, word, _) in rendered.items():
        document = docx.Document(str(word))
        descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
        assert len(descriptions) == len(briefing.charts()) >= 1, name
        assert all(d and len(d) > 20 for d in descriptions), name
        for chart in briefing.charts():
            svg = vlc.vegalite_to_svg(chart_spec(chart.chart))
            assert svg.count('class="mark-group role-legend"') <= 1, f"{name}: {chart.title} draws two legends"


def test_every_table_repeats_its_header_row_on_each_page(tmp_path):
    # A table of 120 rows runs over three pages: its header row is printed at the top of each.
    frame = pl.DataFrame({"Item": [f"Row {n}" for n in range(1, 121)], "Figure": [str(n * 7) for n in range(1, 121)]})
    section = BriefingSection("A long table", [Paragraph("Every row:", "lead"), BriefingTable("Rows", frame)])
    briefing = Briefing("Layout check", "A long table", [], [section], [], "Made up for the test.", True)
    word = write_docx(briefing, tmp_path / "long.docx")
    rows = docx.Document(str(word)).tables[0].rows
    assert rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    pdf = to_pdf(word)
    pages = page_count(pdf)
    assert pages >= 3
    for page in range(1, pages + 1):
        lines = page_lines(pdf, page)
        if any(line.startswith("Row ") for line in lines):
            assert any(line.replace(" ", "") in ("ItemFigure", "Item") for line in lines), f"page {page}: no header"
