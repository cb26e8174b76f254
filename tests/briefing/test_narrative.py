"""The report's phrases worked by hand: disputes by level in words, rating lines, 'steadily'."""

from __future__ import annotations

from datetime import date

from iro_metrics.briefing import build_briefing
from iro_metrics.briefing.narrative import RATING_WORDS, disputes_by_level_sentence, rating_line
from iro_metrics.catalogue import load_catalogue
from iro_metrics.selection import Selection
from tests.builders import make_dataset

CATALOGUE = load_catalogue()


def test_disputes_by_level_in_words():
    # Seed 001: 91 formal disputes, 78 at level 1 (78 / 91 = 85.7%), 12 at level 2, 1 at level 3, none above.
    totals = {
        "Category": "Total",
        "Level 1": "78",
        "Level 2": "12",
        "Level 3": "1",
        "Level 4": "0",
        "Level 5": "0",
        "Total": "91",
    }
    assert disputes_by_level_sentence(totals) == (
        "Of the 91 formal disputes, 78 (85.7%) were addressed at the level of Team Manager, 12 were escalated to "
        "Service Managers, and 1 was escalated to the Assistant Director level before a resolution was achieved. "
        "No cases required being raised formally to the Director level or higher."
    )


def test_suppressed_levels_stay_suppressed_and_give_no_share():
    totals = {"Level 1": "c", "Level 2": "c", "Level 3": "0", "Level 4": "0", "Level 5": "0", "Total": "16"}
    assert disputes_by_level_sentence(totals) == (
        "Of the 16 formal disputes, c were addressed at the level of Team Manager, and c were escalated to Service "
        "Managers before a resolution was achieved. No cases required being raised formally to the Assistant "
        "Director level or higher."
    )
    assert disputes_by_level_sentence({"Total": "0"}) is None


def test_rating_lines_in_kents_words():
    late = CATALOGUE["late_notifications_pct"]  # lower is better, with a target and a floor
    assert rating_line(CATALOGUE["reviews_held"], 1251) == "No optimum performance defined"
    assert rating_line(late, 0.0) == "Performance is good"
    assert rating_line(late, 100.0) == "Performance is poor"
    assert set(RATING_WORDS.values()) == {
        "Performance is good",
        "Further improvement required",
        "Performance is poor",
        "No optimum performance defined",
    }


def test_a_fall_over_four_quarters_is_steadily_reducing():
    # Children in care at each quarter end: 10 (Q4 2012-13), then 9, 8, 7, 6 by Q4 2013-14: four falls in a row.
    episodes = []
    ends = [date(2013, 4, 15), date(2013, 7, 15), date(2013, 10, 15), date(2014, 1, 15)]
    for n in range(6):
        episodes.append({"child_id": f"C{n}", "start_date": date(2012, 5, 1), "area": "East Kent"})
    for n, end in enumerate(ends):
        episodes.append(
            {
                "child_id": f"L{n}",
                "start_date": date(2012, 5, 1),
                "end_date": end,
                "reason_ceased": "E8",
                "area": "East Kent",
            }
        )
    reviews = [{"child_id": "C0", "review_date": date(2013, 6, 1), "area": "East Kent"}]
    ds = make_dataset(first_day=date(2012, 4, 1), last_day=date(2014, 3, 31), episodes=episodes, reviews=reviews)
    paper = build_briefing(Selection.of(ds, "2013-14-Q4"))
    headline = next(h for h in paper.headlines if h.startswith("Children in care"))
    # Issue 24: the headline is the conclusion, with the figures it rests on.
    assert headline == (
        "Children in care has been steadily reducing over the last four quarters (6 at 31 March 2014, from 10 at "
        "31 March 2013)."
    )
