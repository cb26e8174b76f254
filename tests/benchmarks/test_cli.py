"""The command line: adding DfE files, and naming the council an import is for."""

from __future__ import annotations

from pathlib import Path

from iro_metrics.__main__ import main
from iro_metrics.dataset import read_meta
from tests.benchmarks.test_read import HEADER, KENT, ON_31_MARCH
from tests.importer.test_support import VALID_FILES, write_files


def test_benchmarks_add_reports_what_it_stored(tmp_path, capsys):
    source = tmp_path / "cla_2026.csv"
    source.write_text(HEADER + f"{KENT}{ON_31_MARCH},360000,1800,50\n", encoding="utf-8")
    folder = tmp_path / "bench"
    assert main(["benchmarks", "add", "--folder", str(folder), str(source)]) == 0
    assert capsys.readouterr().out == f"Added {source} as cla_number_2026.csv (cla_number, 2026-2026, 1 figures)\n"
    assert (folder / "cla_number_2026.csv").read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def test_benchmarks_add_lists_every_problem_and_adds_nothing(tmp_path, capsys):
    source = tmp_path / "cla_2026.csv"
    source.write_text(HEADER + f"{KENT}{ON_31_MARCH},360000,many,50\n", encoding="utf-8")
    folder = tmp_path / "bench"
    folder.mkdir()
    assert main(["benchmarks", "add", "--folder", str(folder), str(source)]) == 1
    err = capsys.readouterr().err
    assert "nothing was added" in err
    assert "cla_2026.csv, line 2, column 'children_count': 'many' is neither a whole number" in err
    assert list(folder.iterdir()) == []


def test_import_records_the_authority_chosen(tmp_path, capsys):
    files = write_files(tmp_path / "in", VALID_FILES)
    out = tmp_path / "out"
    assert main(["import", "--authority", "kent", "--out", str(out), *map(str, files)]) == 0
    meta = read_meta(Path(out))
    assert (meta["la_code_old"], meta["la_code_new"]) == ("886", "E10000016")


def test_import_refuses_an_unknown_authority(tmp_path, capsys):
    files = write_files(tmp_path / "in", VALID_FILES)
    out = tmp_path / "out"
    assert main(["import", "--authority", "999", "--out", str(out), *map(str, files)]) == 2
    assert "'999' is not an authority in the benchmark files" in capsys.readouterr().err
    assert not out.exists()


def test_dataset_toml_authority_codes_are_checked(tmp_path):
    import pytest

    from iro_metrics.dataset import DatasetError, load_dataset, write_dataset
    from tests.builders import frame, small_council_tables

    frames = {name: frame(name, rows) for name, rows in small_council_tables().items()}
    write_dataset(frames, {"local_authority": "Kent", "la_code_old": "886", "la_code_new": "E10000016"}, tmp_path)
    assert load_dataset(tmp_path).authority == ("886", "E10000016")
    write_dataset(frames, {"local_authority": "Kent", "la_code_old": 886}, tmp_path)
    with pytest.raises(DatasetError, match='la_code_old should be an authority code in quotes, like "886"'):
        load_dataset(tmp_path)


def test_an_upload_records_the_authority_chosen(tmp_path, monkeypatch):
    from iro_metrics.importer import import_uploads

    monkeypatch.setenv("IRO_DATA_HOME", str(tmp_path / "home"))
    uploads = [(name, text.encode()) for name, text in VALID_FILES.items()]
    report = import_uploads(uploads, "Kent upload", authority=("886", "E10000016"))
    assert report.ok
    meta = read_meta(report.dataset_path)
    assert (meta["la_code_old"], meta["la_code_new"]) == ("886", "E10000016")


def test_benchmarks_show_prints_how_we_compare_as_csv_or_json(capsys):
    import json

    # The shipped dataset is Kent (886), South East; the CSV's first line is comparison_table's header.
    assert main(["benchmarks", "show", "--data", "data", "--year", "2024-25"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("Measure,Year,Kent,England,South East,Neighbours' median")
    assert main(["benchmarks", "show", "--data", "data", "--year", "2024-25", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["authority"], shown["year"], shown["region"]) == ("Kent", "2024-25", "South East")
    assert shown["measures"][0]["Year"] == "2024-25"
    assert main(["benchmarks", "show", "--data", "data", "--year", "2024"]) == 2
    assert "not a financial year such as 2024-25" in capsys.readouterr().err


def test_import_naming_a_council_prints_the_plausibility_warnings(tmp_path, capsys, monkeypatch):
    # The warnings themselves are tested in test_how_we_compare (Kent-sized data labelled as
    # Rutland); here, that an import naming a council prints them for the folder it wrote.
    from iro_metrics.benchmarks import compare as bench_compare

    seen = []
    monkeypatch.setattr(bench_compare, "import_warnings", lambda folder: seen.append(folder) or ["Not Rutland's."])
    files = write_files(tmp_path / "in", VALID_FILES)
    out = tmp_path / "out"
    assert main(["import", "--authority", "rutland", "--out", str(out), *map(str, files)]) == 0
    assert capsys.readouterr().out.endswith("warning: Not Rutland's.\n")
    assert seen == [out]
