"""Issue 22 item 5: hostile files are refused cheaply, and every import runs in a limited child process."""

from __future__ import annotations

import os
import time

from iro_metrics.importer import run_import, run_limited
from iro_metrics.importer.report import ImportReport


def _abort() -> ImportReport:
    os.abort()  # what a panicking reader does to its process


def _allocate() -> ImportReport:
    blocks = [bytearray(64 * 1024**2) for _ in range(100)]  # 6.4 GB, far over the limit
    return ImportReport(table_rows={"blocks": len(blocks)})


def _sleep() -> ImportReport:
    time.sleep(30)
    return ImportReport()


def test_a_process_abort_in_the_import_is_a_refusal_not_a_dead_server():
    report = run_limited(_abort, seconds=20)
    assert not report.ok and [p.rule for p in report.errors] == ["import_crashed"]


def test_memory_over_the_limit_is_refused_by_name():
    started = time.monotonic()
    report = run_limited(_allocate, seconds=20)
    assert [p.rule for p in report.errors] == ["import_memory_limit"]
    assert "1,536 MB" in report.errors[0].message
    assert time.monotonic() - started < 10


def test_an_import_over_its_time_is_stopped():
    started = time.monotonic()
    report = run_limited(_sleep, seconds=2)
    assert [p.rule for p in report.errors] == ["import_time_limit"]
    assert time.monotonic() - started < 10


def test_a_good_import_comes_back_from_the_child(tmp_path):
    from tests.importer.test_support import VALID_FILES, write_files

    paths = write_files(tmp_path / "in", VALID_FILES)
    report = run_limited(run_import, paths, tmp_path / "out")
    assert report.ok, report.format_text()
    assert (tmp_path / "out" / "dataset.toml").exists()
