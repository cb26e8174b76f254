"""Import page: load a council's own SSDA903 returns and local IRO records."""

import streamlit as st

st.title("Import your data")
st.write("Load your SSDA903 returns and local IRO record templates to explore your own service.")
