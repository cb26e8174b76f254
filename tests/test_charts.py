"""Charts and theme: each chart built from a small frame has the encodings, order, formats, palette
and alt text a reader needs; RAG and direction marks never rely on colour alone."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iro_metrics import charts, codes, theme
from iro_metrics.judgement import DIRECTIONS, RATINGS
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


def test_numbers_are_formatted_by_unit() -> None:
    assert charts.format_number(80.7, "pct") == "80.7%"
    assert charts.format_number(1842, "count") == "1,842"
    assert charts.format_number(83.7272, "per_fte", 2) == "83.73"
    assert charts.format_number(None, "pct") == "no value"
    assert charts.number_format("count") == ",.0f"
    assert charts.number_format("pct") == ",.1f"


def test_trend_chart_orders_periods_and_tells_series_apart() -> None:
    chart = charts.trend_chart(
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
    assert encoding["shape"]["field"] == "cohort"
    tooltip_fields = [t["field"] for t in encoding["tooltip"]]
    assert tooltip_fields == ["period_label", "cohort", "value"]  # the period as people read it
    # The guideline is a dashed rule at 70.
    rule = layers(spec)[2]
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"] == [6, 4]
    assert spec["config"]["range"]["category"] == list(theme.PALETTE)
    # Alt text: what, when, the latest values and the reference line.
    assert charts.alt_text(chart) == (
        "Line chart, Children in care, by period, Q1 2013-14 to Q4 2013-14. "
        "Latest (Q4 2013-14): Citizen 8, UASC 4. Dashed line: Guideline 70 at 70."
    )


def test_trend_alt_text_uses_the_last_period_with_a_value() -> None:
    frame = trend_frame().filter(pl.col("cohort") == "UASC", pl.col("period") != "2013-14-Q4")
    chart = charts.trend_chart(frame, title="UASC in care", y_title="Children", unit="pct")
    assert charts.alt_text(chart).endswith("Latest (Q2 2013-14): 2.0%.")


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
    chart = charts.sparkline_grid(grid_trend(), GRID_PANELS, highlight="2013-14-Q3")
    spec = chart.to_dict()  # checked against the Vega-Lite schema
    assert spec["facet"]["field"] == "panel"
    assert spec["facet"]["sort"] == ["Reviews on time", "Children in care"]
    assert spec["columns"] == 3
    assert spec["resolve"]["scale"]["y"] == "independent"
    inner = spec["spec"]["layer"]
    assert inner[0]["encoding"]["x"]["axis"] is None and inner[0]["encoding"]["y"]["axis"] is None
    assert inner[2]["transform"] == [{"filter": "datum.selected"}]
    rows = next(iter(spec["datasets"].values()))
    # Values go to the tooltip as the app prints them: 2.0 x 20.35 = 40.7%, and counts whole.
    on_time = {r["period"]: r["value_text"] for r in rows if r["panel"] == "Reviews on time"}
    assert on_time == {"2013-14-Q1": "20.4%", "2013-14-Q2": "40.7%", "2013-14-Q3": "no value", "2013-14-Q4": "81.4%"}
    in_care = [(r["period"], r["value_text"]) for r in rows if r["panel"] == "Children in care"]
    assert in_care == [("2013-14-Q1", "5"), ("2013-14-Q2", "6"), ("2013-14-Q3", "7"), ("2013-14-Q4", "8")]
    assert sorted({r["period"] for r in rows if r["selected"]}) == ["2013-14-Q3"]
    assert charts.alt_text(chart) == (
        "Trends, Q1 2013-14 to Q4 2013-14. Reviews on time: Latest (Q4 2013-14): 81.4%. "
        "Children in care: Latest (Q4 2013-14): 8."
    )


def test_sparkline_grid_keeps_indicators_with_the_same_title_apart() -> None:
    panels = [("children_in_care", "Children", "count", None), ("reviews_on_time_pct", "Children", "pct", None)]
    spec = charts.sparkline_grid_spec(grid_trend(), panels)
    assert spec["facet"]["sort"] == ["Children (children_in_care)", "Children (reviews_on_time_pct)"]
    panel_rows = {r["panel"] for r in spec["data"]["values"]}
    assert panel_rows == {"Children (children_in_care)", "Children (reviews_on_time_pct)"}


def test_sparkline_grid_spec_is_the_grid_with_its_data() -> None:
    full = charts.chart_spec(charts.sparkline_grid(grid_trend(), GRID_PANELS, highlight="2013-14-Q2"))
    fast = charts.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2")
    assert fast["data"]["values"] == full["datasets"][full["data"]["name"]]
    assert {k: v for k, v in fast.items() if k != "data"} == {
        k: v for k, v in full.items() if k not in ("data", "datasets")
    }
    # The cached template takes new data: another highlight, fewer periods, another description.
    two_quarters = grid_trend().filter(pl.col("period").is_in(["2013-14-Q1", "2013-14-Q2"]))
    other = charts.sparkline_grid_spec(two_quarters, GRID_PANELS, highlight="2013-14-Q1")
    assert [r["selected"] for r in other["data"]["values"] if r["panel"] == "Children in care"] == [True, False]
    assert other["description"].startswith(
        "Trends, Q1 2013-14 to Q2 2013-14. Reviews on time: Latest (Q2 2013-14): 40.7%."
    )


def test_breakdown_chart_keeps_the_given_order() -> None:
    frame = pl.DataFrame({"group": ["Female", "Male"], "count": [5, 10], "pct": [100 / 3, 200 / 3]})
    chart = charts.breakdown_chart(frame, title="Children by sex", group_title="Sex", order=["Male", "Female"])
    bars = layers(chart.to_dict())[0]
    assert bars["encoding"]["y"]["sort"] == ["Male", "Female"]
    assert bars["encoding"]["x"]["title"] == "Children"
    assert charts.alt_text(chart) == "Bar chart, Children by sex: Male 10 (66.7%); Female 5 (33.3%)."


def test_grade_mix_chart_stacks_grades_in_order_with_their_colours() -> None:
    frame = pl.DataFrame(
        {
            "item": ["care_plan"] * 4,
            "grade": ["inadequate", "good", "outstanding", "requires_improvement"],
            "count": [4, 2, 1, 3],
            "pct": [40.0, 20.0, 10.0, 30.0],
        }
    )
    chart = charts.grade_mix_chart(frame)
    encoding = chart.to_dict()["encoding"]
    labels = [codes.QA_GRADES[g] for g in codes.QA_GRADE_ORDER]
    assert encoding["color"]["scale"]["domain"] == labels
    assert encoding["color"]["scale"]["range"] == [charts.GRADE_COLOURS[g] for g in codes.QA_GRADE_ORDER]
    assert encoding["x"]["stack"] == "normalize"
    # 1 + 2 + 3 of 10 grades are adequate or better.
    assert "Care plan 60.0% adequate or better" in charts.alt_text(chart)


def test_dispute_heatmap_lists_categories_in_code_order_with_counts() -> None:
    frame = pl.DataFrame({"category": ["health", "care_plan", "care_plan"], "level": [1, 1, 2], "count": [1, 3, 0]})
    chart = charts.dispute_heatmap(frame)
    spec = chart.to_dict()
    rect = layers(spec)[0]
    assert rect["encoding"]["y"]["sort"] == list(codes.DISPUTE_CATEGORIES.values())
    assert layers(spec)[1]["mark"]["type"] == "text"  # the count is printed in each cell
    assert charts.alt_text(chart) == (
        "Heatmap, Formal disputes by category and highest level, 4 in all; by level: level 1 4, level 2 0. "
        "Most common categories: Care plan / pathway plan 3; Health 1."
    )


def test_area_chart_draws_the_council_line_only_when_given() -> None:
    frame = pl.DataFrame(
        {"area": ["West", "East"], "value": [60.0, 50.0], "numerator": [6.0, 5.0], "denominator": [10.0, 10.0]}
    )
    with_council = charts.area_chart(frame, council_value=55.0, title="On time", x_title="%")
    assert len(layers(with_council.to_dict())) == 3
    assert charts.alt_text(with_council) == (
        "Bar chart, On time, by area: East 50.0%; West 60.0%. Council: 55.0% (dashed line)."
    )
    without = charts.area_chart(frame, council_value=None, title="Children", x_title="number", unit="count")
    assert len(layers(without.to_dict())) == 2


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
    chart = charts.range_chart(ranges, council, labels={"qa_health_adequate_pct": "Health"}, title="Ranges")
    assert "Health: council 90.0%, areas 80.0% (North) to 95.5% (South)" in charts.alt_text(chart)
    assert layers(chart.to_dict())[0]["encoding"]["x"]["scale"]["zero"] is False


def test_participation_chart_orders_pn_codes() -> None:
    mix = pl.DataFrame({"code": ["PN7", "PN1"], "label": ["x", "y"], "count": [1, 3], "pct": [25.0, 75.0]})
    chart = charts.participation_chart(mix)
    y = layers(chart.to_dict())[0]["encoding"]["y"]
    assert y["sort"] == [f"PN1: {codes.PARTICIPATION['PN1']}", f"PN7: {codes.PARTICIPATION['PN7']}"]
    assert charts.alt_text(chart) == "Bar chart, Participation in reviews by PN code: PN1 3; PN7 1."


def test_every_judgement_has_a_mark_with_words_and_a_symbol() -> None:
    for rating in RATINGS:
        mark = theme.rag_mark(rating)
        assert mark.key == rating and mark.symbol and mark.label
    for direction in DIRECTIONS:
        mark = theme.direction_mark(direction)
        assert mark.key == direction and mark.symbol and mark.label
    assert theme.rag_mark(None) is theme.NOT_RATED
    symbols = [m.symbol for m in theme.RAG.values()]
    assert len(set(symbols)) == len(symbols)  # told apart without colour


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("mark", [*theme.RAG.values(), *theme.DIRECTION.values()], ids=lambda m: m.key)
def test_rating_colours_are_readable_as_text_on_white(mark) -> None:
    # WCAG 2.2 AA: 4.5:1 for text.
    contrast = (1.0 + 0.05) / (_luminance(mark.colour) + 0.05)
    assert contrast >= 4.5, (mark.key, mark.colour, round(contrast, 2))


def test_the_palette_matches_the_streamlit_theme() -> None:
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert tuple(config["theme"]["chartCategoricalColors"]) == theme.PALETTE
    assert config["theme"]["primaryColor"] == theme.PRIMARY


def test_charts_accept_dates_and_enums_from_polars() -> None:
    frame = pl.DataFrame(
        {
            "period": ["2013-14-Q1"],
            "period_start": [date(2013, 4, 1)],
            "value": [1.0],
            "band": pl.Series(["5-9"]).cast(codes.AGE_BAND_ENUM),
        }
    )
    spec = charts.trend_chart(frame, title="T", y_title="Y", series="band").to_dict()
    assert next(iter(spec["datasets"].values()))[0]["band"] == "5-9"


def test_answers_chart_ranks_questions_and_leaves_out_unanswered_ones() -> None:
    answers = pl.DataFrame(
        {
            "question_label": ["Knows how to complain", "Feels safe", "Knows the Pledge"],
            "value": [68.0, 90.5, None],
            "numerator": [68.0, 181.0, 0.0],
            "denominator": [100.0, 200.0, 0.0],
        }
    )
    chart = charts.answers_chart(answers, title="Consultation")
    y = layers(chart.to_dict())[0]["encoding"]["y"]
    assert y["sort"] == ["Feels safe", "Knows how to complain"]
    assert charts.alt_text(chart) == (
        "Bar chart, Consultation: Feels safe 90.5% of 200; Knows how to complain 68.0% of 100."
    )


def test_trend_marks_the_selected_period_and_describes_it() -> None:
    # Issue 15: the selected period is marked on the chart and the alt text reads its values first.
    chart = charts.trend_chart(
        trend_frame(), title="Children in care", y_title="Children", series="cohort", highlight="2013-14-Q2"
    )
    spec = charts.chart_spec(chart)
    marks = [layer for layer in layers(spec) if layer["mark"]["type"] == "rule"]
    assert marks[0]["mark"]["strokeDash"] == [2, 2]
    texts = [layer for layer in layers(spec) if layer["mark"]["type"] == "text"]
    assert texts and texts[-1]["encoding"]["text"]["field"] == "label"
    assert "Selected (Q2 2013-14):" in charts.alt_text(chart)
    assert charts.alt_text(chart).index("Selected (Q2 2013-14)") < charts.alt_text(chart).index("Latest (Q4 2013-14)")
    # A period the trend does not hold (a year on a quarterly chart) marks nothing.
    other = charts.trend_chart(trend_frame(), title="Children", y_title="Children", highlight="2013-14")
    assert "Selected" not in charts.alt_text(other)
    assert not [layer for layer in layers(charts.chart_spec(other)) if layer["mark"]["type"] == "rule"]


def test_area_chart_in_order_with_the_worst_marked_and_a_click_selection() -> None:
    from iro_metrics.area_answers import areas_in_order
    from iro_metrics.catalogue import catalogue_for

    meta = catalogue_for(None)["reviews_on_time_pct"]  # higher is better
    frame = pl.DataFrame(
        {
            "area": ["West", "East", "North"],
            "value": [60.0, 50.0, 70.0],
            "numerator": [6.0, 5.0, 7.0],
            "denominator": [10.0, 10.0, 10.0],
        }
    )
    ordered = areas_in_order(frame, meta)
    chart = charts.area_chart(ordered, council_value=60.0, title="On time", x_title="%", clickable=True)
    spec = chart.to_dict()
    assert charts.alt_text(chart) == (
        "Bar chart, On time, by area, best first: North 70.0%; West 60.0%; East 50.0% (worst). "
        "Council: 60.0% (dashed line). Select a bar to choose that area."
    )
    bars = layers(spec)[0]
    assert bars["encoding"]["y"]["sort"] == ["North", "West", "East"]
    # Altair lifts a layer's selection to the top level, naming the view it belongs to (the bars).
    (pick,) = spec["params"]
    assert pick["name"] == charts.AREA_PICK and pick["select"]["fields"] == ["area"]
    assert pick["views"] == [bars["name"]]


def test_survey_titles_keep_iro_and_pledge_capitals() -> None:
    from iro_metrics.catalogue import catalogue_for

    cat = catalogue_for(None)
    assert cat["survey_carer_iro_helpful_yes_pct"].title.endswith("Found their IRO helpful")
    assert cat["survey_consultation_knows_pledge_yes_pct"].title.endswith("Knows what the Pledge is")


def test_participation_chart_has_no_axis_title_over_its_labels() -> None:
    mix = pl.DataFrame({"code": ["PN1", "PN2"], "label": ["Attended", "Spoke"], "count": [5, 3], "pct": [62.5, 37.5]})
    spec = charts.participation_chart(mix).to_dict()
    assert layers(spec)[0]["encoding"]["y"]["title"] is None


def test_sparkline_grid_prints_the_selected_value_and_wraps_long_titles() -> None:
    spec = charts.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2")
    texts = [layer for layer in spec["spec"]["layer"] if layer["mark"]["type"] == "text"]
    assert len(texts) == 1 and texts[0]["encoding"]["text"]["field"] == "value_text"
    # Only the selected period's row is printed: 40.7% for reviews on time in 2013-14-Q2.
    selected = [r for r in spec["data"]["values"] if r["selected"]]
    assert {r["value_text"] for r in selected if r["panel"] == "Reviews on time"} == {"40.7%"}
    assert "lastindexof" in spec["facet"]["header"]["labelExpr"]


def test_trend_axis_and_tooltips_write_periods_as_people_read_them() -> None:
    # Issue 15, one period style: the axis and tooltips read "Q2 2013-14", never "2013-14-Q2";
    # the data keeps the key, which a click on a point selects.
    spec = charts.chart_spec(charts.trend_chart(trend_frame(), title="Children", y_title="Children"))
    line = next(layer for layer in layers(spec) if layer["mark"]["type"] == "line")
    assert line["encoding"]["x"]["field"] == "period"
    assert line["encoding"]["x"]["axis"]["labelExpr"] == charts.PERIOD_LABEL_EXPR
    assert line["encoding"]["tooltip"][0]["field"] == "period_label"
    rows = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]
    assert {(r["period"], r["period_label"]) for r in rows} >= {("2013-14-Q2", "Q2 2013-14")}
    grid = charts.sparkline_grid_spec(grid_trend(), GRID_PANELS, highlight="2013-14-Q2")
    assert {r["period_label"] for r in grid["data"]["values"]} >= {"Q1 2013-14", "Q2 2013-14"}
    tooltip = grid["spec"]["layer"][0]["encoding"]["tooltip"]
    assert [t["field"] for t in tooltip] == ["panel", "period_label", "value_text"]


def test_area_chart_leaves_room_for_one_area_and_grows_with_many() -> None:
    # A 903-only dataset has one area, "Not recorded": the chart's height (which holds the axes,
    # autosize "fit") was 30 px and drew no bar. At least 120 px; 7 areas x 30 = 210 px.
    def height(areas: int) -> int:
        frame = pl.DataFrame(
            {
                "area": [f"Area {i}" for i in range(areas)],
                "value": [float(i) for i in range(areas)],
                "numerator": [1.0] * areas,
                "denominator": [2.0] * areas,
            }
        )
        return charts.area_chart(frame, council_value=None, title="Children", x_title="n", unit="count").to_dict()[
            "height"
        ]

    assert (height(1), height(4), height(7)) == (120, 120, 210)
    counts = pl.DataFrame({"area": ["Not recorded"], "value": [4.0], "numerator": [4.0], "denominator": [None]})
    axis = charts.area_chart(counts, council_value=None, title="C", x_title="n", unit="count").to_dict()
    assert layers(axis)[0]["encoding"]["x"]["axis"]["tickMinStep"] == 1  # 4 children: ticks 0 to 4, no "0 0 1 1"


def test_a_trend_legend_sits_under_the_plot_with_whole_labels() -> None:
    # At 1024 px a half-width trend's legend beside the plot took most of its width and cut
    # "Children participating in their…": under the plot, one entry a line, labels whole.
    chart = charts.trend_chart(trend_frame(), title="Children in care", y_title="Children", series="cohort")
    line = next(layer for layer in layers(charts.chart_spec(chart)) if layer["mark"]["type"] == "line")
    for channel in ("color", "shape"):
        legend = line["encoding"][channel]["legend"]
        assert (legend["orient"], legend["direction"], legend["labelLimit"]) == ("bottom", "vertical", 0)
    # The chart grows by the legend (its height holds it, autosize "fit"): 260 + 40 + 2 x 18 = 336.
    assert charts.chart_spec(chart)["height"] == 336
    assert charts.chart_spec(charts.trend_chart(trend_frame(), title="C", y_title="C"))["height"] == 260
