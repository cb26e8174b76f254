"""Oversight between and around reviews, disputes on time, each IRO's caseload (issue 25).

The measures of spec/indicators.md's section of that name. Each theme module that owns some of
them (challenge, reviews, workload) calls the functions here; working days are those of review
timeliness (Monday to Friday less England and Wales bank holidays, ``iro_metrics.periods``).
"""

from __future__ import annotations

import threading

import polars as pl

from iro_metrics.care import OPEN_END
from iro_metrics.codes import MIDWAY_CONTACT_TYPE, SEEN_CONTACT_TYPES
from iro_metrics.indicators._engine import Measure, Request, count, null_measures, percent, tidy
from iro_metrics.indicators.columns import column_recorded
from iro_metrics.periods import bank_holidays, working_days_after

# The IRO Handbook's defaults: a formal dispute resolved within 20 working days; no more than 70
# children per full-time IRO.
DISPUTE_WORKING_DAYS = 20
CASELOAD_GUIDELINE = 70.0
SEEN_BEFORE_WORKING_DAYS = 20

DISPUTE_IDS = ("disputes_resolved_in_20wd_pct", "disputes_open_at_end", "disputes_open_over_20wd")
FIRST_REVIEW_IDS = ("first_reviews_on_time_pct",)
CONTACT_TYPE_IDS = ("seen_before_review_pct", "midway_reviews_pct")
RESCHEDULED_IDS = ("reviews_rescheduled_pct",)
REVIEW_IDS = (*FIRST_REVIEW_IDS, *CONTACT_TYPE_IDS, *RESCHEDULED_IDS)
AGENCY_IDS = ("iro_agency_fte_pct",)
CASELOAD_STAT_IDS = ("iro_caseload_median", "iro_caseload_max", "iros_over_guideline")  # from iro_caseloads
ALLOCATION_IDS = (*CASELOAD_STAT_IDS, "iro_changes_pct")
WORKLOAD_IDS = (*AGENCY_IDS, *ALLOCATION_IDS)
# Figures about IROs (staff, not children) for the whole service, the same at every area as for the
# council: the disclosure table does not control them, as it does not control FTE or caseloads.
STAFF_IDS = (*AGENCY_IDS, *CASELOAD_STAT_IDS)
CASELOADS_MEMO_SIZE = 32  # iro_caseloads kept per (kind, periods): a trend's and the recent periods'
_CASELOADS_LOCK = threading.Lock()


def _formal_disputes(request: Request, select: bool = True) -> pl.LazyFrame:
    frame = request.ds.table("disputes").filter(pl.col("route") == "formal")
    return request.select_rows(frame) if select else frame


def disputes(request: Request) -> list[pl.LazyFrame]:
    """Formal disputes resolved within 20 working days, and those open at the period end."""
    if not request.ds.has_table("disputes"):
        return [null_measures(request, DISPUTE_IDS)]
    group = request.group
    due = working_days_after(pl.col("raised_date"), DISPUTE_WORKING_DAYS)
    resolved = (
        request.in_periods(_formal_disputes(request).filter(pl.col("resolved_date").is_not_null()), "resolved_date")
        .group_by(group)
        .agg(resolved=pl.len(), resolved_on_time=(pl.col("resolved_date") <= due).sum())
    )
    # Open at d: raised on or before d, not resolved by d (the span [raised, resolved) holds d).
    open_at_end = (
        request._at_period_ends(
            _formal_disputes(request), pl.col("raised_date"), pl.col("resolved_date").fill_null(OPEN_END)
        )
        .group_by(group)
        .agg(open=pl.len(), open_over=(due < pl.col("end")).sum())
    )
    return [
        tidy(request, resolved, [percent("disputes_resolved_in_20wd_pct", "resolved_on_time", "resolved")]),
        tidy(
            request,
            open_at_end,
            [count("disputes_open_at_end", "open"), count("disputes_open_over_20wd", "open_over")],
        ),
    ]


def review_measures(request: Request) -> list[pl.LazyFrame]:
    """First reviews on time, seen before the review, midway reviews, reviews rescheduled."""
    ds, group = request.ds, request.group
    held = request.events("reviews")
    # A first review of a period of care opened (by an S episode) in the data: one that began
    # before the data has opened_by_s false and no first review here.
    first = held.filter((pl.col("review_number") == 1) & pl.col("opened_by_s"))
    parts = [
        tidy(
            request,
            first.group_by(group).agg(first=pl.len(), first_on_time=pl.col("on_time").fill_null(False).sum()),
            [percent("first_reviews_on_time_pct", "first_on_time", "first")],
        )
    ]
    if column_recorded(ds, "iro_contacts", "type"):
        parts.extend(_contact_measures(request, held))
    else:
        parts.append(null_measures(request, CONTACT_TYPE_IDS))
    if column_recorded(ds, "reviews", "first_set_date"):
        given = held.filter(pl.col("first_set_date").is_not_null())
        moved = given.group_by(group).agg(
            with_first_set=pl.len(), rescheduled=(pl.col("first_set_date") != pl.col("review_date")).sum()
        )
        parts.append(tidy(request, moved, [percent("reviews_rescheduled_pct", "rescheduled", "with_first_set")]))
    else:
        parts.append(null_measures(request, RESCHEDULED_IDS))
    return parts


