"""Areas: every indicator across areas side by side, with the council figure."""

import polars as pl
import streamlit as st

from iro_metrics import area_answers, theme
from iro_metrics.charts import bars, common
from iro_metrics.formatting import in_sentence
from iro_metrics.pages.areas import areas_figures, indicator_across_areas
from ui import show, state, widgets

selection = widgets.page_header(
    "Areas",
    "Every indicator for each area side by side, with the council figure, to spot where "
    "performance slips. Staffing and caseloads are each area's IRO team's where the data maps areas "
    "to teams, else the whole service's.",
    say_when_empty=False,  # it says so itself when there is nothing to show
)
view = state.shown(areas_figures(selection))

if not view.has_data:
    widgets.no_data(widgets.no_data_message("children in care or reviews"))
    st.stop()

catalogue = state.current_catalogue()
ids = view.table.get_column("indicator").to_list()

st.subheader("One indicator across areas")
indicator = st.selectbox(
    "Indicator",
    ids,
    format_func=lambda i: catalogue[i].title if i in catalogue else i,
    key="indicator",
    bind="query-params",
)
meta = catalogue[indicator]
ranked = indicator_across_areas(view, indicator, meta)  # best first; every area stays, the chosen marked
council_value = view.value(indicator)
if not ranked.is_empty():
    show.chart(
        bars.area_chart(
            ranked,
            council_value=None if meta.unit == "count" else council_value,
            title=meta.title,
            x_title=common.unit_title(meta.unit),
            unit=meta.unit,
            decimals=meta.decimals,
            clickable=True,
        ),
        key="area_chart",
        pick=bars.AREA_PICK,
    )
    council_text = "Whole-council total" if meta.unit == "count" else "Dashed line: the whole council's figure"
    marked = (
        " Areas you selected are marked (selected); the others are shown for comparison." if selection.areas else ""
    )
    worst = ranked.filter(pl.col("worst")).get_column("area").to_list()
    worst_text = f" Worst: {', '.join(worst)} (orange, marked ◀)." if worst else ""
    st.caption(
        f"Best first. {council_text}, {view.display(indicator)}.{marked} {area_answers.judging_words(meta)}{worst_text} "
        "Select an area's bar to choose that area in the filters (double-click to clear the chart's choice)."
    )
else:
    widgets.no_data(widgets.no_data_message(in_sentence(meta.title)))
widgets.indicator_help([indicator], label="Definition")

st.subheader("Where performance slips")
slips = view.slips  # the chosen areas first, each part most severe first
if slips.is_empty():
    st.success("No area is rated poor or improvement required on any rate with a target.")
else:
    # With every area chosen (the whole council), a "✓ chosen" on every row says nothing: no column.
    chosen_mark = pl.when(pl.col("selected")).then(pl.lit("✓ chosen")).otherwise(pl.lit("")).alias("Chosen")
    show.table(
        slips.select(
            pl.col("title").alias("Indicator"),
            pl.col("area").alias("Area"),
            *([] if slips.get_column("selected").all() else [chosen_mark]),
            pl.col("display").alias("Area value"),
            pl.col("council_display").alias("Council"),
            pl.col("gap_text").alias("Off target by"),
            pl.col("rating")
            .replace_strict({k: f"{m.symbol} {m.label}" for k, m in theme.RAG.items()}, default=pl.col("rating"))
            .alias("Rating"),
        ),
        "areas_where_performance_slips",
        caption="The areas you chose first (marked), then the rest; in each, most severe first: poor before "
        "improvement required, then the furthest from the target. Rates "
        "(percentages and rates per 100 reviews) are rated against each indicator's target and floor from the "
        "catalogue (see Indicator definitions). Counts are not rated by area. An area's rate that its "
        "committee paper withholds for small numbers (c) is not listed.",
    )

st.subheader("Every indicator by area")
by_area = view.display_table.select("Indicator", "Council", pl.exclude("indicator", "Indicator", "Council"))
show.table(
    by_area,
    "indicators_by_area",
    height=600,
    # The indicator stays pinned and each figure column is narrow, so the last area is on screen at
    # 1400 px (issue 26 item 8); a wider table scrolls with the names still in view.
    column_config={
        "Indicator": st.column_config.TextColumn(pinned=True, width="medium"),
        **{c: st.column_config.TextColumn(width="small") for c in by_area.columns[1:]},
    },
    download=view.table,
    caption="The council figure comes first, then each area. The download holds the unrounded values, with each "
    "indicator's id.",
)
