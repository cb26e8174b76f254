"""A fast, seeded generator of large synthetic IRO datasets for the benchmark.

Everything is drawn with numpy arrays and assembled with Polars: no Python loop runs over
children, episodes or reviews. The model is deliberately simple but follows the data model
(spec/data-model.md) closely enough to exercise every indicator: periods of care made of
contiguous episodes opened by an ``S`` episode, re-entries after a gap, short-break (V3/V4)
children who must be left out, reviews roughly on the statutory schedule with some late,
reviews outside any period of care, QA audits, disputes, staffing, contacts and surveys.

A child keeps one area and one UASC flag for life here, so every table's ``area`` and ``uasc``
agree for that child.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from iro_metrics import codes
from iro_metrics.dataset import write_dataset

GENERATOR_VERSION = 8
_EPOCH = date(1970, 1, 1)
_STAMP = "bench-generator.toml"


@dataclass(frozen=True)
class Scale:
    """How big a generated dataset is."""

    name: str
    children_in_care: int  # the steady-state number of children in care at any time
    areas: int  # number of areas (Kent's seven names when 7 and kent-like)
    years: int  # financial years covered
    first_fy: int  # the financial year the data starts in
    seed: int = 20260401


SCALES: dict[str, Scale] = {
    "national": Scale("national", 80_000, 150, 6, 2019),
    "kent": Scale("kent", 1_900, 7, 6, 2019),
    "quick": Scale("quick", 120, 4, 2, 2022),
}


def cache_root() -> Path:
    """Where generated datasets are kept: $IRO_BENCH_CACHE, else ~/.cache/iro-explorer."""
    return Path(os.environ.get("IRO_BENCH_CACHE") or Path.home() / ".cache" / "iro-explorer")


def dataset_folder(scale: str) -> Path:
    """The cache folder of one scale's dataset."""
    return cache_root() / f"bench-{scale}"


def window(scale: Scale) -> tuple[date, date]:
    """The first and last day the dataset covers."""
    return date(scale.first_fy, 4, 1), date(scale.first_fy + scale.years, 3, 31)


def area_names(scale: Scale) -> list[str]:
    """Area names: Kent's own for the Kent scale, numbered areas otherwise."""
    if scale.name == "kent":
        return list(codes.KENT_AREAS)
    return [f"Area {i:03d}" for i in range(1, scale.areas + 1)]


def _days(d: date) -> int:
    return (d - _EPOCH).days


def _to_date(values: np.ndarray, name: str) -> pl.Series:
    """Integer days since 1970 (NaT-free int64 with -1 meaning null) -> a Polars Date series."""
    series = pl.Series(name, values.astype(np.int32))
    return series.cast(pl.Date)


def _ids(prefix: str, n: int, width: int = 8) -> pl.Series:
    return pl.select(
        (pl.lit(prefix) + pl.int_range(1, n + 1, dtype=pl.Int64).cast(pl.String).str.zfill(width)).alias("id")
    ).to_series()


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of sizes ``counts``: each item's group index and its position within the group."""
    counts = counts.astype(np.int64)
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(counts.sum()) - np.repeat(starts, counts)
    return group, position


