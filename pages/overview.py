"""Overview: the headline scorecard for the selection, with ratings, changes and trends."""

import polars as pl
import streamlit as st

import ui
from iro_metrics import charts, theme, views

selection = ui.page_header(
    "Overview",
    "How the IRO service is doing on its headline indicators: each value with its rating, "
    "its change since the previous period and since the same period last year, and its trend.",
)
view = ui.compute(views.overview_view)
card = view.frames["scorecard"]

if card.is_empty() or not view.values["has_data"]:
    ui.no_data(ui.no_data_message("children in care or reviews"))
    st.stop()

ui.legend()
catalogue = ui.current_catalogue()
previous_label = card.get_column("previous_period")[0]
last_year_label = card.get_column("last_year_period")[0]

COLUMNS = 3
for start in range(0, card.height, COLUMNS):
    columns = st.columns(COLUMNS)
    for column, row in zip(columns, card.slice(start, COLUMNS).iter_rows(named=True), strict=False):
        meta = catalogue[row["indicator"]]
        with column, st.container(border=True):
            st.metric(row["title"], row["display"], help=f"{meta.definition} {views.judging_text(meta)}")
            lines = [ui.mark_html(theme.rag_mark(row["rag"]))]
            comparisons = [(previous_label, row["previous_change_text"], row["direction_vs_previous"])]
            if last_year_label != previous_label:  # a year's previous period is last year already
                comparisons.append((last_year_label, row["last_year_change_text"], row["direction_vs_last_year"]))
            for label, change_text, direction in comparisons:
                if direction is None:
                    lines.append(f"<small>vs {label}: no figure to compare</small>")
                else:
                    lines.append(
                        f"<small>vs {label}: {change_text} {ui.mark_html(theme.direction_mark(direction))}</small>"
                    )
            st.markdown("<br>".join(lines), unsafe_allow_html=True)
            points = view.frames["trend"].filter(pl.col("indicator") == row["indicator"])
            if points.get_column("value").is_not_null().any():
                ui.show_chart(
                    charts.sparkline(points, name=row["title"], unit=meta.unit, highlight=selection.period.label),
                    key=f"spark_{row['indicator']}",
                )

st.subheader("Scorecard table")
table = card.select(
    pl.col("title").alias("Indicator"),
    pl.col("value").alias("Value"),
    pl.col("rag").alias("Rating"),
    pl.col("previous_period").alias("Previous period"),
    pl.col("previous_value").alias("Previous value"),
    pl.col("change_vs_previous").alias("Change vs previous"),
    pl.col("direction_vs_previous").alias("Direction vs previous"),
    pl.col("last_year_period").alias("Same period last year"),
    pl.col("last_year_value").alias("Value last year"),
    pl.col("change_vs_last_year").alias("Change vs last year"),
    pl.col("direction_vs_last_year").alias("Direction vs last year"),
    pl.col("indicator").alias("Indicator id"),
)
ui.show_table(
    table,
    "overview_scorecard",
    column_config={
        c: st.column_config.NumberColumn(format="%.2f")
        for c in ("Value", "Previous value", "Change vs previous", "Value last year", "Change vs last year")
    },
    caption="Changes in percentages are in percentage points. Values are unrounded in the download.",
)
ui.indicator_help(card.get_column("indicator").to_list())
