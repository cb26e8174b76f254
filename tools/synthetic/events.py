"""Everything that happens around the reviews, chosen to hit the calibration targets exactly:
who chairs, participation codes, children chairing, minutes, QA audits and grades, disputes,
notifications of entry, IRO contacts, staffing and survey responses.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from iro_metrics import codes
from iro_metrics.periods import (
    Period,
    financial_quarter,
    financial_year,
    parse_period,
)
from tools.synthetic import targets
from tools.synthetic.lives import (
    FIRST_DAY,
    LAST_DAY,
    Child,
    Review,
    add_working_days,
    is_working_day,
    quarter_label,
)
from tools.synthetic.repair import CalibrationError
from tools.synthetic.review_repair import split_total

WINDOW_YEARS = [financial_year(fy) for fy in range(2012, LAST_DAY.year)]
WINDOW_QUARTERS = [financial_quarter(fy, q) for fy in range(2012, LAST_DAY.year) for q in (1, 2, 3, 4)]


@dataclass
class HeldReview:
    """A review with its child, for assigning attributes."""

    child: Child
    review: Review
    age: int


def weighted_sample(rng: random.Random, items: Sequence, weights: Sequence[float], k: int) -> list:
    """``k`` items without replacement, more likely the heavier (Efraimidis-Spirakis keys)."""
    if k > len(items):
        raise CalibrationError(f"asked for {k} of {len(items)}")
    if k <= 0:
        return []
    keyed = sorted(((rng.random() ** (1.0 / max(w, 1e-9)), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keyed[:k]]


def held_reviews(children: list[Child]) -> list[HeldReview]:
    """Every review of every child, sorted by date then child then order."""
    out = [HeldReview(c, r, c.age_on(r.day)) for c in children for r in c.reviews]
    out.sort(key=lambda h: (h.review.day, h.child.number))
    return out


def by_quarter(items: list, day_of: Callable) -> dict[str, list]:
    """Group items by the financial quarter of their date (window days only)."""
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        day = day_of(item)
        if FIRST_DAY <= day <= LAST_DAY:
            groups[quarter_label(day)].append(item)
    return groups


def quarter_values(
    year_value: Callable[[Period], float | int | None],
    quarter_value: Callable[[Period], float | int | None],
    sizes: dict[str, int],
    default: Callable[[Period], float],
    as_count: bool,
) -> dict[str, int]:
    """Counts per quarter from quarter targets, a year target shared over the free quarters, or a default.

    Rates are per unit of ``sizes`` (e.g. 0.12 of reviews); ``as_count`` marks year/quarter values that
    are counts already.
    """
    out: dict[str, int] = {}
    for year in WINDOW_YEARS:
        quarters = [financial_quarter(year.fy, q) for q in (1, 2, 3, 4)]
        fixed: dict[str, int] = {}
        for q in quarters:
            value = quarter_value(q)
            if value is not None:
                fixed[q.label] = int(value) if as_count else round(value * sizes.get(q.label, 0))
        free = [q for q in quarters if q.label not in fixed]
        total = year_value(year)
        if total is not None:
            if not as_count:
                total = round(total * sum(sizes.get(q.label, 0) for q in quarters))
            rest = int(total) - sum(fixed.values())
            if rest < 0:
                raise CalibrationError(f"{year.label}: quarter targets exceed the year's")
            out.update(split_total(rest, [q.label for q in free], [sizes.get(q.label, 0) or 1 for q in free]))
        else:
            for q in free:
                out[q.label] = round(default(q) * sizes.get(q.label, 0))
        out.update(fixed)
    return out


# --- Reviews: area, chair, participation, children chairing, minutes -------------------------------------


def assign_review_basics(children: list[Child]) -> None:
    """Each review's area and UASC flag as they stood on its date."""
    for child in children:
        for review in child.reviews:
            episode = child.episode_on(review.day)
            if episode is None:
                raise CalibrationError(f"review on {review.day} outside care for child {child.number}")
            review.area, review.uasc = episode.area, child.is_uasc


def assign_chairs(seed: int, reviews: list[HeldReview]) -> None:
    """Choose the reviews chaired by someone other than an IRO, to the published shares."""
    rng = random.Random(f"{seed}:chairs")
    quarters = by_quarter(reviews, lambda h: h.review.day)
    sizes = {k: len(v) for k, v in quarters.items()}

    def year_other(year: Period) -> int | None:
        n = sum(sizes.get(q.label, 0) for q in (financial_quarter(year.fy, i) for i in (1, 2, 3, 4)))
        if year.label in targets.CHAIRED_BY_IRO_COUNT_YEAR:
            return n - targets.CHAIRED_BY_IRO_COUNT_YEAR[year.label]
        if year.label in targets.CHAIRED_BY_IRO_PCT_YEAR:
            return round((100 - targets.CHAIRED_BY_IRO_PCT_YEAR[year.label]) / 100 * n)
        return None

    def quarter_other(q: Period) -> int | None:
        pct = targets.CHAIRED_BY_IRO_PCT_QUARTER.get(q.label)
        return None if pct is None else round((100 - pct) / 100 * sizes.get(q.label, 0))

    other = quarter_values(year_other, quarter_other, sizes, lambda q: 0.01, as_count=True)
    for label, items in sorted(quarters.items()):
        weights = [5.0 if h.child.is_uasc and label.startswith("2015-16") else 1.0 for h in items]
        for h in weighted_sample(rng, items, weights, other.get(label, 0)):
            h.review.chaired_by = "other"
    for h in reviews:  # history before the window: one in a hundred
        if h.review.day < FIRST_DAY and rng.random() < 0.01:
            h.review.chaired_by = "other"


