"""Everything that happens around the reviews, chosen to hit the calibration targets exactly:
who chairs, participation codes, children chairing, minutes, notifications of entry, IRO contacts
and staffing; and the helpers the other event modules share (held reviews, quarter targets).
QA audits, disputes and surveys are in ``qa_audits.py``, ``disputes.py`` and ``surveys.py``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from iro_metrics.periods import Period, financial_quarter, financial_year, parse_period
from tools.synthetic import targets
from tools.synthetic.dates import FIRST_DAY, LAST_DAY, add_working_days, quarter_label
from tools.synthetic.lives import Child, Review
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
