"""Bands for hidden headline percentages (issue 23 item 3): granted only when every hidden count
keeps at least 5 possible values, checked here by hand and by an independent LP (scipy's)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import linprog

from iro_metrics.briefing import build_briefing
from iro_metrics.briefing.bands import (
    MIN_WIDTH,
    Band,
    IntervalSolver,
    band_rows,
    candidate_bands,
    possible_values,
)
from iro_metrics.briefing.period_table import period_table
from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import compute_indicators
from iro_metrics.selection import Selection

A, B = np.array([1.0, 0.0]), np.array([0.0, 1.0])


def _rounded(solver: IntervalSolver) -> list[tuple[float, float]]:
    return [(round(low, 6) + 0.0, round(high, 6) + 0.0) for low, high in solver.ranges]


def test_band_words_and_choice():
    assert Band(95, 100).words() == "more than 95%"
    assert Band(0, 5).words() == "5% or less"
    assert Band(75, 90).words() == "between 75% and 90%"
    # 95% exactly is in the 90-95 band (a band's top is inclusive, its bottom exclusive).
    assert candidate_bands(95.0) == [Band(90, 95), Band(90, 100)]
    assert candidate_bands(0.0) == [Band(0, 5), Band(0, 10)]
    assert candidate_bands(100.0) == [Band(95, 100), Band(90, 100)]
    assert possible_values(154.85, 163) == 9  # 155..163
    assert possible_values(0, 4) == 5


def test_a_band_that_pins_a_count_is_refused_and_a_wide_one_granted():
    # a + b = 10 is published; a and b are hidden, so each lies in 0..10 (11 values).
    solver = IntervalSolver(np.array([[1.0, 1.0]]), np.array([10.0, 0.0]), np.array([A, B]))
    assert _rounded(solver) == [(0.0, 10.0), (0.0, 10.0)]
    # "more than 95% of 10" would say a >= 9.5: a is 10, one value. Refused, and nothing changes.
    assert not solver.try_band(band_rows(Band(95, 100), A, A + B))
    assert _rounded(solver) == [(0.0, 10.0), (0.0, 10.0)]
    # "between 50% and 100%": a in 5..10 and b in 0..5, six values each. Granted.
    assert solver.try_band(band_rows(Band(50, 100), A, A + B))
    assert _rounded(solver) == [(5.0, 10.0), (0.0, 5.0)]
    # With that band granted, "50% to 75%" would leave a in 5..7.5 (3 values): refused.
    assert not solver.try_band(band_rows(Band(50, 75), A, A + B))


def test_a_band_that_tells_nothing_about_a_narrow_count_is_granted():
    # Hidden a + b = 3 (each 0..3, four values: narrower than 5 already); hidden d + e = 100.
    published = np.array([[1.0, 1.0, 0, 0], [0, 0, 1.0, 1.0]])
    hidden = np.eye(4)
    solver = IntervalSolver(published, np.array([1.0, 2.0, 97.0, 3.0]), hidden)
    d, e = hidden[2], hidden[3]
    # d in 95..100 and e in 0..5 keep six values; a and b are untouched by the band.
    assert solver.try_band(band_rows(Band(95, 100), d, d + e))
    assert _rounded(solver) == [(0, 3), (0, 3), (95, 100), (0, 5)]


@pytest.fixture(scope="module")
def shipped():
    return load_dataset("data")


def _scipy_ranges(published, truth, hidden, inequalities):
    """Each hidden cell's range by scipy's LP: an implementation independent of the product's."""
    ranges = []
    for vector in hidden:
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * vector,
                A_ub=inequalities if len(inequalities) else None,
                b_ub=np.zeros(len(inequalities)) if len(inequalities) else None,
                A_eq=published,
                b_eq=published @ truth,
                bounds=(0, None),
                method="highs",
            )
            assert result.status == 0
            ends.append(sign * result.fun)
        ranges.append((ends[0], ends[1]))
    return ranges


def _granted(table, name: str) -> list[tuple[tuple[str, str, str], Band]]:
    decisions = table.year._bands[name]._decided
    return [(key, band) for key, band in decisions.items() if band is not None]


