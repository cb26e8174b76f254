"""Where datasets live: the shipped one in data/, imported ones under the data home."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SHIPPED_DATASET = Path(__file__).resolve().parent.parent / "data"
SHIPPED_KEY = "shipped"


def data_home() -> Path:
    """The folder for imported datasets: $IRO_DATA_HOME, else ~/.local/share/iro-explorer."""
    return Path(os.environ.get("IRO_DATA_HOME") or Path.home() / ".local" / "share" / "iro-explorer")


def imported_root() -> Path:
    return data_home() / "datasets"


@dataclass(frozen=True)
class DatasetChoice:
    """A dataset the app can show: its key (used in the URL), a label and its folder."""

    key: str
    label: str
    path: Path


def available_datasets() -> list[DatasetChoice]:
    """The shipped dataset first, then every complete imported dataset, by name."""
    choices = [DatasetChoice(SHIPPED_KEY, "Shipped synthetic Kent dataset", SHIPPED_DATASET)]
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
