"""Speed without changing a figure: the years' tables built for several periods in one engine pass are
those built one by one, and charts rendered side by side are the same images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from polars.testing import assert_frame_equal

from iro_metrics.briefing.period_table import by_area_frames, period_table, period_tables
from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import indicators_by_area
from iro_metrics.periods import parse_period
from iro_metrics.selection import Selection

ROOT = Path(__file__).resolve().parents[2]
PERIODS = [parse_period(p) for p in ("2013-14-Q1", "2013-14-Q3", "2013-14-Q4", "2014-15-Q4")]


def test_one_pass_gives_each_period_s_by_area_rows():
    ds = load_dataset(ROOT / "data")
    for cohort in ("citizen", "uasc"):
        batched = by_area_frames(ds, PERIODS, cohort, None)
        for period in PERIODS:
            assert_frame_equal(batched[period.label], indicators_by_area(Selection.of(ds, period, None, cohort)))


def test_batched_tables_hide_the_same_cells():
    one_by_one, batched = load_dataset(ROOT / "data"), load_dataset(ROOT / "data")
    tables = period_tables(batched, PERIODS)
    for period, table in zip(PERIODS, tables, strict=True):
        alone = period_table(one_by_one, period)
        alone.solve_all()
        table.solve_all()
        assert alone.year.periods == table.year.periods
        assert alone.families.keys() == table.families.keys()
        for name, family in alone.families.items():
            assert np.array_equal(family.base, table.families[name].base), (period.label, name)
            assert np.array_equal(family.hidden, table.families[name].hidden), (period.label, name)


def test_charts_rendered_side_by_side_are_the_same_images():
    import altair as alt
    import polars as pl

    from iro_metrics.briefing.images import chart_png, charts_png

    data = pl.DataFrame({"x": ["a", "b", "c"], "y": [1, 3, 2]})
    charts = [alt.Chart(data).mark_bar().encode(x="x", y="y"), alt.Chart(data).mark_line().encode(x="x", y="y")]
    images = charts_png(charts)
    assert images == [chart_png(c) for c in charts]
    assert all(image.startswith(b"\x89PNG") for image in images) and images[0] != images[1]
