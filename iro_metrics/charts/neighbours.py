"""Altair charts for "How we compare": the council among its statistical neighbours, and the trend.

The council is never marked by colour alone: its bar is labelled "(this council)" and drawn in the
palette's contrasting colour; the trend's series differ in colour, dash and point shape.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics import theme
from iro_metrics.benchmarks.compare import SERIES, Comparison, display
from iro_metrics.benchmarks.read import MEASURE_BY_ID
from iro_metrics.charts import common
from iro_metrics.periods import fy_label

THIS_COUNCIL = " (this council)"


def _unit(measure_id: str) -> str:
    return "%" if MEASURE_BY_ID[measure_id].unit == "percent" else "per 10,000 children"


def neighbour_ranking(comparison: Comparison, measure_id: str) -> pl.DataFrame:
    """The council and its neighbours for one measure, highest first: name, value, shown, is_council, rank."""
    frame = comparison.neighbours.filter((pl.col("measure") == measure_id) & pl.col("value").is_not_null())
    measure = MEASURE_BY_ID[measure_id]
    return (
        frame.sort(["value", "name"], descending=[True, False])
        .with_columns(
            name=pl.when("is_council").then(pl.col("name") + THIS_COUNCIL).otherwise("name"),
            rank=pl.int_range(1, pl.len() + 1),
            shown=pl.col("value").map_elements(lambda v: display(v, measure), return_dtype=pl.String),
        )
        .select("rank", "name", "value", "shown", "is_council")
    )


def neighbour_chart(comparison: Comparison, measure_id: str) -> alt.TopLevelMixin:
    """A ranked bar chart of the council and its statistical neighbours for one measure."""
    measure = MEASURE_BY_ID[measure_id]
    ranked = neighbour_ranking(comparison, measure_id)
    row = next(m for m in comparison.measures if m.measure.id == measure_id)
    order = ranked["name"].to_list()
    base = alt.Chart(alt.Data(values=ranked.to_dicts())).encode(
        y=alt.Y("name:N", sort=order, title=None),
        x=alt.X("value:Q", title=_unit(measure_id)),
        tooltip=[alt.Tooltip("name:N", title="Council"), alt.Tooltip("shown:N", title="Figure")],
    )
    bars = base.mark_bar().encode(color=common.colour_if(alt.datum.is_council, theme.DARK_PINK, theme.DARK_BLUE))
    labels = base.mark_text(align="left", dx=3, color=theme.TEXT).encode(text=alt.Text("shown:N"))
    council = next((r for r in ranked.iter_rows(named=True) if r["is_council"]), None)
    where = f"{council['name']} is ranked {council['rank']} of {ranked.height}" if council else "No council figure"
    description = (
        f"{measure.label}, {fy_label(row.year - 1)}: {comparison.authority_name} and its statistical neighbours, "
        f"highest first. {where}."
    )
    chart = common.sized(bars + labels, title=f"Statistical neighbours, {fy_label(row.year - 1)}", height=alt.Step(22))
    return common.finish(chart, description)


def trend_frame(comparison: Comparison, measure_id: str) -> pl.DataFrame:
    """The trend of one measure: year label, series, value (no empty values)."""
    return (
        comparison.trend.filter((pl.col("measure") == measure_id) & pl.col("value").is_not_null())
        .with_columns(period=pl.col("year").map_elements(lambda y: fy_label(y - 1), return_dtype=pl.String))
        .with_columns(pl.col("series").cast(pl.String))
        .sort("year", "series")
        .select("year", "period", "series", "value")
    )


def trend_chart(comparison: Comparison, measure_id: str) -> alt.TopLevelMixin:
    """The council's figure beside England, its region and its neighbours' median, year by year."""
    measure = MEASURE_BY_ID[measure_id]
    frame = trend_frame(comparison, measure_id)
    present = [s for s in SERIES if s in frame["series"].unique().to_list()]
    dashes = {
        "Council (own data)": [1, 0],
        "Council (published)": [6, 3],
        "England": [2, 2],
        "Region": [8, 2, 2, 2],
        "Neighbours' median": [4, 4],
    }
    # The council in the ranking chart's colour; England in grey, as a reference.
    colours = dict(
        zip(SERIES, (theme.DARK_PINK, theme.ORANGE, theme.DARK_GREY, theme.TURQUOISE, theme.DARK_BLUE), strict=True)
    )
    shapes = dict(zip(SERIES, ["circle", "diamond", "square", "triangle-up", "cross"], strict=True))
    encode_series = {
        "color": alt.Color(
            "series:N", title=None, scale=alt.Scale(domain=present, range=[colours[s] for s in present])
        ),
        "strokeDash": alt.StrokeDash(
            "series:N", title=None, scale=alt.Scale(domain=present, range=[dashes[s] for s in present])
        ),
    }
    base = alt.Chart(alt.Data(values=frame.to_dicts())).encode(
        x=alt.X("period:O", title=None, sort=frame.sort("year")["period"].unique(maintain_order=True).to_list()),
        y=alt.Y("value:Q", title=_unit(measure_id)),
        tooltip=[
            alt.Tooltip("period:N", title="Year"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip("value:Q", title="Figure", format=",.1f"),
        ],
    )
    lines = base.mark_line().encode(**encode_series)
    points = base.mark_point(filled=True, size=50).encode(
        color=encode_series["color"],
        shape=alt.Shape("series:N", title=None, scale=alt.Scale(domain=present, range=[shapes[s] for s in present])),
    )
    latest = frame.filter(pl.col("year") == frame["year"].max()) if frame.height else frame
    summary = ", ".join(f"{s} {display(v, measure)}" for s, v in latest.select("series", "value").iter_rows())
    description = f"{measure.label} by year. Latest ({latest['period'][0] if latest.height else 'none'}): {summary}."
    return common.finish(common.sized(lines + points, title="Over the years", height=260), description)
