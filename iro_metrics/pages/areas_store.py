"""The Areas page's every-area tables, kept in the dataset's ``derived/`` folder (issue 27).

At national scale the tables take 8 s with the year's disclosure decision kept, and 40 s or more
without (every indicator for every area and the council, then which area figures the period's
papers hide). They depend only on the dataset, its settings, the code, the period and the cohort,
so they are written to ``derived/areas/<period>-<cohort>.<part>.arrow`` (Arrow IPC, read back in
milliseconds) under the same key as a kept disclosure decision (``decision_store.decision_key``):
new data, a new catalogue or any change of code computes them again. The key is written last, in
``<period>-<cohort>.json``, so a half-written set is never read.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import polars as pl

from iro_metrics.briefing.decision_store import decision_key
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.care_tables import DERIVED_FOLDER
from iro_metrics.dataset import Dataset

AREAS_FOLDER = "areas"
PARTS = ("council", "by_area", "table", "display_table", "slips")
FORMAT = 1


def _stem(ds: Dataset, period: str, cohort: str) -> Path:
    return ds.path / DERIVED_FOLDER / AREAS_FOLDER / f"{period}-{cohort}"


def _key(ds: Dataset, period: str, cohort: str, areas: list[str]) -> str | None:
    return decision_key(ds, f"areas-{FORMAT}-{period}-{cohort}", DEFAULT_THRESHOLD, areas)


def read_kept(ds: Dataset, period: str, cohort: str, areas: list[str]) -> dict[str, pl.DataFrame] | None:
    """The kept tables of the period and cohort by part, or None when none match this dataset and code."""
    if not is_kept(ds, period, cohort, areas):
        return None
    stem = _stem(ds, period, cohort)
    try:
        frames = {part: pl.read_ipc(f"{stem}.{part}.arrow") for part in PARTS}
        return frames if not _slips_show_small_counts(frames, DEFAULT_THRESHOLD) else None
    except (OSError, ValueError, pl.exceptions.PolarsError):
        return None


def is_kept(ds: Dataset, period: str, cohort: str, areas: list[str]) -> bool:
    """Whether tables of the period and cohort are kept for this dataset and code (their key file
    matches; the tables themselves are read, and checked, only by ``read_kept``)."""
    try:
        meta = json.loads(_stem(ds, period, cohort).with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    key = _key(ds, period, cohort, areas)
    return key is not None and isinstance(meta, dict) and meta.get("key") == key


def _slips_show_small_counts(frames: dict[str, pl.DataFrame], threshold: int) -> bool:
    """Whether the kept slips list an area figure built on a count of 1 to ``threshold`` (its
    numerator, the rest of its base, or its base), or one the kept areas do not hold: such a list
    was not written by ``keep``, and is computed again. (What secondary suppression hides cannot be
    checked without deciding again: the key and the folder's permissions guard that.)"""
    small = pl.col("numerator").is_between(1, threshold) | pl.col("denominator").is_between(1, threshold)
    small = small | (pl.col("denominator") - pl.col("numerator")).is_between(1, threshold)
    small = small | ((pl.col("unit") == "count") & pl.col("value").is_between(1, threshold))
    by_area = frames["by_area"].select("indicator", "area", small.fill_null(False).alias("_small"))
    slips = frames["slips"].select("indicator", "area").join(by_area, on=["indicator", "area"], how="left")
    return slips.height != frames["slips"].height or bool(slips.get_column("_small").fill_null(True).any())


def keep(ds: Dataset, period: str, cohort: str, areas: list[str], frames: dict[str, pl.DataFrame]) -> bool:
    """Write the tables (each beside, then renamed into place; the key last). False when the dataset
    has no derived tables or its folder may not be written: they are computed again next time."""
    key = _key(ds, period, cohort, areas)
    if key is None:
        return False
    stem = _stem(ds, period, cohort)
    try:
        stem.parent.mkdir(exist_ok=True)
        for part in PARTS:
            _write_atomically(Path(f"{stem}.{part}.arrow"), lambda fh, part=part: frames[part].write_ipc(fh))
        _write_atomically(stem.with_suffix(".json"), lambda fh: fh.write(json.dumps({"key": key}).encode()))
    except OSError:
        return False
    return True


def _write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    handle, partial = tempfile.mkstemp(prefix=".areas-", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            write(fh)
        os.chmod(partial, 0o644)  # mkstemp makes it private; a dataset folder is not
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
