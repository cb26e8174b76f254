"""Check tables against the data model: every problem found (file, row, column, offending values,
how many rows), never a bare Polars traceback."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.tables import DATA_MODEL, REQUIRED_TABLES, TABLES, Column, Table


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, precise enough to find and fix."""

    file: str
    message: str
    column: str | None = None
    row: int | None = None  # 1-based data row, where one row is meant
    values: tuple[str, ...] = ()
    rows: int | None = None  # how many rows are affected

    def __str__(self) -> str:
        several_rows = self.rows is not None and self.rows > 1
        where = self.file
        if self.row is not None and not several_rows:
            where += f", row {self.row:,}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.values:
            shown = ", ".join(repr(v) for v in self.values[:5])
            more = f" and {len(self.values) - 5} more" if len(self.values) > 5 else ""
            text += f" (values {shown}{more})"
        if self.rows is not None:
            text += f" in {self.rows:,} row{'s' if self.rows != 1 else ''}"
            if self.row is not None and several_rows:
                text += f" (first at row {self.row:,})"
        return text


class DatasetError(Exception):
    """Every problem found in a dataset, listed together."""

    def __init__(self, folder: Path | str, problems: Iterable[Problem]):
        self.folder = Path(folder)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"The dataset in {self.folder} has {len(self.problems)} problem(s):\n{lines}")


_I64_MAX = 2**63 - 1
_I64_MIN = -(2**63)
_MAX_VALUES_SHOWN = 50  # distinct offending values quoted in one problem


def _type_name(dtype: pl.DataType) -> str:
    """A reader-friendly name for a Polars type."""
    if dtype == pl.String:
        return "text (String)"
    if dtype == pl.Date:
        return "dates (Date)"
    if dtype == pl.Boolean:
        return "true/false (Boolean)"
    if dtype == pl.Int64:
        return "whole numbers (Int64)"
    if dtype == pl.Float64:
        return "numbers (Float64)"
    if isinstance(dtype, pl.Datetime):
        return f"date-times ({dtype})"
    if dtype.is_integer():
        return f"whole numbers ({dtype})"
    if dtype.is_numeric():
        return f"numbers ({dtype})"
    return str(dtype)


@dataclass(frozen=True)
class _RowCheck:
    """A rule broken by every row where ``bad`` is true; becomes one Problem when any row breaks it."""

    key: str
    bad: pl.Expr
    message: str
    column: str | None = None
    values: pl.Expr | None = None  # what to quote back from the offending rows
    blocks: str | None = None  # a failed conversion check: skip the column's other checks
    # A shortcut: ``bad`` is exact only when ``valid_if`` (an aggregate) is true; otherwise the
    # rows are found again with ``exact``.
    valid_if: pl.Expr | None = None
    exact: pl.Expr | None = None


def _conversion(column: Column, found: pl.DataType) -> tuple[pl.Expr | None, pl.Expr | None, str]:
    """How to bring a column of type ``found`` to the schema type.

    Returns (converted expression or None when no safe conversion exists, a mask of the rows the
    conversion would damage or None, a message for those rows).
    """
    target = column.dtype
    raw = pl.col(column.name)
    if found == target:
        return raw, None, ""
    if found == pl.Null:
        return raw.cast(target), None, ""
    if target == pl.String:
        if found == pl.String or isinstance(found, pl.Categorical | pl.Enum) or found.is_integer():
            return raw.cast(pl.String), None, ""
        return None, None, ""
    if target == pl.Date:
        if isinstance(found, pl.Datetime):
            return (
                raw.dt.date(),
                raw.dt.time() != time(0),
                "holds date-times with a time of day; expected dates",
            )
        return None, None, ""
    if target == pl.Int64:
        if found.is_integer():
            if found in (pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32):
                return raw.cast(pl.Int64), None, ""
            out_of_range = (raw > _I64_MAX) | (raw < _I64_MIN)
            return raw.cast(pl.Int64, strict=False), out_of_range, "holds whole numbers too large to store"
        if found.is_float() or isinstance(found, pl.Decimal):
            number = raw.cast(pl.Float64)
            not_whole = number.is_nan() | number.is_infinite() | (number != number.floor()) | (number.abs() > 9.0e18)
            return raw.cast(pl.Int64, strict=False), not_whole, "holds numbers that are not whole numbers"
        return None, None, ""
    if target == pl.Float64 and found.is_numeric():
        return raw.cast(pl.Float64), None, ""
    return None, None, ""  # e.g. text for dates, numbers for true/false: the source must be fixed


