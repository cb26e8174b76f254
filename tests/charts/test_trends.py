"""Trend charts and the Overview's grid of small trends: periods in order, series told apart, the
selected period marked, periods written as people read them, alt text."""

from __future__ import annotations

import html
import itertools
import json
import re
from datetime import date

import altair as alt
import polars as pl

from iro_metrics import codes, formatting, theme
from iro_metrics.charts import common, trends
from iro_metrics.periods import financial_quarter

QUARTERS = [financial_quarter(2013, q) for q in (1, 2, 3, 4)]


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def trend_frame() -> pl.DataFrame:
    # Deliberately out of period order: the chart must order periods by their start date.
    rows = [(q.label, q.start, cohort, value) for q, cohort, value in [
        (QUARTERS[3], "UASC", 4.0), (QUARTERS[0], "UASC", 1.0), (QUARTERS[1], "UASC", 2.0),
        (QUARTERS[2], "UASC", None), (QUARTERS[0], "Citizen", 5.0), (QUARTERS[1], "Citizen", 6.0),
        (QUARTERS[2], "Citizen", 7.0), (QUARTERS[3], "Citizen", 8.0),
    ]]  # fmt: skip
    return pl.DataFrame(rows, schema=["period", "period_start", "cohort", "value"], orient="row")


def test_trend_chart_orders_periods_and_tells_series_apart() -> None:
    chart = trends.trend_chart(
        trend_frame(),
        title="Children in care",
        y_title="Children",
        series="cohort",
        series_order=["UASC", "Citizen"],
        reference=70,
        reference_label="Guideline 70",
    )
    spec = chart.to_dict()
    line = layers(spec)[0]
    assert line["mark"]["type"] == "line"
    encoding = line["encoding"]
    assert encoding["x"]["sort"] == [q.label for q in QUARTERS]
    assert encoding["y"]["title"] == "Children"
    assert encoding["y"]["axis"]["format"] == ",.0f"
    # Colour from the palette, and a point shape as well, so colour is not the only cue.
    assert encoding["color"]["scale"] == {"domain": ["UASC", "Citizen"], "range": list(theme.PALETTE[:2])}
    # The shape is on the points (on the line too, Vega-Lite drew the legend twice: issue 24).
    assert layers(spec)[1]["encoding"]["shape"]["field"] == "cohort" and "shape" not in encoding
    tooltip_fields = [t["field"] for t in encoding["tooltip"]]
    assert tooltip_fields == ["period_label", "cohort", "value"]  # the period as people read it
    # The guideline is a dashed rule at 70.
    rule = layers(spec)[2]
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"] == [6, 4]
    assert spec["config"]["range"]["category"] == list(theme.PALETTE)
    # Alt text: what, when, the latest values and the reference line.
    assert common.alt_text(chart) == (
        "Line chart, Children in care, by period, Q1 2013-14 to Q4 2013-14. "
        "Latest (Q4 2013-14): Citizen 8, UASC 4. Dashed line: Guideline 70 at 70."
    )


def test_trend_alt_text_uses_the_last_period_with_a_value() -> None:
    frame = trend_frame().filter(pl.col("cohort") == "UASC", pl.col("period") != "2013-14-Q4")
    chart = trends.trend_chart(frame, title="UASC in care", y_title="Children", unit="pct")
    assert common.alt_text(chart).endswith("Latest (Q2 2013-14): 2.0%.")


def grid_trend() -> pl.DataFrame:
    """Two indicators over the four quarters (in the trend frame's shuffled order)."""
    frame = trend_frame()
    return pl.concat(
        [
            frame.filter(pl.col("cohort") == "Citizen").with_columns(indicator=pl.lit("children_in_care")),
            frame.filter(pl.col("cohort") == "UASC").with_columns(
                pl.col("value") * 20.35, indicator=pl.lit("reviews_on_time_pct")
            ),
        ]
    ).drop("cohort")


GRID_PANELS = [
    ("reviews_on_time_pct", "Reviews on time", "pct", None),
    ("children_in_care", "Children in care", "count", None),
]


