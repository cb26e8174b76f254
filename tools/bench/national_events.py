"""The benchmark generator's events around the periods of care: reviews, QA audits, disputes,
staffing, IRO contacts, surveys and social workers (numpy, no row loops).

Each step draws from the one ``rng`` in a fixed order; ``national.generate_frames`` calls them in
that order, so a seed gives the same dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from iro_metrics import codes
from tools.bench.arrays import choice, expand, grouped_cumsum, ids, to_date
from tools.bench.national_care import CareHistories, People

if TYPE_CHECKING:
    from tools.bench.national import Scale


@dataclass(frozen=True)
class HeldReviews:
    """The reviews table and, per review, the raw child index and the day (days since 1970)."""

    frame: pl.DataFrame
    child: np.ndarray
    day: np.ndarray


def reviews(rng: np.random.Generator, care: CareHistories, who: People, w1: int) -> HeldReviews:
    """Reviews on (roughly) the statutory schedule, some late, a few after the period of care ended."""
    poc_start, poc_last = care.poc_start, care.poc_last
    max_reviews = ((poc_last - poc_start) // 150 + 3).astype(np.int64)
    rv_poc, rv_pos = expand(max_reviews)
    n_rv = len(rv_poc)
    late = rng.random(n_rv) < 0.05
    gap = np.where(
        rv_pos == 0,
        28 - rng.integers(0, 8, n_rv),
        np.where(rv_pos == 1, 91 - rng.integers(0, 20, n_rv), 182 - rng.integers(0, 30, n_rv)),
    ) + np.where(late, rng.integers(3, 45, n_rv), 0)
    rv_date = poc_start[rv_poc] + grouped_cumsum(gap, max_reviews)
    inside = rv_date <= poc_last[rv_poc]
    rv_poc, rv_date = rv_poc[inside], rv_date[inside]
    # A few reviews recorded after the period of care ended (outside any period of care).
    closed = ~care.poc_open
    stray_poc = np.flatnonzero(closed & (rng.random(care.n_poc) < 0.01))
    stray_date = care.poc_end[stray_poc] + rng.integers(1, 60, len(stray_poc))
    ok = stray_date <= w1
    rv_poc = np.concatenate((rv_poc, stray_poc[ok]))
    rv_date = np.concatenate((rv_date, stray_date[ok]))
    order = np.lexsort((rv_date, rv_poc))
    rv_poc, rv_date = rv_poc[order], rv_date[order]
    n_rv = len(rv_poc)
    rv_child = care.poc_child[rv_poc]
    age_days = rv_date - who.dob[rv_child]
    under_4 = age_days < 4 * 365 + 1
    participation = np.where(
        under_4, "PN0", choice(rng, [f"PN{i}" for i in range(1, 8)], [45, 12, 5, 6, 12, 13, 7], n_rv)
    )
    chaired = np.where(age_days >= 10 * 365, choice(rng, ["none", "part", "full"], [85, 10, 5], n_rv), "none")
    minutes = rv_date + rng.geometric(0.08, n_rv)
    minutes_missing = rng.random(n_rv) < 0.02
    frame = pl.DataFrame(
        {
            "review_id": ids("R", n_rv, 9),
            "child_id": who.id_of(rv_child),
            "review_date": to_date(rv_date, "review_date"),
            "participation_code": pl.Series(participation, dtype=pl.String),
            "chaired_by": pl.Series(choice(rng, ["iro", "other"], [985, 15], n_rv), dtype=pl.String),
            "child_chaired": pl.Series(chaired, dtype=pl.String),
            "minutes_issued_date": to_date(minutes, "minutes_issued_date"),
            "area": who.area_of(rv_child),
            "uasc": pl.Series(who.uasc[rv_child]),
        }
    ).with_columns(
        pl.when(pl.Series(minutes_missing))
        .then(None)
        .otherwise(pl.col("minutes_issued_date"))
        .alias("minutes_issued_date")
    )
    return HeldReviews(frame, rv_child, rv_date)


def qa_grades(rng: np.random.Generator, held: HeldReviews, in_window: np.ndarray, who: People, w1: int) -> pl.DataFrame:
    """QA audits of 30% of the reviews: four headline items always, core components sometimes."""
    audited = in_window[rng.random(len(in_window)) < 0.3]
    items = list(codes.QA_ITEMS)
    item_prob = np.array([1.0] * 4 + [0.25] * (len(items) - 4))
    graded = rng.random((len(audited), len(items))) < item_prob
    qa_audit, qa_item = np.nonzero(graded)
    n_qa = len(qa_audit)
    audit_date = np.minimum(held.day[audited] + rng.integers(0, 15, len(audited)), w1)
    qa_rv = audited[qa_audit]
    grade = choice(rng, list(codes.QA_GRADE_ORDER), [10, 55, 25, 10], n_qa)
    worse = (qa_item == items.index("sw_report")) & (rng.random(n_qa) < 0.15)
    grade = np.where(worse, "inadequate", grade)
    return pl.DataFrame(
        {
            "audit_id": ids("A", len(audited), 9).gather(qa_audit),
            "review_id": held.frame["review_id"].gather(qa_rv),
            "audit_date": to_date(audit_date[qa_audit], "audit_date"),
            "item": pl.Series(np.asarray(items, dtype=object)[qa_item], dtype=pl.String),
            "grade": pl.Series(grade, dtype=pl.String),
            "area": who.area_of(held.child[qa_rv]),
            "uasc": pl.Series(who.uasc[held.child[qa_rv]]),
        }
    )


def disputes(rng: np.random.Generator, held: HeldReviews, in_window: np.ndarray, who: People, w1: int) -> pl.DataFrame:
    """Disputes raised after 5% of the reviews, about a third formal."""
    disputed = in_window[rng.random(len(in_window)) < 0.05]
    n_dr = len(disputed)
    formal = rng.random(n_dr) < 0.35
    level = np.where(formal, choice(rng, [1, 2, 3, 4, 5], [62, 24, 12, 1, 1], n_dr), 0).astype(np.int64)
    raised = np.minimum(held.day[disputed] + rng.integers(0, 21, n_dr), w1)
    resolved = raised + rng.integers(1, 60, n_dr)
    return pl.DataFrame(
        {
            "dispute_id": ids("D", n_dr),
            "child_id": who.id_of(held.child[disputed]),
            "raised_date": to_date(raised, "raised_date"),
            "route": pl.Series(np.where(formal, "formal", "informal"), dtype=pl.String),
            "category": pl.Series(
                choice(
                    rng,
                    list(codes.DISPUTE_CATEGORIES),
                    [3, 10, 8, 5, 4, 5, 5, 2, 3, 5, 6, 3, 4, 2, 2, 20, 8, 2, 3],
                    n_dr,
                ),
                dtype=pl.String,
            ),
            "highest_level": pl.Series(level, dtype=pl.Int64),
            "resolved_date": to_date(resolved, "resolved_date"),
            "area": who.area_of(held.child[disputed]),
            "uasc": pl.Series(who.uasc[held.child[disputed]]),
        }
    ).with_columns(
        pl.when(pl.col("route") == "informal").then(None).otherwise(pl.col("highest_level")).alias("highest_level"),
        pl.when(pl.Series(rng.random(n_dr) < 0.1)).then(None).otherwise(pl.col("resolved_date")).alias("resolved_date"),
    )


def iro_staffing(
    rng: np.random.Generator, scale: Scale, first_day: date, last_day: date, areas: list[str], area_weight: np.ndarray
) -> pl.DataFrame:
    """One IRO team per area, every month end, sized to about 80 children per FTE."""
    month_ends = pl.date_range(first_day, last_day, "1mo", eager=True).dt.month_end()
    n_months = len(month_ends)
    base = np.maximum(np.round(scale.children_in_care * area_weight / 80.0, 1), 1.0)
    est = np.repeat(base, n_months) + np.round(rng.normal(0, 0.2, len(areas) * n_months), 1).clip(-0.5, 0.5)
    in_post = np.round(est * (1 - rng.uniform(0, 0.15, len(est))), 1)
    return pl.DataFrame(
        {
            "month_end": pl.concat([month_ends] * len(areas)),
            "team": pl.Series([f"IRO team {a}" for a in areas]).gather(np.repeat(np.arange(len(areas)), n_months)),
            "fte_establishment": pl.Series(np.round(est, 1)),
            "fte_in_post": pl.Series(in_post),
            "fte_agency": pl.Series(np.round(in_post * rng.uniform(0, 0.2, len(est)), 1)),
        }
    )


def iro_contacts(rng: np.random.Generator, care: CareHistories, who: People, w0: int) -> pl.DataFrame:
    """IRO contacts between reviews, about every 80 days of care inside the window."""
    seen_from = np.maximum(care.poc_start, w0)
    seen_days = np.maximum(care.poc_last - seen_from, 0)
    max_contacts = (seen_days // 50 + 2).astype(np.int64)
    ct_poc, _ = expand(max_contacts)
    ct_date = seen_from[ct_poc] + grouped_cumsum(rng.exponential(80, len(ct_poc)).astype(np.int64) + 1, max_contacts)
    ok = ct_date <= care.poc_last[ct_poc]
    ct_poc, ct_date = ct_poc[ok], ct_date[ok]
    return pl.DataFrame(
        {
            "child_id": who.id_of(care.poc_child[ct_poc]),
            "contact_date": to_date(ct_date, "contact_date"),
            "area": who.area_of(care.poc_child[ct_poc]),
            "uasc": pl.Series(who.uasc[care.poc_child[ct_poc]]),
        }
    )


def survey_responses(rng: np.random.Generator, held: HeldReviews, in_window: np.ndarray, who: People) -> pl.DataFrame:
    """Survey answers after 4% of the reviews, each response a third of the questions."""
    surveyed = in_window[rng.random(len(in_window)) < 0.04]
    survey_kinds = list(codes.SURVEYS)
    questions = list(codes.SURVEY_QUESTIONS)
    survey_of = rng.choice(len(survey_kinds), len(surveyed), p=[0.6, 0.1, 0.1, 0.1, 0.1])
    asked = rng.random((len(surveyed), len(questions))) < 0.35
    sv_resp, sv_q = np.nonzero(asked)
    return pl.DataFrame(
        {
            "response_id": ids("Q", len(surveyed)).gather(sv_resp),
            "survey": pl.Series(np.asarray(survey_kinds, dtype=object)[survey_of[sv_resp]], dtype=pl.String),
            "response_date": to_date(held.day[surveyed][sv_resp], "response_date"),
            "question": pl.Series(np.asarray(questions, dtype=object)[sv_q], dtype=pl.String),
            "answer": pl.Series(choice(rng, ["yes", "no", "not_sure"], [70, 20, 10], len(sv_resp)), dtype=pl.String),
            "area": who.area_of(held.child[surveyed][sv_resp]),
            "uasc": pl.Series(who.uasc[held.child[surveyed][sv_resp]]),
        }
    )


def social_worker_episodes(rng: np.random.Generator, care: CareHistories, who: People) -> pl.DataFrame:
    """Social workers (the 903's SWEpisodes): a change about once a year of care."""
    poc_start, poc_last = care.poc_start, care.poc_last
    n_workers = 1 + rng.poisson(np.maximum(poc_last - poc_start, 0) / 365.25)
    sw_poc, sw_position = expand(n_workers)
    gaps = np.where(sw_position == 0, 0, rng.integers(30, 400, len(sw_poc)))
    sw_start = poc_start[sw_poc] + grouped_cumsum(gaps, n_workers)
    ok = sw_start <= poc_last[sw_poc]
    sw_poc, sw_start = sw_poc[ok], sw_start[ok]
    sw_next = np.concatenate((sw_start[1:], [0]))
    last_of_poc = np.concatenate((sw_poc[1:] != sw_poc[:-1], [True]))
    return (
        pl.DataFrame(
            {
                "child_id": who.id_of(care.poc_child[sw_poc]),
                "sw_id": ids("W", 4000).gather(rng.integers(0, 4000, len(sw_poc))),
                "start_date": to_date(sw_start, "start_date"),
                "end_date": to_date(np.where(last_of_poc, care.poc_end[sw_poc], sw_next), "end_date"),
                "reason": pl.Series([None] * len(sw_poc), dtype=pl.String),
                "_open": pl.Series(last_of_poc & care.poc_open[sw_poc]),
            }
        )
        .with_columns(end_date=pl.when("_open").then(None).otherwise("end_date"))
        .drop("_open")
    )
