"""The audit trail: an append-only JSON-lines log in the data home (``audit.jsonl``).

One line per event: an import (who, when, the files with their SHA-256 hashes, the outcome and
what was set aside), a deleted dataset, or a committee paper produced. Lines are only ever
appended; each holds the SHA-256 of the line before it (``previous``), so an edited or removed
line shows up in ``check_chain``. The log never holds child-level data: no child ids, dates of
birth or row values, only file names, hashes, counts and rule names.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

AUDIT_FILE_NAME = "audit.jsonl"
GENESIS = "0" * 64  # the ``previous`` of the first line

IMPORT = "import"
DELETE = "delete dataset"
PAPER = "briefing paper"
REFUSED = "refused"


def audit_path(data_home: Path) -> Path:
    """Where the audit log lives: ``audit.jsonl`` in the data home."""
    return data_home / AUDIT_FILE_NAME


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
) -> dict[str, Any]:
    """Append one event to the log (creating it if needed) and return the line written.

    The write holds an exclusive lock on the file, so two sessions never interleave lines.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
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
        line = json.dumps(event, ensure_ascii=False, sort_keys=False) + "\n"
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return event


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


def record_deletion(path: Path, *, who: str, dataset: str, ok: bool, reason: str = "") -> dict[str, Any]:
    """Log the deletion of an imported dataset (or a failed attempt, with why)."""
    details: dict[str, Any] = {"dataset": dataset}
    if reason:
        details["reason"] = reason
    return append_event(path, who=who, action=DELETE, outcome="deleted" if ok else "not deleted", details=details)


def record_paper(
    path: Path, *, who: str, dataset: str, selection: str, file_name: str, data: bytes, suppression: int
) -> dict[str, Any]:
    """Log a committee paper produced: what it covers, its file name and SHA-256."""
    return append_event(
        path,
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


def record_refusal(path: Path, *, who: str, attempted: str) -> dict[str, Any]:
    """Log an action refused for want of the role (an import page opened by a viewer, say)."""
    return append_event(path, who=who, action=REFUSED, outcome="refused", details={"attempted": attempted})
