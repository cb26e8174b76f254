"""Every indicator in spec/indicators.md, for any period, set of areas and cohort.

``compute_indicators`` answers one selection; ``indicator_trend`` gives the same figures for every
quarter (or year) the data covers; ``indicators_by_area`` breaks a period down by area and
``area_ranges`` gives the lowest and highest area (the "range" the Kent reports quote). All return
tidy frames: ``indicator, value, numerator, denominator`` with unrounded values.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import polars as pl

from iro_metrics.dataset import Dataset
from iro_metrics.indicator_registry import THEMES
from iro_metrics.indicators._engine import Request, as_text
from iro_metrics.indicators.breakdowns import (
    children_in_care_by,
    disputes_by_category_level,
    iro_caseload_distribution,
    iro_caseload_table,
    open_disputes_by_age_level,
    participation_mix,
    qa_grade_mix,
)
from iro_metrics.indicators.themes import all_ids, find_indicator_id, theme_modules
from iro_metrics.periods import PeriodKind
from iro_metrics.selection import Selection, data_periods

__all__ = [
    "area_ranges",
    "children_in_care_by",
    "compute_indicators",
    "disputes_by_category_level",
    "indicator_ids",
    "indicator_trend",
    "indicators_by_area",
    "iro_caseload_distribution",
    "iro_caseload_table",
    "open_disputes_by_age_level",
    "participation_mix",
    "qa_grade_mix",
]

_MODULES = theme_modules()

# The indicator sets of the most recent selections, kept with the dataset: a scorecard asks for
# the previous period and the same period last year, which earlier selections often computed.
# Frames are never changed in place, so sharing them is safe. A trend keeps a set per period: a
# national dataset's quarters and years for three cohorts of one choice of areas are 90 sets, so
# 512 (a few kB each) keeps several choices of areas without working a period's figures out again.
MEMO_SIZE = 512
RESULT_SCHEMA = {"indicator": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64}
BY_AREA_MEMO_SIZE = 16  # by-area sets are larger (a set per area): fewer kept
_MEMO_LOCK = threading.Lock()


def indicator_ids(ds: Dataset) -> list[str]:
    """Every indicator id this dataset gives, in spec order (the registry's ``all_ids``)."""
    return all_ids(ds)


def _compute(request: Request) -> pl.DataFrame:
    modules = _MODULES
    if request.indicators is not None:  # only the themes of the indicators wanted
        themes = {found.theme for i in request.indicators if (found := find_indicator_id(i)) is not None}
        modules = tuple(m for theme, m in zip(THEMES, _MODULES, strict=True) if theme in themes)
    parts = [part for module in modules for part in module.compute(request)]
    if not parts:
        return as_text(request.nothing().collect())
    # Some twenty small plans over in-memory tables: the in-memory engine has less to set up per
    # plan than the streaming one (about 6% faster for one selection at national scale).
    frame = as_text(pl.concat(pl.collect_all(parts, engine="in-memory"), how="vertical_relaxed"))
    if request.cohort != "all" and not request.ds.records_uasc:
        # Without the UASC table the UASC and citizen cohorts are not recorded: no value, not 0.
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias(c) for c in ("value", "numerator", "denominator"))
    return frame


