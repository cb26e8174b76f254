"""Load a dataset folder (one Parquet file per table plus dataset.toml) and check it.

The schema here is ../shared/spec/data-model.md written as code. ``load_dataset`` reads every
table, checks columns, types and code lists, and raises one ``DatasetError`` listing every
problem found (file, column, offending values, how many rows), never a bare Polars traceback.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics import codes

DATASET_TOML = "dataset.toml"


@dataclass(frozen=True)
class Column:
    """One column of a table in the data model."""

    name: str
    dtype: pl.DataType
    required: bool = True  # False: the column may be absent ("optional" in the data model)
    nullable: bool = False  # True: values may be null where present
    codes: tuple[Any, ...] | None = None  # the allowed values, when the column is coded


def _c(name: str, dtype: pl.DataType, **kw: Any) -> Column:
    return Column(name, dtype, **kw)


S, D, B, I64, F64 = pl.String(), pl.Date(), pl.Boolean(), pl.Int64(), pl.Float64()

SCHEMA: dict[str, tuple[Column, ...]] = {
    "children": (
        _c("child_id", S),
        _c("sex", S, codes=tuple(codes.SEX)),
        _c("date_of_birth", D),
        _c("ethnicity", S, codes=tuple(codes.ETHNICITY)),
        _c("uasc_ceased", D, required=False, nullable=True),
        _c("is_uasc", B),
    ),
    "episodes": (
        _c("child_id", S),
        _c("start_date", D),
        _c("end_date", D, nullable=True),
        _c("reason_new_episode", S, codes=tuple(codes.REASON_NEW_EPISODE)),
        _c("legal_status", S, codes=tuple(codes.LEGAL_STATUS)),
        _c("category_of_need", S, codes=tuple(codes.CATEGORY_OF_NEED)),
        _c("placement_type", S, codes=tuple(codes.PLACEMENT_TYPE)),
        _c("reason_ceased", S, nullable=True, codes=tuple(codes.REASON_CEASED)),
        _c("area", S),
        _c("uasc", B),
        _c("iro_notified_date", D, required=False, nullable=True),
    ),
    "reviews": (
        _c("review_id", S),
        _c("child_id", S),
        _c("review_date", D),
        _c("participation_code", S, codes=codes.PARTICIPATION_CODES),
        # Optional: a 903 alone does not say who chaired; absent means "not recorded", never "iro".
        _c("chaired_by", S, required=False, nullable=True, codes=tuple(codes.REVIEW_CHAIR)),
        _c("child_chaired", S, required=False, nullable=True, codes=tuple(codes.CHILD_CHAIRED)),
        _c("minutes_issued_date", D, required=False, nullable=True),
        _c("area", S),
        _c("uasc", B),
    ),
    "qa_grades": (
        _c("audit_id", S),
        _c("review_id", S),
        _c("audit_date", D),
        _c("item", S, codes=tuple(codes.QA_ITEMS)),
        _c("grade", S, codes=codes.QA_GRADE_ORDER),
        _c("area", S),
        _c("uasc", B),
    ),
    "disputes": (
        _c("dispute_id", S),
        _c("child_id", S),
        _c("raised_date", D),
        _c("route", S, codes=tuple(codes.DISPUTE_ROUTES)),
        _c("category", S, codes=tuple(codes.DISPUTE_CATEGORIES)),
        _c("highest_level", I64, nullable=True, codes=tuple(codes.DISPUTE_LEVELS)),
        _c("resolved_date", D, required=False, nullable=True),
        _c("area", S),
        _c("uasc", B),
    ),
    "iro_staffing": (
        _c("month_end", D),
        _c("team", S),
        _c("fte_establishment", F64),
        _c("fte_in_post", F64),
        _c("fte_agency", F64, required=False, nullable=True),
    ),
    "iro_contacts": (
        _c("child_id", S),
        _c("contact_date", D),
        _c("area", S),
        _c("uasc", B),
    ),
    "survey_responses": (
        _c("response_id", S),
        _c("survey", S, codes=tuple(codes.SURVEYS)),
        _c("response_date", D),
        _c("question", S),
        _c("answer", S, codes=codes.SURVEY_ANSWERS),
        _c("area", S),
        _c("uasc", B),
    ),
    # Which IRO team serves each area (optional): with it, an area's caseload is its team's.
    "area_teams": (
        _c("area", S),
        _c("team", S),
    ),
    # Optional: the 903's SWEpisodes table (each child's allocated social workers over time).
    "social_worker_episodes": (
        _c("child_id", S),
        _c("sw_id", S),
        _c("start_date", D),
        _c("end_date", D, nullable=True),
        _c("reason", S, nullable=True),
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMA)
# Without these three there is nothing to measure; the others may be absent (their indicators
# then show "not recorded").
REQUIRED_TABLES: tuple[str, ...] = ("children", "episodes", "reviews")

# Columns whose values must be unique within their table (a repeat would double-count).
UNIQUE_KEYS: dict[str, str] = {
    "children": "child_id",
    "reviews": "review_id",
    "disputes": "dispute_id",
    "area_teams": "area",
}
# Written files are sorted by these columns (then by every other column, so ties are broken too).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "children": ("child_id",),
    "episodes": ("child_id", "start_date"),
    "reviews": ("review_id",),
    "qa_grades": ("audit_id", "item"),
    "disputes": ("dispute_id",),
    "iro_staffing": ("team", "month_end"),
    "iro_contacts": ("child_id", "contact_date"),
    "survey_responses": ("response_id", "question"),
    "area_teams": ("area",),
    "social_worker_episodes": ("child_id", "start_date", "sw_id"),
}
# The dates of the events a dataset records; Dataset.date_range spans them.
EVENT_DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "episodes": ("start_date", "end_date"),
    "reviews": ("review_date",),
    "qa_grades": ("audit_date",),
    "disputes": ("raised_date",),
    "iro_contacts": ("contact_date",),
    "survey_responses": ("response_date",),
}
# Columns whose values are personal: never quoted back in a problem message.
PRIVATE_COLUMNS: frozenset[str] = frozenset({"child_id", "date_of_birth"})


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


@dataclass
class Dataset:
    """A loaded, checked dataset: one lazy frame per table, plus its description.

    ``tables`` holds every table in TABLES; a table that was not supplied is an empty frame
    with the right schema and is listed in ``missing_tables``. ``missing_columns`` maps a
    table to its optional columns that were absent.
    """

    path: Path
    meta: dict[str, Any]
    tables: dict[str, pl.LazyFrame]
    version: str
    missing_tables: frozenset[str] = frozenset()
    missing_columns: dict[str, frozenset[str]] = field(default_factory=dict)
    # Derived tables (periods of care, review schedule ...) computed once per dataset.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def table(self, name: str) -> pl.LazyFrame:
        return self.tables[name]

    def has_table(self, name: str) -> bool:
        return name not in self.missing_tables

    def has_column(self, table: str, column: str) -> bool:
        return self.has_table(table) and column not in self.missing_columns.get(table, frozenset())

    @property
    def name(self) -> str:
        return str(self.meta.get("local_authority", self.path.name))

    @property
    def is_synthetic(self) -> bool:
        return bool(self.meta.get("synthetic", False))

    @property
    def records_uasc(self) -> bool:
        """Whether UASC status was recorded at all (an import without the 903 UASC table writes
        ``uasc_recorded = false``): without it the UASC and citizen cohorts are "not recorded"."""
        return bool(self.meta.get("uasc_recorded", True))

    @property
    def set_aside(self) -> list[dict[str, Any]]:
        """What the import set aside to keep the rest consistent: one entry per rule, from
        dataset.toml's ``[[set_aside]]`` tables (``rule``, ``count``, ``unit``, ``description``)."""
        return [dict(entry) for entry in self.meta.get("set_aside", [])]

    @property
    def authority(self) -> tuple[str, str | None] | None:
        """Which council the dataset is: (old three-digit code, new ONS code), from dataset.toml's
        ``la_code_old`` and ``la_code_new``; None when it does not say."""
        old = self.meta.get("la_code_old")
        return (str(old), self.meta.get("la_code_new")) if old else None

    def areas(self) -> list[str]:
        """Every area named in the episodes, sorted (worked out once per loaded dataset)."""
        if "areas" not in self.derived:
            found = self.tables["episodes"].select(pl.col("area").unique()).collect()["area"].to_list()
            self.derived["areas"] = sorted(found)
        return list(self.derived["areas"])

    def date_range(self) -> tuple[date, date]:
        """The earliest and latest event date in the dataset (see EVENT_DATE_COLUMNS); nulls ignored.

        Raises ValueError when the dataset holds no dated event at all.
        """
        if "date_range" not in self.derived:
            bounds = [
                self.tables[table].select(pl.col(column).min().alias("first"), pl.col(column).max().alias("last"))
                for table, columns in EVENT_DATE_COLUMNS.items()
                for column in columns
            ]
            row = pl.concat(bounds).select(pl.col("first").min(), pl.col("last").max()).collect().row(0)
            if row[0] is None:
                raise ValueError(f"The dataset in {self.path} has no dated events, so it covers no period.")
            self.derived["date_range"] = (row[0], row[1])
        return self.derived["date_range"]


