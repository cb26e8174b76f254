"""Indicator definitions: every indicator's meaning and how it is judged, searchable."""

import polars as pl
import streamlit as st

from iro_metrics.pages.about import definitions
from ui import show, state, widgets

st.title("Indicator definitions")
st.write(
    "What every indicator means, exactly as it is computed, and how it is judged: whether higher "
    "or lower is better, and the target and floor behind its rating. The definitions come from the "
    "catalogue that a council can edit."
)
widgets.legend()

dataset = state.optional_dataset()
table = definitions(dataset)
query = st.text_input("Search", key="q", bind="query-params", placeholder="e.g. participation, disputes, caseload")
if query:
    words = query.lower().split()
    haystack = pl.concat_str(["indicator", "title", "theme", "definition"], separator=" ").str.to_lowercase()
    table = table.filter(pl.all_horizontal([haystack.str.contains(w, literal=True) for w in words]))

if table.is_empty():
    widgets.no_data(f"No indicator matches '{query}'. Try a shorter word.")
    st.stop()

st.caption(f"{table.height} indicator{'s' if table.height != 1 else ''}.")
for theme_name in table.get_column("theme").unique(maintain_order=True).to_list():
    st.subheader(theme_name)
    for row in table.filter(pl.col("theme") == theme_name).iter_rows(named=True):
        with st.expander(row["title"]):
            st.markdown(
                f"{row['definition']}\n\n*{row['judged']}*\n\n"
                f"Id `{row['indicator']}` · {row['kind']} indicator · unit {row['unit']}"
                + (" · headline" if row["headline"] else "")
            )

st.subheader("All definitions as a table")
show.table(table, "indicator_definitions")
