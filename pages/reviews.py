"""Reviews: how many were held, on time and chaired by IROs, and how children took part."""

import polars as pl
import streamlit as st

import ui
from iro_metrics import cards, views
from iro_metrics.charts import bars
from iro_metrics.formatting import period_expr, period_text

selection = ui.page_header(
    "Reviews",
    "Statutory reviews held, on time and overdue; who chaired them; how children took part, "
    "including children chairing their own review; and whether minutes went out on time.",
)
view = ui.compute(views.reviews_view)
ui.metric_row(view, views.REVIEW_IDS, changes=ui.compute(cards.card_changes, indicators=views.REVIEW_IDS))
ui.indicator_help(list(views.REVIEW_IDS))

if not view.values["has_data"]:
    ui.no_data(ui.no_data_message("reviews held or due"))
    st.stop()

review_trend = view.frames["trend"]


def series(ids: list[str]) -> pl.DataFrame:
    """The trend rows of some review indicators."""
    return review_trend.filter(pl.col("indicator").is_in(ids))


left, right = st.columns(2)
with left:
    ui.show_trend(series(["reviews_held"]), title="Reviews held", y_title="Reviews", key="reviews_held")
with right:
    ui.show_trend(
        series(["reviews_overdue"]),
        title="Reviews overdue at the end of each period",
        y_title="Children with an overdue review",
        key="reviews_overdue",
    )

ui.show_trend(
    series(["reviews_on_time_pct", "reviews_chaired_by_iro_pct", "minutes_on_time_pct"]),
    title="Timeliness and chairing",
    y_title="% of reviews held",
    unit="pct",
    series="title",
    series_title="Measure",
    extra_tooltips=[("numerator", "Reviews counted", ",.0f"), ("denominator", "Out of", ",.0f")],
    key="timeliness",
)

st.subheader("Participation")
# One above the other: side by side, at 1024 px the PN codes' long labels left the bars no room.
left, right = st.container(), st.container()
with left:
    ui.show_trend(
        series(["participation_pct", "participation_in_person_pct"]),
        title="Children taking part in their review (aged 4 and over)",
        y_title="% of reviews (PN1-PN7)",
        unit="pct",
        series="title",
        series_title="Measure",
        extra_tooltips=[("numerator", "Reviews", ",.0f"), ("denominator", "Out of", ",.0f")],
        key="participation_trend",
    )
with right:
    mix = view.frames["participation_mix"]
    if mix.get_column("count").sum() > 0:
        ui.show_chart(
            bars.participation_chart(mix, title=f"How children took part, {period_text(selection.period.label)}"),
            key="participation_mix",
        )
    else:
        ui.no_data(ui.no_data_message("participation codes recorded"))
ui.show_table(
    mix.select(
        pl.col("code").alias("Code"),
        pl.col("label").alias("Meaning"),
        pl.col("count").alias("Reviews"),
        pl.col("pct").alias("% of reviews"),
    ),
    "participation_codes",
    column_config={"% of reviews": st.column_config.NumberColumn(format="%.1f")},
)

st.subheader("Children chairing their review")
ui.show_trend(
    view.frames["child_chaired_trend"],
    title="Reviews chaired by the child, in full or in part",
    y_title="Reviews",
    series="how",
    series_title="Chaired",
    series_order=["Chaired in full", "Chaired part"],
    key="child_chaired",
)

with st.expander("Table: every review indicator by period"):
    ui.show_table(
        review_trend.pivot(on="indicator", index="period", values="value", sort_columns=False).select(
            period_expr(pl.col("period")).alias("Period"), pl.exclude("period")
        ),
        "reviews_by_period",
        column_config={c: st.column_config.NumberColumn(format="%.1f") for c in review_trend["indicator"].unique()},
    )
