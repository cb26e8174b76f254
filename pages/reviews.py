"""Reviews: how many were held, on time and chaired by IROs, and how children took part."""

import polars as pl
import streamlit as st

from iro_metrics.charts import bars
from iro_metrics.formatting import period_text
from iro_metrics.pages.common import by_period_table
from iro_metrics.pages.reviews import BETWEEN_REVIEWS_IDS, REVIEW_IDS, REVIEW_SECTIONS, reviews_figures
from ui import show, state, widgets

selection = widgets.page_header(
    "Reviews",
    "Statutory reviews held, on time and overdue; who chaired them; how children took part, "
    "including children chairing their own review; and whether minutes went out on time.",
)
view = state.shown(reviews_figures(selection))
widgets.metric_row(view, REVIEW_IDS, changes=view.changes)
widgets.indicator_help(list(REVIEW_IDS))

if not view.has_data:
    widgets.no_data(widgets.no_data_message("reviews held or due"))
    st.stop()

review_trend = view.trend


def series(ids: list[str]) -> pl.DataFrame:
    """The trend rows of some review indicators."""
    return review_trend.filter(pl.col("indicator").is_in(ids))


def measures_trend(frame: pl.DataFrame, *, title: str, y_title: str, counted: str, key: str) -> None:
    """A trend of percentage measures, one line each, with what each counts and out of how many."""
    show.trend(
        frame,
        title=title,
        y_title=y_title,
        unit="pct",
        series="title",
        series_title="Measure",
        extra_tooltips=[("numerator", counted, ",.0f"), ("denominator", "Out of", ",.0f")],
        key=key,
    )


def timeliness() -> None:
    left, right = st.columns(2)
    with left:
        show.trend(series(["reviews_held"]), title="Reviews held", y_title="Reviews", key="reviews_held")
    with right:
        show.trend(
            series(["reviews_overdue"]),
            title="Reviews overdue at the end of each period",
            y_title="Children with an overdue review",
            key="reviews_overdue",
        )
    measures_trend(
        series(["reviews_on_time_pct", "reviews_chaired_by_iro_pct", "minutes_on_time_pct"]),
        title="Timeliness and chairing",
        y_title="% of reviews held",
        counted="Reviews counted",
        key="timeliness",
    )


def start_and_between() -> None:
    left, right = st.columns(2)
    with left:
        measures_trend(
            view.start_of_care_trend,
            title="The IRO told late, and first reviews held on time",
            y_title="%",
            counted="Counted",
            key="start_of_care",
        )
    with right:
        between = series(list(BETWEEN_REVIEWS_IDS))
        if between.get_column("value").is_not_null().any():
            measures_trend(
                between,
                title="Seen before the review, midway contacts, reviews moved",
                y_title="% of reviews",
                counted="Reviews counted",
                key="between_reviews",
            )
        else:
            widgets.no_data(view.between_not_recorded or widgets.no_data_message("reviews with these records"))


def participation() -> None:
    # One above the other: side by side, at 1024 px the PN codes' long labels left the bars no room.
    measures_trend(
        series(["participation_pct", "participation_in_person_pct"]),
        title="Children taking part in their review (aged 4 and over)",
        y_title="% of reviews (PN1-PN7)",
        counted="Reviews",
        key="participation_trend",
    )
    mix = view.participation_mix
    if mix.get_column("count").sum() > 0:
        show.chart(
            bars.participation_chart(mix, title=f"How children took part, {period_text(selection.period)}"),
            key="participation_mix",
        )
    else:
        widgets.no_data(widgets.no_data_message("participation codes recorded"))
    show.table(
        mix.select(
            pl.col("code").alias("Code"),
            pl.col("label").alias("Meaning"),
            pl.col("count").alias("Reviews"),
            pl.col("pct").alias("% of reviews"),
        ),
        "participation_codes",
        column_config={"% of reviews": st.column_config.NumberColumn(format="%.1f")},
    )


def child_chaired() -> None:
    show.trend(
        view.child_chaired_trend,
        title="Reviews chaired by the child, in full or in part",
        y_title="Reviews",
        series="how",
        series_title="Chaired",
        series_order=["Chaired in full", "Chaired part"],
        key="child_chaired",
    )


# Each tab's charts (keys of REVIEW_SECTIONS); only the chosen tab's are drawn.
DRAW_SECTION = {
    "timeliness": timeliness,
    "start_and_between": start_and_between,
    "participation": participation,
    "child_chaired": child_chaired,
}
with show.lazy_tabs(REVIEW_SECTIONS, "reviews_section"):
    DRAW_SECTION[show.chosen_tab(REVIEW_SECTIONS, "reviews_section")]()

show.table_section(
    "Table: every review indicator by period",
    "reviews_by_period",
    lambda: by_period_table(review_trend, "indicator"),
    column_config={c: st.column_config.NumberColumn(format="%.1f") for c in review_trend["indicator"].unique()},
)