def _ordered(ds: Dataset, frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    order = pl.DataFrame({"indicator": indicator_ids(ds)}, schema={"indicator": pl.String}).with_row_index("_order")
    return frame.join(order, on="indicator", how="inner").sort([*by, "_order"]).drop("_order")


def compute_indicators(selection: Selection, indicators: Sequence[str] | None = None) -> pl.DataFrame:
    """Every indicator (or only those named) for one selection (its period, areas and cohort).

    Columns: indicator, value, numerator, denominator, in spec order. Value is null where there is
    none (a zero denominator, or data the dataset does not record). Named indicators are worked
    out exactly as in the full set, and only they are (kept per selection, so that a page asking
    for its own indicators in several periods computes each once).
    """
    ds, chosen = selection.ds, selection.period
    chosen_areas, chosen_cohort = selection.areas or None, selection.cohort
    memo_key = (chosen.label, chosen_areas, chosen_cohort)
    with _MEMO_LOCK:
        memo = _memo(ds)
        if memo_key in memo:
            memo.move_to_end(memo_key)
            full = memo[memo_key]
            return full if indicators is None else full.filter(pl.col("indicator").is_in(list(indicators)))
    if indicators is None:
        request = Request.of(selection)
        frame = _ordered(ds, _compute(request), []).select("indicator", "value", "numerator", "denominator")
        _remember(ds, {memo_key: frame})
        return frame
    given = set(indicator_ids(ds))
    wanted = [i for i in dict.fromkeys(indicators) if i in given]
    with _MEMO_LOCK:
        parts = ds.memo.indicator_parts
        done, held = parts.get(memo_key, (frozenset(), None))
        if memo_key in parts:
            parts.move_to_end(memo_key)
    missing = [i for i in wanted if i not in done]
    if missing:
        request = Request.of(selection)
        request.indicators = frozenset(missing)
        found = _compute(request).filter(pl.col("indicator").is_in(missing))
        found = found.select("indicator", "value", "numerator", "denominator")
        held = found if held is None else pl.concat([held, found])
        _remember_parts(ds, {memo_key: (done | frozenset(missing), _ordered(ds, held, []))})
        held = _ordered(ds, held, [])
    if held is None:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    return held.filter(pl.col("indicator").is_in(wanted))


def _remember_parts(ds: Dataset, parts: dict[tuple, tuple[frozenset[str], pl.DataFrame]]) -> None:
    """Keep the indicators worked out for selections (by memo key), adding to what each holds."""
    with _MEMO_LOCK:
        memo = ds.memo.indicator_parts
        for key, (done, frame) in parts.items():
            held = memo.get(key)
            if held is not None and not done <= held[0]:  # both hold some: keep the union
                extra = frame.filter(~pl.col("indicator").is_in(list(held[0])))
                frame = _ordered(ds, pl.concat([held[1], extra]), [])
                done = done | held[0]
            elif held is not None:
                continue
            memo[key] = (done, frame)
            memo.move_to_end(key)
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)


def _memo(ds: Dataset) -> OrderedDict:
    """The dataset's most recent indicator sets, by (period label, areas, cohort); oldest first."""
    return ds.memo.indicator_sets


def _remember(ds: Dataset, frames: dict[tuple, pl.DataFrame]) -> None:
    """Add indicator sets to the memo (keeping one already there) and forget the oldest beyond MEMO_SIZE."""
    with _MEMO_LOCK:
        memo = _memo(ds)
        for key, frame in frames.items():
            memo.setdefault(key, frame)
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)


def indicator_trend(
    selection: Selection, kind: PeriodKind | None = None, indicators: Sequence[str] | None = None
) -> pl.DataFrame:
    """Every indicator (or those named) for the selection's areas and cohort, for every quarter or
    year the data covers (``kind``; by default the kind of the selection's period).

    Columns: period (label), period_start, indicator, value, numerator, denominator; sorted by
    period then catalogue order. Only the indicators named are worked out (the same figures as in
    the full trend, far sooner); a full trend keeps each period's set for ``compute_indicators``.
    """
    ds = selection.ds
    periods = data_periods(ds, kind or selection.period.kind)
    chosen_areas, chosen_cohort = selection.areas or None, selection.cohort
    wanted = None if indicators is None else frozenset(indicators)
    request = Request(ds, kind or selection.period.kind, periods, chosen_areas, chosen_cohort, indicators=wanted)
    frame = _compute(request)
    labels = pl.DataFrame(
        {
            "key": [p.key for p in periods],
            "period": [p.label for p in periods],
            "period_start": [p.start for p in periods],
        },
        schema={"key": pl.Int32, "period": pl.String, "period_start": pl.Date},
    )
    frame = frame.join(labels, on="key", how="inner")
    frame = _ordered(ds, frame, ["period_start"])
    if wanted is None:
        _remember_periods(ds, frame, chosen_areas, chosen_cohort)
    else:
        frame = frame.filter(pl.col("indicator").is_in(list(wanted)))
        # Each period's rows are that period's named indicators (compute_indicators(..., indicators)).
        done = frozenset(wanted) & frozenset(indicator_ids(ds))
        by_period = frame.partition_by("period", as_dict=True, maintain_order=True)
        _remember_parts(
            ds,
            {
                (label, chosen_areas, chosen_cohort): (
                    done,
                    rows.select("indicator", "value", "numerator", "denominator"),
                )
                for (label,), rows in by_period.items()
            },
        )
    return frame.select("period", "period_start", "indicator", "value", "numerator", "denominator")


