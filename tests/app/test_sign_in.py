"""AppTest: sign-in required, roles enforced with clear refusals, the audit log written and shown."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import open_every_section
from tests.builders import ROLE_FILE_FOR_TESTS
from tests.importer.test_support import VALID_FILES

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-test-secret-of-forty-characters",
    "client_id": "iro-explorer",
    "client_secret": "test-client-secret",
    "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration",
}

AUDIT_KEY = "a-test-audit-key-kept-with-the-secrets-not-the-data-home"

ROLES = ROLE_FILE_FOR_TESTS  # an importer, an analyst, a viewer and a viewer of East Kent only


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("IRO_DATA_HOME", str(home))
    monkeypatch.chdir(ROOT)
    return home


@pytest.fixture
def option() -> Iterator:
    """Set Streamlit config options for one test, restoring them afterwards."""
    saved: dict[str, object] = {}

    def set_option(name: str, value: object) -> None:
        saved.setdefault(name, config.get_option(name))
        config.set_option(name, value)

    yield set_option
    for name, value in saved.items():
        config.set_option(name, value)


def _app(user: dict | None, *, roles: str | None = ROLES, home: Path) -> AppTest:
    if roles is not None:
        (home / "roles.toml").write_text(roles, encoding="utf-8")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.secrets["auth"] = dict(AUTH)
    at.secrets["audit"] = {"key": AUDIT_KEY}
    at.user = user if user is not None else {"is_logged_in": False}
    return at


def _signed_in(email: str, verified: object = True) -> dict:
    """A signed-in user as Streamlit sees them; ``verified=None`` leaves out the email_verified claim."""
    user = {"is_logged_in": True, "email": email, "name": email.split("@")[0]}
    if verified is not None:
        user["email_verified"] = verified
    return user


def _text(at: AppTest) -> str:
    parts = [e.value for e in (*at.error, *at.markdown, *at.caption, *at.title, *at.info, *at.success)]
    parts += [e.value for e in at.sidebar.caption]
    return "\n".join(str(p) for p in parts)


def test_without_sign_in_the_app_is_single_user_and_says_so(home: Path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert any("Single-user mode" in c.value and "localhost" in c.value for c in at.sidebar.caption)
    assert at.title[0].value == "Overview"


def test_without_sign_in_the_app_refuses_to_listen_on_the_network(home: Path, option):
    option("server.address", "0.0.0.0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "The IRO performance explorer cannot start"
    assert "No sign-in is configured, but the explorer is listening on 0.0.0.0" in at.error[0].value
    assert not at.sidebar.selectbox  # no dataset, no filters, no page


def test_sign_in_with_xsrf_protection_off_refuses_to_start(home: Path, option):
    option("server.enableXsrfProtection", False)
    at = _app(_signed_in("importer@council.gov.uk"), home=home).run()
    assert at.title[0].value == "The IRO performance explorer cannot start"
    assert "XSRF protection is off" in at.error[0].value


def test_a_malformed_role_file_stops_the_app(home: Path):
    at = _app(_signed_in("importer@council.gov.uk"), roles='[[user]]\nemail = "x@y.gov.uk"\nrole = "boss"\n', home=home)
    at.run()
    assert at.title[0].value == "The IRO performance explorer cannot start"
    message = at.error[0].value
    assert "nobody is let in" in message
    assert f"{home / 'roles.toml'}: entry 1 (line 1) (x@y.gov.uk): 'role' 'boss' is not a role" in message


def test_sign_in_with_an_audit_log_that_cannot_be_written_stops_the_app(home: Path):
    (home / "audit.jsonl").mkdir()  # a folder where the log should be
    at = _app(_signed_in("importer@council.gov.uk"), home=home).run()
    assert at.title[0].value == "The IRO performance explorer cannot start"
    assert at.error[0].value.startswith(
        f"Every import, deletion and paper must be recorded, but {home / 'audit.jsonl'}: the audit log cannot be written"
    )


def test_sign_in_without_a_role_file_stops_the_app(home: Path):
    at = _app(_signed_in("importer@council.gov.uk"), roles=None, home=home).run()
    assert "the role file does not exist" in at.error[0].value


def test_nobody_sees_a_page_before_signing_in(home: Path):
    at = _app(None, home=home).run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.selectbox
    assert "Overview" not in _text(at)


def test_a_signed_in_stranger_is_refused_and_logged(home: Path):
    at = _app(_signed_in("stranger@elsewhere.org"), home=home).run()
    assert "You are signed in as stranger@elsewhere.org, but that account has no role" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    (event,) = [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]
    assert (event["who"], event["action"], event["attempted"]) == (
        "stranger@elsewhere.org",
        "refused",
        "use the explorer (not in the role file)",
    )


def test_a_viewer_sees_figures_but_cannot_download_import_or_brief(home: Path):
    at = _app(_signed_in("viewer@council.gov.uk"), home=home).run()
    assert not at.exception, at.exception
    assert any("Signed in as **viewer@council.gov.uk** · viewer (every area)" in c.value for c in at.sidebar.caption)
    assert at.multiselect(key="area").options == [
        "16+ Service", "Disabled Children's Service", "East Kent", "North Kent", "South Kent", "UASC Service",
        "West Kent",
    ]  # fmt: skip
    at.switch_page("pages/areas.py").run()
    assert not at.exception, at.exception
    assert at.dataframe  # tables shown ...
    assert not at.get("download_button")  # ... but not offered as downloads
    at.switch_page("pages/import_data.py").run()
    assert at.title[0].value == "Import your data"
    assert at.error[0].value.startswith("Your role (viewer) does not allow you to import data: that needs the importer")
    assert not at.file_uploader
    at.switch_page("pages/briefing.py").run()
    assert "does not allow you to produce committee briefings: that needs the analyst role" in at.error[0].value
    events = [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]
    assert [(e["who"], e["attempted"]) for e in events] == [
        ("viewer@council.gov.uk", "import data"),
        ("viewer@council.gov.uk", "produce committee briefings"),
    ]


def test_an_area_restricted_viewer_sees_their_area_and_the_council_only(home: Path):
    at = _app(_signed_in("east@council.gov.uk"), home=home).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="area").options == ["East Kent"]
    # The sidebar's note on empty combinations names only East Kent (no UASC there), no other area.
    notes = "\n".join(c.value for c in at.sidebar.caption)
    assert "At the end of this period: no UASC in East Kent" in notes
    for other in ("North Kent", "South Kent", "Disabled Children's Service", "UASC Service"):
        assert other not in notes
    at.switch_page("pages/areas.py").run()
    assert not at.exception, at.exception
    shown = "\n".join(str(df.value) for df in at.dataframe)
    assert "East Kent" in shown
    for other in ("North Kent", "West Kent", "South Kent", "UASC Service"):
        assert other not in shown
    # A link naming another area cannot widen the view: the value is dropped.
    at.query_params["area"] = "North Kent"
    at.run()
    assert at.multiselect(key="area").value == []


def test_a_viewer_whose_areas_are_not_in_the_dataset_is_told_and_sees_the_council_total(home: Path):
    roles = ROLES + '\n[[user]]\nemail = "typo@council.gov.uk"\nrole = "viewer"\nareas = ["Est Kent"]\n'
    at = _app(_signed_in("typo@council.gov.uk"), roles=roles, home=home).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="area").options == []
    assert at.sidebar.warning[0].value.startswith("None of your areas (Est Kent) is in this dataset")
    assert at.title[0].value == "Overview"


def test_an_analyst_can_brief_and_download_and_the_paper_is_logged(home: Path):
    at = _app(_signed_in("analyst@council.gov.uk"), home=home).run()
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, at.exception
    assert not at.error
    at.button(key="build_paper").click().run()  # the paper is built when asked
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert "Download Markdown (.md)" in buttons
    at.switch_page("pages/import_data.py").run()
    assert "Your role (analyst) does not allow you to import data" in at.error[0].value


def test_an_importer_imports_and_the_import_is_logged(home: Path):
    at = _app(_signed_in("importer@council.gov.uk"), home=home).run()
    at.switch_page("pages/import_data.py").run()
    assert not at.exception, at.exception
    at.text_input[0].set_value("Audit council")
    at.file_uploader[0].set_value([(n, text.encode(), "text/csv") for n, text in VALID_FILES.items()]).run()
    next(b for b in at.button if b.label.startswith("Check and import")).click().run()
    assert not at.exception, at.exception
    assert "Imported **Audit council**" in at.success[0].value
    (event,) = [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]
    assert (event["who"], event["action"], event["outcome"], event["dataset"]) == (
        "importer@council.gov.uk",
        "import",
        "imported",
        "Audit council",
    )
    assert sorted(f["name"] for f in event["files"]) == sorted(VALID_FILES)

    assert {f["name"]: f["sha256"] for f in event["files"]} == {
        n: hashlib.sha256(t.encode()).hexdigest() for n, t in VALID_FILES.items()
    }
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert "every line follows the one before it" in _text(at) and "signed with this explorer's key" in _text(at)
    log_table = at.dataframe[0].value
    assert list(log_table["Who"]) == ["importer@council.gov.uk"]
    at.selectbox(key="delete_choice").set_value("Audit council")
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == "Delete dataset").click().run()
    assert "Audit council was deleted" in at.success[0].value
    assert not (home / "datasets" / "Audit council").exists()
    events = [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e["outcome"]) for e in events] == [("import", "imported"), ("delete dataset", "deleted")]


def test_sign_in_without_an_audit_key_refuses_to_start(home: Path):
    at = _app(_signed_in("importer@council.gov.uk"), home=home)
    del at.secrets["audit"]
    at.run()
    assert not at.exception, at.exception
    assert "the audit log has no signing key" in at.error[0].value


def _tampered_home(home: Path) -> None:
    """Three refusals written by the explorer, then the last line removed outside it."""
    from iro_metrics.access import audit

    log = audit.audit_path(home)
    for hour in (9, 10, 11):
        audit.append_event(
            log,
            key=AUDIT_KEY.encode(),
            who="viewer@council.gov.uk",
            action=audit.REFUSED,
            outcome="refused",
            now=datetime(2026, 12, 1, hour, tzinfo=UTC),
        )
    lines = log.read_bytes().splitlines()[:-1]
    log.write_bytes(b"".join(line + b"\n" for line in lines))


SENTENCE = "The audit log has been altered or truncated since 2026-12-01T11:00:00+00:00."


def test_the_app_start_and_the_audit_page_say_the_log_was_altered(home: Path):
    _tampered_home(home)
    at = _app(_signed_in("importer@council.gov.uk"), home=home).run()
    assert not at.exception, at.exception
    assert any(SENTENCE in e.value for e in at.error)  # on the first page, at the start
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert any(SENTENCE in e.value and "2 entries where the anchor records 3" in e.value for e in at.error)
    assert "Nothing has been recorded yet" not in _text(at)


def test_a_deleted_log_is_not_shown_as_nothing_recorded(home: Path):
    _tampered_home(home)
    (home / "audit.jsonl").unlink()
    at = _app(_signed_in("importer@council.gov.uk"), home=home).run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception, at.exception
    assert any("altered or truncated since 2026-12-01T11:00:00+00:00" in e.value for e in at.error)
    assert "Nothing has been recorded yet" not in _text(at)


@pytest.mark.parametrize("verified", [False, "false", None])
def test_an_unverified_e_mail_gets_no_role_and_is_logged(home: Path, verified: object):
    at = _app(_signed_in("importer@council.gov.uk", verified), home=home).run()
    assert not at.exception, at.exception
    assert "cannot give you a role" in at.error[0].value
    assert not at.sidebar.caption or not any("Signed in as" in c.value for c in at.sidebar.caption)
    (event,) = [json.loads(line) for line in (home / "audit.jsonl").read_text().splitlines()]
    assert (event["who"], event["attempted"]) == (
        "importer@council.gov.uk",
        "use the explorer (e-mail address not verified)",
    )


def test_a_provider_that_sends_no_email_verified_can_be_named_in_the_secrets(home: Path):
    at = _app(_signed_in("importer@council.gov.uk", None), home=home)
    at.secrets["sign_in"] = {"email_verified": "not sent"}
    at.run()
    assert not at.exception, at.exception
    assert any("Signed in as **importer@council.gov.uk**" in c.value for c in at.sidebar.caption)
    # ...but a claim that says false is still refused.
    at = _app(_signed_in("importer@council.gov.uk", False), home=home)
    at.secrets["sign_in"] = {"email_verified": "not sent"}
    at.run()
    assert "is not verified" in at.error[0].value


def test_a_wrong_email_verified_setting_stops_the_app(home: Path):
    at = _app(_signed_in("importer@council.gov.uk"), home=home)
    at.secrets["sign_in"] = {"email_verified": "maybe"}
    at.run()
    assert not at.exception, at.exception
    assert "[sign_in] email_verified" in at.error[0].value


@pytest.mark.parametrize(
    ("email", "sees_ids"),
    [("importer@council.gov.uk", True), ("analyst@council.gov.uk", False), ("viewer@council.gov.uk", False)],
)
def test_only_the_importer_sees_each_iros_caseload_by_iro_id(home: Path, email: str, sees_ids: bool):
    # Issue 25: IRO ids are staff data. Every role sees the caseload distribution; only the importer
    # the table naming each IRO (the shipped data has 30 IROs with allocations at 31 March 2026).
    at = _app(_signed_in(email), home=home).run()
    at.switch_page("pages/children.py").run()
    assert not at.exception, at.exception
    section = "Table: each IRO's caseload (importers only)"
    assert [e.label for e in at.expander].count(section) == (1 if sees_ids else 0)
    open_every_section(at)  # the table is drawn once its section is opened
    named = [frame.value for frame in at.dataframe if "IRO" in frame.value.columns]
    assert len(named) == (1 if sees_ids else 0)
    if sees_ids:
        assert len(named[0]) == 30 and named[0]["IRO"].str.startswith("IRO-").all()
    assert any("30 IROs had an allocation open" in m.value for m in at.markdown)  # the distribution's sentence
