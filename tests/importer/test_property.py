"""Property-based tests: malformed and truncated files give a clean report, never a traceback, and a
failed import leaves the existing dataset byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import ImportReport, import_sources
from tests.importer.test_support import TODAY, VALID_FILES, folder_bytes

SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILE_NAMES = sorted(VALID_FILES)


@pytest.fixture
def out_dir(tmp_path) -> Path:
    """A folder holding a good dataset already."""
    out = tmp_path / "out"
    report = import_sources(_sources(), out, TODAY)
    assert report.ok
    return out


def _sources(**replaced: bytes) -> list[tuple[str, bytes]]:
    return [(name, replaced.get(name, VALID_FILES[name].encode())) for name in FILE_NAMES]


def _import_and_check(out: Path, sources: list[tuple[str, bytes]]) -> ImportReport:
    """Import; whatever happens, no exception escapes, and the dataset is either untouched or valid."""
    before = folder_bytes(out)
    report = import_sources(sources, out, TODAY)
    assert isinstance(report.format_text(), str)
    assert report.report_frame().height == len(report.problems)
    if report.ok:
        load_dataset(out)  # a dataset written is complete and valid
    else:
        assert report.errors, "a failed import must say why"
        assert all(p.message and p.file for p in report.errors)
        assert folder_bytes(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temporary folder left behind
    return report


@SETTINGS
@given(name=st.sampled_from(FILE_NAMES), cut=st.floats(min_value=0.0, max_value=0.999))
def test_truncated_files(out_dir, name, cut):
    data = VALID_FILES[name].encode()
    truncated = data[: int(len(data) * cut)]
    report = _import_and_check(out_dir, _sources(**{name: truncated}))
    text = truncated.decode()
    header = VALID_FILES[name].split("\n")[0]
    if not text.strip():  # nothing left: an empty table, a warning (903 exports hold empty files)
        assert {p.rule for p in report.problems if p.file == name} <= {"empty_file", "no_template_file"}
    elif "\n" not in text:  # the header itself is cut
        cut_name = text.split(",")[-1]
        if cut_name not in header.split(","):  # ... inside a column name
            assert not report.ok
    else:
        last_line = text.split("\n")[-1]
        if last_line and last_line.count(",") < header.count(","):  # the last record lost values
            assert not report.ok


@SETTINGS
@given(
    name=st.sampled_from(FILE_NAMES),
    position=st.floats(min_value=0.0, max_value=1.0),
    junk=st.binary(min_size=1, max_size=40),
)
def test_junk_spliced_into_a_file(out_dir, name, position, junk):
    data = VALID_FILES[name].encode()
    at = int(len(data) * position)
    _import_and_check(out_dir, _sources(**{name: data[:at] + junk + data[at:]}))


@SETTINGS
@given(junk=st.binary(min_size=0, max_size=300))
def test_an_extra_file_of_random_bytes_is_rejected(out_dir, junk):
    report = _import_and_check(out_dir, [*_sources(), ("extra.csv", junk)])
    if junk.lstrip(b"\xef\xbb\xbf").strip():
        assert not report.ok
        assert any(p.file == "extra.csv" for p in report.errors)
    else:  # an empty file (0 or 1 byte, or blank lines) is an empty table: a warning
        assert [(p.file, p.rule) for p in report.problems] == [("extra.csv", "empty_file")]


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@SETTINGS
@given(name=st.sampled_from(FILE_NAMES), cells=st.lists(st.lists(cell, min_size=1, max_size=14), max_size=6))
def test_right_columns_random_values(out_dir, name, cells):
    header = VALID_FILES[name].split("\n")[0]
    lines = [header, *(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in cells)]
    _import_and_check(out_dir, _sources(**{name: ("\n".join(lines) + "\n").encode()}))
