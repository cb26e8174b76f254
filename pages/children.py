"""Children in care and caseloads: how many children, who they are, and IRO caseloads."""

import polars as pl
import streamlit as st

import ui
from how_we_compare_panel import show_how_we_compare
from iro_metrics import cards, views
from iro_metrics.charts import bars
from iro_metrics.formatting import period_expr

selection = ui.page_header(
    "Children in care and caseloads",
    "How many children are in care, who starts and stops being looked after, who the children "
    "are, and how many children each IRO holds against the guideline of 70.",
)
view = ui.compute(views.children_view)
ui.metric_row(view, views.WORKLOAD_IDS, changes=ui.compute(cards.card_changes, indicators=views.WORKLOAD_IDS))
ui.indicator_help(list(views.WORKLOAD_IDS))

if not view.values["has_data"]:
    ui.no_data(ui.no_data_message("children in care, starting or ceasing care"))
else:
    st.subheader("Children in care over time")
    in_care = view.frames["in_care_trend"]
    ui.show_trend(
        in_care,
        title="Children in care at the end of each period, by cohort",
        y_title="Children in care",
        series="cohort",
        series_title="Cohort",
        key="in_care_trend",
    )
    with st.expander("Table: children in care by cohort"):
        ui.show_table(
            in_care.select(
                period_expr(pl.col("period")).alias("Period"),
                pl.col("cohort").alias("Cohort"),
                pl.col("value").alias("Children"),
            ),
            "children_in_care_by_cohort",
        )

    st.subheader("Starting and ceasing care")
    flows = view.frames["flows_trend"]
    ui.show_trend(
        flows,
        title="Children starting and ceasing care in each period",
        y_title="Children",
        series="title",
        series_title="Measure",
        key="flows_trend",
    )
    with st.expander("Table: starting and ceasing care"):
        ui.show_table(
            flows.pivot(on="title", index="period", values="value", sort_columns=True).select(
                period_expr(pl.col("period")).alias("Period"), pl.exclude("period")
            ),
            "children_starting_ceasing",
        )

    st.subheader(f"Who the children are, {selection.period.end_label}")
    tabs = st.tabs(list(views.BREAKDOWNS.values()))
    for tab, (by, label) in zip(tabs, views.BREAKDOWNS.items(), strict=True):
        with tab:
            frame = view.frames[f"by_{by}"]
            left, right = st.columns([3, 2])
            with left:
                ui.show_chart(
                    bars.breakdown_chart(
                        frame,
                        title=f"Children in care by {label.lower()}",
                        group_title=label,
                        order=views.BREAKDOWN_ORDER.get(by),
                    ),
                    key=f"breakdown_{by}",
                )
            with right:
                ui.show_table(
                    frame.select(
                        pl.col("group").alias(label), pl.col("count").alias("Children"), pl.col("pct").alias("%")
                    ),
                    f"children_by_{by}",
                    column_config={"%": st.column_config.NumberColumn(format="%.1f")},
                )

st.subheader("IRO caseloads (whole service)")
st.caption("Staffing is per IRO team, so caseloads always cover the whole service, whatever the filters.")
caseloads = view.frames["caseload_trend"]
if caseloads.get_column("value").is_not_null().any():
    guideline = view.values["caseload_guideline"]
    ui.show_trend(
        caseloads,
        title="Children in care per full-time IRO",
        y_title="Children per FTE IRO",
        unit="per_fte",
        series="title",
        series_title="Measure",
        reference=guideline,
        reference_label=f"Guideline: {guideline:.0f} per FTE",
        key="caseload_trend",
    )
    with st.expander("Table: caseloads"):
        ui.show_table(
            caseloads.select(
                period_expr(pl.col("period")).alias("Period"),
                pl.col("title").alias("Measure"),
                pl.col("numerator").alias("Children in care"),
                pl.col("denominator").alias("FTE"),
                pl.col("value").alias("Children per FTE"),
            ),
            "caseloads",
            column_config={"Children per FTE": st.column_config.NumberColumn(format="%.2f")},
        )
else:
    ui.no_data("There are no IRO staffing records for this period, so caseloads cannot be worked out.")

show_how_we_compare("children")
