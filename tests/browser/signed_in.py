"""Shared by the browser tests that sign in: a mock OpenID Connect provider on 127.0.0.1 whose
users' e-mail addresses are verified (``email_verified``), the secrets that point the explorer at
it, and signing in through it."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import wait_for_app_run

VERIFIED_USERS = ("importer@council.gov.uk", "analyst@council.gov.uk", "viewer@council.gov.uk", "east@council.gov.uk")


@contextmanager
def mock_provider() -> Iterator[str]:
    """A mock OpenID Connect provider on 127.0.0.1 (any client id and secret are accepted); yields its URL.
    The role file's people are predefined with ``email_verified`` true; anyone else has no such claim."""
    import oidc_provider_mock
    import werkzeug.serving

    users = [oidc_provider_mock.User(sub=e, claims={"email": e, "email_verified": True}) for e in VERIFIED_USERS]
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def write_secrets(path: Path, url: str, provider: str) -> Path:
    """Sign-in settings for an explorer at ``url`` against ``provider``, and an audit-log key."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "iro-explorer"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "[audit]\n"
        f'key = "{secrets.token_hex(32)}"\n',
        encoding="utf-8",
    )
    return path


def sign_in(page, app_url: str, email: str) -> None:
    """Open the app, press Sign in, give the provider an e-mail address, come back signed in."""
    page.goto(app_url)
    wait_for_app_run(page)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/oauth2/authorize**")
    page.locator("input[name='sub']").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**")
    wait_for_app_run(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Signed in as {email}")
