"""Key headlines as conclusions (issue 24): each rule of ``headlines.conclusion`` on numbers worked
by hand, and the small-base rule (a change on a base under 20 is never a headline and always shows
its base)."""

from __future__ import annotations

import math
from datetime import date

from iro_metrics.briefing import build_briefing
from iro_metrics.briefing.headlines import Point, conclusion, small_base
from iro_metrics.catalogue import load_catalogue
from iro_metrics.selection import Selection
from tests.builders import make_dataset

CATALOGUE = load_catalogue()
IN_CARE = CATALOGUE["children_in_care"]  # a count at a point in time, no optimum
ON_TIME = CATALOGUE["reviews_on_time_pct"]  # higher is better: good at 95, poor below 90
CASELOAD = CATALOGUE["caseload_per_establishment_fte"]  # lower is better: good at 70, poor above 80
FORMAL_RATE = CATALOGUE["disputes_formal_per_100_reviews"]  # per 100 reviews, no optimum


def test_a_count_within_one_percent_of_a_year_ago_has_stabilised():
    # 1,842 against 1,831: 11 / 1,831 = 0.6%.
    now, then = Point("at 31 March 2014", 1842), Point("at 31 March 2013", 1831)
    assert conclusion(IN_CARE, now, then, point_in_time=True) == (
        "Children in care numbers have stabilised over the year (1,842 at 31 March 2014, from 1,831 at 31 March 2013)."
    )
    # 1,860 against 1,831 is 1.6%: no rule applies, so no headline (a figure restated is not one).
    assert conclusion(IN_CARE, Point("at 31 March 2014", 1860), then, point_in_time=True) is None


def test_four_moves_the_same_way_are_steady():
    recent = [88.0, 87.19, 85.0, 84.0, 83.73]  # four falls in a row
    now, then = Point("at 31 March 2014", 83.73), Point("at 31 March 2013", 87.19)
    assert conclusion(CASELOAD, now, then, recent, point_in_time=True) == (
        "Caseload per FTE (establishment) has been steadily reducing over the last four quarters (83.73 at "
        "31 March 2014, from 87.19 at 31 March 2013); performance is poor."
    )
    # One rise among them: not steady; the year's change (3.46 lower) is judged against the target instead.
    wobbly = [87.19, 86.0, 86.5, 84.0, 83.73]
    assert conclusion(CASELOAD, now, then, wobbly, point_in_time=True) == (
        "Caseload per FTE (establishment) is improving but performance is poor (83.73 at 31 March 2014, from "
        "87.19 at 31 March 2013)."
    )


def _z_test_p(x1: float, n1: float, x2: float, n2: float) -> float:
    pooled = (x1 + x2) / (n1 + n2)
    z = (x2 / n2 - x1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def test_significant_only_by_the_z_test():
    # 1,211 of 1,251 on time (96.8%) against 1,361 of 1,385 (98.3%): p < 0.05 by the pooled z-test.
    then, now = Point("in Q4 2012-13", 98.27, 1361, 1385), Point("in Q4 2013-14", 96.80, 1211, 1251)
    assert _z_test_p(1361, 1385, 1211, 1251) < 0.05
    assert conclusion(ON_TIME, now, then) == (
        "There has been a significant deterioration in reviews on time over the year (96.8% in Q4 2013-14, from "
        "98.3% in Q4 2012-13)."
    )
    # The same two percentages on a tenth of the reviews (121 of 125 against 136 of 138) are within normal
    # variation: the change is judged against the target instead (still good, so "has declined but").
    assert _z_test_p(136, 138, 121, 125) >= 0.05
    small_then, small_now = Point("in Q4 2012-13", 98.56, 136, 138), Point("in Q4 2013-14", 96.8, 121, 125)
    assert conclusion(ON_TIME, small_now, small_then) == (
        "Reviews on time has declined but performance is good (96.8% in Q4 2013-14, from 98.6% in Q4 2012-13)."
    )


def test_a_rate_per_100_drops_significantly_by_the_rate_test():
    # 91 formal disputes in 1,251 reviews (7.3 per 100) against 219 in 1,385 (15.8): far beyond chance.
    then, now = Point("in Q4 2012-13", 15.81, 219, 1385), Point("in Q4 2013-14", 7.27, 91, 1251)
    assert conclusion(FORMAL_RATE, now, then) == (
        "There has been a significant drop in formal disputes per 100 reviews over the year (7.3 in Q4 2013-14, "
        "from 15.8 in Q4 2012-13)."
    )


def test_a_move_smaller_than_half_a_point_is_no_headline():
    # 96.0% against 95.9%, not significant and under 0.5 points: nothing to conclude.
    then, now = Point("in Q4 2012-13", 95.9, 959, 1000), Point("in Q4 2013-14", 96.0, 960, 1000)
    assert conclusion(ON_TIME, now, then) is None


def test_a_base_under_20_is_never_a_headline():
    # 2 of 2 against 0 of 1: "an improvement of 100 points" on three answers.
    then, now = Point("in Q3", 0.0, 0, 1), Point("in Q4", 100.0, 2, 2)
    assert small_base(ON_TIME, now, then)
    assert conclusion(ON_TIME, now, then) is None
    # 19 is still small; 20 is not.
    assert small_base(ON_TIME, Point("", 50.0, 10, 19), None)
    assert not small_base(ON_TIME, Point("", 50.0, 10, 20), Point("", 50.0, 10, 20))
    # A count has no base.
    assert not small_base(IN_CARE, Point("", 3), Point("", 1))


def test_a_survey_on_a_small_base_shows_its_bases_and_no_change():
    # Parent feedback: 2 responses in Q4 2013-14 (both able to give their views) against 1 in Q3 (not able).
    rows = [
        ("P1", date(2014, 2, 3), "yes"),
        ("P2", date(2014, 3, 3), "yes"),
        ("P3", date(2013, 11, 4), "no"),
    ]
    responses = [
        dict(response_id=rid, survey="parent", response_date=day, question="able_to_give_views", answer=answer)
        for rid, day, answer in rows
    ]
    episodes = [dict(child_id="a", start_date=date(2012, 5, 1))]
    ds = make_dataset(episodes=episodes, survey_responses=responses)
    paper = build_briefing(Selection.of(ds, "2013-14-Q4"))
    views = paper.sections[3]
    bullets = [p for p in views.paragraphs if "give their views" in p]
    assert bullets == [
        "100.0%: was able to give their views (2 of 2); 0.0% in Q3 2013-14 (0 of 1): 2 responses against 1, too "
        "few to call a change"
    ]
    assert not any("give their views" in h for h in paper.headlines)
