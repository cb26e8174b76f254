"""Read one supplied CSV file: decode it, recognise what it is by its columns, and type its values.

Reading never raises on bad input: every problem becomes an ImportProblem naming the file, the
row (the header is row 1), the column, the value and the rule.

Records are split without ``pl.read_csv``, which silently pads a short row with nulls and so would
hide a truncated file: a file with no quote marks is split line by line and on commas with Polars
string expressions (counting each record's fields); a file with quoting falls back to the standard
library's ``csv`` module. Everything after the split (types, codes, dates, keys) is Polars.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from iro_metrics.importer.formats import (
    DATE_FORMAT_TEXT,
    FILE_SPECS,
    FLAG_VALUES,
    PRIVATE_COLUMNS,
    ColumnSpec,
    FileSpec,
)
from iro_metrics.importer.report import PROBLEM_SCHEMA, ImportProblem, problem, problems_from_frame

MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

ROW = "_row"  # spreadsheet row number of a record (header = 1)
FILE = "_file"  # the file a record came from
RANK = "_rank"  # order of precedence when several returns hold the same record (higher wins)

_DATE_PATTERN = r"^\d{1,2}/\d{1,2}/\d{4}$"
HIDDEN_VALUE = "(hidden: identifies a child)"


@dataclass
class ParsedFile:
    """One supplied file after reading: what it is, its typed records and its problems."""

    name: str
    position: int
    spec: FileSpec | None = None
    frame: pl.DataFrame | None = None  # typed records (plus _row, _file, _rank); None if unreadable
    problems: list[ImportProblem] = field(default_factory=list)
    columns_present: frozenset[str] = frozenset()

    @property
    def rows(self) -> int:
        return 0 if self.frame is None else self.frame.height


def _decode(name: str, data: bytes) -> tuple[str | None, list[ImportProblem]]:
    if b"\x00" in data:
        return None, [problem("not_text", name, "The file holds binary data; save it as CSV (comma separated).")]
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            continue
    return None, [problem("not_text", name, "The file is not UTF-8 or Windows-1252 text; save it as CSV UTF-8.")]


@dataclass
class _Split:
    """A CSV text split into its header and its records (blank records dropped)."""

    header_line: int
    header: list[str]
    body: pl.DataFrame  # ROW plus _f0.._f{n-1}: the records with as many fields as the header
    bad_rows: pl.DataFrame  # ROW, _fields: the records with another number of fields


def _field(i: int) -> str:
    return f"_f{i}"


def _split_fast(text: str) -> _Split | None:
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
    body = parts.select(ROW, *[pl.col("_parts").list.get(i).alias(_field(i)) for i in range(len(header))])
    return _Split(header_line, header, body, counted.filter(pl.col("_fields") != len(header)).select(ROW, "_fields"))


def _split_csv(name: str, text: str) -> tuple[_Split | None, list[ImportProblem]]:
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
        | {_field(i): pl.Series(list(columns[i]), dtype=pl.String) for i in range(width)}
    )
    bad_rows = pl.DataFrame(
        {ROW: [line for line, _ in bad], "_fields": [n for _, n in bad]}, schema={ROW: pl.Int64, "_fields": pl.Int64}
    )
    return _Split(header_line, header, body, bad_rows), []


def _split(name: str, text: str) -> tuple[_Split | None, list[ImportProblem]]:
    """The header and records of a CSV text; the fast path when no quoting or old Mac line ends are used."""
    if '"' not in text and "\r" not in text.replace("\r\n", ""):
        return _split_fast(text), []
    return _split_csv(name, text)


def recognise(columns: frozenset[str]) -> tuple[FileSpec | None, str, list[str]]:
    """The kind of file with these columns: (spec or None, rule id if not clean, missing columns).

    A file is a kind when it has all the kind's required columns; when several kinds fit, the one
    whose known columns the file matches best wins. With no fit, the best partial match is named
    with the required columns it lacks.
    """

    def score(spec: FileSpec) -> int:
        known = set(spec.names)
        return len(columns & known) - len(columns - known)

    fits = [s for s in FILE_SPECS.values() if s.required_names <= columns]
    if fits:
        best = max(score(s) for s in fits)
        winners = [s for s in fits if score(s) == best]
        if len(winners) == 1:
            return winners[0], "", []
        return None, "ambiguous_file", [w.title for w in winners]
    partial = [s for s in FILE_SPECS.values() if len(columns & set(s.names)) >= 2]
    if not partial:
        return None, "unrecognised_file", []
    best = max(score(s) for s in partial)
    winners = [s for s in partial if score(s) == best]
    if len(winners) != 1:
        return None, "unrecognised_file", []
    spec = winners[0]
    return spec, "missing_column", sorted(spec.required_names - columns)


def _expected_files_text() -> str:
    return "; ".join(f"{s.title}: {', '.join(sorted(s.required_names))}" for s in FILE_SPECS.values())


def _normalised(column: ColumnSpec) -> pl.Expr:
    raw = pl.col(column.name)
    if column.kind in ("code", "flag", "level"):
        return raw.str.to_uppercase() if column.upper or column.kind == "flag" else raw.str.to_lowercase()
    return raw


def _shown_value(column: str) -> pl.Expr:
    if column in PRIVATE_COLUMNS:
        return pl.lit(HIDDEN_VALUE)
    return pl.col(column)


def _codes_text(allowed: tuple[str, ...]) -> str:
    shown = ", ".join(allowed[:40])
    return shown + (f" and {len(allowed) - 40} more (see docs/import.md)" if len(allowed) > 40 else "")


def _convert(frame: pl.DataFrame, spec: FileSpec, name: str, today: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed values for every used column, and the problems found converting them."""
    checks: list[tuple[str, str, pl.Expr, pl.Expr]] = []  # column, rule, bad mask, message
    typed: list[pl.Expr] = []
    for column in spec.columns:
        if column.name not in frame.columns or not column.used:
            continue
        raw = pl.col(column.name)
        value = _normalised(column)
        if column.mandatory:
            checks.append((column.name, "missing_value", raw.is_null(), pl.lit(f"{column.name} must have a value")))
        if column.kind == "text":
            converted = raw
        elif column.kind in ("code", "level"):
            allowed = column.codes or ()
            checks.append(
                (
                    column.name,
                    "unknown_code",
                    value.is_not_null() & ~value.is_in(allowed),
                    pl.lit(f"{column.name} must be one of {_codes_text(allowed)}"),
                )
            )
            converted = value if column.kind == "code" else value.cast(pl.Int64, strict=False)
        elif column.kind == "date":
            well_formed = raw.str.contains(_DATE_PATTERN)
            converted = pl.when(well_formed).then(raw.str.strptime(pl.Date, "%d/%m/%Y", strict=False))
            checks.append(
                (
                    column.name,
                    "bad_date",
                    raw.is_not_null() & converted.is_null(),
                    pl.lit(f"{column.name} must be a real date written {DATE_FORMAT_TEXT}, e.g. 01/04/2014"),
                )
            )
            checks.append(
                (
                    column.name,
                    "future_date",
                    converted > pl.lit(today),
                    pl.lit(f"{column.name} is after the day of the import ({today:%d/%m/%Y})"),
                )
            )
        elif column.kind == "number":
            converted = raw.cast(pl.Float64, strict=False)
            checks.append(
                (
                    column.name,
                    "bad_number",
                    raw.is_not_null()
                    & (converted.is_null() | converted.is_nan() | converted.is_infinite() | (converted < 0)),
                    pl.lit(f"{column.name} must be a number of 0 or more, e.g. 7.5"),
                )
            )
        else:  # flag
            converted = value.replace_strict(FLAG_VALUES, default=None, return_dtype=pl.Boolean)
            checks.append(
                (
                    column.name,
                    "bad_flag",
                    value.is_not_null() & ~value.is_in(tuple(FLAG_VALUES)),
                    pl.lit(f"{column.name} must be Y or N"),
                )
            )
        typed.append(converted.alias(column.name))
    problems = [
        frame.filter(bad).select(
            pl.lit(name).alias("file"),
            pl.col(ROW).alias("row"),
            pl.lit(column).alias("column"),
            _shown_value(column).cast(pl.String).alias("value"),
            pl.lit(rule).alias("rule"),
            message.alias("message"),
        )
        for column, rule, bad, message in checks
    ]
    problem_frame = pl.concat([pl.DataFrame(schema=_FRAME_SCHEMA), *problems]).select(list(_FRAME_SCHEMA))
    return frame.select(pl.col(ROW), *typed), problem_frame


