"""The audit log: one JSON line per event, SHA-256 hashes of the files, a hash chain, no child data."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from iro_metrics.access import audit

# A 903 header row: a child id and a date of birth that must never reach the log.
HEADER = b"CHILD,SEX,DOB,ETHNIC,UPN\nC0001234,1,14/03/2011,WBRI,A123456789012\n"
HEADER_SHA256 = hashlib.sha256(HEADER).hexdigest()


def test_an_import_is_one_line_with_hashes_counts_and_what_was_set_aside(tmp_path: Path):
    log = audit.audit_path(tmp_path)
    audit.record_import(
        log,
        who="amira.khan@council.gov.uk",
        dataset="Kent 2025",
        files=[("header.csv", HEADER), ("episodes.csv", b"")],
        ok=True,
        errors=0,
        warnings=2,
        table_rows={"children": 1, "episodes": 0},
        set_aside=[{"rule": "episode_overlap", "count": 3, "unit": "episodes", "description": "C0001234 overlaps"}],
    )
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert event["who"] == "amira.khan@council.gov.uk"
    assert event["action"] == "import"
    assert event["outcome"] == "imported"
    assert event["dataset"] == "Kent 2025"
    assert event["files"] == [
        {"name": "header.csv", "bytes": 66, "sha256": HEADER_SHA256},
        # SHA-256 of no bytes at all
        {
            "name": "episodes.csv",
            "bytes": 0,
            "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        },
    ]
    assert (event["errors"], event["warnings"]) == (0, 2)
    assert event["rows"] == {"children": 1, "episodes": 0}
    # Rule, count and unit only: the description (which could name a child) is left out.
    assert event["set_aside"] == [{"rule": "episode_overlap", "count": 3, "unit": "episodes"}]
    assert event["previous"] == audit.GENESIS
    assert datetime.fromisoformat(event["when"]).tzinfo is not None
    text = log.read_text(encoding="utf-8")
    for private in ("C0001234", "14/03/2011", "2011", "A123456789012", "WBRI"):
        assert private not in text


def test_events_are_appended_in_order_each_chained_to_the_one_before(tmp_path: Path):
    log = audit.audit_path(tmp_path)
    when = datetime(2026, 11, 29, 21, 5, 7, tzinfo=UTC)
    audit.record_refusal(log, who="viewer@council.gov.uk", attempted="import data")
    audit.record_deletion(log, who="amira.khan@council.gov.uk", dataset="Old", ok=True)
    audit.append_event(log, who="x@council.gov.uk", action="test", outcome="done", now=when)
    paper = b"# Committee briefing\n"
    audit.record_paper(
        log,
        who="sam.jones@council.gov.uk",
        dataset="shipped",
        selection="2025-26 · all areas · all children",
        file_name="iro-briefing.md",
        data=paper,
        suppression=5,
    )
    raw = log.read_bytes().splitlines()
    events = audit.read_events(log)
    assert [e["action"] for e in events] == ["refused", "delete dataset", "test", "briefing paper"]
    assert [e["outcome"] for e in events] == ["refused", "deleted", "done", "produced"]
    assert events[2]["when"] == "2026-11-29T21:05:07+00:00"
    assert events[3]["file"] == {"name": "iro-briefing.md", "bytes": 21, "sha256": hashlib.sha256(paper).hexdigest()}
    assert events[3]["suppression_threshold"] == 5
    for number in range(1, 4):
        assert events[number]["previous"] == hashlib.sha256(raw[number - 1]).hexdigest()
    assert audit.check_chain(log) == []


def test_an_edited_or_removed_line_breaks_the_chain(tmp_path: Path):
    log = audit.audit_path(tmp_path)
    for name in ("A", "B", "C"):
        audit.record_deletion(log, who="amira.khan@council.gov.uk", dataset=name, ok=True)
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text(lines[0] + lines[2], encoding="utf-8")  # line B removed
    assert audit.check_chain(log) == ["line 2 does not follow line 1: a line was changed or removed"]
    log.write_text(lines[0].replace('"A"', '"Z"') + lines[1] + lines[2], encoding="utf-8")  # line A edited
    assert audit.check_chain(log) == ["line 2 does not follow line 1: a line was changed or removed"]


def test_a_failed_import_records_the_outcome_but_not_the_problems(tmp_path: Path):
    log = audit.audit_path(tmp_path)
    audit.record_import(
        log,
        who="amira.khan@council.gov.uk",
        dataset="Broken",
        files=[("header.csv", HEADER)],
        ok=False,
        errors=4,
        warnings=0,
        table_rows={},
        set_aside=[],
    )
    (event,) = audit.read_events(log)
    assert (event["outcome"], event["errors"], event["rows"], event["set_aside"]) == ("not imported", 4, {}, [])
    assert audit.read_events(tmp_path / "none.jsonl") == []
    assert audit.check_chain(tmp_path / "none.jsonl") == []
