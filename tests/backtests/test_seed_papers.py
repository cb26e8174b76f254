"""The paper as seed 001 (Kent's IRO quality assurance report, Q4 2013-14) is written, on the shipped data.

The shipped synthetic dataset is calibrated to Kent's published figures, so the paper's sentences
carry the report's own numbers. Each expected number is read from the published figures file
(tools/synthetic/published_figures.csv, the quotes transcribed from seed 001), not from the
code under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from iro_metrics.briefing import build_briefing
from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import compute_indicators, indicators_by_area
from iro_metrics.selection import Selection
from tests.briefing.reading import heading_ratings

ROOT = Path(__file__).resolve().parents[2]
SEED = "001_65011cf8fc34673b.txt"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def paper(shipped):
    return build_briefing(Selection.of(shipped, "2013-14-Q4"))


def published(indicator: str, period: str, cohort: str = "all") -> float:
    figures = pl.read_csv(ROOT / "tools" / "synthetic" / "published_figures.csv", infer_schema_length=0)
    row = figures.filter(source_file=SEED, indicator=indicator, period=period, cohort=cohort)
    assert row.height >= 1, (indicator, period, cohort)
    return float(row["value"][0])


def text_of(briefing) -> list[str]:
    return [p for s in briefing.sections for p in s.paragraphs]


def headings(briefing) -> dict[str, list[str]]:
    """Each indicator heading with its rating line(s)."""
    return heading_ratings(briefing)


def test_four_sections_as_the_report(paper):
    # The report's four sections, then (issue 18) the council paper's "How we compare".
    assert [s.title for s in paper.sections] == [
        "Section 1: Workload",
        "Section 2: IRO practice and performance",
        "Section 3: Social work practice and performance",
        "Section 4: Children and young people's views",
        "How we compare",
    ]


def test_full_year_reviews_chaired(paper):
    # "Over a full year period, the IRO service has chaired 5220; a decrease of 176 when compared with 2012/13."
    chaired = published("reviews_chaired", "2013-14")
    fall = published("reviews_chaired_decrease_vs_prev_year", "2013-14")
    assert (chaired, fall) == (5220, 176)
    assert (
        f"Over a full year period, the IRO service has chaired {chaired:,.0f}; a decrease of {fall:.0f} when "
        "compared with 2012-13."
    ) in text_of(paper)


def test_citizen_and_uasc_split_with_each_change(paper):
    # "Of these 1842 children and young people, 1624 were UK citizens and 218 were unaccompanied asylum
    # seeking children (UASC). Compared to end of March 2013, the number of UK citizen children in care
    # had decreased by 17 and the number of UASC in care had increased by 28."
    total = published("children_in_care", "2014-03-31")
    citizens = published("children_in_care", "2014-03-31", "citizen")
    uasc = published("children_in_care", "2014-03-31", "uasc")
    assert (
        f"Of these {total:,.0f} children and young people, {citizens:,.0f} were UK citizens and {uasc:.0f} were "
        "unaccompanied asylum seeking children (UASC). Compared to the end of March 2013, the number of UK "
        f"citizen children in care had decreased by {published('children_in_care_decrease_vs_prev_year', '2014-03-31', 'citizen'):.0f} "
        f"and the number of UASC in care had increased by {published('children_in_care_increase_vs_prev_year', '2014-03-31', 'uasc'):.0f}."
    ) in text_of(paper)


def test_disputes_by_level_in_words(paper):
    # "Of the 91 formal disputes, 78 (85.7%) were addressed at the level of Team Manager, 12 were escalated
    # to Service Managers, and 1 was escalated to the Assistant Director level before a resolution was achieved."
    formal = published("formal_disputes_count", "2013-14 Q4")
    level1 = published("formal_disputes_team_manager_level_count", "2013-14 Q4")
    level2 = published("formal_disputes_service_manager_level_count", "2013-14 Q4")
    level3 = published("formal_disputes_assistant_director_level_count", "2013-14 Q4")
    share = published("formal_disputes_team_manager_level_pct", "2013-14 Q4")
    assert (
        f"Of the {formal:.0f} formal disputes, {level1:.0f} ({share}%) were addressed at the level of Team Manager, "
        f"{level2:.0f} were escalated to Service Managers, and {level3:.0f} was escalated to the Assistant Director "
        "level before a resolution was achieved."
    ) in " ".join(text_of(paper))


def test_whole_year_percentages(paper):
    # "Performance for the whole year is at 99.5%, which reflects an increase of 0.2% when compared with 2012/13."
    chaired = published("reviews_chaired_by_iro_service_pct", "2013-14")
    rise = published("reviews_chaired_by_iro_service_pct_increase_vs_prev_year", "2013-14")
    assert (
        f"Performance for the whole year is at {chaired}%, which reflects an increase of {rise} points when "
        "compared with 2012-13."
    ) in text_of(paper)
    # "The average performance for the whole year (2013/14) showed a participation level of 96.9%; an improvement
    # of 0.3% when compared with performance in 2012/13."
    participation = published("participation_pct", "2013-14", "aged_4_plus")
    better = published("participation_pct_increase_vs_prev_year", "2013-14", "aged_4_plus")
    assert (
        f"Performance for the whole year is at {participation}%, which reflects an improvement of {better} points "
        "when compared with 2012-13."
    ) in text_of(paper)
    # "... and the average for the year as a whole (21.4%)" (late notifications).
    late = published("late_notifications_pct", "2013-14")
    assert any(p.startswith(f"Performance for the whole year is at {late}%") for p in text_of(paper))


def test_rating_lines_in_kents_words(paper):
    found = headings(paper)
    # Seed 001: "The number of reviews chaired / No optimum performance defined"; "Late notifications of reviews /
    # Performance is poor"; "Escalations / IRO challenges / Performance is good" (resolved at team manager
    # level); "Participation ... / Further improvement required".
    assert found["The number of reviews chaired"] == ["No optimum performance defined"]
    assert found["Late notification rate"] == ["Performance is poor"]
    assert found["Disputes resolved by team manager"] == ["Performance is good"]
    assert found["Escalations and IRO challenges"] == ["No optimum performance defined"]
    assert found["Child participation"] == ["Further improvement required"]


def test_qa_items_with_their_range_across_areas(shipped, paper):
    # Seed 001: "Achieving permanence for the child: Q4: 91.7% graded adequate or better (range 86.9% to 96.4%)".
    # The shipped data has the same council figure and the same lowest and highest areas ...
    by_area = indicators_by_area(Selection.of(shipped, "2013-14-Q4")).filter(indicator="qa_permanence_adequate_pct")
    assert (round(by_area["value"].min(), 1), round(by_area["value"].max(), 1)) == (86.9, 96.4)
    # ... but the highest, the Disabled Children's Service's 54 of 56, gives away 2 grades below adequate (a
    # count from 1 to 4 below council level), so it is hidden.
    dcs = by_area.filter(area="Disabled Children's Service")
    assert (dcs["numerator"][0], dcs["denominator"][0]) == (54, 56)
    # Worked by hand from the cohort split: the 16+ Service's UASC children have 15 of 16, so 1 grade below
    # adequate (hidden). The UASC column then has only one other non-empty cell, the UASC Service's 93 of 107,
    # which is hidden too (secondary), and with it the UASC Service's whole figure (all its grades are UASC) and
    # the 16+ Service's (its 91 of 99 citizen grades plus the hidden 15 of 16). What is left: East 220/240 and
    # North 165/180 (91.7%), West 170/185 (91.9%), South 173/187 (92.5%).
    uasc = indicators_by_area(Selection.of(shipped, "2013-14-Q4", None, "uasc")).filter(
        indicator="qa_permanence_adequate_pct"
    )
    assert uasc.filter(area="16+ Service").select("numerator", "denominator").row(0) == (15, 16)
    # Issue 24: one table of the core components by quarter, each cell the figure and its range.
    (qa,) = [t for s in paper.sections for t in s.tables if t.title.startswith("Core components of the care plan")]
    assert qa.header == ["Component", "Q4 2013-14", "Q3 2013-14", "Q2 2013-14", "Q1 2013-14", "Rating"]
    permanence = next(r for r in qa.rows() if r[0] == "Permanence")
    assert permanence[1] == "91.7% (91.7–92.5%)" and permanence[-1] == "Good"
    assert all("–" in cell and cell.endswith("%)") for cell in permanence[2:5])


def _pooled_p(x1: float, n1: float, x2: float, n2: float) -> float:
    pooled = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def test_significant_only_beyond_normal_variation(shipped, paper):
    headline = next(h for h in paper.headlines if "care plan: adequate or better" in h)
    now = compute_indicators(Selection.of(shipped, "2013-14-Q4")).filter(indicator="qa_care_plan_adequate_pct")
    q3 = compute_indicators(Selection.of(shipped, "2013-14-Q3")).filter(indicator="qa_care_plan_adequate_pct")
    last_year = compute_indicators(Selection.of(shipped, "2012-13-Q4")).filter(indicator="qa_care_plan_adequate_pct")
    # 916 of 1,135 (80.7%) against Q3's 79.9% is within normal variation; against Q4 2012-13's 75.4% it is not.
    assert (now["numerator"][0], now["denominator"][0]) == (916, 1135)
    assert _pooled_p(q3["numerator"][0], q3["denominator"][0], 916, 1135) >= 0.05
    assert _pooled_p(last_year["numerator"][0], last_year["denominator"][0], 916, 1135) < 0.05
    # Issue 24: the headline is the conclusion on the year (the z-test), with the figures it rests on.
    assert headline == (
        "There has been a significant improvement in care plan: adequate or better over the year (80.7% in "
        "Q4 2013-14, from 75.4% in Q4 2012-13)."
    )


def test_no_developer_wording(paper):
    text = " ".join([paper.title, paper.subtitle, paper.source, *paper.notes, *text_of(paper)])
    for developer in ("version", "iro_metrics", "seed 2012", "docs/", "About page"):
        assert developer not in text
    assert "Kent (synthetic)" in paper.subtitle and "Prepared " in paper.subtitle
    assert "Synthetic data" in paper.source


def test_a_figure_that_is_not_recorded_is_left_out_with_a_note(shipped, paper):
    # No contingency-planning grades in Q4 2013-14 (the item starts in June 2014, as seed 001 says).
    row = compute_indicators(Selection.of(shipped, "2013-14-Q4")).filter(indicator="qa_contingency_adequate_pct")
    assert row["value"][0] is None and row["denominator"][0] == 0
    assert not any(p.startswith("Contingency planning") for p in text_of(paper))
    assert (
        "Not recorded for Q4 2013-14, so left out of this paper: Contingency planning: adequate or better, "
        "Contingency planning: good or better."
    ) in paper.notes
