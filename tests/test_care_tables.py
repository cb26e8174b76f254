"""The derived tables as values (iro_metrics.care_tables): written beside a dataset at import,
read back on load while their fingerprint matches, rebuilt when it does not, and never a change
to the dataset's own tables."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from iro_metrics import dataset as dataset_module
from iro_metrics.care_tables import (
    DERIVED_FOLDER,
    MANIFEST,
    CareTables,
    build_care_tables,
    read_derived,
    source_fingerprint,
)
from iro_metrics.dataset import Dataset, load_dataset, text_as_categorical, write_dataset
from iro_metrics.importer import run_import
from iro_metrics.indicators import compute_indicators, indicator_trend, indicators_by_area
from iro_metrics.selection import Selection
from iro_metrics.store import SHIPPED_DATASET
from iro_metrics.tables import DATA_MODEL
from tests.builders import copy_source_tables, make_dataset, small_council_tables
from tests.fixtures_903 import write_return
from tests.test_dataset import META, valid_frames


def _from_scratch(folder: Path, tmp_path: Path) -> CareTables:
    """The derived tables of a copy of the folder that has none (so they are built anew)."""
    return load_dataset(copy_source_tables(folder, tmp_path / "scratch")).care


@pytest.fixture
def counted_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times load_dataset builds the derived tables."""
    builds: list[int] = []

    def counting(tables):  # type: ignore[no-untyped-def]
        builds.append(1)
        return build_care_tables(tables)

    monkeypatch.setattr(dataset_module, "build_care_tables", counting)
    return builds


def test_an_import_writes_the_derived_tables_and_a_load_reuses_them(tmp_path, counted_builds):
    paths = write_return(tmp_path / "in")
    report = run_import([paths["csv"]], tmp_path / "imported", today=date(2026, 11, 23))
    assert report.ok, report.format_text()
    assert counted_builds == [1]  # built once, at import
    counted_builds.clear()
    folder = tmp_path / "imported"
    manifest = json.loads((folder / DERIVED_FOLDER / MANIFEST).read_text())
    assert manifest["fingerprint"] == source_fingerprint(folder)

    ds = load_dataset(folder)
    assert counted_builds == []  # read back, not built
    kept = read_derived(folder, source_fingerprint(folder))
    assert kept is not None and ds.care.equals(kept.care)
    # The tables the care tables do not hold whole, as loaded (the episodes and, here, the reviews
    # are held whole).
    assert sorted(kept.tables) == ["children", "social_worker_episodes"]
    scratch = _from_scratch(folder, tmp_path)
    assert counted_builds == [1]
    assert ds.care.equals(scratch)
    assert ds.care.reviews.height > 0 and ds.care.episodes.height > 0


def test_a_stale_derived_folder_is_rebuilt(tmp_path, counted_builds):
    folder = tmp_path / "ds"
    write_dataset(valid_frames(), META, folder)
    counted_builds.clear()
    old_derived = tmp_path / "old-derived"
    shutil.copytree(folder / DERIVED_FOLDER, old_derived)
    # A different dataset version: one review fewer, the old derived folder put back beside it.
    frames = valid_frames()
    frames["reviews"] = frames["reviews"].head(frames["reviews"].height - 1)
    write_dataset(frames, META, folder)
    counted_builds.clear()
    shutil.rmtree(folder / DERIVED_FOLDER)
    shutil.copytree(old_derived, folder / DERIVED_FOLDER)
    assert read_derived(folder, source_fingerprint(folder)) is None

    ds = load_dataset(folder)
    assert counted_builds == [1]
    assert ds.care.reviews.height == frames["reviews"].height
    assert ds.care.equals(_from_scratch(folder, tmp_path))
    # Rebuilt and written again: the next load reads them.
    load_dataset(folder)
    assert counted_builds == [1, 1]  # the one from scratch above
    assert json.loads((folder / DERIVED_FOLDER / MANIFEST).read_text())["fingerprint"] == source_fingerprint(folder)


