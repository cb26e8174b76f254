"""Briefing page: turn the current selection into a committee paper (Word or Markdown)."""

import streamlit as st

st.title("Committee briefing")
st.write(
    "Turn the current period, area selection and cohort into a committee paper, "
    "ready to download as Word or Markdown."
)
