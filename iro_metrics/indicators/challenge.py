"""Social work practice and IRO challenge: late notifications and disputes."""

from __future__ import annotations

import polars as pl

from iro_metrics.indicators import oversight
from iro_metrics.indicators._engine import Measure, Request, count, null_measures, percent, tidy
from iro_metrics.indicators.columns import column_recorded

LATE_NOTIFICATION_IDS = ("late_notifications", "late_notifications_pct")
DISPUTE_IDS = (
    "disputes_formal",
    "disputes_informal",
    "disputes_formal_per_100_reviews",
    "disputes_informal_per_100_reviews",
    "disputes_resolved_at_level_1_pct",
)
IDS = (*LATE_NOTIFICATION_IDS, *DISPUTE_IDS, *oversight.DISPUTE_IDS)
# The optional sources (a table, or a table's column as 'table.column') some of IDS need: without
# the source those figures are not recorded, never zero (recorded.py says why and what to import).
SOURCES: dict[str, tuple[str, ...]] = {
    "episodes.iro_notified_date": LATE_NOTIFICATION_IDS,
    "disputes": (*DISPUTE_IDS, *oversight.DISPUTE_IDS),
}


def compute(request: Request) -> list[pl.LazyFrame]:
    """Tidy rows for every challenge indicator."""
    ds, group = request.ds, request.group
    parts: list[pl.LazyFrame] = []
    if column_recorded(ds, "episodes", "iro_notified_date"):
        entries = (
            request.events("episodes")
            .filter(pl.col("reason_new_episode") == "S")
            .group_by(group)
            .agg(late=pl.col("late_notification").sum(), entries=pl.len())
        )
        parts.append(
            tidy(
                request,
                entries,
                [count("late_notifications", "late"), percent("late_notifications_pct", "late", "entries")],
            )
        )
    else:
        parts.append(null_measures(request, LATE_NOTIFICATION_IDS))
    if ds.has_table("disputes"):
        route = pl.col("route")
        disputes = (
            request.events("disputes")
            .group_by(group)
            .agg(
                formal=(route == "formal").sum(),
                informal=(route == "informal").sum(),
                formal_level_1=((route == "formal") & (pl.col("highest_level") == 1)).sum(),
            )
        )
        reviews = request.events("reviews").group_by(group).agg(reviews=pl.len())
        combined = request.skeleton.join(disputes, on=group, how="left").join(reviews, on=group, how="left")
        parts.append(
            tidy(
                request,
                combined,
                [
                    count("disputes_formal", "formal"),
                    count("disputes_informal", "informal"),
                    Measure("disputes_formal_per_100_reviews", "formal", "reviews", 100.0),
                    Measure("disputes_informal_per_100_reviews", "informal", "reviews", 100.0),
                    percent("disputes_resolved_at_level_1_pct", "formal_level_1", "formal"),
                ],
            )
        )
    else:
        parts.append(null_measures(request, DISPUTE_IDS))
    parts.extend(oversight.disputes(request))
    return parts
