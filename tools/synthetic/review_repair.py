"""Repair passes on the review schedule: reviews held per quarter and the share held on time.

Adding a review is always done on time and between two existing reviews (Reg 33(3) allows extra,
earlier reviews), which can only push the next review's due date later. A review is dropped only
where the next one is still on time without it, except in the 2015-16 UASC surge, when the reports
show reviews slipping.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from iro_metrics.periods import Period, financial_quarter, parse_period, period_containing
from tools.synthetic import targets
from tools.synthetic.dates import FIRST_DAY, LAST_DAY, is_working_day, quarter_label
from tools.synthetic.lives import Child, Review
from tools.synthetic.repair import CalibrationError
from tools.synthetic.review_schedule import due_date, weekday_on_or_before


def due_dates(child: Child) -> list[date]:
    """The due date of each of the child's reviews, in order."""
    out, previous = [], None
    for number, review in enumerate(child.reviews, start=1):
        out.append(due_date(child.poc_start, number, previous))
        previous = review.day
    return out


def reviews_by_quarter(children: list[Child]) -> dict[str, int]:
    """Reviews held per quarter of the dataset's years."""
    counts: dict[str, int] = defaultdict(int)
    for child in children:
        for review in child.reviews:
            if FIRST_DAY <= review.day <= LAST_DAY:
                counts[quarter_label(review.day)] += 1
    return counts


def quarter_review_targets(children: list[Child]) -> dict[str, int]:
    """Per-quarter targets: published quarters as given; the year's remainder spread over the others."""
    natural = reviews_by_quarter(children)
    out: dict[str, int] = {}
    for year_label, year_target in targets.REVIEWS_HELD_YEAR.items():
        year = parse_period(year_label)
        quarters = [financial_quarter(year.fy, q).label for q in (1, 2, 3, 4)]
        fixed = {q: targets.REVIEWS_HELD_QUARTER[q] for q in quarters if q in targets.REVIEWS_HELD_QUARTER}
        free = [q for q in quarters if q not in fixed]
        remainder = year_target - sum(fixed.values())
        weights = [natural.get(q, 1) for q in free]
        out.update(fixed)
        out.update(split_total(remainder, free, weights))
    for label, value in targets.REVIEWS_HELD_QUARTER.items():
        out[label] = value
    return out


