"""Calibration to the present: the shipped data reproduces Kent's figures in the DfE's published
children looked after statistics for 2020-21 to 2024-25 (iro_metrics/benchmarks/data), as the
council's own figures are worked out from it (iro_metrics.benchmarks.council). ``pytest -s`` prints
the table; it is also written to test-artifacts/calibration_present.csv."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from iro_metrics.benchmarks import load_benchmarks
from iro_metrics.dataset import load_dataset
from tools.synthetic.present import KENT_PUBLISHED, present_readings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    ds = load_dataset(ROOT / "data")
    rows = present_readings(ds)
    table = pl.DataFrame(rows)
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    table.write_csv(ROOT / "test-artifacts" / "calibration_present.csv")
    with pl.Config(tbl_rows=-1):
        print(table)
    return table


def test_the_targets_are_kents_published_figures():
    published = load_benchmarks().figures.filter(pl.col("code") == "886")
    for measure, column in (("cla_31_march", 0), ("cla_starting", 1), ("cla_ceasing", 2)):
        from_files = dict(published.filter(pl.col("measure") == measure).select("year", "numerator").iter_rows())
        assert from_files == {year: figures[column] for year, figures in KENT_PUBLISHED.items()}


def test_children_looked_after_and_starting_are_exact(report):
    exact = report.filter(pl.col("measure").is_in(["cla_31_march", "cla_starting"]))
    assert exact.height == 10
    assert exact.filter(~pl.col("ok")).rows() == []
    stock = dict(exact.filter(pl.col("measure") == "cla_31_march").select("year", "computed").iter_rows())
    assert stock == {2021: 1662, 2022: 1777, 2023: 1938, 2024: 1956, 2025: 1896}


def test_shares_are_within_half_a_point(report):
    shares = report.filter(pl.col("measure").str.ends_with("_pct"))
    assert shares.height == 11  # 5 + 5 placement years and the one social-worker year
    assert shares.filter(~pl.col("ok")).rows() == []


def test_ceasing_follows_within_two_percent(report):
    # With one period of care per child, ceasing = last year's stock + starting - this year's stock;
    # the DfE's counts (each child once) differ from that by 0 to 25 a year.
    ceasing = report.filter(pl.col("measure") == "cla_ceasing")
    assert ceasing.height == 5
    for published, computed in ceasing.select("published", "computed").iter_rows():
        assert abs(computed - published) <= 0.02 * published