def _remember_periods(ds: Dataset, trend: pl.DataFrame, areas: tuple[str, ...] | None, cohort: str) -> None:
    """Keep each period of a full trend as that period's indicator set (the same frame
    ``compute_indicators`` gives), so a page that shows a trend and judges the period against
    the previous one and last year computes nothing more."""
    by_period = trend.partition_by("period", as_dict=True, maintain_order=True)
    _remember(
        ds,
        {
            (label, areas, cohort): rows.select("indicator", "value", "numerator", "denominator")
            for (label,), rows in by_period.items()
        },
    )


def indicators_by_area(selection: Selection, indicators: Sequence[str] | None = None) -> pl.DataFrame:
    """Every indicator (or only those named) for each area (the selection's areas, or every area)
    in its period and cohort.

    Columns: area, indicator, value, numerator, denominator; sorted by area then catalogue order.
    Caseloads are whole-service figures, so every area carries the council's caseload. Named
    indicators are worked out exactly as in the full set, and only they are.
    """
    ds = selection.ds
    whole_key = (selection.period.label, selection.areas or None, selection.cohort)
    wanted = None if indicators is None else frozenset(indicators) & frozenset(indicator_ids(ds))
    keys = [whole_key] if wanted is None else [whole_key, (*whole_key, wanted)]
    with _MEMO_LOCK:
        memo = ds.memo.by_area_sets
        for key in keys:
            if key in memo:
                memo.move_to_end(key)
                held = memo[key]
                return held if wanted is None else held.filter(pl.col("indicator").is_in(list(wanted)))
    request = Request.of(selection, by_area=True)
    if wanted is not None:
        request.indicators = wanted
    frame = _ordered(ds, _compute(request), ["area"]).select("area", "indicator", "value", "numerator", "denominator")
    if wanted is not None:
        frame = frame.filter(pl.col("indicator").is_in(list(wanted)))
    with _MEMO_LOCK:
        memo.setdefault(keys[-1], frame)
        while len(memo) > BY_AREA_MEMO_SIZE:
            memo.popitem(last=False)
    return frame


def area_ranges(selection: Selection, indicators: Sequence[str] | None = None) -> pl.DataFrame:
    """The lowest and highest value across areas for each indicator (or those named; areas with a
    value only).

    Columns: indicator, range_min, range_max, min_area, max_area, areas_with_value.
    """
    ds = selection.ds
    by_area = indicators_by_area(selection, indicators).filter(pl.col("value").is_not_null())
    ranked = by_area.sort(["indicator", "value", "area"])
    summary = ranked.group_by("indicator").agg(
        range_min=pl.col("value").first(),
        range_max=pl.col("value").last(),
        min_area=pl.col("area").first(),
        # The highest value; among equal highest values, the first area alphabetically.
        max_area=pl.col("area").filter(pl.col("value") == pl.col("value").max()).first(),
        areas_with_value=pl.len(),
    )
    return _ordered(ds, summary, [])
