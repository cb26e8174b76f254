"""A fast, seeded generator of large synthetic IRO datasets for the benchmark.

Everything is drawn with numpy arrays and assembled with Polars: no Python loop runs over
children, episodes or reviews. The model is deliberately simple but follows the data model
(spec/data-model.md) closely enough to exercise every indicator: periods of care made of
contiguous episodes opened by an ``S`` episode, re-entries after a gap, short-break (V3/V4)
children who must be left out, reviews roughly on the statutory schedule with some late,
reviews outside any period of care, QA audits, disputes, staffing, contacts and surveys.

A child keeps one area and one UASC flag for life here, so every table's ``area`` and ``uasc``
agree for that child.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from iro_metrics import codes
from iro_metrics.dataset import write_dataset
from tools.bench import national_care, national_events, national_oversight
from tools.bench.arrays import days

GENERATOR_VERSION = 9
_STAMP = "bench-generator.toml"


@dataclass(frozen=True)
class Scale:
    """How big a generated dataset is."""

    name: str
    children_in_care: int  # the steady-state number of children in care at any time
    areas: int  # number of areas (Kent's seven names when 7 and kent-like)
    years: int  # financial years covered
    first_fy: int  # the financial year the data starts in
    seed: int = 20260401


SCALES: dict[str, Scale] = {
    "national": Scale("national", 80_000, 150, 6, 2019),
    "kent": Scale("kent", 1_900, 7, 6, 2019),
    "quick": Scale("quick", 120, 4, 2, 2022),
}


def cache_root() -> Path:
    """Where generated datasets are kept: $IRO_BENCH_CACHE, else ~/.cache/iro-explorer."""
    return Path(os.environ.get("IRO_BENCH_CACHE") or Path.home() / ".cache" / "iro-explorer")


def dataset_folder(scale: str) -> Path:
    """The cache folder of one scale's dataset."""
    return cache_root() / f"bench-{scale}"


def window(scale: Scale) -> tuple[date, date]:
    """The first and last day the dataset covers."""
    return date(scale.first_fy, 4, 1), date(scale.first_fy + scale.years, 3, 31)


def area_names(scale: Scale) -> list[str]:
    """Area names: Kent's own for the Kent scale, numbered areas otherwise."""
    if scale.name == "kent":
        return list(codes.KENT_AREAS)
    return [f"Area {i:03d}" for i in range(1, scale.areas + 1)]


def generate_frames(scale: Scale) -> dict[str, pl.DataFrame]:
    """Every table of a synthetic dataset of the given scale, as Polars frames.

    The steps draw from one seeded generator in this order; changing the order (or any draw)
    changes the data, so it needs a new ``GENERATOR_VERSION``.
    """
    rng = np.random.default_rng(scale.seed)
    first_day, last_day = window(scale)
    w0, w1 = days(first_day), days(last_day)
    areas = area_names(scale)
    area_weight = rng.lognormal(0.0, 0.5, len(areas))
    area_weight /= area_weight.sum()

    care = national_care.care_histories(rng, scale, w0, w1, areas, area_weight)
    cuts = national_care.cut_episodes(rng, care)
    breaks = national_care.short_breaks(rng, scale, care, w0, w1, areas, area_weight)
    who = national_care.people(care, cuts, breaks, areas)
    episodes = national_care.episodes_frame(rng, cuts, breaks, who)
    children = national_care.children_frame(rng, who, w1)
    held = national_events.reviews(rng, care, who, w1)
    in_window = np.flatnonzero(held.day >= w0)  # the events below follow reviews inside the window
    frames = {
        "children": children,
        "episodes": episodes,
        "reviews": held.frame,
        "qa_grades": national_events.qa_grades(rng, held, in_window, who, w1),
        "disputes": national_events.disputes(rng, held, in_window, who, w1),
        "iro_staffing": national_events.iro_staffing(rng, scale, first_day, last_day, areas, area_weight),
        "iro_contacts": national_events.iro_contacts(rng, care, who, w0),
        "survey_responses": national_events.survey_responses(rng, held, in_window, who),
        # Each area's own IRO team serves it, except the last area, which is left unmapped: its
        # caseload is the whole service's.
        "area_teams": pl.DataFrame(
            {"area": areas[:-1], "team": [f"IRO team {a}" for a in areas[:-1]]},
            schema={"area": pl.String, "team": pl.String},
        ),
        "social_worker_episodes": national_events.social_worker_episodes(rng, care, who),
    }
    # The oversight sources (issue 25) draw from their own generator, so the tables above are as before.
    extra = np.random.default_rng(scale.seed + 25)
    frames["iros"] = national_oversight.iros(extra, scale.children_in_care, frames["area_teams"]["team"].to_list())
    frames["iro_allocations"] = national_oversight.allocations(extra, care, who, frames["iros"].height)
    frames["iro_contacts"] = national_oversight.typed_contacts(extra, frames["iro_contacts"])
    frames["reviews"] = national_oversight.first_set(extra, frames["reviews"])
    return frames


def _meta(scale: Scale) -> dict:
    first_day, last_day = window(scale)
    return {
        "local_authority": f"Synthetic benchmark ({scale.name} scale)",
        "produced_by": f"tools.bench.national v{GENERATOR_VERSION}",
        "synthetic": True,
        "first_day": first_day,
        "last_day": last_day,
    }


def ensure_dataset(scale: str | Scale = "national", folder: Path | None = None, force: bool = False) -> Path:
    """Generate the dataset for a scale once and cache it; return its folder.

    The folder holds a stamp of the generator version and scale; a stale or partial folder is
    regenerated (written beside it, then renamed into place).
    """
    spec = SCALES[scale] if isinstance(scale, str) else scale
    folder = Path(folder) if folder is not None else dataset_folder(spec.name)
    stamp = {"version": GENERATOR_VERSION, **asdict(spec)}
    stamp_path = folder / _STAMP
    if not force and stamp_path.exists():
        with stamp_path.open("rb") as fh:
            if tomllib.load(fh) == stamp:
                return folder
    tmp = folder.with_name(folder.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    write_dataset(generate_frames(spec), _meta(spec), tmp)
    (tmp / _STAMP).write_text("\n".join(f"{k} = {v!r}" for k, v in stamp.items()) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


if __name__ == "__main__":  # python -m tools.bench.national [scale]
    import sys
    import time

    t0 = time.perf_counter()
    path = ensure_dataset(sys.argv[1] if len(sys.argv) > 1 else "quick", force="--force" in sys.argv)
    print(f"{path} ready in {time.perf_counter() - t0:.1f} s")
