"""The Briefing page's preview of a built paper: headlines, sections (text, charts, tables) and notes."""

import streamlit as st

from iro_metrics.briefing.model import Briefing
from ui import show


def show_briefing(briefing: Briefing) -> None:
    """The paper as the committee will read it, below the downloads."""
    st.divider()
    st.header(briefing.title, anchor=False)
    st.markdown(f"**{briefing.subtitle}**")
    st.caption(briefing.source)
    st.subheader("Key headlines", anchor=False)
    st.markdown("\n".join(f"- {headline}" for headline in briefing.headlines))
    for section in briefing.sections:
        st.subheader(section.title, anchor=False)
        for number, paragraph in enumerate(section.paragraphs):
            if heading := section.subheadings.get(number):
                st.markdown(f"**{heading[0]}**" + "".join(f"  \n*{line}*" for line in heading[1:]))
            st.write(paragraph)
        for chart in section.charts:
            show.chart(chart.chart, chart.alt_text)
        for table in section.tables:
            st.markdown(f"**{table.title}**")
            st.dataframe(table.frame, hide_index=True)
            for note in table.footnotes:
                st.caption(note)
    st.subheader("Notes", anchor=False)
    st.markdown("\n".join(f"{n}. {note}" for n, note in enumerate(briefing.notes, start=1)))
