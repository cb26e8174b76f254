"""A year's disclosure decision kept in derived/ and read back (briefing/decision_store.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from iro_metrics.briefing import decision_store
from iro_metrics.briefing.period_table import dataset_areas, keep_decision, year_tables
from iro_metrics.dataset import load_dataset
from iro_metrics.periods import financial_quarter, financial_year
from iro_metrics.store import SHIPPED_DATASET
from tests.builders import copy_source_tables

YEAR = 2013  # 2013-14: Kent's first published year, seven areas, both cohorts


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "kent"
    copy_source_tables(SHIPPED_DATASET, folder)  # each test starts from no kept table
    load_dataset(folder)  # builds the copy's own derived/
    return folder


def _kept_file(folder: Path) -> Path:
    return folder / "derived" / decision_store.DECISIONS_FOLDER / f"{financial_year(YEAR).label}-t4.npz"


def test_a_kept_decision_reads_back_as_the_same_decision(copy: Path):
    ds = load_dataset(copy)
    solved = year_tables(ds, [YEAR])[YEAR]
    assert not solved.kept and not _kept_file(copy).exists()
    assert keep_decision(ds, financial_year(YEAR))
    assert _kept_file(copy).is_file()

    again = year_tables(load_dataset(copy), [YEAR])[YEAR]
    assert again.kept and again.fully_solved
    assert list(again.families) == list(solved.families)
    for name, family in solved.families.items():
        assert np.array_equal(again.families[name].hidden, family.hidden), name
        assert np.array_equal(again.families[name].base, family.base), name
    assert sum(int(f.hidden.sum()) for f in again.families.values()) > 0  # something is hidden to keep
    # Every single-area, two-area and cohort answer is the same as the solved table's.
    areas = list(solved.areas)
    selections = [[a] for a in areas] + [areas[:2], areas[2:5]]
    for name in solved.families:
        for period in (financial_quarter(YEAR, 1).label, financial_year(YEAR).label):
            for chosen in selections:
                for cohort in ("all", "citizen", "uasc"):
                    assert again.suppressed(name, chosen, cohort, period) == solved.suppressed(
                        name, chosen, cohort, period
                    ), (name, period, chosen, cohort)


def test_a_changed_dataset_setting_decides_again(copy: Path):
    ds = load_dataset(copy)
    assert keep_decision(ds, financial_year(YEAR))
    toml = copy / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    later = load_dataset(copy)
    assert decision_store.load_decision(later, financial_year(YEAR).label, 4, dataset_areas(later)) is None
    assert not year_tables(later, [YEAR])[YEAR].kept  # decided afresh


def test_a_decision_made_before_the_folder_changed_is_neither_kept_nor_read(copy: Path):
    # An import swaps new files into the folder while a loaded dataset is still being decided (the
    # server's warm-up): that decision is of the old tables and must not be kept under the new key.
    ds = load_dataset(copy)
    year_tables(ds, [YEAR])
    toml = copy / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# a new import\n", encoding="utf-8")
    assert not keep_decision(ds, financial_year(YEAR))
    assert not _kept_file(copy).exists()
    later = load_dataset(copy)
    assert keep_decision(later, financial_year(YEAR))  # the dataset as it now is keeps its own
    assert decision_store.load_decision(ds, financial_year(YEAR).label, 4, dataset_areas(ds)) is None


def test_a_decision_that_unhides_a_small_count_is_refused(copy: Path):
    ds = load_dataset(copy)
    assert keep_decision(ds, financial_year(YEAR))
    target = _kept_file(copy)
    with np.load(target, allow_pickle=False) as kept:
        arrays = {k: kept[k] for k in kept.files}
    meta = json.loads(str(arrays["meta"]))
    assert any(arrays[f"hidden_{n}"].any() for n in range(len(meta["families"])))
    for n in range(len(meta["families"])):  # every cell published, small counts too
        arrays[f"hidden_{n}"] = np.zeros_like(arrays[f"hidden_{n}"])
    np.savez_compressed(target, **arrays)
    later = load_dataset(copy)
    assert decision_store.load_decision(later, financial_year(YEAR).label, 4, dataset_areas(later)) is None
    assert not year_tables(later, [YEAR])[YEAR].kept


def test_an_unreadable_file_is_decided_again(copy: Path):
    ds = load_dataset(copy)
    assert keep_decision(ds, financial_year(YEAR))
    _kept_file(copy).write_bytes(b"not an npz file")
    later = load_dataset(copy)
    assert not year_tables(later, [YEAR])[YEAR].kept


def test_a_dataset_without_derived_tables_keeps_nothing(copy: Path):
    ds = load_dataset(copy)
    shutil.rmtree(copy / "derived")
    assert not keep_decision(ds, financial_year(YEAR))
    assert not (copy / "derived").exists()


def test_a_year_not_solved_whole_is_kept_only_when_asked_to_solve(copy: Path):
    ds = load_dataset(copy)
    year = year_tables(ds, [YEAR])[YEAR]
    year.suppressed(next(iter(year.families)), [year.areas[0]], "all", financial_year(YEAR).label)
    assert not year.fully_solved
    assert not keep_decision(ds, financial_year(YEAR), solve=False)
    assert not _kept_file(copy).exists()
    assert keep_decision(ds, financial_year(YEAR))
    assert year.fully_solved and _kept_file(copy).is_file()


def test_only_two_kept_years_are_held_in_memory_and_an_unsaved_one_stays_longer(copy: Path):
    # Issue 27 (memory): a year whose decision is in derived/ is read back in about 0.1 s at national
    # scale, so the dataset holds two of them (35-45 MB each at 150 areas); a year solved but not
    # written there would cost a fresh solve, so it is dropped only beyond four.
    ds = load_dataset(copy)
    years = [2013, 2014, 2015]
    for fy in years:
        assert keep_decision(ds, financial_year(fy))
    assert [label for label, _ in ds.memo.period_tables] == ["2014-15", "2015-16"]  # 2013-14 went
    assert all(table.kept for table in ds.memo.period_tables.values())

    again = year_tables(ds, [2013])[2013]  # read back from derived/, decided as before
    assert again.kept and again.fully_solved
    assert [label for label, _ in ds.memo.period_tables] == ["2015-16", "2013-14"]

    asked_together = year_tables(ds, years)  # a paper asking three years at once holds all three
    assert sorted(asked_together) == years
    assert len(ds.memo.period_tables) == 3

    shutil.rmtree(copy / "derived" / decision_store.DECISIONS_FOLDER)
    fresh = load_dataset(copy)
    unsaved = year_tables(fresh, [2016])[2016]  # solved, not written
    assert not unsaved.kept
    for fy in years:
        assert keep_decision(fresh, financial_year(fy))
    # Held: two years, the unsaved one kept while the kept years made way for each other.
    assert [label for label, _ in fresh.memo.period_tables] == ["2016-17", "2015-16"]


def test_a_kept_decision_is_known_without_reading_it(copy: Path):
    ds = load_dataset(copy)
    areas = dataset_areas(ds)
    label = financial_year(YEAR).label
    assert not decision_store.is_kept(ds, label, 4, areas)
    assert keep_decision(ds, financial_year(YEAR))
    assert decision_store.is_kept(ds, label, 4, areas)
    assert not decision_store.is_kept(ds, label, 5, areas)  # another threshold is another decision
    assert not decision_store.is_kept(ds, label, 4, areas[:-1])  # so is another list of areas
    later = load_dataset(copy)
    assert keep_decision(later, financial_year(YEAR))  # kept before: true, and nothing read
    assert not later.memo.period_tables
    _kept_file(copy).write_bytes(b"not a decision")
    assert not decision_store.is_kept(later, label, 4, areas)
