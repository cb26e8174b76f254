"""Issue 22 item 3: a set-aside that changes the picture opens the report, the CLI output and the note."""

from __future__ import annotations

from types import SimpleNamespace

from iro_metrics.importer.quality import data_quality_note, left_out_caption, set_aside_alert
from iro_metrics.importer.report import ImportReport


def _entry(rule: str, count: int, unit: str = "children") -> dict[str, object]:
    return {"rule": rule, "count": count, "unit": unit, "description": f"{count} {unit} set aside: a reason for {rule}"}


def test_under_both_thresholds_there_is_no_alert():
    # 2 of 200 children (1.0%) by one rule: not over 1%, and 1.0% overall is not over 2%.
    assert set_aside_alert([_entry("end_before_start", 2)], 200) is None
    # reviews set aside do not leave a child out: 50 reviews of 100 children, no alert
    assert set_aside_alert([_entry("review_outside_care", 50, "reviews")], 100) is None


def test_one_rule_over_one_percent_opens_the_report():
    # 3 of 200 children by one rule = 1.5% (> 1%), 1.5% overall (not > 2%): alerted for the rule.
    alert = set_aside_alert([_entry("end_before_start", 3)], 200)
    assert alert is not None and alert.startswith("Warning: 3 of the 200 children read (1.5%) are set aside")
    assert "rule end_before_start: 3 children (1.5%" in alert


def test_many_small_rules_over_two_percent_together():
    # five rules of 1 child each in 200: each 0.5% (not > 1%), together 5/200 = 2.5% (> 2%).
    rules = ["a", "b", "c", "d", "e"]
    alert = set_aside_alert([_entry(r, 1) for r in rules], 200)
    assert alert is not None and "5 of the 200 children read (2.5%)" in alert


def test_the_cli_text_opens_with_it_and_the_note_gives_the_share():
    report = ImportReport(set_aside=[_entry("ceased_without_reason", 62)], children_read=127)
    first = report.format_text().splitlines()[0]
    # 62 / 127 = 48.82%
    assert first.startswith("Warning: 62 of the 127 children read (48.8%)") and "ceased_without_reason" in first
    dataset = SimpleNamespace(set_aside=report.set_aside, meta={"children_read": 127})
    note = data_quality_note(dataset)
    assert note is not None and "(48.8% of the children read left out)" in note
    # every card of the dataset says the share: 62 of 127 = 48.8%
    assert left_out_caption(dataset) == "Leaves out 48.8% of the children read (62 of 127, set aside at import)"
    assert left_out_caption(SimpleNamespace(set_aside=[_entry("x", 4, "reviews")], meta={"children_read": 9})) is None


def test_an_import_records_the_children_read(tmp_path):
    from tests.importer.test_support import import_files

    report = import_files(tmp_path, {})
    # the valid files' Header holds the children; none set aside, so all are read and kept
    assert report.ok and report.children_read == report.table_rows["children"]
    assert report.alert is None


def test_records_set_aside_in_part_count_the_children_they_change():
    # 5 reviews of 3 children in 200: 3 / 200 = 1.5% of children changed (> 1%) by one rule.
    entry = {**_entry("review_date_invalid", 5, "reviews"), "children": 3}
    alert = set_aside_alert([entry], 200)
    assert alert is not None
    assert alert.startswith("Warning: the records of 3 children (1.5% of the 200 read) are set aside in part")
    assert "rule review_date_invalid: 5 reviews of 3 children (1.5%" in alert
    # 2 reviews of 2 children in 200 = 1.0%: not over 1%, nothing said
    assert set_aside_alert([{**_entry("review_date_invalid", 2, "reviews"), "children": 2}], 200) is None


def test_whole_and_part_together_over_two_percent():
    # 2 children whole (1.0%, not over 1%) and 3 more in part (1.5%, over 1%); together 5 / 200 = 2.5%.
    entries = [_entry("end_before_start", 2), {**_entry("review_date_invalid", 4, "reviews"), "children": 3}]
    alert = set_aside_alert(entries, 200)
    assert alert is not None
    assert alert.startswith("Warning: 2 of the 200 children read (1.0%) are set aside")
    assert "The records of 3 more children (1.5% of the 200 read) are set aside in part" in alert
