"""The explorer's pages, in the order the sidebar lists them: the one page list.

``PAGES`` is read by app.py (through ``explorer_pages``), by the AppTests (``tests/app``) and by
the browser tests (every page drawn, captured and checked with axe-core, for each role): a new
page is one entry here, and no test can leave it out (issue 28, item 2).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from iro_metrics.access.roles import ACTION_ROLES, ROLES

if TYPE_CHECKING:
    from streamlit.navigation.page import StreamlitPage


@dataclass(frozen=True)
class PageEntry:
    """One page: its file, the menu's title and icon, what it needs and where it lives.

    ``action`` is the key of ``roles.ACTION_ROLES`` the page needs ("view": every role).
    ``heading`` is the page's own h1 when it says more than the menu's title. ``url_path`` is
    its address when that is not the file's name; the ``default`` page lives at the root.
    ``filters``: the page shows figures for the sidebar's selection (and says which).
    """

    file: str
    title: str
    icon: str
    action: str = "view"
    heading: str | None = None
    url_path: str | None = None
    default: bool = False
    filters: bool = True

    @property
    def address(self) -> str:
        """The page's URL path ("" for the default page): ``/reviews``, ``/views``."""
        if self.default:
            return ""
        return self.url_path or Path(self.file).stem

    @property
    def h1(self) -> str:
        """The heading the page draws."""
        return self.heading or self.title

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles that may use the page (each role can do all the roles before it can)."""
        return ROLES[ROLES.index(ACTION_ROLES[self.action]) :]


PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/overview.py", "Overview", ":material/dashboard:", default=True),
    PageEntry("pages/children.py", "Children in care and caseloads", ":material/groups:"),
    PageEntry("pages/reviews.py", "Reviews", ":material/event_available:"),
    PageEntry("pages/quality.py", "Quality assurance", ":material/fact_check:"),
    PageEntry("pages/challenge.py", "Challenge", ":material/gavel:"),
    # The page's address stays /views (links people saved); its file says what it shows.
    PageEntry("pages/childrens_views.py", "Children's views", ":material/forum:", url_path="views"),
    PageEntry("pages/areas.py", "Areas", ":material/map:"),
    PageEntry(
        "pages/compare.py",
        "Compare and what-if",
        ":material/compare_arrows:",
        heading="Compare periods and try scenarios",
    ),
    PageEntry("pages/briefing.py", "Committee briefing", ":material/description:", action="briefing"),
    PageEntry("pages/import_data.py", "Import your data", ":material/upload_file:", action="import", filters=False),
    PageEntry("pages/about.py", "Indicator definitions", ":material/menu_book:", filters=False),
    PageEntry("pages/admin.py", "Audit log and datasets", ":material/policy:", action="audit", filters=False),
)
BY_FILE: dict[str, PageEntry] = {p.file: p for p in PAGES}
assert all(p.action in ACTION_ROLES for p in PAGES)  # a page names a real action
assert sum(p.default for p in PAGES) == 1 and PAGES[0].default  # one default page, listed first
assert all((Path(__file__).parents[1] / p.file).is_file() for p in PAGES)  # every entry is a page file
# The action (a key of roles.ACTION_ROLES) each page needs, for pages that need more than "view".
PAGE_ACTIONS: dict[str, str] = {p.file: p.action for p in PAGES if p.action != "view"}


def pages_for_role(role: str) -> list[PageEntry]:
    """The pages a signed-in person of ``role`` sees in the menu, in order."""
    return [p for p in PAGES if role in p.roles]


def page_files_for(may: Callable[[str], bool] | None) -> list[str]:
    """The page files a person's menu lists, in order (``may`` None: every page)."""
    return [p.file for p in PAGES if may is None or p.action == "view" or may(p.action)]


def menu(may: Callable[[str], bool] | None, *, with_admin: bool) -> list[tuple[str, bool]]:
    """Each registered page file with whether the menu lists it (``may`` None: every page listed).

    A page the role cannot use stays registered but hidden: its address (a saved link) still
    opens it, and the page then says why it is refused and logs the attempt. The audit page is
    registered only ``with_admin`` (or when ``may`` is None, to resolve any URL).
    """
    listed = set(page_files_for(may))
    return [(f, f in listed) for f in page_files_for(None) if f != "pages/admin.py" or with_admin or may is None]


def explorer_pages(may: Callable[[str], bool] | None, *, with_admin: bool) -> list[StreamlitPage]:
    """The pages, each role's own listed in the menu (``may`` None: all listed, to resolve a URL).

    ``may`` is the signed-in person's ``Access.may`` (app.py passes it). Each role sees only its
    pages in the menu (issue 26, item 5): a viewer's menu has no Committee briefing or Import, an
    analyst's no Import, and the audit page is listed only ``with_admin``.
    One flat list (the order groups them: explore, plan and report, data). Streamlit's sectioned
    navigation puts headers and list items in plain divs inside its list, which screen readers
    cannot read as a list (axe: "list" and "listitem", serious).
    """
    pages = []
    for file, shown in menu(may, with_admin=with_admin):
        entry = BY_FILE[file]
        options: dict[str, object] = {"title": entry.title, "icon": entry.icon}
        if entry.default:
            options["default"] = True
        if entry.url_path:
            options["url_path"] = entry.url_path
        pages.append(st.Page(file, **options, visibility="visible" if shown else "hidden"))  # type: ignore[arg-type]
    return pages


# --- Entry point ----------------------------------------------------------------------------------

_ENTRY = threading.local()  # set while app.py runs this script run
_RUNS_LOCK = threading.Lock()
_runs_under_way = 0  # app.py's script runs under way in this server, every session's


@contextmanager
def entrypoint() -> Iterator[None]:
    """Mark this script run as going through app.py (navigation and the shared filters), and
    count it among the runs under way (``runs_under_way``)."""
    global _runs_under_way
    _ENTRY.active = True
    with _RUNS_LOCK:
        _runs_under_way += 1
    try:
        yield
    finally:
        _ENTRY.active = False
        with _RUNS_LOCK:
            _runs_under_way -= 1


def runs_under_way() -> int:
    """How many script runs (of any session) are under way: serve.py's background warm-up waits
    while any is, so that it never slows a click."""
    return _runs_under_way


def ensure_entrypoint() -> None:
    """Make sure this run went through app.py.

    Streamlit treats an app with a ``pages/`` folder as a legacy multipage app until the first
    ``st.navigation`` call, and until then runs a page file on its own (a deep link opened just
    after the server starts). A page run that way calls ``st.navigation`` (which switches the
    legacy mode off for every session) and reruns, so app.py draws the sidebar and runs the page
    the URL names.
    """
    if getattr(_ENTRY, "active", False):
        return
    # Every page, so the URL names one this run can resolve.
    st.navigation(explorer_pages(None, with_admin=True), position="hidden")
    st.rerun()