def empty_table(name: str) -> pl.DataFrame:
    """An empty frame with the table's full schema."""
    return pl.DataFrame(schema={c.name: c.dtype for c in SCHEMA[name]})


def read_meta(folder: Path) -> dict[str, Any]:
    """The dataset's description from dataset.toml ({} when the file is absent)."""
    path = folder / DATASET_TOML
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def dataset_version(folder: Path) -> str:
    """A short fingerprint of the folder's files (names, sizes, modification times)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

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


def _check_table(name: str, frame: pl.DataFrame, file: str) -> tuple[list[Problem], pl.DataFrame | None]:
    """Check one table; return its problems and the frame cast to the schema (None if unusable).

    The returned frame holds the schema's columns present in the input, in schema order, with the
    schema's types; extra columns are dropped; absent optional columns stay absent.
    """
    problems: list[Problem] = []
    found_types = frame.schema
    usable: dict[str, pl.Expr] = {}  # column -> expression giving it in the schema type
    checks: list[_RowCheck] = []

    for column in SCHEMA[name]:
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

    # Checks run on the converted columns, in one pass over the table.
    def col(column_name: str) -> pl.Expr:
        return usable[column_name]

    for column in SCHEMA[name]:
        if column.name not in usable:
            continue
        if not column.nullable:
            checks.append(
                _RowCheck(
                    f"null:{column.name}",
                    col(column.name).is_null(),
                    "missing values (every row needs one)",
                    column.name,
                )
            )
        if column.codes is not None:
            checks.append(
                _RowCheck(
                    f"codes:{column.name}",
                    col(column.name).is_not_null() & ~col(column.name).is_in(list(column.codes)),
                    f"values not in the code list ({_allowed_text(column.codes)})",
                    column.name,
                    values=col(column.name),
                )
            )

    key = UNIQUE_KEYS.get(name)
    if key in usable:
        # Files written by write_dataset are sorted by this key, so a repeat sits next to its
        # twin: comparing neighbours is far cheaper than hashing millions of ids.
        ids = col(key)
        checks.append(
            _RowCheck(
                f"unique:{key}",
                ids == ids.shift(1),
                f"repeats a {key} already used in an earlier row ({key} must be unique)",
                key,
                values=None if key in PRIVATE_COLUMNS else ids,
                valid_if=(ids.null_count() == 0) & (ids.shift(1) <= ids).all(),
                exact=ids.is_not_null() & ~ids.is_first_distinct(),
            )
        )
    if name == "episodes" and {"start_date", "end_date"} <= usable.keys():
        checks.append(
            _RowCheck(
                "order:end_date",
                col("end_date") < col("start_date"),
                "end_date is before start_date",
                "end_date",
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

    if name == "episodes" and frame.height == 0:
        problems.append(Problem(file, "has no rows: a dataset needs at least one episode of care"))

    if checks and frame.height:
        problems.extend(_run_checks(frame, checks, file))

    cast = frame.select(usable.values()) if not problems else None
    return problems, cast


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


def _check_tables(
    frames: Mapping[str, pl.DataFrame], file_names: Mapping[str, str] | None
) -> tuple[list[Problem], dict[str, pl.DataFrame]]:
    problems: list[Problem] = []
    cast: dict[str, pl.DataFrame] = {}
    for name in frames:
        if name not in SCHEMA:
            problems.append(
                Problem(
                    _file_name(name, file_names),
                    f"'{name}' is not a table of the data model (tables: {', '.join(TABLES)})",
                )
            )
    for name in REQUIRED_TABLES:
        if name not in frames:
            problems.append(Problem(_file_name(name, file_names), f"required table '{name}' is missing"))
    for name in TABLES:
        if name not in frames:
            continue
        frame = frames[name]
        if isinstance(frame, pl.LazyFrame):
            frame = frame.collect()
        table_problems, table = _check_table(name, frame, _file_name(name, file_names))
        problems.extend(table_problems)
        if table is not None:
            cast[name] = table
    return problems, cast


def validate_tables(frames: dict[str, pl.DataFrame], file_names: dict[str, str] | None = None) -> list[Problem]:
    """Every problem in these tables against SCHEMA (an empty list when they are valid).

    ``file_names`` maps a table to the file name to report (default ``<table>.parquet``).
    Safe type differences (Datetime at midnight for Date, Int32 for Int64, Float32 or integers for
    Float64, Categorical for String ...) are accepted; extra columns are ignored.
    """
    return _check_tables(frames, file_names)[0]


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _scan_table(path: Path, name: str) -> pl.LazyFrame:
    """A scan of only the schema's columns of one Parquet file (extra columns are never loaded)."""
    available = pl.read_parquet_schema(path)
    wanted = [c.name for c in SCHEMA[name] if c.name in available]
    return pl.scan_parquet(path, glob=False, hive_partitioning=False).select(wanted)