def test_a_derived_folder_claiming_another_fingerprint_or_damaged_is_not_trusted(tmp_path, counted_builds):
    folder = tmp_path / "ds"
    write_dataset(valid_frames(), META, folder)
    counted_builds.clear()
    manifest_path = folder / DERIVED_FOLDER / MANIFEST
    manifest_path.write_text(json.dumps({"fingerprint": "0" * 32, "short_break_reviews_left_out": 99}))
    assert load_dataset(folder).care.short_break_reviews_left_out == 0
    assert counted_builds == [1]
    (folder / DERIVED_FOLDER / "reviews.parquet").write_bytes(b"not parquet")
    assert load_dataset(folder).care.equals(_from_scratch(folder, tmp_path))


def test_a_folder_that_cannot_be_written_still_loads(tmp_path, monkeypatch, counted_builds):
    folder = tmp_path / "ds"
    write_dataset(valid_frames(), META, folder)
    shutil.rmtree(folder / DERIVED_FOLDER)
    counted_builds.clear()

    def refuse(*_args: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(dataset_module, "write_derived", refuse)
    ds = load_dataset(folder)
    assert counted_builds == [1] and not (folder / DERIVED_FOLDER).exists()
    assert ds.care.episodes.height > 0


def _snapshot(ds: Dataset) -> dict[str, tuple[int, pl.DataFrame]]:
    return {name: (id(frame), frame.collect()) for name, frame in ds.tables.items()}


def _assert_unchanged(ds: Dataset, before: dict[str, tuple[int, pl.DataFrame]]) -> None:
    assert ds.tables.keys() == before.keys()
    for name, (identity, frame) in before.items():
        assert id(ds.tables[name]) == identity, name
        assert ds.tables[name].collect().equals(frame), name


def test_loading_and_answering_never_change_the_dataset_tables():
    ds = load_dataset(SHIPPED_DATASET)
    before = _snapshot(ds)
    period = "2023-24"
    compute_indicators(Selection.of(ds, period))
    indicators_by_area(Selection.of(ds, period))
    indicator_trend(Selection.of(ds, period), kind="quarter")
    _assert_unchanged(ds, before)


def test_a_dataset_made_in_memory_builds_its_derived_tables_once_without_changing_its_tables():
    ds = make_dataset(**small_council_tables())
    before = _snapshot(ds)
    care = ds.care
    compute_indicators(Selection.of(ds, "2013-14"))
    assert ds.care is care
    assert care.equals(build_care_tables(ds.tables))
    _assert_unchanged(ds, before)


def _rows(ds: Dataset, name: str) -> pl.DataFrame:
    table = ds.tables[name].collect()
    return table.sort(table.columns, nulls_last=True)


def test_a_load_that_reads_the_derived_folder_gives_the_same_dataset(tmp_path, counted_builds):
    frames = valid_frames()
    frames["reviews"] = frames["reviews"].drop("chaired_by", "minutes_issued_date")
    frames["qa_grades"] = frames["qa_grades"].drop("area")  # area is required: refused below
    del frames["disputes"]
    with pytest.raises(dataset_module.DatasetError):
        write_dataset(frames, META, tmp_path / "refused")
    frames["qa_grades"] = valid_frames()["qa_grades"]
    write_dataset(frames, META, tmp_path / "ds")
    fresh = load_dataset(copy_source_tables(tmp_path / "ds", tmp_path / "fresh"))  # read and checked whole
    kept = load_dataset(tmp_path / "ds")  # the dated tables and reviews taken from derived/
    assert counted_builds == [1, 1]  # at write_dataset, and the copy without derived/
    assert kept.missing_tables == fresh.missing_tables == {"disputes"}
    assert kept.missing_columns == fresh.missing_columns
    assert kept.missing_columns["reviews"] == {"chaired_by", "minutes_issued_date"}
    for name in fresh.tables:
        assert kept.tables[name].collect_schema() == fresh.tables[name].collect_schema(), name
        assert _rows(kept, name).equals(_rows(fresh, name)), name


def test_the_episodes_table_holds_every_episode_of_its_file_short_breaks_too(tmp_path, counted_builds):
    frames = valid_frames()
    # c2's one episode becomes a short break (V3): in no figure, but still in the episodes table,
    # whose file here has its columns in another order than the data model's.
    episodes = frames["episodes"].with_columns(
        legal_status=pl.when(pl.col("child_id") == "c2").then(pl.lit("V3")).otherwise(pl.col("legal_status"))
    )
    frames["episodes"] = episodes.select(reversed(episodes.columns))
    write_dataset(frames, META, tmp_path / "ds")
    fresh = load_dataset(copy_source_tables(tmp_path / "ds", tmp_path / "fresh"))  # derived/ built
    kept = load_dataset(tmp_path / "ds")  # derived/ read back
    assert counted_builds == [1, 1]
    source = text_as_categorical(pl.read_parquet(tmp_path / "ds" / "episodes.parquet"))
    expected = source.select(DATA_MODEL["episodes"].names)
    expected = expected.sort(expected.columns, nulls_last=True)
    for ds in (fresh, kept):
        assert ds.care.episodes.get_column("child_id").cast(pl.String).to_list() == ["c1", "c1", "c3"]
        assert ds.care.left_out_episodes.get_column("child_id").cast(pl.String).to_list() == ["c2"]
        assert ds.table("episodes").collect_schema().names() == list(DATA_MODEL["episodes"].names)
        assert _rows(ds, "episodes").equals(expected)


@pytest.mark.parametrize("graded_elsewhere", [False, True])
def test_qa_grades_name_their_review_by_its_row_and_give_its_id_back(tmp_path, graded_elsewhere):
    frames = valid_frames()
    if graded_elsewhere:  # a grade of a review the reviews table does not hold: ids kept as they are
        frames["qa_grades"] = frames["qa_grades"].with_columns(
            review_id=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("R-elsewhere")).otherwise("review_id")
        )
    write_dataset(frames, META, tmp_path / "ds")
    fresh = load_dataset(copy_source_tables(tmp_path / "ds", tmp_path / "fresh"))
    kept = load_dataset(tmp_path / "ds")
    source = text_as_categorical(pl.read_parquet(tmp_path / "ds" / "qa_grades.parquet"))
    expected = source.select(DATA_MODEL["qa_grades"].names)
    expected = expected.sort(expected.columns, nulls_last=True)
    assert expected.height == frames["qa_grades"].height > 0
    for ds in (fresh, kept):
        held = ds.care.dated["qa_grades"]
        assert ("review_id" in held.columns) is graded_elsewhere
        assert ("review_row" in held.columns) is not graded_elsewhere
        if not graded_elsewhere:  # each row names the review it grades
            named = ds.care.reviews.get_column("review_id").gather(held.get_column("review_row"))
            by_audit = dict(zip(frames["qa_grades"]["audit_id"], frames["qa_grades"]["review_id"], strict=True))
            assert named.to_list() == [by_audit[a] for a in held.get_column("audit_id").cast(pl.String)]
        assert ds.table("qa_grades").collect_schema() == expected.schema
        assert _rows(ds, "qa_grades").equals(expected)


