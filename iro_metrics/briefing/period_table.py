"""One disclosure decision per period, shared by every paper, chart and download of that period.

Papers subtract: the whole council minus "every area but X" gives X, and area X's children minus
its citizen children gives its UASC children. So suppression is not decided paper by paper but
once per period over the whole table of areas x cohorts (citizen, UASC and both), with a row for
the whole council and a row for every "all areas but X":

* **Primary**: every cell below council level (an area, or all areas but one) whose count is from
  1 to the threshold is hidden. A percentage is built on two counts, the children who met it and
  those who did not; a cell of either, or of their sum, that is small is hidden.
* **Secondary**: the published cells must not give a hidden one back by any sum or difference.
  Each cell is a sum of base cells (one per area, cohort and part), so a hidden cell is exposed
  exactly when its sum lies in the span of the published sums. While one is exposed, the
  smallest published cell sharing a line with it (same measure and cohort, same measure and
  area, or same area and cohort) whose hiding protects it is hidden too.
* A count that appears in several indicators (late notifications is a count and the numerator of
  a percentage) is hidden wherever any of them hides it, and the tables are solved again until
  they agree.

A paper for any selection of areas and cohort then shows a figure only when it can be worked out
from the published cells of the table (so it tells nothing the table does not), and is not itself
a count from 1 to the threshold below council level. Whole-council figures are always shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD
from iro_metrics.dataset import Dataset
from iro_metrics.indicators.oversight import STAFF_IDS
from iro_metrics.periods import Period

SPLIT_COHORTS: tuple[str, ...] = ("citizen", "uasc")
COUNCIL = "__council__"
_TOLERANCE = 1e-7

# The parts an indicator's unit is built from, and each measure as a sum of parts.
_PARTS: dict[str, tuple[str, ...]] = {
    "count": ("value",),
    "pct": ("yes", "no"),
    "per_100": ("numerator", "denominator"),
}
_MEASURES: dict[str, dict[str, tuple[float, ...]]] = {
    "count": {"value": (1.0,)},
    "pct": {"numerator": (1.0, 0.0), "denominator": (1.0, 1.0), "complement": (0.0, 1.0)},
    "per_100": {"numerator": (1.0, 0.0), "denominator": (0.0, 1.0)},
}


@dataclass
class Family:
    """The base cells of one indicator (or breakdown): ``base[part, area, cohort]``, and each
    measure it publishes as coefficients over the parts."""

    name: str
    measures: dict[str, tuple[float, ...]]
    base: np.ndarray
    hidden: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    cells: list[tuple[str, str, str]] = field(default_factory=list)  # (measure, geography, cohort)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    basis: np.ndarray | None = None  # the published cells' span; None when nothing is hidden
    lines: list[tuple[list[int], int]] | None = None  # each line's cells and its total (see _lines)


def _row_basis(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the rows' span."""
    if matrix.size == 0:
        return np.zeros((0, matrix.shape[1] if matrix.ndim == 2 else 0))
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    return vt[singular > _TOLERANCE * max(1.0, singular.max(initial=0.0))]


def _in_span(basis: np.ndarray, vector: np.ndarray) -> bool:
    residual = vector - basis.T @ (basis @ vector) if basis.size else vector
    return bool(np.abs(residual).max(initial=0.0) < 1e-6)


