"""The content security policy in docs/deployment.md lets the explorer work: pages draw their
charts and tables with the policy's header added to every response (as the reverse proxy adds
it), the browser reports no violation, and the explorer makes no request to another site."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit
from playwright.sync_api import expect

from iro_metrics.access.roles import ACTION_ROLES
from iro_metrics.access.roles import ROLES as ROLE_ORDER
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, _free_port, serve
from tests.browser.helpers import wait_for_app_run, wait_for_drawing
from tests.browser.signed_in import mock_provider, sign_in, write_secrets
from tests.builders import ROLE_FILE_FOR_TESTS
from ui.navigation import PAGE_ACTIONS, PAGES

pytestmark = pytest.mark.browser

DOCUMENTED = re.search(
    r'add_header Content-Security-Policy "([^"]+)" always;', (ROOT / "docs" / "deployment.md").read_text()
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium that lets a page whose responses Playwright rewrites still reach the app on 127.0.0.1
    (otherwise its local-network checks block the WebSocket; a real proxy serves the page itself)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        args = [*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"]
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield chromium
        finally:
            chromium.close()


def test_the_documented_hash_is_streamlits_inline_script():
    assert DOCUMENTED, "docs/deployment.md no longer shows the Content-Security-Policy header"
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index, re.S)
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
    documented = set(re.findall(r"'sha256-[^']+'", DOCUMENTED.group(1)))
    assert documented == hashes, "Streamlit's inline script changed: update the hash in docs/deployment.md"


EVERY_PAGE = [(p.file, p.address, p.title) for p in PAGES]
assert len(EVERY_PAGE) == 12
# Pages that must draw a chart and a table under the policy (the rest are checked for violations).
DRAWN = {"Overview", "Areas", "Quality assurance"}
ROLES = {  # tests/builders.py's role file
    "importer@council.gov.uk": "importer",
    "analyst@council.gov.uk": "analyst",
    "viewer@council.gov.uk": "viewer",
    "east@council.gov.uk": "viewer",
}


def _with_policy(page, app_url: str, allowed_elsewhere: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Add the documented policy to every response from the app; collect violations and other sites' requests."""
    # The documented policy names the council's https host; here the app is on plain http.
    policy = DOCUMENTED.group(1).replace("wss://iro-explorer.council.gov.uk", app_url.replace("http", "ws", 1))
    violations: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    local = (app_url, "data:", "blob:", *allowed_elsewhere)
    page.on("request", lambda r: None if r.url.startswith(local) else elsewhere.append(r.url))

    def with_policy(route):
        # The policy a page runs under is its document's header; scripts and styles pass straight
        # through (fetching each one again through Playwright reset connections on a loaded machine).
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(f"{app_url}/**", with_policy)
    return violations, elsewhere


def _visit_every_page(page, app_url: str, role: str) -> None:
    for file, path, title in EVERY_PAGE:
        page.goto(f"{app_url}/{path}")
        wait_for_app_run(page)
        needed = PAGE_ACTIONS.get(file)
        if needed is None or ROLE_ORDER.index(role) >= ROLE_ORDER.index(ACTION_ROLES[needed]):
            # The page drew (its own heading, which may say more than the menu's title), not a refusal.
            expect(page.locator("[data-testid='stMain'] h1").first).to_be_visible()
            expect(page.get_by_text("does not allow you to")).to_have_count(0)
        elif file != "pages/admin.py":  # not registered for this role at all: the default page opens
            expect(page.get_by_text(f"Your role ({role}) does not allow you to").first).to_be_visible()
        wait_for_drawing(page)
        if title in DRAWN:
            assert page.locator("[data-testid='stVegaLiteChart'] .marks").count() > 0, title
            assert page.locator("[data-testid='stDataFrame']").count() > 0, title


def test_the_documented_policy_lets_every_page_draw(page, app_url: str):
    assert DOCUMENTED, "docs/deployment.md no longer shows the Content-Security-Policy header"
    violations, elsewhere = _with_policy(page, app_url)
    _visit_every_page(page, app_url, "importer")  # single-user mode: the one person may do everything
    assert violations == []
    assert elsewhere == []


@pytest.fixture(scope="module")
def signed_in_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`streamlit run serve.py` with sign-in against a mock provider; yields (app URL, provider URL)."""
    home = tmp_path_factory.mktemp("iro-home-csp")
    (home / "roles.toml").write_text(ROLE_FILE_FOR_TESTS, encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with mock_provider() as provider:
        secrets_file = write_secrets(home / "secrets.toml", url, provider)
        with serve(home, port=port, extra=("--secrets.files", str(secrets_file))) as served:
            yield served, provider


@pytest.mark.parametrize("email", list(ROLES))
def test_the_documented_policy_lets_every_page_draw_for_each_role(page, signed_in_url, email: str):
    assert DOCUMENTED, "docs/deployment.md no longer shows the Content-Security-Policy header"
    app_url, _provider = signed_in_url
    sign_in(page, app_url, email)  # before the policy: the provider's pages are not the explorer's
    violations, elsewhere = _with_policy(page, app_url)
    _visit_every_page(page, app_url, ROLES[email])
    assert violations == []
    assert elsewhere == []
