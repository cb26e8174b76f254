"""The present: the synthetic Kent from April 2018 to March 2026, calibrated to Kent's own figures in
the DfE's published benchmark files (iro_metrics/benchmarks/data).

Children entering from April 2018 follow the same simulated lives as before, with the UASC arrivals
of the 2020s: many more, most transferred to other councils within weeks under the National Transfer
Scheme (reason E3). ``repair_present`` then hits, for each year from 2020-21 to 2024-25, the number of
children looked after on 31 March exactly (moving exits near the census day) and the number starting
to be looked after exactly (adding or removing children who arrive and are transferred within the
year). Ceasing follows from those two and is reported beside the published figure. Social worker
episodes (the 903's SWEpisodes) are simulated for every period of care and repaired so that the
share of children looked after on 31 March 2024 with 3 or more social workers in 2023-24 is Kent's.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tools.synthetic.dates import LAST_DAY
from tools.synthetic.lives import Child, new_uasc, simulate_life
from tools.synthetic.present_stability import repair_long_term_stability, repair_three_placements
from tools.synthetic.repair import CalibrationError

if TYPE_CHECKING:
    from iro_metrics.dataset import Dataset

PRESENT_FROM = date(2018, 4, 1)
# Kent's published figures (year ending 31 March): on 31 March, starting, ceasing.
KENT_PUBLISHED: dict[int, tuple[int, int, int]] = {
    2021: (1662, 977, 1138),
    2022: (1777, 1495, 1394),
    2023: (1938, 1785, 1635),
    2024: (1956, 2741, 2739),
    2025: (1896, 3226, 3311),
}
# Years the files do not cover: 31 March 2020 is set so that 2020-21's ceasing comes out as Kent's
# (1,662 - 977 + 1,138 = 1,823); 31 March 2019 lies between 2018 and 2020.
INTERPOLATED_STOCK: dict[int, int] = {2019: 1832, 2020: 1823}
# Kent's 3 or more social workers in 2023-24: 565 of the 1,960 children looked after on 31 March 2024.
SOCIAL_WORKERS_2024 = (565, 1960)
SOCIAL_WORKER_YEAR = 2024
# UASC arrivals per month, by financial year starting (the 2020s: Channel crossings).
UASC_ARRIVALS_PER_MONTH: dict[int, float] = {
    2018: 20.0,
    2019: 24.0,
    2020: 14.0,
    2021: 55.0,
    2022: 95.0,
    2023: 185.0,
    2024: 225.0,
    2025: 200.0,
}
# The share of those arrivals transferred to another council within weeks.
TRANSFERRED_SHARE: dict[int, float] = {
    2018: 0.25,
    2019: 0.3,
    2020: 0.3,
    2021: 0.6,
    2022: 0.72,
    2023: 0.85,
    2024: 0.88,
    2025: 0.88,
}
# Social workers: changes per year of care, and the pool of workers each area draws from.
SOCIAL_WORKER_CHANGES_PER_YEAR = 1.2
SOCIAL_WORKERS_PER_AREA = 160


def _fy(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def census(year: int) -> date:
    return date(year, 3, 31)


def uasc_arrivals_per_month(day: date) -> float:
    """Expected UASC arrivals in the month of ``day`` (from April 2018)."""
    return UASC_ARRIVALS_PER_MONTH[min(_fy(day), max(UASC_ARRIVALS_PER_MONTH))]


def plan_recent_uasc_stay(rng: random.Random, child: Child) -> tuple[date, str] | None:
    """For a UASC arriving from April 2018: a transfer to another council within weeks (E3), or
    None to keep the earlier pattern (mostly staying until 18)."""
    share = TRANSFERRED_SHARE[min(_fy(child.entry), max(TRANSFERRED_SHARE))]
    if rng.random() < share:
        return child.entry + timedelta(days=rng.randint(4, 45)), "E3"
    return None


def _in_care(children: list[Child], day: date) -> list[Child]:
    return [c for c in children if c.kind != "short_break" and c.in_care_on(day)]


def _starting(children: list[Child], year: int) -> list[Child]:
    first, last = date(year - 1, 4, 1), census(year)
    return [c for c in children if c.kind != "short_break" and c.episodes and first <= c.poc_start <= last]


def _is_transit(child: Child, year: int) -> bool:
    """Arrived and left within the year, neither in care on the census day before nor after."""
    first = date(year - 1, 4, 1)
    return child.is_uasc and first <= child.poc_start and child.poc_end is not None and child.poc_end <= census(year)


def _repair_stock(seed: int, rng: random.Random, children: list[Child], year: int, target: int) -> None:
    """Children looked after on 31 March ``year`` exactly, by moving exits across the census day."""
    day = census(year)
    floor, ceiling = census(year - 1) + timedelta(days=1), census(year + 1) - timedelta(days=1)
    for window in (30, 60, 90, 150, 240, 330):
        diff = len(_in_care(children, day)) - target
        if diff > 0:  # too many: bring forward exits due soon after, or transfer recent arrivals
            pool = sorted(
                (
                    c
                    for c in _in_care(children, day)
                    if c.episodes[-1].start < day - timedelta(days=3)
                    and c.poc_start >= floor
                    and (c.poc_end is None or c.poc_end <= day + timedelta(days=window))
                ),
                key=lambda c: c.number,
            )
            for child in rng.sample(pool, min(diff, len(pool))):
                low = max(child.episodes[-1].start + timedelta(days=1), floor, day - timedelta(days=window))
                new_exit = low + timedelta(days=rng.randrange(max((day - low).days, 1)))
                simulate_life(seed, child, forced_exit=(new_exit, child.exit_reason or "E3"))
        elif diff < 0:  # too few: put back exits made shortly before
            pool = sorted(
                (
                    c
                    for c in children
                    if c.kind != "short_break"
                    and c.poc_end is not None
                    and max(day - timedelta(days=window), floor) <= c.poc_end <= day
                    and c.birthday(18) > day + timedelta(days=window)
                ),
                key=lambda c: c.number,
            )
            for child in rng.sample(pool, min(-diff, len(pool))):
                high = min(ceiling, day + timedelta(days=window))
                new_exit = day + timedelta(days=1 + rng.randrange(max((high - day).days, 1)))
                simulate_life(seed, child, forced_exit=(new_exit, child.exit_reason or "E3"))
        if len(_in_care(children, day)) == target:
            return
    raise CalibrationError(f"children looked after on {day}: {len(_in_care(children, day))}, wanted {target}")


def _repair_starts(
    seed: int, rng: random.Random, children: list[Child], year: int, target: int, next_number: int
) -> tuple[list[Child], int]:
    """Children starting in the year exactly, by adding or removing UASC who arrive and are
    transferred within it (which leaves both census days as they were)."""
    first, day = date(year - 1, 4, 1), census(year)
    diff = len(_starting(children, year)) - target
    if diff > 0:
        pool = sorted((c for c in children if _is_transit(c, year)), key=lambda c: c.number)
        if len(pool) < diff:
            raise CalibrationError(f"starts in {year}: {diff} too many and only {len(pool)} to remove")
        drop = {c.number for c in rng.sample(pool, diff)}
        return [c for c in children if c.number not in drop], next_number
    for _ in range(-diff):
        entry = first + timedelta(days=rng.randrange((day - first).days - 1))
        child = new_uasc(seed, next_number, entry, surge=False)
        next_number += 1
        leave = min(entry + timedelta(days=rng.randint(4, 45)), day, child.birthday(18))
        simulate_life(seed, child, forced_exit=(max(leave, entry + timedelta(days=1)), "E3"))
        children.append(child)
    return children, next_number


def repair_present(seed: int, children: list[Child]) -> list[Child]:
    """Hit Kent's published children looked after on 31 March and starting, 2020-21 to 2024-25."""
    rng = random.Random(f"{seed}:repair:present")
    next_number = max(c.number for c in children) + 1
    stocks = {**INTERPOLATED_STOCK, **{year: figures[0] for year, figures in KENT_PUBLISHED.items()}}
    for year, stock in sorted(stocks.items()):
        _repair_stock(seed, rng, children, year, stock)
    for year, (_stock, starts, _ceases) in sorted(KENT_PUBLISHED.items()):
        children, next_number = _repair_starts(seed, rng, children, year, starts, next_number)
    repair_long_term_stability(seed, children)
    repair_three_placements(seed, children)
    return children


