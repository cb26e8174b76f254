"""Read a CSV text: decode it and split it into a header and records (as strings).

Records are split without ``pl.read_csv``, which silently pads a short row with nulls and so would
hide a truncated file: a file with no quote marks is split line by line and on commas with Polars
string expressions (counting each record's fields); a file with quoting falls back to the standard
library's ``csv`` module.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import polars as pl

from iro_metrics.importer.report import ImportProblem, problem

ROW = "_row"  # spreadsheet row number of a record (header = 1)


def decode(name: str, data: bytes) -> tuple[str | None, list[ImportProblem]]:
    if b"\x00" in data:
        return None, [
            problem(
                "not_text",
                name,
                "The file holds binary data and is not an Excel workbook (.xlsx) or a zip; save it as CSV.",
            )
        ]
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            continue
    return None, [problem("not_text", name, "The file is not UTF-8 or Windows-1252 text; save it as CSV UTF-8.")]


@dataclass
class RawTable:
    """A table as text: its header and its records (blank records dropped), from CSV, XML or Excel."""

    header_line: int
    header: list[str]
    body: pl.DataFrame  # ROW plus _f0.._f{n-1}: the records with as many fields as the header
    bad_rows: pl.DataFrame  # ROW, _fields: the records with another number of fields
    source: str | None = None  # where in the file the table is, e.g. "return.xml (Episodes)"; None: the file


def field_name(i: int) -> str:
    return f"_f{i}"


def _split_fast(text: str) -> RawTable | None:
    """Split a file with no quote marks: each line is a record, fields are split on commas (vectorised)."""
    lines = (
        pl.DataFrame({"_line": text.replace("\r\n", "\n").split("\n")})
        .with_row_index(ROW, offset=1)
        .with_columns(pl.col(ROW).cast(pl.Int64))
        .filter(pl.col("_line").str.replace_all(",", "", literal=True).str.strip_chars() != "")
    )
    if lines.height == 0:
        return None
    header_line, header_text = lines.row(0)
    header = header_text.split(",")
    counted = lines.slice(1).with_columns(_fields=pl.col("_line").str.count_matches(",", literal=True) + 1)
    good = counted.filter(pl.col("_fields") == len(header))
    parts = good.select(ROW, pl.col("_line").str.split(",").alias("_parts"))
    body = parts.select(ROW, *[pl.col("_parts").list.get(i).alias(field_name(i)) for i in range(len(header))])
    return RawTable(header_line, header, body, counted.filter(pl.col("_fields") != len(header)).select(ROW, "_fields"))


def _split_csv(name: str, text: str) -> tuple[RawTable | None, list[ImportProblem]]:
    """Split any CSV text with the csv module (quoted fields, embedded line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                records.append((last_line + 1, fields))
            last_line = reader.line_num
    except csv.Error as exc:
        return None, [
            problem(
                "malformed_csv",
                name,
                f"The CSV cannot be read from here on ({exc}); check for an unclosed quote mark.",
                row=last_line + 1,
            )
        ]
    if not records:
        return None, []
    header_line, header = records[0]
    width = len(header)
    good = [(line, fields) for line, fields in records[1:] if len(fields) == width]
    bad = [(line, len(fields)) for line, fields in records[1:] if len(fields) != width]
    columns = list(zip(*(fields for _, fields in good), strict=True)) if good else [()] * width
    body = pl.DataFrame(
        {ROW: pl.Series([line for line, _ in good], dtype=pl.Int64)}
        | {field_name(i): pl.Series(list(columns[i]), dtype=pl.String) for i in range(width)}
    )
    bad_rows = pl.DataFrame(
        {ROW: [line for line, _ in bad], "_fields": [n for _, n in bad]}, schema={ROW: pl.Int64, "_fields": pl.Int64}
    )
    return RawTable(header_line, header, body, bad_rows), []


MAX_COLUMNS = 1_000  # a 903 table has under 30; a file far wider is refused before it is split


def too_many_columns(text: str) -> int | None:
    """The separators on the widest of the first lines (within 1 MB) when over MAX_COLUMNS, else None."""
    widest = max((line.count(",") for line in text[: 1 << 20].split("\n", 50)[:50]), default=0)
    return widest + 1 if widest + 1 > MAX_COLUMNS else None


def split_csv_text(name: str, text: str) -> tuple[RawTable | None, list[ImportProblem]]:
    """The header and records of a CSV text; the fast path when no quoting or old Mac line ends are used."""
    wide = too_many_columns(text)
    if wide is not None:
        return None, [
            problem(
                "too_many_columns",
                name,
                f"A line has at least {wide:,} columns (a 903 table has under 30; at most {MAX_COLUMNS:,} are "
                "read): refused before reading it.",
            )
        ]
    if '"' not in text and "\r" not in text.replace("\r\n", ""):
        return _split_fast(text), []
    return _split_csv(name, text)