def test_a_damaged_table_file_is_reported_though_derived_tables_exist(tmp_path):
    write_dataset(valid_frames(), META, tmp_path)
    (tmp_path / "qa_grades.parquet").write_bytes(b"damaged")
    with pytest.raises(dataset_module.DatasetError, match=r"qa_grades\.parquet: could not be read as a Parquet file"):
        load_dataset(tmp_path)


def test_a_text_column_shared_by_derived_files_is_kept_once_and_read_back_whole(tmp_path):
    write_dataset(valid_frames(), META, tmp_path / "ds")
    folder = copy_source_tables(tmp_path / "ds", tmp_path / "loaded")
    built = load_dataset(folder).care  # built from the table files, and written to derived/
    derived = folder / DERIVED_FOLDER
    shared = json.loads((derived / MANIFEST).read_text())["shared_text"]
    assert {"episodes", "reviews", "periods_of_care", "child_keys"} <= set(shared["child_id"])
    # In each file a row's position in the one list of values, not the text itself.
    assert pl.read_parquet_schema(derived / "reviews.parquet")["child_id"] == pl.UInt32
    values = pl.read_parquet(derived / "text_child_id.parquet").get_column("value")
    assert values.cast(pl.String).to_list() == sorted(set(values.cast(pl.String).to_list()))
    # Read back: the same categorical values, nulls where there were nulls (an open episode's
    # reason_ceased), the same types.
    kept = read_derived(folder, source_fingerprint(folder))
    assert kept is not None
    assert kept.care.equals(built)
    assert kept.care.episodes.schema == built.episodes.schema
    assert kept.care.episodes.get_column("reason_ceased").null_count() > 0
    assert kept.care.episodes.get_column("child_id").dtype == pl.Categorical


