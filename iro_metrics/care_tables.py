"""The tables every indicator reads, derived once per dataset and kept beside it.

``build_care_tables`` works out, from a dataset's tables, the episodes with their periods of care,
the periods of care, the review schedule of the reviews that count, the overdue spells, and the
other event tables in date order (see ``iro_metrics.care`` for the rules). Building them takes
seconds at national scale, so ``write_dataset`` writes them as Parquet files in the dataset's
``derived/`` folder, with the dataset's other tables as a loaded dataset holds them and a
fingerprint of what they were built from (the table files' bytes and the code that checks and
builds them); ``load_dataset`` reads them back only when that fingerprint still matches, and
otherwise builds them again (and writes them, where it may).

A text column found in several of these files (``child_id`` in nine, ``area``, ``review_id``) is
written once as a list of its values and, in each file, as each row's position in that list. Reading
a categorical column costs one hash per row (about 100 ms per child_id column at national scale);
taking rows of the list by position costs a few milliseconds, so a load reads each list once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import polars as pl

from iro_metrics import care
from iro_metrics.periods import working_days_after
from iro_metrics.tables import DATA_MODEL

DERIVED_FOLDER = "derived"
MANIFEST = "manifest.json"
_TEXT_LIST = "text_{}.parquet"  # the values of a text column shared by several files
# The other tables read by event date: kept in date order so a period's rows are a slice found by
# binary search (``care.rows_between``).
DATED_TABLES: tuple[str, ...] = tuple(
    name for name, table in DATA_MODEL.items() if table.event_date and name not in ("episodes", "reviews")
)
_FRAMES: tuple[str, ...] = (
    "child_keys",
    "episodes",
    "left_out_episodes",
    "periods_of_care",
    "reviews",
    "overdue_spells",
)
# The code whose rules the derived tables follow, and that checked the tables they hold: a change
# to any of it makes them stale.
_CODE = ("care.py", "care_tables.py", "periods.py", "codes.py", "tables.py", "validation.py", "dataset.py")


@dataclass(frozen=True)
class CareTables:
    """A dataset's derived tables (each a collected frame, never changed once built)."""

    child_keys: pl.DataFrame  # child_id, child_key: a whole number per child, cheaper to count and join
    episodes: pl.DataFrame  # episodes less short breaks, with periods of care, child_key and late_notification
    left_out_episodes: pl.DataFrame  # the short breaks, as the episodes table holds them (no figure reads them)
    periods_of_care: pl.DataFrame  # poc_id, child_id, poc_start, poc_end, opened_by_s
    reviews: pl.DataFrame  # the reviews that count, with their schedule (due_date, on_time ...) and minutes_on_time
    overdue_spells: pl.DataFrame  # child_id, poc_id, overdue_from, overdue_until
    short_break_reviews_left_out: int  # reviews of short breaks, in the dataset but in no review figure
    dated: Mapping[str, pl.DataFrame]  # DATED_TABLES by event date (iro_contacts with child_key)

    def by_date(self, table: str) -> pl.DataFrame:
        """A table's rows in event-date order (episodes and reviews: the derived ones)."""
        if table == "episodes":
            return self.episodes
        if table == "reviews":
            return self.reviews
        return self.dated[table]

    def equals(self, other: CareTables) -> bool:
        """Whether two sets of derived tables hold the same values."""
        return (
            self.short_break_reviews_left_out == other.short_break_reviews_left_out
            and all(getattr(self, name).equals(getattr(other, name)) for name in _FRAMES)
            and self.dated.keys() == other.dated.keys()
            and all(self.dated[name].equals(other.dated[name]) for name in self.dated)
        )


