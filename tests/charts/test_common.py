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


def _untyped_encodings(source: str) -> list[str]:
    """``.encode(...)`` arguments given as a shorthand string, ``alt.value`` or ``alt.condition``."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
            for keyword in node.keywords:
                value = keyword.value
                helper = isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                if isinstance(value, ast.Constant) or (
                    helper and value.func.attr in ("value", "condition", "when")  # type: ignore[union-attr]
                ):
                    found.append(f"line {node.lineno}: {keyword.arg}={ast.unparse(value)}")
    return found


def test_charts_encode_with_channel_objects_not_shorthands():
    # Issue 27: Altair matches a shorthand string, alt.value or alt.condition against the schema to
    # find its class (2-5 ms each); a page rerun builds its charts again, and the IRO caseload chart
    # took 27 ms of each Children rerun. Channel objects (alt.X2("high:Q"), alt.YValue(0),
    # common.colour_if) give the same spec at once.
    from pathlib import Path

    assert _untyped_encodings(
        'c.encode(x="a:Q", y=alt.value(0), color=alt.condition(t, a, b), text=alt.Text("t:N"))'
    ) == [
        "line 1: x='a:Q'",
        "line 1: y=alt.value(0)",
        "line 1: color=alt.condition(t, a, b)",
    ]
    charts = Path(common.__file__).parent
    found = {p.name: _untyped_encodings(p.read_text(encoding="utf-8")) for p in sorted(charts.glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}
    spec = alt.Chart().mark_text().encode(color=common.colour_if(alt.datum.n > 2, "white", "#000")).to_dict()
    assert spec["encoding"]["color"] == {"condition": {"test": "(datum.n > 2)", "value": "white"}, "value": "#000"}
