"""Synthetic Kent's oversight sources (issue 25): the IROs in post, their allocations to children,
typed IRO contacts and reviews' first set dates.

NOT calibrated: Kent publishes no figure for any of these, so they are plausible only (see
docs/synthetic-data.md). They are drawn after every calibrated table, from their own seeded
generator, with Polars and numpy (no loop over rows), and change no calibrated value.

- 30 IRO posts (15 per IRO team) against the 22-29 FTE in post the staffing seeds give; most are
  full-time, some 0.8 or 0.6, two agency. An IRO stays 2 to 8 years; when one leaves, the post's
  next IRO (a new pseudonymous id, ``IRO-017``) takes the children on, with change reason LEFTRL.
- Each period of care has a post in the team serving the child's area from its start; one in ten
  also changes IRO once for another reason (MANAGE, ORGRST, TSPROC, ABSENC, CHCHAN, PCCHAN, OTHERS).
- Contacts are typed visit, conversation, midway or other; one review in twenty was moved from its
  first set date.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from iro_metrics.tables import DATA_MODEL
from tools.synthetic.dates import LAST_DAY
from tools.synthetic.targets import NW_TEAM, SE_TEAM

POSTS_PER_TEAM = 15
TEAMS = (SE_TEAM, NW_TEAM)
OTHER_REASONS = ["MANAGE", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"]
SEED_OFFSET = 25  # the oversight sources' own generator: seed + 25
_FROM, _TO = date(2000, 1, 1), date(2040, 12, 31)


def _tenures(rng: np.random.Generator) -> pl.DataFrame:
    """Each post's IROs one after another: post, iro, from (inclusive) and to (exclusive)."""
    posts = POSTS_PER_TEAM * len(TEAMS)
    per_post = 12  # enough tenures to run past the data's end
    stays = rng.integers(730, 2922, (posts, per_post))  # 2 to 8 years
    # The first IRO of each post started some time before April 2012.
    offset = rng.integers(0, 2922, posts)
    start0 = (date(2012, 4, 1) - _FROM).days - offset
    begins = start0[:, None] + np.concatenate((np.zeros((posts, 1), np.int64), np.cumsum(stays, 1)[:, :-1]), 1)
    frame = pl.DataFrame(
        {
            "post": np.repeat(np.arange(posts), per_post),
            "from_day": begins.ravel(),
            "to_day": (begins + stays).ravel(),
        }
    )
    return frame.with_columns(
        pl.lit(_FROM).dt.offset_by(pl.format("{}d", "from_day")).alias("held_from"),
        pl.lit(_FROM).dt.offset_by(pl.format("{}d", "to_day")).alias("held_to"),
    ).sort("post", "from_day")


