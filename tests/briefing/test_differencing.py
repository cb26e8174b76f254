"""Papers cannot be subtracted: the differencing attack of issue #14 on the shipped data.

For several periods, every paper a user can ask for is built (the whole council, each area, each
"all areas but X", each with all children, citizen children and UASC), and every figure it prints
is read from its CSV rows (``indicator_figures``). The attack: each figure is a sum of base cells
(one per area and cohort); a suppressed figure is recovered exactly when its cells are a sum or
difference of published figures of the same count. That is checked by linear algebra (least
squares) independently of the period table's own solver, and the pairwise subtractions of the
issue are also tried one by one.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from iro_metrics.briefing import MARKER
from iro_metrics.briefing.figures import indicator_figures
from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection

PERIODS = ("2013-14-Q4", "2014-15-Q2", "2015-16-Q1")
COHORTS = ("all", "citizen", "uasc")


@pytest.fixture(scope="module")
def shipped():
    return load_dataset("data")


def _selections(areas: list[str]) -> list[tuple[str, tuple[str, ...] | None]]:
    out: list[tuple[str, tuple[str, ...] | None]] = [("council", None)]
    out += [(area, (area,)) for area in areas]
    out += [(f"all but {area}", tuple(a for a in areas if a != area)) for area in areas]
    return out


def _vector(areas: list[str], chosen: tuple[str, ...] | None, cohort: str) -> np.ndarray:
    """The selection as a 0/1 vector over base cells (area, citizen) and (area, uasc)."""
    picked = set(chosen or areas)
    cohorts = {"all": (1, 1), "citizen": (1, 0), "uasc": (0, 1)}[cohort]
    return np.array([float(a in picked) * c for a in areas for c in cohorts])


def _papers(ds, period: str):
    """Every paper's printed indicator figures: {(indicator, measure): [(vector, value, shown)]}."""
    areas = ds.areas()
    by_count: dict[tuple[str, str], list[tuple[np.ndarray, float, str, str]]] = {}
    for name, chosen in _selections(areas):
        for cohort in COHORTS:
            figures = indicator_figures(Selection.of(ds, period, chosen, cohort))
            # Percentages and rates are checked through their numerators and denominators.
            rows = _children_counts(figures)
            for indicator, measure, value, shown in rows.iter_rows():
                key = (indicator, "value" if measure == "value" else measure)
                by_count.setdefault(key, []).append((_vector(areas, chosen, cohort), value, shown, f"{name}/{cohort}"))
    return by_count


# Figures about IROs for the whole service (the same in every paper as in the council's): staff, not
# children, so outside the attack, as FTE figures are.
STAFF_FIGURES = ("iro_agency_fte_pct", "iro_caseload_median", "iro_caseload_max", "iros_over_guideline")


def _is_count(figures):
    return ~figures["indicator"].str.contains("pct|per_100|fte")


def _children_counts(figures):
    """The figures that count children: every part of a rate, and each count."""
    about_children = ~figures["indicator"].is_in(STAFF_FIGURES)
    return figures.filter(((figures["measure"] != "value") | _is_count(figures)) & about_children)


def _recoverable(published: list[np.ndarray], target: np.ndarray) -> bool:
    if not published:
        return False
    matrix = np.array(published).T
    coefficients, *_ = np.linalg.lstsq(matrix, target, rcond=None)
    return bool(np.abs(matrix @ coefficients - target).max() < 1e-6)


@pytest.mark.parametrize("period", PERIODS)
def test_no_suppressed_figure_is_a_sum_or_difference_of_published_ones(shipped, period):
    by_count = _papers(shipped, period)
    # The same count appears under several names (late notifications, and the numerator of the late
    # notification rate): group the papers' figures by the count's values in every selection.
    groups: dict[tuple, list[tuple[np.ndarray, float, str, str]]] = {}
    for rows in by_count.values():
        signature = tuple(round(v, 6) for _, v, _, _ in rows)
        groups.setdefault(signature, []).extend(rows)
    hidden_total = 0
    for rows in groups.values():
        published = [vector for vector, _, shown, _ in rows if shown != MARKER]
        for vector, value, shown, where in rows:
            if shown == MARKER:
                hidden_total += 1
                assert not _recoverable(published, vector), f"{where}: suppressed {value} is recoverable"
    assert hidden_total > 0  # the attack had something to find


@pytest.mark.parametrize("period", PERIODS)
def test_no_pair_of_papers_subtracts_to_a_suppressed_figure(shipped, period):
    by_count = _papers(shipped, period)
    tried = 0
    for rows in by_count.values():
        hidden = {tuple(vector): value for vector, value, shown, _ in rows if shown == MARKER}
        published = [(vector, value) for vector, value, shown, _ in rows if shown != MARKER]
        for (a, value_a), (b, value_b) in combinations(published, 2):
            for difference, amount in ((a - b, value_a - value_b), (b - a, value_b - value_a)):
                tried += 1
                if difference.min() >= 0 and tuple(difference) in hidden:
                    pytest.fail(f"a pair of papers gives a suppressed {amount:g}")
    assert tried > 1000


def test_south_kent_late_notifications_are_not_given_away(shipped):
    # Issue #14: council 32 minus "all but South Kent" 29 gave South Kent's 3.
    period = "2013-14-Q4"
    areas = shipped.areas()
    others = [a for a in areas if a != "South Kent"]
    assert compute_indicators(Selection.of(shipped, period)).filter(indicator="late_notifications")["value"][0] == 32
    assert (
        compute_indicators(Selection.of(shipped, period, others)).filter(indicator="late_notifications")["value"][0]
        == 29
    )

    def shown(chosen):
        figures = indicator_figures(Selection.of(shipped, period, chosen, "all"))
        return figures.filter(indicator="late_notifications", measure="value")["shown"][0]

    assert shown(None) == "32"
    assert shown(["South Kent"]) == MARKER
    assert shown(others) == MARKER


def test_a_cohort_split_of_an_area_does_not_give_its_other_cohort(shipped):
    # Issue #14: area X all children minus area X citizen children gave X's UASC count.
    period = "2013-14-Q4"
    for area in shipped.areas():
        rows = {
            cohort: indicator_figures(Selection.of(shipped, period, [area], cohort)).filter(measure="value")
            for cohort in COHORTS
        }
        for indicator, uasc_shown in rows["uasc"].select("indicator", "shown").iter_rows():
            if uasc_shown != MARKER:
                continue
            whole = rows["all"].filter(indicator=indicator)["shown"].to_list()
            citizen = rows["citizen"].filter(indicator=indicator)["shown"].to_list()
            assert MARKER in whole + citizen or not (whole and citizen), f"{area} {indicator}: all and citizen shown"


def test_no_small_count_is_printed_below_council_level(shipped):
    period = "2013-14-Q4"
    for name, chosen in _selections(shipped.areas())[1:]:
        for cohort in COHORTS:
            figures = indicator_figures(Selection.of(shipped, period, chosen, cohort))
            counts = _children_counts(figures)
            for indicator, _, value, shown in counts.iter_rows():
                if 1 <= value <= 4:
                    assert shown == MARKER, f"{name}/{cohort} {indicator} prints {shown}"
