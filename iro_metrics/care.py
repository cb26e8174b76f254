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

from datetime import date

import polars as pl

from iro_metrics.codes import SHORT_BREAK_LEGAL_STATUSES
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


def _is_counted_episode() -> pl.Expr:
    return ~pl.col("legal_status").is_in(SHORT_BREAK_LEGAL_STATUSES)


def without_short_breaks(episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Episodes less short breaks (V3/V4), which every indicator leaves out."""
    return episodes.filter(_is_counted_episode())


def left_out_episodes(episodes: pl.LazyFrame) -> pl.LazyFrame:
    """The episodes ``without_short_breaks`` leaves out (every row it does not keep)."""
    return episodes.filter(~_is_counted_episode().fill_null(False))


def without_short_break_reviews(reviews: pl.LazyFrame, episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Reviews less those every review indicator leaves out (spec/indicators.md): the reviews of
    a child whose every episode is a short break (V3/V4), and reviews dated inside a short-break
    episode (start_date <= review_date <= end_date, an open episode having no end). A real 903
    can hold them although DfE rule 399 says it should not."""
    short_break = pl.col("legal_status").is_in(SHORT_BREAK_LEGAL_STATUSES)
    only_short_breaks = (
        episodes.group_by("child_id").agg(_all=short_break.all()).filter(pl.col("_all")).select("child_id")
    )
    inside_short_break = (
        reviews.select("review_id", "child_id", "review_date")
        .join(episodes.filter(short_break).select("child_id", "start_date", "end_date"), on="child_id", how="inner")
        .filter(
            (pl.col("start_date") <= pl.col("review_date"))
            & (pl.col("review_date") <= pl.col("end_date").fill_null(OPEN_END))
        )
        .select("review_id")
    )
    return reviews.join(only_short_breaks, on="child_id", how="anti").join(
        inside_short_break, on="review_id", how="anti", maintain_order="left"
    )


def episodes_with_periods_of_care(episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Episodes (short breaks removed) with the period of care each belongs to.

    Adds ``poc_id`` (an integer unique across the dataset), ``poc_start``, ``poc_end`` (null while
    open) and ``opened_by_s``. One sort, then only row-to-row comparisons: this runs on millions
    of episodes.
    """
    ordered = without_short_breaks(episodes).sort(["child_id", "start_date", "end_date"], nulls_last=True)
    same_child = pl.col("child_id") == pl.col("child_id").shift(1)
    previous_end = pl.col("end_date").shift(1)
    continues = same_child & (pl.col("reason_new_episode") != "S") & (pl.col("start_date") == previous_end)
    with_ids = ordered.with_columns(
        # 32 bits hold any number of periods of care and halve the column in every derived table.
        poc_id=(~continues.fill_null(False)).cast(pl.Int32).cum_sum(),
        _opens=~continues.fill_null(False),
    )
    is_last = (pl.col("poc_id") != pl.col("poc_id").shift(-1)).fill_null(True)
    return (
        with_ids.with_columns(
            poc_start=pl.when("_opens").then(pl.col("start_date")).forward_fill(),
            opened_by_s=pl.when("_opens").then(pl.col("reason_new_episode") == "S").forward_fill(),
            # The last episode's end is the period's end (null while it is open).
            poc_end=pl.when(is_last).then(pl.col("end_date").fill_null(OPEN_END)).backward_fill(),
        )
        .with_columns(poc_end=pl.when(pl.col("poc_end") != OPEN_END).then(pl.col("poc_end")))
        .drop("_opens")
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


def _place_reviews(reviews: pl.LazyFrame, pocs: pl.LazyFrame) -> pl.LazyFrame:
    """Reviews with the period of care containing each one (null columns where none does).

    Where two periods touch (one ends the day the next begins) and the review is on that day,
    the later period owns it.
    """
    columns = ["poc_id", "poc_start", "poc_end", "opened_by_s"]
    keyed = reviews.with_row_index("_row")
    matched = (
        keyed.select("_row", "child_id", "review_date")
        .join(pocs.select("child_id", *columns), on="child_id", how="inner")
        .filter(
            (pl.col("poc_start") <= pl.col("review_date"))
            & (pl.col("review_date") <= pl.col("poc_end").fill_null(OPEN_END))
        )
        .filter(~(pl.col("_row").is_duplicated() & (pl.col("review_date") == pl.col("poc_end"))))
        .select("_row", *columns)
    )
    return keyed.join(matched, on="_row", how="left").drop("_row")


def review_schedule(reviews: pl.LazyFrame, episodes: pl.LazyFrame) -> pl.LazyFrame:
    """Every review with its period of care, its number in that period, its due date and on_time.

    ``poc_id`` is null for a review outside every period of care; ``due_date`` and ``on_time`` are
    null where the due date cannot be known (outside a period of care, or the first review of a
    period whose start predates the data). ``next_due`` is when the review after this one falls due;
    ``previous_review_date`` the date of the review before it in the same period of care (null for
    the first, and outside every period of care).
    """
    return schedule_reviews(reviews, periods_of_care(episodes))


def pocs_of(episodes_with_pocs: pl.LazyFrame) -> pl.LazyFrame:
    """One row per period of care from episodes that already carry their period of care."""
    return episodes_with_pocs.group_by("poc_id").agg(
        pl.col("child_id").first(),
        pl.col("poc_start").first(),
        pl.col("poc_end").first(),
        pl.col("opened_by_s").first(),
    )


def schedule_reviews(reviews: pl.LazyFrame, pocs: pl.LazyFrame) -> pl.LazyFrame:
    """``review_schedule`` given the periods of care (child_id, poc_id, poc_start, poc_end, opened_by_s)."""
    ordered = _place_reviews(reviews, pocs).sort(["poc_id", "review_date", "review_id"], nulls_last=True)
    same_period = (pl.col("poc_id") == pl.col("poc_id").shift(1)).fill_null(False)
    row = pl.int_range(pl.len(), dtype=pl.Int32)
    first_row = pl.when(~same_period).then(row).forward_fill()
    number = pl.when(pl.col("poc_id").is_not_null()).then(row - first_row + 1)
    previous = pl.when(same_period).then(pl.col("review_date").shift(1))
    return (
        ordered.with_columns(review_number=number, previous_review_date=previous)
        .with_columns(
            due_date=pl.when(pl.col("poc_id").is_not_null()).then(
                next_review_due(
                    pl.col("poc_start"),
                    pl.col("opened_by_s"),
                    pl.col("review_number") - 1,
                    pl.col("previous_review_date"),
                )
            ),
            next_due=pl.when(pl.col("poc_id").is_not_null()).then(
                next_review_due(
                    pl.col("poc_start"), pl.col("opened_by_s"), pl.col("review_number"), pl.col("review_date")
                )
            ),
        )
        .with_columns(on_time=pl.col("review_date") <= pl.col("due_date"))
    )


def overdue_spells(schedule: pl.LazyFrame, episodes_with_pocs: pl.LazyFrame) -> pl.LazyFrame:
    """The stretches of time in which a child in care had a review overdue.

    Between one review (or the start of care) and the next (or the end of care) the next review
    has one due date; the child is overdue on every day after it. A child is counted overdue at d
    when ``overdue_from <= d < overdue_until``. Columns: child_id, poc_id, overdue_from, overdue_until.
    """
    pocs = pocs_of(episodes_with_pocs)
    held = (
        schedule.filter(pl.col("poc_id").is_not_null())
        .select("poc_id", "review_date", "review_number", "next_due")
        .sort(["poc_id", "review_date"])
    )
    first_reviews = held.filter(pl.col("review_number") == 1).select("poc_id", first_review="review_date")
    before_first = pocs.join(first_reviews, on="poc_id", how="left").select(
        "child_id",
        "poc_id",
        spell_from=pl.col("poc_start"),
        spell_until=pl.min_horizontal(
            pl.col("first_review").fill_null(OPEN_END), pl.col("poc_end").fill_null(OPEN_END)
        ),
        due=next_review_due(pl.col("poc_start"), pl.col("opened_by_s"), pl.lit(0), pl.lit(None, pl.Date)),
    )
    next_review = pl.when(pl.col("poc_id") == pl.col("poc_id").shift(-1)).then(pl.col("review_date").shift(-1))
    after_each = (
        held.with_columns(_next_review=next_review)
        .join(pocs.select("poc_id", "child_id", "poc_end"), on="poc_id", how="left")
        .select(
            "child_id",
            "poc_id",
            spell_from=pl.col("review_date"),
            spell_until=pl.min_horizontal(
                pl.col("_next_review").fill_null(OPEN_END), pl.col("poc_end").fill_null(OPEN_END)
            ),
            due=pl.col("next_due"),
        )
    )
    spells = pl.concat([before_first, after_each])
    overdue_from = pl.max_horizontal(pl.col("spell_from"), pl.col("due").dt.offset_by("1d"))
    return (
        spells.filter(pl.col("due").is_not_null())
        .select("child_id", "poc_id", overdue_from=overdue_from, overdue_until=pl.col("spell_until"))
        .filter(pl.col("overdue_from") < pl.col("overdue_until"))
        .sort(["poc_id", "overdue_from"])
    )


def rows_between(frame: pl.DataFrame, column: str, first: date, last: date) -> pl.DataFrame:
    """The rows of a frame sorted by ``column`` whose date is in [first, last], by binary search."""
    dates = frame.get_column(column)
    start = dates.search_sorted(first, side="left")
    stop = dates.search_sorted(last, side="right")
    return frame.slice(start, stop - start)
