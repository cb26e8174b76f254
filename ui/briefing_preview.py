"""The Briefing page's preview of a built paper: its blocks as the committee will read them."""

import streamlit as st

from iro_metrics.briefing.model import Block, Briefing, BriefingChart, BriefingTable, Heading, Paragraph
from ui import show


def _show_block(block: Block) -> None:
    if isinstance(block, Heading):
        st.markdown(f"{'#' * (block.level + 2)} {block.text}")
    elif isinstance(block, Paragraph):
        text = {"rating": f"*{block.text}*", "bullet": f"- {block.text}"}.get(block.style, block.text)
        st.markdown(text)
    elif isinstance(block, BriefingChart):
        show.chart(block.chart, block.alt_text)
    elif isinstance(block, BriefingTable):
        st.markdown(f"**{block.title}**")
        st.dataframe(block.frame, hide_index=True)
        for note in block.footnotes:
            st.caption(note)


def show_briefing(briefing: Briefing) -> None:
    """The paper as the committee will read it, below the downloads."""
    st.divider()
    st.header(briefing.title, anchor=False)
    st.markdown(f"**{briefing.subtitle}**")
    st.caption(briefing.source)
    for block in briefing.introduction:
        _show_block(block)
    if briefing.headlines:
        st.subheader("Key headlines", anchor=False)
        st.markdown("\n".join(f"- {headline}" for headline in briefing.headlines))
    for section in briefing.sections:
        st.subheader(section.title, anchor=False)
        for block in section.blocks:
            _show_block(block)
    st.subheader("Notes", anchor=False)
    st.markdown("\n".join(f"{n}. {note}" for n, note in enumerate(briefing.notes, start=1)))
