"""Load a dataset folder (one Parquet file per table plus dataset.toml) and check it.

The schema here is ../shared/spec/data-model.md written as code. ``load_dataset`` reads every
table, checks columns, types and code lists, and raises one ``DatasetError`` listing every
problem found (file, column, offending values, how many rows), never a bare Polars traceback.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
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
        _c("chaired_by", S, codes=tuple(codes.REVIEW_CHAIR)),
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
}

TABLES: tuple[str, ...] = tuple(SCHEMA)
# Without these three there is nothing to measure; the others may be absent (their indicators
# then show "not recorded").
REQUIRED_TABLES: tuple[str, ...] = ("children", "episodes", "reviews")


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
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        if self.values:
            shown = ", ".join(repr(v) for v in self.values[:5])
            more = f" and {len(self.values) - 5} more" if len(self.values) > 5 else ""
            text += f" (values {shown}{more})"
        if self.rows is not None:
            text += f" in {self.rows:,} row{'s' if self.rows != 1 else ''}"
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

    def areas(self) -> list[str]:
        """Every area named in the episodes, sorted."""
        return sorted(self.tables["episodes"].select(pl.col("area").unique()).collect()["area"].to_list())


def empty_table(name: str) -> pl.DataFrame:
    """An empty frame with the table's full schema."""
    return pl.DataFrame(schema={c.name: c.dtype for c in SCHEMA[name]})


def read_meta(folder: Path) -> dict[str, Any]:
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


def load_dataset(folder: Path | str) -> Dataset:
    """Load and check a dataset folder; raise DatasetError listing every problem found."""
    raise NotImplementedError("being written: see docs/api-contract.md")