def build_care_tables(tables: Mapping[str, pl.LazyFrame]) -> CareTables:
    """Build the derived tables from a dataset's tables (as ``Dataset.tables`` holds them).

    These steps depend on row order (shifts, fills), which the in-memory engine runs two to three
    times faster than the streaming one.
    """
    episodes = tables["episodes"]
    child_keys = episodes.select(pl.col("child_id").unique().sort()).with_row_index("child_key").collect()
    notified_by = working_days_after(pl.col("start_date"), care.LATE_NOTIFICATION_WORKING_DAYS)
    with_pocs = (
        care.episodes_with_periods_of_care(episodes)
        .join(child_keys.lazy(), on="child_id", how="left")
        .with_columns(
            # Only S episodes are notified; a missing notification date counts as late.
            late_notification=pl.when(pl.col("reason_new_episode") == "S").then(
                pl.col("iro_notified_date").is_null() | (pl.col("iro_notified_date") >= notified_by)
            )
        )
        .sort("start_date")
        .collect(engine="in-memory")
    )
    pocs = care.pocs_of(with_pocs.lazy()).sort("poc_id").collect(engine="in-memory")
    minutes_due = working_days_after(pl.col("review_date"), care.MINUTES_WORKING_DAYS)
    kept = care.without_short_break_reviews(tables["reviews"], episodes)
    reviews = (
        care.schedule_reviews(kept, pocs.lazy())
        .with_columns(minutes_on_time=(pl.col("minutes_issued_date") <= minutes_due).fill_null(False))
        .sort("review_date")
        .collect(engine="in-memory")
    )
    all_reviews = tables["reviews"].select(pl.len()).collect().item()
    spells = care.overdue_spells(reviews.lazy(), with_pocs.lazy()).collect(engine="in-memory")
    dated = {}
    for name in DATED_TABLES:
        ordered = tables[name].sort(DATA_MODEL[name].event_dates[0], maintain_order=True)
        if name == "iro_contacts":
            ordered = ordered.join(child_keys.lazy(), on="child_id", how="left", maintain_order="left")
        dated[name] = ordered
    return CareTables(
        child_keys=child_keys,
        episodes=with_pocs,
        left_out_episodes=care.left_out_episodes(episodes)
        .select(DATA_MODEL["episodes"].names)
        .collect(engine="in-memory"),
        periods_of_care=pocs,
        reviews=reviews,
        overdue_spells=spells,
        short_break_reviews_left_out=all_reviews - reviews.height,
        dated={
            name: _by_review_row(frame, reviews) if name == "qa_grades" else frame
            for name, frame in zip(dated, pl.collect_all(dated.values()), strict=True)
        },
    )


def _by_review_row(qa_grades: pl.DataFrame, reviews: pl.DataFrame) -> pl.DataFrame:
    """The QA grades with each one's review named by its row in ``reviews`` (``review_row``, 4
    bytes) instead of its ``review_id`` (16), when every graded review is one of those rows; the
    loaded dataset's qa_grades table gives ``review_id`` back (``review_ids_of``). No figure reads
    which review was audited: this saves 31 MB at national scale."""
    rows = reviews.select("review_id").with_row_index("review_row")
    placed = qa_grades.join(rows, on="review_id", how="left", maintain_order="left")
    if placed.select((pl.col("review_id").is_not_null() & pl.col("review_row").is_null()).any()).item():
        return qa_grades
    return placed.drop("review_id")


def review_ids_of(qa_grades: pl.DataFrame, reviews: pl.DataFrame) -> pl.LazyFrame:
    """A derived dated table as the dataset holds it: QA grades held by ``review_row`` (see
    ``_by_review_row``) with their ``review_id`` given back, any other table as it is."""
    if "review_row" not in qa_grades.columns:
        return qa_grades.lazy()
    ids = reviews.get_column("review_id")
    return qa_grades.lazy().with_columns(review_id=pl.lit(ids).gather(pl.col("review_row")))


