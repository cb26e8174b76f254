"""What every chart shares: alt text read from the spec, and the spec with its data inline."""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics.charts import common


def test_alt_text_is_the_description_and_the_spec_holds_its_data() -> None:
    frame = pl.DataFrame({"x": [1, 2], "y": [3, 4]})
    chart = alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q")
    assert common.alt_text(chart) == ""
    finished = common.finish(chart, "Two points.")
    assert common.alt_text(finished) == "Two points."
    spec = common.chart_spec(finished)
    assert spec["description"] == "Two points."
    assert spec["datasets"][spec["data"]["name"]] == [{"x": 1, "y": 3}, {"x": 2, "y": 4}]
    assert common.unit_title("per_100") == "per 100 reviews"


def test_period_order_names_each_period_once_by_its_start():
    # Rows of several series repeat periods, in any order; a period with no start (never written by
    # the engine) comes first, as Polars sorted nulls.
    from datetime import date

    frame = pl.DataFrame(
        {
            "period": ["2014-15-Q1", "2013-14-Q4", "2014-15-Q1", "2013-14-Q3", "unknown"],
            "period_start": [date(2014, 4, 1), date(2014, 1, 1), date(2014, 4, 1), date(2013, 10, 1), None],
        }
    )
    assert common.period_order(frame) == ["unknown", "2013-14-Q3", "2013-14-Q4", "2014-15-Q1"]
    assert common.period_order(frame.clear()) == []