PN_BY_AGE = {
    "young": (("PN1", "PN2", "PN3", "PN4", "PN5", "PN6"), (0.34, 0.06, 0.20, 0.10, 0.10, 0.20)),
    "middle": (("PN1", "PN2", "PN3", "PN4", "PN5", "PN6"), (0.60, 0.08, 0.04, 0.06, 0.08, 0.14)),
    "teen": (("PN1", "PN2", "PN3", "PN4", "PN5", "PN6"), (0.62, 0.08, 0.02, 0.05, 0.08, 0.15)),
    "disabled": (("PN1", "PN2", "PN3", "PN4", "PN5", "PN6"), (0.20, 0.15, 0.35, 0.15, 0.05, 0.10)),
}


def assign_participation(seed: int, reviews: list[HeldReview]) -> None:
    """PN0 exactly for under 4s; among the rest, the published share participate (PN1-PN6)."""
    rng = random.Random(f"{seed}:participation")
    eligible = [h for h in reviews if h.age >= 4]
    for h in reviews:
        if h.age < 4:
            h.review.participation = "PN0"
    quarters = by_quarter(eligible, lambda h: h.review.day)
    sizes = {k: len(v) for k, v in quarters.items()}

    def year_value(year: Period) -> int | None:
        n = sum(sizes.get(q.label, 0) for q in (financial_quarter(year.fy, i) for i in (1, 2, 3, 4)))
        if year.label in targets.PARTICIPATED_COUNT_YEAR:
            return n - targets.PARTICIPATED_COUNT_YEAR[year.label]
        if year.label in targets.PARTICIPATION_PCT_YEAR:
            return n - round(targets.PARTICIPATION_PCT_YEAR[year.label] / 100 * n)
        return None

    def quarter_value(q: Period) -> int | None:
        pct = targets.PARTICIPATION_PCT_QUARTER.get(q.label)
        n = sizes.get(q.label, 0)
        return None if pct is None else n - round(pct / 100 * n)

    not_conveyed = quarter_values(year_value, quarter_value, sizes, lambda q: 0.035, as_count=True)
    pn7: set[int] = set()
    for label, items in sorted(quarters.items()):
        weights = [
            (1.6 if h.age >= 16 else 1.0 if h.age >= 10 else 0.5) * (1.3 if h.child.is_uasc else 1.0) for h in items
        ]
        pn7.update(id(h.review) for h in weighted_sample(rng, items, weights, not_conveyed.get(label, 0)))
    for h in eligible:
        if id(h.review) in pn7 or (h.review.day < FIRST_DAY and rng.random() < 0.04):
            h.review.participation = "PN7"
        else:
            band = (
                "disabled"
                if h.child.kind == "disabled"
                else "young"
                if h.age < 8
                else "middle"
                if h.age < 13
                else "teen"
            )
            options, weights = PN_BY_AGE[band]
            h.review.participation = rng.choices(options, weights=weights, k=1)[0]


def assign_child_chaired(seed: int, reviews: list[HeldReview]) -> None:
    """Children aged 11+ who speak at their review chair all or part of it, to the published counts."""
    rng = random.Random(f"{seed}:child-chaired")
    quarters = by_quarter(reviews, lambda h: h.review.day)
    for label, (full, part) in sorted(targets.CHILD_CHAIRED_QUARTER.items()):
        pool = [h for h in quarters.get(label, []) if h.age >= 11 and h.review.participation in ("PN1", "PN2")]
        weights = [2.0 if h.age >= 14 else 1.0 for h in pool]
        chosen = weighted_sample(rng, pool, weights, full + part)
        for i, h in enumerate(chosen):
            h.review.child_chaired = "full" if i < full else "part"


def assign_minutes(seed: int, reviews: list[HeldReview]) -> None:
    """Minutes issued a few working days after the review; slower in the 2015-16 surge."""
    rng = random.Random(f"{seed}:minutes")
    for h in reviews:
        day = h.review.day
        slow = date(2015, 7, 1) <= day < date(2016, 7, 1)
        roll = rng.random()
        if roll < (0.72 if not slow else 0.55):
            lag = rng.randint(3, 12)
        elif roll < (0.9 if not slow else 0.78):
            lag = rng.randint(13, 15)
        else:
            lag = rng.randint(16, 35)
        issued = add_working_days(day, lag)
        h.review.minutes = issued if issued <= LAST_DAY else None


def assign_review_ids(reviews: list[HeldReview]) -> None:
    """Review ids in date order."""
    for i, h in enumerate(reviews, start=1):
        h.review.review_id = f"R{i:06d}"


