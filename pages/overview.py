"""Overview: the headline scorecard for the selection, with ratings, changes and trends."""

import polars as pl
import streamlit as st

from iro_metrics import theme
from iro_metrics.charts import trends
from iro_metrics.formatting import period_text
from iro_metrics.pages.common import council_beside, judging_text
from iro_metrics.pages.overview import overview_figures
from ui import show, state, widgets
from ui.how_we_compare_panel import show_how_we_compare

selection = widgets.page_header(
    "Overview",
    "How the IRO service is doing on its headline indicators: each value with its rating, "
    "its change since the previous period and since the same period last year, and its trend.",
    say_when_empty=False,  # it says so itself when there is nothing to show
)
view = state.shown(overview_figures(selection))
card = view.scorecard

if card.is_empty() or not view.has_data:
    widgets.no_data(widgets.no_data_message("children in care or reviews"))
    st.stop()

widgets.legend()
catalogue = state.current_catalogue()
previous_label = card.get_column("previous_period")[0]
last_year_label = card.get_column("last_year_period")[0]

beside = council_beside(selection, card.get_column("indicator").to_list())  # None for the whole council
council_rows = {r["indicator"]: r for r in beside.iter_rows(named=True)} if beside is not None else {}
COLUMNS = 4  # two rows of cards above the fold at 1024x768 (issue 26 item 8)
cards = st.container(key="overview_cards")
for start in range(0, card.height, COLUMNS):
    columns = cards.columns(COLUMNS)
    for column, row in zip(columns, card.slice(start, COLUMNS).iter_rows(named=True), strict=False):
        meta = catalogue[row["indicator"]]
        lines = [] if row["not_recorded"] else [f"<small>{widgets.mark_html(theme.rag_mark(row['rag']))}</small>"]
        if row["not_recorded"]:  # not recorded is not zero: say why, and what to import to get it
            lines.append(f"<small>{row['not_recorded']}</small>")
        elif row["base"]:  # a percentage on a small base shows its base
            lines.append(f"<small>Small base: {row['base']}</small>")
        if row.get("scope") and not row["not_recorded"]:  # what a caseload covers (whole service or team)
            lines.append(f"<small>Covers: {row['scope']}</small>")
        if row["indicator"] in council_rows:  # an area's card: the council beside it, and the gap
            lines.append(widgets.council_line(council_rows[row["indicator"]]))
        lines += widgets.change_lines(row, previous_label, last_year_label)
        with column, st.container(border=True):  # filled columns only: no empty boxes in a short last row
            st.metric(row["title"], row["display"], help=f"{meta.definition} {judging_text(meta)}")
            st.markdown("<br>".join(lines), unsafe_allow_html=True)

panels = view.trend_panels
if panels:
    st.subheader("Trends")
    st.caption(
        "The three years round the period selected; each panel has its own scale. The orange point is the period "
        "selected, its value printed above the panel's right end. Hover for the other periods' values; select a "
        "period to choose it. Each topic page has the whole history."
    )
    spec = trends.sparkline_grid_spec(view.trend, panels, highlight=selection.period.label, clickable=True)
    show.chart(spec, key="trends", pick=trends.PERIOD_PICK)

st.subheader("Scorecard table")
comparisons = {previous_label: ("previous_change_text", "direction_vs_previous")}
comparisons.setdefault(last_year_label, ("last_year_change_text", "direction_vs_last_year"))
shown = card.select(
    pl.col("title").alias("Indicator"),
    pl.col("display").alias("Value"),
    pl.when(pl.col("not_recorded").is_not_null())
    .then(pl.lit("not recorded"))
    .otherwise(pl.col("rag").fill_null("not rated"))
    .alias("Rating"),
    *[
        pl.format("{} ({})", pl.col(text), pl.col(direction).fill_null("no figure")).alias(
            f"Change vs {period_text(label)}"
        )
        for label, (text, direction) in comparisons.items()
    ],
)
show.table(
    shown,
    "overview_scorecard",
    download=card.drop("display", "previous_change_text", "last_year_change_text"),
    caption="Changes in percentages are in percentage points. The download holds the unrounded values.",
)
widgets.indicator_help(card.get_column("indicator").to_list())

show_how_we_compare(selection.ds, "overview")