def split_total(total: int, labels: list[str], weights: list[float]) -> dict[str, int]:
    """Split ``total`` over ``labels`` in proportion to ``weights`` (largest remainders)."""
    if not labels:
        return {}
    share = sum(weights) or 1.0
    raw = [total * w / share for w in weights]
    base = [int(x) for x in raw]
    order = sorted(range(len(labels)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[: total - sum(base)]:
        base[i] += 1
    return dict(zip(labels, base, strict=True))


def _random_weekday(rng: random.Random, period: Period) -> date:
    span = (period.end - period.start).days + 1
    while True:
        day = period.start + timedelta(days=rng.randrange(span))
        if is_working_day(day):
            return day


def _try_add(rng: random.Random, child: Child, period: Period) -> bool:
    day = _random_weekday(rng, period)
    end = child.poc_end
    if day <= child.poc_start + timedelta(days=25) or (end is not None and day >= end - timedelta(days=3)):
        return False
    if any(abs((r.day - day).days) < 40 for r in child.reviews):
        return False
    index = sum(r.day < day for r in child.reviews)
    previous = child.reviews[index - 1].day if index else None
    if day > due_date(child.poc_start, index + 1, previous):
        return False
    child.reviews.insert(index, Review(day, extra=True))
    return True


def _drop_is_safe(child: Child, index: int) -> bool:
    if index + 1 >= len(child.reviews):
        return False
    previous = child.reviews[index - 1].day if index else None
    nxt = child.reviews[index + 1].day
    return nxt <= due_date(child.poc_start, index + 1, previous)


def repair_review_counts(seed: int, children: list[Child]) -> None:
    """Add or drop reviews until every calibrated quarter holds exactly its target."""
    rng = random.Random(f"{seed}:repair:review-counts")
    goals = quarter_review_targets(children)
    eligible = sorted((c for c in children if c.kind != "short_break"), key=lambda c: c.number)
    for label in sorted(goals):
        period = parse_period(label)
        current = reviews_by_quarter(children).get(label, 0)
        diff = goals[label] - current
        attempts = 0
        in_quarter = [
            c for c in eligible if c.poc_start < period.end and (c.poc_end is None or c.poc_end > period.start)
        ]
        while diff > 0:
            attempts += 1
            if attempts > 200000:
                raise CalibrationError(f"could not add reviews in {label}")
            if _try_add(rng, rng.choice(in_quarter), period):
                diff -= 1
        if diff < 0:
            candidates = [
                (c, i) for c in in_quarter for i, r in enumerate(c.reviews) if period.start <= r.day <= period.end
            ]
            surge = period.start >= date(2015, 7, 1) and period.end <= date(2016, 6, 30)
            rng.shuffle(candidates)
            candidates.sort(key=lambda ci: (not ci[0].reviews[ci[1]].extra, not (surge and ci[0].is_uasc)))
            chosen = [child.reviews[index] for child, index in candidates]
            for strict in (True, False):
                for (child, _), review in zip(candidates, chosen, strict=True):
                    if diff == 0:
                        break
                    position = next((i for i, r in enumerate(child.reviews) if r is review), None)
                    if position is None:
                        continue
                    if (surge and child.is_uasc) or not strict or _drop_is_safe(child, position):
                        child.reviews.pop(position)
                        diff += 1
            if diff < 0:
                raise CalibrationError(f"could not drop enough reviews in {label} ({-diff} left)")


def on_time_share(children: list[Child], period: Period) -> tuple[int, int]:
    """(reviews on or before their due date, reviews) held in the period."""
    on_time = total = 0
    for child in children:
        for review, due in zip(child.reviews, due_dates(child), strict=True):
            if period.start <= review.day <= period.end:
                total += 1
                on_time += review.day <= due
    return on_time, total


def repair_timeliness(seed: int, children: list[Child]) -> None:
    """Move a few reviews across their due date (inside their quarter) to hit the published on-time share."""
    rng = random.Random(f"{seed}:repair:timeliness")
    pool = sorted((c for c in children if c.kind != "short_break" and c.reviews), key=lambda c: c.number)
    for label, pct in sorted(targets.ON_TIME_PCT_YEAR.items()):
        period = parse_period(label)
        on_time, total = on_time_share(children, period)
        want = round(pct / 100 * total)
        attempts = 0
        while on_time != want:
            attempts += 1
            if attempts > 500000:
                raise CalibrationError(f"timeliness repair failed for {label}")
            child = rng.choice(pool)
            dues = due_dates(child)
            index = rng.randrange(len(child.reviews))
            review, due = child.reviews[index], dues[index]
            if not period.start <= review.day <= period.end:
                continue
            quarter = period_containing(review.day)
            previous = child.reviews[index - 1].day if index else child.poc_start
            nxt = child.reviews[index + 1].day if index + 1 < len(child.reviews) else None
            if on_time > want and review.day <= due:  # make one late
                new_day = due + timedelta(days=rng.randint(1, 12))
                while not is_working_day(new_day):
                    new_day += timedelta(days=1)
                if new_day > quarter.end or (nxt is not None and new_day >= nxt - timedelta(days=7)):
                    continue
                end = child.poc_end
                if end is not None and new_day >= end:
                    continue
                review.day = new_day
            elif on_time < want and review.day > due:  # bring one forward to its due date
                new_day = weekday_on_or_before(due - timedelta(days=rng.randint(0, 5)))
                if new_day < quarter.start or new_day <= previous + timedelta(days=7):
                    continue
                old = review.day
                review.day = new_day
                if nxt is not None:
                    next_due = due_date(child.poc_start, index + 2, new_day)
                    if nxt > next_due and nxt <= due_date(child.poc_start, index + 2, old):
                        review.day = old
                        continue
            else:
                continue
            on_time, total = on_time_share(children, period)
            want = round(pct / 100 * total)


def repair_under_fours(seed: int, children: list[Child]) -> None:
    """Swap reviews of under 4s for reviews of older children, quarter by quarter, until a year holds
    the number of PN0 reviews its published participation count implies (totals stay the same)."""
    rng = random.Random(f"{seed}:repair:under-fours")
    pool = sorted((c for c in children if c.kind != "short_break"), key=lambda c: c.number)
    for label, target in sorted(targets.UNDER_4_REVIEWS_YEAR.items()):
        year = parse_period(label)
        young = [(c, r) for c in pool for r in c.reviews if year.start <= r.day <= year.end and c.age_on(r.day) < 4]
        diff = len(young) - target
        rng.shuffle(young)
        older = [
            c
            for c in pool
            if c.age_on(year.start) >= 4 and c.poc_start < year.end and (c.poc_end is None or c.poc_end > year.start)
        ]
        # Safe drops first; then, as the 2015-16 reports describe, reviews missed under pressure.
        for strict in (True, False):
            for child, review in young:
                if diff <= 0:
                    break
                index = next((i for i, r in enumerate(child.reviews) if r is review), None)
                if index is None or (strict and not _drop_is_safe(child, index)):
                    continue
                quarter = period_containing(review.day)
                for _ in range(5000):
                    if _try_add(rng, rng.choice(older), quarter):
                        child.reviews.pop(index)
                        diff -= 1
                        break
        if diff < 0:
            raise CalibrationError(f"{label}: too few reviews of under 4s ({-diff} short)")
        if diff > 0:
            raise CalibrationError(f"{label}: could not swap {diff} reviews of under 4s")
