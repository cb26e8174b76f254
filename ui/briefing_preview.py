"""The Briefing page's preview of a built paper: its blocks as the committee will read them."""

import streamlit as st

from iro_metrics.briefing.model import Block, Briefing, BriefingChart, BriefingTable, Heading, Paragraph
from ui import show


def _show_block(block: Block, place: str) -> None:
    if isinstance(block, Heading):
        st.markdown(f"{'#' * (block.level + 2)} {block.text}")
    elif isinstance(block, Paragraph):
        text = {"rating": f"*{block.text}*", "bullet": f"- {block.text}"}.get(block.style, block.text)
        st.markdown(text)
    elif isinstance(block, BriefingChart):
        show.chart(block.chart, block.alt_text)
    elif isinstance(block, BriefingTable):
        st.markdown(f"**{block.title}**")
        show.grid(block.frame, block.title, place=f"paper-table-{place}")
        for note in block.footnotes:
            st.caption(note)


def show_briefing(briefing: Briefing) -> None:
    """The paper as the committee will read it, below the downloads."""
    st.divider()
    st.header(briefing.title, anchor=False)
    st.markdown(f"**{briefing.subtitle}**")
    st.caption(briefing.source)
    for n, block in enumerate(briefing.introduction):
        _show_block(block, f"intro-{n}")
    if briefing.headlines:
        st.subheader("Key headlines", anchor=False)
        st.markdown("\n".join(f"- {headline}" for headline in briefing.headlines))
    for s, section in enumerate(briefing.sections):
        st.subheader(section.title, anchor=False)
        for n, block in enumerate(section.blocks):
            _show_block(block, f"{s}-{n}")
    st.subheader("Notes", anchor=False)
    st.markdown("\n".join(f"{n}. {note}" for n, note in enumerate(briefing.notes, start=1)))
