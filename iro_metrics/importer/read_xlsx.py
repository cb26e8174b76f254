"""Read 903 tables and templates saved as Excel workbooks (.xlsx): one table per sheet.

Cells are read as text with fastexcel (the reader Polars' ``read_excel`` uses), then recognised
and checked as a CSV is. A sheet's first non-blank row is its header. Rows are numbered as the
sheet shows them when the sheet starts at row 1.
"""

from __future__ import annotations

import io
import re
import zipfile

import fastexcel
import polars as pl

from iro_metrics.importer.formats import FILE_SPECS
from iro_metrics.importer.read_csv import ROW, RawTable, field_name
from iro_metrics.importer.report import ImportProblem, problem

XLSX_MAGIC = b"PK\x03\x04"


def looks_like_xlsx(name: str, data: bytes) -> bool:
    """True for a zip whose name ends .xlsx/.xlsm or that holds a workbook part."""
    if not data.startswith(XLSX_MAGIC):
        return False
    return name.lower().endswith((".xlsx", ".xlsm")) or b"xl/workbook.xml" in data[:65536]


MAX_SHEET_COLUMNS = 1_000
MAX_SHEET_CELLS = 60_000_000  # e.g. 30 columns of 2 million rows, a national return
MAX_SHEET_BYTES = 2 * 1024**3  # what the workbook's parts may unpack to
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s+ref\s*=\s*["']([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?["']""")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def declared_too_large(data: bytes) -> str | None:
    """Why a workbook is refused before its sheets are read (declared size or dimension), or None.

    Each sheet's ``<dimension ref="A1:XFD1048576">`` is read from the sheet's first 4 KB, and the
    parts' declared unpacked sizes are summed: the reader would allocate for every declared cell.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # the reader says it cannot be read
    if sum(p.file_size for p in parts) > MAX_SHEET_BYTES:
        return f"the workbook unpacks to more than {MAX_SHEET_BYTES // 1024**3} GB"
    for part in parts:
        if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
            continue
        try:
            with archive.open(part) as stream:
                head = stream.read(4096)
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
            return None
        found = _DIMENSION.search(head)
        if found is None or found.group(3) is None:
            continue
        first_col = _column_number((found.group(1) or "A").decode())
        first_row = int(found.group(2) or 1)
        columns = _column_number(found.group(3).decode()) - first_col + 1
        cells = columns * (int(found.group(4)) - first_row + 1)
        sheet = part.filename.rsplit("/", 1)[-1]
        if columns > MAX_SHEET_COLUMNS or cells > MAX_SHEET_CELLS:
            ref = found.group(0).split(b"=", 1)[1].strip(b"\"' ").decode()
            return f"{sheet} declares the range {ref} ({columns:,} columns, {cells:,} cells)"
    return None


_TITLE_ROWS = 10  # a sheet's header is looked for among its first non-blank rows


def _header_index(filled: pl.DataFrame, width: int) -> int:
    """Which of the sheet's non-blank rows is its header: the first of the first few whose cells are
    a file's columns (title rows such as "Kent SSDA903 return 2016-17" above it are skipped), else
    the first."""
    for index, row in enumerate(filled.head(_TITLE_ROWS).iter_rows(named=True)):
        names = frozenset((row[field_name(i)] or "").strip().upper() for i in range(width)) - {""}
        if len(names) >= 2 and any(spec.required_names <= names for spec in FILE_SPECS.values()):
            return index
    return 0


def read_xlsx(name: str, data: bytes) -> tuple[list[RawTable], list[ImportProblem]]:
    """Each sheet of a workbook as a text table (empty sheets give an ``empty_file`` warning)."""
    too_large = declared_too_large(data)
    if too_large is not None:
        return [], [
            problem(
                "sheet_too_large",
                name,
                f"The workbook is refused before it is read: {too_large}. Delete the empty rows and columns "
                f"(at most {MAX_SHEET_COLUMNS:,} columns and {MAX_SHEET_CELLS:,} cells) or save the sheet as CSV.",
            )
        ]
    try:
        reader = fastexcel.read_excel(data)
        sheets = [
            (sheet, reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars())
            for sheet in reader.sheet_names
        ]
    except Exception as exc:  # fastexcel raises its own error types for every kind of bad workbook
        return [], [problem("unreadable_file", name, f"The Excel workbook cannot be read ({type(exc).__name__}).")]
    tables: list[RawTable] = []
    problems: list[ImportProblem] = []
    for sheet, frame in sheets:
        where = f"{name} (sheet {sheet})"
        width = frame.width
        if width == 0 or frame.height == 0:
            problems.append(problem("empty_file", where, "The sheet is empty: an empty table, ignored."))
            continue
        cells = frame.rename({c: field_name(i) for i, c in enumerate(frame.columns)}).with_row_index(ROW, offset=1)
        cells = cells.with_columns(
            pl.col(ROW).cast(pl.Int64), *[pl.col(field_name(i)).str.strip_chars() for i in range(width)]
        )
        filled = cells.filter(pl.any_horizontal(pl.col(field_name(i)).fill_null("") != "" for i in range(width)))
        if width == 0 or filled.height == 0:
            problems.append(problem("empty_file", where, "The sheet is empty: an empty table, ignored."))
            continue
        header_at = _header_index(filled, width)
        filled = filled.slice(header_at)
        header_row = filled.row(0, named=True)
        names = [header_row[field_name(i)] or "" for i in range(width)]
        while names and names[-1] == "":  # trailing blank header cells (formatting beyond the table)
            names.pop()
        body = filled.slice(1).select(ROW, *[field_name(i) for i in range(len(names))])
        bad = pl.DataFrame(schema={ROW: pl.Int64, "_fields": pl.Int64})
        tables.append(RawTable(header_row[ROW], names, body, bad, where))
    return tables, problems