def test_south_kent_reviews_on_time_band_leaves_every_hidden_count_five_wide(shipped):
    """The issue's example: South Kent, Q4 2025-26, reviews on time on a base of 163."""
    table = period_table(shipped, Selection.of(shipped, "2025-26-Q4").period)
    frame = compute_indicators(Selection.of(shipped, "2025-26-Q4", ["South Kent"], "all"))
    row = frame.filter(indicator="reviews_on_time_pct").row(0, named=True)
    assert row["denominator"] == 163
    assert row["numerator"] / row["denominator"] > 0.95
    assert table.suppressed("reviews_on_time_pct", ["South Kent"], "all")
    assert table.band("reviews_on_time_pct", ["South Kent"], "all") == Band(95, 100)

    family = table.families["reviews_on_time_pct"]
    published = family.vectors[~family.hidden]
    hidden = np.unique(np.round(family.vectors[family.hidden], 9), axis=0)
    truth = family.base.ravel()
    rows = [
        band_rows(band, *(family.vectors[family.cells.index((m, *key))] for m in ("numerator", "denominator")))
        for key, band in _granted(table, "reviews_on_time_pct")
    ]
    before = _scipy_ranges(published, truth, hidden, np.zeros((0, truth.size)))
    after = _scipy_ranges(published, truth, hidden, np.vstack(rows))
    for (low0, high0), (low, high) in zip(before, after, strict=True):
        unchanged = math.isclose(low, low0, abs_tol=1e-6) and math.isclose(high, high0, abs_tol=1e-6)
        assert unchanged or possible_values(low, high) >= MIN_WIDTH
    # Each granted band is true of its own cell.
    for key, band in _granted(table, "reviews_on_time_pct"):
        n, d = (family.values[family.cells.index((m, *key))] for m in ("numerator", "denominator"))
        assert band.contains(100 * n / d)


def test_bands_without_the_check_would_narrow_a_hidden_count(shipped):
    """Late notifications, Q4 2025-26: banding every hidden South Kent figure of the year would pin
    a hidden count to fewer than 5 values, so the product states no band for it."""
    table = period_table(shipped, Selection.of(shipped, "2025-26-Q4").period)
    name = "late_notifications_pct"
    assert table.suppressed(name, ["South Kent"], "all")
    assert table.band(name, ["South Kent"], "all") is None
    family = table.families[name]
    published = family.vectors[~family.hidden]
    hidden = np.unique(np.round(family.vectors[family.hidden], 9), axis=0)
    truth = family.base.ravel()
    naive = []
    for period in table.year.periods:
        index = {m: family.cells.index((m, period, "South Kent", "all")) for m in ("numerator", "denominator")}
        if family.values[index["denominator"]] > 0 and family.hidden[[*index.values()]].any():
            percent = 100 * family.values[index["numerator"]] / family.values[index["denominator"]]
            band = candidate_bands(percent)[0]
            naive.append(band_rows(band, family.vectors[index["numerator"]], family.vectors[index["denominator"]]))
    after = _scipy_ranges(published, truth, hidden, np.vstack(naive))
    before = _scipy_ranges(published, truth, hidden, np.zeros((0, truth.size)))
    narrowed = [
        (b, a)
        for b, a in zip(before, after, strict=True)
        if not (math.isclose(a[0], b[0], abs_tol=1e-6) and math.isclose(a[1], b[1], abs_tol=1e-6))
        and possible_values(*a) < MIN_WIDTH
    ]
    assert narrowed


def test_south_kent_paper_states_the_band(shipped):
    briefing = build_briefing(Selection.of(shipped, "2025-26-Q4", ["South Kent"], "all"))
    assert (
        "Reviews on time: more than 95% of 163 in Q4 2025-26 (a band: the exact figure is suppressed; see notes)."
        in briefing.headlines
    )
    assert "Late notification rate: c in Q4 2025-26 (suppressed; see notes)." in briefing.headlines
    assert any("given as a band" in note for note in briefing.notes)
    # The whole council's paper needs no band.
    council = build_briefing(Selection.of(shipped, "2025-26-Q4"))
    assert not any("a band" in h for h in council.headlines)
