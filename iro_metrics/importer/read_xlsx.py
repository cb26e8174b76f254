"""Read 903 tables and templates saved as Excel workbooks (.xlsx): one table per sheet.

Cells are read as text with fastexcel (the reader Polars' ``read_excel`` uses), then recognised
and checked as a CSV is. A sheet's first non-blank row is its header. Rows are numbered as the
sheet shows them when the sheet starts at row 1.
"""

from __future__ import annotations

import polars as pl

from iro_metrics.importer.read_csv import ROW, RawTable, field_name
from iro_metrics.importer.report import ImportProblem, problem

XLSX_MAGIC = b"PK\x03\x04"


def looks_like_xlsx(name: str, data: bytes) -> bool:
    """True for a zip whose name ends .xlsx/.xlsm or that holds a workbook part."""
    if not data.startswith(XLSX_MAGIC):
        return False
    return name.lower().endswith((".xlsx", ".xlsm")) or b"xl/workbook.xml" in data[:65536]


def read_xlsx(name: str, data: bytes) -> tuple[list[RawTable], list[ImportProblem]]:
    """Each sheet of a workbook as a text table (empty sheets give an ``empty_file`` warning)."""
    import fastexcel

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
        header_row = filled.row(0, named=True)
        names = [header_row[field_name(i)] or "" for i in range(width)]
        while names and names[-1] == "":  # trailing blank header cells (formatting beyond the table)
            names.pop()
        body = filled.slice(1).select(ROW, *[field_name(i) for i in range(len(names))])
        bad = pl.DataFrame(schema={ROW: pl.Int64, "_fields": pl.Int64})
        tables.append(RawTable(header_row[ROW], names, body, bad, where))
    return tables, problems
