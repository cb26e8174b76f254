"""The benchmark generator's children, their periods of care and their episodes (numpy, no row loops).

Each step draws from the one ``rng`` in a fixed order; ``national.generate_frames`` calls them in
that order, so a seed gives the same dataset (``GENERATOR_VERSION`` names the order).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from iro_metrics import codes
from tools.bench.arrays import choice, expand, grouped_cumsum, ids, to_date

if TYPE_CHECKING:
    from tools.bench.national import Scale

ADULT_AGE_DAYS = 6574  # 18 years


@dataclass(frozen=True)
class CareHistories:
    """The simulated children (indexed 0..n_children-1) and every period of care the data can see."""

    n_children: int
    dob: np.ndarray
    is_uasc: np.ndarray
    area: np.ndarray  # index into the area names
    poc_child: np.ndarray  # per period of care: the child's index
    poc_start: np.ndarray
    poc_end: np.ndarray
    poc_open: np.ndarray  # still in care at the end of the data
    poc_last: np.ndarray  # the last day the data can see

    @property
    def n_poc(self) -> int:
        """How many periods of care."""
        return len(self.poc_child)


@dataclass(frozen=True)
class EpisodeCuts:
    """The episodes of the periods of care: each period cut at distinct days."""

    poc: np.ndarray  # per episode: its period of care
    child: np.ndarray
    first: np.ndarray  # the period's first episode
    last: np.ndarray  # the period's last episode
    start: np.ndarray
    end: np.ndarray
    open: np.ndarray
    reason_new: np.ndarray
    legal: np.ndarray
    reason_ceased: np.ndarray  # "" where open
    notified: np.ndarray
    notified_missing: np.ndarray


@dataclass(frozen=True)
class ShortBreaks:
    """Short-break (V3/V4) children with many short episodes, each its own period of care."""

    child_of: np.ndarray  # per episode: the short-break child (0..n_children-1)
    start: np.ndarray
    end: np.ndarray
    child_ids: np.ndarray  # the children's indexes after the simulated ones
    dob: np.ndarray
    area: np.ndarray


@dataclass(frozen=True)
class People:
    """Every child who appears in the episodes (simulated and short-break), with their ids."""

    areas: list[str]
    area: np.ndarray  # per raw child index
    uasc: np.ndarray
    dob: np.ndarray
    used: np.ndarray  # the raw indexes that have episodes, in id order
    key: np.ndarray  # raw index -> position in ``used`` (-1 if none)
    child_ids: pl.Series

    def id_of(self, raw: np.ndarray) -> pl.Series:
        """The child ids of raw child indexes."""
        return self.child_ids.gather(self.key[raw])

    def area_of(self, raw: np.ndarray) -> pl.Series:
        """The area names of raw child indexes."""
        return pl.Series("area", np.asarray(self.areas, dtype=object)[self.area[raw]], dtype=pl.String)


def care_histories(
    rng: np.random.Generator, scale: Scale, w0: int, w1: int, areas: list[str], area_weight: np.ndarray
) -> CareHistories:
    """Children entering care over an 18-year burn-in and the window, some re-entering once."""

    # Durations: a mix of short stays and long ones, capped at the 18th birthday.
    def draw_duration(n: int) -> np.ndarray:
        short = rng.random(n) < 0.3
        return np.where(short, rng.exponential(70, n), rng.exponential(1300, n)).astype(np.int64) + 1

    ages = np.arange(18)
    age_weight = np.array([16, 4, 4, 3, 3, 3, 3, 3, 3, 3, 5, 6, 7, 8, 9, 9, 8, 5], dtype=float)
    age_weight /= age_weight.sum()
    pilot_age = rng.choice(ages, 50_000, p=age_weight) * 365 + rng.integers(0, 365, 50_000)
    pilot_duration = np.minimum(draw_duration(50_000), ADULT_AGE_DAYS - pilot_age)
    mean_duration = float(np.maximum(pilot_duration, 1).mean())
    burn_in = 18 * 365
    per_day = scale.children_in_care / mean_duration / 1.06  # re-entries add a little more care
    n_children = rng.poisson(per_day * (w1 - w0 + burn_in))

    entry = rng.integers(w0 - burn_in, w1 + 1, n_children)
    age_at_entry = rng.choice(ages, n_children, p=age_weight) * 365 + rng.integers(0, 365, n_children)
    dob = entry - age_at_entry
    adult = dob + ADULT_AGE_DAYS
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
    poc_open = poc_end > w1
    poc_last = np.where(poc_open, w1, poc_end)
    return CareHistories(n_children, dob, is_uasc, child_area, poc_child, poc_start, poc_end, poc_open, poc_last)


def cut_episodes(rng: np.random.Generator, care: CareHistories) -> EpisodeCuts:
    """Cut each period of care at distinct days; draw each episode's codes."""
    poc_start, poc_end, poc_last, n_poc = care.poc_start, care.poc_end, care.poc_last, care.n_poc
    years_seen = (poc_last - poc_start) / 365.25
    n_cuts = np.minimum(rng.poisson(0.9 * years_seen), 12)
    cut_poc, _ = expand(n_cuts)
    span = np.maximum(poc_last - poc_start, 1)
    cut_day = poc_start[cut_poc] + 1 + (rng.random(len(cut_poc)) * (span[cut_poc] - 1)).astype(np.int64)
    ok = cut_day < poc_last[cut_poc]
    cuts = np.unique(np.stack((cut_poc[ok], cut_day[ok]), axis=1), axis=0)
    cut_counts = np.bincount(cuts[:, 0], minlength=n_poc) if len(cuts) else np.zeros(n_poc, np.int64)
    ep_counts = cut_counts + 1
    ep_poc, ep_pos = expand(ep_counts)
    # Episode starts: the period's start, then each cut day (cuts are sorted by period, then day).
    starts_flat = np.empty(len(ep_poc), dtype=np.int64)
    first = ep_pos == 0
    starts_flat[first] = poc_start
    starts_flat[~first] = cuts[:, 1]
    last = np.r_[ep_poc[1:] != ep_poc[:-1], True]
    ends_flat = np.empty_like(starts_flat)
    ends_flat[~last] = starts_flat[1:][~last[:-1]]
    ends_flat[last] = poc_end
    ep_open = last & care.poc_open[ep_poc]
    n_ep = len(ep_poc)

    rne = np.where(first, "S", choice(rng, ["L", "P", "T", "B", "U"], [25, 45, 15, 10, 5], n_ep))
    legal = choice(
        rng,
        ["C2", "C1", "V2", "E1", "D1", "L1", "L2", "J1", "J2", "J3"],
        [45, 20, 20, 8, 0.5, 2, 1, 2, 0.8, 0.7],
        n_ep,
    )
    final_reason = choice(
        rng,
        ["E4A", "E4B", "E11", "E12", "E41", "E45", "E46", "E47", "E48", "E5", "E8", "E13", "E17", "E3", "E6", "E7"],
        [30, 5, 6, 2, 1, 2, 2, 3, 8, 4, 15, 3, 9, 5, 2, 3],
        n_ep,
    )
    reason_ceased = np.where(last, np.where(ep_open, "", final_reason), "X1")  # "" = open
    notified_lag = np.where(rng.random(n_ep) < 0.8, rng.integers(0, 2, n_ep), rng.integers(2, 12, n_ep))
    notified = starts_flat + notified_lag
    notified_missing = ~first | (rng.random(n_ep) < 0.03)
    return EpisodeCuts(
        ep_poc,
        care.poc_child[ep_poc],
        first,
        last,
        starts_flat,
        ends_flat,
        ep_open,
        rne,
        legal,
        reason_ceased,
        notified,
        notified_missing,
    )


