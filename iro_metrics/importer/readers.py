"""Read one supplied file (CSV, XML or Excel): recognise each table in it by its columns and type its values.

Reading never raises on bad input: every problem names the file, the row (the header is row 1),
the column, the value and the rule. Everything after the split into text cells (types, codes,
dates, keys) is Polars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from iro_metrics.importer.convert import column_dtype, convert_columns, duplicates
from iro_metrics.importer.dates import two_digit, two_digit_message
from iro_metrics.importer.file_specs import FileSpec
from iro_metrics.importer.formats import FILE_SPECS, POOLED_COLUMNS, PRIVATE_COLUMNS
from iro_metrics.importer.plausible import row_problems
from iro_metrics.importer.read_csv import ROW, RawTable, decode, field_name, split_csv_text
from iro_metrics.importer.read_xlsx import looks_like_xlsx, read_xlsx
from iro_metrics.importer.read_xml import looks_like_xml, read_xml
from iro_metrics.importer.report import ImportProblem, problem, problems_from_frame

MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

FILE = "_file"  # the file a record came from
RANK = "_rank"  # order of precedence when several returns hold the same record (higher wins)


@dataclass
class ParsedFile:
    """One supplied file after reading: what it is, its typed records and its problems."""

    name: str
    position: int
    spec: FileSpec | None = None
    frame: pl.DataFrame | None = None  # typed records (plus _row, _file, _rank); None if unreadable
    problems: list[ImportProblem] = field(default_factory=list)
    frames: list[pl.DataFrame] = field(default_factory=list)  # problems found row by row, as frames
    columns_present: frozenset[str] = frozenset()
    ignored_rows: int = 0  # the records of a 903 table this tool does not use (read past, counted)

    @property
    def rows(self) -> int:
        return self.ignored_rows if self.frame is None else self.frame.height


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


def _two_digit_years(
    raw: pl.DataFrame, typed: pl.DataFrame, spec: FileSpec, name: str, today: date
) -> list[ImportProblem]:
    """One ``two_digit_year`` warning per date column holding dd/mm/yy dates, naming the reading taken."""
    found = []
    for column in spec.columns:
        if column.kind != "date" or not column.used or column.name not in raw.columns:
            continue
        short = (
            raw.select(ROW, pl.col(column.name).alias("_raw"))
            .with_columns(_read=typed[column.name])
            .filter(two_digit(pl.col("_raw")) & pl.col("_read").is_not_null())
        )
        if short.height == 0:
            continue
        first_row, example_raw, example = short.row(0)
        private = column.name in PRIVATE_COLUMNS
        message = two_digit_message(column.name, column.dates, example_raw, example, short.height, today)
        if private:  # never quote a date of birth: give the rule without the example
            message = message.split(": e.g.")[0] + ". Check them, or save the file with four-digit years."
        found.append(
            problem(
                "two_digit_year",
                name,
                message,
                row=first_row,
                column=column.name,
                value=None if private else example_raw,
            )
        )
    return found


def _unrecognised_message(names: list[str]) -> str:
    known = {c for spec in FILE_SPECS.values() for c in spec.names}
    shown = [n for n in names if n in known or (n.replace("_", "").isalpha() and len(n) <= 30)]
    if len(shown) < len(names):  # a row of values (a file without its header row?): never quote them
        listed = f"{len(names)} columns, {len(names) - len(shown)} of which are not column names (is the header row missing?)"
    else:
        listed = ", ".join(names)
    return f"The columns ({listed}) match no file this tool reads. Expected columns: {_expected_files_text()}."


def read_table(name: str, split: RawTable, position: int, today: date) -> ParsedFile:
    """Recognise, type and check one table of text cells (never raises on bad input)."""
    parsed = ParsedFile(name=name, position=position)
    header_line = split.header_line or None
    names = [h.strip().upper().lstrip("\ufeff") for h in split.header]
    unusable = _bad_header(names, name, header_line)
    if unusable is not None:
        parsed.problems.append(unusable)
        return parsed
    columns = frozenset(names) - POOLED_COLUMNS
    parsed.columns_present = columns
    spec, rule, detail_list = recognise(columns)
    if spec is None:
        if rule == "ambiguous_file":
            message = f"The columns fit more than one kind of file ({', '.join(detail_list)})."
        else:
            message = _unrecognised_message(names)
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
    if not spec.used:
        parsed.ignored_rows = split.body.height + split.bad_rows.height
        parsed.problems.append(
            problem(
                "unused_903_table",
                name,
                f"{spec.title}: a 903 table this tool does not use: its {parsed.ignored_rows:,} row(s) are ignored.",
                row=header_line,
            )
        )
        return parsed
    parsed.problems.extend(
        _unknown_columns([n for n in names if n not in POOLED_COLUMNS], spec, name, header_line or 1)
    )
    if split.bad_rows.height:
        parsed.problems.extend(_wrong_field_counts(split, name, len(names)))
        return parsed
    _add_typed(parsed, split, names, spec, today)
    return parsed


def _bad_header(names: list[str], name: str, header_line: int | None) -> ImportProblem | None:
    """The problem with a header row that has a blank or repeated column name, if it has one."""
    blank = [i + 1 for i, h in enumerate(names) if not h]
    repeated = sorted({h for h in names if h and names.count(h) > 1})
    if not blank and not repeated:
        return None
    detail = []
    if blank:
        detail.append(f"column(s) {', '.join(map(str, blank))} have no name")
    if repeated:
        detail.append(f"{', '.join(repeated)} appear more than once")
    return problem("bad_header", name, "The header row is not usable: " + "; ".join(detail) + ".", row=header_line)


def _wrong_field_counts(split: RawTable, name: str, width: int) -> list[ImportProblem]:
    """One problem per row whose number of values is not the header's."""
    return problems_from_frame(
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


def _add_typed(parsed: ParsedFile, split: RawTable, names: list[str], spec: FileSpec, today: date) -> None:
    """The file's records typed and checked (cells, keys, rows), ranked for merging with other returns."""
    name = parsed.name
    raw = split.body.rename({field_name(i): n for i, n in enumerate(names)}).drop(
        [n for n in names if n in POOLED_COLUMNS]
    )
    kept = [n for n in names if n not in POOLED_COLUMNS]
    raw = raw.with_columns(pl.col(n).str.strip_chars().replace("", None) for n in kept)
    typed, convert_problems = convert_columns(raw, spec, name, today)
    parsed.problems.extend(_two_digit_years(raw, typed, spec, name, today))
    for column in spec.columns:  # optional columns left out of the file: present but empty
        if column.used and column.name not in typed.columns:
            typed = typed.with_columns(pl.lit(None, dtype=column_dtype(column)).alias(column.name))
    duplicate_problems = duplicates(typed, spec, name)
    parsed.frames.append(pl.concat([convert_problems, duplicate_problems]))
    parsed.frames.extend(row_problems(typed, spec, name, today))
    rank = _financial_year(typed, spec) * 10_000 + parsed.position
    parsed.frame = typed.with_columns(pl.lit(name).alias(FILE), pl.lit(rank, dtype=pl.Int64).alias(RANK))


def read_source(name: str, data: bytes, position: int, today: date) -> tuple[list[ParsedFile], list[ImportProblem]]:
    """Every table in one file (CSV, XML or Excel), and the problems that stop the file being read."""
    if looks_like_xlsx(name, data):
        tables, problems = read_xlsx(name, data)
    elif looks_like_xml(data):
        tables, problems = read_xml(name, data)
    else:
        text, problems = decode(name, data)
        if text is None:
            return [], problems
        split, problems = split_csv_text(name, text)
        if problems:
            return [], problems
        if split is None:
            return [], [problem("empty_file", name, "The file is empty (no header row): an empty table, ignored.")]
        tables = [split]
    return [read_table(t.source or name, t, position, today) for t in tables], problems
