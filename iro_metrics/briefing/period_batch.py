"""Disclosure tables for several periods at once (the trend, the year so far, the comparisons).

``period_table`` builds one period's table from ``indicators_by_area`` for each base cohort; a paper
below council level needs a dozen periods' tables, so the missing ones are built from one pass of
the indicator engine over all of them (the same rows as one call per period, so the same tables).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.briefing.period_table import (
    SPLIT_COHORTS,
    PeriodTable,
    build_period_table,
    dataset_areas,
    indicator_units,
    period_table,
)
from iro_metrics.dataset import Dataset
from iro_metrics.periods import Period


def by_area_frames(
    ds: Dataset, periods: Sequence[Period], cohort: str, areas: Sequence[str] | None
) -> dict[str, pl.DataFrame]:
    """``indicators_by_area`` for several periods of one kind, by label,
    from one pass of the indicator engine."""
    from iro_metrics.indicators import _compute, _ordered
    from iro_metrics.indicators._engine import Request

    labels = {p.key: p.label for p in periods}
    request = Request(ds, periods[0].kind, list(periods), tuple(areas) if areas else None, cohort, by_area=True)
    frame = _ordered(ds, _compute(request), ["key", "area"])
    return {
        labels[key]: rows.select("area", "indicator", "value", "numerator", "denominator")
        for (key,), rows in frame.partition_by("key", as_dict=True, maintain_order=True).items()
    }


def _by_area_frames(ds: Dataset, periods: Sequence[Period]) -> dict[str, dict[str, pl.DataFrame]]:
    """Each period's ``indicators_by_area`` frame for each base cohort (citizen and UASC, or "all"
    without UASC status), by label then cohort."""
    cohorts = SPLIT_COHORTS if ds.records_uasc else ("all",)
    out: dict[str, dict[str, pl.DataFrame]] = {p.label: {} for p in periods}
    for kind in dict.fromkeys(p.kind for p in periods):
        chosen = [p for p in periods if p.kind == kind]
        for cohort in cohorts:
            for label, frame in by_area_frames(ds, chosen, cohort, None).items():
                out[label][cohort] = frame
    return out


def period_tables(ds: Dataset, periods: Sequence[Period], threshold: int = DEFAULT_THRESHOLD) -> list[PeriodTable]:
    """``period_table`` for each of the periods the dataset covers (others are left out), building
    the missing ones from one pass of the indicator engine."""
    from iro_metrics.catalogue import catalogue_for
    from iro_metrics.selection import coverage

    first, last = coverage(ds)
    wanted = [p for p in dict.fromkeys(periods) if not (p.end < first or p.start > last)]
    missing = [p for p in wanted if (p.label, threshold) not in ds.memo.period_tables]
    if len(missing) > 1:
        catalogue = catalogue_for(ds.path)
        for period, by_cohort in _by_area_frames(ds, missing).items():
            frames = {c: f.with_columns(numerator=pl.coalesce("numerator", "value")) for c, f in by_cohort.items()}
            ds.memo.period_tables[(period, threshold)] = build_period_table(
                frames, indicator_units(catalogue, frames), dataset_areas(ds), threshold
            )
    return [period_table(ds, p, threshold) for p in wanted]
