"""Quality assurance: how IRO audits grade care plans, social workers' reports and the Pledge."""

import polars as pl
import streamlit as st

from iro_metrics import codes
from iro_metrics.charts import grids, spreads
from iro_metrics.formatting import period_text
from iro_metrics.pages.quality import (
    CARD_IDS,
    RANGES_NOT_SHOWN,
    charted_item_ranges,
    item_ranges_table,
    quality_figures,
)
from ui import show, state, widgets

selection = widgets.page_header(
    "Quality assurance",
    "How IROs' quality-assurance audits grade care plans over time, every graded item with its "
    "range across areas, the social worker's report for the review, and the Pledge.",
)
view = state.shown(quality_figures(selection))
widgets.metric_row(view, CARD_IDS, changes=view.changes)
widgets.indicator_help(list(CARD_IDS))

if not view.has_data:
    widgets.no_data(widgets.no_data_message("quality-assurance grades"))
    st.stop()

qa_trend = view.trend


def item_trend(item: str) -> pl.DataFrame:
    """Adequate-or-better and good-or-better over time for one graded item."""
    return qa_trend.filter(pl.col("item") == item)


st.subheader("Care plans over time")
show.trend(
    item_trend("care_plan"),
    title="Care plans graded adequate or better, and good or better",
    y_title="% of care plans graded",
    unit="pct",
    series="measure",
    series_title="Grade",
    series_order=["Adequate or better", "Good or better"],
    extra_tooltips=[("numerator", "Plans", ",.0f"), ("denominator", "Graded", ",.0f")],
    key="care_plan_trend",
)

st.subheader(f"Every graded item, {period_text(selection.period)}")
show.chart(grids.grade_mix_chart(view.grade_mix, title="Grades by item"), key="grade_mix")
ranges = charted_item_ranges(view.item_ranges)
if ranges.height > 0:
    show.chart(
        spreads.range_chart(
            ranges,
            ranges.select("indicator", value="council"),
            labels={i: codes.QA_ITEMS.get(item, item) for i, item in ranges.select("indicator", "item").rows()},
            title="Adequate or better: range across areas (bar) and council (diamond)",
            x_title="% adequate or better",
        ),
        key="item_ranges",
    )
table = item_ranges_table(view.item_ranges)
show.table(
    table,
    "qa_items_range_across_areas",
    column_config={
        c: st.column_config.NumberColumn(format="%.1f")
        for c in ("Council %", "Lowest area %", "Highest area %")
        if c in table.columns
    },
    caption=None if ranges.height > 0 else RANGES_NOT_SHOWN,
)

left, right = st.columns(2)
for column, item in ((left, "sw_report"), (right, "pledge")):
    with column:
        label = codes.QA_ITEMS[item]
        show.trend(
            item_trend(item),
            title=label,
            y_title="% graded",
            unit="pct",
            series="measure",
            series_title="Grade",
            series_order=["Adequate or better", "Good or better"],
            extra_tooltips=[("numerator", "Grades", ",.0f"), ("denominator", "Graded", ",.0f")],
            key=f"{item}_trend",
        )

show.table_section(
    "Table: grades by item",
    "qa_grade_mix",
    lambda: view.grade_mix.select(
        pl.col("item").replace_strict(codes.QA_ITEMS, default=pl.col("item")).alias("Item"),
        pl.col("grade").cast(pl.String).replace_strict(codes.QA_GRADES, default=None).alias("Grade"),
        pl.col("count").alias("Grades"),
        pl.col("pct").alias("% of item's grades"),
    ),
    column_config={"% of item's grades": st.column_config.NumberColumn(format="%.1f")},
)