# --- Social workers ------------------------------------------------------------------------------


def _worker_timeline(seed: int, child: Child) -> list[tuple[date, str]]:
    """(start, social worker id) for each allocation over the child's period of care."""
    rng = random.Random(f"{seed}:social-workers:{child.number}")
    area = child.episodes[0].area
    start, end = child.poc_start, child.poc_end or LAST_DAY
    timeline = [(start, f"{area[:1]}{rng.randrange(SOCIAL_WORKERS_PER_AREA):03d}")]
    day = start
    while True:
        day = day + timedelta(days=max(7, round(rng.expovariate(SOCIAL_WORKER_CHANGES_PER_YEAR) * 365)))
        if day >= end:
            break
        ep = child.episode_on(day) or child.episodes[-1]
        timeline.append((day, f"{ep.area[:1]}{rng.randrange(SOCIAL_WORKERS_PER_AREA):03d}"))
    return timeline


def _workers_in_year(timeline: list[tuple[date, str]], end: date | None, year: int) -> int:
    first, last = date(year - 1, 4, 1), census(year)
    seen = set()
    for n, (start, worker) in enumerate(timeline):
        stop = timeline[n + 1][0] if n + 1 < len(timeline) else end
        if start <= last and (stop is None or stop >= first):
            seen.add(worker)
    return len(seen)


