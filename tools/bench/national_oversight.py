"""The benchmark generator's oversight sources (issue 25): IROs, their allocations to children,
typed IRO contacts and reviews' first set dates (numpy, no row loops).

These draw from their own generator (seeded from the scale's seed) after every other table, so
adding them left the other tables' draws as they were.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from iro_metrics import codes
from tools.bench.arrays import choice, to_date
from tools.bench.national_care import CareHistories, People

CHILDREN_PER_IRO = 60  # about one IRO in post for each 60 children in care
_CHANGE_REASONS = ["MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"]


def iros(rng: np.random.Generator, children_in_care: int, teams: list[str]) -> pl.DataFrame:
    """The IROs: pseudonymous ids, a team, an FTE (some part-time) and an agency flag."""
    n = max(3, round(children_in_care / CHILDREN_PER_IRO))
    return pl.DataFrame(
        {
            "iro_id": [f"IRO-{i:03d}" for i in range(1, n + 1)],
            "team": pl.Series(np.asarray(teams, dtype=object)[rng.integers(0, len(teams), n)], dtype=pl.String),
            "fte": pl.Series(np.asarray(choice(rng, [1.0, 0.8, 0.6], [75, 15, 10], n).tolist(), dtype=np.float64)),
            "agency": pl.Series(rng.random(n) < 0.08),
        }
    )


def allocations(rng: np.random.Generator, care: CareHistories, who: People, n_iros: int) -> pl.DataFrame:
    """One IRO per period of care from its start; 30% of the periods change IRO once, on a day
    inside the period, the second allocation running to the period's end (open while in care)."""
    n = care.n_poc
    span = care.poc_last - care.poc_start
    changes = (rng.random(n) < 0.3) & (span > 2)
    change_day = care.poc_start + 1 + (rng.random(n) * np.maximum(span - 1, 1)).astype(np.int64)
    first_iro = rng.integers(0, n_iros, n)
    second_iro = (first_iro + 1 + rng.integers(0, max(n_iros - 1, 1), n)) % n_iros
    reason = choice(rng, _CHANGE_REASONS, [20, 35, 15, 5, 10, 5, 5, 5], n)
    end = np.where(care.poc_open, -1, care.poc_end)
    changed = np.flatnonzero(changes)
    poc = np.concatenate((np.arange(n), changed))
    start = np.concatenate((care.poc_start, change_day[changed]))
    stop = np.concatenate((np.where(changes, change_day, end), end[changed]))
    iro = np.concatenate((first_iro, second_iro[changed]))
    why = np.concatenate((np.full(n, None, dtype=object), reason[changed]))
    order = np.lexsort((start, poc))
    poc, start, stop, iro, why = poc[order], start[order], stop[order], iro[order], why[order]
    return pl.DataFrame(
        {
            "child_id": who.id_of(care.poc_child[poc]),
            "iro_id": pl.Series([f"IRO-{i:03d}" for i in range(1, n_iros + 1)]).gather(iro),
            "start_date": to_date(start, "start_date"),
            "end_date": to_date(stop, "end_date"),
            "change_reason": pl.Series(why.tolist(), dtype=pl.String),
        }
    ).with_columns(
        pl.when(pl.col("end_date") == pl.date(1969, 12, 31)).then(None).otherwise("end_date").alias("end_date")
    )


def typed_contacts(rng: np.random.Generator, contacts: pl.DataFrame) -> pl.DataFrame:
    """IRO contacts with a type: visits, conversations, midway reviews and a few others."""
    kinds = list(codes.CONTACT_TYPES)
    weights = {"visit": 45, "conversation": 30, "midway": 20, "other": 5}
    drawn = choice(rng, kinds, [weights[k] for k in kinds], contacts.height)
    return contacts.with_columns(type=pl.Series(drawn.tolist(), dtype=pl.String))


def first_set(rng: np.random.Generator, reviews: pl.DataFrame) -> pl.DataFrame:
    """A first set date on 70% of the reviews; one in twelve of those was moved (set 1-30 days later
    or earlier than it was held)."""
    n = reviews.height
    given = rng.random(n) < 0.7
    moved = rng.random(n) < 1 / 12
    shift = rng.integers(1, 31, n) * np.where(rng.random(n) < 0.5, -1, 1)
    offset = pl.Series(np.where(moved, shift, 0), dtype=pl.Int64)
    return reviews.with_columns(
        first_set_date=pl.when(pl.Series(given))
        .then(pl.col("review_date") + pl.duration(days=offset))
        .otherwise(None)
        .cast(pl.Date)
    )