_FRAME_SCHEMA = {k: v for k, v in PROBLEM_SCHEMA.items() if k != "severity"}


def _duplicates(frame: pl.DataFrame, spec: FileSpec, name: str) -> pl.DataFrame:
    """Rows repeating an earlier row's key within the file."""
    key = list(spec.key)
    if not key:
        return pl.DataFrame(schema=_FRAME_SCHEMA)
    keyed = frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key)).with_columns(
        _first_row=pl.col(ROW).min().over(key)
    )
    first_row = pl.col("_first_row")
    shown_parts = [k for k in key if k not in PRIVATE_COLUMNS]
    if shown_parts:
        value = pl.concat_str(
            [pl.format(f"{k} {{}}", _as_text(keyed.schema[k], k)) for k in shown_parts], separator=", "
        )
    else:
        value = pl.lit(HIDDEN_VALUE)
    return keyed.filter(pl.col(ROW) != first_row).select(
        pl.lit(name).alias("file"),
        pl.col(ROW).alias("row"),
        pl.lit(" + ".join(key)).alias("column"),
        value.alias("value"),
        pl.lit("duplicate_key").alias("rule"),
        pl.format(f"same {' and '.join(key)} as row {{}}: each record must appear once per file", first_row).alias(
            "message"
        ),
    )


def _as_text(dtype: pl.DataType, column: str) -> pl.Expr:
    if dtype == pl.Date:
        return pl.col(column).dt.to_string("%d/%m/%Y")
    return pl.col(column).cast(pl.String)