def _grouped_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sums restarting at each group of sizes ``counts`` (items laid out group by group)."""
    total = np.concatenate(([0], np.cumsum(values)))
    starts = np.cumsum(counts) - counts
    return total[1:] - np.repeat(total[starts], counts)


def _choice(rng: np.random.Generator, options: list, weights: list[float], n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(options, dtype=object), size=n, p=p / p.sum())


def generate_frames(scale: Scale) -> dict[str, pl.DataFrame]:
    """Every table of a synthetic dataset of the given scale, as Polars frames."""
    rng = np.random.default_rng(scale.seed)
    first_day, last_day = window(scale)
    w0, w1 = _days(first_day), _days(last_day)
    areas = area_names(scale)
    area_weight = rng.lognormal(0.0, 0.5, len(areas))
    area_weight /= area_weight.sum()

    # --- children and their periods of care -------------------------------------------------
    # Durations: a mix of short stays and long ones, capped at the 18th birthday.
    def draw_duration(n: int) -> np.ndarray:
        short = rng.random(n) < 0.3
        return np.where(short, rng.exponential(70, n), rng.exponential(1300, n)).astype(np.int64) + 1

    ages = np.arange(18)
    age_weight = np.array([16, 4, 4, 3, 3, 3, 3, 3, 3, 3, 5, 6, 7, 8, 9, 9, 8, 5], dtype=float)
    age_weight /= age_weight.sum()
    pilot_age = rng.choice(ages, 50_000, p=age_weight) * 365 + rng.integers(0, 365, 50_000)
    pilot_duration = np.minimum(draw_duration(50_000), 6574 - pilot_age)
    mean_duration = float(np.maximum(pilot_duration, 1).mean())
    burn_in = 18 * 365
    per_day = scale.children_in_care / mean_duration / 1.06  # re-entries add a little more care
    n_children = rng.poisson(per_day * (w1 - w0 + burn_in))

    entry = rng.integers(w0 - burn_in, w1 + 1, n_children)
    age_at_entry = rng.choice(ages, n_children, p=age_weight) * 365 + rng.integers(0, 365, n_children)
    dob = entry - age_at_entry
    adult = dob + 6574
    is_uasc = (rng.random(n_children) < 0.06) & (age_at_entry >= 14 * 365)
    child_area = rng.choice(len(areas), n_children, p=area_weight)
    if scale.name == "kent":  # Kent's UASC children are looked after by its UASC Service
        child_area = np.where(is_uasc & (rng.random(n_children) < 0.8), areas.index("UASC Service"), child_area)

    end1 = np.minimum(entry + draw_duration(n_children), adult)
    reenter = rng.random(n_children) < 0.12
    start2 = end1 + 1 + rng.exponential(300, n_children).astype(np.int64)
    end2 = np.minimum(start2 + draw_duration(n_children), adult)
    reenter &= start2 < np.minimum(adult - 30, w1)

    poc_child = np.concatenate((np.arange(n_children), np.flatnonzero(reenter)))
    poc_start = np.concatenate((entry, start2[reenter]))
    poc_end = np.concatenate((end1, end2[reenter]))
    keep = (poc_end >= w0) & (poc_start <= w1)
    poc_child, poc_start, poc_end = poc_child[keep], poc_start[keep], poc_end[keep]
    poc_open = poc_end > w1  # still in care at the end of the data
    poc_last = np.where(poc_open, w1, poc_end)  # the last day the data can see
    n_poc = len(poc_child)

    # --- episodes: cut each period of care at distinct days ------------------------------------
    years_seen = (poc_last - poc_start) / 365.25
    n_cuts = np.minimum(rng.poisson(0.9 * years_seen), 12)
    cut_poc, _ = _expand(n_cuts)
    span = np.maximum(poc_last - poc_start, 1)
    cut_day = poc_start[cut_poc] + 1 + (rng.random(len(cut_poc)) * (span[cut_poc] - 1)).astype(np.int64)
    ok = cut_day < poc_last[cut_poc]
    cuts = np.unique(np.stack((cut_poc[ok], cut_day[ok]), axis=1), axis=0)
    cut_counts = np.bincount(cuts[:, 0], minlength=n_poc) if len(cuts) else np.zeros(n_poc, np.int64)
    ep_counts = cut_counts + 1
    ep_poc, ep_pos = _expand(ep_counts)
    # Episode starts: the period's start, then each cut day (cuts are sorted by period, then day).
    starts_flat = np.empty(len(ep_poc), dtype=np.int64)
    first = ep_pos == 0
    starts_flat[first] = poc_start
    starts_flat[~first] = cuts[:, 1]
    last = np.r_[ep_poc[1:] != ep_poc[:-1], True]
    ends_flat = np.empty_like(starts_flat)
    ends_flat[~last] = starts_flat[1:][~last[:-1]]
    ends_flat[last] = poc_end
    ep_open = last & poc_open[ep_poc]
    n_ep = len(ep_poc)
    ep_child = poc_child[ep_poc]

    rne = np.where(first, "S", _choice(rng, ["L", "P", "T", "B", "U"], [25, 45, 15, 10, 5], n_ep))
    legal = _choice(
        rng,
        ["C2", "C1", "V2", "E1", "D1", "L1", "L2", "J1", "J2", "J3"],
        [45, 20, 20, 8, 0.5, 2, 1, 2, 0.8, 0.7],
        n_ep,
    )
    final_reason = _choice(
        rng,
        [
            "E4A",
            "E4B",
            "E11",
            "E12",
            "E41",
            "E45",
            "E46",
            "E47",
            "E48",
            "E5",
            "E8",
            "E13",
            "E17",
            "E3",
            "E6",
            "E7",
        ],
        [30, 5, 6, 2, 1, 2, 2, 3, 8, 4, 15, 3, 9, 5, 2, 3],
        n_ep,
    )
    reason_ceased = np.where(last, np.where(ep_open, "", final_reason), "X1")  # "" = open
    notified_lag = np.where(rng.random(n_ep) < 0.8, rng.integers(0, 2, n_ep), rng.integers(2, 12, n_ep))
    notified = starts_flat + notified_lag
    notified_missing = ~first | (rng.random(n_ep) < 0.03)

    # Short breaks (V3/V4): separate children with many short episodes, each its own period.
    n_sb_children = max(2, scale.children_in_care // 40)
    sb_per_child = rng.integers(3, 15, n_sb_children)
    sb_child_of, _ = _expand(sb_per_child)
    sb_gap = rng.integers(20, 200, len(sb_child_of))
    sb_start = w0 - 60 + _grouped_cumsum(sb_gap, sb_per_child)
    sb_end = sb_start + rng.integers(1, 15, len(sb_start))
    ok = sb_start <= w1
    sb_child_of, sb_start, sb_end = sb_child_of[ok], sb_start[ok], sb_end[ok]
    sb_n = len(sb_child_of)
    sb_child_ids = n_children + np.arange(n_sb_children)
    sb_dob = w0 - rng.integers(5 * 365, 15 * 365, n_sb_children)
    sb_area = rng.choice(len(areas), n_sb_children, p=area_weight)

    ep_child_all = np.concatenate((ep_child, sb_child_ids[sb_child_of]))
    child_uasc_all = np.concatenate((is_uasc, np.zeros(n_sb_children, bool)))
    child_area_all = np.concatenate((child_area, sb_area))
    dob_all = np.concatenate((dob, sb_dob))

    used_children = np.unique(ep_child_all)
    child_key = np.full(len(dob_all), -1, dtype=np.int64)
    child_key[used_children] = np.arange(len(used_children))
    child_ids = _ids("C", len(used_children))

    def child_id_of(raw: np.ndarray) -> pl.Series:
        return child_ids.gather(child_key[raw])

    def area_of(raw: np.ndarray) -> pl.Series:
        return pl.Series("area", np.asarray(areas, dtype=object)[child_area_all[raw]], dtype=pl.String)

    ep_all_start = np.concatenate((starts_flat, sb_start))
    ep_all_end = np.concatenate((ends_flat, sb_end))
    ep_all_null_end = np.concatenate((ep_open, np.zeros(sb_n, bool)))
    episodes = pl.DataFrame(
        {
            "child_id": child_id_of(ep_child_all),
            "start_date": _to_date(ep_all_start, "start_date"),
            "end_date": _to_date(ep_all_end, "end_date"),
            "reason_new_episode": pl.Series(np.concatenate((rne, np.full(sb_n, "S", dtype=object))), dtype=pl.String),
            "legal_status": pl.Series(
                np.concatenate((legal, _choice(rng, ["V3", "V4"], [60, 40], sb_n))), dtype=pl.String
            ),
            "category_of_need": pl.Series(
                _choice(rng, list(codes.CATEGORY_OF_NEED), [60, 8, 4, 8, 15, 2, 1, 2], n_ep + sb_n),
                dtype=pl.String,
            ),
            "placement_type": pl.Series(
                _choice(
                    rng,
                    ["U4", "U6", "U1", "U3", "K2", "H5", "P1", "A5", "R1", "S1"],
                    [25, 30, 8, 10, 10, 5, 5, 3, 2, 2],
                    n_ep + sb_n,
                ),
                dtype=pl.String,
            ),
            "reason_ceased": pl.Series(
                np.concatenate((reason_ceased, _choice(rng, ["E4A", "E8"], [90, 10], sb_n))), dtype=pl.String
            ),
            "area": area_of(ep_child_all),
            "uasc": pl.Series(child_uasc_all[ep_child_all]),
            "iro_notified_date": _to_date(np.concatenate((notified, sb_start)), "iro_notified_date"),
        }
    )
    null_end = pl.Series(ep_all_null_end)
    null_notified = pl.Series(np.concatenate((notified_missing, np.ones(sb_n, bool))))
    episodes = episodes.with_columns(
        pl.when(null_end).then(None).otherwise(pl.col("end_date")).alias("end_date"),
        pl.when(pl.col("reason_ceased") == "").then(None).otherwise(pl.col("reason_ceased")).alias("reason_ceased"),
        pl.when(null_notified).then(None).otherwise(pl.col("iro_notified_date")).alias("iro_notified_date"),
    )

    # --- children ------------------------------------------------------------------------------
    adult_all = dob_all + 6574
    uasc_ceased = np.where(child_uasc_all & (adult_all <= w1), adult_all, 0)
    children = pl.DataFrame(
        {
            "child_id": child_ids,
            "sex": pl.Series(_choice(rng, ["1", "2"], [56, 44], len(used_children)), dtype=pl.String),
            "date_of_birth": _to_date(dob_all[used_children], "date_of_birth"),
            "ethnicity": pl.Series(
                _choice(
                    rng,
                    list(codes.ETHNICITY),
                    [70, 1, 5, 0.5, 0.5, 2, 1, 1, 2, 1, 1, 0.5, 2, 1, 4, 1, 0.3, 3, 0.5, 2],
                    len(used_children),
                ),
                dtype=pl.String,
            ),
            "uasc_ceased": _to_date(uasc_ceased[used_children], "uasc_ceased"),
            "is_uasc": pl.Series(child_uasc_all[used_children]),
        }
    ).with_columns(
        pl.when(pl.Series(uasc_ceased[used_children] == 0))
        .then(None)
        .otherwise(pl.col("uasc_ceased"))
        .alias("uasc_ceased")
    )

    # --- reviews on (roughly) the statutory schedule --------------------------------------------
    max_reviews = ((poc_last - poc_start) // 150 + 3).astype(np.int64)
    rv_poc, rv_pos = _expand(max_reviews)
    n_rv = len(rv_poc)
    late = rng.random(n_rv) < 0.05
    gap = np.where(
        rv_pos == 0,
        28 - rng.integers(0, 8, n_rv),
        np.where(rv_pos == 1, 91 - rng.integers(0, 20, n_rv), 182 - rng.integers(0, 30, n_rv)),
    ) + np.where(late, rng.integers(3, 45, n_rv), 0)
    rv_date = poc_start[rv_poc] + _grouped_cumsum(gap, max_reviews)
    inside = rv_date <= poc_last[rv_poc]
    rv_poc, rv_date = rv_poc[inside], rv_date[inside]
    # A few reviews recorded after the period of care ended (outside any period of care).
    closed = ~poc_open
    stray_poc = np.flatnonzero(closed & (rng.random(n_poc) < 0.01))
    stray_date = poc_end[stray_poc] + rng.integers(1, 60, len(stray_poc))
    ok = stray_date <= w1
    rv_poc = np.concatenate((rv_poc, stray_poc[ok]))
    rv_date = np.concatenate((rv_date, stray_date[ok]))
    order = np.lexsort((rv_date, rv_poc))
    rv_poc, rv_date = rv_poc[order], rv_date[order]
    n_rv = len(rv_poc)
    rv_child = poc_child[rv_poc]
    age_days = rv_date - dob_all[rv_child]
    under_4 = age_days < 4 * 365 + 1
    participation = np.where(
        under_4, "PN0", _choice(rng, [f"PN{i}" for i in range(1, 8)], [45, 12, 5, 6, 12, 13, 7], n_rv)
    )
    chaired = np.where(age_days >= 10 * 365, _choice(rng, ["none", "part", "full"], [85, 10, 5], n_rv), "none")
    minutes = rv_date + rng.geometric(0.08, n_rv)
    minutes_missing = rng.random(n_rv) < 0.02
    reviews = pl.DataFrame(
        {
            "review_id": _ids("R", n_rv, 9),
            "child_id": child_id_of(rv_child),
            "review_date": _to_date(rv_date, "review_date"),
            "participation_code": pl.Series(participation, dtype=pl.String),
            "chaired_by": pl.Series(_choice(rng, ["iro", "other"], [985, 15], n_rv), dtype=pl.String),
            "child_chaired": pl.Series(chaired, dtype=pl.String),
            "minutes_issued_date": _to_date(minutes, "minutes_issued_date"),
            "area": area_of(rv_child),
            "uasc": pl.Series(child_uasc_all[rv_child]),
        }
    ).with_columns(
        pl.when(pl.Series(minutes_missing))
        .then(None)
        .otherwise(pl.col("minutes_issued_date"))
        .alias("minutes_issued_date")
    )

    # Events below come from reviews inside the data window.
    in_window = np.flatnonzero(rv_date >= w0)

    # --- QA audits: four headline items always, core components sometimes ------------------------
    audited = in_window[rng.random(len(in_window)) < 0.3]
    items = list(codes.QA_ITEMS)
    item_prob = np.array([1.0] * 4 + [0.25] * (len(items) - 4))
    graded = rng.random((len(audited), len(items))) < item_prob
    qa_audit, qa_item = np.nonzero(graded)
    n_qa = len(qa_audit)
    audit_date = np.minimum(rv_date[audited] + rng.integers(0, 15, len(audited)), w1)
    qa_rv = audited[qa_audit]
    grade = _choice(rng, list(codes.QA_GRADE_ORDER), [10, 55, 25, 10], n_qa)
    worse = (qa_item == items.index("sw_report")) & (rng.random(n_qa) < 0.15)
    grade = np.where(worse, "inadequate", grade)
    qa_grades = pl.DataFrame(
        {
            "audit_id": _ids("A", len(audited), 9).gather(qa_audit),
            "review_id": reviews["review_id"].gather(qa_rv),
            "audit_date": _to_date(audit_date[qa_audit], "audit_date"),
            "item": pl.Series(np.asarray(items, dtype=object)[qa_item], dtype=pl.String),
            "grade": pl.Series(grade, dtype=pl.String),
            "area": area_of(rv_child[qa_rv]),
            "uasc": pl.Series(child_uasc_all[rv_child[qa_rv]]),
        }
    )

    # --- disputes ------------------------------------------------------------------------------
    disputed = in_window[rng.random(len(in_window)) < 0.05]
    n_dr = len(disputed)
    formal = rng.random(n_dr) < 0.35
    level = np.where(formal, _choice(rng, [1, 2, 3, 4, 5], [62, 24, 12, 1, 1], n_dr), 0).astype(np.int64)
    raised = np.minimum(rv_date[disputed] + rng.integers(0, 21, n_dr), w1)
    resolved = raised + rng.integers(1, 60, n_dr)
    disputes = pl.DataFrame(
        {
            "dispute_id": _ids("D", n_dr),
            "child_id": child_id_of(rv_child[disputed]),
            "raised_date": _to_date(raised, "raised_date"),
            "route": pl.Series(np.where(formal, "formal", "informal"), dtype=pl.String),
            "category": pl.Series(
                _choice(
                    rng,
                    list(codes.DISPUTE_CATEGORIES),
                    [3, 10, 8, 5, 4, 5, 5, 2, 3, 5, 6, 3, 4, 2, 2, 20, 8, 2, 3],
                    n_dr,
                ),
                dtype=pl.String,
            ),
            "highest_level": pl.Series(level, dtype=pl.Int64),
            "resolved_date": _to_date(resolved, "resolved_date"),
            "area": area_of(rv_child[disputed]),
            "uasc": pl.Series(child_uasc_all[rv_child[disputed]]),
        }
    ).with_columns(
        pl.when(pl.col("route") == "informal").then(None).otherwise(pl.col("highest_level")).alias("highest_level"),
        pl.when(pl.Series(rng.random(n_dr) < 0.1)).then(None).otherwise(pl.col("resolved_date")).alias("resolved_date"),
    )

    # --- staffing: one IRO team per area, every month end -----------------------------------------
    month_ends = pl.date_range(first_day, last_day, "1mo", eager=True).dt.month_end()
    n_months = len(month_ends)
    base = np.maximum(np.round(scale.children_in_care * area_weight / 80.0, 1), 1.0)
    est = np.repeat(base, n_months) + np.round(rng.normal(0, 0.2, len(areas) * n_months), 1).clip(-0.5, 0.5)
    in_post = np.round(est * (1 - rng.uniform(0, 0.15, len(est))), 1)
    iro_staffing = pl.DataFrame(
        {
            "month_end": pl.concat([month_ends] * len(areas)),
            "team": pl.Series([f"IRO team {a}" for a in areas]).gather(np.repeat(np.arange(len(areas)), n_months)),
            "fte_establishment": pl.Series(np.round(est, 1)),
            "fte_in_post": pl.Series(in_post),
            "fte_agency": pl.Series(np.round(in_post * rng.uniform(0, 0.2, len(est)), 1)),
        }
    )

    # --- IRO contacts between reviews --------------------------------------------------------------
    seen_from = np.maximum(poc_start, w0)
    seen_days = np.maximum(poc_last - seen_from, 0)
    max_contacts = (seen_days // 50 + 2).astype(np.int64)
    ct_poc, _ = _expand(max_contacts)
    ct_date = seen_from[ct_poc] + _grouped_cumsum(rng.exponential(80, len(ct_poc)).astype(np.int64) + 1, max_contacts)
    ok = ct_date <= poc_last[ct_poc]
    ct_poc, ct_date = ct_poc[ok], ct_date[ok]
    iro_contacts = pl.DataFrame(
        {
            "child_id": child_id_of(poc_child[ct_poc]),
            "contact_date": _to_date(ct_date, "contact_date"),
            "area": area_of(poc_child[ct_poc]),
            "uasc": pl.Series(child_uasc_all[poc_child[ct_poc]]),
        }
    )

    # --- surveys ------------------------------------------------------------------------------------
    surveyed = in_window[rng.random(len(in_window)) < 0.04]
    survey_kinds = list(codes.SURVEYS)
    questions = list(codes.SURVEY_QUESTIONS)
    survey_of = rng.choice(len(survey_kinds), len(surveyed), p=[0.6, 0.1, 0.1, 0.1, 0.1])
    asked = rng.random((len(surveyed), len(questions))) < 0.35
    sv_resp, sv_q = np.nonzero(asked)
    survey_responses = pl.DataFrame(
        {
            "response_id": _ids("Q", len(surveyed)).gather(sv_resp),
            "survey": pl.Series(np.asarray(survey_kinds, dtype=object)[survey_of[sv_resp]], dtype=pl.String),
            "response_date": _to_date(rv_date[surveyed][sv_resp], "response_date"),
            "question": pl.Series(np.asarray(questions, dtype=object)[sv_q], dtype=pl.String),
            "answer": pl.Series(_choice(rng, ["yes", "no", "not_sure"], [70, 20, 10], len(sv_resp)), dtype=pl.String),
            "area": area_of(rv_child[surveyed][sv_resp]),
            "uasc": pl.Series(child_uasc_all[rv_child[surveyed][sv_resp]]),
        }
    )

    # --- social workers (the 903's SWEpisodes): a change about once a year of care ----------------
    n_workers = 1 + rng.poisson(np.maximum(poc_last - poc_start, 0) / 365.25)
    sw_poc, sw_position = _expand(n_workers)
    gaps = np.where(sw_position == 0, 0, rng.integers(30, 400, len(sw_poc)))
    sw_start = poc_start[sw_poc] + _grouped_cumsum(gaps, n_workers)
    ok = sw_start <= poc_last[sw_poc]
    sw_poc, sw_start = sw_poc[ok], sw_start[ok]
    sw_next = np.concatenate((sw_start[1:], [0]))
    last_of_poc = np.concatenate((sw_poc[1:] != sw_poc[:-1], [True]))
    social_worker_episodes = (
        pl.DataFrame(
            {
                "child_id": child_id_of(poc_child[sw_poc]),
                "sw_id": _ids("W", 4000).gather(rng.integers(0, 4000, len(sw_poc))),
                "start_date": _to_date(sw_start, "start_date"),
                "end_date": _to_date(np.where(last_of_poc, poc_end[sw_poc], sw_next), "end_date"),
                "reason": pl.Series([None] * len(sw_poc), dtype=pl.String),
                "_open": pl.Series(last_of_poc & poc_open[sw_poc]),
            }
        )
        .with_columns(end_date=pl.when("_open").then(None).otherwise("end_date"))
        .drop("_open")
    )

    return {
        "children": children,
        "episodes": episodes,
        "reviews": reviews,
        "qa_grades": qa_grades,
        "disputes": disputes,
        "iro_staffing": iro_staffing,
        "iro_contacts": iro_contacts,
        "survey_responses": survey_responses,
        # Each area's own IRO team serves it, except the last area, which is left unmapped: its
        # caseload is the whole service's.
        "area_teams": pl.DataFrame(
            {"area": areas[:-1], "team": [f"IRO team {a}" for a in areas[:-1]]},
            schema={"area": pl.String, "team": pl.String},
        ),
        "social_worker_episodes": social_worker_episodes,
    }


def _meta(scale: Scale) -> dict:
    first_day, last_day = window(scale)
    return {
        "local_authority": f"Synthetic benchmark ({scale.name} scale)",
        "produced_by": f"iro_metrics.bench.national v{GENERATOR_VERSION}",
        "synthetic": True,
        "first_day": first_day,
        "last_day": last_day,
    }


def ensure_dataset(scale: str | Scale = "national", folder: Path | None = None, force: bool = False) -> Path:
    """Generate the dataset for a scale once and cache it; return its folder.

    The folder holds a stamp of the generator version and scale; a stale or partial folder is
    regenerated (written beside it, then renamed into place).
    """
    spec = SCALES[scale] if isinstance(scale, str) else scale
    folder = Path(folder) if folder is not None else dataset_folder(spec.name)
    stamp = {"version": GENERATOR_VERSION, **asdict(spec)}
    stamp_path = folder / _STAMP
    if not force and stamp_path.exists():
        with stamp_path.open("rb") as fh:
            if tomllib.load(fh) == stamp:
                return folder
    tmp = folder.with_name(folder.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    write_dataset(generate_frames(spec), _meta(spec), tmp)
    (tmp / _STAMP).write_text("\n".join(f"{k} = {v!r}" for k, v in stamp.items()) + "\n")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


if __name__ == "__main__":  # python -m tools.bench.national [scale]
    import sys
    import time

    t0 = time.perf_counter()
    path = ensure_dataset(sys.argv[1] if len(sys.argv) > 1 else "quick", force="--force" in sys.argv)
    print(f"{path} ready in {time.perf_counter() - t0:.1f} s")
