"""The one selection every figure answers: a dataset, a period, the areas and the cohort.

A ``Selection`` is made and checked once, where the choice enters (the command line's
arguments, the app's sidebar), with ``Selection.of``. Everything below takes it typed and trusts
it. A bad period, area or cohort raises ``SelectionError``, the one error type for all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import polars as pl

from iro_metrics import codes
from iro_metrics.dataset import Dataset
from iro_metrics.errors import SelectionError
from iro_metrics.periods import Period, PeriodKind, parse_period, quarters_between, years_between

__all__ = ["Selection", "SelectionError", "coverage", "data_periods", "parse_cohort"]


def coverage(ds: Dataset) -> tuple[date, date]:
    """The first and last days the dataset covers: dataset.toml's first_day and last_day, else
    the first and last review dates."""
    if ds.memo.coverage is None:
        first, last = _as_date(ds.meta.get("first_day")), _as_date(ds.meta.get("last_day"))
        if first is None or last is None:
            bounds = (
                ds.table("reviews")
                .select(pl.col("review_date").min().alias("first"), pl.col("review_date").max().alias("last"))
                .collect()
            )
            first, last = bounds["first"][0], bounds["last"][0]
            if first is None:
                raise SelectionError("the dataset has no reviews, so the period it covers is unknown")
        ds.memo.coverage = (first, last)
    return ds.memo.coverage


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def data_periods(ds: Dataset, kind: PeriodKind = "quarter") -> list[Period]:
    """Every quarter (or financial year) the dataset covers, oldest first."""
    first, last = coverage(ds)
    return quarters_between(first, last) if kind == "quarter" else years_between(first, last)


def covered_period(ds: Dataset, period: Period | str) -> Period:
    """The period, read and checked against what the dataset covers (SelectionError if not)."""
    chosen = parse_period(period) if isinstance(period, str) else period
    first, last = coverage(ds)
    if chosen.end < first or chosen.start > last:
        available = data_periods(ds, chosen.kind)
        raise SelectionError(
            f"the dataset has no data for {chosen.label}: it covers {available[0].label} to {available[-1].label}"
        )
    return chosen


def parse_cohort(cohort: str) -> str:
    """A cohort code from its code or label in any case ('UASC', 'uasc', 'Citizen children')."""
    text = (cohort or "").strip().lower()
    for code, label in codes.COHORT_LABELS.items():
        if text in (code, label.lower()):
            return code
    raise SelectionError(f"unknown cohort '{cohort}': choose {', '.join(codes.COHORTS)}")


def _checked_areas(ds: Dataset, areas: Iterable[str] | None) -> tuple[str, ...]:
    chosen = tuple(sorted(dict.fromkeys(a for a in (areas or ()) if a)))
    if not chosen:
        return ()
    known = set(ds.areas())
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise SelectionError(
            f"unknown area {', '.join(repr(a) for a in unknown)}: the dataset's areas are {', '.join(sorted(known))}"
        )
    return chosen


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-").lower()


@dataclass(frozen=True, eq=False)
class Selection:
    """What the figures answer for: a dataset, a period it covers, areas (empty: the whole council) and a cohort.

    Make one with ``Selection.of``, which checks every part; the fields are then trusted.
    """

    ds: Dataset
    period: Period
    areas: tuple[str, ...] = ()
    cohort: str = "all"

    @classmethod
    def of(
        cls, ds: Dataset, period: Period | str, areas: Iterable[str] | None = None, cohort: str = "all"
    ) -> Selection:
        """A checked selection; ``SelectionError`` names a period, area or cohort the dataset cannot answer."""
        return cls(ds, covered_period(ds, period), _checked_areas(ds, areas), parse_cohort(cohort))

    # --- Derived selections (each checked where it can go wrong) ---------------------------------

    def at(self, period: Period) -> Selection:
        """The same areas and cohort in another period (SelectionError if the data does not cover it)."""
        return replace(self, period=covered_period(self.ds, period))

    def covers(self, period: Period) -> bool:
        """Whether the dataset has data for a period (a comparison period may fall before it starts)."""
        first, last = coverage(self.ds)
        return not (period.end < first or period.start > last)

    def for_cohort(self, cohort: str) -> Selection:
        """The same period and areas for another cohort (SelectionError for an unknown one)."""
        return replace(self, cohort=parse_cohort(cohort))

    def for_areas(self, areas: Iterable[str] | None) -> Selection:
        """The same period and cohort for other areas (none: the whole council; SelectionError for an unknown one)."""
        return replace(self, areas=_checked_areas(self.ds, areas))

    def whole_council(self) -> Selection:
        """The same period and cohort for every area."""
        return replace(self, areas=())

    # --- Plain values -----------------------------------------------------------------------------

    @property
    def area_list(self) -> list[str] | None:
        """The areas as a list, or None for the whole council."""
        return list(self.areas) or None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Selection):
            return NotImplemented
        return self.ds is other.ds and (self.period, self.areas, self.cohort) == (
            other.period,
            other.areas,
            other.cohort,
        )

    def __hash__(self) -> int:
        return hash((id(self.ds), self.period, self.areas, self.cohort))

    @property
    def area_text(self) -> str:
        return "all areas" if not self.areas else ", ".join(self.areas)

    @property
    def cohort_text(self) -> str:
        return codes.COHORT_LABELS.get(self.cohort, self.cohort)

    @property
    def description(self) -> str:
        """One line saying what the figures cover."""
        return f"{self.period.long_label} · {self.area_text} · {self.cohort_text}"

    @property
    def file_suffix(self) -> str:
        """A short, file-name-safe description for downloads."""
        areas = "all-areas" if not self.areas else "-".join(self.areas)
        return _slug(f"{self.period.label}_{areas}_{self.cohort}")
