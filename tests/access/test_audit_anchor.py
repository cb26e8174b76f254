"""The audit log's anchor: every way of altering the log after the fact is reported, with since when.

Each test writes three events at known times (10:00, 11:00, 12:00 on 1 Dec 2026) with a key, then
tampers the way an attacker who can write the data home (but has not got the key) would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iro_metrics.access import audit

KEY = b"a-test-key-that-is-not-in-the-data-home"
TIMES = [datetime(2026, 12, 1, hour, 0, 0, tzinfo=UTC) for hour in (10, 11, 12)]
LAST = "2026-12-01T12:00:00+00:00"  # the time of the third (last) write


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = audit.audit_path(tmp_path)
    for number, when in enumerate(TIMES, start=1):
        audit.append_event(
            path, key=KEY, who=f"viewer{number}@council.gov.uk", action=audit.REFUSED, outcome="refused", now=when
        )
    return path


def _lines(log: Path) -> list[bytes]:
    return log.read_bytes().splitlines()


def _write(log: Path, lines: list[bytes]) -> None:
    log.write_bytes(b"".join(line + b"\n" for line in lines))


def test_an_untouched_log_is_intact(log: Path):
    verdict = audit.verify(log, KEY)
    assert verdict.intact, verdict.problems
    assert (verdict.entries, verdict.keyed, verdict.headline()) == (3, True, "")


def test_the_last_line_removed_is_reported(log: Path):
    _write(log, _lines(log)[:-1])
    assert audit.check_chain(log) == []  # the chain alone says nothing
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert "2 entries where the anchor records 3" in " ".join(verdict.problems)
    assert verdict.headline() == f"The audit log has been altered or truncated since {LAST}."


def test_truncation_to_nothing_is_reported(log: Path):
    log.write_bytes(b"")
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert verdict.headline() == f"The audit log has been altered or truncated since {LAST}."


def test_a_line_edited_with_the_chain_recomputed_is_reported(log: Path):
    events = [json.loads(line) for line in _lines(log)]
    events[1]["who"] = "someone.else@council.gov.uk"
    previous = audit.GENESIS
    rebuilt = []
    for event in events:  # the attacker recomputes every hash after the edit, but has no key for the MAC
        event["previous"] = previous
        event["mac"] = hashlib.sha256(b"guess").hexdigest()
        line = json.dumps(event, ensure_ascii=False).encode("utf-8")
        rebuilt.append(line)
        previous = hashlib.sha256(line).hexdigest()
    _write(log, rebuilt)
    assert audit.check_chain(log) == []
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert any("line 1 " in p for p in verdict.problems)  # the first line's re-made MAC is already wrong
    assert verdict.headline().startswith("The audit log has been altered or truncated since ")


def test_a_deleted_log_is_reported_not_shown_as_empty(log: Path):
    log.unlink()
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert "deleted after 3 entries" in " ".join(verdict.problems)
    assert verdict.headline() == f"The audit log has been altered or truncated since {LAST}."


def test_a_deleted_anchor_is_reported(log: Path):
    audit.anchor_path(log).unlink()
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert "anchor" in " ".join(verdict.problems) and "deleted" in " ".join(verdict.problems)
    # Since the last line whose signature checks: the third.
    assert verdict.headline() == f"The audit log has been altered or truncated since {LAST}."


def test_an_edited_anchor_is_reported(log: Path):
    _write(log, _lines(log)[:-1])
    anchor = json.loads(audit.anchor_path(log).read_text(encoding="utf-8"))
    anchor["count"] = 2  # made to agree with the shortened log, head too, but signed without the key
    anchor["head"] = hashlib.sha256(_lines(log)[-1]).hexdigest()
    body = json.dumps({k: anchor.get(k) for k in ("count", "head", "when", "altered_since", "keyed")}).encode()
    anchor["mac"] = hmac.new(b"a-guessed-key", body, hashlib.sha256).hexdigest()
    audit.anchor_path(log).write_text(json.dumps(anchor), encoding="utf-8")
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert any("anchor" in p and "edited" in p for p in verdict.problems)
    # The last line still signed by the explorer is the second (11:00).
    assert verdict.headline() == "The audit log has been altered or truncated since 2026-12-01T11:00:00+00:00."


def test_writing_more_lines_never_heals_a_tampered_log(log: Path):
    _write(log, _lines(log)[:-1])
    later = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    audit.append_event(log, key=KEY, who="viewer4@council.gov.uk", action=audit.REFUSED, outcome="refused", now=later)
    verdict = audit.verify(log, KEY)
    assert not verdict.intact
    assert verdict.headline() == f"The audit log has been altered or truncated since {LAST}."


def test_the_wrong_key_or_no_key_does_not_pass_a_signed_log(log: Path):
    assert not audit.verify(log, b"another-key").intact
    assert not audit.verify(log, None).intact


def test_without_a_key_the_anchor_still_shows_a_removed_line(tmp_path: Path):
    path = audit.audit_path(tmp_path)
    for when in TIMES:
        audit.append_event(path, who="viewer@council.gov.uk", action=audit.REFUSED, outcome="refused", now=when)
    verdict = audit.verify(path, None)
    assert verdict.intact and not verdict.keyed
    _write(path, _lines(path)[:-1])
    assert audit.verify(path, None).headline() == f"The audit log has been altered or truncated since {LAST}."


def test_a_new_log_with_no_anchor_is_intact_and_empty(tmp_path: Path):
    verdict = audit.verify(audit.audit_path(tmp_path), KEY)
    assert verdict.intact and verdict.entries == 0
