"""The disclosure decision of each period, shared by every paper, chart and download of that period.

Suppression is decided once per financial year, over the year and its quarters together, by
``year_table.YearTable`` (the method is described there and in docs/briefing.md); a period's
table is its year's decision seen from that period. The tables are kept with the dataset, and a
year's are built from one pass of the indicator engine over its quarters and the year.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from iro_metrics.briefing.bands import Band
from iro_metrics.briefing.decision_store import is_kept, load_decision, save_decision
from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.briefing.year_table import Family, YearTable, relations_of
from iro_metrics.catalogue import Catalogue, catalogue_for
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import _compute, _ordered
from iro_metrics.indicators._engine import Request
from iro_metrics.indicators.oversight import STAFF_IDS
from iro_metrics.periods import Period, financial_quarter, financial_year
from iro_metrics.selection import coverage

SPLIT_COHORTS: tuple[str, ...] = ("citizen", "uasc")
# Years whose decision is held in memory with the dataset (35-45 MB each at 150 areas). A year whose
# decision is in derived/ (decision_store) is read back in about 0.1 s at that scale, so only two such
# years are held; a year solved but not written there (13-17 s to solve again) is dropped only beyond four.
YEAR_TABLES_KEPT = 2
YEAR_TABLES_KEPT_UNSAVED = 4

# The parts an indicator's unit is built from, and each measure as a sum of parts.
_MEASURES: dict[str, dict[str, tuple[float, ...]]] = {
    "count": {"value": (1.0,)},
    "pct": {"numerator": (1.0, 0.0), "denominator": (1.0, 1.0), "complement": (0.0, 1.0)},
    "per_100": {"numerator": (1.0, 0.0), "denominator": (0.0, 1.0)},
}


def _cell_array(frame: pl.DataFrame, areas: Sequence[str], column: str) -> dict[str, np.ndarray]:
    """indicator -> the column's value for each area (0 where missing)."""
    wide = frame.select("indicator", "area", pl.col(column).fill_null(0.0)).pivot(
        on="area", index="indicator", values=column
    )
    for area in areas:
        if area not in wide.columns:
            wide = wide.with_columns(pl.lit(0.0).alias(area))
    matrix = wide.select([pl.col(a).fill_null(0.0) for a in areas]).to_numpy()
    return dict(zip(wide["indicator"].to_list(), matrix, strict=True))


