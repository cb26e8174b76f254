"""The briefing as a Word document (.docx), the format council committee papers are written in.

Title and subtitle, a line naming the data source (and saying when it is synthetic), the
headline bullets, then one Heading 1 per theme with its sentences, charts (PNG images rendered
by vl-convert, with alt text) and real Word tables, and a closing Notes section.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from iro_metrics.briefing.images import charts_png
from iro_metrics.briefing.model import Briefing, BriefingChart, BriefingTable
from iro_metrics.safe_text import neutralise

CHART_WIDTH = Cm(16)


def build_document(briefing: Briefing) -> DocxDocument:
    """The python-docx Document for a briefing."""
    document = Document()
    # Word's document properties hold at most 255 characters each.
    document.core_properties.title = briefing.title[:255]
    document.core_properties.subject = briefing.subtitle[:255]
    document.core_properties.author = ""
    document.core_properties.comments = briefing.source[:255]
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)

    document.add_heading(briefing.title, level=0)
    document.add_paragraph(briefing.subtitle, style="Subtitle")
    source = document.add_paragraph()
    source.add_run(briefing.source).italic = True

    # Every chart's image first, rendered side by side.
    images = iter(charts_png([chart.chart for section in briefing.sections for chart in section.charts]))

    document.add_heading("Key headlines", level=1)
    for headline in briefing.headlines:
        document.add_paragraph(headline, style="List Bullet")

    for section in briefing.sections:
        document.add_heading(section.title, level=1)
        for number, paragraph in enumerate(section.paragraphs):
            heading = section.subheadings.get(number)
            if heading:
                document.add_heading(neutralise(heading[0]), level=2)
                for line in heading[1:]:
                    document.add_paragraph().add_run(neutralise(line)).bold = True
            document.add_paragraph(neutralise(paragraph))
        for chart in section.charts:
            _add_chart(document, chart, next(images))
        for table in section.tables:
            _add_table(document, table)

    document.add_heading("Notes", level=1)
    for note in briefing.notes:
        document.add_paragraph(note, style="List Number")
    return document


def _add_chart(document: DocxDocument, chart: BriefingChart, png: bytes) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=CHART_WIDTH)
    # Alt text for screen readers (Word's "Alt Text" pane reads docPr/@descr).
    shape._inline.docPr.set("descr", chart.alt_text)
    shape._inline.docPr.set("title", chart.title)
    document.add_paragraph(f"Chart: {chart.title}", style="Caption")


def _add_table(document: DocxDocument, table: BriefingTable) -> None:
    document.add_paragraph(neutralise(table.title), style="Caption")
    header = table.header
    rows = table.rows()
    word_table = document.add_table(rows=1 + len(rows), cols=len(header))
    word_table.style = "Table Grid"
    # One pass over the table's rows (``Table.cell`` walks the whole grid on every call).
    word_rows = word_table.rows
    for cell, name in zip(word_rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(neutralise(name)).bold = True
    for word_row, row in zip(list(word_rows)[1:], rows, strict=True):
        for j, (cell, value) in enumerate(zip(word_row.cells, row, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(neutralise(value))
            if j >= table.text_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in table.footnotes:
        footnote = document.add_paragraph()
        run = footnote.add_run(note)
        run.italic = True
        run.font.size = Pt(9)


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
