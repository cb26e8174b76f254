"""The statutory review schedule of a simulated child: due dates (Regulation 33), reviews held a
little early, some late (more in the 2015 UASC surge), and extra reviews after a move."""

from __future__ import annotations

from datetime import date, timedelta

from tools.synthetic.dates import FIRST_DAY, LAST_DAY, add_months, add_working_days, is_working_day
from tools.synthetic.lives import Child, Review, child_rng, days


def review_late_probability(child: Child, day: date, number: int) -> float:
    """The chance that a review is held after its due date: rises with the 2015 UASC surge."""
    base = 0.028
    if day < FIRST_DAY:
        base = 0.03
    elif date(2015, 7, 1) <= day < date(2016, 7, 1):
        base = 0.45 if child.kind == "uasc" and number <= 2 else (0.16 if child.kind == "uasc" else 0.07)
    elif date(2016, 7, 1) <= day < date(2017, 4, 1):
        base = 0.06
    elif day >= date(2017, 4, 1):
        base = 0.045
    elif date(2014, 4, 1) <= day < date(2015, 4, 1):
        base = 0.04
    return base


def due_date(poc_start: date, number: int, previous: date | None) -> date:
    """The statutory due date of the ``number``-th review (1-based) of a period of care."""
    if number == 1 or previous is None:
        return add_working_days(poc_start, 20)
    return add_months(previous, 3 if number == 2 else 6)


def weekday_on_or_before(day: date) -> date:
    """The working day on or before ``day``."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def weekday_on_or_after(day: date) -> date:
    """The working day on or after ``day``."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def schedule_reviews(seed: int, child: Child) -> None:
    """Reviews on the statutory schedule of each period of care, some early, a few late.

    A child has one period of care here (re-entries are new children), so the schedule runs from
    the first episode's start to the last episode's end.
    """
    if child.kind == "short_break":
        child.reviews = []
        return
    rng = child_rng(seed, "reviews", child.number)
    start, end = child.poc_start, child.poc_end
    stop = min(end, LAST_DAY + timedelta(days=1)) if end is not None else LAST_DAY + timedelta(days=1)
    moves = [ep.start for ep in child.episodes[1:] if ep.rne in ("P", "B")]
    reviews: list[Review] = []
    previous: date | None = None
    number = 1
    while True:
        due = due_date(start, number, previous)
        if rng.random() < review_late_probability(child, due, number):
            late_by = 60 if child.surge and number <= 2 else 28
            day = weekday_on_or_after(due + days(rng.uniform(1, late_by)))
        elif number == 1:
            day = weekday_on_or_before(due - days(rng.uniform(0, 12)))
        else:
            day = weekday_on_or_before(due - days(rng.triangular(0, 70, 25)))
        # An extra review after a move of placement (Reg 33(3)), before the scheduled one.
        extra_day = None
        for moved in moves:
            if (
                previous is not None
                and previous + timedelta(days=20) < moved
                and moved + timedelta(days=40) < day
                and rng.random() < (0.15 if child.kind == "uasc" else 0.5)
            ):
                extra_day = weekday_on_or_before(moved + days(rng.uniform(10, 35)))
                break
        if extra_day is not None and (previous is None or extra_day > previous):
            day, extra = extra_day, True
        else:
            extra = False
        if day <= start or day >= stop:
            break
        if previous is not None and day <= previous:
            day = weekday_on_or_after(previous + timedelta(days=7))
            if day >= stop:
                break
        reviews.append(Review(day, extra=extra))
        previous = day
        number += 1
    child.reviews = reviews