def _read_tables(folder: Path) -> tuple[dict[str, pl.DataFrame], list[Problem], set[str]]:
    """Read every table file in the folder: (frames, problems, names of unreadable tables).

    The files are read together (in parallel); if that fails, each is read alone to find the
    culprit, so a damaged file is named rather than reported as a bare reader error.
    """
    scans: dict[str, pl.LazyFrame] = {}
    problems: list[Problem] = []
    unreadable: set[str] = set()

    def unreadable_file(name: str, exc: Exception) -> None:
        unreadable.add(name)
        problems.append(Problem(f"{name}.parquet", f"could not be read as a Parquet file ({_first_line(exc)})"))

    for name in TABLES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            continue
        try:
            scans[name] = _scan_table(path, name)
        except Exception as exc:  # any reader failure becomes a Problem, never a traceback
            unreadable_file(name, exc)
    frames: dict[str, pl.DataFrame] = {}
    try:
        frames = dict(zip(scans, pl.collect_all(scans.values(), engine="in-memory"), strict=True))
    except Exception:
        for name, scan in scans.items():
            try:
                frames[name] = scan.collect(engine="in-memory")
            except Exception as exc:
                unreadable_file(name, exc)
    return frames, problems, unreadable


def _check_meta(meta: Any) -> list[Problem]:
    problems = []
    if "local_authority" in meta and not isinstance(meta["local_authority"], str):
        problems.append(Problem(DATASET_TOML, "local_authority should be text", column="local_authority"))
    if "synthetic" in meta and not isinstance(meta["synthetic"], bool):
        problems.append(Problem(DATASET_TOML, "synthetic should be true or false", column="synthetic"))
    for key, pattern, example in (("la_code_old", r"\d{3}", "886"), ("la_code_new", r"E\d{8}", "E10000016")):
        if key in meta and not (isinstance(meta[key], str) and re.fullmatch(pattern, meta[key])):
            problems.append(
                Problem(DATASET_TOML, f'{key} should be an authority code in quotes, like "{example}"', column=key)
            )
    return problems