# --- QA audits -------------------------------------------------------------------------------------------


@dataclass
class Audit:
    """One QA audit of a review."""

    audit_id: str
    held: HeldReview
    day: date

    @property
    def area(self) -> str:
        return self.held.review.area


@dataclass
class Grade:
    """One graded item of an audit."""

    audit: Audit
    item: str
    grade: str


ITEM_COVERAGE = {
    "care_plan": 0.987,
    "sw_report": 0.969,
    "pledge": 0.995,
    "plan_implementation": 0.975,
    "contingency": 0.86,
}
CORE_COVERAGE = 0.93
AREA_QA_EFFECT = {
    "East Kent": 1.5,
    "North Kent": -2.0,
    "South Kent": 0.5,
    "West Kent": -0.5,
    "UASC Service": -3.0,
    "16+ Service": -1.5,
    "Disabled Children's Service": 2.5,
}


def choose_audits(seed: int, reviews: list[HeldReview]) -> list[Audit]:
    """Which reviews are audited, hitting published audit counts per quarter and year."""
    rng = random.Random(f"{seed}:audits")
    candidates = []
    for h in reviews:
        if h.review.day < FIRST_DAY:
            continue
        day = h.review.day + timedelta(days=rng.randint(0, 12))
        while not is_working_day(day):
            day += timedelta(days=1)
        if day <= LAST_DAY:
            candidates.append((day, h))
    quarters = by_quarter(candidates, lambda c: c[0])
    reviews_q = by_quarter(reviews, lambda h: h.review.day)
    sizes = {k: len(v) for k, v in reviews_q.items()}
    available = {k: len(v) for k, v in quarters.items()}

    def year_value(year: Period) -> float | None:
        if year.label in targets.QA_AUDITS_YEAR:
            return targets.QA_AUDITS_YEAR[year.label]
        rate = targets.QA_AUDIT_RATE_YEAR.get(year.label)
        if rate is None:
            return None
        return round(rate * sum(sizes.get(q.label, 0) for q in (financial_quarter(year.fy, i) for i in (1, 2, 3, 4))))

    counts = quarter_values(
        year_value, lambda q: targets.QA_AUDITS_QUARTER.get(q.label), available, lambda q: 0.9, as_count=True
    )
    chosen: list[tuple[date, HeldReview]] = []
    for label, items in sorted(quarters.items()):
        want = counts.get(label, 0)
        if want > len(items):
            raise CalibrationError(f"{label}: {want} audits wanted, {len(items)} reviews to audit")
        chosen.extend(rng.sample(items, want))
    chosen.sort(key=lambda c: (c[0], c[1].review.day, c[1].child.number))
    return [Audit(f"A{i:06d}", h, day) for i, (day, h) in enumerate(chosen, start=1)]


def _closest_fraction(pct: float, n_max: int, n_min: int) -> tuple[int, int]:
    """(k, n) with n in [n_min, n_max] whose k/n is nearest ``pct`` (largest n on ties)."""
    best = None
    for n in range(n_max, max(n_min, 1) - 1, -1):
        k = round(pct / 100 * n)
        err = abs(100 * k / n - pct)
        if best is None or err < best[0] - 1e-12:
            best = (err, k, n)
        if err < 0.02:
            break
    return best[1], best[2]


