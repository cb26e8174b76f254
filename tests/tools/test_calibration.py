"""Calibration: the shipped synthetic dataset reproduces the published Kent figures.

Every row of published_figures.csv is read against the shipped data/ through the package's own
indicator functions (compute_indicators, area_ranges, children_in_care_by,
disputes_by_category_level), or, for the few facts no indicator covers, a direct count of a table.
Counts must match exactly, percentages within 0.5 points, caseloads within a unit of the last
printed digit. Rows that are definitions, or that the data cannot reproduce, are listed with the
reason (docs/synthetic-data.md). ``pytest -s`` prints the table; it is also written to
test-artifacts/calibration.csv.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from iro_metrics.dataset import load_dataset
from tools.synthetic.published import readings, readings_frame
from tools.synthetic.published_rows import (
    NOT_REPRODUCED,
    STATUS_INDICATOR,
    STATUS_NOT_DATA,
    STATUS_NOT_REPRODUCED,
    STATUS_TABLE,
    read_published,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def calibration():
    ds = load_dataset(ROOT / "data")
    found = readings(ds)
    table = readings_frame(found)
    ARTIFACTS.mkdir(exist_ok=True)
    table.write_csv(ARTIFACTS / "calibration.csv")
    with pl.Config(tbl_rows=-1, tbl_width_chars=200, fmt_str_lengths=60, tbl_hide_dataframe_shape=True):
        print("\nPublished against computed (test-artifacts/calibration.csv):")
        print(table.select("source", "period", "area", "indicator", "published", "computed", "status", "ok"))
        print(table.group_by("status", "ok").len().sort("status", "ok"))
    return found


def test_every_published_row_is_read(calibration):
    assert len(calibration) == len(read_published()) == 484


def test_every_calibrated_figure_is_reproduced(calibration):
    misses = [
        f"{r.row.key}: published {r.row.value:g}, computed {r.computed} ({r.how})"
        for r in calibration
        if r.status in (STATUS_INDICATOR, STATUS_TABLE) and not r.ok
    ]
    assert misses == []


def test_most_figures_come_from_the_indicator_functions(calibration):
    by_status = {
        s: sum(r.status == s for r in calibration)
        for s in (STATUS_INDICATOR, STATUS_TABLE, STATUS_NOT_REPRODUCED, STATUS_NOT_DATA)
    }
    assert by_status[STATUS_INDICATOR] >= 415
    assert by_status[STATUS_TABLE] <= 10
    # Every row the data cannot reproduce carries a documented reason, and nothing else is left out.
    assert by_status[STATUS_NOT_REPRODUCED] == len(NOT_REPRODUCED)
    assert all(r.how for r in calibration if r.status == STATUS_NOT_REPRODUCED)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # A few anchors worked out by hand from the reports.
        ("001 2014-03-31 Kent all children_in_care", 1842),
        ("001 2013-14 Q4 Kent all caseload_per_fte", 1842 / 22),
        ("001 2013-14 Q4 Kent all care_plan_satisfactory_pct", 100 * 916 / 1135),
        ("004 2015-16 Kent all reviews_chaired_by_iro_service_pct", 100 * 5896 / 6241),
        ("004 2015-16 Kent all dispute_resolutions_count", 729),
        ("004 2015-16 Kent all dispute_resolutions_pre_meeting_report_not_there_level1_count", 152),
        ("001 2013-14 Q4 Kent all formal_disputes_team_manager_level_pct", 100 * 78 / 91),
    ],
)
def test_anchor_figures_exactly(calibration, key, expected):
    found = [r for r in calibration if r.row.key == key]
    assert len(found) == 1
    assert found[0].computed == pytest.approx(expected, abs=1e-9)


def test_contradictions_are_resolved_one_way(calibration):
    """004's participation: 95% (5379) is reproduced, the executive summary's 96.8% is not."""
    rows = [r for r in calibration if r.row.key == "004 2015-16 Kent all participation_pct"]
    assert sorted((r.row.value, r.status) for r in rows) == [(95.0, STATUS_INDICATOR), (96.8, STATUS_NOT_REPRODUCED)]
    assert next(r.computed for r in rows if r.row.value == 95.0) == pytest.approx(100 * 5379 / 5662, abs=0.01)