def social_worker_timelines(seed: int, children: list[Child]) -> dict[int, list[tuple[date, str]]]:
    """Every child's social workers, repaired so that Kent's 2023-24 share with 3 or more is hit."""
    timelines = {c.number: _worker_timeline(seed, c) for c in children if c.kind != "short_break" and c.episodes}
    rng = random.Random(f"{seed}:repair:social-workers")
    year = SOCIAL_WORKER_YEAR
    stock = sorted(_in_care(children, census(year)), key=lambda c: c.number)
    numerator, denominator = SOCIAL_WORKERS_2024
    target = round(numerator / denominator * len(stock))
    first = date(year - 1, 4, 1)
    counts = {c.number: _workers_in_year(timelines[c.number], c.poc_end, year) for c in stock}
    three_plus = [c for c in stock if counts[c.number] >= 3]
    if len(three_plus) > target:  # merge this year's later changes until only two workers remain
        for child in rng.sample(three_plus, len(three_plus) - target):
            timeline = timelines[child.number]
            while _workers_in_year(timeline, child.poc_end, year) > 2:
                latest = max(n for n, (start, _) in enumerate(timeline) if start >= first and n > 0)
                timeline.pop(latest)
    else:  # a new worker during the year for children with two or fewer
        pool = [c for c in stock if counts[c.number] <= 2 and c.poc_start < census(year) - timedelta(days=60)]
        for child in rng.sample(pool, target - len(three_plus)):
            timeline = timelines[child.number]
            while _workers_in_year(timeline, child.poc_end, year) < 3:
                low = max(first, child.poc_start + timedelta(days=1))
                day = low + timedelta(days=rng.randrange(max((census(year) - low).days, 1)))
                timeline.append((day, f"N{rng.randrange(10_000):04d}"))
                timeline.sort()
    return timelines


def social_worker_rows(
    seed: int, children: list[Child], child_ids: dict[int, str]
) -> list[tuple[str, str, date, date | None, str | None]]:
    """Rows of the social_worker_episodes table: child_id, sw_id, start_date, end_date, reason
    (no reason is simulated)."""
    ends = {c.number: c.poc_end for c in children}
    rows = []
    for number, timeline in social_worker_timelines(seed, children).items():
        for n, (start, worker) in enumerate(timeline):
            end = timeline[n + 1][0] if n + 1 < len(timeline) else ends[number]
            rows.append((child_ids[number], worker, start, end, None))
    return rows


# --- The calibration report ----------------------------------------------------------------------


def present_readings(ds: Dataset) -> list[dict]:
    """Kent's published DfE figures for 2020-21 to 2024-25 beside the shipped data's own (computed by
    ``iro_metrics.benchmarks.council`` from the data): one row per measure and year, with whether it
    is calibrated (counts exact, shares within 0.5 points of the published whole number) or follows."""
    from iro_metrics.benchmarks.council import council_figures
    from tools.synthetic.present_stability import LONG_TERM_STABLE, THREE_PLACEMENTS

    published: dict[tuple[str, int], tuple[float, str]] = {}
    for year, (stock, starts, ceases) in KENT_PUBLISHED.items():
        published[("cla_31_march", year)] = (stock, "count")
        published[("cla_starting", year)] = (starts, "count")
        published[("cla_ceasing", year)] = (ceases, "follows")
        published[("three_placements_pct", year)] = (
            round(100 * THREE_PLACEMENTS[year][0] / THREE_PLACEMENTS[year][1]),
            "pct",
        )
        share = LONG_TERM_STABLE[year]
        published[("long_term_stability_pct", year)] = (round(100 * share[0] / share[1]), "pct")
    numerator, denominator = SOCIAL_WORKERS_2024
    published[("three_social_workers_pct", SOCIAL_WORKER_YEAR)] = (round(100 * numerator / denominator), "pct")
    figures = council_figures(ds, sorted(KENT_PUBLISHED))
    rows = []
    for measure, year, count, value in figures.select("measure", "year", "numerator", "value").iter_rows():
        if (measure, year) not in published:
            continue
        target, kind = published[(measure, year)]
        computed = count if kind in ("count", "follows") else value
        ok = computed == target if kind == "count" else (kind == "follows" or abs(computed - target) <= 0.5)
        rows.append(
            dict(measure=measure, year=year, published=target, computed=computed, calibrated=kind != "follows", ok=ok)
        )
    return rows