def _solve_cell(
    rng: random.Random,
    pct: float | None,
    n_total: int | None,
    k_total: int | None,
    lo: float | None,
    hi: float | None,
    area_audits: dict[str, int],
    coverage: float,
) -> dict[str, tuple[int, int]]:
    """Per area (k adequate, n graded) hitting an overall share (or exact counts) and a range across areas."""
    areas = sorted(a for a, m in area_audits.items() if m > 0)
    avail_total = sum(area_audits[a] for a in areas)
    exact_n, exact_k = n_total is not None, k_total is not None
    if n_total is None:
        n_total = round(coverage * avail_total)
    if n_total > avail_total:
        raise CalibrationError(f"{n_total} grades wanted from {avail_total} audits")
    n = split_total(n_total, areas, [area_audits[a] for a in areas])
    if k_total is None:
        k_total = round(pct / 100 * n_total)
    target_pct = 100 * k_total / n_total if n_total else 0.0
    fixed: dict[str, tuple[int, int]] = {}
    if lo is not None and hi is not None:
        ranked = sorted((a for a in areas if n[a] >= 25), key=lambda a: (AREA_QA_EFFECT.get(a, 0), a))
        low_area, high_area = ranked[0], ranked[-1]
        fixed[low_area] = _closest_fraction(lo, n[low_area], int(n[low_area] * 0.6))
        fixed[high_area] = _closest_fraction(hi, n[high_area], int(n[high_area] * 0.6))
        slack = n[low_area] - fixed[low_area][1] + n[high_area] - fixed[high_area][1]
        n[low_area], n[high_area] = fixed[low_area][1], fixed[high_area][1]
        if exact_n:  # graded counts given exactly: hand the extreme areas' slack to the others
            others = [a for a in areas if a not in fixed]
            for a, extra in split_total(slack, others, [area_audits[a] - n[a] + 1 for a in others]).items():
                n[a] = min(area_audits[a], n[a] + extra)
        elif not exact_k:
            k_total = round(pct / 100 * sum(n[a] for a in areas))
    middle = [a for a in areas if a not in fixed]
    k_left = k_total - sum(k for k, _ in fixed.values())
    n_mid = sum(n[a] for a in middle)
    bound_lo = (lo + 0.15) if lo is not None else 0.0
    bound_hi = (hi - 0.15) if hi is not None else 100.0
    result = dict(fixed)
    if not middle:
        return result
    mid_pct = 100 * k_left / n_mid if n_mid else target_pct
    ks = {}
    for a in middle:
        p = mid_pct + AREA_QA_EFFECT.get(a, 0) * (0.4 if lo is not None else 1.0) + rng.uniform(-0.8, 0.8)
        p = min(max(p, bound_lo), bound_hi)
        ks[a] = min(n[a], max(0, round(p / 100 * n[a])))

    def ok(a: str, k: int) -> bool:
        if not 0 <= k <= n[a]:
            return False
        share = 100 * k / n[a] if n[a] else 0
        return bound_lo <= share <= bound_hi or (lo is None and hi is None)

    diff = k_left - sum(ks.values())
    guard = 0
    while diff != 0:
        guard += 1
        if guard > 100000:
            break
        step = 1 if diff > 0 else -1
        options = [a for a in middle if ok(a, ks[a] + step)]
        if not options:
            break
        a = rng.choice(options)
        ks[a] += step
        diff -= step
    if diff != 0:  # the range cannot absorb the total: let the overall share move instead
        options = [a for a in middle if 0 <= ks[a] + (1 if diff > 0 else -1) <= n[a]]
        while diff != 0 and options:
            a = options[0]
            step = 1 if diff > 0 else -1
            if 0 <= ks[a] + step <= n[a]:
                ks[a] += step
                diff -= step
            else:
                options.pop(0)
    for a in middle:
        result[a] = (ks[a], n[a])
    return result


def _item_cells(item: str, audits_by_q: dict[str, list[Audit]]) -> list[tuple[list[str], dict]]:
    """The calibration cells of one item: (quarters covered, target) with targets for every quarter."""
    table = targets.QA_TARGETS.get(item, {})
    start = targets.QA_ITEM_FROM[item]
    coverage = ITEM_COVERAGE.get(item, CORE_COVERAGE)
    cells: list[tuple[list[str], dict]] = []
    for year in WINDOW_YEARS:
        quarters = [financial_quarter(year.fy, q) for q in (1, 2, 3, 4)]
        available = {q.label: sum(a.day >= start for a in audits_by_q.get(q.label, [])) for q in quarters}
        year_cell = table.get(year.label)
        if year_cell is not None and year_cell.lo is not None:
            cells.append(
                (
                    [q.label for q in quarters],
                    {"pct": year_cell.pct, "lo": year_cell.lo, "hi": year_cell.hi, "coverage": coverage},
                )
            )
            continue
        n_q: dict[str, int] = {}
        for q in quarters:
            cell = table.get(q.label)
            n_q[q.label] = cell.n if cell is not None and cell.n is not None else round(coverage * available[q.label])
        if year_cell is not None and year_cell.n is not None:
            fixed = [q.label for q in quarters if table.get(q.label) is not None and table[q.label].n is not None]
            free = [q.label for q in quarters if q.label not in fixed]
            rest = year_cell.n - sum(n_q[q] for q in fixed)
            n_q.update(split_total(rest, free, [available[q] for q in free]))
        k_q: dict[str, int | None] = {}
        for q in quarters:
            cell = table.get(q.label)
            if cell is not None and cell.k is not None:
                k_q[q.label] = cell.k
            elif cell is not None and cell.pct is not None:
                k_q[q.label] = round(cell.pct / 100 * n_q[q.label])
            else:
                k_q[q.label] = None
        if year_cell is not None and (year_cell.k is not None or year_cell.pct is not None):
            total_n = sum(n_q.values())
            total_k = year_cell.k if year_cell.k is not None else round(year_cell.pct / 100 * total_n)
            free = [q for q in k_q if k_q[q] is None]
            rest = total_k - sum(v for v in k_q.values() if v is not None)
            k_q.update(split_total(rest, free, [n_q[q] for q in free]))
        default = targets.QA_DEFAULT_PCT[item] * (targets.QA_DEFAULT_PCT_2012_13 if year.fy == 2012 else 1.0)
        for q in quarters:
            if n_q[q.label] <= 0:
                continue
            cell = table.get(q.label)
            target = {
                "n": n_q[q.label],
                "k": k_q[q.label],
                "coverage": coverage,
                "lo": cell.lo if cell is not None else None,
                "hi": cell.hi if cell is not None else None,
                "pct": default + (q.quarter - 2.5) * 0.4,
            }
            cells.append(([q.label], target))
    return cells


