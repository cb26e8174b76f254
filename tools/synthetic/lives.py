"""Simulated lives: children entering care, their chained episodes and leaving care (their reviews:
``review_schedule.py``; the calendar: ``dates.py``).

Every child has its own random stream (seeded from the generator seed and the child's number),
so that a repair pass can re-simulate one child without disturbing anyone else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tools.synthetic.dates import FIRST_DAY, LAST_DAY

CITIZEN_AREAS = ("East Kent", "North Kent", "South Kent", "West Kent")
CITIZEN_AREA_WEIGHTS = (0.30, 0.24, 0.22, 0.24)
UASC_SERVICE = "UASC Service"
SIXTEEN_PLUS = "16+ Service"
DISABLED = "Disabled Children's Service"


@dataclass
class Episode:
    """One 903 episode of care."""

    start: date
    end: date | None
    rne: str
    legal_status: str
    cin: str
    placement: str
    reason_ceased: str | None
    area: str
    uasc: bool
    notified: date | None = None


@dataclass
class Review:
    """One statutory review meeting."""

    day: date
    extra: bool = False  # held earlier than the schedule required (Reg 33(3)), e.g. after a move
    participation: str = ""
    chaired_by: str = "iro"
    child_chaired: str = "none"
    minutes: date | None = None
    area: str = ""
    uasc: bool = False
    review_id: str = ""


@dataclass
class Child:
    """A child and everything that happened to them in care."""

    number: int
    sex: str
    dob: date
    ethnicity: str
    is_uasc: bool
    kind: str  # citizen, disabled, uasc, short_break
    entry: date
    episodes: list[Episode] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    exit_reason: str | None = None
    exit_day: date | None = None
    surge: bool = False

    def age_on(self, day: date) -> int:
        years = day.year - self.dob.year
        if (day.month, day.day) < (self.dob.month, self.dob.day):
            years -= 1
        return years

    def birthday(self, age: int) -> date:
        try:
            return self.dob.replace(year=self.dob.year + age)
        except ValueError:  # 29 February
            return date(self.dob.year + age, 3, 1)

    @property
    def poc_start(self) -> date:
        return self.episodes[0].start

    @property
    def poc_end(self) -> date | None:
        return self.episodes[-1].end

    def in_care_on(self, day: date) -> bool:
        if not self.episodes or self.kind == "short_break":
            return False
        end = self.poc_end
        return self.poc_start <= day and (end is None or end > day)

    def episode_on(self, day: date) -> Episode | None:
        for ep in self.episodes:
            if ep.start <= day and (ep.end is None or ep.end > day):
                return ep
        return None


def child_rng(seed: int, stream: str, number: int) -> random.Random:
    """A random stream for one child and one purpose, independent of every other."""
    return random.Random(f"{seed}:{stream}:{number}")


def weighted(rng: random.Random, options: tuple, weights: tuple) -> object:
    """One option drawn with the given weights."""
    return rng.choices(options, weights=weights, k=1)[0]


def days(n: float) -> timedelta:
    """A whole number of days."""
    return timedelta(days=round(n))


# --- Who comes into care -----------------------------------------------------------------------

CITIZEN_ETHNICITY = (
    ("WBRI", 0.83),
    ("WOTH", 0.025),
    ("WIRT", 0.01),
    ("WROM", 0.01),
    ("WIRI", 0.005),
    ("MWBC", 0.025),
    ("MWBA", 0.01),
    ("MWAS", 0.01),
    ("MOTH", 0.02),
    ("AIND", 0.003),
    ("APKN", 0.003),
    ("ABAN", 0.002),
    ("AOTH", 0.005),
    ("BCRB", 0.008),
    ("BAFR", 0.012),
    ("BOTH", 0.005),
    ("CHNE", 0.002),
    ("OOTH", 0.01),
    ("REFU", 0.002),
    ("NOBT", 0.003),
)
UASC_ETHNICITY = (("BAFR", 0.30), ("BOTH", 0.14), ("OOTH", 0.36), ("AOTH", 0.10), ("WOTH", 0.10))


def _pick_ethnicity(rng: random.Random, table) -> str:
    return weighted(rng, tuple(c for c, _ in table), tuple(w for _, w in table))


def _dob_for_age(rng: random.Random, entry: date, age: int, first_january: bool = False) -> date:
    """A date of birth that makes the child exactly ``age`` on ``entry``."""
    if first_january:
        year = entry.year - age - (0 if (entry.month, entry.day) >= (1, 1) else 1)
        return date(year, 1, 1)
    latest = _safe_replace(entry, entry.year - age)
    earliest = _safe_replace(entry, entry.year - age - 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _safe_replace(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def new_citizen(seed: int, number: int, entry: date) -> Child:
    """A citizen child entering care on ``entry``; their life is simulated by ``simulate_life``."""
    rng = child_rng(seed, "who", number)
    band = weighted(rng, ("baby", "toddler", "primary", "teen", "older"), (0.21, 0.19, 0.17, 0.31, 0.12))
    age = {
        "baby": 0,
        "toddler": rng.randint(1, 4),
        "primary": rng.randint(5, 9),
        "teen": rng.randint(10, 15),
        "older": rng.randint(16, 17),
    }[band]
    disabled = 5 <= age <= 15 and rng.random() < 0.10
    sex = "1" if rng.random() < (0.58 if age >= 10 else 0.52) else "2"
    child = Child(
        number,
        sex,
        _dob_for_age(rng, entry, age),
        _pick_ethnicity(rng, CITIZEN_ETHNICITY),
        False,
        "disabled" if disabled else "citizen",
        entry,
    )
    return child


def new_uasc(seed: int, number: int, entry: date, surge: bool) -> Child:
    """An unaccompanied asylum-seeking child arriving on ``entry``."""
    rng = child_rng(seed, "who", number)
    age = weighted(
        rng, (13, 14, 15, 16, 17), (0.03, 0.06, 0.13, 0.42, 0.36) if not surge else (0.01, 0.03, 0.08, 0.47, 0.41)
    )
    first_january = rng.random() < (0.22 if surge else 0.12)
    dob = _dob_for_age(rng, entry, age, first_january)
    while True:  # keep the child's stated age exactly
        c = Child(number, "1", dob, "", True, "uasc", entry)
        if c.age_on(entry) == age:
            break
        dob = _dob_for_age(rng, entry, age)
    sex = "1" if rng.random() < (0.93 if surge else 0.88) else "2"
    child = Child(number, sex, dob, _pick_ethnicity(rng, UASC_ETHNICITY), True, "uasc", entry)
    child.surge = surge
    return child


# --- Episodes ---------------------------------------------------------------------------------

BABY_PLACEMENTS = ("U6", "U6", "U6", "U3", "U4", "R3")
CHILD_PLACEMENTS = ("U6", "U6", "U4", "U4", "U3", "U1", "P1")
TEEN_PLACEMENTS = ("U6", "U4", "U4", "K2", "R1", "U3", "H5")
DISABLED_PLACEMENTS = ("S1", "K2", "R1", "U6", "U4")
UASC_PLACEMENTS_YOUNG = ("U6", "U6", "U4")
UASC_PLACEMENTS_OLDER = ("H5", "H5", "H5", "U6", "P2")


def _placement_for(rng: random.Random, child: Child, day: date, area: str) -> str:
    age = child.age_on(day)
    if child.kind == "uasc":
        return rng.choice(UASC_PLACEMENTS_YOUNG if age < 16 else UASC_PLACEMENTS_OLDER)
    if child.kind == "disabled":
        return rng.choice(DISABLED_PLACEMENTS)
    if area == SIXTEEN_PLUS:
        return rng.choice(("H5", "H5", "U6", "U4", "P2"))
    if age < 2:
        return rng.choice(BABY_PLACEMENTS)
    if age < 10:
        return rng.choice(CHILD_PLACEMENTS)
    return rng.choice(TEEN_PLACEMENTS)


def _initial_legal_status(rng: random.Random, child: Child) -> str:
    age = child.age_on(child.entry)
    if child.kind in ("uasc", "disabled"):
        return "V2"
    if age < 1:
        return weighted(rng, ("C1", "V2", "L2"), (0.42, 0.50, 0.08))
    if age < 10:
        return weighted(rng, ("C1", "V2", "L1", "L2"), (0.45, 0.45, 0.06, 0.04))
    if age < 16:
        return weighted(rng, ("V2", "C1", "J1", "L1"), (0.62, 0.28, 0.05, 0.05))
    return weighted(rng, ("V2", "J1", "C1"), (0.86, 0.09, 0.05))


def _cin(rng: random.Random, child: Child) -> str:
    if child.kind == "uasc":
        return "N8"
    if child.kind == "disabled":
        return "N2"
    return weighted(
        rng, ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"), (0.62, 0.02, 0.04, 0.08, 0.16, 0.02, 0.005, 0.055)
    )


def plan_citizen_stay(rng: random.Random, child: Child) -> tuple[date | None, str, str]:
    """How long a citizen child stays and why they leave: (exit day or None, reason, pathway)."""
    age = child.age_on(child.entry)
    at18 = child.birthday(18)
    if child.kind == "disabled":
        path = weighted(rng, ("home", "to18"), (0.35, 0.65))
    elif age < 1:
        path = weighted(rng, ("home", "adoption", "sgo", "to18"), (0.30, 0.38, 0.22, 0.10))
    elif age < 5:
        path = weighted(rng, ("home", "adoption", "sgo", "to18"), (0.42, 0.18, 0.22, 0.18))
    elif age < 10:
        path = weighted(rng, ("home", "sgo", "to18"), (0.45, 0.20, 0.35))
    elif age < 16:
        path = weighted(rng, ("home", "short", "to18"), (0.36, 0.10, 0.54))
    else:
        path = weighted(rng, ("home", "short", "to18"), (0.35, 0.15, 0.50))
    if path == "home":
        stay = rng.expovariate(1 / 210) + 10
        reason = weighted(rng, ("E4A", "E4B", "E13", "E8"), (0.70, 0.10, 0.10, 0.10))
    elif path == "short":
        stay = rng.uniform(3, 90)
        reason = weighted(rng, ("E7", "E4A", "E8", "E6"), (0.35, 0.35, 0.2, 0.1))
    elif path == "adoption":
        stay = rng.uniform(420, 900)
        reason = weighted(rng, ("E11", "E12"), (0.45, 0.55))
    elif path == "sgo":
        stay = rng.uniform(240, 800)
        reason = weighted(rng, ("E47", "E48", "E45", "E46", "E41"), (0.3, 0.35, 0.1, 0.15, 0.1))
    else:
        stay = (at18 - child.entry).days
        reason = "AT18"
    end = child.entry + days(stay)
    if end >= at18:
        return at18, "AT18", path
    return end, reason, path


def _exit_at_18_reason(rng: random.Random, child: Child, day: date) -> str:
    if child.kind == "uasc":
        return weighted(rng, ("E8", "E5", "E17"), (0.80, 0.14, 0.06))
    if day >= date(2014, 5, 1):  # Staying Put from May 2014
        return weighted(rng, ("E8", "E5", "E17"), (0.70, 0.12, 0.18))
    return weighted(rng, ("E8", "E5"), (0.82, 0.18))


def plan_uasc_stay(rng: random.Random, child: Child) -> tuple[date, str]:
    """When and why a UASC leaves care: at 18 mostly; age assessments, going missing, dispersal."""
    at18 = child.birthday(18)
    if child.entry >= date(2018, 4, 1):  # the 2020s: most are transferred within weeks
        from tools.synthetic.present import plan_recent_uasc_stay

        transfer = plan_recent_uasc_stay(rng, child)
        if transfer is not None and transfer[0] < at18:
            return transfer
    roll = rng.random()
    if roll < 0.05:
        return child.entry + days(rng.uniform(10, 80)), "E9"
    if roll < 0.08:
        return child.entry + days(rng.uniform(5, 200)), "E8"  # went missing / left
    if child.surge and rng.random() < 0.14:  # voluntary dispersal to other authorities, early 2016
        day = date(2016, 1, 11) + days(rng.uniform(0, 150))
        if child.entry + timedelta(days=60) < day < at18:
            return day, "E3"
    if not child.surge and child.entry >= date(2016, 7, 1) and rng.random() < 0.25:
        day = child.entry + days(rng.uniform(20, 120))  # national transfer scheme
        if day < at18:
            return day, "E3"
    return at18, "AT18"


def simulate_life(seed: int, child: Child, forced_exit: tuple[date, str] | None = None) -> None:
    """Build the child's chained episodes from entry to exit (or still open at the end)."""
    rng = child_rng(seed, "life", child.number)
    if child.kind == "uasc":
        exit_day, reason = plan_uasc_stay(rng, child)
        path = "uasc"
    else:
        exit_day, reason, path = plan_citizen_stay(rng, child)
    if forced_exit is not None:
        exit_day, reason = forced_exit
    if child.kind != "short_break" and (exit_day is None or exit_day >= child.birthday(18)):
        exit_day, reason = child.birthday(18), "AT18"  # nobody stays in care past 18
    if reason == "AT18":
        reason = _exit_at_18_reason(rng, child, exit_day)
    if exit_day is not None and exit_day > LAST_DAY:
        exit_day, reason = None, None
    child.exit_day, child.exit_reason = exit_day, reason

    area = _initial_area(rng, child)
    ls = _initial_legal_status(rng, child)
    cin = _cin(rng, child)
    place = _placement_for(rng, child, child.entry, area)
    episodes = [Episode(child.entry, None, "S", ls, cin, place, None, area, child.is_uasc)]
    horizon = exit_day or LAST_DAY + timedelta(days=1)

    # Changes: (day, kind) with kinds legal, placement, both, sixteen, adoption
    changes: list[tuple[date, str]] = []
    if ls in ("L1", "L2"):
        changes.append((child.entry + days(rng.uniform(1, 8)), "emergency_end"))
    if ls == "C1" or (ls in ("L1", "L2") and rng.random() < 0.6):
        changes.append((child.entry + days(rng.uniform(150, 330)), "full_order"))
    if path == "adoption" and exit_day is not None:
        changes.append((exit_day - days(rng.uniform(150, 260)), "placement_order"))
        changes.append((exit_day - days(rng.uniform(60, 140)), "adoptive"))
    rate_first, rate_after = (0.7, 0.3) if child.kind != "uasc" else (0.5, 0.35)
    t = child.entry
    while True:
        rate = rate_first if (t - child.entry).days < 365 else rate_after
        t = t + days(rng.expovariate(rate) * 365 + 5)
        if t >= horizon:
            break
        changes.append((t, "placement"))
    if child.kind == "citizen":
        sixteen = child.birthday(16) + days(rng.uniform(0, 150))
        if child.entry < sixteen < horizon and rng.random() < 0.6:
            changes.append((sixteen, "sixteen"))

    changes.sort()
    last_start = child.entry
    for day, kind in changes:
        if day <= last_start + timedelta(days=2) or day >= horizon - timedelta(days=2):
            continue
        prev = episodes[-1]
        ls, place, area, rne = prev.legal_status, prev.placement, prev.area, None
        if kind == "emergency_end":
            ls = "C1" if rng.random() < 0.6 else "V2"
            rne = "L"
        elif kind == "full_order":
            if prev.legal_status not in ("C1", "L1", "L2"):
                continue
            ls, rne = "C2", "L"
        elif kind == "placement_order":
            if prev.legal_status not in ("C1", "C2"):
                continue
            ls, rne = "E1", "L"
        elif kind == "adoptive":
            place, rne = ("A5" if prev.legal_status == "E1" else "A3"), "P"
            if prev.legal_status not in ("E1",):
                ls, rne = prev.legal_status, "P"
        elif kind == "sixteen":
            area = SIXTEEN_PLUS
            place = _placement_for(rng, child, day, area)
            rne = "P"
        else:
            if prev.placement in ("A3", "A5"):
                continue
            place = _placement_for(rng, child, day, area)
            rne = "T" if place == prev.placement else "P"
            if prev.legal_status == "V2" and child.kind == "citizen" and rng.random() < 0.12:
                ls, rne = "C1", "B"
        prev.end, prev.reason_ceased = day, "X1"
        episodes.append(Episode(day, None, rne, ls, prev.cin, place, None, area, child.is_uasc))
        last_start = day
    if exit_day is not None:
        episodes[-1].end, episodes[-1].reason_ceased = exit_day, reason
    child.episodes = episodes