def _contact_measures(request: Request, held: pl.LazyFrame) -> list[pl.LazyFrame]:
    group = request.group
    # The child id as the contacts hold it (a loaded dataset holds both as the same categorical).
    contacts = request.ds.table("iro_contacts")
    child_type = contacts.collect_schema()["child_id"]
    reviews = held.select(
        *group, pl.col("child_id").cast(child_type), "review_date", previous_date="previous_review_date"
    ).sort("review_date")
    contacts = contacts.select(pl.col("child_id").cast(child_type), "contact_date", pl.col("type").cast(pl.String))
    window_start = pl.col("review_date").dt.add_business_days(
        -SEEN_BEFORE_WORKING_DAYS, holidays=bank_holidays(), roll="forward"
    )
    # A review has a contact in a window that ends the day before it exactly when the child's
    # latest such contact before the review day falls in the window: one as-of join per kind,
    # not every review of a child against every contact of that child.
    seen_last = _latest_contact_before(reviews, contacts.filter(pl.col("type").is_in(list(SEEN_CONTACT_TYPES))))
    both = _latest_contact_before(
        seen_last.rename({"last_contact": "last_seen"}), contacts.filter(pl.col("type") == MIDWAY_CONTACT_TYPE)
    )
    aggregate = both.group_by(group).agg(
        reviews=pl.len(),
        seen=(pl.col("last_seen") >= window_start).fill_null(False).sum(),
        following=pl.col("previous_date").is_not_null().sum(),
        midway=(pl.col("last_contact") > pl.col("previous_date")).fill_null(False).sum(),
    )
    return [
        tidy(
            request,
            aggregate,
            [
                percent("seen_before_review_pct", "seen", "reviews"),
                percent("midway_reviews_pct", "midway", "following"),
            ],
        )
    ]


def _latest_contact_before(reviews: pl.LazyFrame, contacts: pl.LazyFrame) -> pl.LazyFrame:
    """``reviews`` (sorted by review_date) with ``last_contact``: the child's latest contact
    strictly before the review day (null when none)."""
    dated = (
        contacts.filter(pl.col("child_id").is_not_null() & pl.col("contact_date").is_not_null())
        .select("child_id", last_contact=pl.col("contact_date"))
        .sort("last_contact")
    )
    return reviews.join_asof(
        dated,
        left_on="review_date",
        right_on="last_contact",
        by="child_id",
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,  # both sorted by their date above
    )


def _whole_service(request: Request, frame: pl.LazyFrame) -> pl.LazyFrame:
    """A whole-service aggregate by key, given to every area of a by-area request."""
    return request.skeleton.join(frame, on="key", how="left")


def agency(request: Request) -> list[pl.LazyFrame]:
    """Agency IRO FTE in post at each period end as a share of all FTE in post (whole service)."""
    if not column_recorded(request.ds, "iro_staffing", "fte_agency"):
        return [null_measures(request, AGENCY_IDS)]
    monthly = (
        request.ds.table("iro_staffing")
        .group_by("month_end")
        .agg(
            fte_in_post=pl.col("fte_in_post").sum(),
            fte_agency=pl.col("fte_agency").sum(),
            agency_given=pl.col("fte_agency").is_not_null().any(),
        )
        .filter(pl.col("agency_given"))
        .sort("month_end")
    )
    at_ends = (
        request.windows.lazy()
        .sort("end")
        .join_asof(monthly, left_on="end", right_on="month_end", strategy="backward")
        .filter(pl.col("month_end").is_not_null())
        .select("key", "fte_agency", "fte_in_post")
    )
    return [
        tidy(request, _whole_service(request, at_ends), [percent("iro_agency_fte_pct", "fte_agency", "fte_in_post")])
    ]


