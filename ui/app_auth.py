"""Sign-in, roles and the audit trail: the Streamlit glue (the rules live in ``iro_metrics.access``).

``start()`` runs at the top of app.py, before any page:

- With no ``[auth]`` section in ``.streamlit/secrets.toml`` the explorer is for one person on their
  own computer: it refuses to run unless the server listens on this computer only (localhost), and
  the sidebar says so. That person may do everything.
- With ``[auth]`` configured, everyone signs in through the council's identity provider
  (``st.login``, OpenID Connect) and gets the role the role file (``roles.toml`` in the data home)
  gives their e-mail address. A missing or malformed role file, or XSRF protection turned off,
  stops the explorer with a clear message: it never falls back to open access.

Pages call ``require(action)`` (refuses with a clear message), ``may(action)``, ``restrict(...)``
and the ``log_*`` functions, which append to the audit log (``audit.jsonl`` in the data home).
"""

from __future__ import annotations

import getpass
import importlib.util
import ipaddress
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import config

from iro_metrics import store
from iro_metrics.access import audit, identity, roles
from iro_metrics.access.restrict import restrict_result
from ui import navigation

ACCESS_STATE = "_iro_access"
_REFUSALS_LOGGED = "_iro_refusals_logged"
LOCAL_ADDRESSES = frozenset({"localhost"})

SETUP_HINT = "See docs/deployment.md."


@dataclass(frozen=True)
class Access:
    """Who is using this session and what they may do."""

    who: str
    grant: roles.Grant
    signed_in: bool

    def may(self, action: str) -> bool:
        return self.grant.may(action)


# --- Configuration --------------------------------------------------------------------------------


