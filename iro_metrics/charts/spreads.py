"""The range chart: each indicator's lowest-to-highest spread across areas, with the council figure."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import polars as pl

from iro_metrics import theme
from iro_metrics.charts import common
from iro_metrics.formatting import d3_format, value_text


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
    fmt = d3_format(unit)
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
        x2=alt.X2("range_max:Q"),
    )
    ends = (
        base.transform_fold(["range_min", "range_max"], as_=["end", "end_value"])
        .mark_tick(color=theme.TURQUOISE, thickness=2, size=14)
        .encode(x=alt.X("end_value:Q"))
    )
    point = base.mark_point(shape="diamond", filled=True, size=90, color=theme.DARK_BLUE)
    point = point.encode(x=alt.X("council_value:Q"))
    parts = [
        f"{r['label']}: council {value_text(r['council_value'], unit, missing=common.NO_VALUE)}, areas "
        f"{value_text(r['range_min'], unit, missing=common.NO_VALUE)} ({r['min_area']}) to "
        f"{value_text(r['range_max'], unit, missing=common.NO_VALUE)} ({r['max_area']})"
        for r in frame.iter_rows(named=True)
    ]
    description = (
        f"Range chart, {title}: each bar runs from the lowest area to the highest, the diamond is the "
        "council figure. " + "; ".join(parts) + "."
    )
    chart = common.sized(alt.layer(bar, ends, point), title=title, height=26 * max(len(order), 1), width="container")
    return common.finish(chart, description)
