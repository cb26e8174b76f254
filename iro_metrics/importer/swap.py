"""Write a dataset so that a failed or interrupted import never touches the previous one.

The new dataset is written to a hidden temporary folder beside its destination, loaded back to
prove it complete, and only then renamed into place. The previous dataset is renamed aside first
and deleted only after the new one is in place; if the process dies between the two renames,
``recover`` (run before every import) puts the previous dataset back.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.dataset import DATASET_TOML, load_dataset, write_dataset

_WRITING = ".importing-"
_PREVIOUS = ".previous-"


class NotADatasetFolderError(Exception):
    """The destination exists, holds files and is not a dataset: it is never replaced."""


def _siblings(destination: Path, marker: str) -> list[Path]:
    prefix = f".{destination.name}{marker}"
    if not destination.parent.is_dir():
        return []
    return sorted(p for p in destination.parent.iterdir() if p.name.startswith(prefix))


def recover(destination: Path) -> None:
    """Undo what an interrupted swap left: restore a dataset set aside, remove half-written folders."""
    destination = Path(destination)
    previous = _siblings(destination, _PREVIOUS)
    if previous and not destination.exists():
        newest = max(previous, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, destination)
        previous.remove(newest)
    for stale in (*previous, *_siblings(destination, _WRITING)):
        shutil.rmtree(stale, ignore_errors=True)


def check_destination(destination: Path) -> None:
    """Refuse a destination that exists, is not empty and is not a dataset folder."""
    destination = Path(destination)
    if destination.exists() and not destination.is_dir():
        raise NotADatasetFolderError(f"{destination} is a file, not a folder; choose a folder for the dataset.")
    if destination.is_dir() and any(destination.iterdir()) and not (destination / DATASET_TOML).is_file():
        raise NotADatasetFolderError(
            f"{destination} already holds files and is not a dataset folder (it has no {DATASET_TOML}); "
            "choose a new folder or an earlier import's folder."
        )


def write_atomically(frames: dict[str, pl.DataFrame], meta: dict[str, Any], destination: Path) -> None:
    """Write the dataset to ``destination``, replacing any previous one only once the new one is complete."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    recover(destination)
    check_destination(destination)
    token = uuid.uuid4().hex[:12]
    staging = destination.parent / f".{destination.name}{_WRITING}{token}"
    try:
        write_dataset(frames, meta, staging)
        load_dataset(staging)  # the complete dataset loads and checks clean before it is swapped in
        if destination.exists():
            set_aside = destination.parent / f".{destination.name}{_PREVIOUS}{token}"
            os.rename(destination, set_aside)
            try:
                os.rename(staging, destination)
            except BaseException:
                os.rename(set_aside, destination)
                raise
            shutil.rmtree(set_aside, ignore_errors=True)
        else:
            os.rename(staging, destination)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
