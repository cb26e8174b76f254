"""The area-by-area recovery check (``briefing/spans.py``) against the whole table's linear algebra.

The year table never builds the matrix of every published cell over every base cell; these tests
do, on tables small enough to, and check by least squares (not the module's algebra) that no
hidden cell is given back and that each selection is shown exactly when the published cells give it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from iro_metrics.briefing.protection import protector
from iro_metrics.briefing.spans import AreaSpans, basis, contains, intersect
from iro_metrics.briefing.year_table import YearTable, relations_of

PERIODS = ("2013-14-Q1", "2013-14-Q2", "2013-14-Q3", "2013-14-Q4", "2013-14")
PCT = {"numerator": (1.0, 0.0), "denominator": (1.0, 1.0), "complement": (0.0, 1.0)}


def _in_span_by_least_squares(published: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    solution, *_ = np.linalg.lstsq(published.T, vectors.T, rcond=None)
    return np.abs(published.T @ solution - vectors.T).max(axis=0) < 1e-6


def test_two_planes_in_three_dimensions_meet_in_a_line():
    xy = basis(np.array([[1.0, 0, 0], [0, 1, 0]]), 3)
    plane = basis(np.array([[1.0, 1, 0], [0, 0, 1]]), 3)  # x = y
    line = intersect(xy, plane)
    assert line.shape == (1, 3)
    assert contains(line, np.array([[2.0, 2.0, 0.0]]))[0]
    assert not contains(line, np.array([[1.0, 0.0, 0.0]]))[0]


def test_an_area_given_back_only_by_the_others_is_protected_in_another_area():
    # One count, one period, areas A, B, C: A (3) is hidden; the council (30) minus B (12) and C (15)
    # gives it, and A has no other cell to hide, so the smaller of B and C is hidden.
    local = np.ones((1, 1, 1, 1))  # measure, period, cohort, x
    hidden = np.zeros((1, 1, 4, 1), dtype=bool)  # geographies: the council, A, B, C
    hidden[0, 0, 1, 0] = True
    values = np.array([30.0, 3.0, 12.0, 15.0])
    spans = AreaSpans(local, hidden)
    others = spans.others()
    assert contains(others[0], local[0, 0])[0]  # the others give A back
    assert protector(spans, values, 0, local[0, 0, 0], others[0]) == 2  # B's cell


@pytest.mark.parametrize("seed", range(6))
def test_no_hidden_cell_is_a_sum_or_difference_of_published_ones_and_selections_agree(seed):
    rng = np.random.default_rng(seed)
    areas = ("A", "B", "C", "D")
    table = YearTable(areas, ("citizen", "uasc"), PERIODS, threshold=4)
    for n in range(3):
        # parts (met, not met) x 4 quarters x areas x cohorts, many of them small; the year a flow.
        quarters = rng.integers(0, 12, size=(2, 4, len(areas), 2)).astype(float)
        quarters[:, :, :, 1] = rng.integers(0, 4, size=(2, 4, len(areas)))  # few UASC children
        base = np.concatenate([quarters, quarters.sum(axis=1, keepdims=True)], axis=1)
        relations = [relations_of(base[p, :4], base[p, 4]) for p in range(2)]
        table.add(f"pct{n}", PCT, base, relations)
    table.solve()
    table.solve_all()
    for name, family in table.families.items():
        published = family.vectors[~family.hidden]
        hidden = family.vectors[family.hidden]
        assert family.hidden.any()
        assert not _in_span_by_least_squares(published, hidden).any(), name
        for chosen in itertools.chain.from_iterable(itertools.combinations(areas, k) for k in (1, 2, 3)):
            mask = np.array([1.0 if a in chosen else 0.0 for a in areas])
            for measure, period, cohort in itertools.product(PCT, PERIODS, ("citizen", "uasc", "all")):
                local = table.selection_vector(family, measure, period, cohort).reshape(2, 5, 2)
                vector = np.einsum("pbk,a->pbak", local, mask).ravel()
                value = vector @ family.base.ravel()
                expected = not (1 <= value <= 4) and bool(_in_span_by_least_squares(published, vector[None])[0])
                assert table.measure_shown(name, measure, list(chosen), cohort, period) == expected