def source_fingerprint(folder: Path) -> str:
    """What the derived tables of a dataset folder are built from: the bytes of its table files
    and the code that builds them (and the bank-holiday calendar working days count on)."""
    digest = hashlib.sha256(f"holidays {version('holidays')}; polars {pl.__version__}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    for name in DATA_MODEL:
        path = folder / f"{name}.parquet"
        if path.is_file():
            with path.open("rb") as fh:
                digest.update(name.encode() + b"\0" + hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class DerivedFolder:
    """What a dataset's ``derived/`` folder holds: its derived tables, and its other tables as a
    loaded dataset holds them (text as categorical), so that a load need not read and convert them."""

    care: CareTables
    tables: Mapping[str, pl.DataFrame]


def write_derived(folder: Path, fingerprint: str, derived: DerivedFolder) -> None:
    """Write the derived tables to ``folder/derived`` with the fingerprint they were built from.

    Written beside, then renamed into place, so a reader never sees half a folder. Raises OSError
    when the folder cannot be written.
    """
    target = folder / DERIVED_FOLDER
    partial = Path(tempfile.mkdtemp(prefix=".derived-", dir=folder))
    care_tables = derived.care
    try:
        frames = {name: getattr(care_tables, name) for name in _FRAMES}
        frames |= {f"dated_{name}": frame for name, frame in care_tables.dated.items()}
        frames |= {f"table_{name}": frame for name, frame in derived.tables.items()}
        shared = _shared_text_columns(frames)
        for column, (values, holders) in shared.items():
            frames |= {name: _as_positions(frames[name], column, values) for name in holders}
        lists = {_TEXT_LIST.format(column): values.to_frame("value") for column, (values, _) in shared.items()}
        files = {f"{name}.parquet": frame for name, frame in frames.items()} | lists
        for file, frame in files.items():
            # One row group: each id is turned into a category once, not once per group (a fifth
            # faster to read at national scale).
            frame.write_parquet(partial / file, compression="lz4", statistics=False, row_group_size=1 << 30)
        manifest = {
            "fingerprint": fingerprint,
            "short_break_reviews_left_out": care_tables.short_break_reviews_left_out,
            "tables": sorted(derived.tables),
            "shared_text": {column: holders for column, (_, holders) in sorted(shared.items())},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        os.chmod(partial, 0o755)  # mkdtemp makes it private; a dataset folder is not
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def read_derived(folder: Path, fingerprint: str) -> DerivedFolder | None:
    """What ``folder/derived`` holds, or None when it is missing, unreadable or was built from
    anything other than ``fingerprint``."""
    target = folder / DERIVED_FOLDER
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != fingerprint:
            return None
        tables = [str(name) for name in manifest["tables"]]
        names = [*_FRAMES, *(f"dated_{name}" for name in DATED_TABLES), *(f"table_{name}" for name in tables)]
        shared: dict[str, list[str]] = {
            str(c): [str(n) for n in holders] for c, holders in manifest["shared_text"].items()
        }
        scans = [pl.scan_parquet(target / f"{name}.parquet", glob=False) for name in names]
        scans += [pl.scan_parquet(target / _TEXT_LIST.format(column), glob=False) for column in shared]
        read = pl.collect_all(scans, engine="in-memory")
        frames = dict(zip(names, read, strict=False))
        for column, values in zip(shared, read[len(names) :], strict=True):
            frames |= {
                name: _from_positions(frames[name], column, values.get_column("value")) for name in shared[column]
            }
        care_tables = CareTables(
            **{name: frames[name] for name in _FRAMES},
            short_break_reviews_left_out=int(manifest["short_break_reviews_left_out"]),
            dated={name: frames[f"dated_{name}"] for name in DATED_TABLES},
        )
        return DerivedFolder(care_tables, {name: frames[f"table_{name}"] for name in tables})
    except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
        return None


def _shared_text_columns(frames: Mapping[str, pl.DataFrame]) -> dict[str, tuple[pl.Series, list[str]]]:
    """Each categorical column found in more than one frame: every value it takes in any of them
    (sorted, no nulls, categorical) and the frames that hold it."""
    found: dict[str, dict[str, pl.Series]] = {}
    for name, frame in frames.items():
        for column, dtype in frame.schema.items():
            if isinstance(dtype, pl.Categorical):
                found.setdefault(column, {})[name] = frame.get_column(column).cast(pl.String)
    return {
        column: (pl.concat(parts.values()).drop_nulls().unique().sort().cast(pl.Categorical), sorted(parts))
        for column, parts in found.items()
        if len(parts) > 1
    }


def _as_positions(frame: pl.DataFrame, column: str, values: pl.Series) -> pl.DataFrame:
    """The frame with a shared text column as each row's position in its values (null stays null)."""
    text = values.cast(pl.String)
    positions = pl.int_range(text.len(), dtype=pl.UInt32, eager=True)
    return frame.with_columns(
        pl.col(column).cast(pl.String).replace_strict(text, positions, default=None, return_dtype=pl.UInt32)
    )


def _from_positions(frame: pl.DataFrame, column: str, values: pl.Series) -> pl.DataFrame:
    """The frame with a shared text column's positions turned back into its (categorical) values."""
    return frame.with_columns(values.gather(frame.get_column(column)).alias(column))
