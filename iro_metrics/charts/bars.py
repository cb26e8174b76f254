"""Bar charts: one indicator across areas, a breakdown of children, survey answers and participation codes."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from iro_metrics import codes, theme
from iro_metrics.charts import common
from iro_metrics.formatting import d3_format, number_text, value_text


def breakdown_chart(
    breakdown: pl.DataFrame,
    *,
    title: str,
    group_title: str,
    order: Sequence[str] | None = None,
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars of ``count`` per ``group`` with ``pct`` in the tooltip (children_in_care_by)."""
    groups = list(order) if order else breakdown.sort("count", descending=True).get_column("group").to_list()
    chart = (
        alt.Chart(breakdown)
        .mark_bar(color=theme.PRIMARY)
        .encode(
            y=alt.Y("group:N", sort=groups, title=group_title),
            x=alt.X("count:Q", title="Children", axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("group:N", title=group_title),
                alt.Tooltip("count:Q", title="Children", format=",.0f"),
                alt.Tooltip("pct:Q", title="% of children", format=".1f"),
            ],
        )
    )
    labels = chart.mark_text(align="left", dx=3, color=theme.TEXT, fontSize=11).encode(
        text=alt.Text("count:Q", format=",.0f")
    )
    parts = [
        f"{row['group']} {number_text(row['count'])} ({value_text(row['pct'], 'pct')})"
        for row in breakdown.sort("count", descending=True).iter_rows(named=True)
        if row["pct"] is not None
    ]
    description = f"Bar chart, {title}: " + "; ".join(parts) + "."
    layered = common.sized(
        alt.layer(chart, labels), title=title, height=height or max(120, 28 * len(groups)), width="container"
    )
    return common.finish(layered, description)


PN_LABEL_CHARS = 41  # a participation label of this many characters or more (over 260 px) wraps
PN_ROW_HEIGHT = 28  # pixels per bar when every label is on one line
PN_WRAPPED_ROW_HEIGHT = 40  # pixels per bar when a label takes two lines (two 13 px lines and a gap)


def participation_chart(mix: pl.DataFrame, *, title: str = "Participation in reviews by PN code") -> alt.TopLevelMixin:
    """Horizontal bars of reviews per participation code (columns ``code``, ``label``, ``count``, ``pct``)."""
    order = [c for c in codes.PARTICIPATION_CODES if c in set(mix.get_column("code").to_list())]
    frame = mix.with_columns(code_label=pl.col("code") + ": " + pl.col("label"))
    label_order = [f"{c}: {codes.PARTICIPATION[c]}" for c in order]
    chart = (
        alt.Chart(frame)
        .mark_bar(color=theme.TURQUOISE)
        .encode(
            # No axis title: the labels say "PN1: ..." and a title was drawn over them in a half-width column.
            # Long meanings ("PN6: Does not attend; conveys views by a facilitative medium") wrap.
            y=alt.Y(
                "code_label:N",
                sort=label_order,
                title=None,
                axis=alt.Axis(
                    labelLimit=260,
                    labelExpr=common.wrapped_label_expr(PN_LABEL_CHARS),
                    # A wrapped label's two lines sit either side of its bar's middle.
                    labelOffset=alt.ExprRef(f"length(datum.label) > {PN_LABEL_CHARS - 1} ? -7 : 0"),
                ),
            ),
            x=alt.X("count:Q", title="Reviews", axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("code:N", title="Code"),
                alt.Tooltip("label:N", title="Meaning"),
                alt.Tooltip("count:Q", title="Reviews", format=",.0f"),
                alt.Tooltip("pct:Q", title="% of reviews", format=".1f"),
            ],
        )
    )
    labels = chart.mark_text(align="left", dx=3, color=theme.TEXT, fontSize=11).encode(
        text=alt.Text("count:Q", format=",.0f")
    )
    parts = [f"{r['code']} {number_text(r['count'])}" for r in mix.sort("code").iter_rows(named=True)]
    description = f"Bar chart, {title}: " + "; ".join(parts) + "."
    # A wrapped (two-line) label needs a taller row, or it runs into its neighbours (issue 26 item 8).
    wraps = any(len(label) >= PN_LABEL_CHARS for label in label_order)
    row_height = PN_WRAPPED_ROW_HEIGHT if wraps else PN_ROW_HEIGHT
    layered = common.sized(
        alt.layer(chart, labels), title=title, height=row_height * max(len(order), 1), width="container"
    )
    return common.finish(layered, description)


AREA_PICK = "area_pick"  # the point selection a click on an area's bar sets


AREA_CHART_MIN_HEIGHT = 120  # pixels: a bar or two, the value axis and its title


