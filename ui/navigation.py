"""The explorer's pages, in the order the sidebar lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage


def explorer_pages(*, with_admin: bool) -> list[StreamlitPage]:
    """Every page (the audit page only for those who may see it).

    One flat list (the order groups them: explore, plan and report, data). Streamlit's sectioned
    navigation puts headers and list items in plain divs inside its list, which screen readers
    cannot read as a list (axe: "list" and "listitem", serious).
    """
    pages = [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/children.py", title="Children in care and caseloads", icon=":material/groups:"),
        st.Page("pages/reviews.py", title="Reviews", icon=":material/event_available:"),
        st.Page("pages/quality.py", title="Quality assurance", icon=":material/fact_check:"),
        st.Page("pages/challenge.py", title="Challenge", icon=":material/gavel:"),
        # The page's address stays /views (links people saved); its file says what it shows.
        st.Page("pages/childrens_views.py", title="Children's views", icon=":material/forum:", url_path="views"),
        st.Page("pages/areas.py", title="Areas", icon=":material/map:"),
        st.Page("pages/compare.py", title="Compare and what-if", icon=":material/compare_arrows:"),
        st.Page("pages/briefing.py", title="Committee briefing", icon=":material/description:"),
        st.Page("pages/import_data.py", title="Import your data", icon=":material/upload_file:"),
        st.Page("pages/about.py", title="Indicator definitions", icon=":material/menu_book:"),
    ]
    if with_admin:
        pages.append(st.Page("pages/admin.py", title="Audit log and datasets", icon=":material/policy:"))
    return pages
