"""Who may do what: the role file in the data home (``roles.toml``).

A council that runs one explorer for several people lists each person once::

    [[user]]
    email = "amira.khan@council.gov.uk"
    role = "importer"            # analyst, plus importing and deleting datasets

    [[user]]
    email = "sam.jones@council.gov.uk"
    role = "analyst"             # viewer, plus committee briefings and downloads

    [[user]]
    email = "area.manager@council.gov.uk"
    role = "viewer"              # sees the figures on screen
    areas = ["Ashford", "Dover"] # optional: only these areas and the council total

The file is checked in full when it is read: any mistake raises ``RoleFileError`` naming the
file, the entry (with its line) and what is wrong. A broken file never means open access.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROLE_FILE_NAME = "roles.toml"

VIEWER = "viewer"
ANALYST = "analyst"
IMPORTER = "importer"
# Each role can do everything the roles before it can.
ROLES: tuple[str, ...] = (VIEWER, ANALYST, IMPORTER)

# What each role may do, by action name (the app asks ``grant.may(action)``).
ACTION_ROLES: dict[str, str] = {
    "view": VIEWER,
    "download": ANALYST,
    "briefing": ANALYST,
    "import": IMPORTER,
    "see_iros": IMPORTER,  # each IRO's caseload by IRO id (staff data); others see the distribution
    "delete": IMPORTER,
    "audit": IMPORTER,
}

ACTION_WORDS: dict[str, str] = {
    "view": "see the explorer",
    "download": "download tables",
    "briefing": "produce committee briefings",
    "import": "import data",
    "see_iros": "see each IRO's caseload",
    "delete": "delete datasets",
    "audit": "see the audit log",
}

_ENTRY_KEYS = frozenset({"email", "role", "areas", "name"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ENTRY_HEADER = re.compile(r"^\s*\[\[\s*user\s*\]\]")


class RoleFileError(ValueError):
    """The role file cannot be used; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class Grant:
    """What one person may do: a role and, for a viewer, optionally a list of areas."""

    identity: str
    role: str
    areas: tuple[str, ...] = ()  # empty: every area

    @property
    def restricted(self) -> bool:
        """True when this person sees only some areas (and the council total)."""
        return bool(self.areas)

    def may(self, action: str) -> bool:
        """Whether this role allows ``action`` (a key of ``ACTION_ROLES``)."""
        return ROLES.index(self.role) >= ROLES.index(ACTION_ROLES[action])

    def visible_areas(self, areas: Sequence[str]) -> list[str]:
        """The areas of ``areas`` this person may see (all of them when unrestricted), in order."""
        if not self.restricted:
            return list(areas)
        allowed = set(self.areas)
        return [a for a in areas if a in allowed]

    @property
    def description(self) -> str:
        where = "every area" if not self.restricted else ", ".join(self.areas) + " and the council total"
        return f"{self.role} ({where})"


@dataclass(frozen=True)
class RoleFile:
    """The parsed role file: one grant per person, looked up by e-mail (case-insensitive)."""

    path: Path
    grants: dict[str, Grant]

    def grant_for(self, identity: str | None) -> Grant | None:
        """The grant for a signed-in person's e-mail address, or None when they are not listed."""
        if not identity:
            return None
        return self.grants.get(identity.strip().lower())


def role_file_path(data_home: Path) -> Path:
    """Where the role file lives: ``roles.toml`` in the data home."""
    return data_home / ROLE_FILE_NAME


def read_role_file(path: Path) -> RoleFile:
    """Read and check the role file; raise RoleFileError on any mistake (never a partial result)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RoleFileError(f"{path}: the role file does not exist; sign-in needs it to know who may do what") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RoleFileError(f"{path}: the role file cannot be read ({error})") from None
    return parse_role_file(text, path)


def parse_role_file(text: str, path: Path) -> RoleFile:
    """Parse the role file's text; ``path`` is named in every error message."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RoleFileError(f"{path}: not valid TOML: {error}") from None
    unknown = sorted(set(document) - {"user"})
    if unknown:
        raise RoleFileError(
            f"{path}: unknown section or key {', '.join(repr(k) for k in unknown)}; "
            "the file holds only [[user]] entries"
        )
    entries = document.get("user", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise RoleFileError(f"{path}: 'user' must be written as [[user]] tables, one per person")
    if not entries:
        raise RoleFileError(f"{path}: no [[user]] entries, so nobody could use the explorer")
    header_lines = [n for n, line in enumerate(text.splitlines(), start=1) if _ENTRY_HEADER.match(line)]
    grants: dict[str, Grant] = {}
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else None
        where = f"{path}: entry {index + 1}" + (f" (line {line})" if line else "")
        grant = _grant(entry, where)
        if grant.identity in grants:
            raise RoleFileError(f"{where}: {grant.identity} is listed more than once; list each person once")
        grants[grant.identity] = grant
    return RoleFile(path, grants)


def _grant(entry: dict, where: str) -> Grant:
    unknown = sorted(set(entry) - _ENTRY_KEYS)
    if unknown:
        raise RoleFileError(
            f"{where}: unknown key {', '.join(repr(k) for k in unknown)}; allowed keys are email, role, areas, name"
        )
    email = entry.get("email")
    if not isinstance(email, str) or not email.strip():
        raise RoleFileError(f"{where}: 'email' is missing; each entry names the person's sign-in e-mail address")
    if not _EMAIL.match(email.strip()):
        raise RoleFileError(f"{where}: 'email' {email!r} is not an e-mail address")
    identity = email.strip().lower()
    role = entry.get("role")
    if role not in ROLES:
        shown = "missing" if role is None else f"{role!r} is not a role"
        raise RoleFileError(f"{where} ({identity}): 'role' {shown}; use one of {', '.join(ROLES)}")
    areas = entry.get("areas")
    if areas is None:
        return Grant(identity, role)
    if role != VIEWER:
        raise RoleFileError(f"{where} ({identity}): 'areas' can be set only for a viewer; an {role} sees every area")
    if not isinstance(areas, list) or not areas or not all(isinstance(a, str) and a.strip() for a in areas):
        raise RoleFileError(
            f'{where} ({identity}): \'areas\' must be a list of area names, such as ["Ashford", "Dover"]; '
            "leave it out for every area"
        )
    cleaned = tuple(sorted({a.strip() for a in areas}))
    return Grant(identity, role, cleaned)
