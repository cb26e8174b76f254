"""Reviews: volume, timeliness, chairing, participation, minutes and QA audit coverage."""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import PARTICIPATED, PARTICIPATED_IN_PERSON, PARTICIPATION_ELIGIBLE
from iro_metrics.indicators import oversight
from iro_metrics.indicators._engine import Request, count, null_measures, percent, tidy
from iro_metrics.indicators.columns import column_recorded

IDS = (
    "reviews_held",
    "reviews_chaired_by_iro_pct",
    "reviews_on_time_pct",
    "reviews_overdue",
    "participation_pct",
    "participation_in_person_pct",
    "child_chaired_full",
    "child_chaired_part",
    "minutes_on_time_pct",
    "qa_audit_rate_pct",
    *oversight.REVIEW_IDS,
)
# The optional sources (a table, or a table's column as 'table.column') some of IDS need: without
# the source those figures are not recorded, never zero (recorded.py says why and what to import).
SOURCES: dict[str, tuple[str, ...]] = {
    "reviews.chaired_by": ("reviews_chaired_by_iro_pct",),
    "reviews.child_chaired": ("child_chaired_full", "child_chaired_part"),
    "reviews.minutes_issued_date": ("minutes_on_time_pct",),
    "qa_grades": ("qa_audit_rate_pct",),
    "iro_contacts.type": oversight.CONTACT_TYPE_IDS,
    "reviews.first_set_date": oversight.RESCHEDULED_IDS,
}


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for every review indicator."""
    group = request.group
    code = pl.col("participation_code")
    held = request.events("reviews")
    aggregate = held.group_by(group).agg(
        reviews_held=pl.len(),
        chaired_by_iro=(pl.col("chaired_by") == "iro").sum(),
        on_time=pl.col("on_time").sum(),
        with_due_date=pl.col("on_time").is_not_null().sum(),
        participated=code.is_in(PARTICIPATED).sum(),
        participated_in_person=code.is_in(PARTICIPATED_IN_PERSON).sum(),
        participation_eligible=code.is_in(PARTICIPATION_ELIGIBLE).sum(),
        chaired_full=(pl.col("child_chaired") == "full").sum(),
        chaired_part=(pl.col("child_chaired") == "part").sum(),
        minutes_on_time=pl.col("minutes_on_time").sum(),
    )
    parts = [
        tidy(
            request,
            aggregate,
            [
                count("reviews_held", "reviews_held"),
                percent("reviews_on_time_pct", "on_time", "with_due_date"),
                percent("participation_pct", "participated", "participation_eligible"),
                percent("participation_in_person_pct", "participated_in_person", "participation_eligible"),
            ],
        ),
        overdue(request),
    ]
    parts += _recorded_columns(request, aggregate)
    parts.append(_audit_rate(request, aggregate))
    parts.extend(oversight.review_measures(request))
    return parts


def overdue(request: Request) -> pl.LazyFrame:
    """Children in care at each period end whose next review was due before that day."""
    # The selection applies through the episode open at the period end (its area and cohort).
    open_at_end = request.open_at_period_ends(*request.area_group, "child_key", "poc_id")
    aggregate = (
        open_at_end.join(request.overdue_at_period_ends(), on=["key", "poc_id"], how="semi")
        .group_by(request.group)
        .agg(reviews_overdue=pl.col("child_key").n_unique())
    )
    return tidy(request, aggregate, [count("reviews_overdue", "reviews_overdue")])


def _recorded_columns(request: Request, aggregate: pl.LazyFrame) -> list[pl.LazyFrame]:
    """The figures of the optional reviews columns (chairing, the child chairing, minutes), each
    not recorded without its column."""
    # A review with no chairing record is not taken as IRO-chaired: without the records the
    # figure is not recorded.
    by_column = {
        "chaired_by": [percent("reviews_chaired_by_iro_pct", "chaired_by_iro", "reviews_held")],
        "child_chaired": [count("child_chaired_full", "chaired_full"), count("child_chaired_part", "chaired_part")],
        "minutes_issued_date": [percent("minutes_on_time_pct", "minutes_on_time", "reviews_held")],
    }
    return [
        tidy(request, aggregate, measures)
        if column_recorded(request.ds, "reviews", column)
        else null_measures(request, [m.indicator for m in measures])
        for column, measures in by_column.items()
    ]


def _audit_rate(request: Request, aggregate: pl.LazyFrame) -> pl.LazyFrame:
    """QA audits per review held (not recorded without the QA grades)."""
    if not request.ds.has_table("qa_grades"):
        return null_measures(request, ["qa_audit_rate_pct"])
    group = request.group
    audits = request.events("qa_grades").group_by(group).agg(audits=pl.col("audit_id").n_unique())
    audit_rate = request.skeleton.join(audits, on=group, how="left").join(
        aggregate.select(*group, "reviews_held"), on=group, how="left"
    )
    return tidy(request, audit_rate, [percent("qa_audit_rate_pct", "audits", "reviews_held")])