def short_breaks(
    rng: np.random.Generator,
    scale: Scale,
    care: CareHistories,
    w0: int,
    w1: int,
    areas: list[str],
    area_weight: np.ndarray,
) -> ShortBreaks:
    """Separate children with many short V3/V4 episodes, each its own period of care."""
    n_sb_children = max(2, scale.children_in_care // 40)
    sb_per_child = rng.integers(3, 15, n_sb_children)
    sb_child_of, _ = expand(sb_per_child)
    sb_gap = rng.integers(20, 200, len(sb_child_of))
    sb_start = w0 - 60 + grouped_cumsum(sb_gap, sb_per_child)
    sb_end = sb_start + rng.integers(1, 15, len(sb_start))
    ok = sb_start <= w1
    sb_child_of, sb_start, sb_end = sb_child_of[ok], sb_start[ok], sb_end[ok]
    sb_child_ids = care.n_children + np.arange(n_sb_children)
    sb_dob = w0 - rng.integers(5 * 365, 15 * 365, n_sb_children)
    sb_area = rng.choice(len(areas), n_sb_children, p=area_weight)
    return ShortBreaks(sb_child_of, sb_start, sb_end, sb_child_ids, sb_dob, sb_area)


def people(care: CareHistories, cuts: EpisodeCuts, breaks: ShortBreaks, areas: list[str]) -> People:
    """Every child with an episode, numbered in the order of their raw index."""
    ep_child_all = np.concatenate((cuts.child, breaks.child_ids[breaks.child_of]))
    dob_all = np.concatenate((care.dob, breaks.dob))
    used_children = np.unique(ep_child_all)
    child_key = np.full(len(dob_all), -1, dtype=np.int64)
    child_key[used_children] = np.arange(len(used_children))
    return People(
        areas,
        np.concatenate((care.area, breaks.area)),
        np.concatenate((care.is_uasc, np.zeros(len(breaks.child_ids), bool))),
        dob_all,
        used_children,
        child_key,
        ids("C", len(used_children)),
    )


def episodes_frame(rng: np.random.Generator, cuts: EpisodeCuts, breaks: ShortBreaks, who: People) -> pl.DataFrame:
    """The episodes table: the periods' episodes, then the short breaks."""
    n_ep, sb_n = len(cuts.poc), len(breaks.child_of)
    ep_child_all = np.concatenate((cuts.child, breaks.child_ids[breaks.child_of]))
    episodes = pl.DataFrame(
        {
            "child_id": who.id_of(ep_child_all),
            "start_date": to_date(np.concatenate((cuts.start, breaks.start)), "start_date"),
            "end_date": to_date(np.concatenate((cuts.end, breaks.end)), "end_date"),
            "reason_new_episode": pl.Series(
                np.concatenate((cuts.reason_new, np.full(sb_n, "S", dtype=object))), dtype=pl.String
            ),
            "legal_status": pl.Series(
                np.concatenate((cuts.legal, choice(rng, ["V3", "V4"], [60, 40], sb_n))), dtype=pl.String
            ),
            "category_of_need": pl.Series(
                choice(rng, list(codes.CATEGORY_OF_NEED), [60, 8, 4, 8, 15, 2, 1, 2], n_ep + sb_n),
                dtype=pl.String,
            ),
            "placement_type": pl.Series(
                choice(
                    rng,
                    ["U4", "U6", "U1", "U3", "K2", "H5", "P1", "A5", "R1", "S1"],
                    [25, 30, 8, 10, 10, 5, 5, 3, 2, 2],
                    n_ep + sb_n,
                ),
                dtype=pl.String,
            ),
            "reason_ceased": pl.Series(
                np.concatenate((cuts.reason_ceased, choice(rng, ["E4A", "E8"], [90, 10], sb_n))), dtype=pl.String
            ),
            "area": who.area_of(ep_child_all),
            "uasc": pl.Series(who.uasc[ep_child_all]),
            "iro_notified_date": to_date(np.concatenate((cuts.notified, breaks.start)), "iro_notified_date"),
        }
    )
    null_end = pl.Series(np.concatenate((cuts.open, np.zeros(sb_n, bool))))
    null_notified = pl.Series(np.concatenate((cuts.notified_missing, np.ones(sb_n, bool))))
    return episodes.with_columns(
        pl.when(null_end).then(None).otherwise(pl.col("end_date")).alias("end_date"),
        pl.when(pl.col("reason_ceased") == "").then(None).otherwise(pl.col("reason_ceased")).alias("reason_ceased"),
        pl.when(null_notified).then(None).otherwise(pl.col("iro_notified_date")).alias("iro_notified_date"),
    )


def children_frame(rng: np.random.Generator, who: People, w1: int) -> pl.DataFrame:
    """The children table: sex, birth date, ethnicity and when UASC status ceased (at 18)."""
    used = who.used
    adult_all = who.dob + ADULT_AGE_DAYS
    uasc_ceased = np.where(who.uasc & (adult_all <= w1), adult_all, 0)
    return pl.DataFrame(
        {
            "child_id": who.child_ids,
            "sex": pl.Series(choice(rng, ["1", "2"], [56, 44], len(used)), dtype=pl.String),
            "date_of_birth": to_date(who.dob[used], "date_of_birth"),
            "ethnicity": pl.Series(
                choice(
                    rng,
                    list(codes.ETHNICITY),
                    [70, 1, 5, 0.5, 0.5, 2, 1, 1, 2, 1, 1, 0.5, 2, 1, 4, 1, 0.3, 3, 0.5, 2],
                    len(used),
                ),
                dtype=pl.String,
            ),
            "uasc_ceased": to_date(uasc_ceased[used], "uasc_ceased"),
            "is_uasc": pl.Series(who.uasc[used]),
        }
    ).with_columns(
        pl.when(pl.Series(uasc_ceased[used] == 0)).then(None).otherwise(pl.col("uasc_ceased")).alias("uasc_ceased")
    )
