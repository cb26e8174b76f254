"""Periods of care and the statutory review schedule, on tiny histories worked out by hand."""

from datetime import date

import polars as pl

from iro_metrics.care import periods_of_care, review_schedule
from tests.builders import frame

d = date


def schedule(episodes, reviews):
    out = review_schedule(frame("reviews", reviews).lazy(), frame("episodes", episodes).lazy()).collect()
    return {r["review_id"]: r for r in out.iter_rows(named=True)}


def test_x1_chain_is_one_period_and_a_return_is_a_second():
    episodes = frame(
        "episodes",
        [
            dict(child_id="C", start_date=d(2013, 1, 7), end_date=d(2013, 3, 4), reason_ceased="X1"),
            dict(child_id="C", start_date=d(2013, 3, 4), end_date=d(2013, 9, 1), reason_new_episode="P",
                 reason_ceased="E4A"),
            dict(child_id="C", start_date=d(2013, 11, 4)),
        ],
    )  # fmt: skip
    pocs = periods_of_care(episodes.lazy()).collect()
    assert pocs.select("poc_start", "poc_end", "episodes").rows() == [
        (d(2013, 1, 7), d(2013, 9, 1), 2),
        (d(2013, 11, 4), None, 1),
    ]


def test_review_due_dates_and_timeliness():
    episodes = [
        dict(child_id="A", start_date=d(2014, 4, 1)),
        dict(child_id="B", start_date=d(2014, 4, 1)),
        dict(child_id="C", start_date=d(2013, 1, 7), end_date=d(2013, 3, 4), reason_ceased="X1"),
        dict(child_id="C", start_date=d(2013, 3, 4), end_date=d(2013, 9, 1), reason_new_episode="P",
             reason_ceased="E4A"),
        dict(child_id="C", start_date=d(2013, 11, 4)),
        dict(child_id="E", start_date=d(2013, 1, 7)),
        dict(child_id="F", start_date=d(2013, 1, 7)),
        dict(child_id="S", start_date=d(2014, 4, 1), legal_status="V3"),
    ]  # fmt: skip
    reviews = [
        # 20 working days after Tue 1 Apr 2014, over the Easter weekend, is Thu 1 May.
        dict(review_id="A1", child_id="A", review_date=d(2014, 5, 1)),
        dict(review_id="A2", child_id="A", review_date=d(2014, 8, 1)),  # due 1 May + 3 months: on the day
        dict(review_id="B1", child_id="B", review_date=d(2014, 5, 2)),  # a day late
        dict(review_id="B2", child_id="B", review_date=d(2014, 8, 3)),  # due 2 Aug: a day late
        # C's first period starts Mon 7 Jan 2013: first due Mon 4 Feb. The second review falls in the
        # chained (X1) episode, so it is the period's second, due 1 Feb + 3 months = 1 May.
        dict(review_id="C1", child_id="C", review_date=d(2013, 2, 1)),
        dict(review_id="C2", child_id="C", review_date=d(2013, 4, 30)),
        # C came back on Mon 4 Nov 2013: a new period, first review due Mon 2 Dec.
        dict(review_id="C3", child_id="C", review_date=d(2013, 12, 2)),
        # E and F: second review on 31 August, so the third is due 28 February.
        dict(review_id="E1", child_id="E", review_date=d(2013, 2, 4)),
        dict(review_id="E2", child_id="E", review_date=d(2013, 8, 31)),
        dict(review_id="E3", child_id="E", review_date=d(2014, 2, 28)),
        dict(review_id="F1", child_id="F", review_date=d(2013, 2, 4)),
        dict(review_id="F2", child_id="F", review_date=d(2013, 8, 31)),
        dict(review_id="F3", child_id="F", review_date=d(2014, 3, 1)),
        # A short-break child's review belongs to no period of care.
        dict(review_id="S1", child_id="S", review_date=d(2014, 5, 1)),
    ]
    got = schedule(episodes, reviews)
    expected = {
        "A1": (1, d(2014, 5, 1), True),
        "A2": (2, d(2014, 8, 1), True),
        "B1": (1, d(2014, 5, 1), False),
        "B2": (2, d(2014, 8, 2), False),
        "C1": (1, d(2013, 2, 4), True),
        "C2": (2, d(2013, 5, 1), True),
        "C3": (1, d(2013, 12, 2), True),
        "E2": (2, d(2013, 5, 4), False),
        "E3": (3, d(2014, 2, 28), True),
        "F3": (3, d(2014, 2, 28), False),
        "S1": (None, None, None),
    }
    for review_id, (number, due, on_time) in expected.items():
        row = got[review_id]
        assert (row["review_number"], row["due_date"], row["on_time"]) == (number, due, on_time), review_id
    assert got["S1"]["poc_id"] is None


def test_period_not_opened_by_s_has_no_first_due_date():
    # The child was already in care when the data starts: the start is unknown.
    episodes = [dict(child_id="G", start_date=d(2012, 4, 1), reason_new_episode="P")]
    reviews = [
        dict(review_id="G1", child_id="G", review_date=d(2012, 6, 1)),
        dict(review_id="G2", child_id="G", review_date=d(2012, 12, 1)),  # taken as six-monthly
        dict(review_id="G3", child_id="G", review_date=d(2013, 6, 2)),
    ]
    got = schedule(episodes, reviews)
    assert got["G1"]["due_date"] is None and got["G1"]["on_time"] is None
    assert (got["G2"]["due_date"], got["G2"]["on_time"]) == (d(2012, 12, 1), True)
    assert (got["G3"]["due_date"], got["G3"]["on_time"]) == (d(2013, 6, 1), False)


def test_review_on_the_day_care_ends_belongs_to_that_period():
    episodes = [dict(child_id="H", start_date=d(2014, 1, 6), end_date=d(2014, 2, 3), reason_ceased="E8")]
    got = schedule(episodes, [dict(review_id="H1", child_id="H", review_date=d(2014, 2, 3))])
    assert got["H1"]["on_time"] is True
    assert isinstance(got["H1"]["poc_id"], int)
    assert pl.Series([got["H1"]["due_date"]]).item() == d(2014, 2, 3)