def text_as_categorical(table: pl.DataFrame) -> pl.DataFrame:
    """Text columns as ``pl.Categorical`` (ids, codes, areas), as a loaded dataset holds them.

    A text value costs 16 bytes a row and is compared byte by byte; a categorical one costs 4
    and compares as a number. At national scale this halves the dataset's memory and speeds up
    every filter, join and group. Categories are shared across tables, so ids join as before.
    """
    return table.with_columns(pl.col(pl.String).cast(pl.Categorical))


def load_dataset(folder: Path | str) -> Dataset:
    """Load and check a dataset folder; raise DatasetError listing every problem found.

    Absent optional tables become empty frames (listed in ``missing_tables``); absent optional
    columns become all-null columns of the right type (listed in ``missing_columns``).
    """
    folder = Path(folder)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise DatasetError(folder, [Problem(str(folder), f"the dataset folder {what}")])
    parquet_files = sorted(p.name for p in folder.glob("*.parquet") if p.is_file())
    if not parquet_files:
        raise DatasetError(
            folder,
            [
                Problem(
                    str(folder),
                    "no Parquet files found; a dataset needs at least "
                    + ", ".join(f"{t}.parquet" for t in REQUIRED_TABLES),
                )
            ],
        )

    # Fingerprint before reading: if the files change meanwhile, the next version check differs
    # and the dataset is loaded again, rather than new data being cached under an old version.
    version = dataset_version(folder)
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    try:
        meta = read_meta(folder)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem(DATASET_TOML, f"is not valid TOML ({_first_line(exc)})"))
    except OSError as exc:
        problems.append(Problem(DATASET_TOML, f"could not be read ({_first_line(exc)})"))
    problems.extend(_check_meta(meta))

    frames, read_problems, unreadable = _read_tables(folder)
    problems.extend(read_problems)

    table_problems, tables = _check_tables(frames, None)
    # An unreadable file has been reported already; do not also call it missing.
    problems.extend(
        p for p in table_problems if not (p.column is None and p.file.removesuffix(".parquet") in unreadable)
    )
    unknown = [f for f in parquet_files if f.removesuffix(".parquet") not in SCHEMA]
    if unknown and any(t not in frames and t not in unreadable for t in REQUIRED_TABLES):
        problems.append(
            Problem(
                str(folder),
                "holds Parquet files that are not tables of the data model",
                values=tuple(unknown),
            )
        )
    if problems:
        raise DatasetError(folder, problems)

    missing_tables: set[str] = set()
    missing_columns: dict[str, frozenset[str]] = {}
    lazy: dict[str, pl.LazyFrame] = {}
    for name in TABLES:
        if name not in tables:
            missing_tables.add(name)
            lazy[name] = text_as_categorical(empty_table(name)).lazy()
            continue
        # Each table's text version is let go as soon as its categorical one exists, so that at
        # most one table is held twice.
        table = tables.pop(name)
        frames.pop(name, None)
        absent = [c for c in SCHEMA[name] if c.name not in table.columns]
        if absent:
            missing_columns[name] = frozenset(c.name for c in absent)
            table = table.with_columns(pl.lit(None, dtype=c.dtype).alias(c.name) for c in absent)
            table = table.select(c.name for c in SCHEMA[name])
        lazy[name] = text_as_categorical(table).lazy()
        del table

    return Dataset(
        path=folder,
        meta=meta,
        tables=lazy,
        version=version,
        missing_tables=frozenset(missing_tables),
        missing_columns=missing_columns,
    )


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are all valid TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v, where) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v, where)}" for k, v in value.items()) + "}"
    raise DatasetError(
        Path(DATASET_TOML),
        [Problem(DATASET_TOML, f"value of type {type(value).__name__} cannot be written to TOML", column=where)],
    )


