"""Charts of the oversight measures: open disputes by age and level, IRO caseloads against the guideline."""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics import codes, theme
from iro_metrics.charts import common
from iro_metrics.formatting import number_text

CASELOAD_BIN_WIDTH = 10  # children per FTE in each bar of the caseload chart


def open_dispute_age_chart(table: pl.DataFrame, *, title: str) -> alt.TopLevelMixin:
    """Stacked horizontal bars: open formal disputes per highest level, split by age band.

    ``table`` is ``open_disputes_by_age_level``. The bands differ by colour and by position (always
    in age order from the left) and each segment is labelled with its count, so colour is not the only cue.
    """
    bands = list(codes.DISPUTE_AGE_BANDS)
    frame = table.with_columns(
        level_text=pl.format("{}: {}", pl.col("level"), pl.col("level_label")),
        age_band=pl.col("age_band").cast(pl.String),
        band_order=pl.col("age_band").to_physical(),
    )
    levels = frame.select("level_text").unique(maintain_order=True).get_column("level_text").to_list()
    base = alt.Chart(frame.filter(pl.col("count") > 0))
    bars = base.mark_bar(stroke="white").encode(
        y=alt.Y("level_text:N", sort=levels, title="Highest level so far", axis=alt.Axis(labelLimit=220)),
        x=alt.X("count:Q", stack="zero", title="Open formal disputes", axis=alt.Axis(format=",.0f", tickMinStep=1)),
        color=alt.Color(
            "age_band:N",
            sort=bands,
            title="Age (working days since raised)",
            scale=alt.Scale(domain=bands, range=[theme.PALETTE[1], theme.PALETTE[3], theme.PALETTE[2]]),
            legend=alt.Legend(orient="bottom"),
        ),
        order=alt.Order("band_order:Q"),
        tooltip=[
            alt.Tooltip("level_text:N", title="Highest level"),
            alt.Tooltip("age_band:N", title="Age"),
            alt.Tooltip("count:Q", title="Open formal disputes", format=",.0f"),
        ],
    )
    labels = base.mark_text(color="white", fontSize=11, dx=-4, align="right").encode(
        y=alt.Y("level_text:N", sort=levels),
        x=alt.X("count:Q", stack="zero", bandPosition=1),
        detail=alt.Detail("age_band:N"),
        order=alt.Order("band_order:Q"),
        text=alt.Text("count:Q", format=",.0f"),
    )
    by_band = frame.group_by("age_band", "band_order").agg(pl.col("count").sum()).sort("band_order")
    parts = "; ".join(f"{r['age_band']} {number_text(r['count'])}" for r in by_band.iter_rows(named=True))
    total = frame.get_column("count").sum()
    description = f"Stacked bar chart, {title}: {number_text(total)} open in all; by age: {parts}."
    # Streamlit fits the whole chart (title, axis and the legend below) into ``height``.
    shown_levels = frame.filter(pl.col("count") > 0).get_column("level_text").n_unique()
    chart = common.sized(
        alt.layer(bars, labels), title=title, height=34 * max(shown_levels, 1) + 130, width="container"
    )
    return common.finish(chart, description)


def caseload_distribution_chart(caseloads: pl.DataFrame, *, guideline: float, title: str) -> alt.TopLevelMixin:
    """Bars of how many IROs carry each caseload band (children per FTE), the guideline marked.

    ``caseloads`` is ``iro_caseload_distribution``: no IRO is named, only how many fall in each band.
    """
    width = CASELOAD_BIN_WIDTH
    binned = (
        caseloads.with_columns(low=(pl.col("caseload") // width * width).cast(pl.Int64))
        .group_by("low")
        .agg(iros=pl.len())
        .sort("low")
        .with_columns(
            high=pl.col("low") + width,
            band=pl.format("{}-{}", pl.col("low"), pl.col("low") + width - 1),
            above=pl.col("low") >= guideline,
        )
    )
    over = int(caseloads.get_column("over_guideline").sum())
    bars = (
        alt.Chart(binned)
        .mark_bar(stroke="white")
        .encode(
            x=alt.X("low:Q", bin="binned", title="Children in care per FTE", axis=alt.Axis(format=",.0f")),
            x2=alt.X2("high:Q"),
            y=alt.Y("iros:Q", title="IROs", axis=alt.Axis(format=",.0f", tickMinStep=1)),
            color=common.colour_if(alt.datum.above, theme.PALETTE[3], theme.PRIMARY),
            tooltip=[
                alt.Tooltip("band:N", title="Children per FTE"),
                alt.Tooltip("iros:Q", title="IROs", format=",.0f"),
            ],
        )
    )
    rule_frame = pl.DataFrame({"guideline": [guideline], "label": [f"Guideline {guideline:,.0f}: {over} above"]})
    rule = (
        alt.Chart(rule_frame)
        .mark_rule(color=theme.REFERENCE_LINE, strokeDash=[6, 4], strokeWidth=2)
        .encode(x=alt.X("guideline:Q"))
    )
    rule_text = (
        alt.Chart(rule_frame)
        .mark_text(align="left", dx=5, dy=-5, color=theme.TEXT, fontSize=12, baseline="top")
        .encode(x=alt.X("guideline:Q"), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    n = caseloads.height
    median = caseloads.get_column("caseload").median() if n else None
    description = (
        f"Bar chart, {title}: {number_text(n)} IROs with children allocated"
        + (f", median {median:,.1f} children per FTE" if median is not None else "")
        + f"; {number_text(over)} above the guideline of {guideline:,.0f}."
    )
    chart = common.sized(alt.layer(bars, rule, rule_text), title=title, height=300, width="container")
    return common.finish(chart, description)
