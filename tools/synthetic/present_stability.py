"""Placement stability from 2020-21 to 2024-25, repaired to Kent's published shares.

The measures are the DfE's, as ``iro_metrics.benchmarks.council`` computes them from the data (a
placement starts with each episode whose reason for new episode is not L; temporary placements
T0-T4 are not counted):

- children looked after on 31 March with 3 or more placements in the year: moves are added for
  teenagers (15 or over on 31 March, so that no long-term cohort of the next years changes);
- children under 16 looked after for 2.5 years or more living in the same placement for 2 years:
  moves of the last two years are taken back for children of that cohort.

Each repair hits the published share of the synthetic denominator exactly (rounded to a child).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from tools.synthetic.dates import add_months
from tools.synthetic.lives import Child, Episode, _placement_for

# Kent's published figures, by year ending 31 March: (numerator, denominator).
# 2018-19, 2019-20 and 2025-26 are not published: a plausible share (per 100) keeps the trend smooth.
THREE_PLACEMENTS: dict[int, tuple[int, int]] = {
    2019: (12, 100),
    2020: (12, 100),
    2026: (12, 100),
    2021: (208, 1662),
    2022: (234, 1777),
    2023: (240, 1938),
    2024: (219, 1956),
    2025: (221, 1896),
}
LONG_TERM_STABLE: dict[int, tuple[int, int]] = {  # 2019 is not set: its two years reach into 2017-18
    2020: (68, 100),
    2026: (69, 100),
    2021: (330, 493),
    2022: (358, 485),
    2023: (328, 458),
    2024: (300, 447),
    2025: (321, 468),
}
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
ADOPTION = ("A3", "A4", "A5", "A6")


def _census(year: int) -> date:
    return date(year, 3, 31)


def _placement_starts(child: Child) -> list[date]:
    """The start of the placement each episode belongs to."""
    starts: list[date] = []
    for n, ep in enumerate(child.episodes):
        starts.append(ep.start if n == 0 or ep.rne != "L" else starts[-1])
    return starts


def placements_in_year(child: Child, year: int) -> int:
    first, last = date(year - 1, 4, 1), _census(year)
    starts = _placement_starts(child)
    return len(
        {
            starts[n]
            for n, ep in enumerate(child.episodes)
            if ep.start <= last and (ep.end is None or ep.end >= first) and ep.placement not in TEMPORARY
        }
    )


def _current(child: Child, day: date) -> int | None:
    for n, ep in enumerate(child.episodes):
        if ep.start <= day and (ep.end is None or ep.end > day):
            return n
    return None


def in_long_term_cohort(child: Child, year: int) -> bool:
    day = _census(year)
    return (
        child.kind != "short_break"
        and child.in_care_on(day)
        and child.age_on(day) < 16
        and child.poc_start <= add_months(day, -30)
    )


def is_stable(child: Child, year: int) -> bool:
    day = _census(year)
    n = _current(child, day)
    if n is None:
        return False
    starts = _placement_starts(child)
    two_years = add_months(day, -24)
    if starts[n] <= two_years:
        return True
    earlier = sorted({s for s in starts[: n + 1] if s < starts[n]})
    return child.episodes[n].placement in ADOPTION and bool(earlier) and earlier[-1] <= two_years


def _take_back_moves(child: Child, since: date, until: date) -> None:
    """Undo the placement moves starting in (since, until]: the child stays where they were."""
    kept: list[Episode] = [child.episodes[0]]
    for ep in child.episodes[1:]:
        if since < ep.start <= until and ep.rne in ("P", "T"):
            kept[-1].end, kept[-1].reason_ceased = ep.end, ep.reason_ceased
            continue
        if since < ep.start <= until and ep.rne in ("B", "U"):
            ep.rne = "L"
        if ep.rne == "L":
            ep.placement, ep.area = kept[-1].placement, kept[-1].area
        kept.append(ep)
    child.episodes = kept


def _add_move(rng: random.Random, child: Child, first: date, last: date) -> bool:
    """A placement move on a day in [first, last] inside an episode (3 days clear of its ends)."""
    options = [
        ep
        for ep in child.episodes
        if ep.placement not in ADOPTION
        and max(ep.start + timedelta(days=3), first)
        <= min(last, (ep.end or last + timedelta(days=4)) - timedelta(days=3))
    ]
    if not options:
        return False
    ep = rng.choice(options)
    low = max(ep.start + timedelta(days=3), first)
    high = min(last, (ep.end or last + timedelta(days=4)) - timedelta(days=3))
    day = low + timedelta(days=rng.randrange((high - low).days + 1))
    place = _placement_for(rng, child, day, ep.area)
    moved = Episode(day, ep.end, "T" if place == ep.placement else "P", ep.legal_status, ep.cin, place,
                    ep.reason_ceased, ep.area, ep.uasc)  # fmt: skip
    ep.end, ep.reason_ceased = day, "X1"
    child.episodes.insert(child.episodes.index(ep) + 1, moved)
    return True


PASSES = 12  # a repair of one year moves the next and the last: repeat until every year is hit


def _fix_stability(rng: random.Random, children: list[Child], year: int) -> bool:
    """One step towards the year's published share; True when it was already hit."""
    numerator, denominator = LONG_TERM_STABLE[year]
    day = _census(year)
    cohort = sorted((c for c in children if in_long_term_cohort(c, year)), key=lambda c: c.number)
    target = round(numerator / denominator * len(cohort))
    stable = [c for c in cohort if is_stable(c, year)]
    if len(stable) == target:
        return True
    since = add_months(day, -24)
    if len(stable) < target:
        unstable = [
            c for c in cohort if not is_stable(c, year) and c.episodes[_current(c, day)].placement not in ADOPTION
        ]
        for child in rng.sample(unstable, min(target - len(stable), len(unstable))):
            _take_back_moves(child, since, day)
    else:
        for child in rng.sample(stable, len(stable) - target):
            _add_move(rng, child, since + timedelta(days=1), day)
    return False


