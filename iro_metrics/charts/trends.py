"""Charts over periods: the trend line (one line per series) and the Overview's grid of small trends."""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import altair as alt
import polars as pl

from iro_metrics import theme
from iro_metrics.charts import common
from iro_metrics.formatting import PERCENT_UNITS, PERIOD_LABEL_EXPR, d3_format, period_expr, period_text, value_text

PERIOD_PICK = "period_pick"  # the point selection a click on a trend's point sets


LEGEND_TITLE_HEIGHT = 40  # pixels: the gap under the axis title and the legend's title
LEGEND_LINE_HEIGHT = 18  # pixels: one legend entry


def trend_chart(
    trend: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    unit: str = "count",
    decimals: int | None = None,
    series: str | None = None,
    series_title: str | None = None,
    series_order: Sequence[str] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    extra_tooltips: Sequence[tuple[str, str, str]] = (),
    height: int = 260,
    highlight: str | None = None,
    clickable: bool = False,
) -> alt.TopLevelMixin:
    """A line over periods (columns ``period``, ``period_start``, ``value``), one line per ``series``.

    ``clickable`` adds a point selection named ``PERIOD_PICK`` on the period: a click on a point
    selects that period. Each point's accessible description, its tooltip and the axis's labels
    write the period as people read it ("Q2 2015-16"); the data keep the key a click selects.

    ``highlight`` (a period label) marks the selected period: a labelled vertical band behind the
    lines, and the alt text describes that period's values first.

    ``reference`` draws a dashed horizontal line (a target or guideline) labelled
    ``reference_label``. ``extra_tooltips`` adds ``(column, title, d3 format)`` tooltips.
    Series are told apart by colour and point shape, so colour is never the only cue.
    """
    fmt = d3_format(unit, decimals)
    order = common.period_order(trend)
    trend = trend.with_columns(period_label=period_expr(pl.col("period")))
    y_axis = alt.Axis(format=fmt, tickMinStep=1) if unit == "count" else alt.Axis(format=fmt)
    y = alt.Y("value:Q", title=y_title, axis=y_axis, scale=alt.Scale(zero=unit != "pct"))
    colour = _series_colour(trend, series, series_title, series_order) if series is not None else None
    tooltips: list[alt.Tooltip] = [
        alt.Tooltip("period_label:N", title="Period"),
        *([colour.tooltip] if colour else []),
        alt.Tooltip("value:Q", title=y_title, format=fmt),
        *[alt.Tooltip(f"{col}:Q", title=name, format=f) for col, name, f in extra_tooltips],
    ]
    base = alt.Chart(trend).encode(
        x=_period_x(order), y=y, tooltip=tooltips, **({"color": colour.color} if colour else {})
    )
    layers: list = _line_and_points(base, colour, _point_text(series, y_title, unit, fmt), clickable)
    if highlight in order:
        rule, labels = _selected_period_layers(str(highlight), order)
        layers = [rule, *layers, *labels]
    if reference is not None:
        layers += _reference_layers(reference, reference_label or "Reference", y_title, fmt)
    marked = highlight if highlight in order else None
    description = _trend_description(trend, order, title, series, unit, decimals, marked, reference, reference_label)
    if colour:  # the legend under the plot takes its title and a line a series
        height += LEGEND_TITLE_HEIGHT + LEGEND_LINE_HEIGHT * len(colour.domain)
    chart = common.sized(alt.layer(*layers), title=title, height=height, width="container")
    return common.finish(chart, description)


def _trend_description(
    trend: pl.DataFrame,
    order: list[str],
    title: str,
    series: str | None,
    unit: str,
    decimals: int | None,
    highlight: str | None,
    reference: float | None,
    reference_label: str | None,
) -> str:
    """A trend chart's alt text: what it shows, over which periods (``order``), and the selected (or
    latest) values."""
    first, last = (period_text(order[0]), period_text(order[-1])) if order else ("", "")
    summary = common.series_summary(trend, series, unit, decimals, highlight)
    if reference is not None:
        summary += f" Dashed line: {reference_label or 'reference'} at {value_text(reference, unit, decimals, missing=common.NO_VALUE)}."
    return f"Line chart, {title}, by period, {first} to {last}. {summary}"