def _initial_area(rng: random.Random, child: Child) -> str:
    if child.kind == "disabled":
        return DISABLED
    if child.kind == "uasc":
        if child.surge:
            return weighted(rng, (UASC_SERVICE, "North Kent", "West Kent", SIXTEEN_PLUS), (0.64, 0.17, 0.12, 0.07))
        return weighted(rng, (UASC_SERVICE, SIXTEEN_PLUS), (0.88, 0.12))
    if child.age_on(child.entry) >= 16 and rng.random() < 0.5:
        return SIXTEEN_PLUS
    return weighted(rng, CITIZEN_AREAS, CITIZEN_AREA_WEIGHTS)


def short_break_child(seed: int, number: int) -> Child:
    """A disabled child who only has short breaks (V3); no reviews, left out of every indicator."""
    rng = child_rng(seed, "who", number)
    entry = FIRST_DAY + days(rng.uniform(0, 1500))
    child = Child(
        number,
        "1" if rng.random() < 0.6 else "2",
        _dob_for_age(rng, entry, rng.randint(6, 15)),
        _pick_ethnicity(rng, CITIZEN_ETHNICITY),
        False,
        "short_break",
        entry,
    )
    t = entry
    while t < min(LAST_DAY, child.birthday(18)) - timedelta(days=30):
        end = t + days(rng.uniform(2, 7))
        child.episodes.append(Episode(t, end, "S", "V3", "N2", rng.choice(("K1", "K2", "U6")), "E8", DISABLED, False))
        t = end + days(rng.uniform(25, 70))
    child.exit_day = child.episodes[-1].end
    return child
