"""The audit trail: an append-only JSON-lines log in the data home (``audit.jsonl``).

One line per event: an import (who, when, the files with their SHA-256 hashes, the outcome and
what was set aside), a deleted dataset, or a committee paper produced. Lines are only ever
appended; each holds the SHA-256 of the line before it (``previous``), so an edited or removed
line shows up in ``check_chain``. The log never holds child-level data: no child ids, dates of
birth or row values, only file names, hashes, counts and rule names.

A chain alone cannot show a removed last line, a truncation, a deleted log or a line edited with
the chain recomputed after it. So the log is anchored (``verify``):

- with a key (``[audit] key`` in ``.streamlit/secrets.toml``, never in the data home), every line
  carries ``mac``, an HMAC-SHA256 of the line without it, so an edited line cannot be re-signed;
- an anchor file beside the log (``audit.anchor.json``) holds the number of lines, the SHA-256 of
  the last line (the head) and the time of the last write, HMAC'd with the same key. Each append
  counts on from the anchor (not from the file), so a shortened or deleted log stays short of it;
- once a check fails, every later append carries the first failure's time forward in the anchor
  (``altered_since``), so writing more lines never heals a tampered log.

Without a key the anchor and lines are unkeyed: they show accidental damage and a careless edit,
but anyone who can write the data home can rewrite both, and ``verify`` says so.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

AUDIT_FILE_NAME = "audit.jsonl"
ANCHOR_FILE_NAME = "audit.anchor.json"
GENESIS = "0" * 64  # the ``previous`` of the first line

IMPORT = "import"
DELETE = "delete dataset"
PAPER = "briefing paper"
REFUSED = "refused"


def audit_path(data_home: Path) -> Path:
    """Where the audit log lives: ``audit.jsonl`` in the data home."""
    return data_home / AUDIT_FILE_NAME


def anchor_path(log: Path) -> Path:
    """Where a log's anchor lives: ``audit.anchor.json`` beside it."""
    return log.with_name(ANCHOR_FILE_NAME)


def _mac(key: bytes | None, data: bytes) -> str:
    """HMAC-SHA256 of ``data`` with ``key`` (a plain SHA-256 when there is no key), as hex."""
    if key:
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return sha256_hex(data)


def _line_body(event: Mapping[str, Any]) -> bytes:
    """The bytes a line's ``mac`` covers: the event without its ``mac``, as written."""
    return json.dumps({k: v for k, v in event.items() if k != "mac"}, ensure_ascii=False).encode("utf-8")


def _anchor_body(anchor: Mapping[str, Any]) -> bytes:
    return json.dumps({k: anchor.get(k) for k in ("count", "head", "when", "altered_since", "keyed")}).encode()


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found: whether the log is as the explorer last left it, and since when not."""

    keyed: bool
    entries: int
    problems: list[str] = field(default_factory=list)
    since: str | None = None  # the last time the log was known good (UTC ISO), when it is not

    @property
    def intact(self) -> bool:
        """True when nothing was found wrong."""
        return not self.problems

    def headline(self) -> str:
        """One sentence for the page and the app's start ("" when intact)."""
        if self.intact:
            return ""
        return f"The audit log has been altered or truncated since {self.since or 'an unknown time'}."


def _read_anchor(log: Path) -> dict[str, Any] | None:
    try:
        anchor = json.loads(anchor_path(log).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"broken": True}
    return anchor if isinstance(anchor, dict) else {"broken": True}


def verify(log: Path, key: bytes | None) -> Verdict:
    """Check the log against its chain, each line's MAC and the anchor (count, head, anchor MAC)."""
    keyed = bool(key)
    anchor = _read_anchor(log)
    raw = log.read_bytes().splitlines() if log.is_file() else []
    problems = check_chain(log) if raw else []
    last_good: str | None = None
    for number, line in enumerate(raw, start=1):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            break
        if keyed and not hmac.compare_digest(str(event.get("mac", "")), _mac(key, _line_body(event))):
            problems.append(f"line {number} does not carry the explorer's signature: it was edited or written by hand")
            break
        last_good = str(event.get("when", "")) or last_good
    since: str | None = None
    if anchor is None:
        if raw:
            problems.append("the anchor (audit.anchor.json) is missing: it was deleted")
    elif anchor.get("broken") or not hmac.compare_digest(str(anchor.get("mac", "")), _mac(key, _anchor_body(anchor))):
        problems.append("the anchor (audit.anchor.json) was edited or is not signed with this key")
    else:
        since = anchor.get("altered_since") or anchor.get("when")
        if anchor.get("altered_since"):
            problems.append(f"a check failed at {anchor['altered_since']}; later lines cannot undo it")
        count = int(anchor.get("count", 0))
        if not log.is_file() and count:
            problems.append(f"the log is missing: it was deleted after {count:,} entries")
        elif len(raw) != count:
            problems.append(f"the log has {len(raw):,} entries where the anchor records {count:,}")
        elif raw and anchor.get("head") != sha256_hex(raw[-1]):
            problems.append("the last entry is not the one the anchor records")
        if problems and anchor.get("when") and not anchor.get("altered_since"):
            since = anchor["when"]
    if problems and since is None:
        since = last_good
    return Verdict(keyed=keyed, entries=len(raw), problems=problems, since=since if problems else None)


