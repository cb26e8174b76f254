"""Periods of care and the statutory review schedule.

A *period of care* is a run of episodes of one child, each starting on the day the last one ended,
opened by an ``S`` episode. Short-break episodes (legal status V3/V4) are left out first.

Review due dates follow regulation 33 of the Care Planning, Placement and Case Review (England)
Regulations 2010 as spec/indicators.md defines them: the first review is due 20 working days after
the period of care starts, the second 3 calendar months after the first review, each later one
6 calendar months after the one before. A review belongs to the period of care containing its date
(start <= review date <= end, an open period having no end).

A run of episodes that is not opened by an ``S`` episode (a child whose entry to care predates the
data) is kept as a period of care with ``opened_by_s = False``: its start is unknown, so its first
review has no due date and is left out of timeliness, and later reviews are taken to be six-monthly.
"""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import SHORT_BREAK_LEGAL_STATUSES
from iro_metrics.dataset import Dataset
from iro_metrics.periods import months_after, working_days_after

FIRST_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
# Minutes are on time when issued at most 15 working days after the review.
MINUTES_WORKING_DAYS = 15
# A notification is late when it comes 2 or more working days after the child comes into care.
LATE_NOTIFICATION_WORKING_DAYS = 2

# Stands in for "still open" when comparing dates; later than any real event.
OPEN_END = pl.date(9999, 12, 31)


def without_short_breaks(episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Episodes less short breaks (V3/V4), which every indicator leaves out."""
    return episodes.filter(~pl.col("legal_status").is_in(SHORT_BREAK_LEGAL_STATUSES))


def episodes_with_periods_of_care(episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Episodes (short breaks removed) with the period of care each belongs to.

    Adds ``poc_id`` (an integer unique across the dataset), ``poc_start``, ``poc_end`` (null while
    open) and ``opened_by_s``.
    """
    ordered = without_short_breaks(episodes).sort(["child_id", "start_date", "end_date"], nulls_last=True)
    previous_end = pl.col("end_date").shift(1).over("child_id")
    opens_new_period = (
        (pl.col("reason_new_episode") == "S") | previous_end.is_null() | (pl.col("start_date") != previous_end)
    )
    with_ids = ordered.with_columns(poc_id=opens_new_period.cast(pl.Int64).cum_sum())
    # The last episode's end is the period's end; null if the last episode is still open.
    return with_ids.with_columns(
        poc_start=pl.col("start_date").first().over("poc_id"),
        poc_end=pl.col("end_date").last().over("poc_id"),
        opened_by_s=(pl.col("reason_new_episode").first().over("poc_id") == "S"),
    )


def periods_of_care(episodes: pl.LazyFrame) -> pl.LazyFrame:
    """One row per period of care: child_id, poc_id, poc_start, poc_end, opened_by_s, episodes."""
    return (
        episodes_with_periods_of_care(episodes)
        .group_by("poc_id")
        .agg(
            pl.col("child_id").first(),
            pl.col("poc_start").first(),
            pl.col("poc_end").first(),
            pl.col("opened_by_s").first(),
            pl.len().alias("episodes"),
        )
        .sort("poc_id")
    )


def next_review_due(poc_start: pl.Expr, opened_by_s: pl.Expr, reviews_so_far: pl.Expr, last_review: pl.Expr) -> pl.Expr:
    """The due date of the next review of a period of care, given the reviews held so far."""
    return (
        pl.when(reviews_so_far == 0)
        .then(pl.when(opened_by_s).then(working_days_after(poc_start, FIRST_REVIEW_WORKING_DAYS)))
        .when((reviews_so_far == 1) & opened_by_s)
        .then(months_after(last_review, SECOND_REVIEW_MONTHS))
        .otherwise(months_after(last_review, LATER_REVIEW_MONTHS))
    )


def review_schedule(reviews: pl.LazyFrame, episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Every review with its period of care, its number in that period, its due date and on_time.

    ``poc_id`` is null for a review outside every period of care; ``due_date`` and ``on_time`` are
    null where the due date cannot be known (outside a period of care, or the first review of a
    period whose start predates the data).
    """
    pocs = periods_of_care(episodes).select("child_id", "poc_id", "poc_start", "poc_end", "opened_by_s")
    keyed = reviews.with_row_index("_row")
    matched = (
        keyed.select("_row", "child_id", "review_date")
        .join(pocs, on="child_id", how="inner")
        .filter(
            (pl.col("poc_start") <= pl.col("review_date"))
            & (pl.col("review_date") <= pl.col("poc_end").fill_null(OPEN_END))
        )
        # Where two periods touch (one ends the day the next begins), the later one owns the review.
        .sort(["_row", "poc_start"], descending=[False, True])
        .unique("_row", keep="first")
        .drop("child_id", "review_date")
    )
    placed = keyed.join(matched, on="_row", how="left")
    in_poc = placed.filter(pl.col("poc_id").is_not_null()).sort(["poc_id", "review_date", "review_id"])
    number = pl.int_range(1, pl.len() + 1).over("poc_id")
    previous = pl.col("review_date").shift(1).over("poc_id")
    scheduled = in_poc.with_columns(review_number=number.cast(pl.Int64), previous_review=previous).with_columns(
        due_date=next_review_due(
            pl.col("poc_start"), pl.col("opened_by_s"), pl.col("review_number") - 1, pl.col("previous_review")
        )
    )
    outside = placed.filter(pl.col("poc_id").is_null()).with_columns(
        review_number=pl.lit(None, pl.Int64),
        previous_review=pl.lit(None, pl.Date),
        due_date=pl.lit(None, pl.Date),
    )
    return (
        pl.concat([scheduled, outside], how="diagonal_relaxed")
        .with_columns(on_time=pl.col("review_date") <= pl.col("due_date"))
        .sort("_row")
        .drop("_row", "previous_review")
    )


def derived(ds: Dataset, name: str) -> pl.DataFrame:
    """A derived table of the dataset, computed once and kept on it."""
    if name not in ds.derived:
        episodes = ds.table("episodes")
        if name == "episodes":
            notified_by = working_days_after(pl.col("start_date"), LATE_NOTIFICATION_WORKING_DAYS)
            ds.derived[name] = (
                episodes_with_periods_of_care(episodes)
                .with_columns(
                    # Only S episodes are notified; a missing notification date counts as late.
                    late_notification=pl.when(pl.col("reason_new_episode") == "S").then(
                        pl.col("iro_notified_date").is_null() | (pl.col("iro_notified_date") >= notified_by)
                    )
                )
                .collect()
            )
        elif name == "reviews":
            minutes_due = working_days_after(pl.col("review_date"), MINUTES_WORKING_DAYS)
            ds.derived[name] = (
                review_schedule(ds.table("reviews"), episodes)
                .with_columns(minutes_on_time=(pl.col("minutes_issued_date") <= minutes_due).fill_null(False))
                .collect()
            )
        else:
            raise KeyError(name)
    return ds.derived[name]
