"""Briefing page: turn the current selection into a committee paper (Word or Markdown).

The briefing comes from iro_metrics.briefing.build_briefing; this file reads the settings,
previews the briefing and offers the downloads.
"""

import streamlit as st

import app_auth
import ui
from iro_metrics.briefing import DEFAULT_THRESHOLD, build_briefing, docx_bytes, markdown_text

app_auth.require("briefing", title="Committee briefing")
selection = ui.page_header(
    "Committee briefing",
    "Turn the current period, area selection and cohort into a committee paper, ready to download as Word or Markdown.",
)

setting, _ = st.columns([1, 2])
threshold = setting.number_input(
    "Suppress counts from 1 to",
    min_value=1,
    max_value=20,
    value=DEFAULT_THRESHOLD,
    step=1,
    key="threshold",
    bind="query-params",
    help=(
        "Committee papers are public. Below whole-council level (some but not all areas, and every "
        "table broken down by area) counts from 1 to this number, and figures built on them, are "
        "shown as 'c'. The DfE's published statistics work the same way."
    ),
)

with ui.friendly_errors("the briefing"):
    briefing = ui.compute(build_briefing, threshold=int(threshold))
    name = f"iro-briefing_{selection.file_suffix}"

    left, right = st.columns(2)
    left.download_button(
        "Download Word (.docx)",
        data=app_auth.logged_paper(lambda: docx_bytes(briefing), f"{name}.docx", selection, int(threshold)),
        file_name=f"{name}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
        key="download_docx",
    )
    right.download_button(
        "Download Markdown (.md)",
        data=app_auth.logged_paper(lambda: markdown_text(briefing), f"{name}.md", selection, int(threshold)),
        file_name=f"{name}.md",
        mime="text/markdown",
        on_click="ignore",
        icon=":material/download:",
        key="download_md",
        help="Charts are described in words in the Markdown file; the Word file has them as images.",
    )
    if briefing.suppression_applied:
        st.caption(f"Part of the council is selected, so counts from 1 to {briefing.threshold} are suppressed.")

    st.divider()
    st.header(briefing.title, anchor=False)
    st.markdown(f"**{briefing.subtitle}**")
    st.caption(briefing.source)
    st.subheader("Headlines", anchor=False)
    st.markdown("\n".join(f"- {headline}" for headline in briefing.headlines))
    for section in briefing.sections:
        st.subheader(section.title, anchor=False)
        for paragraph in section.paragraphs:
            st.write(paragraph)
        for chart in section.charts:
            ui.show_chart(chart.chart, chart.alt_text)
        for table in section.tables:
            st.markdown(f"**{table.title}**")
            st.dataframe(table.frame, hide_index=True)
            for note in table.footnotes:
                st.caption(note)
    st.subheader("Notes", anchor=False)
    st.markdown("\n".join(f"{n}. {note}" for n, note in enumerate(briefing.notes, start=1)))
