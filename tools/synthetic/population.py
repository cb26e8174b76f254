"""Who comes into care and when: citizen entries since 1996, and the UASC arrivals with the 2015 surge."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tools.synthetic.dates import FIRST_DAY, HISTORY_START, LAST_DAY
from tools.synthetic.lives import Child, new_citizen, new_uasc, short_break_child, simulate_life
from tools.synthetic.present import PRESENT_FROM
from tools.synthetic.present import uasc_arrivals_per_month as present_uasc_arrivals
from tools.synthetic.review_schedule import schedule_reviews

CITIZEN_ENTRIES_PER_YEAR = 540
SHORT_BREAK_CHILDREN = 24


def uasc_arrivals_per_month(day: date) -> float:
    """Expected UASC arrivals in the month of ``day``: steady to 2014, the surge from summer 2015."""
    month = (day.year, day.month)
    surge = {
        (2015, 6): 40,
        (2015, 7): 140,
        (2015, 8): 235,
        (2015, 9): 215,
        (2015, 10): 160,
        (2015, 11): 100,
        (2015, 12): 65,
        (2016, 1): 40,
        (2016, 2): 32,
        (2016, 3): 30,
    }
    if month in surge:
        return surge[month]
    if day >= PRESENT_FROM:
        return present_uasc_arrivals(day)
    if day < date(2013, 4, 1):
        return 11.5
    if day < date(2014, 4, 1):
        return 14.0
    if day < date(2015, 6, 1):
        return 17.0
    if day < date(2017, 4, 1):
        return 25.0
    return 18.0


def citizen_entries_per_month(day: date) -> float:
    """Citizen entries: steady, a little lower in summer, easing slightly after 2015."""
    seasonal = {
        1: 1.05,
        2: 1.0,
        3: 1.08,
        4: 1.0,
        5: 1.02,
        6: 0.98,
        7: 0.93,
        8: 0.88,
        9: 1.02,
        10: 1.05,
        11: 1.03,
        12: 0.96,
    }[day.month]
    trend = 1.0 if day < date(2013, 7, 1) else 0.9 if day < date(2015, 4, 1) else 0.8
    return CITIZEN_ENTRIES_PER_YEAR / 12 * seasonal * trend


def _month_starts(first: date, last: date) -> list[date]:
    out, current = [], date(first.year, first.month, 1)
    while current <= last:
        out.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return out


def _month_length(start: date) -> int:
    nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return (nxt - start).days


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (normal approximation for large means), deterministic for a seeded rng."""
    if mean > 60:
        return max(0, round(rng.gauss(mean, mean**0.5)))
    limit, k, product = 2.718281828459045 ** (-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def simulate_population(seed: int) -> list[Child]:
    """Every child whose care touches the dataset's years, with their lives simulated."""
    rng = random.Random(f"{seed}:entries")
    children: list[Child] = []
    number = 0
    for month in _month_starts(HISTORY_START, LAST_DAY):
        length = _month_length(month)
        n_citizens = _poisson(rng, citizen_entries_per_month(month))
        uasc_mean = uasc_arrivals_per_month(month) if month >= date(2009, 4, 1) else 11.0
        n_uasc = _poisson(rng, uasc_mean)
        surge = date(2015, 6, 1) <= month < date(2016, 4, 1)
        for _ in range(n_citizens):
            number += 1
            entry = month + timedelta(days=rng.randrange(length))
            if entry > LAST_DAY:
                continue
            child = new_citizen(seed, number, entry)
            simulate_life(seed, child)
            if child.poc_end is None or child.poc_end >= FIRST_DAY:
                children.append(child)
        for _ in range(n_uasc):
            number += 1
            entry = month + timedelta(days=rng.randrange(length))
            if entry > LAST_DAY:
                continue
            child = new_uasc(seed, number, entry, surge)
            simulate_life(seed, child)
            if child.poc_end is None or child.poc_end >= FIRST_DAY:
                children.append(child)
    for _ in range(SHORT_BREAK_CHILDREN):
        number += 1
        children.append(short_break_child(seed, number))
    return children


def schedule_all_reviews(seed: int, children: list[Child]) -> None:
    """Put every child's reviews on the statutory schedule."""
    for child in children:
        schedule_reviews(seed, child)
