"""What every chart shares: numbers formatted by unit."""

from __future__ import annotations

from iro_metrics.charts import common


def test_numbers_are_formatted_by_unit() -> None:
    assert common.format_number(80.7, "pct") == "80.7%"
    assert common.format_number(1842, "count") == "1,842"
    assert common.format_number(83.7272, "per_fte", 2) == "83.73"
    assert common.format_number(None, "pct") == "no value"
    assert common.number_format("count") == ",.0f"
    assert common.number_format("pct") == ",.1f"