def test_sparkline_grid_has_a_panel_per_indicator_in_the_given_order() -> None:
    spec = trends.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q3")
    alt.FacetChart.from_dict(spec)  # checked against the Vega-Lite schema
    assert spec["facet"]["field"] == "panel"
    assert spec["facet"]["sort"] == ["Reviews on time", "Children in care"]
    assert spec["columns"] == trends.SPARKLINE_COLUMNS == 2
    assert spec["resolve"]["scale"]["y"] == "independent"
    inner = spec["spec"]["layer"]
    assert inner[0]["encoding"]["x"]["axis"] is None and inner[0]["encoding"]["y"]["axis"] is None
    assert inner[1]["transform"] == [{"filter": "datum.selected"}]
    rows = spec["data"]["values"]
    # Values go to the tooltip as the app prints them: 2.0 x 20.35 = 40.7%, and counts whole.
    on_time = {r["period"]: r["value_text"] for r in rows if r["panel"] == "Reviews on time"}
    assert on_time == {"2013-14-Q1": "20.4%", "2013-14-Q2": "40.7%", "2013-14-Q3": "no value", "2013-14-Q4": "81.4%"}
    in_care = [(r["period"], r["value_text"]) for r in rows if r["panel"] == "Children in care"]
    assert in_care == [("2013-14-Q1", "5"), ("2013-14-Q2", "6"), ("2013-14-Q3", "7"), ("2013-14-Q4", "8")]
    assert sorted({r["period"] for r in rows if r["selected"]}) == ["2013-14-Q3"]
    assert spec["description"] == (
        # The selected quarter first (Q3: reviews on time has no value then, children in care 7).
        "Trends, Q1 2013-14 to Q4 2013-14. Reviews on time: Latest (Q4 2013-14): 81.4%. "
        "Children in care: Selected (Q3 2013-14): 7. Latest (Q4 2013-14): 8."
    )


def test_sparkline_grid_keeps_indicators_with_the_same_title_apart() -> None:
    panels = [("children_in_care", "Children", "count", None), ("reviews_on_time_pct", "Children", "pct", None)]
    spec = trends.sparkline_grid_spec(grid_trend(), panels)
    assert spec["facet"]["sort"] == ["Children (children_in_care)", "Children (reviews_on_time_pct)"]
    panel_rows = {r["panel"] for r in spec["data"]["values"]}
    assert panel_rows == {"Children (children_in_care)", "Children (reviews_on_time_pct)"}


def test_sparkline_grid_spec_is_a_cached_template_filled_with_data() -> None:
    fast = trends.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2")
    alt.FacetChart.from_dict(fast)  # checked against the Vega-Lite schema
    assert [r["selected"] for r in fast["data"]["values"] if r["panel"] == "Children in care"] == [
        False,
        True,
        False,
        False,
    ]
    # The cached template takes new data: another highlight, fewer periods, another description.
    two_quarters = grid_trend().filter(pl.col("period").is_in(["2013-14-Q1", "2013-14-Q2"]))
    other = trends.sparkline_grid_spec(two_quarters, GRID_PANELS, highlight="2013-14-Q1")
    assert [r["selected"] for r in other["data"]["values"] if r["panel"] == "Children in care"] == [True, False]
    assert other["description"].startswith(
        "Trends, Q1 2013-14 to Q2 2013-14. Reviews on time: Selected (Q1 2013-14): 20.4%. Latest (Q2 2013-14): 40.7%."
    )


def test_charts_accept_dates_and_enums_from_polars() -> None:
    frame = pl.DataFrame(
        {
            "period": ["2013-14-Q1"],
            "period_start": [date(2013, 4, 1)],
            "value": [1.0],
            "band": pl.Series(["5-9"]).cast(codes.AGE_BAND_ENUM),
        }
    )
    spec = trends.trend_chart(frame, title="T", y_title="Y", series="band").to_dict()
    assert next(iter(spec["datasets"].values()))[0]["band"] == "5-9"