def grade_audits(seed: int, audits: list[Audit]) -> list[Grade]:
    """Grade each item of the chosen audits so every calibrated share and range comes out as published."""
    rng = random.Random(f"{seed}:grades")
    audits_by_q = by_quarter(audits, lambda a: a.day)
    grades: list[Grade] = []
    for item in codes.QA_ITEMS:
        start = targets.QA_ITEM_FROM[item]
        good_share = 0.70 if item == "care_plan" else 0.76
        adequate_marks: list[tuple[Audit, bool]] = []
        for labels, target in _item_cells(item, audits_by_q):
            pool = [a for label in labels for a in audits_by_q.get(label, []) if a.day >= start]
            by_area: dict[str, list[Audit]] = defaultdict(list)
            for a in pool:
                by_area[a.area].append(a)
            plan = _solve_cell(
                rng,
                target.get("pct"),
                target.get("n"),
                target.get("k"),
                target.get("lo"),
                target.get("hi"),
                {a: len(v) for a, v in by_area.items()},
                target["coverage"],
            )
            for area, (k, n) in sorted(plan.items()):
                graded = rng.sample(by_area[area], n)
                adequate = set(map(id, rng.sample(graded, k)))
                adequate_marks.extend((a, id(a) in adequate) for a in graded)
        adequate_marks.sort(key=lambda m: m[0].audit_id)
        # Split adequate grades into outstanding / good / requires improvement.
        good_target = targets.QA_TARGETS.get(item, {}).get("2015-16")
        exact_good = None
        if good_target is not None and good_target.good is not None:
            in_year = [
                m
                for m in adequate_marks
                if m[1] and parse_period("2015-16").start <= m[0].day <= parse_period("2015-16").end
            ]
            exact_good = set(map(id, rng.sample([m[0] for m in in_year], good_target.good)))
            in_year_ids = {id(m[0]) for m in in_year}
        for audit, adequate in adequate_marks:
            if not adequate:
                grade = "inadequate"
            elif exact_good is not None and id(audit) in in_year_ids:
                grade = (
                    ("outstanding" if rng.random() < 0.1 else "good")
                    if id(audit) in exact_good
                    else "requires_improvement"
                )
            elif rng.random() < good_share:
                grade = "outstanding" if rng.random() < 0.12 else "good"
            else:
                grade = "requires_improvement"
            grades.append(Grade(audit, item, grade))
    item_order = {item: i for i, item in enumerate(codes.QA_ITEMS)}
    grades.sort(key=lambda g: (g.audit.audit_id, item_order[g.item]))
    return grades


# --- Disputes ---------------------------------------------------------------------------------------------


@dataclass
class Dispute:
    """One IRO challenge, raised after a review."""

    held: HeldReview
    raised: date
    route: str
    category: str
    level: int | None
    resolved: date | None
    dispute_id: str = ""


CATEGORY_WEIGHTS = {cat: sum(levels) + 0.5 for cat, levels in targets.DISPUTE_TABLE_2015_16.items()}
LEVEL_WEIGHTS = {1: 0.80, 2: 0.14, 3: 0.05, 4: 0.007, 5: 0.003}


def _dispute_counts(reviews_q: dict[str, list[HeldReview]]) -> dict[str, tuple[int, int]]:
    sizes = {k: len(v) for k, v in reviews_q.items()}
    out: dict[str, tuple[int, int]] = {}
    for label, per100 in targets.DISPUTES_PER_100_QUARTER.items():
        n = sizes.get(label, 0)
        out[label] = (round(per100[0] * n / 100), round(per100[1] * n / 100))
    out.update(targets.DISPUTES_COUNT_QUARTER)
    for year_label, pct in targets.DISPUTES_TOTAL_PCT_YEAR.items():
        year = parse_period(year_label)
        quarters = [financial_quarter(year.fy, q).label for q in (1, 2, 3, 4)]
        n_year = sum(sizes.get(q, 0) for q in quarters)
        free = [q for q in quarters if q not in out]
        rest = round(pct * n_year / 100) - sum(sum(out[q]) for q in quarters if q in out)
        totals = split_total(rest, free, [sizes.get(q, 0) * (1.2 - 0.1 * i) for i, q in enumerate(free)])
        for i, q in enumerate(free):
            formal = round(totals[q] * (0.24 - 0.03 * i))
            out[q] = (formal, totals[q] - formal)
    year = parse_period("2015-16")
    quarters = [financial_quarter(year.fy, q).label for q in (1, 2, 3, 4)]
    formal_total = sum(sum(levels) for levels in targets.DISPUTE_TABLE_2015_16.values())
    formal = split_total(
        formal_total, quarters, [sizes.get(q, 0) * w for q, w in zip(quarters, (0.8, 1.0, 1.1, 1.1), strict=True)]
    )
    for q in quarters:
        out[q] = (formal[q], round(targets.INFORMAL_PER_100_YEAR["2015-16"] * sizes.get(q, 0) / 100))
    return out


