"""The annual IRO report (issue 24 item 2): its sections in seed 004's order, the analyst's text
kept with the dataset, logged, and printed beside (never in place of) the generated figures, and
the CLI's --annual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from iro_metrics.access import audit
from iro_metrics.briefing.annual import build_annual_report, read_analyst_text, save_analyst_text
from iro_metrics.briefing.markdown_writer import markdown_text
from iro_metrics.dataset import load_dataset, write_dataset
from iro_metrics.selection import Selection
from tests.briefing.test_build import FIRST_DAY, LAST_DAY, TABLES
from tests.builders import frame

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path):
    frames = {name: frame(name, rows) for name, rows in TABLES.items()}
    meta = {"local_authority": "Testshire", "synthetic": True, "first_day": FIRST_DAY, "last_day": LAST_DAY}
    return write_dataset(frames, meta, tmp_path / "ds") or tmp_path / "ds"


def test_the_sections_follow_the_handbook_and_seed_004(folder):
    report = build_annual_report(Selection.of(load_dataset(folder), "2013-14"))
    assert report.kind == "annual"
    assert [s.title for s in report.sections] == [
        "1. Purpose and legal context",
        "2. The IRO service",
        "3. The children",
        "4. Reviews",
        "5. IRO practice: quality assurance",
        "6. Challenge and disputes",
        "7. Children's views",
    ]
    # 45 children in care at 31 March 2014 (the test_build module's hand count): each characteristic's
    # groups add up to them, with the characteristic named on its first row only.
    children = next(t for t in report.sections[2].tables if t.title == "Children in care at 31 March 2014")
    totals: dict[str, int] = {}
    current = ""
    for characteristic, _, count, _ in children.rows():
        current = characteristic or current
        totals[current] = totals.get(current, 0) + int(count)
    assert totals == {"Age": 45, "Sex": 45, "Ethnicity": 45, "Legal status": 45, "UASC": 45}
    # Nothing written yet: no priorities section, and the notes say what is missing.
    assert (
        "Not yet written by the IRO service for this report, so left out: The council's arrangements, "
        "Practice examples, The year's priorities." in report.notes
    )
    with pytest.raises(ValueError, match="financial year"):
        build_annual_report(Selection.of(load_dataset(folder), "2013-14-Q4"))


def test_the_analysts_text_is_kept_logged_and_printed_beside_the_figures(folder, tmp_path):
    log = tmp_path / "audit.jsonl"
    save_analyst_text(
        folder,
        "2013-14",
        "priorities",
        "Recruit two IROs.\n\nHalve late notifications.",
        who="analyst@council.gov.uk",
        audit_log=log,
    )
    save_analyst_text(
        folder,
        "2013-14",
        "practice",
        "An IRO's challenge moved a child home.",
        who="analyst@council.gov.uk",
        audit_log=log,
    )
    assert read_analyst_text(folder, "2013-14") == {
        "priorities": "Recruit two IROs.\n\nHalve late notifications.",
        "practice": "An IRO's challenge moved a child home.",
    }
    assert read_analyst_text(folder, "2014-15") == {}
    # Each save is one line of the audit log: who, which section, the text's length and hash, not the text.
    events = audit.read_events(log)
    assert [(e["action"], e["section"], e["who"]) for e in events] == [
        ("annual report text", "priorities", "analyst@council.gov.uk"),
        ("annual report text", "practice", "analyst@council.gov.uk"),
    ]
    assert events[0]["text"]["sha256"] == audit.sha256_hex(b"Recruit two IROs.\n\nHalve late notifications.")
    assert "Recruit" not in log.read_text(encoding="utf-8")
    assert audit.check_chain(log) == []

    report = build_annual_report(Selection.of(load_dataset(folder), "2013-14"))
    priorities = report.sections[-1]
    assert priorities.title == "8. The year's priorities"
    assert priorities.paragraphs == ["Recruit two IROs.", "Halve late notifications."]
    # The practice example sits after the generated QA figures and table, which are all still there.
    qa = report.sections[4]
    assert qa.paragraphs[-1] == "An IRO's challenge moved a child home."
    assert any(p.startswith("Care plan: adequate or better: 83.3%") for p in qa.paragraphs)
    assert qa.tables and qa.tables[0].title.startswith("Quality assurance grades")
    assert "Recruit two IROs." in markdown_text(report)
    # Clearing a section removes it (and is logged too).
    save_analyst_text(folder, "2013-14", "practice", "  ", who="analyst@council.gov.uk", audit_log=log)
    assert "practice" not in read_analyst_text(folder, "2013-14")
    assert audit.read_events(log)[-1]["outcome"] == "cleared"
    with pytest.raises(ValueError, match="not a written section"):
        save_analyst_text(folder, "2013-14", "figures", "x", who="a", audit_log=log)


def test_cli_writes_the_annual_report(folder, tmp_path):
    out = tmp_path / "annual.md"
    run = [sys.executable, "-m", "iro_metrics", "briefing", "--data", str(folder)]
    result = subprocess.run(
        [*run, "--annual", "2013-14", "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Independent Reviewing Officer service: annual report 2013-14\n")
    assert "## 3. The children" in text
    bad = subprocess.run(
        [*run, "--annual", "2013-14-Q4", "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert bad.returncode == 2 and "financial year" in bad.stderr and "Traceback" not in bad.stderr
