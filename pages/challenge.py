"""Challenge: late notifications to the IRO service, and the disputes IROs raise."""

import polars as pl
import streamlit as st

from iro_metrics.charts import grids, oversight
from iro_metrics.formatting import period_text
from iro_metrics.pages.challenge import CHALLENGE_IDS, challenge_figures
from iro_metrics.pages.common import by_period_table
from ui import show, state, widgets

selection = widgets.page_header(
    "Challenge",
    "How often the IRO service hears late that a child has come into care, and how IROs "
    "challenge practice: formal and informal disputes over time, and how far formal disputes go.",
)
view = state.shown(challenge_figures(selection))
widgets.metric_row(view, CHALLENGE_IDS, changes=view.changes)
widgets.indicator_help(list(CHALLENGE_IDS))

if not view.has_data:
    widgets.no_data(widgets.no_data_message("children coming into care, reviews or disputes"))
    st.stop()

challenge_trend = view.trend
left, right = st.columns(2)
with left:
    show.trend(
        challenge_trend.filter(pl.col("indicator") == "late_notifications_pct"),
        title="Late notifications of children coming into care",
        y_title="% of children starting care",
        unit="pct",
        extra_tooltips=[("numerator", "Late", ",.0f"), ("denominator", "Started care", ",.0f")],
        key="late_notifications",
    )
with right:
    show.trend(
        view.disputes_trend,
        title="Disputes raised by IROs",
        y_title="Disputes",
        series="route",
        series_title="Route",
        series_order=["Formal", "Informal"],
        key="disputes_trend",
    )

st.subheader(f"Formal disputes by category and highest level, {period_text(selection.period)}")
if view.has_formal:
    left, right = st.columns([3, 2])
    with left:
        show.chart(grids.dispute_heatmap(view.by_category_level), key="dispute_heatmap")
    with right:
        show.table(view.category_table, "formal_disputes_by_category_level", height=560)
else:
    widgets.no_data(widgets.no_data_message("formal disputes"))

st.subheader(f"Formal disputes open at {selection.period.end_label}, by age and level")
if view.open_not_recorded:
    widgets.no_data(view.open_not_recorded)
elif view.open_sentence is None:
    widgets.no_data(widgets.no_data_message("formal disputes"))
else:
    st.write(view.open_sentence)
    if view.open_ages.get_column("count").sum() > 0:
        show.chart(
            oversight.open_dispute_age_chart(
                view.open_ages, title=f"Open formal disputes at {selection.period.end_label}"
            ),
            key="open_dispute_ages",
        )

show.table_section(
    "Table: every challenge indicator by period",
    "challenge_by_period",
    lambda: by_period_table(challenge_trend, "indicator"),
    column_config={c: st.column_config.NumberColumn(format="%.1f") for c in challenge_trend["indicator"].unique()},
)
