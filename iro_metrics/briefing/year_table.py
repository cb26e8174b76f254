"""One disclosure decision per financial year: the year and its quarters decided together.

Papers subtract. The whole council minus "every area but X" gives X; area X's children minus its
citizen children gives its UASC children; and a year minus three of its quarters gives the fourth,
because a flow count over the year is the sum of its quarters' counts, and a stock at the year end
is Q4's. So suppression is decided once per financial year over one table: areas x cohorts
(citizen, UASC and both) x periods (each quarter and the year), with a row for the whole council:

* **Base cells.** Each indicator is built on parts (a count; a percentage's children who met it
  and who did not; a rate's numerator and denominator), one base cell per part, quarter, area and
  base cohort. A part's year figure is the sum of its quarters' cells when that holds in every
  cell of the data (a **flow**), Q4's cell when that holds (a **stock**), else cells of its own.
  The relation is read from the figures, so a count that happens to add up is treated as adding up.
* **Primary**: every cell below council level (an area, or all areas but one) whose count is from
  1 to the threshold is hidden; a percentage is hidden when either part, or their sum, is.
* **Secondary**: the published cells must not give a hidden one back by any sum or difference. A
  hidden cell is exposed exactly when its vector over the base cells lies in the span of the
  published cells' vectors; the check is worked area by area (``spans``), so it costs the same
  for 7 areas or 150. While one is exposed, a published cell of its area whose hiding takes it out
  of the span is hidden too (the smallest; else one its recovery uses; else, when only the other
  areas give it back, the smallest cell of another area whose hiding does).
* A count that appears in several indicators (late notifications is a count and the numerator of
  a percentage) is hidden wherever any of them hides it, and the tables are solved again until
  they agree.

A paper for any period of the year, selection of areas and cohort then shows a figure only when it
can be worked out from the published cells (so it tells nothing the table does not), and is not
itself a count from 1 to the threshold below council level. Whole-council figures are always shown.
The year so far (Q1 to Q3 summed) is printed only when each of its quarters is published, so it is a
sum of published cells too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from iro_metrics.briefing.bands import Band, BandCandidate, BandDecisions, IntervalSolver, decide_bands
from iro_metrics.briefing.protection import LineIndex, exposed_cells, hide_on_lines, protector
from iro_metrics.briefing.spans import AreaSpans, add, contains

COUNCIL = "__council__"

Relation = str  # "flow" (year = sum of quarters), "stock" (year = Q4) or "own" (cells of its own)


@dataclass
class Family:
    """The base cells of one indicator: ``base[part, block, area, cohort]`` (a block per quarter,
    then one for the year's own cells), how each period's figure of a part is made of blocks
    (``weights[part, period, block]``), and each measure it publishes as coefficients over the parts.

    Its cells are (measure, period, geography, cohort), the council first among geographies; a
    cell's vector over the base cells is its ``local`` vector (over part, block and base cohort)
    at its area, or at every area for the council."""

    name: str
    measures: dict[str, tuple[float, ...]]
    base: np.ndarray
    weights: np.ndarray
    relations: tuple[Relation, ...]
    hidden: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    axes: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())  # periods, geographies, cohorts
    values: np.ndarray = field(default_factory=lambda: np.zeros(0))
    local: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0, 0)))  # [measure, period, cohort, x]
    geographies: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # [geography, area]
    spans: AreaSpans | None = None  # the published spans once solved; None when nothing is hidden
    lines: LineIndex | None = None  # each line's cells and its total (see _lines)
    _vectors: np.ndarray | None = None
    _by_area: np.ndarray | None = None  # base cells as [area, part x block x cohort], made when first asked
    _selection_spaces: dict[frozenset[int], np.ndarray] = field(default_factory=dict)

    @property
    def cells(self) -> list[tuple[str, str, str, str]]:
        """Every cell as (measure, period, geography, cohort), in the order of ``hidden`` and ``values``
        (made when asked, so a solved table keeps only its flags)."""
        periods, geographies, cohorts = self.axes
        return list(itertools.product(self.measures, periods, geographies, cohorts))

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """The cells' shape: measures, periods, geographies, cohorts."""
        m, t, c, _ = self.local.shape
        return m, t, self.geographies.shape[0], c

    @property
    def vectors(self) -> np.ndarray:
        """Every cell's vector over the base cells (part, block, area, cohort), built when first
        asked (by the band solver and by tests); the decision itself never needs it."""
        if self._vectors is None:
            p, b, _, k = self.base.shape
            local = self.local.reshape(*self.local.shape[:3], p, b, k)
            self._vectors = np.einsum("mtcpbk,ga->mtgcpbak", local, self.geographies).reshape(self.hidden.shape[0], -1)
        return self._vectors


def relations_of(quarters: np.ndarray, year: np.ndarray | None) -> Relation:
    """How a part's year cells relate to its quarters' (``quarters[q, ...]``, ``year[...]``): the
    quarters the dataset covers, so a year the data covers in part is the sum of those quarters."""
    if year is None or quarters.shape[0] == 0:
        return "own"
    if np.allclose(year, quarters.sum(axis=0), atol=1e-6):
        return "flow"
    if np.allclose(year, quarters[-1], atol=1e-6):
        return "stock"
    return "own"


def period_weights(relations: Sequence[Relation], quarters: int, has_year: bool) -> np.ndarray:
    """``weights[part, period, block]``: a quarter is its own block; the year is the sum of the
    quarter blocks (flow), the last covered quarter's block (stock) or its own block."""
    blocks = quarters + (1 if has_year else 0)
    periods = blocks
    weights = np.zeros((len(relations), periods, blocks))
    for p, relation in enumerate(relations):
        weights[p, :quarters, :quarters] = np.eye(quarters)
        if has_year:
            if relation == "flow":
                weights[p, quarters, :quarters] = 1.0
            elif relation == "stock":
                weights[p, quarters, quarters - 1] = 1.0
            else:
                weights[p, quarters, quarters] = 1.0
    return weights


class YearTable:
    """A financial year's published table of periods x areas x cohorts."""

    def __init__(self, areas: Sequence[str], cohorts: Sequence[str], periods: Sequence[str], threshold: int):
        self.areas = tuple(areas)
        self.cohorts = tuple(cohorts)  # the base cohorts: ("citizen", "uasc"), or ("all",)
        self.periods = tuple(periods)  # the quarters covered, then the year when it is covered
        self.threshold = threshold
        self.families: dict[str, Family] = {}
        n = len(self.areas)
        self._area_index = {area: i for i, area in enumerate(self.areas)}
        self._geographies: dict[str, np.ndarray] = {COUNCIL: np.ones(n)}
        for i, area in enumerate(self.areas):
            self._geographies[area] = np.eye(n)[i]
        k = len(self.cohorts)
        self._cohorts = {c: np.eye(k)[i] for i, c in enumerate(self.cohorts)}
        if k > 1:
            self._cohorts["all"] = np.ones(k)
        self._components: dict[str, int] = {}
        self._solved: set[int] = set()
        self._bands: dict[str, BandDecisions] = {}
        self._keys: dict[str, dict[str, bytes]] = {}
        self.kept = False  # whether its decision is in the dataset's derived/ folder (decision_store)

    def add(self, name: str, measures: Mapping[str, tuple[float, ...]], base: np.ndarray, relations: Sequence[str]):
        """Add an indicator: ``base[part, block, area, cohort]``, each part's year relation."""
        quarters = len(self.periods) - (1 if self._has_year() else 0)
        weights = period_weights(relations, quarters, self._has_year())
        self.families[name] = Family(name, dict(measures), np.asarray(base, dtype=float), weights, tuple(relations))
        self._keys.pop(name, None)

    def _has_year(self) -> bool:
        return bool(self.periods) and "-Q" not in self.periods[-1]

    # -- solving ----------------------------------------------------------------------------------
    def solve(self) -> None:
        """Primary suppression of every family; secondary is done per linked group when first asked."""
        geographies = np.array(list(self._geographies.values()))
        cohorts = np.array(list(self._cohorts.values()))
        for family in self.families.values():
            coefficients = np.array(list(family.measures.values()))
            family.axes = (self.periods, tuple(self._geographies), tuple(self._cohorts))
            local = np.einsum("mp,ptb,ck->mtcpbk", coefficients, family.weights, cohorts)
            family.local = local.reshape(*local.shape[:3], -1)
            family.geographies = geographies
            by_area = np.moveaxis(family.base, 2, 0).reshape(len(self.areas), -1)  # [area, x]
            at = np.vstack([by_area.sum(axis=0), by_area])  # [geography, x]: the council, then each area
            values = np.einsum("mtcx,gx->mtgc", family.local, at)
            family.values = values.ravel()
            # "All areas but X" with a small count hides X (the council minus X would give it).
            rest = values[:, :, :1, :] - values
            rest[:, :, 0, :] = 0.0
            below = np.ones(values.shape, dtype=bool)
            below[:, :, 0, :] = False
            small = (values >= 1) & (values <= self.threshold)
            small_rest = (rest >= 1) & (rest <= self.threshold) & (len(self.areas) > 1)
            family.hidden = (below & (small | small_rest)).ravel()
        self._components = self._linked_families()
        self._solved = set()

    def _count_keys(self, family: Family) -> dict[str, bytes]:
        """Each measure's counts over every block, area and cohort, as a key: the same count under
        two names has the same key."""
        kept = self._keys.get(family.name)
        if kept is not None:
            return kept
        keys = {}
        for measure, coefficients in family.measures.items():
            counts = np.tensordot(np.asarray(coefficients), family.base, axes=1)
            if counts.any():
                keys[measure] = (np.round(counts, 6) + 0.0).tobytes()  # + 0.0: -0.0 and 0.0 alike
        self._keys[family.name] = keys
        return keys

    def _linked_families(self) -> dict[str, int]:
        """Each family's component: families that share a count are solved together."""
        parent = {name: name for name in self.families}

        def root(name: str) -> str:
            while parent[name] != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        first_with: dict[bytes, str] = {}
        for family in self.families.values():
            for key in self._count_keys(family).values():
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
            family.spans = AreaSpans(family.local, family.hidden.reshape(family.shape)) if family.hidden.any() else None
            family._selection_spaces.clear()
            family.lines = None  # only the solve reads the lines
        self._solved.add(component)

    def solve_all(self) -> None:
        """Solve every family now (otherwise each is solved when first asked about)."""
        for name in self.families:
            self._ensure_solved(name)

    @property
    def fully_solved(self) -> bool:
        return set(self._components.values()) <= self._solved

    def adopt(self, flags: Mapping[str, np.ndarray]) -> None:
        """Take every family's hidden flags from an earlier solve of this same table (see
        ``decision_store``) instead of solving again. Raises ValueError if they cannot be its decision."""
        self.solve()  # lays the cells out; the primary flags are then replaced by the kept ones
        if set(flags) != set(self.families):
            raise ValueError("the kept decision names other indicators")
        for name, family in self.families.items():
            kept = np.asarray(flags[name], dtype=bool)
            if kept.shape != family.hidden.shape or (family.hidden & ~kept).any():
                raise ValueError(f"the kept decision does not fit {name}")
            family.hidden = kept.copy()
            family.spans = AreaSpans(family.local, family.hidden.reshape(family.shape)) if kept.any() else None
        self._solved = set(self._components.values())

    def _share_hidden_counts(self, families: Sequence[Family]) -> bool:
        """Hide a cell of a count wherever another family hides the same count; True if any changed."""
        hidden_by_count: dict[bytes, np.ndarray] = {}  # over (period, geography, cohort)
        places: list[tuple[bytes, np.ndarray]] = []
        for family in families:
            flags = family.hidden.reshape(family.shape)
            measures = list(family.measures)
            for measure, key in self._count_keys(family).items():
                flags_of_measure = flags[measures.index(measure)]  # a view into the family's flags
                places.append((key, flags_of_measure))
                seen = hidden_by_count.get(key)
                hidden_by_count[key] = flags_of_measure.copy() if seen is None else seen | flags_of_measure
        changed = False
        for key, flags_of_measure in places:
            new = hidden_by_count[key] & ~flags_of_measure
            if new.any():
                flags_of_measure |= new
                changed = True
        return changed

    def _lines(self, family: Family) -> list[tuple[list[int], int]]:
        """Each line of the family's table: its member cells and its total cell (areas to the
        council, cohorts to both, the two parts of a percentage to its base, quarters to the year)."""
        index = {cell: i for i, cell in enumerate(family.cells)}
        split = len(self.cohorts) > 1
        lines: list[tuple[list[int], int]] = []
        for measure in family.measures:
            for period in self.periods:
                for cohort in self._cohorts:
                    members = [index[(measure, period, area, cohort)] for area in self.areas]
                    lines.append((members, index[(measure, period, COUNCIL, cohort)]))
                if split:
                    for geography in self._geographies:
                        members = [index[(measure, period, geography, cohort)] for cohort in self.cohorts]
                        lines.append((members, index[(measure, period, geography, "all")]))
        if set(family.measures) >= {"numerator", "complement", "denominator"}:
            for period in self.periods:
                for geography in self._geographies:
                    for cohort in self._cohorts:
                        members = [index[(m, period, geography, cohort)] for m in ("numerator", "complement")]
                        lines.append((members, index[("denominator", period, geography, cohort)]))
        if self._has_year():
            year, quarters = self.periods[-1], self.periods[:-1]
            for measure, coefficients in family.measures.items():
                used = {family.relations[p] for p, c in enumerate(coefficients) if c}
                if used == {"flow"}:
                    parts = list(quarters)
                elif used == {"stock"}:
                    parts = [quarters[-1]]
                else:
                    continue
                for geography in self._geographies:
                    for cohort in self._cohorts:
                        members = [index[(measure, q, geography, cohort)] for q in parts]
                        lines.append((members, index[(measure, year, geography, cohort)]))
        return lines

    def _secondary(self, family: Family) -> None:
        """Hide more cells until no line has exactly one hidden cell, then until no hidden cell is a
        sum or difference of published ones (by linear algebra over the base cells, area by area)."""
        if not family.hidden.any():
            return  # nothing hidden, nothing to give back
        cells = family.cells
        below = np.array([g != COUNCIL for _, _, g, _ in cells])
        shared_last = np.array([m == "denominator" for m, _, _, _ in cells])
        if family.lines is None:
            family.lines = LineIndex(self._lines(family), len(cells))
        spans = AreaSpans(family.local, family.hidden.reshape(family.shape))
        unprotectable: set[int] = set()  # given back by whole-council figures alone
        while True:
            hide_on_lines(family.lines, family.hidden, family.values, below, shared_last)
            others = spans.others()
            exposed = [i for i in exposed_cells(spans, others) if i not in unprotectable]
            if not exposed:
                return
            # Protect each in turn against the spans found above: hiding only shrinks them, so a
            # cell out of its area's span and those is out of the true one; the loop then checks.
            for target in exposed:
                m, t, g, c = np.unravel_index(target, family.shape)
                vector = family.local[m, t, c]
                if not contains(add(spans.area(g - 1), others[g - 1]), vector[None])[0]:
                    continue
                chosen = protector(spans, family.values, int(g) - 1, vector, others[g - 1])
                if chosen is None:
                    unprotectable.add(target)
                else:
                    family.hidden[chosen] = True
                    others = spans.others()  # one cell at a time, so no cell is hidden needlessly

    # -- asking -----------------------------------------------------------------------------------
    def is_council(self, areas: Sequence[str] | None) -> bool:
        return not areas or set(self.areas) <= set(areas)

    def selection_vector(self, family: Family, measure: str, period: str, cohort: str) -> np.ndarray:
        """The local vector (over part, block and base cohort) of a measure of the period for a
        cohort; a selection of areas has it at each of its areas."""
        cohort_mask = self._cohorts.get(cohort)
        if cohort_mask is None:
            cohort_mask = np.ones(len(self.cohorts))
        t = self.periods.index(period)
        coefficients = np.asarray(family.measures[measure], dtype=float)
        return np.einsum("p,pb,k->pbk", coefficients, family.weights[:, t, :], cohort_mask).ravel()

    def measure_shown(self, name: str, measure: str, areas: Sequence[str] | None, cohort: str, period: str) -> bool:
        """Whether a selection's measure for the period may be published: always at whole-council
        level; below it, only when the year's published cells give it and it is not a small count."""
        family = self.families.get(name)
        if family is None or measure not in family.measures or self.is_council(areas) or period not in self.periods:
            return True
        self._ensure_solved(name)
        chosen = frozenset(self._area_index[a] for a in areas or () if a in self._area_index)
        if not chosen:
            return True
        vector = self.selection_vector(family, measure, period, cohort)
        if family._by_area is None:
            family._by_area = np.moveaxis(family.base, 2, 0).reshape(len(self.areas), -1)
        value = float(vector @ family._by_area[sorted(chosen)].sum(axis=0))
        if 1 <= value <= self.threshold:
            return False
        if family.spans is None:
            return True
        space = family._selection_spaces.get(chosen)
        if space is None:
            space = family._selection_spaces[chosen] = family.spans.selection_space(sorted(chosen))
        return bool(contains(space, vector[None])[0])

    def suppressed(self, name: str, areas: Sequence[str] | None, cohort: str, period: str) -> bool:
        """Whether the indicator's figure for the selection and period is withheld (any measure is)."""
        family = self.families.get(name)
        if family is None:
            return False
        return not all(self.measure_shown(name, m, areas, cohort, period) for m in family.measures)

    def hidden_cells(self, name: str, period: str) -> list[tuple[str, str, str]]:
        """The (measure, geography, cohort) cells of the period the decision hides (for tests and docs)."""
        self._ensure_solved(name)
        family = self.families[name]
        return [(m, g, c) for (m, t, g, c), h in zip(family.cells, family.hidden, strict=True) if h and t == period]

    # -- bands ------------------------------------------------------------------------------------
    def band(self, name: str, areas: Sequence[str] | None, cohort: str, period: str) -> Band | None:
        """The band a hidden percentage of one area may be stated as (see ``bands``), or None."""
        family = self.families.get(name)
        if (
            family is None
            or not {"numerator", "denominator", "complement"} <= set(family.measures)
            or not areas
            or len(areas) != 1
            or areas[0] not in self.areas
            or cohort not in self._cohorts
            or period not in self.periods
        ):
            return None
        if name not in self._bands:
            self._ensure_solved(name)
            self._bands[name] = BandDecisions(self._band_order(family))
        return self._bands[name].band((period, areas[0], cohort))

    def _band_order(self, family: Family) -> Iterator[tuple[tuple[str, str, str], Band | None]]:
        """Every hidden single-area percentage of the family with its band, decided lazily in a
        fixed order (all children first, as most papers are; then by period and area)."""
        index = {cell: i for i, cell in enumerate(family.cells)}
        candidates = []
        cohorts = sorted(self._cohorts, key=lambda c: c != "all")
        for cohort in cohorts:
            for period in self.periods:
                for area in self.areas:
                    cells = [index[(m, period, area, cohort)] for m in ("numerator", "complement", "denominator")]
                    numerator, _, denominator = cells
                    if not family.hidden[cells].any() or family.values[denominator] <= 0:
                        continue
                    percent = 100 * family.values[numerator] / family.values[denominator]
                    key = (period, area, cohort)
                    candidates.append(
                        BandCandidate(key, percent, family.vectors[numerator], family.vectors[denominator])
                    )
        if not candidates:
            return
        hidden = np.unique(np.round(family.vectors[family.hidden], 9), axis=0)
        solver = IntervalSolver(family.vectors[~family.hidden], family.base.ravel(), hidden)
        yield from decide_bands(solver, candidates)