def to_toml(meta: Mapping[str, Any]) -> str:
    """``meta`` as TOML text: plain keys first, then one [section] per nested table.

    TOML has no null, so keys whose value is None are left out.
    """
    lines: list[str] = []

    def is_array_of_tables(value: Any) -> bool:
        return isinstance(value, list | tuple) and bool(value) and all(isinstance(v, Mapping) for v in value)

    def write(table: Mapping[str, Any], prefix: str) -> None:
        nested = [(k, v) for k, v in table.items() if isinstance(v, Mapping)]
        arrays = [(k, v) for k, v in table.items() if is_array_of_tables(v)]  # e.g. [[set_aside]]
        for key, value in table.items():
            if value is not None and not isinstance(value, Mapping) and not is_array_of_tables(value):
                lines.append(f"{_toml_key(str(key))} = {_toml_value(value, prefix + str(key))}")
        for key, value in nested:
            name = f"{prefix}{_toml_key(str(key))}"
            lines.append("")
            lines.append(f"[{name}]")
            write(value, name + ".")
        for key, entries in arrays:
            name = f"{prefix}{_toml_key(str(key))}"
            for entry in entries:
                lines.append("")
                lines.append(f"[[{name}]]")
                write(entry, name + ".")

    write(meta, "")
    return "\n".join(lines).lstrip("\n") + "\n"


def write_dataset(frames: dict[str, pl.DataFrame], meta: dict[str, Any], folder: Path | str) -> None:
    """Check ``frames`` and write them to ``folder`` as ``<table>.parquet`` plus dataset.toml.

    Raises DatasetError (writing nothing) if any table is invalid. Rows are sorted by each table's
    natural key (then every other column), so identical input gives byte-identical files. Only the
    schema's columns are written, in schema order; an absent optional column stays absent. Parquet
    files of tables not in ``frames`` that a previous write left in the folder are removed, so the
    folder holds exactly this dataset.
    """
    folder = Path(folder)
    problems, tables = _check_tables(frames, None)
    toml_text = ""
    try:
        toml_text = to_toml(meta)
    except DatasetError as exc:
        problems.extend(exc.problems)
    if problems:
        raise DatasetError(folder, problems)

    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if name not in tables:
            path.unlink(missing_ok=True)
            continue
        table = tables[name]
        keys = [k for k in NATURAL_KEYS[name] if k in table.columns]
        # A unique key (checked above) orders rows completely; otherwise every column breaks ties.
        order = keys if name in UNIQUE_KEYS else keys + [c for c in table.columns if c not in keys]
        table.sort(order, nulls_last=True).write_parquet(path, compression="zstd", statistics=True)
    (folder / DATASET_TOML).write_text(toml_text, encoding="utf-8")
