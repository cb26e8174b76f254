"""Not recorded is not zero, in a paper (issue 13 item 3): a dataset imported from the 903 alone.

The return of tests/fixtures_903.py, without its UASC table: no review details (who chaired, child
chairing, minutes), no QA grades, disputes, contacts, surveys or staffing, and no UASC status. The
paper leaves every such figure out (no "100%" chairing, no citizen/UASC split) and a note says
what is not recorded and what to import.
"""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from iro_metrics.briefing import build_briefing
from iro_metrics.briefing.figures import figures_csv
from iro_metrics.briefing.markdown_writer import markdown_text
from iro_metrics.dataset import load_dataset
from iro_metrics.importer import run_import
from iro_metrics.selection import Selection
from tests.fixtures_903 import write_return

PERIOD = "2016-17-Q4"


@pytest.fixture(scope="module")
def ds_903(tmp_path_factory):
    folder = tmp_path_factory.mktemp("903-alone")
    paths = write_return(folder / "in")
    for path in paths["csv"].rglob("*"):
        if path.is_file() and "uasc" in path.name.lower():
            path.unlink()
    report = run_import([paths["csv"]], folder / "out", today=date(2017, 6, 1))
    assert report.ok, report.format_text()
    meta = tomllib.loads((folder / "out" / "dataset.toml").read_text(encoding="utf-8"))
    assert meta.get("uasc_recorded") is False
    return load_dataset(folder / "out")


@pytest.fixture(scope="module")
def paper(ds_903):
    return build_briefing(Selection.of(ds_903, PERIOD))


def test_the_paper_keeps_what_the_903_records(paper):
    # C1, C2, C3 and C6 are in care at 31 March 2017 (tests/fixtures_903.py, counted by hand).
    assert any(p.startswith("Children in care: 4 at 31 March 2017") for p in paper.sections[0].paragraphs)


def test_no_chairing_figure_and_no_uasc_split(paper):
    text = markdown_text(paper)
    assert "Chaired by an IRO:" not in text
    assert "100.0%" not in "".join(line for line in text.splitlines() if "chaired" in line.lower())
    assert "were UK citizens" not in text and "were UASC" not in text
    csv = figures_csv(paper)
    for indicator in ("reviews_chaired_by_iro_pct", "caseload_per_establishment_fte", "disputes_formal"):
        assert f"\n{indicator}," not in csv


def test_notes_say_what_is_not_recorded_and_what_to_import(paper):
    assert (
        "Not recorded, so left out of this paper (Chaired by an IRO): the dataset does not record who "
        "chaired each review; import the review-details template (CHAIRED_BY) to get who chaired each review."
    ) in paper.notes
    assert (
        "Not recorded, so left out of this paper (children in care split into UK citizens and UASC): the dataset "
        "does not record which children are unaccompanied asylum-seeking children (no UASC table); import the "
        "903 UASC table to get the UASC and citizen cohorts."
    ) in paper.notes
    staffing = next(n for n in paper.notes if "IRO-staffing template" in n)
    assert staffing.startswith("Not recorded, so left out of this paper (IRO establishment (FTE), IROs in post (FTE)")
    qa = next(n for n in paper.notes if "QA-grades template" in n)
    assert "the dataset has no QA audit grades" in qa and "more)" in qa
    # No figure is left out without its reason. The one figure in the period's list is first reviews on
    # time: no period of care in the return had its first review in January to March 2017 (C2 started
    # care on 10 October 2016 and C6 on 1 November, both reviewed before January; the rest earlier).
    generic = [n for n in paper.notes if n.startswith("Not recorded for Q4 2016-17")]
    assert generic == ["Not recorded for Q4 2016-17, so left out of this paper: First reviews on time."]


def test_a_uasc_paper_of_such_a_dataset_has_no_figures_and_says_why(ds_903):
    paper = build_briefing(Selection.of(ds_903, PERIOD, None, "uasc"))
    assert not any(p.startswith("Children in care:") for s in paper.sections for p in s.paragraphs)
    assert any("import the 903 UASC table to get the UASC and citizen cohorts" in n for n in paper.notes)
