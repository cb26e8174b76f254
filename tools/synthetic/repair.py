"""Repair passes on the simulated population: move exits, ages, areas and attributes until the
published point counts are hit exactly, keeping every child's history consistent.

Each pass changes only what later passes do not depend on, in this order: entries in a quarter,
children in care at each census date (by moving exits near it), ages at 31 March 2016 (UASC dates of
birth, with exits at 18 re-simulated), areas, sex and ethnicity at 31 March 2016.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from iro_metrics import codes
from iro_metrics.periods import parse_period, period_containing
from tools.synthetic import targets
from tools.synthetic.lives import CITIZEN_AREAS, UASC_SERVICE, Child, new_citizen, new_uasc, simulate_life


class CalibrationError(RuntimeError):
    """A target could not be reached: the simulation needs retuning."""


def _cohort_ok(child: Child, cohort: str) -> bool:
    return cohort == "all" or (cohort == "uasc") == child.is_uasc


def in_care(children: list[Child], day: date, cohort: str = "all") -> list[Child]:
    """Children in care on ``day`` in a cohort."""
    return [c for c in children if c.in_care_on(day) and _cohort_ok(c, cohort)]


def _starts_in(children: list[Child], first: date, last: date) -> list[Child]:
    return [c for c in children if c.kind != "short_break" and first <= c.entry <= last]


def repair_starts(seed: int, children: list[Child]) -> list[Child]:
    """Hit the published number of children starting care in a quarter by removing or adding entries."""
    rng = random.Random(f"{seed}:repair:starts")
    next_number = max(c.number for c in children) + 1
    for label, target in sorted(targets.CHILDREN_STARTING_CARE.items()):
        period = parse_period(label)
        entrants = sorted(_starts_in(children, period.start, period.end), key=lambda c: c.number)
        citizens = [c for c in entrants if not c.is_uasc]
        diff = len(entrants) - target
        if diff > 0:
            drop = {c.number for c in rng.sample(citizens, diff)}
            children = [c for c in children if c.number not in drop]
        for _ in range(-diff):
            entry = period.start + timedelta(days=rng.randrange((period.end - period.start).days + 1))
            child = new_citizen(seed, next_number, entry)
            simulate_life(seed, child)
            children.append(child)
            next_number += 1
    return children


def _is_exit_at_18(child: Child) -> bool:
    return child.exit_day is not None and child.exit_day == child.birthday(18)


def repair_children_in_care(seed: int, children: list[Child]) -> list[Child]:
    """Hit each census count exactly by moving exits that fall just after (or before) the census day;
    if too few exits are near, add or remove entries made in the quarter before the census quarter."""
    rng = random.Random(f"{seed}:repair:cic")
    census_days = sorted({day for day, _ in targets.CHILDREN_IN_CARE})
    next_number = max(c.number for c in children) + 1
    for (day, cohort), target in sorted(targets.CHILDREN_IN_CARE.items()):
        adjust_cohort = "citizen" if cohort == "all" else cohort
        earlier = [d for d in census_days if d < day]
        later = [d for d in census_days if d > day]
        floor = max(earlier) + timedelta(days=1) if earlier else date(1900, 1, 1)
        ceiling = min(later) - timedelta(days=1) if later else date(2100, 1, 1)
        for window in (30, 45, 60, 80):
            diff = len(in_care(children, day, cohort)) - target
            if diff > 0:
                pool = [
                    c
                    for c in children
                    if c.in_care_on(day)
                    and _cohort_ok(c, adjust_cohort)
                    and c.exit_day is not None
                    and c.exit_day <= min(day + timedelta(days=window), ceiling)
                    and c.episodes[-1].start < day - timedelta(days=3)
                ]
                pool.sort(key=lambda c: c.number)
                for child in rng.sample(pool, min(diff, len(pool))):
                    low = max(child.episodes[-1].start + timedelta(days=1), floor, day - timedelta(days=window))
                    span = (day - low).days
                    new_exit = low + timedelta(days=rng.randrange(max(span, 1)))
                    reason = "E5" if _is_exit_at_18(child) else (child.exit_reason or "E8")
                    simulate_life(seed, child, forced_exit=(new_exit, reason))
            elif diff < 0:
                pool = [
                    c
                    for c in children
                    if c.kind != "short_break"
                    and _cohort_ok(c, adjust_cohort)
                    and c.exit_day is not None
                    and max(day - timedelta(days=window), floor) <= c.exit_day <= day
                    and not _is_exit_at_18(c)
                    and c.birthday(18) > day + timedelta(days=window)
                ]
                pool.sort(key=lambda c: c.number)
                for child in rng.sample(pool, min(-diff, len(pool))):
                    high = min(ceiling, day + timedelta(days=window))
                    new_exit = day + timedelta(days=1 + rng.randrange(max((high - day).days, 1)))
                    simulate_life(seed, child, forced_exit=(new_exit, child.exit_reason or "E8"))
        diff = len(in_care(children, day, cohort)) - target
        if diff != 0:
            children, next_number = _entries_before(seed, rng, children, day, adjust_cohort, diff, floor, next_number)
        got = len(in_care(children, day, cohort))
        if got != target:
            raise CalibrationError(f"children in care on {day} ({cohort}): {got}, wanted {target}")
    return children


def _entries_before(
    seed: int,
    rng: random.Random,
    children: list[Child],
    day: date,
    cohort: str,
    diff: int,
    floor: date,
    next_number: int,
) -> tuple[list[Child], int]:
    """Remove (diff > 0) or add (diff < 0) entries in the quarter before ``day``'s quarter, which holds no
    starts target and no earlier census day."""
    quarter = period_containing(period_containing(day).start - timedelta(days=1))
    if quarter.label in targets.CHILDREN_STARTING_CARE or quarter.start < floor:
        raise CalibrationError(f"cannot adjust entries before {day}")
    if diff > 0:
        pool = sorted(
            (
                c
                for c in children
                if c.in_care_on(day) and _cohort_ok(c, cohort) and quarter.start <= c.entry <= quarter.end
            ),
            key=lambda c: c.number,
        )
        drop = {c.number for c in rng.sample(pool, diff)}
        return [c for c in children if c.number not in drop], next_number
    added = 0
    while added < -diff:
        entry = quarter.start + timedelta(days=rng.randrange((quarter.end - quarter.start).days + 1))
        child = (
            new_uasc(seed, next_number, entry, surge=False)
            if cohort == "uasc"
            else new_citizen(seed, next_number, entry)
        )
        next_number += 1
        if child.birthday(18) <= day + timedelta(days=31):
            continue  # would leave at 18 before the census day
        simulate_life(seed, child)
        if not child.in_care_on(day):
            stay_until = min(day + timedelta(days=rng.randint(30, 300)), child.birthday(18))
            simulate_life(seed, child, forced_exit=(stay_until, child.exit_reason or "E4A"))
        children.append(child)
        added += 1
    return children, next_number


def _shift_dob(seed: int, child: Child, years: int) -> None:
    dob = child.dob
    try:
        child.dob = dob.replace(year=dob.year + years)
    except ValueError:
        child.dob = date(dob.year + years, 2, 28)
    forced = None
    if child.exit_reason is not None and child.exit_day != child.birthday(18) and child.exit_day is not None:
        forced = (child.exit_day, child.exit_reason)
    simulate_life(seed, child, forced_exit=forced)


def repair_ages(seed: int, children: list[Child]) -> None:
    """Hit the number aged 16-17 on 31 March 2016 by moving UASC ages between 15 and 16 (exits at 18 follow)."""
    rng = random.Random(f"{seed}:repair:ages")
    day = targets.CENSUS_2016
    present = in_care(children, day)
    count = sum(16 <= c.age_on(day) <= 17 for c in present)
    diff = count - targets.AGED_16_17_2016
    before = {c.number for c in present}
    if diff > 0:
        pool = sorted(
            (
                c
                for c in present
                if c.is_uasc
                and c.age_on(day) == 16
                and c.entry > date(2015, 4, 1)
                and (c.exit_day is None or c.exit_day == c.birthday(18))
            ),
            key=lambda c: c.number,
        )
        for child in rng.sample(pool, diff):
            _shift_dob(seed, child, +1)
    elif diff < 0:
        pool = sorted(
            (
                c
                for c in present
                if c.is_uasc and c.age_on(day) == 15 and (c.exit_day is None or c.exit_day == c.birthday(18))
            ),
            key=lambda c: c.number,
        )
        if len(pool) < -diff:
            raise CalibrationError("not enough UASC aged 15 to raise the 16-17 count")
        for child in rng.sample(pool, -diff):
            _shift_dob(seed, child, -1)
    present = in_care(children, day)
    if {c.number for c in present} != before:
        raise CalibrationError("the age repair changed who is in care on 31 March 2016")
    got = sum(16 <= c.age_on(day) <= 17 for c in present)
    if got != targets.AGED_16_17_2016:
        raise CalibrationError(f"aged 16-17 on {day}: {got}")


def _set_area(child: Child, area: str) -> None:
    for ep in child.episodes:
        ep.area = area


def repair_uasc_service(seed: int, children: list[Child]) -> None:
    """574 of the UASC in care on 31 March 2016 are with the UASC Service, the rest with the areas."""
    rng = random.Random(f"{seed}:repair:uasc-area")
    day = targets.CENSUS_2016
    uasc = sorted(in_care(children, day, "uasc"), key=lambda c: c.number)
    inside = [c for c in uasc if c.episode_on(day).area == UASC_SERVICE]
    diff = len(inside) - targets.UASC_SERVICE_UASC_2016
    if diff > 0:
        for child in rng.sample([c for c in inside if c.surge], diff):
            _set_area(child, rng.choice(("North Kent", "West Kent")))
    elif diff < 0:
        outside = [c for c in uasc if c.episode_on(day).area != UASC_SERVICE]
        for child in rng.sample(outside, -diff):
            _set_area(child, UASC_SERVICE)


def repair_sex(seed: int, children: list[Child]) -> None:
    """Hit the published number of girls in care on 31 March 2016 (citizen children recoded)."""
    rng = random.Random(f"{seed}:repair:sex")
    present = sorted(in_care(children, targets.CENSUS_2016), key=lambda c: c.number)
    girls = [c for c in present if c.sex == "2"]
    diff = len(girls) - targets.FEMALE_2016
    if diff > 0:
        for child in rng.sample([c for c in girls if not c.is_uasc], diff):
            child.sex = "1"
    elif diff < 0:
        for child in rng.sample([c for c in present if c.sex == "1" and not c.is_uasc], -diff):
            child.sex = "2"


CITIZEN_CODE_FOR_GROUP = {
    "White": ("WBRI", "WOTH"),
    "Black": ("BCRB", "BAFR", "BOTH"),
    "Other": ("OOTH",),
    "Mixed": ("MWBC", "MOTH", "MWBA"),
    "Asian": ("AOTH", "AIND"),
    "Not known": ("NOBT",),
}
UASC_CODE_FOR_GROUP = {
    "White": ("WOTH",),
    "Black": ("BAFR", "BOTH"),
    "Other": ("OOTH",),
    "Asian": ("AOTH",),
    "Mixed": ("MOTH",),
    "Not known": ("NOBT",),
}


def repair_ethnicity(seed: int, children: list[Child]) -> None:
    """Hit the published White, Black and 'other' counts on 31 March 2016 by recoding a few children."""
    rng = random.Random(f"{seed}:repair:ethnicity")
    present = sorted(in_care(children, targets.CENSUS_2016), key=lambda c: c.number)
    wanted = dict(targets.ETHNIC_GROUPS_2016)
    rest_target = len(present) - sum(wanted.values())

    def group_of(c: Child) -> str:
        return codes.ETHNICITY_GROUP[c.ethnicity]

    def bucket(g: str) -> str:
        return g if g in wanted else "rest"

    goal = {**wanted, "rest": rest_target}
    members: dict[str, list[Child]] = {k: [] for k in goal}
    for c in present:
        members[bucket(group_of(c))].append(c)
    for _ in range(len(present) * 2):
        over = [k for k in goal if len(members[k]) > goal[k]]
        under = [k for k in goal if len(members[k]) < goal[k]]
        if not over:
            return
        src, dst = over[0], under[0]
        child = members[src].pop(rng.randrange(len(members[src])))
        # UASC move between Black/Other/Asian/White; citizens anywhere.
        table = UASC_CODE_FOR_GROUP if child.is_uasc else CITIZEN_CODE_FOR_GROUP
        dst_group = dst if dst != "rest" else ("Asian" if child.is_uasc else "Mixed")
        child.ethnicity = rng.choice(table[dst_group])
        members[dst].append(child)
    raise CalibrationError("ethnicity repair did not converge")


def repair_population(seed: int, children: list[Child]) -> list[Child]:
    """Run every population repair in dependency order; returns the (possibly changed) list."""
    children = repair_starts(seed, children)
    children = repair_children_in_care(seed, children)
    repair_ages(seed, children)
    repair_uasc_service(seed, children)
    repair_sex(seed, children)
    repair_ethnicity(seed, children)
    return children


__all__ = ["CITIZEN_AREAS", "CalibrationError", "in_care", "repair_population"]