class _Keyed:
    """A value compared and hashed by a key made from it, so that a cache can be keyed on a value
    that is not hashable itself (a frame, a dict of chart options)."""

    def __init__(self, value: Any, key: Hashable) -> None:
        self.value, self.key = value, key

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Keyed) and self.key == other.key


def _frame_key(frame: pl.DataFrame) -> tuple:
    """The frame's columns, types and rows in order, as a short key."""
    rows = hashlib.sha256(frame.hash_rows(seed=0).to_numpy().tobytes()).hexdigest()
    return (tuple(frame.schema.items()), frame.height, rows)


@lru_cache(maxsize=128)
def _trend_template(trend: _Keyed, options: _Keyed) -> tuple[str, str]:
    """The trend's spec marking its first period, as JSON, and the name of its mark's dataset."""
    order = common.period_order(trend.value)
    built = common.chart_spec(trend_chart(trend.value, highlight=order[0], **options.value))
    return json.dumps(built), _mark_dataset(built, order[0], order)


def trend_spec(trend: pl.DataFrame, *, highlight: str | None = None, **options: Any) -> dict:
    """``trend_chart(trend, highlight=highlight, **options)`` as its Vega-Lite spec (``common.chart_spec``).

    A page rerun for another period draws the same trend with another period marked, and building a
    layered chart in Altair took 20-27 ms a chart. So the spec is built once per (data, options),
    marking the first period, and the selected period's mark and the alt text are put into a copy.
    """
    order = common.period_order(trend)
    if highlight not in order:
        return common.chart_spec(trend_chart(trend, highlight=highlight, **options))
    text, mark_name = _trend_template(
        _Keyed(trend, _frame_key(trend)), _Keyed(options, json.dumps(options, sort_keys=True, default=str))
    )
    spec = json.loads(text)
    if highlight != order[0]:
        name = f"{mark_name}-{highlight}"
        datasets = spec["datasets"]
        del datasets[mark_name]
        datasets[name] = _selected_mark(highlight, order)
        for layer in spec["layer"]:
            if layer.get("data") == {"name": mark_name}:
                layer["data"] = {"name": name}
        given = inspect.signature(trend_chart).bind(trend, highlight=highlight, **options)
        given.apply_defaults()  # trend_chart's own defaults: unit, decimals, series, reference
        chosen = given.arguments
        spec["description"] = _trend_description(
            trend,
            order,
            chosen["title"],
            chosen["series"],
            chosen["unit"],
            chosen["decimals"],
            highlight,
            chosen["reference"],
            chosen["reference_label"],
        )
    return spec


def _mark_dataset(spec: dict, highlight: str, order: list[str]) -> str:
    """The name of the spec's dataset that holds the selected period's mark."""
    mark = _selected_mark(highlight, order)
    names = [name for name, values in spec.get("datasets", {}).items() if values == mark]
    if len(names) != 1:
        raise ValueError("a trend spec without exactly one selected-period mark")
    return names[0]


def _period_x(order: list[str]) -> alt.X:
    """The period axis, in period order, written as people read periods."""
    period_axis = alt.Axis(
        labelAngle=-45,
        labelOverlap=True,
        labelExpr=PERIOD_LABEL_EXPR,
        # Vega would read the axis out by the data's keys ("2015-16-Q2"), and ignores an axis's own
        # description: the alt text names the periods and each point says its own.
        aria=False,
    )
    return alt.X("period:O", sort=order, title="Period", axis=period_axis)


@dataclass(frozen=True)
class _SeriesColour:
    """How a trend's series are told apart: colour and, on the points, shape, with one legend."""

    domain: list[str]
    color: alt.Color
    point_shape: alt.Shape
    line_legend: alt.Color
    tooltip: alt.Tooltip


def _series_colour(
    trend: pl.DataFrame, series: str, series_title: str | None, series_order: Sequence[str] | None
) -> _SeriesColour:
    domain = list(series_order) if series_order else sorted(trend.get_column(series).unique().to_list())
    scale = alt.Scale(domain=domain, range=list(theme.PALETTE[: len(domain)]))
    legend_title = series_title or series
    # The legend goes under the plot: beside it, it took most of a half-width chart at 1024 px.
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
    return _SeriesColour(
        domain,
        alt.Color(f"{series}:N", scale=scale, title=legend_title, sort=domain, legend=legend),
        # The shape goes on the points only, and the line has no legend: else Vega-Lite drew two.
        alt.Shape(f"{series}:N", title=legend_title, sort=domain, legend=legend),
        alt.Color(f"{series}:N", scale=scale, sort=domain, legend=None),
        alt.Tooltip(f"{series}:N", title=legend_title),
    )


