"""The Areas page's every-area tables kept in derived/ (iro_metrics/pages/areas_store.py, issue 27):
read back, they are the tables computed afresh; new settings, a tampered list or a broken file
computes them again."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from iro_metrics.briefing.period_table import dataset_areas
from iro_metrics.dataset import load_dataset
from iro_metrics.pages import areas_store
from iro_metrics.pages.areas import _compute_every_area, areas_figures
from iro_metrics.periods import financial_quarter
from iro_metrics.selection import Selection
from iro_metrics.store import SHIPPED_DATASET
from tests.builders import copy_source_tables

PERIOD = financial_quarter(2013, 1)  # Q1 2013-14: seven areas, both cohorts, small counts hidden


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "kent"
    copy_source_tables(SHIPPED_DATASET, folder)  # each test starts from no kept table
    load_dataset(folder)  # builds the copy's own derived/
    return folder


def _kept_files(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "derived" / areas_store.AREAS_FOLDER).glob("*"))


def _figures(folder: Path, cohort: str = "all"):
    return areas_figures(Selection.of(load_dataset(folder), PERIOD, [], cohort))


def test_tables_read_back_are_the_tables_computed(copy: Path):
    first = _figures(copy, "uasc")
    label = PERIOD.label
    assert set(_kept_files(copy)) == {f"{label}-uasc.{p}.arrow" for p in areas_store.PARTS} | {f"{label}-uasc.json"}
    ds = load_dataset(copy)  # a restart: a new dataset object, nothing in memory
    kept = areas_store.read_kept(ds, label, "uasc", dataset_areas(ds))
    assert kept is not None
    fresh = _compute_every_area(Selection.of(ds, PERIOD, [], "uasc"))
    for part in areas_store.PARTS:
        assert_frame_equal(kept[part], getattr(fresh, part))
    again = _figures(copy, "uasc")
    assert again.areas == first.areas and again.selected_areas == first.selected_areas
    assert_frame_equal(again.slips, first.slips)
    assert_frame_equal(again.display_table, first.display_table)
    assert first.slips.height > 0  # the list is not empty, so the comparison says something


def test_a_changed_setting_computes_again(copy: Path):
    _figures(copy)
    ds = load_dataset(copy)
    assert areas_store.read_kept(ds, PERIOD.label, "all", dataset_areas(ds)) is not None
    toml = copy / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    later = load_dataset(copy)
    assert areas_store.read_kept(later, PERIOD.label, "all", dataset_areas(later)) is None


def test_a_list_that_shows_a_small_count_is_refused(copy: Path):
    _figures(copy)
    ds = load_dataset(copy)
    stem = copy / "derived" / areas_store.AREAS_FOLDER / f"{PERIOD.label}-all"
    by_area = pl.read_ipc(f"{stem}.by_area.arrow")
    slips = pl.read_ipc(f"{stem}.slips.arrow")
    small = by_area.filter(pl.col("numerator").is_between(1, 4)).row(0, named=True)
    assert (small["indicator"], small["area"]) not in set(slips.select("indicator", "area").iter_rows())
    forged = slips.head(1).with_columns(indicator=pl.lit(small["indicator"]), area=pl.lit(small["area"]))
    pl.concat([slips, forged]).write_ipc(f"{stem}.slips.arrow")
    assert areas_store.read_kept(ds, PERIOD.label, "all", dataset_areas(ds)) is None
    assert (small["indicator"], small["area"]) not in set(
        _figures(copy).slips.select("indicator", "area").iter_rows()
    )  # computed again, without it


def test_a_broken_file_computes_again(copy: Path):
    expected = _figures(copy)
    stem = copy / "derived" / areas_store.AREAS_FOLDER / f"{PERIOD.label}-all"
    Path(f"{stem}.table.arrow").write_bytes(b"not an Arrow file")
    ds = load_dataset(copy)
    assert areas_store.read_kept(ds, PERIOD.label, "all", dataset_areas(ds)) is None
    assert_frame_equal(_figures(copy).table, expected.table)
