"""Changes, directions, RAG ratings and the scorecard."""

import pytest

from iro_metrics.catalogue import load_catalogue
from iro_metrics.judgement import change, direction, rag, scorecard
from iro_metrics.selection import Selection
from tests.builders import small_council

CATALOGUE = load_catalogue()


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("reviews_on_time_pct", 96.0, "good"),  # target 95, floor 90, higher is better
        ("reviews_on_time_pct", 95.0, "good"),
        ("reviews_on_time_pct", 92.0, "improvement required"),
        ("reviews_on_time_pct", 90.0, "improvement required"),
        ("reviews_on_time_pct", 89.9, "poor"),
        ("caseload_per_establishment_fte", 70.0, "good"),  # target 70, floor 80, lower is better
        ("caseload_per_establishment_fte", 83.72, "poor"),
        ("caseload_per_establishment_fte", 80.0, "improvement required"),
        ("children_in_care", 1842.0, "no optimum defined"),
        ("participation_in_person_pct", 50.0, None),  # a polarity but no target or floor
        ("reviews_on_time_pct", None, None),
    ],
)
def test_rag(indicator, value, expected):
    assert rag(CATALOGUE[indicator], value) == expected


def test_direction_and_change():
    participation = CATALOGUE["participation_pct"]
    # Kent Q4 2013-14: 96.0% against 96.7% in Q3 is a drop of 0.7 points.
    assert change(participation, 96.7, 96.0) == pytest.approx(-0.7)
    assert direction(participation, 96.7, 96.0) == "declining"
    caseload = CATALOGUE["caseload_per_establishment_fte"]
    assert direction(caseload, 87.5, 83.72) == "improving"  # lower is better
    assert direction(caseload, 83.72, 83.724) == "unchanged"  # equal at 2 decimal places
    assert direction(participation, 80.74, 80.71) == "unchanged"  # both show as 80.7%
    in_care = CATALOGUE["children_in_care"]
    assert change(in_care, 1831, 1842) == 11
    assert direction(in_care, 1831, 1842) == "increased"
    assert direction(in_care, 1842, 1831) == "decreased"
    assert direction(in_care, None, 1842) is None


def test_scorecard_on_small_council():
    card = scorecard(Selection.of(small_council(), "2013-14-Q4"))
    rows = {r["indicator"]: r for r in card.iter_rows(named=True)}
    assert set(rows) == set(CATALOGUE.headline_ids())
    in_care = rows["children_in_care"]
    assert (in_care["value"], in_care["previous_value"], in_care["change_vs_previous"]) == (4, 3, 1)
    assert in_care["direction_vs_previous"] == "increased"
    # The same quarter a year earlier is before the data starts: no comparison.
    assert in_care["last_year_value"] is None and in_care["direction_vs_last_year"] is None
    on_time = rows["reviews_on_time_pct"]
    assert on_time["previous_value"] == 100.0  # c1's October review was on time
    assert on_time["direction_vs_previous"] == "declining"
    assert on_time["rag"] == "poor"  # 66.7% is below the floor of 90%
    assert rows["reviews_overdue"]["rag"] == "improvement required"  # 1 against a target of 0


@pytest.mark.parametrize(
    ("indicator", "value", "kent_rating"),
    [
        # The ratings Kent's 2013-14 Q4 report gave these figures.
        ("qa_care_plan_adequate_pct", 80.7, "improvement required"),
        ("qa_sw_report_adequate_pct", 69.4, "poor"),
        ("qa_pledge_adequate_pct", 95.8, "good"),
        ("qa_permanence_adequate_pct", 91.7, "good"),
        ("late_notifications_pct", 20.3, "poor"),
        ("participation_pct", 96.0, "improvement required"),
        ("reviews_held", 1251, "no optimum defined"),
        ("reviews_chaired_by_iro_pct", 99.9, "no optimum defined"),
        ("disputes_resolved_at_level_1_pct", 85.7, "good"),
    ],
)
def test_default_targets_agree_with_kents_ratings(indicator, value, kent_rating):
    assert rag(CATALOGUE[indicator], value) == kent_rating