def _line_and_points(
    base: alt.Chart, colour: _SeriesColour | None, point_text: str, clickable: bool
) -> list[alt.Chart]:
    """The line and its points; each point carries its description, and (``clickable``) the click."""
    line_colour = {} if colour else {"color": theme.PRIMARY}
    line = base.mark_line(strokeWidth=2, aria=False, point=False, **line_colour)
    if colour:  # one legend, the points': the line's would be a second
        line = line.encode(color=colour.line_legend)
    # A screen reader hears each point: "Q2 2015-16, UASC: 12 (Children)". The line repeats the
    # points, so it is left out (and drawn without the points Vega-Lite adds for a shape encoding).
    points = base.transform_calculate(point_text=point_text).encode(
        description=alt.Description("point_text:N"), **({"shape": colour.point_shape} if colour else {})
    )
    if clickable:
        return [
            line,
            points.mark_point(filled=True, size=70, cursor="pointer", **line_colour).add_params(_period_pick()),
        ]
    return [line, points.mark_point(filled=True, size=50, **line_colour)]


def _selected_mark(highlight: str, order: list[str]) -> list[dict[str, str]]:
    """The selected period's mark, as the one row of data its band and label draw: the label reads
    leftwards from the band in the later half of the periods, so that it stays inside the chart."""
    side = "right" if order.index(highlight) > (len(order) - 1) / 2 else "left"
    return [{"period": highlight, "label": f"Selected: {period_text(highlight)}", "side": side}]


def _selected_period_layers(highlight: str, order: list[str]) -> tuple[alt.Chart, list[alt.Chart]]:
    """The selected period's dashed band (behind the lines) and its label (in front), drawn by
    whichever of its two text layers matches the mark's side."""
    mark = pl.DataFrame(_selected_mark(highlight, order))
    selected = alt.Chart(mark).encode(x=alt.X("period:O", sort=order))
    rule = selected.mark_rule(color=theme.ORANGE, strokeWidth=2, strokeDash=[2, 2], aria=False)
    labels = [
        selected.transform_filter(alt.datum.side == side)
        .mark_text(align=side, baseline="top", dx=dx, dy=2, color=theme.TEXT, fontSize=11)
        .encode(y=alt.YValue(0), text=alt.Text("label:N"), description=alt.Description("label:N"))
        for side, dx in (("left", 4), ("right", -4))
    ]
    return rule, labels


def _reference_layers(reference: float, label: str, y_title: str, fmt: str) -> list[alt.Chart]:
    """A target or guideline as a dashed horizontal line with its label."""
    ref = pl.DataFrame({"reference": [float(reference)], "label": [label]})
    rule = (
        alt.Chart(ref)
        .mark_rule(strokeDash=[6, 4], color=theme.REFERENCE_LINE, strokeWidth=1.5)
        .encode(
            y=alt.Y("reference:Q"),
            tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("reference:Q", title=y_title, format=fmt)],
        )
    )
    text = (
        alt.Chart(ref)
        .mark_text(align="left", dx=4, dy=-6, color=theme.REFERENCE_LINE, fontSize=11)
        .encode(y=alt.Y("reference:Q"), x=alt.XValue(0), text=alt.Text("label:N"))
    )
    return [rule, text]


def _period_pick() -> alt.Parameter:
    """The point selection a click on a period's mark sets (a double click clears it)."""
    return alt.selection_point(name=PERIOD_PICK, fields=["period"], on="click", clear="dblclick")


def _point_text(series: str | None, y_title: str, unit: str, fmt: str) -> str:
    """The Vega expression for a trend point's accessible description, written as ``value_text``
    writes the value: 'Q2 2015-16, UASC: 12 (Children)', 'Q2 2015-16: 81.4% (% of reviews held)'."""
    series_part = f" + ', ' + datum[{json.dumps(series)}]" if series is not None else ""
    percent = "%" if unit in PERCENT_UNITS else ""
    return (
        f"datum.period_label{series_part} + ': ' + format(datum.value, '{fmt}') + "
        f"{json.dumps(f'{percent} ({y_title})')}"
    )


