"""Sign-in for real: `streamlit run serve.py` (app.py) with sign-in configured against a local OpenID Connect
provider (oidc-provider-mock, on 127.0.0.1 only), driven in headless Chromium.

Covers a viewer, an area-restricted viewer, an analyst, an importer, a refused import and the
audit log's lines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, _free_port, serve
from tests.browser.helpers import wait_for_app_run
from tests.browser.signed_in import mock_provider, sign_in, write_secrets
from tests.builders import ROLE_FILE_FOR_TESTS

pytestmark = pytest.mark.browser

ROLES = ROLE_FILE_FOR_TESTS  # an importer, an analyst, a viewer and a viewer of East Kent only


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A mock OpenID Connect provider on 127.0.0.1 (tests/browser/signed_in.py)."""
    with mock_provider() as url:
        yield url


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("iro-home-auth")
    (home / "roles.toml").write_text(ROLES, encoding="utf-8")
    return home


@pytest.fixture(scope="module")
def app_url(provider: str, home: Path) -> Iterator[str]:
    """`streamlit run serve.py` with sign-in configured (secrets in a temporary file)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's Chromium is needed at {CHROMIUM}")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = write_secrets(home / "secrets.toml", url, provider)
    with serve(home, port=port, extra=("--secrets.files", str(secrets_file))) as served:
        yield served


def area_options(page) -> list[str]:
    """The choices the sidebar's area list offers (opened again if a rerun closes it)."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").locator("input")
    for _ in range(5):
        wait_for_app_run(page)
        box.click()
        try:
            page.get_by_role("option").first.wait_for(timeout=5000)
            texts = page.get_by_role("option").all_inner_texts()
        except PlaywrightTimeoutError:
            texts = []
        if texts:
            return texts
        page.keyboard.press("Escape")
    raise AssertionError("the area list never stayed open long enough to read")


def audit_lines(home: Path) -> list[dict]:
    path = home / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_nobody_gets_in_without_signing_in(page, app_url: str):
    page.goto(app_url)
    wait_for_app_run(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Sign in with your council account")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    page.goto(f"{app_url}/areas")
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Areas")).to_have_count(0)


def test_a_viewer_sees_figures_but_is_refused_the_import_page(page, app_url: str, home: Path):
    sign_in(page, app_url, "viewer@council.gov.uk")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("viewer (every area)")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    page.goto(f"{app_url}/areas")
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Areas", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stDownloadButton")).to_have_count(0)
    page.goto(f"{app_url}/import_data")
    wait_for_app_run(page)
    expect(page.get_by_text("Your role (viewer) does not allow you to import data")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    refused = [e for e in audit_lines(home) if e["action"] == "refused"]
    assert [(e["who"], e["attempted"]) for e in refused][-1] == ("viewer@council.gov.uk", "import data")


def test_an_area_restricted_viewer_sees_only_their_area(page, app_url: str):
    sign_in(page, app_url, "east@council.gov.uk")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("viewer (East Kent and the council total)")
    page.goto(f"{app_url}/areas")
    wait_for_app_run(page)
    assert area_options(page) == ["East Kent"]
    page.keyboard.press("Escape")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("East Kent")
    for other in ("North Kent", "West Kent", "South Kent"):
        expect(main).not_to_contain_text(other)


def test_an_analyst_produces_a_paper_and_it_is_logged(page, app_url: str, home: Path):
    sign_in(page, app_url, "analyst@council.gov.uk")
    page.goto(f"{app_url}/briefing")
    wait_for_app_run(page)
    page.get_by_role("button", name="Build the paper").click()  # papers are built when asked
    wait_for_app_run(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Markdown (.md)").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"#")
    papers = [e for e in audit_lines(home) if e["action"] == "briefing paper"]
    assert papers[-1]["who"] == "analyst@council.gov.uk"
    assert papers[-1]["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    page.goto(f"{app_url}/import_data")
    wait_for_app_run(page)
    expect(page.get_by_text("Your role (analyst) does not allow you to import data")).to_be_visible()


def test_an_importer_sees_the_import_page_and_the_audit_log(page, app_url: str, home: Path):
    # This test makes the log lines it reads (the other tests may run on another worker, with another home):
    # a viewer refused the import page, then, signed out, the importer.
    sign_in(page, app_url, "viewer@council.gov.uk")
    page.goto(f"{app_url}/import_data")
    wait_for_app_run(page)
    expect(page.get_by_text("Your role (viewer) does not allow you to import data")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, app_url, "importer@council.gov.uk")
    page.goto(f"{app_url}/import_data")
    wait_for_app_run(page)
    expect(page.get_by_test_id("stFileUploader").first).to_be_visible()  # the returns' uploader
    page.goto(f"{app_url}/admin")
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Audit log and datasets")).to_be_visible()
    expect(page.get_by_text("signed with this explorer's key")).to_be_visible()
    refused = [(e["who"], e["attempted"]) for e in audit_lines(home) if e["action"] == "refused"]
    assert ("viewer@council.gov.uk", "import data") in refused
    expect(page.get_by_test_id("stMain")).to_contain_text("viewer@council.gov.uk")  # the log shown on the page


def test_signing_out_ends_the_session(page, app_url: str):
    sign_in(page, app_url, "analyst@council.gov.uk")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    # Streamlit clears its identity cookie and sends the browser to the provider's sign-out page.
    page.wait_for_url("**/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app_url}/**")
    wait_for_app_run(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto(f"{app_url}/briefing")
    wait_for_app_run(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", name="Committee briefing")).to_have_count(0)