def iro_caseloads(request: Request) -> pl.LazyFrame:
    """Each IRO's caseload at each requested period end (whole service): key, iro_id, children,
    fte (null where not given) and caseload (children per FTE where given, else per head).

    Kept with the dataset per (kind, periods), whatever the areas and cohort: a page asks for it
    twice (the caseload figures and the distribution of each IRO's caseload)."""
    memo_key = (request.kind, tuple(p.key for p in request.periods))
    with _CASELOADS_LOCK:
        memo = request.ds.memo.iro_caseloads
        held = memo.get(memo_key)
        if held is not None:
            memo.move_to_end(memo_key)
            return held.lazy()
    found = _iro_caseloads(request).collect()
    with _CASELOADS_LOCK:
        memo[memo_key] = found
        while len(memo) > CASELOADS_MEMO_SIZE:
            memo.popitem(last=False)
    return found.lazy()


def _iro_caseloads(request: Request) -> pl.LazyFrame:
    allocations = request.ds.table("iro_allocations").select(
        pl.col("child_id").cast(pl.String), pl.col("iro_id").cast(pl.String), "start_date", "end_date"
    )
    open_allocations = request._at_period_ends(
        allocations, pl.col("start_date"), pl.col("end_date").fill_null(OPEN_END)
    ).select("key", "child_id", "iro_id")
    in_care = (
        request.open_at_period_ends("child_id", select=False)
        .select("key", pl.col("child_id").cast(pl.String))
        .unique()
        .with_columns(in_care=pl.lit(True))
    )
    per_iro = (
        open_allocations.join(in_care, on=["key", "child_id"], how="left")
        .group_by("key", "iro_id")
        .agg(children=pl.col("child_id").filter(pl.col("in_care").fill_null(False)).n_unique())
    )
    if request.ds.has_table("iros"):
        fte = request.ds.table("iros").select(pl.col("iro_id").cast(pl.String), pl.col("fte").cast(pl.Float64))
        per_iro = per_iro.join(fte, on="iro_id", how="left")
    else:
        per_iro = per_iro.with_columns(fte=pl.lit(None, pl.Float64))
    return per_iro.with_columns(
        caseload=pl.when(pl.col("fte") > 0)
        .then(pl.col("children") / pl.col("fte"))
        .otherwise(pl.col("children").cast(pl.Float64))
    ).sort("key", "iro_id")


def allocations(request: Request) -> list[pl.LazyFrame]:
    """IRO caseloads (median, maximum, over the guideline) and children whose IRO changed."""
    if not request.ds.has_table("iro_allocations"):
        return [null_measures(request, ALLOCATION_IDS)]
    if not request.wanted(CASELOAD_STAT_IDS):  # iro_caseloads is worked out when called: only if asked
        return [_changes(request)]
    stats = (
        iro_caseloads(request)
        .group_by("key")
        .agg(
            median=pl.col("caseload").median(),
            max=pl.col("caseload").max(),
            over=(pl.col("caseload") > CASELOAD_GUIDELINE).sum(),
            iros=pl.len(),
        )
    )
    frame = _whole_service(request, stats)
    rows = [
        frame.select(
            *request.group,
            indicator=pl.lit(indicator),
            numerator=pl.col(column).cast(pl.Float64),
            denominator=pl.lit(None, pl.Float64),
            value=pl.col(column).cast(pl.Float64),
        )
        for indicator, column in (("iro_caseload_median", "median"), ("iro_caseload_max", "max"))
        if request.wanted([indicator])
    ]
    rows.append(tidy(request, frame.with_columns(pl.col("over").fill_null(0)), [count("iros_over_guideline", "over")]))
    rows.append(_changes(request))
    return rows


def _changes(request: Request) -> pl.LazyFrame:
    group = request.group
    allocations = request.ds.table("iro_allocations").select(
        pl.col("child_id").cast(pl.String), "start_date", "end_date"
    )
    ended = request.in_periods(allocations.filter(pl.col("end_date").is_not_null()), "end_date", select=False).select(
        "key", "child_id", ended_start=pl.col("start_date")
    )
    began = request.in_periods(allocations, "start_date", select=False).select("key", "child_id", "start_date")
    changed = (
        ended.join(began, on=["key", "child_id"], how="inner")
        .filter(pl.col("ended_start") < pl.col("start_date"))
        .select("key", "child_id")
        .unique()
        .with_columns(changed=pl.lit(True))
    )
    in_care = (
        request.open_at_period_ends(*request.area_group, "child_id")
        .select(*group, pl.col("child_id").cast(pl.String))
        .unique()
    )
    aggregate = (
        in_care.join(changed, on=["key", "child_id"], how="left")
        .group_by(group)
        .agg(in_care=pl.len(), changed=pl.col("changed").fill_null(False).sum())
    )
    return tidy(request, aggregate, [Measure("iro_changes_pct", "changed", "in_care", 100.0)])
