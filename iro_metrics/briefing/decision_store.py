"""Each financial year's disclosure decision, kept in the dataset's ``derived/`` folder.

Deciding a year (``year_table``) takes one pass of the indicator engine over the year's quarters
by area and cohort, then the secondary solve: at national scale 14-17 s, which a manager would
otherwise wait through on the Areas page after every restart. Once a year is solved whole, its
base cells and hidden flags (a few MB) are written to ``derived/disclosure/<year>-t<threshold>.npz``;
a later load takes them back (``YearTable.adopt``) in milliseconds, with the same decision.

A kept decision is used only when its key matches: the derived tables' fingerprint (the table
files' bytes), the dataset's own settings files (``dataset.toml``, a ``catalogue.toml``), the
source of every ``iro_metrics`` module, the year, the threshold and the areas. So new data, a new
catalogue or any change of code decides again. ``derived/`` is rewritten whole when the data
changes, which removes the kept decisions with it. The files are plain arrays read without pickle,
so a file that has been tampered with can at worst be refused, never run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from iro_metrics.briefing.year_table import YearTable
from iro_metrics.care_tables import DERIVED_FOLDER, MANIFEST
from iro_metrics.dataset import Dataset, dataset_version

DECISIONS_FOLDER = "disclosure"
FORMAT = 1  # the file layout; the code digest covers what the decision means


@functools.cache
def code_digest() -> str:
    """A digest of every module and settings file of the ``iro_metrics`` package (worked out once)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.toml")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def decision_key(ds: Dataset, year_label: str, threshold: int, areas: list[str]) -> str | None:
    """The key a kept decision of the year must carry, or None when the dataset has no derived tables
    or its folder has changed since it was loaded (an import swapped in new files): a decision made
    from the loaded tables must never be kept, or read, under the new files' key."""
    if dataset_version(ds.path) != ds.version:
        return None
    try:
        manifest = json.loads((ds.path / DERIVED_FOLDER / MANIFEST).read_text(encoding="utf-8"))
        fingerprint = str(manifest["fingerprint"])
        settings = [(p.name, p.read_bytes()) for p in sorted(ds.path.glob("*.toml")) if p.is_file()]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    digest = hashlib.sha256(f"{FORMAT}\0{fingerprint}\0{code_digest()}\0{year_label}\0{threshold}\0".encode())
    digest.update(json.dumps([areas, ds.records_uasc]).encode())
    for name, content in settings:
        digest.update(name.encode() + b"\0" + content)
    return digest.hexdigest()


def _file(ds: Dataset, year_label: str, threshold: int) -> Path:
    return ds.path / DERIVED_FOLDER / DECISIONS_FOLDER / f"{year_label}-t{threshold}.npz"


def save_decision(ds: Dataset, year_label: str, table: YearTable) -> bool:
    """Keep a year's decision, solving what is left of it first; False when it cannot be written
    (no derived tables, or a folder the app may not write). Written beside, then renamed into place."""
    key = decision_key(ds, year_label, table.threshold, list(table.areas))
    if key is None:
        return False
    table.solve_all()
    names = list(table.families)
    meta = {
        "key": key,
        "areas": list(table.areas),
        "cohorts": list(table.cohorts),
        "periods": list(table.periods),
        "threshold": table.threshold,
        "families": [
            {"name": n, "measures": table.families[n].measures, "relations": table.families[n].relations} for n in names
        ],
    }
    arrays = {"meta": np.array(json.dumps(meta))}
    for n, name in enumerate(names):
        arrays[f"base_{n}"] = table.families[name].base
        arrays[f"hidden_{n}"] = table.families[name].hidden
    target = _file(ds, year_label, table.threshold)
    try:
        target.parent.mkdir(exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".decision-", suffix=".npz", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as fh:
                np.savez_compressed(fh, **arrays)
            os.chmod(partial, 0o644)  # mkstemp makes it private; a dataset folder is not
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    except OSError:
        return False
    return True


def is_kept(ds: Dataset, year_label: str, threshold: int, areas: list[str]) -> bool:
    """Whether the year's decision is kept for this dataset and code (its key matches; the decision
    itself is read, and checked, only by ``load_decision``)."""
    target = _file(ds, year_label, threshold)
    key = decision_key(ds, year_label, threshold, areas)
    if key is None or not target.is_file():
        return False
    try:
        with np.load(target, allow_pickle=False) as kept:
            return json.loads(str(kept["meta"])).get("key") == key
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def load_decision(ds: Dataset, year_label: str, threshold: int, areas: list[str]) -> YearTable | None:
    """The year's kept decision as a solved table, or None when there is none for this dataset and
    code (or the file cannot be read as one)."""
    target = _file(ds, year_label, threshold)
    if not target.is_file():
        return None
    key = decision_key(ds, year_label, threshold, areas)
    try:
        with np.load(target, allow_pickle=False) as kept:
            meta = json.loads(str(kept["meta"]))
            if key is None or meta.get("key") != key:
                return None
            table = YearTable(meta["areas"], meta["cohorts"], meta["periods"], int(meta["threshold"]))
            flags = {}
            for n, family in enumerate(meta["families"]):
                measures = {m: tuple(float(c) for c in cs) for m, cs in family["measures"].items()}
                table.add(family["name"], measures, kept[f"base_{n}"], [str(r) for r in family["relations"]])
                flags[family["name"]] = kept[f"hidden_{n}"]
            table.adopt(flags)
            table.kept = True
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return table