def _financial_year(frame: pl.DataFrame, spec: FileSpec) -> int:
    """Financial year (its starting calendar year) of the file's latest date; -1 without dates."""
    columns = [c for c in spec.date_columns if c in frame.columns]
    if not columns or frame.height == 0:
        return -1
    latest = frame.select(pl.max_horizontal(pl.col(c).max() for c in columns)).item()
    if latest is None:
        return -1
    return latest.year if latest.month >= 4 else latest.year - 1


def _unknown_columns(names: list[str], spec: FileSpec, name: str, header_line: int) -> list[ImportProblem]:
    """Columns the spec does not define: ignored in a 903 file, an error in a template or when cut off."""
    known = set(spec.names)
    found = []
    for index, extra in enumerate(names):
        if extra in known:
            continue
        cut_off = index == len(names) - 1 and any(k.startswith(extra) for k in known)
        if cut_off:
            message = f"The last column name {extra} looks cut off (a truncated file?); expected one of {', '.join(spec.names)}."
        elif not spec.is_903:
            message = f"The {spec.title} template has no column {extra}; expected columns: {', '.join(spec.names)}."
        else:
            message = f"{spec.title} has no column {extra}; it is ignored."
        rule = "unexpected_column" if cut_off or not spec.is_903 else "unknown_column"
        found.append(problem(rule, name, message, row=header_line, column=extra))
    return found


def read_file(name: str, data: bytes, position: int, today: date) -> ParsedFile:
    """Read one file: decode, split, recognise, type and check it (never raises on bad input)."""
    parsed = ParsedFile(name=name, position=position)
    text, problems = _decode(name, data)
    if text is None:
        parsed.problems = problems
        return parsed
    split, problems = _split(name, text)
    parsed.problems.extend(problems)
    if problems:
        return parsed
    if split is None:
        parsed.problems.append(problem("empty_file", name, "The file is empty: it needs a header row of column names."))
        return parsed
    header_line = split.header_line
    names = [h.strip().upper() for h in split.header]
    blank = [i + 1 for i, h in enumerate(names) if not h]
    repeated = sorted({h for h in names if h and names.count(h) > 1})
    if blank or repeated:
        detail = []
        if blank:
            detail.append(f"column(s) {', '.join(map(str, blank))} have no name")
        if repeated:
            detail.append(f"{', '.join(repeated)} appear more than once")
        parsed.problems.append(
            problem("bad_header", name, "The header row is not usable: " + "; ".join(detail) + ".", row=header_line)
        )
        return parsed
    columns = frozenset(names)
    parsed.columns_present = columns
    spec, rule, detail_list = recognise(columns)
    if spec is None:
        if rule == "ambiguous_file":
            message = f"The columns fit more than one kind of file ({', '.join(detail_list)})."
        else:
            message = (
                f"The columns ({', '.join(names)}) match no file this tool reads. Expected columns: "
                f"{_expected_files_text()}."
            )
        parsed.problems.append(problem(rule, name, message, row=header_line))
        return parsed
    parsed.spec = spec
    if rule == "missing_column":
        parsed.problems.extend(
            problem(
                "missing_column",
                name,
                f"This looks like the {spec.title} file but it has no {missing} column, which is required.",
                row=header_line,
                column=missing,
            )
            for missing in detail_list
        )
        return parsed
    parsed.problems.extend(_unknown_columns(names, spec, name, header_line))
    width = len(names)
    if split.bad_rows.height:
        parsed.problems.extend(
            problems_from_frame(
                split.bad_rows.select(
                    pl.lit(name).alias("file"),
                    pl.col(ROW).alias("row"),
                    pl.lit(None, dtype=pl.String).alias("column"),
                    pl.lit(None, dtype=pl.String).alias("value"),
                    pl.lit("wrong_field_count").alias("rule"),
                    pl.format(
                        f"The row has {{}} values but the header has {width} columns "
                        "(a truncated file, or a comma inside a value that is not in quotes).",
                        pl.col("_fields"),
                    ).alias("message"),
                )
            )
        )
        return parsed
    raw = split.body.rename({_field(i): n for i, n in enumerate(names)})
    raw = raw.with_columns(pl.col(n).str.strip_chars().replace("", None) for n in names)
    typed, convert_problems = _convert(raw, spec, name, today)
    for column in spec.columns:  # optional columns left out of the file: present but empty
        if column.used and column.name not in typed.columns:
            typed = typed.with_columns(pl.lit(None, dtype=_dtype(column)).alias(column.name))
    duplicate_problems = _duplicates(typed, spec, name)
    parsed.problems.extend(problems_from_frame(pl.concat([convert_problems, duplicate_problems])))
    rank = _financial_year(typed, spec) * 10_000 + position
    parsed.frame = typed.with_columns(pl.lit(name).alias(FILE), pl.lit(rank, dtype=pl.Int64).alias(RANK))
    return parsed


def _dtype(column: ColumnSpec) -> pl.DataType:
    return {
        "text": pl.String(),
        "code": pl.String(),
        "date": pl.Date(),
        "number": pl.Float64(),
        "level": pl.Int64(),
        "flag": pl.Boolean(),
    }[column.kind]
