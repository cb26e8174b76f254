"""IRO performance explorer: navigation and the shared sidebar filters.

Run with ``streamlit run app.py``. The filters (dataset, financial year, quarter, areas, cohort)
live in the URL, so they survive page changes and a copied link reproduces the view.
"""

import streamlit as st

import app_auth
import ui

st.set_page_config(
    page_title="IRO performance explorer",
    page_icon="📊",  # drawn in the browser: a :material: icon would be fetched from Google on every load
    layout="wide",
    initial_sidebar_state="expanded",
)

access = app_auth.start()  # sign-in and role; stops here when the person may not go on

# One flat list (the order groups them: explore, plan and report, data). Streamlit's sectioned
# navigation puts headers and list items in plain divs inside its list, which screen readers
# cannot read as a list (axe: "list" and "listitem", serious).
PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/children.py", title="Children in care and caseloads", icon=":material/groups:"),
    st.Page("pages/reviews.py", title="Reviews", icon=":material/event_available:"),
    st.Page("pages/quality.py", title="Quality assurance", icon=":material/fact_check:"),
    st.Page("pages/challenge.py", title="Challenge", icon=":material/gavel:"),
    st.Page("pages/views.py", title="Children's views", icon=":material/forum:"),
    st.Page("pages/areas.py", title="Areas", icon=":material/map:"),
    st.Page("pages/compare.py", title="Compare and what-if", icon=":material/compare_arrows:"),
    st.Page("pages/briefing.py", title="Committee briefing", icon=":material/description:"),
    st.Page("pages/import_data.py", title="Import your data", icon=":material/upload_file:"),
    st.Page("pages/about.py", title="Indicator definitions", icon=":material/menu_book:"),
]
if access.may("audit"):
    PAGES.append(st.Page("pages/admin.py", title="Audit log and datasets", icon=":material/policy:"))

page = st.navigation(PAGES, position="sidebar", expanded=True)
ui.page_style()

with ui.friendly_errors("the sidebar filters"):
    dataset = ui.dataset_selector()
    if dataset is not None:
        ui.selection_filters()

with ui.friendly_errors(page.title):
    page.run()
