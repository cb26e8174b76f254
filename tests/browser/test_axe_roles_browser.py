"""Issue 26 (Tests): axe-core finds no serious or critical problem on any page, for each role.

The explorer runs with sign-in against a local OpenID Connect provider (tests/browser/signed_in.py);
each role signs in, its menu lists exactly its pages of the one page list (ui/navigation.py), and
every one of them is drawn and checked with axe-core (WCAG 2.2 AA).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _free_port, serve
from tests.browser.helpers import BLOCKING, axe_violations, wait_for_app_run, wait_for_drawing
from tests.browser.signed_in import mock_provider, sign_in, write_secrets
from tests.builders import ROLE_FILE_FOR_TESTS
from ui import navigation

pytestmark = pytest.mark.browser

ROLE_EMAILS = {  # tests/builders.py's role file
    "viewer": "viewer@council.gov.uk",
    "analyst": "analyst@council.gov.uk",
    "importer": "importer@council.gov.uk",
}


@pytest.fixture(scope="module")
def signed_in_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run serve.py` with sign-in against a mock provider; yields the app's URL."""
    home = tmp_path_factory.mktemp("iro-home-axe")
    (home / "roles.toml").write_text(ROLE_FILE_FOR_TESTS, encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with mock_provider() as provider:
        secrets_file = write_secrets(home / "secrets.toml", url, provider)
        with serve(home, port=port, extra=("--secrets.files", str(secrets_file))) as served:
            yield served


def _settle(page) -> None:
    wait_for_app_run(page)
    page.wait_for_timeout(500)
    wait_for_app_run(page)
    wait_for_drawing(page)


def test_every_role_sees_its_own_pages():
    # The one list gives each role a different set: the per-role check below covers more than one menu.
    menus = {role: [p.file for p in navigation.pages_for_role(role)] for role in ROLE_EMAILS}
    assert len(menus["viewer"]) < len(menus["analyst"]) < len(menus["importer"]) == len(navigation.PAGES)
    assert "pages/briefing.py" not in menus["viewer"] and "pages/briefing.py" in menus["analyst"]
    assert "pages/import_data.py" not in menus["analyst"] and "pages/admin.py" in menus["importer"]


@pytest.mark.parametrize("role", list(ROLE_EMAILS))
def test_no_serious_accessibility_problem_on_any_page_a_role_sees(page, signed_in_url: str, role: str) -> None:
    sign_in(page, signed_in_url, ROLE_EMAILS[role])
    pages = navigation.pages_for_role(role)
    # The menu lists exactly this role's pages of the one list, in order: none goes unchecked.
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links).to_have_count(len(pages))
    shown = [t.strip().splitlines()[-1] for t in links.all_inner_texts()]  # after the icon's name
    assert shown == [p.title for p in pages]

    blocking: dict[str, list[dict]] = {}
    for entry in pages:
        page.goto(f"{signed_in_url}/{entry.address}?year=2015-16&quarter=Q2")
        _settle(page)
        expect(page.locator("[data-testid='stMain'] h1").first).to_have_text(entry.h1)  # drawn, not refused
        found = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        if found:
            blocking[entry.title] = found
    assert not blocking, blocking