def _allowed_text(allowed: tuple[Any, ...]) -> str:
    if len(allowed) <= 12:
        return "allowed: " + ", ".join(str(v) for v in allowed)
    return f"{len(allowed)} codes allowed, see the data model"


def check_table(table: Table, frame: pl.DataFrame, file: str) -> tuple[list[Problem], pl.DataFrame | None]:
    """Check one table against its declaration; return its problems and the frame cast to the
    declared types (None if unusable).

    The returned frame holds the declared columns present in the input, in declaration order, with
    the declared types; extra columns are dropped; absent optional columns stay absent.
    """
    problems: list[Problem] = []
    checks: list[_RowCheck] = []
    usable = _converted(table, frame, file, problems, checks)
    checks += [*_column_checks(table, usable), *_key_check(table, usable), *_table_rules(table.name, usable)]
    if table.name == "episodes" and frame.height == 0:
        problems.append(Problem(file, "has no rows: a dataset needs at least one episode of care"))
    if checks and frame.height:
        problems.extend(_run_checks(frame, checks, file))
    cast = frame.select(usable.values()) if not problems else None
    return problems, cast


def _converted(
    table: Table, frame: pl.DataFrame, file: str, problems: list[Problem], checks: list[_RowCheck]
) -> dict[str, pl.Expr]:
    """Each declared column present, as an expression giving it in its declared type. A missing
    required column or one that cannot be converted safely is a problem; a conversion that can
    damage a value adds a row check."""
    found_types = frame.schema
    usable: dict[str, pl.Expr] = {}
    for column in table.columns:
        if column.name not in found_types:
            if column.required:
                problems.append(Problem(file, "required column is missing", column=column.name))
            continue
        found = found_types[column.name]
        converted, damaged, damage_message = _conversion(column, found)
        if converted is None:
            problems.append(
                Problem(
                    file,
                    f"has type {_type_name(found)} but should hold {_type_name(column.dtype)}, "
                    "and cannot be converted safely",
                    column=column.name,
                )
            )
            continue
        usable[column.name] = converted.alias(column.name)
        if damaged is not None:
            checks.append(_RowCheck(f"convert:{column.name}", damaged, damage_message, column.name, blocks=column.name))
    return usable


def _column_checks(table: Table, usable: dict[str, pl.Expr]) -> list[_RowCheck]:
    """Every usable column's own checks, run on the converted column: no nulls where none are
    allowed, and only its code list's codes."""
    checks: list[_RowCheck] = []
    for column in table.columns:
        if column.name not in usable:
            continue
        values = usable[column.name]
        if not column.nullable:
            checks.append(
                _RowCheck(f"null:{column.name}", values.is_null(), "missing values (every row needs one)", column.name)
            )
        if column.codes is not None:
            checks.append(
                _RowCheck(
                    f"codes:{column.name}",
                    values.is_not_null() & ~values.is_in(list(column.codes)),
                    f"values not in the code list ({_allowed_text(column.codes)})",
                    column.name,
                    values=values,
                )
            )
    return checks


def _key_check(table: Table, usable: dict[str, pl.Expr]) -> list[_RowCheck]:
    """The unique key's check (none without a key)."""
    key = table.unique_key
    if key is None or key not in usable:
        return []
    # Files written by write_dataset are sorted by this key, so a repeat sits next to its
    # twin: comparing neighbours is far cheaper than hashing millions of ids.
    ids = usable[key]
    return [
        _RowCheck(
            f"unique:{key}",
            ids == ids.shift(1),
            f"repeats a {key} already used in an earlier row ({key} must be unique)",
            key,
            values=None if table.column(key).personal else ids,
            valid_if=(ids.null_count() == 0) & (ids.shift(1) <= ids).all(),
            exact=ids.is_not_null() & ~ids.is_first_distinct(),
        )
    ]


