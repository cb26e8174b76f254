"""Disputes (informal and formal, by category and level), chosen to hit the published figures exactly."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from iro_metrics.periods import Period, financial_quarter, parse_period
from tools.synthetic import targets
from tools.synthetic.dates import FIRST_DAY, LAST_DAY, add_working_days
from tools.synthetic.events import HeldReview, by_quarter
from tools.synthetic.review_repair import split_total

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
