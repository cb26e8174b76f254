"""Every chart the app and the briefing draw, as Altair charts built from small Polars frames.

No Streamlit here. Each function takes a frame in the shape an ``iro_metrics`` function returns,
and gives a chart with titled axes, formatted numbers, tooltips, the one palette from
``theme`` and a plain-English ``description`` (the chart's alt text, see ``alt_text``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

import altair as alt
import polars as pl
from altair.utils import schemapi

from iro_metrics import codes, theme
from iro_metrics.wording import period_expr, period_text

# Altair checks every schema object against Vega-Lite as it is built; a page rerun builds all
# its charts again, and those checks were most of the rerun. The finished specs are still
# checked in full by the tests (tests/test_charts.py), so the app skips the checks.
schemapi.disable_debug_mode()

PERCENT_UNITS = frozenset({"pct", "percent", "%"})

# An axis label written as people read it: the data's "2015-16-Q2" key becomes "Q2 2015-16" (as
# ``wording.period_text``); a year's "2015-16" stays. The data keeps the key: clicks select by it.
PERIOD_LABEL_EXPR = "length(datum.label) == 10 ? slice(datum.label, 8) + ' ' + slice(datum.label, 0, 7) : datum.label"


def number_format(unit: str, decimals: int | None = None) -> str:
    """The d3 format string for a unit: percentages and rates to one decimal, counts whole."""
    if decimals is None:
        decimals = 0 if unit == "count" else 1
    return f",.{decimals}f"


def unit_title(unit: str) -> str:
    """Words for an axis title's unit."""
    return {
        "pct": "%",
        "count": "number",
        "per_fte": "children per FTE IRO",
        "fte": "FTE",
        "per_100": "per 100 reviews",
    }.get(unit, unit)


def format_number(value: float | None, unit: str, decimals: int | None = None) -> str:
    """A value as the charts' tooltips and alt text print it ('80.7%', '1,842')."""
    if value is None:
        return "no value"
    text = format(value, number_format(unit, decimals))
    return f"{text}%" if unit in PERCENT_UNITS else text


def alt_text(chart: alt.TopLevelMixin) -> str:
    """The chart's alt text (its Vega-Lite description)."""
    description = getattr(chart, "description", alt.Undefined)
    return "" if description is alt.Undefined else str(description)


@cache
def _config() -> alt.Config:
    """The theme's Vega-Lite config, built (and checked against the schema) once."""
    return alt.Config(**theme.altair_config())


def _sized(chart: alt.TopLevelMixin, **properties: object) -> alt.TopLevelMixin:
    """``chart.properties(...)`` without re-checking the schema each time: every page rerun
    builds its charts again, and Altair's checks were most of a rerun's time."""
    chart = chart.copy(deep=False)
    for name, value in properties.items():
        setattr(chart, name, value)
    return chart


def _finish(chart: alt.TopLevelMixin, description: str) -> alt.TopLevelMixin:
    finished = _sized(chart, description=description)
    finished.config = _config()
    return finished