class PeriodTable:
    """The period's published table of areas x cohorts; ask it whether a selection's figure is shown."""

    def __init__(self, areas: Sequence[str], cohorts: Sequence[str], threshold: int = DEFAULT_THRESHOLD):
        self.areas = tuple(areas)
        self.cohorts = tuple(cohorts)  # the base cohorts: ("citizen", "uasc"), or ("all",)
        self.threshold = threshold
        self.families: dict[str, Family] = {}
        self._geographies = self._geography_masks()

    # -- building -------------------------------------------------------------------------------
    def _geography_masks(self) -> dict[str, np.ndarray]:
        """The table's rows: the whole council and each area. "All areas but X" is the council
        minus X, so it is published exactly when X is (its own small counts hide X)."""
        n = len(self.areas)
        masks: dict[str, np.ndarray] = {COUNCIL: np.ones(n)}
        for i, area in enumerate(self.areas):
            masks[area] = np.eye(n)[i]
        return masks

    def _cohort_masks(self) -> dict[str, np.ndarray]:
        k = len(self.cohorts)
        masks = {c: np.eye(k)[i] for i, c in enumerate(self.cohorts)}
        if k > 1:
            masks["all"] = np.ones(k)
        return masks

    def vector(self, coefficients: Sequence[float], area_mask: np.ndarray, cohort_mask: np.ndarray) -> np.ndarray:
        return np.einsum("p,a,k->pak", np.asarray(coefficients, dtype=float), area_mask, cohort_mask).ravel()

    def add(self, name: str, measures: Mapping[str, tuple[float, ...]], base: np.ndarray) -> None:
        """Add a family: ``base`` has shape (parts, areas, cohorts)."""
        self.families[name] = Family(name, dict(measures), np.asarray(base, dtype=float))

    def solve(self) -> None:
        """Primary then secondary suppression of every family, repeated until counts shared by
        several families are hidden alike in all of them."""
        cohort_masks = self._cohort_masks()
        geographies = np.array(list(self._geographies.values()))
        complements = np.ones(len(self.areas)) - geographies
        cohorts = np.array(list(cohort_masks.values()))
        for family in self.families.values():
            coefficients = np.array(list(family.measures.values()))
            cells = [
                (measure, geography, cohort)
                for measure in family.measures
                for geography in self._geographies
                for cohort in cohort_masks
            ]
            size = len(cells)
            family.cells = cells
            family.vectors = np.einsum("mp,ga,kc->mgkpac", coefficients, geographies, cohorts).reshape(size, -1)
            family.values = family.vectors @ family.base.ravel()
            rest = np.einsum("mp,ga,kc->mgkpac", coefficients, complements, cohorts).reshape(size, -1)
            rest = rest @ family.base.ravel()
            below = np.array([geography != COUNCIL for _, geography, _ in cells])
            small = (family.values >= 1) & (family.values <= self.threshold)
            # "All areas but X" with a small count hides X (the council minus X would give it).
            small_rest = (rest >= 1) & (rest <= self.threshold) & (len(self.areas) > 1)
            family.hidden = below & (small | small_rest)
        self._components = self._linked_families()
        self._solved: set[int] = set()

    def _linked_families(self) -> dict[str, int]:
        """Each family's component: families that share a count (same values in every cell) are
        solved together, and only when one of them is asked about."""
        parent = {name: name for name in self.families}

        def root(name: str) -> str:
            while parent[name] != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        first_with: dict[tuple, str] = {}
        for family in self.families.values():
            for coefficients in family.measures.values():
                counts = np.tensordot(np.asarray(coefficients), family.base, axes=1)
                if not counts.any():
                    continue
                key = tuple(np.round(counts, 6).ravel())
                other = first_with.setdefault(key, family.name)
                parent[root(family.name)] = root(other)
        roots = {name: root(name) for name in self.families}
        numbers = {r: n for n, r in enumerate(dict.fromkeys(roots.values()))}
        return {name: numbers[r] for name, r in roots.items()}

    def _ensure_solved(self, name: str) -> None:
        """Secondary suppression of the family's component, repeated until shared counts agree."""
        component = self._components[name]
        if component in self._solved:
            return
        members = [f for n, f in self.families.items() if self._components[n] == component]
        for _ in range(20):
            for family in members:
                self._secondary(family)
            if not self._share_hidden_counts(members):
                break
        for family in members:
            # With nothing hidden every selection's figure is a sum of published cells.
            family.basis = _row_basis(family.vectors[~family.hidden]) if family.hidden.any() else None
        self._solved.add(component)

    def solve_all(self) -> None:
        """Solve every family now (otherwise each is solved when first asked about)."""
        for name in self.families:
            self._ensure_solved(name)

    def _share_hidden_counts(self, families: Sequence[Family]) -> bool:
        """Hide a cell of a count wherever another family hides the same count; True if any changed."""
        hidden_by_count: dict[tuple, set[tuple[str, str]]] = {}
        keys: dict[tuple[str, str], tuple] = {}
        for family in families:
            for measure, coefficients in family.measures.items():
                counts = np.tensordot(np.asarray(coefficients), family.base, axes=1)
                if not counts.any():
                    continue
                key = tuple(np.round(counts, 6).ravel())
                keys[(family.name, measure)] = key
                hidden = {
                    (g, c) for (m, g, c), h in zip(family.cells, family.hidden, strict=True) if h and m == measure
                }
                hidden_by_count.setdefault(key, set()).update(hidden)
        changed = False
        for family in families:
            for index, (measure, geography, cohort) in enumerate(family.cells):
                key = keys.get((family.name, measure))
                if key is not None and not family.hidden[index] and (geography, cohort) in hidden_by_count[key]:
                    family.hidden[index] = True
                    changed = True
        return changed

    def _lines(self, family: Family) -> list[tuple[list[int], int]]:
        """Each line of the family's table: its member cells and its total cell."""
        index = {cell: i for i, cell in enumerate(family.cells)}
        split = len(self.cohorts) > 1
        lines: list[tuple[list[int], int]] = []
        for measure in family.measures:
            for cohort in self._cohort_masks():
                members = [index[(measure, area, cohort)] for area in self.areas]
                lines.append((members, index[(measure, COUNCIL, cohort)]))
            if split:
                for geography in self._geographies:
                    members = [index[(measure, geography, cohort)] for cohort in self.cohorts]
                    lines.append((members, index[(measure, geography, "all")]))
        if set(family.measures) >= {"numerator", "complement", "denominator"}:
            for geography in self._geographies:
                for cohort in self._cohort_masks():
                    members = [index[("numerator", geography, cohort)], index[("complement", geography, cohort)]]
                    lines.append((members, index[("denominator", geography, cohort)]))
        return lines

    def _secondary(self, family: Family) -> None:
        """Hide more cells until no line has exactly one hidden cell, then check by linear algebra
        that no hidden cell is a sum or difference of published ones (hiding more if one is)."""
        if not family.hidden.any():
            return  # nothing hidden, nothing to give back
        below = np.array([g != COUNCIL for _, g, _ in family.cells])
        shared_last = np.array([m == "denominator" for m, _, _ in family.cells])
        if family.lines is None:
            family.lines = self._lines(family)
        lines = family.lines

        def smallest(pool: list[int]) -> int:
            return min(pool, key=lambda i: (bool(shared_last[i]), family.values[i] == 0, family.values[i], i))

        while True:
            changed = True
            while changed:
                changed = False
                for members, total in lines:
                    cells = [*members, total]
                    if int(family.hidden[cells].sum()) != 1:
                        continue
                    pool = [i for i in cells if below[i] and not family.hidden[i]]
                    if pool:
                        family.hidden[smallest(pool)] = True
                        changed = True
            basis = _row_basis(family.vectors[~family.hidden])
            exposed = [i for i in np.flatnonzero(family.hidden) if _in_span(basis, family.vectors[i])]
            if not exposed:
                return
            pool = [i for i in np.flatnonzero(below & ~family.hidden)]
            if not pool:
                return
            target = family.vectors[exposed[0]]
            order = sorted(pool, key=lambda i: (family.values[i] == 0, family.values[i], i))
            chosen = next(
                (i for i in order if not _in_span(_row_basis(family.vectors[~_with(family.hidden, i)]), target)),
                order[0],
            )
            family.hidden[chosen] = True

    # -- asking -----------------------------------------------------------------------------------
    def selection_vector(self, family: Family, measure: str, areas: Sequence[str] | None, cohort: str) -> np.ndarray:
        chosen = set(areas or self.areas)
        area_mask = np.array([1.0 if a in chosen else 0.0 for a in self.areas])
        cohort_mask = self._cohort_masks().get(cohort)
        if cohort_mask is None:
            cohort_mask = np.ones(len(self.cohorts))
        return self.vector(family.measures[measure], area_mask, cohort_mask)

    def is_council(self, areas: Sequence[str] | None) -> bool:
        return not areas or set(self.areas) <= set(areas)

    def measure_shown(self, name: str, measure: str, areas: Sequence[str] | None, cohort: str) -> bool:
        """Whether a selection's measure may be published: always at whole-council level; below it,
        only when the period's published cells give it and it is not itself a small count."""
        family = self.families.get(name)
        if family is None or measure not in family.measures or self.is_council(areas):
            return True
        self._ensure_solved(name)
        vector = self.selection_vector(family, measure, areas, cohort)
        value = float(vector @ family.base.ravel())
        if 1 <= value <= self.threshold:
            return False
        return family.basis is None or _in_span(family.basis, vector)

    def suppressed(self, name: str, areas: Sequence[str] | None, cohort: str) -> bool:
        """Whether the indicator's figure for the selection is withheld (any of its measures is)."""
        family = self.families.get(name)
        if family is None:
            return False
        return not all(self.measure_shown(name, m, areas, cohort) for m in family.measures)