# Two panels a row and their spacing (2 x 300 + 20 pixels) fit the main column of a 1024-pixel
# window with the sidebar open (a faceted chart is drawn at its own width, not the container's).
# Each panel shows SPARKLINE_PERIODS periods, so each period's clickable band is 300 / 12 = 25
# pixels wide: a click chooses the period under the pointer (issue 26 item 3: with every quarter
# since 2012 in 170 pixels, quarters were 3 pixels apart and a click chose a neighbour).
SPARKLINE_WIDTH = 300
SPARKLINE_HEIGHT = 50
SPARKLINE_COLUMNS = 2
SPARKLINE_PERIODS = 12  # three years of quarters
SPARKLINE_AHEAD = 4  # of them, up to a year after the selected period


def sparkline_window(
    trend: pl.DataFrame, highlight: str | None, periods: int = SPARKLINE_PERIODS, ahead: int = SPARKLINE_AHEAD
) -> pl.DataFrame:
    """The rows of ``trend`` for the ``periods`` periods round ``highlight``: up to ``ahead``
    periods after it and the rest before it (more before when the data end sooner). Without the
    highlight among the trend's periods, the latest ``periods``."""
    order = common.period_order(trend)
    if len(order) <= periods:
        return trend
    at = order.index(highlight) if highlight in order else len(order) - 1
    end = min(len(order), at + ahead + 1)
    start = max(0, end - periods)
    return trend.filter(pl.col("period").is_in(order[start : start + periods]))


def _distinct_titles(
    panels: Sequence[tuple[str, str, str, int | None]],
) -> list[tuple[str, str, str, int | None]]:
    """Panels are told apart by title: a title used twice gets its indicator id added."""
    titles = [title for _, title, _, _ in panels]
    return [
        (indicator, f"{title} ({indicator})" if titles.count(title) > 1 else title, unit, decimals)
        for indicator, title, unit, decimals in panels
    ]


def _sparkline_grid_shape(
    data: pl.DataFrame, titles: tuple[str, ...], columns: int, clickable: bool = False
) -> alt.TopLevelMixin:
    # A band scale with no padding: each period's band is the panel's width over the periods, and
    # the line and points sit at the bands' centres.
    x_scale = alt.Scale(paddingInner=0, paddingOuter=0)
    x = alt.X("period:O", sort=alt.EncodingSortField("period_start"), axis=None, title="Period", scale=x_scale)
    base = alt.Chart().encode(x=x, y=alt.Y("value:Q", axis=None, title="Value", scale=alt.Scale(zero=False)))
    # One invisible band per period, the panel's full height: it carries the tooltip, the
    # description a screen reader hears and (``clickable``) the click, so a click anywhere in a
    # period's band chooses that period.
    bands = base.mark_rect(opacity=0, **({"cursor": "pointer"} if clickable else {})).encode(
        y=alt.YValue(0),
        y2=alt.Y2Value(SPARKLINE_HEIGHT),
        tooltip=[
            alt.Tooltip("panel:N", title="Indicator"),
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("value_text:N", title="Value"),
        ],
        description=alt.Description("point_text:N"),
    )
    if clickable:
        bands = bands.add_params(_period_pick())
    layers = alt.layer(
        base.mark_line(color=theme.PRIMARY, strokeWidth=1.5, aria=False),
        base.transform_filter(alt.datum.selected).mark_point(filled=True, size=40, color=theme.ORANGE, aria=False),
        # The selected period's value, readable without hovering, at the panel's top right.
        base.transform_filter(alt.datum.selected)
        .mark_text(align="right", baseline="bottom", dy=-2, fontSize=12, fontWeight="bold", color=theme.TEXT)
        .encode(
            x=alt.XValue(SPARKLINE_WIDTH),
            y=alt.YValue(0),
            text=alt.Text("value_text:N"),
            description=alt.Description("point_text:N"),
        ),
        bands,  # on top, so the click reaches them
    )
    layers = common.sized(layers, width=SPARKLINE_WIDTH, height=SPARKLINE_HEIGHT)
    # A long title wraps onto a second line at the last space before 45 characters (never cut).
    header = alt.Header(
        title=None,
        labelAnchor="start",
        labelAlign="left",
        labelFontSize=12,
        labelLimit=SPARKLINE_WIDTH + 20,
        labelExpr=common.wrapped_label_expr(45),
    )
    grid = alt.FacetChart(
        data=data,
        spec=layers,
        facet=alt.Facet("panel:N", sort=list(titles), header=header, title=None),
        columns=columns,
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
    )
    return grid