def test_trend_marks_the_selected_period_and_describes_it() -> None:
    # Issue 15: the selected period is marked on the chart and the alt text reads its values first.
    chart = trends.trend_chart(
        trend_frame(), title="Children in care", y_title="Children", series="cohort", highlight="2013-14-Q2"
    )
    spec = common.chart_spec(chart)
    marks = [layer for layer in layers(spec) if layer["mark"]["type"] == "rule"]
    assert marks[0]["mark"]["strokeDash"] == [2, 2]
    texts = [layer for layer in layers(spec) if layer["mark"]["type"] == "text"]
    assert texts and texts[-1]["encoding"]["text"]["field"] == "label"
    assert "Selected (Q2 2013-14):" in common.alt_text(chart)
    assert common.alt_text(chart).index("Selected (Q2 2013-14)") < common.alt_text(chart).index("Latest (Q4 2013-14)")
    # A period the trend does not hold (a year on a quarterly chart) marks nothing.
    other = trends.trend_chart(trend_frame(), title="Children", y_title="Children", highlight="2013-14")
    assert "Selected" not in common.alt_text(other)
    assert not [layer for layer in layers(common.chart_spec(other)) if layer["mark"]["type"] == "rule"]


def test_the_selected_label_reads_leftwards_in_the_later_half_so_it_stays_inside_the_chart() -> None:
    # The "Selected: Q4 2013-14" label ran off the right edge of a half-width trend when the newest
    # period was chosen. Four quarters: the first two are labelled to the right of their band, the
    # last two to its left (each label drawn by the one text layer matching its side).
    for highlight, side in [
        ("2013-14-Q1", "left"),
        ("2013-14-Q2", "left"),
        ("2013-14-Q3", "right"),
        ("2013-14-Q4", "right"),
    ]:
        spec = trends.trend_spec(trend_frame(), title="Children in care", y_title="Children", highlight=highlight)
        label_layers = [
            layer for layer in layers(spec) if layer.get("encoding", {}).get("text", {}).get("field") == "label"
        ]
        assert [layer["mark"]["align"] for layer in label_layers] == ["left", "right"]
        mark_rows = [rows for rows in spec["datasets"].values() if rows and "side" in rows[0]]
        assert mark_rows == [
            [{"period": highlight, "label": f"Selected: {formatting.period_text(highlight)}", "side": side}]
        ]
        shown = [layer for layer in label_layers if layer["transform"] == [{"filter": f"(datum.side === '{side}')"}]]
        assert len(shown) == 1 and shown[0]["mark"]["align"] == side, highlight


def test_sparkline_grid_prints_the_selected_value_and_wraps_long_titles() -> None:
    spec = trends.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2")
    texts = [layer for layer in spec["spec"]["layer"] if layer["mark"]["type"] == "text"]
    assert len(texts) == 1 and texts[0]["encoding"]["text"]["field"] == "value_text"
    # Only the selected period's row is printed: 40.7% for reviews on time in 2013-14-Q2.
    selected = [r for r in spec["data"]["values"] if r["selected"]]
    assert {r["value_text"] for r in selected if r["panel"] == "Reviews on time"} == {"40.7%"}
    assert "lastindexof" in spec["facet"]["header"]["labelExpr"]


def test_trend_axis_and_tooltips_write_periods_as_people_read_them() -> None:
    # Issue 15, one period style: the axis and tooltips read "Q2 2013-14", never "2013-14-Q2";
    # the data keeps the key, which a click on a point selects.
    spec = common.chart_spec(trends.trend_chart(trend_frame(), title="Children", y_title="Children"))
    line = next(layer for layer in layers(spec) if layer["mark"]["type"] == "line")
    assert line["encoding"]["x"]["field"] == "period"
    assert line["encoding"]["x"]["axis"]["labelExpr"] == formatting.PERIOD_LABEL_EXPR
    assert line["encoding"]["tooltip"][0]["field"] == "period_label"
    rows = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]
    assert {(r["period"], r["period_label"]) for r in rows} >= {("2013-14-Q2", "Q2 2013-14")}
    grid = trends.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2")
    assert {r["period_label"] for r in grid["data"]["values"]} >= {"Q1 2013-14", "Q2 2013-14"}
    tooltip = grid["spec"]["layer"][-1]["encoding"]["tooltip"]  # on each period's band
    assert [t["field"] for t in tooltip] == ["panel", "period_label", "value_text"]