def chart_spec(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with its data inline, skipping Altair's schema check."""
    with alt.data_transformers.disable_max_rows():
        return chart.to_dict(validate=False)


def _period_order(frame: pl.DataFrame) -> list[str]:
    return frame.select("period", "period_start").unique().sort("period_start").get_column("period").to_list()


def _series_summary(
    frame: pl.DataFrame, series: str | None, unit: str, decimals: int | None, selected: str | None = None
) -> str:
    """'Latest (Q4 2015-16): A 12.0%, B 3.0%.' from the last period with a value in each series;
    with ``selected`` (a period in the frame), 'Selected (Q2 2015-16): ...' describes that period first."""
    valued = frame.filter(pl.col("value").is_not_null())
    if valued.is_empty():
        return "No values."

    def describe(rows: pl.DataFrame, word: str) -> str:
        label = period_text(rows.get_column("period")[0])
        if series is None:
            return f"{word} ({label}): {format_number(rows.get_column('value')[0], unit, decimals)}."
        parts = [
            f"{row[series]} {format_number(row['value'], unit, decimals)}"
            for row in rows.sort(series).iter_rows(named=True)
        ]
        return f"{word} ({label}): " + ", ".join(parts) + "."

    latest_start = valued.get_column("period_start").max()
    latest = valued.filter(pl.col("period_start") == latest_start)
    chosen = valued.filter(pl.col("period") == selected) if selected else valued.clear()
    if chosen.is_empty() or chosen.get_column("period_start")[0] == latest_start:
        return describe(latest, "Selected" if not chosen.is_empty() else "Latest")
    return describe(chosen, "Selected") + " " + describe(latest, "Latest")


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
    selects that period.

    ``highlight`` (a period label) marks the selected period: a labelled vertical band behind the
    lines, and the alt text describes that period's values first.

    ``reference`` draws a dashed horizontal line (a target or guideline) labelled
    ``reference_label``. ``extra_tooltips`` adds ``(column, title, d3 format)`` tooltips.
    Series are told apart by colour and point shape, so colour is never the only cue.
    """
    fmt = number_format(unit, decimals)
    order = _period_order(trend)
    trend = trend.with_columns(period_label=period_expr(pl.col("period")))
    period_axis = alt.Axis(labelAngle=-45, labelOverlap=True, labelExpr=PERIOD_LABEL_EXPR)
    x = alt.X("period:O", sort=order, title="Period", axis=period_axis)
    y_axis = alt.Axis(format=fmt, tickMinStep=1) if unit == "count" else alt.Axis(format=fmt)
    y = alt.Y("value:Q", title=y_title, axis=y_axis, scale=alt.Scale(zero=unit != "pct"))
    tooltips: list[alt.Tooltip] = [alt.Tooltip("period_label:N", title="Period")]
    encodings: dict = {"x": x, "y": y}
    if series is not None:
        domain = list(series_order) if series_order else sorted(trend.get_column(series).unique().to_list())
        scale = alt.Scale(domain=domain, range=list(theme.PALETTE[: len(domain)]))
        legend_title = series_title or series
        # The legend goes under the plot: beside it, it took most of a half-width chart at 1024 px.
        legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0)
        encodings["color"] = alt.Color(f"{series}:N", scale=scale, title=legend_title, sort=domain, legend=legend)
        encodings["shape"] = alt.Shape(f"{series}:N", title=legend_title, sort=domain, legend=legend)
        tooltips.append(alt.Tooltip(f"{series}:N", title=legend_title))
    tooltips.append(alt.Tooltip("value:Q", title=y_title, format=fmt))
    tooltips += [alt.Tooltip(f"{col}:Q", title=name, format=f) for col, name, f in extra_tooltips]
    encodings["tooltip"] = tooltips

    base = alt.Chart(trend).encode(**encodings)
    line_colour = {} if series is not None else {"color": theme.PRIMARY}
    layers: list = [
        base.mark_line(strokeWidth=2, **line_colour),
        base.mark_point(filled=True, size=50, **line_colour),
    ]
    if clickable:
        pick = alt.selection_point(name=PERIOD_PICK, fields=["period"], on="click", clear="dblclick")
        layers[1] = layers[1].mark_point(filled=True, size=70, cursor="pointer", **line_colour).add_params(pick)
    summary = _series_summary(trend, series, unit, decimals, highlight if highlight in order else None)
    if highlight in order:
        mark = pl.DataFrame({"period": [highlight], "label": [f"Selected: {period_text(highlight)}"]})
        selected = alt.Chart(mark).encode(x=alt.X("period:O", sort=order))
        layers.insert(0, selected.mark_rule(color=theme.ORANGE, strokeWidth=2, strokeDash=[2, 2]))
        layers.append(
            selected.mark_text(align="left", baseline="top", dx=4, dy=2, color=theme.TEXT, fontSize=11).encode(
                y=alt.value(0), text="label:N"
            )
        )
    if reference is not None:
        ref = pl.DataFrame({"reference": [float(reference)], "label": [reference_label or "Reference"]})
        rule = (
            alt.Chart(ref)
            .mark_rule(strokeDash=[6, 4], color=theme.REFERENCE_LINE, strokeWidth=1.5)
            .encode(
                y="reference:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="Line"),
                    alt.Tooltip("reference:Q", title=y_title, format=fmt),
                ],
            )
        )
        text = (
            alt.Chart(ref)
            .mark_text(align="left", dx=4, dy=-6, color=theme.REFERENCE_LINE, fontSize=11)
            .encode(y="reference:Q", x=alt.value(0), text="label:N")
        )
        layers += [rule, text]
        summary += f" Dashed line: {reference_label or 'reference'} at {format_number(reference, unit, decimals)}."
    first, last = (period_text(order[0]), period_text(order[-1])) if order else ("", "")
    description = f"Line chart, {title}, by period, {first} to {last}. {summary}"
    if series is not None:  # the legend under the plot takes its title and a line a series
        height += LEGEND_TITLE_HEIGHT + LEGEND_LINE_HEIGHT * len(domain)
    chart = _sized(alt.layer(*layers), title=title, height=height, width="container")
    return _finish(chart, description)


# Three panels and their spacing (3 x 170 + 2 x 20 pixels) fit the 564-pixel main column of a
# 1024-pixel window with the sidebar open: a faceted chart is drawn at its own width, not the
# container's.
SPARKLINE_WIDTH = 170
SPARKLINE_HEIGHT = 50


def sparkline_grid(
    trend: pl.DataFrame,
    panels: Sequence[tuple[str, str, str, int | None]],
    *,
    highlight: str | None = None,
    columns: int = 3,
) -> alt.TopLevelMixin:
    """Small trend lines with no axes, one panel per indicator, as one faceted chart.

    ``trend`` has columns ``indicator``, ``period``, ``period_start`` and ``value``; ``panels``
    gives, in display order, each panel's ``(indicator, title, unit, decimals)``. Each panel has
    its own vertical scale. ``highlight`` marks one period (the selected one) with a larger point.
    One chart rather than one per indicator: the browser draws a chart per rerun, and a dozen
    small charts cost more than one with a dozen panels. The chart's shape depends only on the
    panel titles and ``columns`` (values go to the tooltip as text, periods are ordered by their
    start and the highlight is a data field), so ``sparkline_grid_spec`` can reuse it for new data.
    """
    panels = _distinct_titles(panels)
    data = _sparkline_grid_data(trend, panels, highlight)
    return _finish(
        _sparkline_grid_shape(data, tuple(title for _, title, _, _ in panels), columns),
        _sparkline_grid_description(trend, panels),
    )


def _distinct_titles(
    panels: Sequence[tuple[str, str, str, int | None]],
) -> list[tuple[str, str, str, int | None]]:
    """Panels are told apart by title: a title used twice gets its indicator id added."""
    titles = [title for _, title, _, _ in panels]
    return [
        (indicator, f"{title} ({indicator})" if titles.count(title) > 1 else title, unit, decimals)
        for indicator, title, unit, decimals in panels
    ]


def _sparkline_grid_shape(data: pl.DataFrame, titles: tuple[str, ...], columns: int) -> alt.TopLevelMixin:
    base = alt.Chart().encode(
        x=alt.X("period:O", sort=alt.EncodingSortField("period_start"), axis=None, title="Period"),
        y=alt.Y("value:Q", axis=None, title="Value", scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("panel:N", title="Indicator"),
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("value_text:N", title="Value"),
        ],
    )
    layers = alt.layer(
        base.mark_line(color=theme.PRIMARY, strokeWidth=1.5),
        base.mark_point(size=12, opacity=0),
        base.transform_filter(alt.datum.selected).mark_point(filled=True, size=40, color=theme.ORANGE),
        # The selected period's value, readable without hovering, at the panel's top right.
        base.transform_filter(alt.datum.selected)
        .mark_text(align="right", baseline="bottom", dy=-2, fontSize=12, fontWeight="bold", color=theme.TEXT)
        .encode(x=alt.value(SPARKLINE_WIDTH), y=alt.value(0), text="value_text:N"),
    )
    layers = _sized(layers, width=SPARKLINE_WIDTH, height=SPARKLINE_HEIGHT)
    # A long title wraps onto a second line at the last space before 27 characters (never cut).
    cut = "lastindexof(slice(datum.label, 0, 27), ' ')"
    header = alt.Header(
        title=None,
        labelAnchor="start",
        labelAlign="left",
        labelFontSize=12,
        labelLimit=SPARKLINE_WIDTH + 20,
        labelExpr=f"length(datum.label) > 26 && {cut} > 0 "
        f"? [slice(datum.label, 0, {cut}), slice(datum.label, {cut} + 1)] : datum.label",
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
        texts = [format_number(v, unit, decimals) for v in points.get_column("value").to_list()]
        parts.append(
            points.select(
                pl.lit(title).alias("panel"),
                "period",
                period_expr(pl.col("period")).alias("period_label"),
                pl.col("period_start").cast(pl.String),
                "value",
                value_text=pl.Series(texts, dtype=pl.String),
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
        "selected": pl.Boolean,
    }
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat([p.cast(schema) for p in parts]).sort("panel", "period_start")


def _sparkline_grid_description(trend: pl.DataFrame, panels: Sequence[tuple[str, str, str, int | None]]) -> str:
    order = _period_order(trend)
    first, last = (period_text(order[0]), period_text(order[-1])) if order else ("", "")
    lines = []
    for indicator, title, unit, decimals in panels:
        points = trend.filter(pl.col("indicator") == indicator)
        lines.append(f"{title}: " + _series_summary(points, None, unit, decimals))
    return f"Trends, {first} to {last}. " + " ".join(lines)


@lru_cache(maxsize=256)
def _sparkline_grid_template(titles: tuple[str, ...], columns: int) -> str:
    spec = chart_spec(
        _finish(_sparkline_grid_shape(_sparkline_grid_data(pl.DataFrame(), (), None), titles, columns), "")
    )
    spec.pop("datasets", None)
    spec.pop("data", None)
    return json.dumps(spec)


def sparkline_grid_spec(
    trend: pl.DataFrame,
    panels: Sequence[tuple[str, str, str, int | None]],
    *,
    highlight: str | None = None,
    columns: int = 3,
) -> dict:
    """``chart_spec(sparkline_grid(...))``, made by filling a cached spec with the data: the
    Overview draws the grid on every rerun."""
    panels = _distinct_titles(panels)
    spec = json.loads(_sparkline_grid_template(tuple(title for _, title, _, _ in panels), columns))
    spec["data"] = {"values": _sparkline_grid_data(trend, panels, highlight).to_dicts()}
    spec["description"] = _sparkline_grid_description(trend, panels)
    return spec


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
        f"{row['group']} {row['count']:,.0f} ({row['pct']:.1f}%)"
        for row in breakdown.sort("count", descending=True).iter_rows(named=True)
        if row["pct"] is not None
    ]
    description = f"Bar chart, {title}: " + "; ".join(parts) + "."
    layered = _sized(
        alt.layer(chart, labels), title=title, height=height or max(120, 28 * len(groups)), width="container"
    )
    return _finish(layered, description)


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
            y=alt.Y("code_label:N", sort=label_order, title=None, axis=alt.Axis(labelLimit=260)),
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
    parts = [f"{r['code']} {r['count']:,.0f}" for r in mix.sort("code").iter_rows(named=True)]
    description = f"Bar chart, {title}: " + "; ".join(parts) + "."
    layered = _sized(alt.layer(chart, labels), title=title, height=28 * max(len(order), 1), width="container")
    return _finish(layered, description)


GRADE_COLOURS: dict[str, str] = {
    "outstanding": theme.DARK_BLUE,
    "good": theme.TURQUOISE,
    "requires_improvement": theme.ORANGE,
    "inadequate": theme.DARK_PINK,
}


def grade_mix_chart(
    mix: pl.DataFrame, *, title: str = "Grades by item", items: Sequence[str] | None = None
) -> alt.TopLevelMixin:
    """100% stacked bars of grades per QA item (columns ``item``, ``grade``, ``count``, ``pct``)."""
    present = set(mix.get_column("item").to_list())
    item_order = [i for i in (items or codes.QA_ITEMS) if i in present]
    frame = mix.filter(pl.col("item").is_in(item_order)).with_columns(
        item_label=pl.col("item").replace_strict(codes.QA_ITEMS, default=pl.col("item")),
        grade_label=pl.col("grade").cast(pl.String).replace_strict(codes.QA_GRADES, default=pl.col("grade")),
        grade_rank=pl.col("grade")
        .cast(pl.String)
        .replace_strict({g: i for i, g in enumerate(codes.QA_GRADE_ORDER)}, default=9, return_dtype=pl.Int32),
    )
    grade_labels = [codes.QA_GRADES[g] for g in codes.QA_GRADE_ORDER]
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "item_label:N",
                sort=[codes.QA_ITEMS[i] for i in item_order],
                title="Item graded",
                axis=alt.Axis(labelLimit=260),
            ),
            x=alt.X("pct:Q", stack="normalize", title="Share of grades", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "grade_label:N",
                sort=grade_labels,
                title="Grade",
                scale=alt.Scale(domain=grade_labels, range=[GRADE_COLOURS[g] for g in codes.QA_GRADE_ORDER]),
            ),
            order=alt.Order("grade_rank:Q"),
            tooltip=[
                alt.Tooltip("item_label:N", title="Item"),
                alt.Tooltip("grade_label:N", title="Grade"),
                alt.Tooltip("count:Q", title="Grades", format=",.0f"),
                alt.Tooltip("pct:Q", title="% of this item's grades", format=".1f"),
            ],
        )
    )
    adequate = (
        frame.group_by("item")
        .agg(
            adequate=pl.col("count").filter(pl.col("grade").cast(pl.String) != "inadequate").sum(),
            total=pl.col("count").sum(),
        )
        .sort("item")
    )
    parts = [
        f"{codes.QA_ITEMS.get(r['item'], r['item'])} {100 * r['adequate'] / r['total']:.1f}% adequate or better"
        for r in adequate.iter_rows(named=True)
        if r["total"]
    ]
    description = f"Stacked bar chart, {title}, outstanding to inadequate: " + "; ".join(parts) + "."
    sized = _sized(chart, title=title, height=26 * max(len(item_order), 1), width="container")
    return _finish(sized, description)


def range_chart(
    ranges: pl.DataFrame,
    council: pl.DataFrame,
    *,
    labels: Mapping[str, str],
    title: str,
    x_title: str = "%",
    unit: str = "pct",
) -> alt.TopLevelMixin:
    """Each indicator's range across areas (``range_min``..``range_max``) with the council value.

    ``ranges`` has columns ``indicator``, ``range_min``, ``range_max``, ``min_area``, ``max_area``;
    ``council`` has ``indicator``, ``value``. ``labels`` gives each indicator's title, in row order.
    """
    order = [labels[i] for i in labels]
    fmt = number_format(unit)
    frame = (
        ranges.join(council.select("indicator", council_value="value"), on="indicator", how="left")
        .filter(pl.col("indicator").is_in(list(labels)))
        .with_columns(label=pl.col("indicator").replace_strict(dict(labels), default=pl.col("indicator")))
        .sort("indicator")
    )
    tooltip = [
        alt.Tooltip("label:N", title="Item"),
        alt.Tooltip("council_value:Q", title="Council", format=fmt),
        alt.Tooltip("range_min:Q", title="Lowest area", format=fmt),
        alt.Tooltip("min_area:N", title="Lowest is"),
        alt.Tooltip("range_max:Q", title="Highest area", format=fmt),
        alt.Tooltip("max_area:N", title="Highest is"),
    ]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(frame).encode(y=y, tooltip=tooltip)
    bar = base.mark_rule(strokeWidth=6, color=theme.TURQUOISE, opacity=0.6).encode(
        x=alt.X(
            "range_min:Q",
            title=x_title,
            axis=alt.Axis(format=",.0f", labelOverlap=True),
            scale=alt.Scale(zero=False, nice=True),
        ),
        x2="range_max:Q",
    )
    ends = (
        base.transform_fold(["range_min", "range_max"], as_=["end", "end_value"])
        .mark_tick(color=theme.TURQUOISE, thickness=2, size=14)
        .encode(x="end_value:Q")
    )
    point = base.mark_point(shape="diamond", filled=True, size=90, color=theme.DARK_BLUE).encode(x="council_value:Q")
    parts = [
        f"{r['label']}: council {format_number(r['council_value'], unit)}, areas "
        f"{format_number(r['range_min'], unit)} ({r['min_area']}) to "
        f"{format_number(r['range_max'], unit)} ({r['max_area']})"
        for r in frame.iter_rows(named=True)
    ]
    description = (
        f"Range chart, {title}: each bar runs from the lowest area to the highest, the diamond is the "
        "council figure. " + "; ".join(parts) + "."
    )
    chart = _sized(alt.layer(bar, ends, point), title=title, height=26 * max(len(order), 1), width="container")
    return _finish(chart, description)


def dispute_heatmap(
    table: pl.DataFrame, *, title: str = "Formal disputes by category and highest level"
) -> alt.TopLevelMixin:
    """Category x highest-level heatmap of formal disputes (columns ``category``, ``level``, ``count``)."""
    frame = table.with_columns(
        category_label=pl.col("category").replace_strict(codes.DISPUTE_CATEGORIES, default=pl.col("category")),
        level_label=pl.format(
            "{}: {}",
            pl.col("level"),
            pl.col("level").replace_strict(codes.DISPUTE_LEVELS, default=pl.col("level").cast(pl.String)),
        ),
    )
    category_order = [codes.DISPUTE_CATEGORIES[c] for c in codes.DISPUTE_CATEGORIES]
    max_count = float(frame.get_column("count").max() or 0)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "level:O",
            sort=list(codes.DISPUTE_LEVELS),
            title="Highest level reached (1 team manager, 2 service manager, 3 AD, 4 director, 5 beyond)",
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("category_label:N", sort=category_order, title="Category", axis=alt.Axis(labelLimit=240)),
        tooltip=[
            alt.Tooltip("category_label:N", title="Category"),
            alt.Tooltip("level_label:N", title="Highest level"),
            alt.Tooltip("count:Q", title="Formal disputes", format=",.0f"),
        ],
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "count:Q",
            title="Formal disputes",
            scale=alt.Scale(range=list(theme.SEQUENTIAL), domain=[0, max(max_count, 1.0)]),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q", format=",.0f"),
        color=alt.condition(alt.datum.count > max_count / 2, alt.value("white"), alt.value(theme.TEXT)),
    )
    totals = frame.group_by("category_label").agg(pl.col("count").sum()).sort("count", descending=True)
    top = [f"{r['category_label']} {r['count']:,.0f}" for r in totals.head(3).iter_rows(named=True) if r["count"]]
    by_level = frame.group_by("level").agg(pl.col("count").sum()).sort("level")
    levels = ", ".join(f"level {r['level']} {r['count']:,.0f}" for r in by_level.iter_rows(named=True))
    description = f"Heatmap, {title}, {frame.get_column('count').sum():,.0f} in all; by level: {levels}. " + (
        f"Most common categories: {'; '.join(top)}." if top else ""
    )
    chart = _sized(alt.layer(rect, text), title=title, height=22 * len(category_order), width="container")
    return _finish(chart, description)


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
    fmt = number_format(unit, decimals)
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
        color=alt.condition("datum.worst", alt.value(theme.ORANGE), alt.value(theme.PRIMARY)),
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
        ref = pl.DataFrame({"council": [float(council_value)], "label": ["Council"]})
        layers.append(
            alt.Chart(ref)
            .mark_rule(strokeDash=[6, 4], color=theme.DARK_GREY, strokeWidth=2)
            .encode(
                x="council:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="Line"),
                    alt.Tooltip("council:Q", title=x_title, format=fmt),
                ],
            )
        )
    parts = [
        f"{r['area']} {format_number(r['value'], unit, decimals)}{' (worst)' if r['worst'] else ''}"
        for r in data.iter_rows(named=True)
    ]
    description = (
        f"Bar chart, {title}, by area{', best first' if ranked else ''}: "
        + "; ".join(parts)
        + f". Council: {format_number(council_value, unit, decimals)}"
        + (" (dashed line)." if council_value is not None else ".")
        + (" Select a bar to choose that area." if clickable else "")
    )
    # The height holds the axis and its title too (autosize "fit"): one or two areas (a dataset
    # with no area template has only "Not recorded") still get room for their bars.
    height = max(30 * len(order), AREA_CHART_MIN_HEIGHT)
    chart = _sized(alt.layer(*layers), title=title, height=height, width="container")
    return _finish(chart, description)


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
        f"{r['question_label']} {format_number(r['value'], 'pct')} of {r['denominator']:,.0f}"
        for r in frame.iter_rows(named=True)
    ]
    description = f"Bar chart, {title}: " + "; ".join(parts) + "."
    chart = _sized(alt.layer(bars, labels), title=title, height=28 * max(len(order), 1), width="container")
    return _finish(chart, description)