def repair_long_term_stability(seed: int, children: list[Child]) -> None:
    rng = random.Random(f"{seed}:repair:long-term-stability")
    for _ in range(PASSES):
        if all([_fix_stability(rng, children, year) for year in sorted(LONG_TERM_STABLE)]):
            return


def _teenager_outside_cohorts(child: Child, year: int) -> bool:
    day = _census(year)
    age = child.age_on(day)
    return age >= 16 or (age == 15 and child.poc_start > add_months(day, -30))


def _fix_three_placements(rng: random.Random, children: list[Child], year: int) -> bool:
    numerator, denominator = THREE_PLACEMENTS[year]
    day, first = _census(year), date(year - 1, 4, 1)
    stock = sorted((c for c in children if c.kind != "short_break" and c.in_care_on(day)), key=lambda c: c.number)
    target = round(numerator / denominator * len(stock))
    counts = {c.number: placements_in_year(c, year) for c in stock}
    moved = [c for c in stock if counts[c.number] >= 3]
    if len(moved) == target:
        return True
    if len(moved) < target:
        pool = [c for c in stock if counts[c.number] < 3 and _teenager_outside_cohorts(c, year)]
        for child in rng.sample(pool, min(target - len(moved), len(pool))):
            while placements_in_year(child, year) < 3:
                if not _add_move(rng, child, max(first, child.poc_start + timedelta(days=1)), day):
                    break
    else:
        teenagers = [c for c in moved if _teenager_outside_cohorts(c, year)]
        for child in rng.sample(teenagers, min(len(moved) - target, len(teenagers))):
            _take_back_moves(child, first - timedelta(days=1), day)
    return False


def repair_three_placements(seed: int, children: list[Child]) -> None:
    rng = random.Random(f"{seed}:repair:three-placements")
    for _ in range(PASSES):
        if all([_fix_three_placements(rng, children, year) for year in sorted(THREE_PLACEMENTS)]):
            return