def area_chart(
    by_area: pl.DataFrame,
    *,
    council_value: float | None,
    title: str,
    x_title: str,
    unit: str = "pct",
    decimals: int | None = None,
    clickable: bool = False,
) -> alt.TopLevelMixin:
    """One indicator across areas, with the council figure as a dashed line.

    ``by_area`` has columns ``area``, ``value``, ``numerator``, ``denominator`` and, optionally,
    ``worst`` (``area_answers.areas_in_order``): bars then keep the frame's order (best first; without
    it, areas are alphabetical), and the worst area's bar is orange and labelled "worst" (never colour alone). ``clickable`` adds a
    point selection named ``AREA_PICK`` on the area: a click on a bar selects that area.
    """
    fmt = d3_format(unit, decimals)
    ranked = "worst" in by_area.columns  # in order, best first (else alphabetical)
    data = by_area if ranked else by_area.sort("area").with_columns(pl.lit(False).alias("worst"))
    order = data.get_column("area").to_list()
    data = data.with_columns(
        pl.when(pl.col("worst")).then(pl.lit("  ◀ worst")).otherwise(pl.lit("")).alias("worst_text")
    )
    base = alt.Chart(data).encode(
        y=alt.Y("area:N", sort=order, title="Area", axis=alt.Axis(labelLimit=220)),
        # Counts are whole: no "0 0 0 1 1" ticks on a small count's axis.
        x=alt.X(
            "value:Q", title=x_title, axis=alt.Axis(format=fmt, tickMinStep=1 if unit == "count" else alt.Undefined)
        ),
        tooltip=[
            alt.Tooltip("area:N", title="Area"),
            alt.Tooltip("value:Q", title=x_title, format=fmt),
            alt.Tooltip("numerator:Q", title="Numerator", format=",.0f"),
            alt.Tooltip("denominator:Q", title="Denominator", format=",.0f"),
        ],
    )
    bars = base.mark_bar(cursor="pointer" if clickable else "default").encode(
        color=common.colour_if("datum.worst", theme.ORANGE, theme.PRIMARY),
    )
    if clickable:
        bars = bars.add_params(alt.selection_point(name=AREA_PICK, fields=["area"], on="click", clear="dblclick"))
    labels = (
        base.mark_text(align="left", dx=3, color=theme.TEXT, fontSize=11)
        .encode(text=alt.Text("label:N"))
        .transform_calculate(label=f"format(datum.value, '{fmt}') + datum.worst_text")
    )
    layers: list = [bars, labels]
    if council_value is not None:
        layers.append(_council_rule(council_value, x_title, fmt))
    description = _area_chart_description(data, council_value, title, unit, decimals, ranked, clickable)
    # The height holds the axis and its title too (autosize "fit"): one or two areas (a dataset
    # with no area template has only "Not recorded") still get room for their bars.
    height = max(30 * len(order), AREA_CHART_MIN_HEIGHT)
    chart = common.sized(alt.layer(*layers), title=title, height=height, width="container")
    return common.finish(chart, description)


def _council_rule(council_value: float, x_title: str, fmt: str) -> alt.Chart:
    """The council figure as a dashed vertical line, with its tooltip."""
    ref = pl.DataFrame({"council": [float(council_value)], "label": ["Council"]})
    return (
        alt.Chart(ref)
        .mark_rule(strokeDash=[6, 4], color=theme.DARK_GREY, strokeWidth=2)
        .encode(
            x=alt.X("council:Q"),
            tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("council:Q", title=x_title, format=fmt)],
        )
    )


def _area_chart_description(
    data: pl.DataFrame,
    council_value: float | None,
    title: str,
    unit: str,
    decimals: int | None,
    ranked: bool,
    clickable: bool,
) -> str:
    """The area chart's alt text: every area's value in the bars' order, then the council's."""
    parts = [
        f"{r['area']} {value_text(r['value'], unit, decimals, missing=common.NO_VALUE)}{' (worst)' if r['worst'] else ''}"
        for r in data.iter_rows(named=True)
    ]
    return (
        f"Bar chart, {title}, by area{', best first' if ranked else ''}: "
        + "; ".join(parts)
        + f". Council: {value_text(council_value, unit, decimals, missing=common.NO_VALUE)}"
        + (" (dashed line)." if council_value is not None else ".")
        + (" Select a bar to choose that area." if clickable else "")
    )


def answers_chart(answers: pl.DataFrame, *, title: str) -> alt.TopLevelMixin:
    """Horizontal bars of the % answering yes to each question in one period.

    ``answers`` has columns ``question_label``, ``value`` (% yes), ``numerator`` (yes answers)
    and ``denominator`` (all answers); questions without answers are left out.
    """
    frame = answers.filter(pl.col("value").is_not_null()).sort("value", descending=True)
    order = frame.get_column("question_label").to_list()
    bars = (
        alt.Chart(frame)
        .mark_bar(color=theme.PRIMARY)
        .encode(
            y=alt.Y("question_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("value:Q", title="% answering yes", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("question_label:N", title="Question"),
                alt.Tooltip("value:Q", title="% yes", format=",.1f"),
                alt.Tooltip("numerator:Q", title="Yes", format=",.0f"),
                alt.Tooltip("denominator:Q", title="Answers", format=",.0f"),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=3, color=theme.TEXT, fontSize=11).encode(
        text=alt.Text("value:Q", format=",.1f")
    )
    parts = [
        f"{r['question_label']} {value_text(r['value'], 'pct', missing=common.NO_VALUE)} of {number_text(r['denominator'])}"
        for r in frame.iter_rows(named=True)
    ]
    description = f"Bar chart, {title}: " + "; ".join(parts) + "."
    chart = common.sized(alt.layer(bars, labels), title=title, height=28 * max(len(order), 1), width="container")
    return common.finish(chart, description)
