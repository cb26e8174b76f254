"""The paper as a Word document (.docx), the format council committee papers are written in.

An A4 page with 2 cm margins and page numbers in the footer; the title, subtitle and a line naming
the data source (saying when it is synthetic); the introduction, the key headlines, then one
Heading 1 per section with its blocks in order, and a closing Notes section.

Layout for a printed page, checked in LibreOffice by tests/briefing/test_paper_layout.py: every
heading, rating line and caption is kept with what follows it, so none is left at the foot of a
page; a table's header row repeats on every page it runs onto and no row splits across pages;
a table's columns are as wide as their longest word needs, so no word breaks inside a cell; a
chart is a PNG with its title as the caption above it and alt text for screen readers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from iro_metrics.briefing.images import charts_png
from iro_metrics.briefing.model import Block, Briefing, BriefingChart, BriefingTable, Heading, Paragraph
from iro_metrics.safe_text import neutralise

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
TEXT_WIDTH_CM = 17.0
CHART_WIDTH = Cm(13)
TABLE_FONT = Pt(9)
# Widths of 9 pt Arial (Liberation Sans) characters in ems (of 0.3175 cm), rounded up: most
# lower-case letters and digits are 0.56 em; narrow and wide ones below. Bold is up to 10% wider.
# A cell's padding is Table Grid's 0.19 cm each side, with a margin.
EM_CM, CELL_PADDING_CM, BOLD = 0.3175, 0.5, 1.1
NARROW, WIDE = set("iljtfrI.,;:'()[]- |!"), set("mwMW%@")


def text_cm(text: str, bold: bool = False) -> float:
    """The printed width of a line of 9 pt Arial in cm (an estimate erring wide)."""
    ems = sum(0.3 if c in NARROW else 0.9 if c in WIDE else 0.72 if c.isupper() else 0.58 for c in text)
    return ems * EM_CM * (BOLD if bold else 1.0)


def build_document(briefing: Briefing) -> DocxDocument:
    """The python-docx Document for a briefing."""
    document = Document()
    # Word's document properties hold at most 255 characters each.
    document.core_properties.title = briefing.title[:255]
    document.core_properties.subject = briefing.subtitle[:255]
    document.core_properties.author = ""
    document.core_properties.comments = briefing.source[:255]
    _page_setup(document)

    document.add_heading(briefing.title, level=0)
    document.add_paragraph(briefing.subtitle, style="Subtitle")
    source = document.add_paragraph()
    source.add_run(briefing.source).italic = True

    # Every chart's image first, rendered side by side.
    images = iter(charts_png([chart.chart for chart in briefing.charts()]))

    _add_blocks(document, briefing.introduction, images)
    if briefing.headlines:
        _heading(document, "Key headlines", 1)
        for headline in briefing.headlines:
            document.add_paragraph(neutralise(headline), style="List Bullet")

    for section in briefing.sections:
        _add_blocks(document, section.blocks, images, section_title=section.title)

    _heading(document, "Notes", 1)
    for note in briefing.notes:
        document.add_paragraph(note, style="List Number")
    return document


def _page_setup(document: DocxDocument) -> None:
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Caption"):
        styles[name].paragraph_format.keep_with_next = True
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_number(footer)


def _page_number(paragraph: DocxParagraph) -> None:
    """'Page N' with N a PAGE field, so Word and LibreOffice number the pages."""
    paragraph.add_run("Page ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _heading(document: DocxDocument, text: str, level: int) -> DocxParagraph:
    heading = document.add_heading(neutralise(text), level=level)
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.keep_together = True
    return heading


def _add_blocks(document: DocxDocument, blocks: list[Block], images, section_title: str | None = None) -> None:
    """The blocks in order. A heading and the rating lines under it are one paragraph (lines
    broken), kept with what follows: LibreOffice breaks a chain of two kept paragraphs, leaving the
    heading at the foot of a page and its rating line on the next. For the same reason a section's
    title and the heading that opens it are one paragraph (the Heading 1 outline entry; the
    subheading is set in the Heading 2 look)."""
    number = 0
    if section_title is not None:
        heading = _heading(document, section_title, 1)
        if blocks and isinstance(first := blocks[0], Heading):
            run = heading.add_run()
            run.add_break()
            sub = document.styles["Heading 2"].font
            run = heading.add_run(neutralise(first.text))
            run.font.size, run.font.color.rgb = sub.size or Pt(13), sub.color.rgb
            number = _add_ratings(heading, blocks, 1)
    while number < len(blocks):
        block = blocks[number]
        number += 1
        if isinstance(block, Heading):
            number = _add_ratings(_heading(document, block.text, block.level), blocks, number)
        else:
            _add_block(document, block, images)


def _add_ratings(heading: DocxParagraph, blocks: list[Block], number: int) -> int:
    """The rating lines from ``blocks[number]`` on, added to ``heading``; the next block's index."""
    while number < len(blocks) and isinstance(rating := blocks[number], Paragraph) and rating.style == "rating":
        run = heading.add_run()
        run.add_break()
        run = heading.add_run(neutralise(rating.text))
        run.font.size, run.font.color.rgb = Pt(11), RGBColor(0, 0, 0)
        number += 1
    return number