def _sparkline_grid_data(
    trend: pl.DataFrame, panels: Sequence[tuple[str, str, str, int | None]], highlight: str | None
) -> pl.DataFrame:
    parts = []
    for indicator, title, unit, decimals in panels:
        points = trend.filter(pl.col("indicator") == indicator)
        texts = pl.Series(
            [value_text(v, unit, decimals, missing=common.NO_VALUE) for v in points.get_column("value").to_list()],
            dtype=pl.String,
        )
        parts.append(
            points.select(
                pl.lit(title).alias("panel"),
                "period",
                period_expr(pl.col("period")).alias("period_label"),
                pl.col("period_start").cast(pl.String),
                "value",
                value_text=texts,
                point_text=pl.format("{}, {}: {}", pl.lit(title), period_expr(pl.col("period")), texts),
                selected=(pl.col("period") == highlight) if highlight is not None else pl.lit(False),
            )
        )
    schema = {
        "panel": pl.String,
        "period": pl.String,
        "period_label": pl.String,
        "period_start": pl.String,
        "value": pl.Float64,
        "value_text": pl.String,
        "point_text": pl.String,
        "selected": pl.Boolean,
    }
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat([p.cast(schema) for p in parts]).sort("panel", "period_start")


def _sparkline_grid_description(
    trend: pl.DataFrame, panels: Sequence[tuple[str, str, str, int | None]], highlight: str | None = None
) -> str:
    """The grid's alt text: each panel's value in the selected period first (issue 15: not only the latest)."""
    order = common.period_order(trend)
    first, last = (period_text(order[0]), period_text(order[-1])) if order else ("", "")
    lines = []
    for indicator, title, unit, decimals in panels:
        points = trend.filter(pl.col("indicator") == indicator)
        lines.append(f"{title}: " + common.series_summary(points, None, unit, decimals, selected=highlight))
    return f"Trends, {first} to {last}. " + " ".join(lines)


@lru_cache(maxsize=256)
def _sparkline_grid_template(titles: tuple[str, ...], columns: int, clickable: bool) -> str:
    empty = _sparkline_grid_data(pl.DataFrame(), (), None)
    spec = common.chart_spec(common.finish(_sparkline_grid_shape(empty, titles, columns, clickable), ""))
    spec.pop("datasets", None)
    spec.pop("data", None)
    return json.dumps(spec)


def sparkline_grid_spec(
    trend: pl.DataFrame,
    panels: Sequence[tuple[str, str, str, int | None]],
    *,
    highlight: str | None = None,
    columns: int = SPARKLINE_COLUMNS,
    clickable: bool = False,
) -> dict:
    """Small trend lines with no axes, one panel per indicator, as one faceted chart's Vega-Lite spec.

    ``trend`` has columns ``indicator``, ``period``, ``period_start`` and ``value``; ``panels``
    gives, in display order, each panel's ``(indicator, title, unit, decimals)``. Each panel has
    its own vertical scale and shows the ``SPARKLINE_PERIODS`` periods round the highlight
    (``sparkline_window``). ``highlight`` marks one period (the selected one) with a larger point.
    Each period is an invisible band the panel's height and the period's width (25 pixels): it
    carries the tooltip, the accessible description ("Reviews on time, Q2 2015-16: 81.4%") and,
    ``clickable``, ``trend_chart``'s point selection (``PERIOD_PICK``): a click anywhere in a
    period's band in any panel selects that period.
    One chart rather than one per indicator: the browser draws a chart per rerun, and a dozen
    small charts cost more than one with a dozen panels. The chart's shape depends only on the
    panel titles, ``columns`` and ``clickable`` (values go to the tooltip as text, periods are
    ordered by their start and the highlight is a data field), so the spec is a cached template
    filled with the data: the Overview draws the grid on every rerun.
    """
    panels = _distinct_titles(panels)
    trend = sparkline_window(trend, highlight)
    spec = json.loads(_sparkline_grid_template(tuple(title for _, title, _, _ in panels), columns, clickable))
    spec["data"] = {"values": _sparkline_grid_data(trend, panels, highlight).to_dicts()}
    spec["description"] = _sparkline_grid_description(trend, panels, highlight)
    return spec
