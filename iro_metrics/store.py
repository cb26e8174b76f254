"""Where datasets live: the shipped one in data/, imported ones under the data home, and any
folder named by $IRO_DATASET (a dataset kept elsewhere, such as a regional partnership's)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

SHIPPED_DATASET = Path(__file__).resolve().parent.parent / "data"
SHIPPED_KEY = "shipped"
# Brackets cannot appear in an imported dataset's name, so this key never meets one.
CONFIGURED_KEY = "(IRO_DATASET)"


def data_home() -> Path:
    """The folder for imported datasets: $IRO_DATA_HOME, else ~/.local/share/iro-explorer."""
    return Path(os.environ.get("IRO_DATA_HOME") or Path.home() / ".local" / "share" / "iro-explorer")


def configured_dataset() -> Path | None:
    """The dataset folder named by $IRO_DATASET, if that is set."""
    folder = os.environ.get("IRO_DATASET", "").strip()
    return Path(folder).expanduser().resolve() if folder else None


def imported_root() -> Path:
    return data_home() / "datasets"


@dataclass(frozen=True)
class DatasetChoice:
    """A dataset the app can show: its key (used in the URL), a label and its folder."""

    key: str
    label: str
    path: Path


def available_datasets() -> list[DatasetChoice]:
    """The datasets the app offers, the one it opens first: the $IRO_DATASET folder (when set),
    the shipped dataset, then every complete imported dataset, by name."""
    choices = [DatasetChoice(SHIPPED_KEY, "Shipped synthetic Kent dataset", SHIPPED_DATASET)]
    configured = configured_dataset()
    if configured is not None:
        choices.insert(0, DatasetChoice(CONFIGURED_KEY, f"{configured.name} (from IRO_DATASET)", configured))
    root = imported_root()
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if (folder / "dataset.toml").exists():
                choices.append(DatasetChoice(folder.name, f"Imported: {folder.name}", folder))
    return choices


def dataset_path(key: str | None) -> Path:
    """The folder for a dataset key; the shipped dataset for None or an unknown key."""
    for choice in available_datasets():
        if choice.key == key:
            return choice.path
    return SHIPPED_DATASET


def delete_imported_dataset(key: str) -> Path:
    """Delete an imported dataset folder (never the shipped or $IRO_DATASET one); return where it was.

    The folder is first renamed to a hidden name, so the app stops offering it at once, then removed.
    Raises ValueError for a key that is not an imported dataset.
    """
    root = imported_root().resolve()
    folder = (root / key).resolve()
    if key in (SHIPPED_KEY, CONFIGURED_KEY) or folder.parent != root or not (folder / "dataset.toml").is_file():
        raise ValueError(f"{key!r} is not an imported dataset")
    hidden = root / f".deleting-{folder.name}-{os.getpid()}"
    folder.rename(hidden)
    shutil.rmtree(hidden)
    return folder