def test_a_trend_legend_sits_under_the_plot_with_whole_labels() -> None:
    # At 1024 px a half-width trend's legend beside the plot took most of its width and cut
    # "Children participating in their…": under the plot, one entry a line, labels whole.
    chart = trends.trend_chart(trend_frame(), title="Children in care", y_title="Children", series="cohort")
    # The legend is the points' (issue 24: the line's made a second one).
    points = next(layer for layer in layers(common.chart_spec(chart)) if layer["mark"]["type"] == "point")
    for channel in ("color", "shape"):
        legend = points["encoding"][channel]["legend"]
        assert (legend["orient"], legend["direction"], legend["labelLimit"]) == ("bottom", "vertical", 0)
    # The chart grows by the legend (its height holds it, autosize "fit"): 260 + 40 + 2 x 18 = 336.
    assert common.chart_spec(chart)["height"] == 336
    assert common.chart_spec(trends.trend_chart(trend_frame(), title="C", y_title="C"))["height"] == 260


def aria_labels(spec: dict) -> list[str]:
    """Every aria-label the chart's SVG carries: what a screen reader hears (drawn by vl-convert)."""
    import vl_convert as vlc

    drawn = {**spec, "width": 400} if spec.get("width") == "container" else spec
    return [html.unescape(label) for label in re.findall(r'aria-label="([^"]*)"', vlc.vegalite_to_svg(drawn))]


def test_a_screen_reader_hears_trend_points_in_the_one_period_style() -> None:
    # Issue 15: a screen reader heard points as "2014-15-Q2"; each point now says "Q2 2014-15".
    chart = trends.trend_chart(
        trend_frame(), title="Children in care", y_title="Children", series="cohort", highlight="2013-14-Q2"
    )
    labels = aria_labels(common.chart_spec(chart))
    assert "Q2 2013-14, Citizen: 6 (Children)" in labels
    assert "Q4 2013-14, UASC: 4 (Children)" in labels
    assert "Selected: Q2 2013-14" in labels
    assert [label for label in labels if "2013-14-Q" in label] == []
    assert "Q1 2013-14 to Q4 2013-14" in common.alt_text(chart)
    rates = trends.trend_chart(
        trend_frame().filter(pl.col("cohort") == "UASC"), title="T", y_title="% on time", unit="pct"
    )
    assert "Q2 2013-14: 2.0% (% on time)" in aria_labels(common.chart_spec(rates))
    grid = trends.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2", clickable=True)
    labels = aria_labels(grid)
    assert "Reviews on time, Q2 2013-14: 40.7%" in labels
    assert "Children in care, Q4 2013-14: 8" in labels
    assert [label for label in labels if "2013-14-Q" in label] == []


def test_the_trend_grid_has_the_trend_charts_click_on_a_period() -> None:
    # Issue 15: the Overview's trends are clickable, by the same selection as a trend chart's.
    trend_pick = trends.trend_chart(trend_frame(), title="C", y_title="C", clickable=True).to_dict()["params"][0]
    full = trends.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2", clickable=True)
    alt.FacetChart.from_dict(full)  # checked against the Vega-Lite schema
    (pick,) = full["params"]
    assert pick["name"] == trend_pick["name"] == trends.PERIOD_PICK
    assert trend_pick["select"] == {"type": "point", "fields": ["period"], "on": "click", "clear": "dblclick"}
    # Issue 26 item 3: the click is on each period's band (the panel's height, the period's width).
    assert pick["select"] == trend_pick["select"]
    (clicked,) = [layer for layer in full["spec"]["layer"] if layer.get("name") in pick["views"]]
    assert clicked["mark"]["type"] == "rect" and clicked["mark"]["cursor"] == "pointer"
    assert "params" not in trends.sparkline_grid_spec(grid_trend(), GRID_PANELS)