def _with(mask: np.ndarray, index: int) -> np.ndarray:
    trial = mask.copy()
    trial[index] = True
    return trial


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


def build_period_table(
    by_cohort: Mapping[str, pl.DataFrame],
    units: Mapping[str, str],
    areas: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
) -> PeriodTable:
    """The period table from ``indicators_by_area`` frames, one per base cohort (citizen and UASC,
    or just "all" when UASC status is not recorded). ``units`` maps indicator id to unit; only
    counts, percentages and rates per 100 of children are controlled (FTE figures, caseloads and the
    other figures about IROs are staff, for the whole service)."""
    cohorts = tuple(by_cohort)
    table = PeriodTable(areas, cohorts, threshold)
    numerators = {c: _cell_array(frame, areas, "numerator") for c, frame in by_cohort.items()}
    denominators = {c: _cell_array(frame, areas, "denominator") for c, frame in by_cohort.items()}
    indicators = sorted(set().union(*(set(n) for n in numerators.values())))
    zero = np.zeros(len(areas))
    for indicator in indicators:
        unit = units.get(indicator)
        if unit not in _PARTS or indicator in STAFF_IDS:
            continue
        num = np.stack([numerators[c].get(indicator, zero) for c in cohorts], axis=-1)
        den = np.stack([denominators[c].get(indicator, zero) for c in cohorts], axis=-1)
        if unit == "count":
            base = num[None]
        elif unit == "pct":
            base = np.stack([num, den - num])
        else:
            base = np.stack([num, den])
        table.add(indicator, _MEASURES[unit], base)
    table.solve()
    return table