def test_a_derived_folder_whose_positions_point_past_the_list_is_rebuilt(tmp_path, counted_builds):
    folder = tmp_path / "ds"
    write_dataset(valid_frames(), META, folder)
    counted_builds.clear()
    text_list = folder / DERIVED_FOLDER / "text_child_id.parquet"
    pl.read_parquet(text_list).head(1).write_parquet(text_list)  # one value left: positions beyond it
    assert read_derived(folder, source_fingerprint(folder)) is None
    assert load_dataset(folder).care.equals(_from_scratch(folder, tmp_path))
    assert counted_builds == [1, 1]


def _every_figure(ds: Dataset) -> dict[str, pl.DataFrame]:
    """Every page's figures and the engine's answers for a few selections of the Kent data."""
    from iro_metrics.pages import areas, challenge, children, childrens_views, overview, quality, reviews

    pages = (
        overview.overview_figures,
        areas.areas_figures,
        children.children_figures,
        reviews.reviews_figures,
        quality.quality_figures,
        challenge.challenge_figures,
        childrens_views.childrens_views_figures,
    )
    found: dict[str, pl.DataFrame] = {}
    for period, chosen_areas, cohort in (
        ("2017-18", [], "all"),
        ("2016-17-Q3", ["East Kent"], "uasc"),
        ("2014-15-Q1", ["North Kent", "West Kent"], "citizen"),
    ):
        selection = Selection.of(ds, period, chosen_areas, cohort)
        name = f"{period} {chosen_areas} {cohort}"
        found[f"indicators {name}"] = compute_indicators(selection)
        found[f"by area {name}"] = indicators_by_area(selection)
        found[f"trend {name}"] = indicator_trend(selection, kind="quarter")
        for page in pages:
            figures = page(selection)
            for field, value in vars(figures).items():
                if isinstance(value, pl.DataFrame):
                    found[f"{page.__name__} {field} {name}"] = value
    return found


def test_the_first_run_after_an_import_gives_the_figures_a_restart_gives(tmp_path, counted_builds):
    # The first load of a folder without derived/ (as just after an import, or a copy) builds the
    # derived tables; a load after a restart reads them back. Every figure must be the same.
    folder = copy_source_tables(SHIPPED_DATASET, tmp_path / "kent")
    first = load_dataset(folder)
    assert counted_builds == [1] and (folder / DERIVED_FOLDER / MANIFEST).is_file()
    restarted = load_dataset(folder)
    assert counted_builds == [1]  # read back
    built, read = _every_figure(first), _every_figure(restarted)
    assert built.keys() == read.keys() and len(built) > 60
    for name, frame in built.items():
        assert frame.equals(read[name]), name
    assert built["indicators 2017-18 [] all"].filter(pl.col("indicator") == "children_in_care")["value"].item() > 1000