def auth_section() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of the secrets, or None when sign-in is not configured."""
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:
        return None
    except Exception:  # secrets.toml that is not valid TOML: Streamlit names the file in its log
        st.error("`.streamlit/secrets.toml` cannot be read, so sign-in cannot be checked. " + SETUP_HINT)
        st.stop()
    return section if isinstance(section, Mapping) and section else None


def provider_name(section: Mapping[str, Any]) -> str | None:
    """The identity provider to use: None for settings directly in ``[auth]``, else the first
    ``[auth.NAME]`` table that holds a ``client_id``."""
    if "client_id" in section:
        return None
    for name, value in section.items():
        if isinstance(value, Mapping) and "client_id" in value:
            return str(name)
    return None


def configuration_problems(section: Mapping[str, Any] | None) -> list[str]:
    """Why the explorer must not start with this configuration ([] when it may)."""
    problems: list[str] = []
    if section is None:
        address = config.get_option("server.address")
        if not is_local_address(address):
            shown = address or "every network interface (server.address is not set)"
            problems.append(
                f"No sign-in is configured, but the explorer is listening on {shown}. Without sign-in it must "
                'listen on this computer only: set server.address = "localhost" in .streamlit/config.toml, '
                "or configure sign-in."
            )
        return problems
    if not config.get_option("server.enableXsrfProtection"):
        problems.append(
            "Sign-in is configured but XSRF protection is off (server.enableXsrfProtection = false). "
            "Turn it back on: without it another website could act in a signed-in person's name."
        )
    for key in ("redirect_uri", "cookie_secret"):
        if not section.get(key):
            problems.append(f"The [auth] section of .streamlit/secrets.toml has no {key}.")
    settings = section if provider_name(section) is None else section[provider_name(section)]
    for key in ("client_id", "client_secret", "server_metadata_url"):
        if not settings.get(key):
            problems.append(f"The sign-in settings in .streamlit/secrets.toml have no {key}.")
    if importlib.util.find_spec("authlib") is None:  # Streamlit's st.login needs it installed
        problems.append("Sign-in needs the Authlib package: pip install -r requirements.txt.")
    return problems


def websocket_allowed_origins() -> list[str]:
    """Origins besides the request's own that may open the app's WebSocket (iro_metrics.access.origin):
    ``server.corsAllowedOrigins`` and the origin of the sign-in ``redirect_uri`` (the public address)."""
    allowed = [str(o) for o in (config.get_option("server.corsAllowedOrigins") or [])]
    try:
        section = st.secrets.get("auth")
        redirect = section.get("redirect_uri") if isinstance(section, Mapping) else None
    except Exception:  # no secrets, or unreadable ones (start() says so on the page)
        redirect = None
    if isinstance(redirect, str) and redirect:
        allowed.append(redirect)
    return allowed


def is_local_address(address: str | None) -> bool:
    """True for an address only this computer can reach (localhost, 127.0.0.1, ::1)."""
    if not address:
        return False
    if address.strip().lower() in LOCAL_ADDRESSES:
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def _refuse_to_start(problems: Sequence[str]) -> None:
    st.title("The IRO performance explorer cannot start")
    st.error("\n\n".join(problems), icon=":material/block:")
    st.caption(SETUP_HINT)
    _stop()


def _stop() -> None:
    """Stop before any page, with the page list hidden (no page is reachable from here)."""
    _hide_pages()
    st.stop()


def _hide_pages() -> None:
    """Offer no page but a blank one (the explorer's pages, and pages/, stay out of reach)."""
    st.navigation([st.Page(_nothing, title="IRO performance explorer", url_path="sign-in")], position="hidden")


def _nothing() -> None:
    """The only page offered to someone who may not go on: it draws nothing."""


def _role_file(required: bool) -> roles.RoleFile | None:
    path = roles.role_file_path(store.data_home())
    if not required and not path.exists():
        return None
    try:
        return roles.read_role_file(path)
    except roles.RoleFileError as error:
        _refuse_to_start([f"The role file is not usable, so nobody is let in. {error}"])
    return None


# --- Sign-in --------------------------------------------------------------------------------------


def start() -> Access:
    """Check the configuration, sign the person in and work out their role; stop otherwise."""
    section = auth_section()
    problems = configuration_problems(section)
    if problems:
        _refuse_to_start(problems)
    role_file = _role_file(required=section is not None)
    if section is not None and (problem := audit.writable_problem(audit_log_path())):
        _refuse_to_start([f"Every import, deletion and paper must be recorded, but {problem}."])
    if section is not None and audit_key() is None:
        _refuse_to_start(
            [
                "Sign-in is configured but the audit log has no signing key: add an [audit] section with "
                'key = "<a long random string>" to .streamlit/secrets.toml (python tools/audit_key.py writes one).'
            ]
        )
    if section is None:
        access = Access(f"local user ({_local_user_name()})", roles.Grant("local", roles.IMPORTER), False)
        st.session_state[ACCESS_STATE] = access
        st.sidebar.caption(
            ":material/lock: Single-user mode: no sign-in is configured, so the explorer listens on this "
            "computer only (localhost)."
        )
        return access
    if not st.user.is_logged_in:
        st.session_state.pop(ACCESS_STATE, None)
        _hide_pages()  # before the button: the first click on a fresh server must reach st.login
        st.title("IRO performance explorer")
        st.write("Sign in with your council account to see the explorer.")
        if st.button("Sign in", type="primary", icon=":material/login:"):
            st.login(provider_name(section))
        st.stop()
    person = _identity()
    grant = role_file.grant_for(person.email) if role_file and person.email and not person.refused else None
    if grant is None:
        st.session_state.pop(ACCESS_STATE, None)
        _hide_pages()
        if person.refused:
            _log_refusal_once(person.email or "unknown", "use the explorer (e-mail address not verified)")
            why = f"You are signed in as {person.email}, but {person.refused}. Ask the explorer's administrator."
        else:
            _log_refusal_once(person.email or "unknown", "use the explorer (not in the role file)")
            why = (
                f"You are signed in as {person.email or 'an account without an e-mail address'}, but that account "
                "has no role in this explorer. Ask the explorer's administrator to add you to the role file."
            )
        st.title("IRO performance explorer")
        st.error(why, icon=":material/block:")
        if st.button("Sign out", icon=":material/logout:"):
            st.logout()
        st.stop()
    access = Access(grant.identity, grant, True)
    st.session_state[ACCESS_STATE] = access
    st.sidebar.caption(f":material/person: Signed in as **{grant.identity}** · {grant.description}")
    if st.sidebar.button("Sign out", icon=":material/logout:", key="_iro_sign_out"):
        st.session_state.pop(ACCESS_STATE, None)
        st.logout()
        _stop()
    return access


def _identity() -> identity.Identity:
    """The signed-in person's e-mail (``email``, else Entra ID's ``preferred_username``), checked as
    verified by the identity provider (``email_verified``; see iro_metrics.access.identity)."""
    try:
        section = st.secrets.get("sign_in")
        policy = identity.email_verified_policy(section if isinstance(section, Mapping) else None)
    except ValueError as error:
        _refuse_to_start([str(error)])
    except Exception:
        policy = identity.REQUIRED
    return identity.identity_from_claims(
        {k: st.user.get(k) for k in ("email", "preferred_username", "email_verified")}, policy
    )


def _local_user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


# --- What pages ask -------------------------------------------------------------------------------


def current_access() -> Access:
    """This session's access; a page run on its own (before app.py) is sent through app.py first."""
    access = st.session_state.get(ACCESS_STATE)
    if access is None:
        navigation.ensure_entrypoint()  # a page run on its own (a deep link just after start) goes through app.py
        st.stop()
    return access


def may(action: str) -> bool:
    """Whether the person using this session may do ``action`` (see ``roles.ACTION_ROLES``)."""
    access = st.session_state.get(ACCESS_STATE)
    return access is not None and access.may(action)


def require(action: str, title: str | None = None) -> Access:
    """Stop the page, with a clear message (and a line in the audit log), unless the role allows ``action``."""
    access = current_access()
    if access.may(action):
        return access
    needed = roles.ACTION_ROLES[action]
    if title:
        st.title(title)
    st.error(
        f"Your role ({access.grant.role}) does not allow you to {roles.ACTION_WORDS[action]}: that needs the "
        f"{needed} role. Ask the explorer's administrator if you need it.",
        icon=":material/block:",
    )
    _log_refusal_once(access.who, roles.ACTION_WORDS[action])
    st.stop()
    return access


def visible_areas(areas: Sequence[str]) -> list[str]:
    """The areas the person may choose (all of them unless their role names some)."""
    access = st.session_state.get(ACCESS_STATE)
    if access is None:
        return list(areas)
    shown = access.grant.visible_areas(areas)
    if access.grant.restricted and not shown:
        st.sidebar.warning(
            f"None of your areas ({', '.join(access.grant.areas)}) is in this dataset, so you see the council "
            "total only. If that is wrong, ask the explorer's administrator to check the area names in the role file.",
            icon=":material/warning:",
        )
    return shown


def restrict(result: Any, all_areas: Iterable[str]) -> Any:
    """A computed result without anything about areas this person may not see."""
    access = st.session_state.get(ACCESS_STATE)
    if access is None or not access.grant.restricted:
        return result
    return restrict_result(result, set(all_areas) - set(access.grant.areas))


# --- Audit log ------------------------------------------------------------------------------------


def audit_log_path() -> Path:
    """The audit log: ``audit.jsonl`` in the data home."""
    return audit.audit_path(store.data_home())


def audit_key() -> bytes | None:
    """The key that signs the audit log (``[audit] key`` in ``.streamlit/secrets.toml``), or None.

    The key lives with the secrets, never in the data home, so whoever can write the log and its
    anchor cannot re-sign them. ``make run`` writes one if there is none (tools/audit_key.py);
    sign-in refuses to start without it; single-user mode runs without it and the audit page says
    the log is then unsigned.
    """
    try:
        section = st.secrets.get("audit")
    except Exception:  # no secrets file, or one that is not TOML (auth_section reports that)
        return None
    key = section.get("key") if isinstance(section, Mapping) else None
    return key.strip().encode("utf-8") if isinstance(key, str) and key.strip() else None


def audit_verdict() -> audit.Verdict:
    """The audit log checked against its chain, each line's signature and its anchor."""
    return audit.verify(audit_log_path(), audit_key())


def audit_warning() -> None:
    """At the app's start: say so, on every page, when the audit log was altered or truncated."""
    verdict = audit_verdict()
    if not verdict.intact:
        st.error(
            verdict.headline() + " Ask the explorer's administrator to compare it with the last backup "
            "(the Audit log page lists what was found).",
            icon=":material/gpp_bad:",
        )


def _log_refusal_once(who: str, attempted: str) -> None:
    logged = st.session_state.setdefault(_REFUSALS_LOGGED, set())
    if attempted not in logged:
        logged.add(attempted)
        audit.record_refusal(audit_log_path(), key=audit_key(), who=who, attempted=attempted)


def log_import(files: Sequence[tuple[str, bytes]], dataset: str, report: Any) -> None:
    """Record an import (succeeded or not) with its files' hashes and what it set aside."""
    audit.record_import(
        audit_log_path(),
        key=audit_key(),
        who=current_access().who,
        dataset=dataset,
        files=files,
        ok=bool(report.ok),
        errors=len(report.errors),
        warnings=len(report.warnings),
        table_rows=dict(report.table_rows) if report.ok else {},
        set_aside=_set_aside(report.dataset_path) if report.ok else [],
    )


def _set_aside(folder: Path | None) -> list[dict[str, Any]]:
    try:
        meta = tomllib.loads((Path(folder) / "dataset.toml").read_text(encoding="utf-8")) if folder else {}
    except (OSError, tomllib.TOMLDecodeError):
        return []
    return [dict(entry) for entry in meta.get("set_aside", [])]


def logged_paper(
    make: Callable[[], bytes | str], file_name: str, selection: Any, threshold: int, dataset: str
) -> Callable[[], bytes]:
    """Wrap a paper's maker (for ``st.download_button(data=...)``) so that producing it is logged.

    ``selection`` is the page's ``Selection`` (its description goes in the log); ``dataset`` the
    key of the dataset in use (``state.current_dataset_key()``).
    """
    who = current_access().who
    covers = str(getattr(selection, "description", selection))

    def produce() -> bytes:
        data = make()
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        audit.record_paper(
            audit_log_path(),
            key=audit_key(),
            who=who,
            dataset=dataset,
            selection=covers,
            file_name=file_name,
            data=raw,
            suppression=threshold,
        )
        return raw

    return produce


def delete_dataset(key: str) -> str | None:
    """Delete an imported dataset for someone whose role allows it, and log it; the problem, or None."""
    access = require("delete")
    try:
        store.delete_imported_dataset(key)
    except (ValueError, OSError) as error:
        audit.record_deletion(
            audit_log_path(), key=audit_key(), who=access.who, dataset=key, ok=False, reason=str(error)
        )
        return str(error)
    audit.record_deletion(audit_log_path(), key=audit_key(), who=access.who, dataset=key, ok=True)
    return None