def _add_block(document: DocxDocument, block: Block, images) -> None:
    if isinstance(block, Heading):
        _heading(document, block.text, block.level)
    elif isinstance(block, Paragraph):
        if block.style == "bullet":
            document.add_paragraph(neutralise(block.text), style="List Bullet")
        elif block.style == "rating":
            rating = document.add_paragraph()
            rating.add_run(neutralise(block.text)).bold = True
            rating.paragraph_format.keep_with_next = True
        else:
            paragraph = document.add_paragraph(neutralise(block.text))
            paragraph.paragraph_format.keep_with_next = block.style == "lead"
    elif isinstance(block, BriefingChart):
        _add_chart(document, block, next(images))
    elif isinstance(block, BriefingTable):
        _add_table(document, block)


def _add_chart(document: DocxDocument, chart: BriefingChart, png: bytes) -> None:
    caption = document.add_paragraph(f"Chart: {neutralise(chart.title)}", style="Caption")
    caption.paragraph_format.keep_with_next = True  # on the paragraph too: LibreOffice may not read the style's
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=CHART_WIDTH)
    # Alt text for screen readers (Word's "Alt Text" pane reads docPr/@descr).
    shape._inline.docPr.set("descr", chart.alt_text)
    shape._inline.docPr.set("title", chart.title)


def column_widths(header: list[str], rows: list[tuple[str, ...]], text_width: float = TEXT_WIDTH_CM) -> list[float]:
    """Each column's width in cm, the table filling the text width: never narrower than its longest
    word (so no word breaks inside a cell), and otherwise sharing the width by how long each
    column's text runs."""
    cells = [(True, header), *((False, row) for row in rows)]

    def widest(j: int, parts: Callable[[str], list[str]]) -> float:
        return max((text_cm(part, bold) for bold, row in cells for part in parts(str(row[j]))), default=0.0)

    floor = [widest(j, str.split) + CELL_PADDING_CM for j in range(len(header))]
    wanted = [widest(j, lambda text: [text]) + CELL_PADDING_CM for j in range(len(header))]
    if sum(wanted) <= text_width:
        return [w * text_width / sum(wanted) for w in wanted]
    spare = text_width - sum(floor)
    if spare <= 0:  # too many columns for the page: their longest words decide, shrunk evenly
        return [f * text_width / sum(floor) for f in floor]
    extra = [w - f for w, f in zip(wanted, floor, strict=True)]
    return [f + spare * e / sum(extra) for f, e in zip(floor, extra, strict=True)]


WORD_JOINER = "\u2060"  # invisible; no line break on either side of it
_DASHES = re.compile(r"(?<=\w)([-–])(?=[\w(])")


def unbroken(text: str) -> str:
    """A cell's text with no line break allowed at a hyphen or dash inside a word ("2013-14",
    "91.7–96.4%"): LibreOffice breaks there to fill a narrow cell, which reads as a broken word."""
    return _DASHES.sub(lambda found: f"{WORD_JOINER}{found.group(1)}{WORD_JOINER}", text)


def _row_properties(row, header: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        properties.append(repeat)


def _add_table(document: DocxDocument, table: BriefingTable) -> None:
    document.add_paragraph(neutralise(table.title), style="Caption")
    header = table.header
    rows = table.rows()
    word_table = document.add_table(rows=1 + len(rows), cols=len(header))
    word_table.style = "Table Grid"
    word_table.alignment = WD_TABLE_ALIGNMENT.LEFT
    word_table.autofit = False
    widths = [Cm(w) for w in column_widths(header, rows)]
    for column, width in zip(word_table.columns, widths, strict=True):
        column.width = width
    # One pass over the table's rows (``Table.cell`` walks the whole grid on every call).
    word_rows = list(word_table.rows)
    keep_together = len(rows) <= 15  # a short table is kept on one page with its caption
    for number, (word_row, values) in enumerate(zip(word_rows, [tuple(header), *rows], strict=True)):
        _row_properties(word_row, header=number == 0)
        for j, (cell, value) in enumerate(zip(word_row.cells, values, strict=True)):
            cell.width = widths[j]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(unbroken(neutralise(value)))
            run.font.size = TABLE_FONT
            run.bold = number == 0
            if number and j >= table.text_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if number == 0 or (keep_together and number < len(rows)):
                paragraph.paragraph_format.keep_with_next = True
    for note in table.footnotes:
        footnote = document.add_paragraph()
        run = footnote.add_run(note)
        run.italic = True
        run.font.size = Pt(9)
    if not table.footnotes:
        document.add_paragraph().paragraph_format.space_after = Pt(0)


def write_docx(briefing: Briefing, path: Path | str) -> Path:
    """Write the briefing as a .docx file at ``path``; return the path."""
    target = Path(path)
    build_document(briefing).save(str(target))
    return target


def docx_bytes(briefing: Briefing) -> bytes:
    """The .docx file's bytes (for a download button)."""
    buffer = io.BytesIO()
    build_document(briefing).save(buffer)
    return buffer.getvalue()