def make_disputes(seed: int, reviews: list[HeldReview]) -> list[Dispute]:
    """Formal and informal disputes per quarter, with the published counts, levels and 2015-16 table."""
    rng = random.Random(f"{seed}:disputes")
    reviews_q = by_quarter([h for h in reviews if h.review.day >= FIRST_DAY], lambda h: h.review.day)
    counts = _dispute_counts(reviews_q)
    categories = list(CATEGORY_WEIGHTS)
    disputes: list[Dispute] = []
    for label in sorted(counts):
        formal_n, informal_n = counts[label]
        period = parse_period(label)
        pool = reviews_q.get(label, [])
        # formal: (category, level) pairs
        if label.startswith("2015-16"):
            pairs = []
        else:
            levels_fixed = targets.DISPUTE_LEVELS_QUARTER.get(label)
            if levels_fixed:
                levels = [lvl for lvl, k in sorted(levels_fixed.items()) for _ in range(k)]
            else:
                levels = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()), k=formal_n)
            cats = rng.choices(categories, weights=[CATEGORY_WEIGHTS[c] for c in categories], k=formal_n)
            pairs = list(zip(cats, levels, strict=True))
        informal_cats = rng.choices(categories, weights=[CATEGORY_WEIGHTS[c] for c in categories], k=informal_n)
        care_plan_total = targets.CARE_PLAN_DISPUTES_QUARTER.get(label)
        if care_plan_total is not None:
            formal_cp = round(care_plan_total * formal_n / (formal_n + informal_n))
            others = [c for c in categories if c != "care_plan"]
            cats_f = ["care_plan"] * formal_cp + rng.choices(others, k=formal_n - formal_cp)
            cats_i = ["care_plan"] * (care_plan_total - formal_cp) + rng.choices(
                others, k=informal_n - (care_plan_total - formal_cp)
            )
            rng.shuffle(cats_f)
            pairs = [(c, lvl) for c, (_, lvl) in zip(cats_f, pairs, strict=True)]
            informal_cats = cats_i
        entries = [("formal", c, lvl) for c, lvl in pairs] + [("informal", c, None) for c in informal_cats]
        for route, category, level in entries:
            held = rng.choice(pool)
            disputes.append(_dispute(rng, held, period, route, category, level))
    # 2015-16: the published table, spread over the quarters in proportion to the quarter counts.
    year = parse_period("2015-16")
    quarters = [financial_quarter(year.fy, q) for q in (1, 2, 3, 4)]
    slots = [q for q in quarters for _ in range(counts[q.label][0])]
    rng.shuffle(slots)
    table = [
        (cat, lvl)
        for cat, levels in targets.DISPUTE_TABLE_2015_16.items()
        for lvl, k in enumerate(levels, start=1)
        for _ in range(k)
    ]
    for (category, level), quarter in zip(table, slots, strict=True):
        pool = reviews_q[quarter.label]
        if category == "pre_meeting_report_missing":
            uasc_pool = [h for h in pool if h.child.is_uasc]
            held = rng.choice(uasc_pool if uasc_pool and rng.random() < 0.6 else pool)
        else:
            held = rng.choice(pool)
        disputes.append(_dispute(rng, held, quarter, "formal", category, level))
    disputes.sort(key=lambda d: (d.raised, d.held.review.review_id, d.route, d.category, d.level or 0))
    for i, d in enumerate(disputes, start=1):
        d.dispute_id = f"D{i:06d}"
    return disputes


def _dispute(
    rng: random.Random, held: HeldReview, period: Period, route: str, category: str, level: int | None
) -> Dispute:
    raised = held.review.day + timedelta(days=rng.randint(0, 6))
    end = held.child.poc_end
    limit = min(period.end, end - timedelta(days=1)) if end is not None else period.end
    raised = min(raised, limit)
    raised = max(raised, held.review.day)
    if route == "formal":
        spans = {1: (5, 20), 2: (15, 35), 3: (25, 50), 4: (40, 70), 5: (50, 90)}[level or 1]
        resolved = add_working_days(raised, rng.randint(*spans))
    else:
        resolved = add_working_days(raised, rng.randint(2, 15))
    return Dispute(held, raised, route, category, level, resolved if resolved <= LAST_DAY else None)


# --- Notifications of entry -----------------------------------------------------------------------------


def assign_notifications(seed: int, children: list[Child]) -> None:
    """When the IRO service heard of each entry: the published share late (2+ working days)."""
    rng = random.Random(f"{seed}:notifications")
    entries = sorted(
        ((c.episodes[0], c) for c in children if c.kind != "short_break"), key=lambda ec: (ec[0].start, ec[1].number)
    )
    quarters = by_quarter(entries, lambda ec: ec[0].start)
    sizes = {k: len(v) for k, v in quarters.items()}

    def year_value(year: Period) -> int | None:
        return targets.LATE_NOTIFICATION_COUNT_YEAR.get(year.label)

    def quarter_value(q: Period) -> int | None:
        if q.label in targets.LATE_NOTIFICATION_COUNT_QUARTER:
            return targets.LATE_NOTIFICATION_COUNT_QUARTER[q.label]
        pct = targets.LATE_NOTIFICATION_PCT_QUARTER.get(q.label)
        return None if pct is None else round(pct / 100 * sizes.get(q.label, 0))

    late_counts = quarter_values(year_value, quarter_value, sizes, lambda q: 0.15, as_count=True)
    late: set[int] = set()
    for label, items in sorted(quarters.items()):
        late.update(id(ep) for ep, _ in rng.sample(items, late_counts.get(label, 0)))
    for episode, _child in entries:
        is_late = id(episode) in late if episode.start >= FIRST_DAY else rng.random() < 0.18
        if is_late:
            episode.notified = add_working_days(episode.start, rng.randint(2, 12))
        else:
            episode.notified = episode.start if rng.random() < 0.6 else add_working_days(episode.start, 1)


