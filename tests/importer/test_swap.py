"""Nothing lost: a failed or interrupted import leaves the previous dataset byte-identical."""

from __future__ import annotations

import os

import pytest

from iro_metrics import store
from iro_metrics.care_tables import DERIVED_FOLDER
from iro_metrics.importer import MAX_FILE_BYTES, import_uploads, swap
from tests.importer.test_support import TODAY, VALID_FILES, folder_bytes, import_files, replacing


@pytest.fixture
def previous(tmp_path):
    """A first, good import in tmp_path/out; returns its files' bytes."""
    assert import_files(tmp_path).ok
    return folder_bytes(tmp_path / "out")


def test_a_failed_import_leaves_the_previous_dataset_byte_identical(tmp_path, previous):
    report = import_files(tmp_path, replacing("reviews.csv", "20/07/2013,PN7", "31/06/2013,PN7"), strict=True)
    assert not report.ok
    assert folder_bytes(tmp_path / "out") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_a_good_import_replaces_the_previous_dataset(tmp_path, previous):
    report = import_files(tmp_path, {"uasc.csv": "CHILD,SEX,DOB,DUC\n"})
    assert report.ok
    assert folder_bytes(tmp_path / "out") != previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # nothing left beside it


def test_an_import_interrupted_while_writing_changes_nothing(tmp_path, previous, monkeypatch):
    def write_then_die(frames, meta, folder):
        folder.mkdir()
        frames["children"].write_parquet(folder / "children.parquet")  # one table written ...
        raise KeyboardInterrupt  # ... then the user presses Ctrl-C

    monkeypatch.setattr(swap, "write_dataset", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        import_files(tmp_path, {"uasc.csv": "CHILD,SEX,DOB,DUC\n"})
    assert folder_bytes(tmp_path / "out") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_a_failure_between_the_two_renames_puts_the_previous_dataset_back(tmp_path, previous, monkeypatch):
    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # moving the new dataset into place
            raise OSError("disk full")
        real_rename(src, dst)

    monkeypatch.setattr(swap.os, "rename", rename)
    report = import_files(tmp_path, {"uasc.csv": "CHILD,SEX,DOB,DUC\n"})
    assert [p.rule for p in report.errors] == ["write_failed"]
    assert folder_bytes(tmp_path / "out") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_recover_restores_a_dataset_set_aside_by_a_process_that_died(tmp_path, previous):
    # The state a crash between the two renames would leave: the dataset set aside, a half-written new one.
    os.rename(tmp_path / "out", tmp_path / ".out.previous-abc")
    (tmp_path / ".out.importing-def").mkdir()
    (tmp_path / ".out.importing-def" / "children.parquet").write_bytes(b"half")
    swap.recover(tmp_path / "out")
    assert folder_bytes(tmp_path / "out") == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_a_folder_that_is_not_a_dataset_is_never_replaced(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "precious.txt").write_text("keep me")
    report = import_files(tmp_path)
    assert [p.rule for p in report.errors] == ["write_failed"]
    assert "not a dataset folder" in report.errors[0].message
    assert folder_bytes(tmp_path / "out") == {"precious.txt": b"keep me"}


def uploads() -> list[tuple[str, bytes]]:
    return [(name, text.encode()) for name, text in VALID_FILES.items()]


def test_uploads_are_imported_under_the_data_home_and_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IRO_DATASET", raising=False)
    report = import_uploads(uploads(), "Our council 2014", today=TODAY)
    assert report.ok
    folder = tmp_path / "home" / "datasets" / "Our council 2014"
    assert report.dataset_path == folder
    # Only the dataset's own files: no copy of any uploaded CSV anywhere under the data home.
    written = sorted((tmp_path / "home").rglob("*"))
    derived = folder / DERIVED_FOLDER
    assert sorted(
        str(p.relative_to(tmp_path / "home")) for p in written if p.is_file() and derived not in p.parents
    ) == [
        "datasets/Our council 2014/children.parquet",
        "datasets/Our council 2014/dataset.toml",
        "datasets/Our council 2014/episodes.parquet",
        "datasets/Our council 2014/reviews.parquet",
    ]
    # ... and the tables derived from them (tests/test_care_tables.py).
    assert {p.suffix for p in written if derived in p.parents} == {".parquet", ".json"}
    keys = [choice.key for choice in store.available_datasets()]
    assert keys == ["shipped", "Our council 2014"]


def test_uploads_over_the_size_limit_get_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    big = ("huge.csv", b"CHILD\n" + b"A" * MAX_FILE_BYTES)
    report = import_uploads([*uploads(), big], "council", today=TODAY)
    (too_large,) = report.errors
    assert (too_large.rule, too_large.file) == ("file_too_large", "huge.csv")
    assert "the limit is 50 MB per file" in too_large.message
    assert not (tmp_path / "home" / "datasets" / "council").exists()


@pytest.mark.parametrize("name", ["", "../escape", "shipped", "a/b", ".hidden", "x" * 61])
def test_bad_dataset_names_are_refused(tmp_path, monkeypatch, name):
    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    report = import_uploads(uploads(), name, today=TODAY)
    assert [p.rule for p in report.errors] == ["bad_dataset_name"]
    assert not (tmp_path / "home").exists()
