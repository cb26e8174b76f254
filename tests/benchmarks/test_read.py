"""Reading the DfE's published files: suppression symbols stay symbols, every problem is named,
and adding files loses nothing on failure."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from iro_metrics.benchmarks import BenchmarkFileError, add_files, load_benchmarks, read_file
from iro_metrics.benchmarks.store import DATA_DIR

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000\n"
)
ENGLAND = "2026,Reporting year,National,E92000001,England,,,,,,"
SOUTH_EAST = "2026,Reporting year,Regional,E92000001,England,E12000008,South East,,,,"
KENT = "2026,Reporting year,Local authority,E92000001,England,E12000008,South East,886,Kent,E10000016,"
SCILLY = "2026,Reporting year,Local authority,E92000001,England,E12000009,South West,420,Isles of Scilly,E06000053,"
ON_31_MARCH = "Children looked after on 31 March each year"

STABILITY = (
    "\ufefftime_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,cla_group,placement_stability,children_count,children_percent\n"
    f"{KENT}CLA on 31 March,Total children,1900,100\n"
    f"{KENT}CLA on 31 March,With 3 or more placements during the year,c,c\n"
    f"{SCILLY}CLA on 31 March,Total children,3,100\n"
    f"{SCILLY}CLA on 31 March,With 3 or more placements during the year,k,low\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_files_hold_kents_published_figures():
    bench = load_benchmarks()
    kent = bench.figures.filter((pl.col("code") == "886") & (pl.col("measure") == "cla_31_march")).sort("year")
    assert kent["numerator"].to_list() == [1662, 1777, 1938, 1956, 1896]
    assert kent["year"].to_list() == [2021, 2022, 2023, 2024, 2025]
    row = kent.row(4, named=True)
    assert (row["denominator"], row["value"], row["la_code_new"]) == (355390, 53.0, "E10000016")
    assert bench.neighbours_of("886") == ["881", "845", "878", "303", "935", "926", "891", "938", "822", "933"]
    assert (DATA_DIR / "SOURCE.md").is_file()


def test_suppressed_cells_are_kept_as_symbols_never_numbers(tmp_path):
    kind, frame = read_file(write(tmp_path, "stability.csv", STABILITY))
    assert kind == "placement_stability"
    rows = {r["code"]: r for r in frame.filter(pl.col("measure") == "three_placements_pct").iter_rows(named=True)}
    kent, scilly = rows["886"], rows["420"]
    assert (kent["numerator"], kent["numerator_symbol"], kent["value"], kent["value_symbol"]) == (None, "c", None, "c")
    assert kent["denominator"] == 1900
    assert (scilly["numerator_symbol"], scilly["value_symbol"], scilly["denominator"]) == ("k", "low", 3)


def test_rates_carry_count_population_and_rate(tmp_path):
    text = HEADER + f"{ENGLAND}{ON_31_MARCH},12200000,80000,66\n{SOUTH_EAST}{ON_31_MARCH},2000000,z,x\n"
    _, frame = read_file(write(tmp_path, "cla.csv", text))
    england, region = frame.sort("level").rows(named=True)
    assert (england["level"], england["numerator"], england["denominator"], england["value"]) == (
        "england",
        80000,
        12200000,
        66.0,
    )
    assert (region["level"], region["name"], region["numerator_symbol"], region["value_symbol"]) == (
        "region",
        "South East",
        "z",
        "x",
    )


def test_a_cell_that_is_neither_number_nor_symbol_is_named_with_its_line(tmp_path):
    text = HEADER + f"{ENGLAND}{ON_31_MARCH},12200000,80000,66\n{KENT}{ON_31_MARCH},355000,19OO,53\n"
    with pytest.raises(BenchmarkFileError) as err:
        read_file(write(tmp_path, "cla.csv", text))
    assert err.value.problems == [
        "cla.csv, line 3, column 'children_count': '19OO' is neither a whole number nor a DfE symbol "
        "(c, k, x, z, low, u)"
    ]


def test_an_unknown_file_says_what_it_reads(tmp_path):
    with pytest.raises(BenchmarkFileError, match="match none of the DfE files"):
        read_file(write(tmp_path, "other.csv", "a,b\n1,2\n"))


def test_adding_a_newer_year_replaces_nothing_else_and_wins_for_its_years(tmp_path):
    folder = tmp_path / "bench"
    folder.mkdir()
    old = HEADER + f"{KENT}{ON_31_MARCH},355000,1896,53\n".replace("2026", "2025")
    write(folder, "cla_number_2025.csv", old)
    newer = (
        HEADER
        + f"{KENT}{ON_31_MARCH},360000,1800,50\n"
        + f"{KENT}{ON_31_MARCH},355000,1890,53\n".replace("2026", "2025")
    )
    added = add_files([write(tmp_path, "download.csv", newer)], folder)
    assert [(a.stored_as, a.kind, a.years, a.rows) for a in added] == [
        ("cla_number_2025-2026.csv", "cla_number", "2025-2026", 2)
    ]
    figures = load_benchmarks(folder).figures.sort("year")
    # The later publication revises 2025 (1,896 to 1,890) and adds 2026.
    assert figures["numerator"].to_list() == [1890, 1800]
    assert sorted(p.name for p in folder.iterdir()) == ["cla_number_2025-2026.csv", "cla_number_2025.csv"]


def test_a_bad_file_among_good_ones_adds_nothing(tmp_path):
    folder = tmp_path / "bench"
    folder.mkdir()
    good = write(tmp_path, "good.csv", HEADER + f"{KENT}{ON_31_MARCH},360000,1800,50\n")
    bad = write(tmp_path, "bad.csv", HEADER + f"{KENT}{ON_31_MARCH},360000,,50\n")
    with pytest.raises(BenchmarkFileError) as err:
        add_files([good, bad], folder)
    assert err.value.problems == [
        "bad.csv, line 2, column 'children_count': an empty cell is neither a whole number nor a DfE symbol "
        "(c, k, x, z, low, u)"
    ]
    assert list(folder.iterdir()) == []


def test_a_neighbour_model_needs_its_year_in_the_name(tmp_path):
    source = (DATA_DIR / "sn_model_2025_wide.csv").read_text(encoding="utf-8")
    with pytest.raises(BenchmarkFileError, match=r"name it like sn_model_2026_wide\.csv"):
        read_file(write(tmp_path, "neighbours.csv", source))
    kind, frame = read_file(write(tmp_path, "sn_model_2026_wide.csv", source))
    assert kind == "neighbours"
    kent = frame.filter(pl.col("la_code_old") == "886").sort("rank")
    assert kent.height == 10
    assert (kent["model_year"][0], kent["neighbour_code_old"][0], kent["closeness"][0]) == (2026, "881", "Very close")


def test_uploaded_files_are_added_like_files_on_disk(tmp_path):
    from iro_metrics.benchmarks.store import add_uploaded_files

    folder = tmp_path / "bench"
    content = (HEADER + f"{KENT}{ON_31_MARCH},360000,1800,50\n").encode()
    added = add_uploaded_files([("cla 2026.csv", content)], folder)
    assert [(a.source, a.stored_as, a.years) for a in added] == [("cla 2026.csv", "cla_number_2026.csv", "2026-2026")]
    assert (folder / "cla_number_2026.csv").read_bytes() == content
    with pytest.raises(BenchmarkFileError, match="neither a whole number"):
        add_uploaded_files([("bad.csv", (HEADER + f"{KENT}{ON_31_MARCH},360000,?,50\n").encode())], folder)
    assert sorted(p.name for p in folder.iterdir()) == ["cla_number_2026.csv"]