def _parts(unit: str, num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """An indicator's parts (see ``_MEASURES``) from its numerator and denominator cells."""
    if unit == "count":
        return num[None]
    if unit == "pct":
        return np.stack([num, den - num])
    return np.stack([num, den])


def build_year_table(
    frames: Mapping[str, Mapping[str, pl.DataFrame]],
    quarters: Sequence[str],
    year: str | None,
    units: Mapping[str, str],
    areas: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
) -> YearTable:
    """A financial year's table from ``indicators_by_area`` frames by period label then base cohort
    (citizen and UASC, or just "all" when UASC status is not recorded): the quarters covered and,
    when covered, the year. ``units`` maps indicator id to unit; only counts, percentages and rates
    per 100 of children are controlled (FTE figures, caseloads and the other figures about IROs are
    staff, for the whole service)."""
    periods = [*quarters, *([year] if year else [])]
    cohorts = tuple(frames[periods[0]])
    table = YearTable(areas, cohorts, periods, threshold)
    cells = {
        (label, column, c): _cell_array(frames[label][c], areas, column)
        for label in periods
        for c in cohorts
        for column in ("numerator", "denominator")
    }
    indicators = sorted({i for (_, column, _), by in cells.items() if column == "numerator" for i in by})
    zero = np.zeros(len(areas))
    for indicator in indicators:
        unit = units.get(indicator)
        if unit not in _MEASURES or indicator in STAFF_IDS:
            continue

        def stacked(label: str, column: str, indicator: str = indicator) -> np.ndarray:
            return np.stack([cells[(label, column, c)].get(indicator, zero) for c in cohorts], axis=-1)

        # base[part, block, area, cohort]: one block per period, the year's last.
        base = np.stack([_parts(unit, stacked(p, "numerator"), stacked(p, "denominator")) for p in periods], axis=1)
        n = len(quarters)
        relations = [relations_of(base[part, :n], base[part, n] if year else None) for part in range(base.shape[0])]
        table.add(indicator, _MEASURES[unit], base, relations)
    table.solve()
    return table


def dataset_areas(ds: Dataset) -> list[str]:
    """The dataset's areas, read once and kept with the dataset."""
    if ds.memo.briefing_areas is None:
        ds.memo.briefing_areas = ds.areas()
    return ds.memo.briefing_areas


def by_area_frames(
    ds: Dataset, periods: Sequence[Period], cohort: str, areas: Sequence[str] | None
) -> dict[str, pl.DataFrame]:
    """``indicators_by_area`` for several periods of one kind, by label, from one pass of the engine."""
    labels = {p.key: p.label for p in periods}
    request = Request(ds, periods[0].kind, list(periods), tuple(areas) if areas else None, cohort, by_area=True)
    frame = _ordered(ds, _compute(request), ["key", "area"])
    return {
        labels[key]: rows.select("area", "indicator", "value", "numerator", "denominator")
        for (key,), rows in frame.partition_by("key", as_dict=True, maintain_order=True).items()
    }


def _year_periods(ds: Dataset, fy: int) -> tuple[list[Period], Period | None]:
    """The year's quarters the dataset covers (overlaps), and the year if it does."""
    first, last = coverage(ds)

    def covered(p: Period) -> bool:
        return not (p.end < first or p.start > last)

    quarters = [q for q in (financial_quarter(fy, n) for n in range(1, 5)) if covered(q)]
    year = financial_year(fy)
    return quarters, (year if covered(year) else None)


def _empty_frame() -> pl.DataFrame:
    schema = {"area": pl.String, "indicator": pl.String, "value": pl.Float64}
    return pl.DataFrame(schema={**schema, "numerator": pl.Float64, "denominator": pl.Float64})


def year_tables(ds: Dataset, fys: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> dict[int, YearTable]:
    """The financial years' tables, the missing ones built from one pass of the engine per kind of
    period and cohort, and kept with the dataset."""
    wanted = {fy: _year_periods(ds, fy) for fy in dict.fromkeys(fys)}
    missing = {fy: w for fy, w in wanted.items() if (financial_year(fy).label, threshold) not in ds.memo.period_tables}
    for fy in list(missing):
        label = financial_year(fy).label
        kept = load_decision(ds, label, threshold, dataset_areas(ds))
        if kept is not None:  # decided before, on this data and code
            ds.memo.period_tables[(label, threshold)] = kept
            del missing[fy]
    if missing:
        cohorts = SPLIT_COHORTS if ds.records_uasc else ("all",)
        periods = [p for quarters, year in missing.values() for p in [*quarters, *([year] if year else [])]]
        frames: dict[str, dict[str, pl.DataFrame]] = {p.label: {} for p in periods}
        for kind in ("quarter", "year"):
            chosen = [p for p in periods if p.kind == kind]
            for cohort in cohorts if chosen else ():
                by_label = by_area_frames(ds, chosen, cohort, None)
                for period in chosen:
                    frame = by_label.get(period.label, _empty_frame())
                    frames[period.label][cohort] = frame.with_columns(numerator=pl.coalesce("numerator", "value"))
        catalogue = catalogue_for(ds.path)
        for fy, (quarters, year) in missing.items():
            labels = [q.label for q in quarters]
            if not labels and year is None:
                continue
            own = {label: frames[label] for label in [*labels, *([year.label] if year else [])]}
            units = indicator_units(catalogue, [f for by in own.values() for f in by.values()])
            ds.memo.period_tables[(financial_year(fy).label, threshold)] = build_year_table(
                own, labels, year.label if year else None, units, dataset_areas(ds), threshold
            )
    kept = ds.memo.period_tables
    found = {}
    for fy in wanted:
        key = (financial_year(fy).label, threshold)
        if key in kept:
            kept.move_to_end(key)
            found[fy] = kept[key]
    _drop_least_recent(kept, asked={(financial_year(fy).label, threshold) for fy in found})
    return found


def _drop_least_recent(held: OrderedDict[tuple[str, int], YearTable], asked: set[tuple[str, int]]) -> None:
    """Drop the least recently asked years beyond ``YEAR_TABLES_KEPT``, those read back cheaply from
    derived/ first, a year solved but not written there only beyond ``YEAR_TABLES_KEPT_UNSAVED``;
    never a year just asked for."""
    while len(held) > max(YEAR_TABLES_KEPT, len(asked)):
        droppable = [key for key in held if key not in asked]  # oldest first
        saved = [key for key in droppable if held[key].kept]
        if saved:
            del held[saved[0]]
        elif droppable and len(held) > max(YEAR_TABLES_KEPT_UNSAVED, len(asked)):
            del held[droppable[0]]
        else:
            return


class PeriodTable:
    """One period's view of its financial year's decision: ask whether a selection's figure is shown."""

    def __init__(self, year: YearTable, period: str):
        self.year = year
        self.period = period
        self.areas = year.areas
        self.cohorts = year.cohorts
        self.threshold = year.threshold

    @property
    def families(self) -> dict[str, Family]:
        return self.year.families

    def is_council(self, areas: Sequence[str] | None) -> bool:
        return self.year.is_council(areas)

    def solve_all(self) -> None:
        self.year.solve_all()

    def measure_shown(self, name: str, measure: str, areas: Sequence[str] | None, cohort: str) -> bool:
        """Whether the selection's measure of this period may be published (see ``YearTable``)."""
        return self.year.measure_shown(name, measure, areas, cohort, self.period)

    def suppressed(self, name: str, areas: Sequence[str] | None, cohort: str) -> bool:
        """Whether the indicator's figure for the selection is withheld in this period."""
        return self.year.suppressed(name, areas, cohort, self.period)

    def band(self, name: str, areas: Sequence[str] | None, cohort: str) -> Band | None:
        """The band the selection's hidden percentage may be stated as in this period, or None."""
        return self.year.band(name, areas, cohort, self.period)


def period_table(ds: Dataset, period: Period, threshold: int = DEFAULT_THRESHOLD) -> PeriodTable:
    """The period's disclosure table: its financial year's decision (the year and its quarters
    decided together), kept with the dataset, so every paper, chart and download asks the same one."""
    year = year_tables(ds, [period.fy], threshold).get(period.fy)
    if year is None:  # a period the dataset does not cover: nothing of it is published
        year = YearTable(dataset_areas(ds), ("all",), [], threshold)
        year.solve()
    return PeriodTable(year, period.label)


def keep_decision(ds: Dataset, period: Period, threshold: int = DEFAULT_THRESHOLD, solve: bool = True) -> bool:
    """Keep the period's year decision in ``derived/`` (``decision_store``), so that the next load of
    the dataset finds it decided; with ``solve=False`` only a year already solved whole is kept.
    True when it is kept (now or before); one kept before is not read."""
    label = financial_year(period.fy).label
    if (label, threshold) not in ds.memo.period_tables and is_kept(ds, label, threshold, dataset_areas(ds)):
        return True
    year = year_tables(ds, [period.fy], threshold).get(period.fy)
    if year is None or (not solve and not year.fully_solved):
        return False
    if year.kept:
        return True
    year.kept = save_decision(ds, financial_year(period.fy).label, year)
    return year.kept


def period_tables(ds: Dataset, periods: Sequence[Period], threshold: int = DEFAULT_THRESHOLD) -> list[PeriodTable]:
    """``period_table`` for each of the periods the dataset covers (others are left out), building
    the missing years' tables in one pass of the engine."""
    first, last = coverage(ds)
    wanted = [p for p in dict.fromkeys(periods) if not (p.end < first or p.start > last)]
    year_tables(ds, [p.fy for p in wanted], threshold)
    return [period_table(ds, p, threshold) for p in wanted]


def indicator_units(catalogue: Catalogue, frames: Sequence[pl.DataFrame]) -> dict[str, str]:
    """Each indicator's unit: the catalogue's, and those of indicators it names only on request
    (a dataset's own survey questions)."""
    units = {i: m.unit for i in catalogue.ids() if (m := catalogue.get(i)) is not None}
    for frame in frames:
        for indicator in frame["indicator"].unique().to_list():
            if indicator not in units and (meta := catalogue.get(indicator)) is not None:
                units[indicator] = meta.unit
    return units


def flag_suppressed(
    ds: Dataset,
    frame: pl.DataFrame,
    periods: Sequence[Period],
    areas: Sequence[str] | None,
    cohort: str,
    threshold: int = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Add a ``suppressed`` column to indicator rows of the selection, decided by each period's
    table; ``frame`` has an ``indicator`` column and, for several periods, a ``period`` (label)
    column. Whole-council selections are never suppressed."""
    if not areas or set(dataset_areas(ds)) <= set(areas):
        return frame.with_columns(suppressed=pl.lit(False))
    if len(periods) > 1:
        period_tables(ds, periods, threshold)  # the missing years' tables in one pass of the engine
    rows: dict[str, list] = {"period": [], "indicator": [], "suppressed": []}
    indicators = frame["indicator"].unique().to_list()
    for chosen in periods:
        table = period_table(ds, chosen, threshold)
        for indicator in indicators:
            rows["period"].append(chosen.label)
            rows["indicator"].append(indicator)
            rows["suppressed"].append(table.suppressed(indicator, areas, cohort))
    flags = pl.DataFrame(rows, schema={"period": pl.String, "indicator": pl.String, "suppressed": pl.Boolean})
    if "period" in frame.columns:
        return frame.join(flags, on=["period", "indicator"], how="left", maintain_order="left").with_columns(
            pl.col("suppressed").fill_null(False)
        )
    only = flags.filter(pl.col("period") == periods[0].label).drop("period")
    return frame.join(only, on="indicator", how="left", maintain_order="left").with_columns(
        pl.col("suppressed").fill_null(False)
    )
