"""Issue 25's optional sources through the importer: IRO allocations, IROs, contact types, first set dates.

Worked by hand on tests/importer/test_support.VALID_FILES. In care at 31 March 2014: A1 (from
01/10/2013 after an X1 change, one period of care since 01/04/2013) and A2; B3 left on 31/12/2013.
"""

from __future__ import annotations

import polars as pl
import pytest

from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection
from tests.importer.test_support import VALID_FILES, import_files

ALLOCATIONS = (
    "CHILD,IRO_ID,START_DATE,END_DATE,CHANGE_REASON\n"
    "A1,IRO01,01/04/2013,01/10/2013,LEFTRL\n"  # A1's IRO left the role; IRO02 took over the same day
    "A1,IRO02,01/10/2013,,\n"
    "A2,IRO01,15/05/2013,,\n"
    "B3,IRO02,01/06/2013,31/12/2013,\n"
)
IROS = "IRO_ID,TEAM,FTE,AGENCY\nIRO01,East Kent IRO team,1.0,N\nIRO02,East Kent IRO team,0.5,Y\n"
CONTACTS = (
    "CHILD,CONTACT_DATE,TYPE\n"
    "A1,01/06/2013,midway\n"  # between A1's reviews of 25/04 and 20/07
    "A1,10/07/2013,visit\n"  # 8 working days before the 20/07 review: seen
    "A2,10/06/2013,visit\n"  # on the day of A2's review: not before it
)
REVIEW_DETAILS = VALID_FILES["review_details.csv"].replace(
    "CHILD,REVIEW,CHAIRED_BY,CHILD_CHAIRED,MINUTES_ISSUED\n",
    "CHILD,REVIEW,CHAIRED_BY,CHILD_CHAIRED,MINUTES_ISSUED,FIRST_SET\n",
)
REVIEW_DETAILS = (
    REVIEW_DETAILS.replace("A1,25/04/2013,iro,none,02/05/2013\n", "A1,25/04/2013,iro,none,02/05/2013,25/04/2013\n")
    .replace("A1,20/07/2013,iro,part,01/08/2013\n", "A1,20/07/2013,iro,part,01/08/2013,15/07/2013\n")
    .replace("A2,10/06/2013,other,,20/06/2013\n", "A2,10/06/2013,other,,20/06/2013,\n")
    .replace("B3,20/06/2013,iro,full,\n", "B3,20/06/2013,iro,full,,\n")
)


def _figures(out) -> dict[str, tuple[float | None, float | None, float | None]]:
    frame = compute_indicators(Selection.of(load_dataset(out), "2013-14"))
    return {i: (v, n, m) for i, v, n, m in frame.select("indicator", "value", "numerator", "denominator").iter_rows()}


def test_the_new_templates_import_and_give_the_oversight_measures(tmp_path):
    report = import_files(
        tmp_path,
        {
            "iro_allocations.csv": ALLOCATIONS,
            "iros.csv": IROS,
            "iro_contacts.csv": CONTACTS,
            "review_details.csv": REVIEW_DETAILS,
        },
    )
    assert report.ok and report.errors == [], report.format_text()
    got = _figures(tmp_path / "out")
    # at 31 March 2014: IRO01 has A2 (1 per 1.0 FTE), IRO02 has A1 (1 per 0.5 FTE = 2)
    assert got["iro_caseload_median"][0] == pytest.approx(1.5)
    assert got["iro_caseload_max"][0] == pytest.approx(2.0)
    assert got["iros_over_guideline"][0] == 0
    assert got["iro_changes_pct"] == (50.0, 1, 2)  # A1's IRO changed; A2's did not
    assert got["reviews_rescheduled_pct"] == (50.0, 1, 2)  # A1's 20/07 review was set for 15/07
    assert got["seen_before_review_pct"] == (25.0, 1, 4)  # of 4 reviews held, A1's 20/07 only
    assert got["midway_reviews_pct"] == (100.0, 1, 1)  # A1's 20/07 follows its 25/04 review
    iros = pl.read_parquet(tmp_path / "out" / "iros.parquet").sort("iro_id")
    assert iros.select("iro_id", "fte", "agency").rows() == [("IRO01", 1.0, False), ("IRO02", 0.5, True)]


def test_without_the_new_sources_the_measures_are_not_recorded(tmp_path):
    report = import_files(tmp_path)
    assert report.ok, report.format_text()
    got = _figures(tmp_path / "out")
    for indicator in ("iro_caseload_median", "iro_changes_pct", "reviews_rescheduled_pct", "seen_before_review_pct"):
        assert got[indicator][0] is None, indicator


def test_an_unknown_change_reason_is_named_with_file_row_and_column(tmp_path):
    bad = ALLOCATIONS.replace("LEFTRL", "QUIT")
    report = import_files(tmp_path, {"iro_allocations.csv": bad, "iros.csv": IROS})
    found = [p for p in report.problems if p.file == "iro_allocations.csv"]
    assert found, report.format_text()
    assert any(p.column == "CHANGE_REASON" and p.row == 2 and p.value == "QUIT" for p in found), [
        (p.rule, p.row, p.column, p.message) for p in found
    ]
