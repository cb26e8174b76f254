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

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT
from tests.browser.helpers import wait_for_app_run, wait_for_drawing

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


def test_the_documented_policy_lets_every_chart_and_table_draw(page, app_url: str):
    assert DOCUMENTED, "docs/deployment.md no longer shows the Content-Security-Policy header"
    # The documented policy names the council's https host; here the app is on plain http.
    policy = DOCUMENTED.group(1).replace("wss://iro-explorer.council.gov.uk", app_url.replace("http", "ws", 1))
    violations: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: None if r.url.startswith((app_url, "data:", "blob:")) else elsewhere.append(r.url))

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(f"{app_url}/**", with_policy)
    for path, title in (("", "Overview"), ("areas", "Areas"), ("quality", "Quality assurance")):
        page.goto(f"{app_url}/{path}")
        wait_for_app_run(page)
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        wait_for_drawing(page)
        assert page.locator("[data-testid='stVegaLiteChart'] .marks").count() > 0
        assert page.locator("[data-testid='stDataFrame']").count() > 0
    assert violations == []
    assert elsewhere == []
