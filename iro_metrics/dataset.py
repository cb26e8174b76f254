"""Load a dataset folder (one Parquet file per table plus dataset.toml), check it, and write one.

The tables are declared in ``iro_metrics.tables`` (../shared/spec/data-model.md written as code).
``load_dataset`` reads every table, checks columns, types and code lists
(``iro_metrics.validation``), and raises one ``DatasetError`` listing every problem found (file,
column, offending values, how many rows), never a bare Polars traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.care_tables import (
    DATED_TABLES,
    CareTables,
    DerivedFolder,
    build_care_tables,
    read_derived,
    review_ids_of,
    source_fingerprint,
    write_derived,
)
from iro_metrics.dataset_memo import DatasetMemo
from iro_metrics.tables import DATA_MODEL, REQUIRED_TABLES, TABLES
from iro_metrics.toml_text import DATASET_TOML, to_toml
from iro_metrics.validation import DatasetError, Problem, check_tables


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
    # What is worked out once per dataset and kept with it (the derived tables among it).
    memo: DatasetMemo = field(default_factory=DatasetMemo, repr=False, compare=False)

    def table(self, name: str) -> pl.LazyFrame:
        return self.tables[name]

    @property
    def care(self) -> CareTables:
        """The derived tables (periods of care, the review schedule, overdue spells, the event
        tables by date): read or built when the dataset loads; built here, once, for a dataset
        made otherwise. Never changes ``tables``."""
        if self.memo.care is None:
            self.memo.care = build_care_tables(self.tables)
        return self.memo.care

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
        if self.memo.areas is None:
            found = self.tables["episodes"].select(pl.col("area").unique()).collect()["area"].to_list()
            self.memo.areas = sorted(found)
        return list(self.memo.areas)

    def date_range(self) -> tuple[date, date]:
        """The earliest and latest event date in the dataset (every table's ``event_dates``); nulls ignored.

        Raises ValueError when the dataset holds no dated event at all.
        """
        if self.memo.date_range is None:
            bounds = [
                self.tables[table.name].select(pl.col(column).min().alias("first"), pl.col(column).max().alias("last"))
                for table in DATA_MODEL.values()
                for column in table.event_dates
            ]
            row = pl.concat(bounds).select(pl.col("first").min(), pl.col("last").max()).collect().row(0)
            if row[0] is None:
                raise ValueError(f"The dataset in {self.path} has no dated events, so it covers no period.")
            self.memo.date_range = (row[0], row[1])
        return self.memo.date_range


def empty_table(name: str) -> pl.DataFrame:
    """An empty frame with the table's full schema."""
    return pl.DataFrame(schema=DATA_MODEL[name].schema)


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
# Loading
# ---------------------------------------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _scan_table(path: Path, name: str) -> pl.LazyFrame:
    """A scan of only the schema's columns of one Parquet file (extra columns are never loaded)."""
    available = pl.read_parquet_schema(path)
    wanted = [c for c in DATA_MODEL[name].names if c in available]
    return pl.scan_parquet(path, glob=False, hive_partitioning=False).select(wanted)


def _read_tables(folder: Path, skip: Collection[str] = ()) -> tuple[dict[str, pl.DataFrame], list[Problem], set[str]]:
    """Read every table file in the folder but those in ``skip``: (frames, problems, names of
    unreadable tables).

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
        if not path.is_file() or name in skip:
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


# Text ids that no figure groups, joins or counts by, kept as plain text: a category per review
# (1.8 million at national scale) cost 0.8 s of every load, and an id of up to 12 characters is
# held inside its 16-byte string view, no larger than a category's code plus its entry.
PLAIN_TEXT_IDS: frozenset[str] = frozenset({"review_id"})


def text_as_categorical(table: pl.DataFrame) -> pl.DataFrame:
    """Text columns as ``pl.Categorical`` (ids, codes, areas), as a loaded dataset holds them,
    but for ``PLAIN_TEXT_IDS``.

    A text value costs 16 bytes a row and is compared byte by byte; a categorical one costs 4
    and compares as a number. At national scale this halves the dataset's memory and speeds up
    every filter, join and group. Categories are shared across tables, so ids join as before.
    """
    return table.with_columns(pl.col(pl.String).exclude(PLAIN_TEXT_IDS).cast(pl.Categorical))


def load_dataset(folder: Path | str) -> Dataset:
    """Load and check a dataset folder; raise DatasetError listing every problem found.

    Absent optional tables become empty frames (listed in ``missing_tables``); absent optional
    columns become all-null columns of the right type (listed in ``missing_columns``).
    """
    folder = Path(folder)
    parquet_files = _parquet_files_of(folder)
    # Fingerprint before reading: if the files change meanwhile, the next version check differs
    # and the dataset is loaded again, rather than new data being cached under an old version.
    version = dataset_version(folder)
    fingerprint = source_fingerprint(folder)  # what derived tables must have been built from
    meta, problems = _meta_and_problems(folder)

    derived = read_derived(folder, fingerprint)
    # Tables the derived folder holds whole are taken from it, neither read nor checked again: it
    # is written only for tables that passed these checks, and its fingerprint covers their bytes
    # and this code.
    held = _held_whole(derived, folder)
    frames, read_problems, unreadable = _read_tables(folder, skip=held)
    problems.extend(read_problems)

    table_problems, tables = check_tables(frames, None, present=held)
    # An unreadable file has been reported already; do not also call it missing.
    problems.extend(
        p for p in table_problems if not (p.column is None and p.file.removesuffix(".parquet") in unreadable)
    )
    unknown = [f for f in parquet_files if f.removesuffix(".parquet") not in DATA_MODEL]
    if unknown and any(t not in frames and t not in unreadable and t not in held for t in REQUIRED_TABLES):
        problems.append(
            Problem(
                str(folder),
                "holds Parquet files that are not tables of the data model",
                values=tuple(unknown),
            )
        )
    if problems:
        raise DatasetError(folder, problems)

    frames.clear()
    lazy, missing_tables, missing_columns = _complete(tables, held)
    if derived is None:
        derived = _derive(lazy, missing_tables)
        # A folder this process may not write keeps none: they are built again next time.
        with contextlib.suppress(OSError):
            write_derived(folder, fingerprint, derived)
    care = derived.care
    return Dataset(
        path=folder,
        meta=meta,
        tables=_dated_from(care, lazy | {name: table.lazy() for name, table in derived.tables.items()}),
        version=version,
        missing_tables=frozenset(missing_tables),
        missing_columns=missing_columns,
        memo=DatasetMemo(care=care),
    )


def _parquet_files_of(folder: Path) -> list[str]:
    """The Parquet file names of a dataset folder; DatasetError when it is no folder or holds none."""
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise DatasetError(folder, [Problem(str(folder), f"the dataset folder {what}")])
    parquet_files = sorted(p.name for p in folder.glob("*.parquet") if p.is_file())
    if not parquet_files:
        needed = ", ".join(f"{t}.parquet" for t in REQUIRED_TABLES)
        raise DatasetError(folder, [Problem(str(folder), f"no Parquet files found; a dataset needs at least {needed}")])
    return parquet_files


def _meta_and_problems(folder: Path) -> tuple[dict[str, Any], list[Problem]]:
    """dataset.toml read (empty when it cannot be), with every problem found in it."""
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    try:
        meta = read_meta(folder)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(Problem(DATASET_TOML, f"is not valid TOML ({_first_line(exc)})"))
    except OSError as exc:
        problems.append(Problem(DATASET_TOML, f"could not be read ({_first_line(exc)})"))
    problems.extend(_check_meta(meta))
    return meta, problems


def _derive(tables: dict[str, pl.LazyFrame], missing_tables: Collection[str]) -> DerivedFolder:
    """The derived tables of a loaded dataset's tables, with every table they do not hold whole."""
    care = build_care_tables(tables)
    whole = _whole_in(care)
    kept = {n: t for n, t in tables.items() if n not in missing_tables and n not in whole}
    return DerivedFolder(care, dict(zip(kept, pl.collect_all(kept.values()), strict=True)))


def _whole_in(care: CareTables) -> list[str]:
    """The tables whose every row and column the derived tables hold (the episodes, with the short
    breaks kept beside them; the dated tables; the reviews when none was left out)."""
    return ["episodes", *DATED_TABLES, *(["reviews"] if care.short_break_reviews_left_out == 0 else [])]


def _held_whole(derived: DerivedFolder | None, folder: Path) -> dict[str, frozenset[str]]:
    """The tables the derived folder holds whole, each with the columns its file has."""
    if derived is None:
        return {}
    names = [*_whole_in(derived.care), *derived.tables]
    paths = {name: folder / f"{name}.parquet" for name in names}
    try:
        return {name: frozenset(pl.read_parquet_schema(path)) for name, path in paths.items() if path.is_file()}
    except Exception:  # an unreadable file: read and check it with the others, to report it
        return {}


def _complete(
    tables: dict[str, pl.DataFrame], held: Mapping[str, frozenset[str]]
) -> tuple[dict[str, pl.LazyFrame], set[str], dict[str, frozenset[str]]]:
    """Every table of the data model as a loaded dataset holds it (text as categorical; an absent
    table empty, an absent optional column all null): (tables, missing tables, missing columns).
    ``held`` names the tables the derived ones hold whole (left out here), with their files' columns.

    Empties ``tables`` as it goes, so that at most one table is held twice."""
    missing_tables: set[str] = set()
    missing_columns: dict[str, frozenset[str]] = {}
    lazy: dict[str, pl.LazyFrame] = {}
    for name in TABLES:
        if name in held:
            absent = frozenset(DATA_MODEL[name].names) - held[name]
            if absent:
                missing_columns[name] = absent
            continue
        if name not in tables:
            missing_tables.add(name)
            lazy[name] = text_as_categorical(empty_table(name)).lazy()
            continue
        table = tables.pop(name)
        absent = [c for c in DATA_MODEL[name].columns if c.name not in table.columns]
        if absent:
            missing_columns[name] = frozenset(c.name for c in absent)
            table = table.with_columns(pl.lit(None, dtype=c.dtype).alias(c.name) for c in absent)
            table = table.select(DATA_MODEL[name].names)
        lazy[name] = text_as_categorical(table).lazy()
        del table
    return lazy, missing_tables, missing_columns


def _dated_from(care: CareTables, tables: dict[str, pl.LazyFrame]) -> dict[str, pl.LazyFrame]:
    """The dataset's tables, those the derived ones hold whole taken from them (the dated tables'
    rows in date order), so that no table is held twice."""
    held = dict(tables)
    # The derived episodes are every episode but short breaks, with more columns: the table is
    # those rows' columns plus the short breaks, sharing their memory (38 MB nationally).
    counted = care.episodes.select(DATA_MODEL["episodes"].names)
    held["episodes"] = pl.concat([counted, care.left_out_episodes], rechunk=False).lazy()
    for name in DATED_TABLES:
        held[name] = review_ids_of(care.dated[name], care.reviews).select(DATA_MODEL[name].names)
    if care.short_break_reviews_left_out == 0:
        held["reviews"] = care.reviews.select(DATA_MODEL["reviews"].names).lazy()
    return held


def write_dataset(frames: dict[str, pl.DataFrame], meta: dict[str, Any], folder: Path | str) -> None:
    """Check ``frames`` and write them to ``folder`` as ``<table>.parquet`` plus dataset.toml.

    Raises DatasetError (writing nothing) if any table is invalid. Rows are sorted by each table's
    natural key (then every other column), so identical input gives byte-identical files. Only the
    schema's columns are written, in schema order; an absent optional column stays absent. Parquet
    files of tables not in ``frames`` that a previous write left in the folder are removed, so the
    folder holds exactly this dataset.
    """
    folder = Path(folder)
    problems, tables = check_tables(frames, None)
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
        keys = [k for k in DATA_MODEL[name].natural_key if k in table.columns]
        # A unique key (checked above) orders rows completely; otherwise every column breaks ties.
        order = keys if DATA_MODEL[name].unique_key is not None else keys + [c for c in table.columns if c not in keys]
        table.sort(order, nulls_last=True).write_parquet(path, compression="zstd", statistics=True)
    (folder / DATASET_TOML).write_text(toml_text, encoding="utf-8")
    lazy, missing_tables, _ = _complete(tables, {})
    write_derived(folder, source_fingerprint(folder), _derive(lazy, missing_tables))