def dataset_areas(ds: Dataset) -> list[str]:
    """The dataset's areas, read once and kept with the dataset."""
    if ds.memo.briefing_areas is None:
        ds.memo.briefing_areas = ds.areas()
    return ds.memo.briefing_areas


def period_table(ds: Dataset, period: Period, threshold: int = DEFAULT_THRESHOLD) -> PeriodTable:
    """The period's disclosure table for the dataset (kept with the dataset: every paper, chart and
    download of the period asks the same one). Decided per period: a year and its quarters are
    not yet decided together (issue #23 item 1)."""
    from iro_metrics.catalogue import catalogue_for
    from iro_metrics.indicators import indicators_by_area
    from iro_metrics.selection import Selection

    chosen = period
    key = (chosen.label, threshold)
    if key not in ds.memo.period_tables:
        catalogue = catalogue_for(ds.path)
        cohorts = SPLIT_COHORTS if ds.records_uasc else ("all",)
        frames = {
            c: indicators_by_area(Selection(ds, chosen, (), c)).with_columns(
                numerator=pl.coalesce("numerator", "value")
            )
            for c in cohorts
        }
        ds.memo.period_tables[key] = build_period_table(
            frames, indicator_units(catalogue, frames), dataset_areas(ds), threshold
        )
    return ds.memo.period_tables[key]


def indicator_units(catalogue, frames: Mapping[str, pl.DataFrame]) -> dict[str, str]:
    """Each indicator's unit: the catalogue's, and those of indicators it names only on request
    (a dataset's own survey questions)."""
    units = {i: m.unit for i in catalogue.ids() if (m := catalogue.get(i)) is not None}
    for frame in frames.values():
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
        from iro_metrics.briefing.period_batch import period_tables

        period_tables(ds, periods, threshold)  # the missing tables in one pass of the engine
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
