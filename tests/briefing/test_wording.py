"""Wording of figures and changes: the words, the units and the polarity.

Expected phrases are written out by hand; several are the seed report's own sentences
(001, Q4 2013-14) with its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_metrics.briefing.wording import (
    Comparison,
    change_word,
    describe_change,
    format_amount,
    format_figure,
    indicator_sentence,
    join_phrases,
)


@dataclass
class Meta:
    title: str
    unit: str
    polarity: str
    decimals: int | None = None


CHILDREN_IN_CARE = Meta("Children in care", "count", "none", 0)
REVIEWS_HELD = Meta("Reviews held", "count", "none", 0)
REVIEWS_OVERDUE = Meta("Reviews overdue", "count", "lower", 0)
CHILD_CHAIRED_FULL = Meta("Children chairing their review in full", "count", "higher", 0)
PARTICIPATION = Meta("Participation in reviews", "pct", "higher", 1)
LATE_NOTIFICATIONS = Meta("Late notifications", "pct", "lower", 1)
CHAIRED_BY_IRO = Meta("Reviews chaired by an IRO", "pct", "none", 1)
CASELOAD = Meta("Caseload per FTE IRO", "per_fte", "lower", 2)
FTE = Meta("IRO FTE in post", "fte", "none", 1)


def test_rise_in_a_count_with_no_optimum_matches_the_seed_report():
    # "This is a rise of 11 when compared with ... the end of March 2013 (1831)."
    assert describe_change(CHILDREN_IN_CARE, 1831, 1842, "the end of March 2013") == (
        "a rise of 11 compared with the end of March 2013 (1,831)"
    )


def test_fall_in_a_count_uses_thousands_separators():
    # "a decrease of 134 when compared with the Quarter 4 period of 2012/13 (1385)"
    assert describe_change(REVIEWS_HELD, 1385, 1251, "Q4 2012-13") == "a fall of 134 compared with Q4 2012-13 (1,385)"
    assert describe_change(REVIEWS_HELD, 15396, 15220, "2012-13") == "a fall of 176 compared with 2012-13 (15,396)"


def test_improvement_in_points_for_a_higher_is_better_percentage():
    assert describe_change(PARTICIPATION, 96.7, 97.3, "Q3", connector="on", show_old=False) == (
        "an improvement of 0.6 points on Q3"
    )


def test_deterioration_for_a_higher_is_better_percentage_that_falls():
    # "a slight drop (0.7%) when compared with the Q3 period (96.7%)"
    assert describe_change(PARTICIPATION, 96.7, 96.0, "Q3") == "a deterioration of 0.7 points compared with Q3 (96.7%)"


def test_lower_is_better_percentage_that_rises_is_a_deterioration():
    # "When compared with ... Q4 of 2012/13 (15.8% late notifications) ... a drop in performance of 4.5%"
    assert describe_change(LATE_NOTIFICATIONS, 15.8, 20.3, "Q4 2012-13") == (
        "a deterioration of 4.5 points compared with Q4 2012-13 (15.8%)"
    )
    assert change_word(LATE_NOTIFICATIONS, 21.5, 20.3) == "improvement"


def test_lower_is_better_caseload_falls_as_an_improvement_per_fte():
    # "a slight drop of 3.78 cases per FTE IRO when compared with Q1"
    assert describe_change(CASELOAD, 87.50, 83.72, "Q1") == (
        "an improvement of 3.78 children per FTE IRO compared with Q1 (87.50)"
    )
    assert describe_change(CASELOAD, 83.22, 83.72, "Q2") == (
        "a deterioration of 0.50 children per FTE IRO compared with Q2 (83.22)"
    )


def test_percentage_with_no_optimum_increases_and_decreases():
    assert describe_change(CHAIRED_BY_IRO, 99.3, 99.9, "Q3") == "an increase of 0.6 points compared with Q3 (99.3%)"
    assert describe_change(CHAIRED_BY_IRO, 99.9, 99.4, "Q3") == "a decrease of 0.5 points compared with Q3 (99.9%)"


def test_counts_with_a_polarity_say_rise_or_fall_and_whether_it_is_better():
    assert describe_change(REVIEWS_OVERDUE, 40, 35, "Q3") == "a fall of 5 (an improvement) compared with Q3 (40)"
    assert describe_change(REVIEWS_OVERDUE, 35, 40, "Q3") == "a rise of 5 (a deterioration) compared with Q3 (35)"
    assert describe_change(CHILD_CHAIRED_FULL, 2, 4, "Q3") == "a rise of 2 (an improvement) compared with Q3 (2)"
    assert describe_change(CHILD_CHAIRED_FULL, 4, 1, "Q3") == "a fall of 3 (a deterioration) compared with Q3 (4)"


def test_change_that_rounds_to_zero_is_unchanged_for_every_polarity():
    assert describe_change(PARTICIPATION, 80.74, 80.71, "Q3") == "unchanged compared with Q3 (80.7%)"
    assert describe_change(LATE_NOTIFICATIONS, 20.3, 20.3, "Q3", connector="on", show_old=False) == "unchanged on Q3"
    assert describe_change(CHILDREN_IN_CARE, 1842, 1842, "31 December 2013") == (
        "unchanged compared with 31 December 2013 (1,842)"
    )
    assert change_word(CHAIRED_BY_IRO, 99.41, 99.44) == "unchanged"
    # 0.06 rounds to 0.1 at one decimal: a real change.
    assert change_word(PARTICIPATION, 80.70, 80.76) == "improvement"


def test_fte_change_and_singular_units():
    assert describe_change(FTE, 22.0, 24.0, "Q3") == "an increase of 2.0 FTE compared with Q3 (22.0)"
    assert format_amount(PARTICIPATION, -1.0) == "1.0 point"
    assert format_amount(PARTICIPATION, 2.26) == "2.3 points"
    assert format_amount(CHILDREN_IN_CARE, -1250) == "1,250"


def test_missing_comparison_figure():
    assert describe_change(PARTICIPATION, None, 96.0, "Q3") == "no figure for Q3 to compare with"


def test_figures_format_by_unit():
    assert format_figure(CHILDREN_IN_CARE, 1842.0) == "1,842"
    assert format_figure(PARTICIPATION, 80.70044) == "80.7%"
    assert format_figure(CASELOAD, 1842 / 22) == "83.73"
    assert format_figure(PARTICIPATION, None) == "no figure"
    assert format_figure(Meta("x", "pct", "none", None), -0.01) == "0.0%"


def test_indicator_sentence_joins_comparisons_and_hides_changes_on_suppressed_figures():
    sentence = indicator_sentence(
        CHILDREN_IN_CARE,
        1842,
        "at 31 March 2014",
        [Comparison("31 December 2013", 1850), Comparison("31 March 2013", 1831)],
    )
    assert sentence == (
        "Children in care: 1,842 at 31 March 2014, a fall of 8 compared with 31 December 2013 (1,850)"
        " and a rise of 11 compared with 31 March 2013 (1,831)."
    )
    partly = indicator_sentence(CHILDREN_IN_CARE, 12, "at 31 March 2014", [Comparison("31 March 2013", 3, True)])
    assert partly == "Children in care: 12 at 31 March 2014, the change on 31 March 2013 is not shown (c)."
    hidden = indicator_sentence(CHILDREN_IN_CARE, 3, "at 31 March 2014", [Comparison("Q3", 10)], suppressed=True)
    assert hidden == "Children in care: c at 31 March 2014 (suppressed; see notes)."


def test_join_phrases():
    assert join_phrases([]) == ""
    assert join_phrases(["a"]) == "a"
    assert join_phrases(["a", "b", "c"]) == "a, b and c"


OPPOSITE = {
    "rise": "fall",
    "fall": "rise",
    "increase": "decrease",
    "decrease": "increase",
    "improvement": "deterioration",
    "deterioration": "improvement",
    "unchanged": "unchanged",
}


@pytest.mark.parametrize("meta", [CHILDREN_IN_CARE, REVIEWS_OVERDUE, PARTICIPATION, LATE_NOTIFICATIONS, CASELOAD])
@given(old=st.floats(0, 5000, allow_nan=False), new=st.floats(0, 5000, allow_nan=False))
@settings(deadline=None)  # the machine is shared: timing is for make bench, not for this property
def test_reversing_a_change_gives_the_opposite_word(meta, old, new):
    word = change_word(meta, old, new)
    assert change_word(meta, new, old) == OPPOSITE[word]
    if word != "unchanged":
        places = meta.decimals
        assert round(abs(new - old), places) > 0
        phrase = describe_change(meta, old, new, "Q3")
        assert word in phrase