def _table_rules(name: str, usable: dict[str, pl.Expr]) -> list[_RowCheck]:
    """The rules across a table's columns: an episode ends after it starts, only formal disputes
    escalate, FTE is never negative."""
    col = usable.__getitem__
    checks: list[_RowCheck] = []
    if name == "episodes" and {"start_date", "end_date"} <= usable.keys():
        checks.append(
            _RowCheck(
                "order:end_date", col("end_date") < col("start_date"), "end_date is before start_date", "end_date"
            )
        )
    if name == "disputes" and {"route", "highest_level"} <= usable.keys():
        checks.append(
            _RowCheck(
                "level:informal",
                (col("route") == "informal") & col("highest_level").is_not_null(),
                "informal challenges must not have a highest_level (only formal disputes escalate)",
                "highest_level",
            )
        )
        checks.append(
            _RowCheck(
                "level:formal",
                (col("route") == "formal") & col("highest_level").is_null(),
                "formal disputes need a highest_level (1 to 5)",
                "highest_level",
            )
        )
    if name == "iro_staffing":
        for fte in ("fte_establishment", "fte_in_post", "fte_agency"):
            if fte in usable:
                checks.append(_RowCheck(f"negative:{fte}", col(fte) < 0, "negative FTE", fte, values=col(fte)))
    return checks


def _run_checks(frame: pl.DataFrame, checks: list[_RowCheck], file: str) -> list[Problem]:
    """Evaluate every row check in one pass; one Problem per check that any row breaks."""
    # Each mask is computed once, then counted and searched for its first true row.
    masks = frame.select(
        [check.bad.fill_null(False).alias(check.key) for check in checks]
        + [check.valid_if.alias(f"valid:{check.key}") for check in checks if check.valid_if is not None]
    )
    redo = [c for c in checks if c.valid_if is not None and not masks[f"valid:{c.key}"][0]]
    if redo:
        masks = masks.with_columns(frame.select(c.exact.fill_null(False).alias(c.key) for c in redo))
    summary = masks.select(
        pl.struct(pl.col(c.key).sum().alias("count"), pl.col(c.key).arg_true().first().alias("first")).alias(c.key)
        for c in checks
    ).row(0, named=True)

    blocked = {c.blocks for c in checks if c.blocks is not None and summary[c.key]["count"]}
    problems = []
    for check in checks:
        count = summary[check.key]["count"]
        if not count or (check.blocks is None and check.column in blocked):
            continue
        values: tuple[str, ...] = ()
        message = check.message
        if check.values is not None:
            offending = frame.select(check.values.alias("v")).filter(masks[check.key]).get_column("v").unique().sort()
            if offending.len() > _MAX_VALUES_SHOWN:
                message += f"; {offending.len():,} different values, the first {_MAX_VALUES_SHOWN} shown"
            values = tuple(str(v) for v in offending.head(_MAX_VALUES_SHOWN).to_list())
        problems.append(
            Problem(file, message, column=check.column, row=summary[check.key]["first"] + 1, values=values, rows=count)
        )
    return problems


def _file_name(table: str, file_names: Mapping[str, str] | None) -> str:
    return (file_names or {}).get(table, f"{table}.parquet")


def check_tables(
    frames: Mapping[str, pl.DataFrame], file_names: Mapping[str, str] | None, present: Collection[str] = ()
) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    """Every problem in these tables, and each valid table cast to its declared types. ``present``
    names tables checked before (not in ``frames``, yet not missing)."""
    problems: list[Problem] = []
    cast: dict[str, pl.DataFrame] = {}
    for name in frames:
        if name not in DATA_MODEL:
            problems.append(
                Problem(
                    _file_name(name, file_names),
                    f"'{name}' is not a table of the data model (tables: {', '.join(TABLES)})",
                )
            )
    for name in REQUIRED_TABLES:
        if name not in frames and name not in present:
            problems.append(Problem(_file_name(name, file_names), f"required table '{name}' is missing"))
    for name in TABLES:
        if name not in frames:
            continue
        frame = frames[name]
        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
        table_problems, table = check_table(DATA_MODEL[name], frame, _file_name(name, file_names))
        problems.extend(table_problems)
        if table is not None:
            cast[name] = table
    return problems, cast


def validate_tables(frames: dict[str, pl.DataFrame], file_names: dict[str, str] | None = None) -> list[Problem]:
    """Every problem in these tables against their declarations (an empty list when they are valid).

    ``file_names`` maps a table to the file name to report (default ``<table>.parquet``).
    Safe type differences (Datetime at midnight for Date, Int32 for Int64, Float32 or integers for
    Float64, Categorical for String ...) are accepted; extra columns are ignored.
    """
    return check_tables(frames, file_names)[0]
