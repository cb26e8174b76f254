"""The range chart: each item's spread across areas with the council figure."""

from __future__ import annotations

import polars as pl

from iro_metrics.charts import common, spreads


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_range_chart_describes_each_items_range_and_council_figure() -> None:
    ranges = pl.DataFrame(
        {
            "indicator": ["qa_health_adequate_pct"],
            "range_min": [80.0],
            "range_max": [95.5],
            "min_area": ["North"],
            "max_area": ["South"],
        }
    )
    council = pl.DataFrame({"indicator": ["qa_health_adequate_pct"], "value": [90.0]})
    chart = spreads.range_chart(ranges, council, labels={"qa_health_adequate_pct": "Health"}, title="Ranges")
    assert "Health: council 90.0%, areas 80.0% (North) to 95.5% (South)" in common.alt_text(chart)
    assert layers(chart.to_dict())[0]["encoding"]["x"]["scale"]["zero"] is False