def writable_problem(path: Path) -> str | None:
    """Why the log cannot be appended to (None when it can); creates an empty log if there is none."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640))
    except OSError as error:
        return f"{path}: the audit log cannot be written ({error.strerror or error})"
    return None


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of some bytes, as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def file_entry(name: str, data: bytes) -> dict[str, Any]:
    """How a file appears in the log: its name, size and SHA-256 (never its contents)."""
    return {"name": name, "bytes": len(data), "sha256": sha256_hex(data)}


def append_event(
    path: Path,
    *,
    who: str,
    action: str,
    outcome: str,
    details: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    key: bytes | None = None,
) -> dict[str, Any]:
    """Append one event to the log (creating it if needed), re-anchor it and return the line written.

    The write holds an exclusive lock on the file, so two sessions never interleave lines. The line
    carries its HMAC (``mac``) and the anchor counts on from the anchor before it (see ``verify``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        before = verify(path, key)
        anchor = _read_anchor(path)
        if anchor is None or anchor.get("broken"):
            count = 0 if anchor is None else before.entries
        else:
            count = int(anchor.get("count", 0))
        altered_since = None if before.intact else (anchor or {}).get("altered_since") or before.since or when
        last = _last_line(fd)
        previous = sha256_hex(last) if last else GENESIS
        event = {
            "when": when,
            "who": who,
            "action": action,
            "outcome": outcome,
            **dict(details or {}),
            "previous": previous,
        }
        event["mac"] = _mac(key, _line_body(event))
        line = json.dumps(event, ensure_ascii=False, sort_keys=False) + "\n"
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
        _write_anchor(
            path,
            key,
            count=count + 1,
            head=sha256_hex(line.encode("utf-8").rstrip(b"\n")),
            when=when,
            altered_since=altered_since,
        )
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return event


def _write_anchor(log: Path, key: bytes | None, *, count: int, head: str, when: str, altered_since: str | None) -> None:
    """Replace the anchor atomically (a temporary file renamed over it)."""
    anchor: dict[str, Any] = {
        "count": count,
        "head": head,
        "when": when,
        "altered_since": altered_since,
        "keyed": bool(key),
    }
    anchor["mac"] = _mac(key, _anchor_body(anchor))
    target = anchor_path(log)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(anchor) + "\n", encoding="utf-8")
    os.chmod(temporary, 0o640)
    os.replace(temporary, target)


def _last_line(fd: int) -> bytes:
    """The log's last line without its newline, or b'' for an empty log (the genesis hash)."""
    size = os.lseek(fd, 0, os.SEEK_END)
    if size == 0:
        return b""
    chunk = 4096
    data = b""
    position = size
    while position > 0:
        step = min(chunk, position)
        position -= step
        data = os.pread(fd, step, position) + data
        if data.rstrip(b"\n").count(b"\n") >= 1:
            break
    return data.rstrip(b"\n").rsplit(b"\n", 1)[-1]


def read_events(path: Path) -> list[dict[str, Any]]:
    """Every event in the log, oldest first ([] when there is no log yet)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_chain(path: Path) -> list[str]:
    """Problems with the log's chain of hashes ([] when every line follows the one before it)."""
    if not path.is_file():
        return []
    problems: list[str] = []
    previous = b""
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"line {number} is not a JSON object")
            previous = line
            continue
        if event.get("previous") != (sha256_hex(previous) if previous else GENESIS):
            problems.append(f"line {number} does not follow line {number - 1}: a line was changed or removed")
        previous = line
    return problems


# --- The events the app records -------------------------------------------------------------------


def record_import(
    path: Path,
    *,
    key: bytes | None = None,
    who: str,
    dataset: str,
    files: Iterable[tuple[str, bytes]],
    ok: bool,
    errors: int,
    warnings: int,
    table_rows: Mapping[str, int],
    set_aside: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Log an import: the files (name, size, SHA-256), the outcome and the records set aside.

    Only counts go in: the import report's messages (which can name a child) never do.
    """
    return append_event(
        path,
        key=key,
        who=who,
        action=IMPORT,
        outcome="imported" if ok else "not imported",
        details={
            "dataset": dataset,
            "files": [file_entry(name, data) for name, data in files],
            "errors": int(errors),
            "warnings": int(warnings),
            "rows": {str(table): int(rows) for table, rows in table_rows.items()},
            "set_aside": [
                {"rule": str(s.get("rule", "")), "count": int(s.get("count", 0)), "unit": str(s.get("unit", ""))}
                for s in set_aside
            ],
        },
    )


def record_deletion(
    path: Path, *, key: bytes | None = None, who: str, dataset: str, ok: bool, reason: str = ""
) -> dict[str, Any]:
    """Log the deletion of an imported dataset (or a failed attempt, with why)."""
    details: dict[str, Any] = {"dataset": dataset}
    if reason:
        details["reason"] = reason
    return append_event(
        path, key=key, who=who, action=DELETE, outcome="deleted" if ok else "not deleted", details=details
    )


def record_paper(
    path: Path,
    *,
    key: bytes | None = None,
    who: str,
    dataset: str,
    selection: str,
    file_name: str,
    data: bytes,
    suppression: int,
) -> dict[str, Any]:
    """Log a committee paper produced: what it covers, its file name and SHA-256."""
    return append_event(
        path,
        key=key,
        who=who,
        action=PAPER,
        outcome="produced",
        details={
            "dataset": dataset,
            "selection": selection,
            "file": file_entry(file_name, data),
            "suppression_threshold": int(suppression),
        },
    )


def record_refusal(path: Path, *, key: bytes | None = None, who: str, attempted: str) -> dict[str, Any]:
    """Log an action refused for want of the role (an import page opened by a viewer, say)."""
    return append_event(path, key=key, who=who, action=REFUSED, outcome="refused", details={"attempted": attempted})