# --- IRO contacts -------------------------------------------------------------------------------------------


def make_contacts(seed: int, children: list[Child]) -> list[tuple[Child, date, str]]:
    """IRO contacts between reviews with children in care at each quarter end, per area."""
    rng = random.Random(f"{seed}:contacts")
    contacts: list[tuple[Child, date, str]] = []
    pool = sorted((c for c in children if c.kind != "short_break"), key=lambda c: c.number)
    for quarter in WINDOW_QUARTERS:
        day = quarter.end
        by_area: dict[str, list[Child]] = defaultdict(list)
        for child in pool:
            if child.in_care_on(day):
                by_area[child.episode_on(day).area].append(child)
        for area, present in sorted(by_area.items()):
            pct = targets.IRO_CONTACT_PCT.get((quarter.label, area))
            if pct is None:
                pct = targets.iro_contact_default(quarter.start, area) + rng.uniform(-2, 2)
            k = round(pct / 100 * len(present))
            for child in rng.sample(present, k):
                episode = child.episode_on(day)
                first = max(quarter.start, episode.start)
                span = (day - first).days + 1
                for _ in range(1 + (rng.random() < 0.3)):
                    contacts.append((child, first + timedelta(days=rng.randrange(span)), area))
    contacts.sort(key=lambda c: (c[1], c[0].number))
    return contacts


# --- Staffing ---------------------------------------------------------------------------------------------


def staffing_rows() -> list[tuple[date, str, float, float, float]]:
    """(month_end, team, establishment, in post, agency) for every month end."""
    rows = []
    month = date(2012, 4, 1)
    while month <= LAST_DAY:
        nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        month_end = nxt - timedelta(days=1)
        for team, (establishment, in_post, agency) in sorted(targets.staffing_at(month_end).items()):
            if establishment > 0 or in_post > 0:
                rows.append((month_end, team, establishment, in_post, agency))
        month = nxt
    return rows


# --- Surveys ------------------------------------------------------------------------------------------------


@dataclass
class Response:
    """One questionnaire and its answers."""

    survey: str
    day: date
    area: str
    uasc: bool
    answers: dict[str, str]
    response_id: str = ""


def _answer_plan(
    survey: str, question: str, label: str, fy_label: str, n: int, rng: random.Random | None = None
) -> list[str]:
    """The answers to one question in one quarter: the published shares exactly where a report
    gives them; elsewhere, with ``rng``, each answer drawn at the default shares, so that small
    surveys vary from quarter to quarter as real ones do."""
    table = targets.SURVEY_YES.get((survey, question), {})
    yes_no = table.get(label) or table.get(fy_label)
    if yes_no is None and label[:7] + "-Q2-Q4" in table and label[-2:] in ("Q2", "Q3", "Q4"):
        yes_no = table[label[:7] + "-Q2-Q4"]
    if yes_no is None:
        yes_no = targets.SURVEY_YES_DEFAULT[(survey, question)]
        if rng is not None:
            draws = [rng.random() * 100 for _ in range(n)]
            return ["yes" if d < yes_no[0] else "no" if d < yes_no[0] + yes_no[1] else "not_sure" for d in draws]
    yes = round(yes_no[0] / 100 * n)
    no = min(n - yes, round(yes_no[1] / 100 * n))
    return ["yes"] * yes + ["no"] * no + ["not_sure"] * (n - yes - no)


