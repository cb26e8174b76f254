"""QA audits of the held reviews and their grades, chosen to hit the published QA figures exactly."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from iro_metrics import codes
from iro_metrics.periods import Period, financial_quarter, parse_period
from tools.synthetic import targets
from tools.synthetic.dates import FIRST_DAY, LAST_DAY, is_working_day
from tools.synthetic.events import WINDOW_YEARS, HeldReview, by_quarter, quarter_values
from tools.synthetic.repair import CalibrationError
from tools.synthetic.review_repair import split_total

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