def _quarters_trend(first_year: int, last_year: int) -> pl.DataFrame:
    rows = [
        (q.label, q.start, indicator, float(n % 7))
        for n, q in enumerate(financial_quarter(y, k) for y in range(first_year, last_year + 1) for k in (1, 2, 3, 4))
        for indicator, *_ in GRID_PANELS
    ]
    return pl.DataFrame(rows, schema=["period", "period_start", "indicator", "value"], orient="row")


def test_the_sparkline_window_holds_twelve_quarters_round_the_selected_one() -> None:
    every = _quarters_trend(2012, 2025)  # 56 quarters
    kept = trends.common.period_order(trends.sparkline_window(every, "2015-16-Q2"))
    assert len(kept) == 12 and kept[0] == "2013-14-Q3" and kept[-1] == "2016-17-Q2"  # a year after it
    latest = trends.common.period_order(trends.sparkline_window(every, "2025-26-Q4"))
    assert latest[0] == "2023-24-Q1" and latest[-1] == "2025-26-Q4"  # the data end: all before it
    first = trends.common.period_order(trends.sparkline_window(every, "2012-13-Q1"))
    assert first[0] == "2012-13-Q1" and len(first) == 12
    assert trends.common.period_order(trends.sparkline_window(every, "2015-16")) == latest  # a year: the latest
    short = grid_trend()
    assert trends.sparkline_window(short, "2013-14-Q2").equals(short)  # fewer than twelve: all of them


def test_each_period_s_clickable_band_is_at_least_24_pixels_wide_as_drawn() -> None:
    # Issue 26 item 3, measured on the SVG Vega draws (vl-convert), not taken from a constant.
    import vl_convert as vlc

    spec = trends.sparkline_grid_spec(_quarters_trend(2012, 2025), GRID_PANELS, highlight="2015-16-Q2", clickable=True)
    svg = vlc.vegalite_to_svg(spec)
    bands = re.findall(r'aria-label="Reviews on time, ([^"]*?):[^"]*"[^>]*d="M([\d.]+),[\d.]+h([\d.]+)', svg)
    assert [label for label, _, _ in bands][:2] == ["Q3 2013-14", "Q4 2013-14"] and len(bands) == 12
    lefts = [float(x) for _, x, _ in bands]
    widths = [float(w) for _, _, w in bands]
    assert min(widths) >= 24
    assert all(b - a >= 24 for a, b in itertools.pairwise(lefts))  # side by side, never overlapping


def _named_by_content(spec: dict) -> dict:
    """The spec with each dataset named by its rows, so two specs compare by what they draw."""
    text = json.dumps(spec, sort_keys=True)
    for name, values in spec.get("datasets", {}).items():
        text = text.replace(f'"{name}"', json.dumps("rows:" + json.dumps(values, sort_keys=True)))
    return json.loads(text)


def test_a_trend_spec_for_another_period_is_the_chart_built_afresh() -> None:
    # The page's trends are built once per data and options and re-marked for each period: every
    # period, every option that changes the layers, the same spec and alt text as a fresh build.
    options = [
        dict(title="Children in care", y_title="Children", series="cohort", clickable=True),
        dict(title="Reviews", y_title="%", unit="pct", reference=95.0, reference_label="Target"),
        dict(title="Children", y_title="Children", extra_tooltips=[("value", "Counted", ",.0f")]),
    ]
    for option in options:
        for highlight in [q.label for q in QUARTERS] + ["2013-14", None]:
            fresh = common.chart_spec(trends.trend_chart(trend_frame(), highlight=highlight, **option))
            kept = trends.trend_spec(trend_frame(), highlight=highlight, **option)
            assert _named_by_content(kept) == _named_by_content(fresh), (option, highlight)
    # Other data is another template: the values drawn follow the frame, never a kept one.
    changed = trend_frame().with_columns(value=pl.col("value") * 2)
    spec = trends.trend_spec(changed, highlight="2013-14-Q3", **options[0])
    fresh = common.chart_spec(trends.trend_chart(changed, highlight="2013-14-Q3", **options[0]))
    assert _named_by_content(spec) == _named_by_content(fresh)
    assert "Selected (Q3 2013-14)" in spec["description"]
