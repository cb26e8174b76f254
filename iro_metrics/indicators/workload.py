"""Workload: children in care, starts and ceases, IRO staffing and caseloads."""

from __future__ import annotations

import polars as pl

from iro_metrics.codes import EPISODE_CONTINUES
from iro_metrics.indicators._engine import Request, count, null_measures, tidy

IDS = (
    "children_in_care",
    "children_starting_care",
    "children_ceasing_care",
    "iro_fte_establishment",
    "iro_fte_in_post",
    "caseload_per_establishment_fte",
    "caseload_per_fte_in_post",
)


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for every workload indicator."""
    group = request.group
    in_care = request.open_at_period_ends().group_by(group).agg(children_in_care=pl.col("child_key").n_unique())
    episodes = request.episodes().lazy()
    starts = (
        request.events("episodes")
        .filter(pl.col("reason_new_episode") == "S")
        .group_by(group)
        .agg(children_starting_care=pl.len())
    )
    ceases = (
        request.in_periods(
            episodes.filter(pl.col("end_date").is_not_null() & pl.col("reason_ceased").ne_missing(EPISODE_CONTINUES)),
            "end_date",
        )
        .group_by(group)
        .agg(children_ceasing_care=pl.len())
    )
    return [
        tidy(request, in_care, [count("children_in_care", "children_in_care")]),
        tidy(request, starts, [count("children_starting_care", "children_starting_care")]),
        tidy(request, ceases, [count("children_ceasing_care", "children_ceasing_care")]),
        *staffing_and_caseloads(request),
    ]


def whole_service_in_care(request: Request) -> pl.DataFrame:
    """Children in care across the whole service at each requested period end (key,
    whole_service_in_care); the same for every selection, so kept with the dataset."""
    cache: dict[tuple[str, int], int] = request.ds.derived.setdefault("whole_service_in_care", {})
    missing = [p for p in request.periods if (request.kind, p.key) not in cache]
    if missing:
        counts = (
            Request(request.ds, request.kind, missing)
            .open_at_period_ends(select=False)
            .group_by("key")
            .agg(pl.col("child_key").n_unique())
            .collect()
        )
        found = dict(counts.iter_rows())
        for period in missing:
            cache[(request.kind, period.key)] = found.get(period.key, 0)
    return pl.DataFrame(
        {
            "key": [p.key for p in request.periods],
            "whole_service_in_care": [cache[(request.kind, p.key)] for p in request.periods],
        },
        schema={"key": pl.Int32, "whole_service_in_care": pl.Int64},
    )


def staffing_and_caseloads(request: Request) -> list[pl.LazyFrame]:
    """FTE at each period end and whole-service caseloads (never filtered by area or cohort)."""
    ids_fte = ("iro_fte_establishment", "iro_fte_in_post")
    ids_caseload = ("caseload_per_establishment_fte", "caseload_per_fte_in_post")
    if not request.ds.has_table("iro_staffing"):
        return [null_measures(request, ids_fte + ids_caseload)]
    monthly = (
        request.ds.table("iro_staffing")
        .group_by("month_end")
        .agg(
            fte_establishment=pl.col("fte_establishment").sum(),
            fte_in_post=pl.col("fte_in_post").sum(),
        )
        .sort("month_end")
    )
    # The latest month end on or before each period end: sum over teams at that month end.
    at_ends = (
        request.windows.lazy()
        .sort("end")
        .join_asof(monthly, left_on="end", right_on="month_end", strategy="backward")
        .select("key", "fte_establishment", "fte_in_post")
    )
    whole_service = whole_service_in_care(request).lazy()
    per_key = at_ends.join(whole_service, on="key", how="left").with_columns(
        pl.col("whole_service_in_care").fill_null(0)
    )
    # Caseloads are whole-service figures: every area row carries the same value.
    frame = request.skeleton.join(per_key, on="key", how="left")
    rows = []
    for indicator, numerator, denominator in (
        ("iro_fte_establishment", pl.col("fte_establishment"), None),
        ("iro_fte_in_post", pl.col("fte_in_post"), None),
        ("caseload_per_establishment_fte", pl.col("whole_service_in_care"), pl.col("fte_establishment")),
        ("caseload_per_fte_in_post", pl.col("whole_service_in_care"), pl.col("fte_in_post")),
    ):
        numerator = numerator.cast(pl.Float64)
        if denominator is None:
            value, denominator = numerator, pl.lit(None, pl.Float64)
        else:
            denominator = denominator.cast(pl.Float64)
            value = pl.when(denominator > 0).then(numerator / denominator)
        rows.append(
            frame.select(
                *request.group,
                indicator=pl.lit(indicator),
                numerator=numerator,
                denominator=denominator,
                value=value,
            )
        )
    return rows
