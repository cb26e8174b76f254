"""Compare page: two periods side by side, why counts changed, and what-if scenarios."""

import streamlit as st

st.title("Compare periods and try scenarios")
st.caption("How this period compares with another, why counts changed, and what-if questions.")