def add_oversight(seed: int, tables: dict[str, pl.DataFrame], area_teams: dict[str, str]) -> None:
    """Add iros and iro_allocations, and fill iro_contacts.type and reviews.first_set_date, in place."""
    rng = np.random.default_rng(seed + SEED_OFFSET)
    last_day = LAST_DAY
    tenures = _tenures(rng).filter(pl.col("held_from") <= last_day)
    # IRO ids in order of starting (ties by post): those in post before the data first.
    tenures = tenures.sort("held_from", "post").with_columns(
        iro_id=pl.format("IRO-{}", (pl.int_range(1, pl.len() + 1)).cast(pl.String).str.zfill(3)),
    )
    tenures = tenures.with_columns(
        team=pl.when(pl.col("post") < POSTS_PER_TEAM).then(pl.lit(TEAMS[0])).otherwise(pl.lit(TEAMS[1]))
    )
    n = tenures.height
    fte = rng.choice(np.array([1.0, 0.8, 0.6]), n, p=[0.7, 0.2, 0.1])
    agency = np.zeros(n, dtype=bool)
    agency[rng.choice(n, 2, replace=False)] = True
    tables["iros"] = pl.DataFrame(
        {"iro_id": tenures["iro_id"], "team": tenures["team"], "fte": fte, "agency": agency},
        schema=DATA_MODEL["iros"].schema,
    ).sort("iro_id")

    # Periods of care (short breaks left out): a run of episodes, each starting the day the last
    # ended; an S episode opens a new one.
    episodes = (
        tables["episodes"]
        .filter(~pl.col("legal_status").is_in(["V3", "V4"]))
        .sort("child_id", "start_date")
        .with_columns(
            new=(
                (pl.col("reason_new_episode") == "S")
                | (pl.col("start_date") != pl.col("end_date").shift(1).over("child_id"))
                | pl.col("end_date").shift(1).over("child_id").is_null()
            )
        )
        .with_columns(poc=pl.col("new").cum_sum())
    )
    pocs = (
        episodes.group_by("poc")
        .agg(
            pl.col("child_id").first(),
            pl.col("area").first(),
            poc_start=pl.col("start_date").min(),
            poc_end=pl.when(pl.col("end_date").is_null().any()).then(None).otherwise(pl.col("end_date").max()),
        )
        .sort("poc")
    )
    m = pocs.height
    team_index = pocs["area"].replace_strict(
        {a: TEAMS.index(t) for a, t in area_teams.items()}, default=0, return_dtype=pl.Int64
    )
    first_post = team_index.to_numpy() * POSTS_PER_TEAM + rng.integers(0, POSTS_PER_TEAM, m)
    second_post = team_index.to_numpy() * POSTS_PER_TEAM + rng.integers(0, POSTS_PER_TEAM, m)
    changes = rng.random(m) < 0.1
    share = rng.random(m)
    reason = rng.choice(np.asarray(OTHER_REASONS, dtype=object), m)
    pocs = pocs.with_columns(
        first_post=pl.Series(first_post),
        second_post=pl.Series(second_post),
        changes=pl.Series(changes),
        share=pl.Series(share),
        reason=pl.Series(reason.tolist(), dtype=pl.String),
        stop=pl.col("poc_end").fill_null(last_day),
    ).with_columns(
        change_day=pl.col("poc_start")
        + pl.duration(days=(((pl.col("stop") - pl.col("poc_start")).dt.total_days() * pl.col("share")).floor() + 1))
    )
    changes_ok = (
        pl.col("changes") & (pl.col("change_day") < pl.col("stop")) & (pl.col("second_post") != pl.col("first_post"))
    )
    # A period's segments: one post from its start, and (one in ten) another from the change day.
    first_segment = pocs.select(
        "poc",
        "child_id",
        "poc_start",
        "poc_end",
        post=pl.col("first_post"),
        seg_from=pl.col("poc_start"),
        seg_to=pl.when(changes_ok).then(pl.col("change_day")).otherwise(pl.col("poc_end")),
        reason=pl.lit(None, pl.String),
    )
    second_segment = pocs.filter(changes_ok).select(
        "poc",
        "child_id",
        "poc_start",
        "poc_end",
        post=pl.col("second_post"),
        seg_from=pl.col("change_day"),
        seg_to=pl.col("poc_end"),
        reason=pl.col("reason"),
    )
    segments = pl.concat([first_segment, second_segment])
    # Within a segment the post's IRO changes when one leaves: LEFTRL.
    allocations = (
        segments.join(tenures.select("post", "iro_id", "held_from", "held_to"), on="post", how="inner")
        .filter(
            (pl.col("held_from") <= pl.col("seg_to").fill_null(last_day)) & (pl.col("held_to") > pl.col("seg_from"))
        )
        .with_columns(
            start_date=pl.max_horizontal("seg_from", "held_from"),
            end_date=pl.when(pl.col("seg_to").is_null() | (pl.col("held_to") < pl.col("seg_to")))
            .then(pl.when(pl.col("held_to") <= last_day).then(pl.col("held_to")).otherwise(None))
            .otherwise(pl.col("seg_to")),
        )
        .with_columns(
            # The first allocation the data holds for a period of care (from its start, or from the
            # earliest IRO in post here) has no change reason.
            change_reason=pl.when(pl.col("start_date") == pl.col("start_date").min().over("poc"))
            .then(None)
            .when(pl.col("start_date") == pl.col("seg_from"))
            .then(pl.col("reason"))
            .otherwise(pl.lit("LEFTRL"))
        )
        .filter(pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("start_date")))
        .select(list(DATA_MODEL["iro_allocations"].schema))
        .cast(DATA_MODEL["iro_allocations"].schema)
        .sort("child_id", "start_date", "iro_id")
    )
    tables["iro_allocations"] = allocations

    contacts = tables["iro_contacts"]
    kinds = rng.choice(
        np.asarray(["visit", "conversation", "midway", "other"], dtype=object),
        contacts.height,
        p=[0.5, 0.25, 0.2, 0.05],
    )
    tables["iro_contacts"] = contacts.with_columns(type=pl.Series(kinds.tolist(), dtype=pl.String))

    reviews = tables["reviews"]
    k = reviews.height
    moved = rng.random(k) < 0.05
    shift = rng.integers(1, 29, k) * np.where(rng.random(k) < 0.5, -1, 1)
    tables["reviews"] = reviews.with_columns(
        first_set_date=pl.col("review_date") + pl.duration(days=pl.Series(np.where(moved, shift, 0), dtype=pl.Int64))
    ).select(list(DATA_MODEL["reviews"].schema))
