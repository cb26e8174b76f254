"""Bar charts: order, the worst area marked (never colour alone), a click selection, room for one
area, and alt text."""

from __future__ import annotations

import polars as pl

from iro_metrics import codes
from iro_metrics.charts import bars, common


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_breakdown_chart_keeps_the_given_order() -> None:
    frame = pl.DataFrame({"group": ["Female", "Male"], "count": [5, 10], "pct": [100 / 3, 200 / 3]})
    chart = bars.breakdown_chart(frame, title="Children by sex", group_title="Sex", order=["Male", "Female"])
    bar_layer = layers(chart.to_dict())[0]
    assert bar_layer["encoding"]["y"]["sort"] == ["Male", "Female"]
    assert bar_layer["encoding"]["x"]["title"] == "Children"
    assert common.alt_text(chart) == "Bar chart, Children by sex: Male 10 (66.7%); Female 5 (33.3%)."


def test_area_chart_draws_the_council_line_only_when_given() -> None:
    frame = pl.DataFrame(
        {"area": ["West", "East"], "value": [60.0, 50.0], "numerator": [6.0, 5.0], "denominator": [10.0, 10.0]}
    )
    with_council = bars.area_chart(frame, council_value=55.0, title="On time", x_title="%")
    assert len(layers(with_council.to_dict())) == 3
    assert common.alt_text(with_council) == (
        "Bar chart, On time, by area: East 50.0%; West 60.0%. Council: 55.0% (dashed line)."
    )
    without = bars.area_chart(frame, council_value=None, title="Children", x_title="number", unit="count")
    assert len(layers(without.to_dict())) == 2


def test_participation_chart_orders_pn_codes() -> None:
    mix = pl.DataFrame({"code": ["PN7", "PN1"], "label": ["x", "y"], "count": [1, 3], "pct": [25.0, 75.0]})
    chart = bars.participation_chart(mix)
    y = layers(chart.to_dict())[0]["encoding"]["y"]
    assert y["sort"] == [f"PN1: {codes.PARTICIPATION['PN1']}", f"PN7: {codes.PARTICIPATION['PN7']}"]
    assert common.alt_text(chart) == "Bar chart, Participation in reviews by PN code: PN1 3; PN7 1."


def test_answers_chart_ranks_questions_and_leaves_out_unanswered_ones() -> None:
    answers = pl.DataFrame(
        {
            "question_label": ["Knows how to complain", "Feels safe", "Knows the Pledge"],
            "value": [68.0, 90.5, None],
            "numerator": [68.0, 181.0, 0.0],
            "denominator": [100.0, 200.0, 0.0],
        }
    )
    chart = bars.answers_chart(answers, title="Consultation")
    y = layers(chart.to_dict())[0]["encoding"]["y"]
    assert y["sort"] == ["Feels safe", "Knows how to complain"]
    assert common.alt_text(chart) == (
        "Bar chart, Consultation: Feels safe 90.5% of 200; Knows how to complain 68.0% of 100."
    )


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
    chart = bars.area_chart(ordered, council_value=60.0, title="On time", x_title="%", clickable=True)
    spec = chart.to_dict()
    assert common.alt_text(chart) == (
        "Bar chart, On time, by area, best first: North 70.0%; West 60.0%; East 50.0% (worst). "
        "Council: 60.0% (dashed line). Select a bar to choose that area."
    )
    bar_layer = layers(spec)[0]
    assert bar_layer["encoding"]["y"]["sort"] == ["North", "West", "East"]
    # Altair lifts a layer's selection to the top level, naming the view it belongs to (the bars).
    (pick,) = spec["params"]
    assert pick["name"] == bars.AREA_PICK and pick["select"]["fields"] == ["area"]
    assert pick["views"] == [bar_layer["name"]]


def test_survey_titles_keep_iro_and_pledge_capitals() -> None:
    from iro_metrics.catalogue import catalogue_for

    cat = catalogue_for(None)
    assert cat["survey_carer_iro_helpful_yes_pct"].title.endswith("Found their IRO helpful")
    assert cat["survey_consultation_knows_pledge_yes_pct"].title.endswith("Knows what the Pledge is")


def test_participation_chart_has_no_axis_title_over_its_labels() -> None:
    mix = pl.DataFrame({"code": ["PN1", "PN2"], "label": ["Attended", "Spoke"], "count": [5, 3], "pct": [62.5, 37.5]})
    spec = bars.participation_chart(mix).to_dict()
    assert layers(spec)[0]["encoding"]["y"]["title"] is None


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
        return bars.area_chart(frame, council_value=None, title="Children", x_title="n", unit="count").to_dict()[
            "height"
        ]

    assert (height(1), height(4), height(7)) == (120, 120, 210)
    counts = pl.DataFrame({"area": ["Not recorded"], "value": [4.0], "numerator": [4.0], "denominator": [None]})
    axis = bars.area_chart(counts, council_value=None, title="C", x_title="n", unit="count").to_dict()
    assert layers(axis)[0]["encoding"]["x"]["axis"]["tickMinStep"] == 1  # 4 children: ticks 0 to 4, no "0 0 1 1"


def test_participation_labels_wrap_onto_two_lines_rather_than_being_cut() -> None:
    # Issue 15, every label visible: "PN6: Does not attend; conveys views by a facilitative medium"
    # was cut at 260 px; a long label now wraps at a space, and its two lines sit about its bar.
    mix = pl.DataFrame({"code": ["PN1", "PN6"], "label": ["x", "y"], "count": [5, 3], "pct": [62.5, 37.5]})
    axis = layers(bars.participation_chart(mix).to_dict())[0]["encoding"]["y"]["axis"]
    assert axis["labelExpr"] == common.wrapped_label_expr(bars.PN_LABEL_CHARS)
    assert "lastindexof(slice(datum.label, 0, 41), ' ')" in axis["labelExpr"]
    assert axis["labelOffset"] == {"expr": "length(datum.label) > 40 ? -7 : 0"}


def test_every_participation_label_is_drawn_whole() -> None:
    import vl_convert as vlc

    from iro_metrics import codes

    mix = pl.DataFrame(
        {
            "code": list(codes.PARTICIPATION),
            "label": list(codes.PARTICIPATION.values()),
            "count": [10] * len(codes.PARTICIPATION),
            "pct": [12.5] * len(codes.PARTICIPATION),
        }
    )
    spec = {**common.chart_spec(bars.participation_chart(mix)), "width": 320}  # a half-width column
    svg = vlc.vegalite_to_svg(spec)
    assert "…" not in svg
    assert "a facilitative medium" in svg and "symbolically (non-verbally)" in svg


def test_participation_rows_are_taller_when_a_label_wraps() -> None:
    # Issue 26 item 8: "PN1: Attends and speaks for themselves" (38 characters) fits one line: 28 px
    # a row. "PN6: Does not attend; conveys views by a facilitative medium" (60) wraps onto two lines,
    # so every row gets 40 px: two codes, 2 x 40 = 80 px (at 28 px two-line labels ran together).
    def height(codes_shown: list[str]) -> int:
        mix = pl.DataFrame(
            {
                "code": codes_shown,
                "label": codes_shown,
                "count": [1] * len(codes_shown),
                "pct": [1.0] * len(codes_shown),
            }
        )
        return bars.participation_chart(mix).to_dict()["height"]

    assert height(["PN1"]) == 28
    assert height(["PN1", "PN6"]) == 80
