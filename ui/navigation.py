"""The explorer's pages, in the order the sidebar lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from iro_metrics.access.roles import ACTION_ROLES

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage

# The action (a key of roles.ACTION_ROLES) each page needs; a page not listed needs only "view".
PAGE_ACTIONS: dict[str, str] = {
    "pages/briefing.py": "briefing",
    "pages/import_data.py": "import",
    "pages/admin.py": "audit",
}
assert set(PAGE_ACTIONS.values()) <= set(ACTION_ROLES)  # a page names a real action


def page_files_for(may: Callable[[str], bool] | None) -> list[str]:
    """The page files a person's menu lists, in order (``may`` None: every page)."""
    files = [
        "pages/overview.py",
        "pages/children.py",
        "pages/reviews.py",
        "pages/quality.py",
        "pages/challenge.py",
        "pages/childrens_views.py",
        "pages/areas.py",
        "pages/compare.py",
        "pages/briefing.py",
        "pages/import_data.py",
        "pages/about.py",
        "pages/admin.py",
    ]
    if may is None:
        return files
    return [f for f in files if f not in PAGE_ACTIONS or may(PAGE_ACTIONS[f])]


_PAGES: dict[str, dict[str, object]] = {
    "pages/overview.py": {"title": "Overview", "icon": ":material/dashboard:", "default": True},
    "pages/children.py": {"title": "Children in care and caseloads", "icon": ":material/groups:"},
    "pages/reviews.py": {"title": "Reviews", "icon": ":material/event_available:"},
    "pages/quality.py": {"title": "Quality assurance", "icon": ":material/fact_check:"},
    "pages/challenge.py": {"title": "Challenge", "icon": ":material/gavel:"},
    # The page's address stays /views (links people saved); its file says what it shows.
    "pages/childrens_views.py": {"title": "Children's views", "icon": ":material/forum:", "url_path": "views"},
    "pages/areas.py": {"title": "Areas", "icon": ":material/map:"},
    "pages/compare.py": {"title": "Compare and what-if", "icon": ":material/compare_arrows:"},
    "pages/briefing.py": {"title": "Committee briefing", "icon": ":material/description:"},
    "pages/import_data.py": {"title": "Import your data", "icon": ":material/upload_file:"},
    "pages/about.py": {"title": "Indicator definitions", "icon": ":material/menu_book:"},
    "pages/admin.py": {"title": "Audit log and datasets", "icon": ":material/policy:"},
}


def menu(may: Callable[[str], bool] | None, *, with_admin: bool) -> list[tuple[str, bool]]:
    """Each registered page file with whether the menu lists it (``may`` None: every page listed).

    A page the role cannot use stays registered but hidden: its address (a saved link) still
    opens it, and the page then says why it is refused and logs the attempt. The audit page is
    registered only ``with_admin`` (or when ``may`` is None, to resolve any URL).
    """
    listed = set(page_files_for(may))
    return [(f, f in listed) for f in page_files_for(None) if f != "pages/admin.py" or with_admin or may is None]


def explorer_pages(*, with_admin: bool, everything: bool = False) -> list[StreamlitPage]:
    """The pages, each role's own listed in the menu (``everything``: all listed, to resolve a URL).

    Each role sees only its pages in the menu (issue 26, item 5): a viewer's menu has no
    Committee briefing or Import, an analyst's no Import, and the audit page is listed only
    ``with_admin``.
    One flat list (the order groups them: explore, plan and report, data). Streamlit's sectioned
    navigation puts headers and list items in plain divs inside its list, which screen readers
    cannot read as a list (axe: "list" and "listitem", serious).
    """
    may: Callable[[str], bool] | None = None
    if not everything:
        import app_auth

        def may(action: str) -> bool:
            return with_admin if action == "audit" else app_auth.may(action)

    return [
        st.Page(f, **_PAGES[f], visibility="visible" if shown else "hidden")  # type: ignore[arg-type]
        for f, shown in menu(may, with_admin=with_admin)
    ]
