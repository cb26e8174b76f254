"""IRO performance explorer: navigation and the shared sidebar filters.

Run with ``streamlit run app.py``. The filters (dataset, financial year, quarter, areas, cohort)
live in the URL, so they survive page changes and a copied link reproduces the view.
"""

import streamlit as st

from ui import app_auth, navigation, state, widgets

st.set_page_config(
    page_title="IRO performance explorer",
    page_icon="📊",  # drawn in the browser: a :material: icon would be fetched from Google on every load
    layout="wide",
    initial_sidebar_state="expanded",
)

with navigation.entrypoint():  # marks this run as app.py's, for pages that check it
    access = app_auth.start()  # sign-in and role; stops here when the person may not go on
    app_auth.audit_warning()  # "the audit log has been altered or truncated since ..." when it was

    page = st.navigation(
        navigation.explorer_pages(access.may, with_admin=access.may("audit")), position="sidebar", expanded=True
    )
    widgets.page_style()

    with widgets.friendly_errors("the sidebar filters"):
        dataset = state.dataset_selector()
        if dataset is not None:
            state.selection_filters(dataset)

    with widgets.friendly_errors(page.title):
        page.run()
