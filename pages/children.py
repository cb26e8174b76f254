"""Children in care and caseloads: how many children, who they are, and IRO caseloads."""

import polars as pl
import streamlit as st

from iro_metrics.charts import bars, oversight
from iro_metrics.formatting import period_expr
from iro_metrics.pages.children import (
    BREAKDOWN_ORDER,
    BREAKDOWNS,
    WORKLOAD_IDS,
    caseload_scope_text,
    children_figures,
)
from iro_metrics.pages.common import by_period_table
from ui import app_auth, show, state, widgets
from ui.how_we_compare_panel import show_how_we_compare

selection = widgets.page_header(
    "Children in care and caseloads",
    "How many children are in care, who starts and stops being looked after, who the children "
    "are, and how many children each IRO holds against the guideline of 70.",
)
breakdown = show.chosen_tab(BREAKDOWNS, "breakdown")  # only the chosen tab's breakdown is worked out and drawn
view = state.shown(children_figures(selection, with_iro_ids=app_auth.may("see_iros"), breakdowns=(breakdown,)))
widgets.metric_row(view, WORKLOAD_IDS, changes=view.changes)
widgets.indicator_help(list(WORKLOAD_IDS))

if not view.has_data:
    widgets.no_data(widgets.no_data_message("children in care, starting or ceasing care"))
else:
    st.subheader("Children in care over time")
    in_care = view.in_care_trend
    show.trend(
        in_care,
        title="Children in care at the end of each period, by cohort",
        y_title="Children in care",
        series="cohort",
        series_title="Cohort",
        key="in_care_trend",
    )
    if view.uasc_split_not_recorded:  # without the UASC table the split is not recorded, not zero
        st.caption(view.uasc_split_not_recorded)
    show.table_section(
        "Table: children in care by cohort",
        "children_in_care_by_cohort",
        lambda: in_care.select(
            period_expr(pl.col("period")).alias("Period"),
            pl.col("cohort").alias("Cohort"),
            pl.col("value").alias("Children"),
        ),
    )

    st.subheader("Starting and ceasing care")
    flows = view.flows_trend
    show.trend(
        flows,
        title="Children starting and ceasing care in each period",
        y_title="Children",
        series="title",
        series_title="Measure",
        key="flows_trend",
    )
    show.table_section(
        "Table: starting and ceasing care",
        "children_starting_ceasing",
        lambda: by_period_table(flows, "title", sort_columns=True),
    )

    st.subheader(f"Who the children are, {selection.period.end_label}")
    with show.lazy_tabs(BREAKDOWNS, "breakdown"):  # the chosen tab's container: the others are not drawn
        label, frame = BREAKDOWNS[breakdown], view.breakdowns[breakdown]
        left, right = st.columns([3, 2])
        with left:
            show.chart(
                bars.breakdown_chart(
                    frame,
                    title=f"Children in care by {label.lower()}",
                    group_title=label,
                    order=BREAKDOWN_ORDER.get(breakdown),
                ),
                key=f"breakdown_{breakdown}",
            )
        with right:
            show.table(
                frame.select(pl.col("group").alias(label), pl.col("count").alias("Children"), pl.col("pct").alias("%")),
                f"children_by_{breakdown}",
                column_config={"%": st.column_config.NumberColumn(format="%.1f")},
            )

st.subheader(f"IRO caseloads ({view.caseload_scope})")
st.caption(caseload_scope_text(view.caseload_scope))
caseloads = view.caseload_trend
if caseloads.get_column("value").is_not_null().any():
    guideline = view.caseload_guideline
    show.trend(
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
    show.table_section(
        "Table: caseloads",
        "caseloads",
        lambda: caseloads.select(
            period_expr(pl.col("period")).alias("Period"),
            pl.col("title").alias("Measure"),
            pl.col("numerator").alias("Children in care"),
            pl.col("denominator").alias("FTE"),
            pl.col("value").alias("Children per FTE"),
        ),
        column_config={"Children per FTE": st.column_config.NumberColumn(format="%.2f")},
    )
else:
    widgets.no_data("There are no IRO staffing records for this period, so caseloads cannot be worked out.")

st.subheader(f"Each IRO's caseload at {selection.period.end_label} (whole service)")
if view.iro_caseload_not_recorded:
    widgets.no_data(view.iro_caseload_not_recorded)
elif view.iro_caseload_sentence is None:
    widgets.no_data(widgets.no_data_message("IROs with children allocated"))
else:
    st.write(view.iro_caseload_sentence)
    show.chart(
        oversight.caseload_distribution_chart(
            view.iro_caseloads,
            guideline=view.caseload_guideline,
            title=f"IROs by caseload at {selection.period.end_label}",
        ),
        key="iro_caseload_distribution",
    )
    if view.iro_caseload_table is not None:  # the importer role only: IRO ids are staff data
        show.table_section(
            "Table: each IRO's caseload (importers only)",
            "iro_caseloads_by_iro",
            lambda: view.iro_caseload_table,
            column_config={
                "FTE": st.column_config.NumberColumn(format="%.1f"),
                "Caseload": st.column_config.NumberColumn(format="%.2f"),
            },
            caption="Pseudonymous IRO ids, for the importer role only; other roles see the distribution above.",
        )

show_how_we_compare(selection.ds, "children")