def _varying(seed: int, survey: str, low: int, high: int) -> Callable[[Period], float]:
    """A quarter's response count where no report gives one: drawn between ``low`` and ``high``
    (before April 2015) or about a third of that after, as small surveys' returns vary."""

    def count(quarter: Period) -> float:
        draw = random.Random(f"{seed}:survey-volume:{survey}:{quarter.label}")
        return draw.randint(low, high) if quarter.fy < 2015 else draw.randint(low // 3, max(1, high // 3))

    return count


def make_surveys(seed: int, reviews: list[HeldReview], children: list[Child]) -> list[Response]:
    """Consultation, leaving-care, carer and parent questionnaires with the published answers."""
    rng = random.Random(f"{seed}:surveys")
    window = [h for h in reviews if h.review.day >= FIRST_DAY]
    reviews_q = by_quarter(window, lambda h: h.review.day)
    iro_sizes = {k: sum(h.review.chaired_by == "iro" for h in v) for k, v in reviews_q.items()}
    consult = quarter_values(
        lambda y: targets.CONSULTATION_RESPONSES_YEAR.get(y.label),
        lambda q: targets.CONSULTATION_RESPONSES_QUARTER.get(q.label),
        iro_sizes,
        lambda q: 0.0,
        as_count=True,
    )
    for label, n in iro_sizes.items():
        if label not in consult or (consult[label] == 0 and not label.startswith("2015-16")):
            consult[label] = round(targets.CONSULTATION_RATE_DEFAULT * n)
    ones = {q.label: 1 for q in WINDOW_QUARTERS}
    leaving = quarter_values(
        lambda y: targets.LEAVING_CARE_RESPONSES_YEAR.get(y.label),
        lambda q: targets.LEAVING_CARE_RESPONSES_QUARTER.get(q.label),
        ones,
        lambda q: random.Random(f"{seed}:survey-volume:leaving_care:{q.label}").randint(4, 12),
        as_count=True,
    )
    carers = quarter_values(
        lambda y: targets.CARER_RESPONSES_YEAR.get(y.label),
        lambda q: None,
        ones,
        _varying(seed, "carer", 2, 11),
        as_count=True,
    )
    parents = quarter_values(
        lambda y: targets.PARENT_RESPONSES_YEAR.get(y.label),
        lambda q: None,
        ones,
        _varying(seed, "parent", 0, 6),
        as_count=True,
    )
    leavers = sorted(
        (
            c
            for c in children
            if c.kind != "short_break"
            and c.exit_day is not None
            and FIRST_DAY <= c.exit_day <= LAST_DAY
            and c.age_on(c.exit_day) >= 8
        ),
        key=lambda c: (c.exit_day, c.number),
    )
    leavers_q = by_quarter(leavers, lambda c: c.exit_day)
    responses: list[Response] = []
    for quarter in WINDOW_QUARTERS:
        label, fy_label = quarter.label, quarter.fy_label
        pool = [h for h in reviews_q.get(label, []) if h.age >= 8 and h.review.chaired_by == "iro"]
        plans = {
            q: _answer_plan("consultation", q, label, fy_label, consult.get(label, 0))
            for q in targets.CONSULTATION_QUESTIONS
        }
        for plan in plans.values():
            rng.shuffle(plan)
        for i, held in enumerate(rng.sample(pool, consult.get(label, 0))):
            day = max(quarter.start, held.review.day - timedelta(days=rng.randint(0, 10)))
            responses.append(
                Response("consultation", day, held.review.area, held.child.is_uasc, {q: plans[q][i] for q in plans})
            )
        n_leave = leaving.get(label, 0)
        plans = {
            q: _answer_plan("leaving_care", q, label, fy_label, n_leave, rng) for q in targets.LEAVING_CARE_QUESTIONS
        }
        for plan in plans.values():
            rng.shuffle(plan)
        source = leavers_q.get(label, [])
        for i in range(n_leave):
            child = source[rng.randrange(len(source))]
            day = min(quarter.end, child.exit_day + timedelta(days=rng.randint(0, 20)))
            responses.append(
                Response("leaving_care", day, child.episodes[-1].area, child.is_uasc, {q: plans[q][i] for q in plans})
            )
        for survey, counts, questions in (
            ("carer", carers, targets.CARER_QUESTIONS),
            ("parent", parents, targets.PARENT_QUESTIONS),
        ):
            n = counts.get(label, 0)
            plans = {q: _answer_plan(survey, q, label, fy_label, n, rng) for q in questions}
            for plan in plans.values():
                rng.shuffle(plan)
            for i, held in enumerate(rng.sample(reviews_q.get(label, []), n)):
                day = min(quarter.end, held.review.day + timedelta(days=rng.randint(0, 14)))
                responses.append(
                    Response(survey, day, held.review.area, held.child.is_uasc, {q: plans[q][i] for q in plans})
                )
    responses.sort(key=lambda r: (r.day, r.survey, r.area))
    for i, r in enumerate(responses, start=1):
        r.response_id = f"Q{i:06d}"
    return responses


def staying_put(seed: int, children: list[Child]) -> None:
    """Exactly the published number of care leavers stay put (E17) in 2014-15 and 2015-16."""
    rng = random.Random(f"{seed}:staying-put")
    for label, target in sorted(targets.STAYING_PUT_YEAR.items()):
        year = parse_period(label)
        leavers = sorted(
            (
                c
                for c in children
                if c.exit_day is not None
                and year.start <= c.exit_day <= year.end
                and c.exit_day == c.birthday(18)
                and c.kind != "short_break"
            ),
            key=lambda c: c.number,
        )
        current = [c for c in leavers if c.exit_reason == "E17"]
        others = [c for c in leavers if c.exit_reason != "E17"]
        if len(current) > target:
            for c in rng.sample(current, len(current) - target):
                c.exit_reason = "E8"
                c.episodes[-1].reason_ceased = "E8"
        elif len(current) < target:
            for c in rng.sample([c for c in others if not c.is_uasc], target - len(current)):
                c.exit_reason = "E17"
                c.episodes[-1].reason_ceased = "E17"
