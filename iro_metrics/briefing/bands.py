"""Bands for hidden headline percentages, checked by interval recovery.

A percentage the disclosure decision hides may still be stated as a band ("more than 95% of 163")
when the band, added to everything published for the financial year, leaves every hidden count at
least ``MIN_WIDTH`` values wide. A hidden count's range is what linear programming gives: the least
and greatest value it can take over all non-negative base cells consistent with every published
figure of the year table (the same cells and vectors as the exact-recovery check) and every band
granted before. A band that narrows no hidden count's range is granted whatever the width, since it
tells nothing new.

Bands are decided once per indicator and year, for every single-area cell whose percentage is
hidden, in a fixed order (period, area, cohort), so each paper of the year states the same band
and the check covers every band of every paper together. For each cell the finer band is tried
first, then a coarser one; a cell whose bands would narrow a hidden count stays ``c``.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

MIN_WIDTH = 5  # a hidden count must keep at least this many possible values

# LP optima are exact only to the solver's tolerances: compare ranges to this (counts are whole,
# and a band's bounds are whole counts times a percentage).
_TOLERANCE = 1e-5
_FIRST_MODEL = threading.Lock()
_banner_printed = False


def _new_highs() -> highspy.Highs:
    """A silent HiGHS model. HiGHS prints its banner on the first model a process makes, to the C
    standard output (below Python's), so that one is made with file descriptor 1 sent to null."""
    global _banner_printed
    with _FIRST_MODEL:
        if _banner_printed:
            highs = highspy.Highs()
        else:
            sys.stdout.flush()
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            try:
                highs = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _banner_printed = True
    highs.setOptionValue("output_flag", False)
    return highs


@dataclass(frozen=True)
class Band:
    """A range of percentages ``[low, high]`` (``low`` is exclusive unless it is 0)."""

    low: float
    high: float

    def contains(self, percent: float) -> bool:
        above = percent >= self.low if self.low == 0 else percent > self.low
        return above and percent <= self.high

    def words(self) -> str:
        """The band as a paper states it: "more than 95%", "5% or less", "between 75% and 90%"."""
        if self.high >= 100:
            return f"more than {self.low:g}%"
        if self.low <= 0:
            return f"{self.high:g}% or less"
        return f"between {self.low:g}% and {self.high:g}%"


# Finer bands first; each level covers 0-100% without overlap.
BAND_LEVELS: tuple[tuple[Band, ...], ...] = (
    tuple(Band(lo, hi) for lo, hi in ((0, 5), (5, 10), (10, 25), (25, 50), (50, 75), (75, 90), (90, 95), (95, 100))),
    tuple(Band(lo, hi) for lo, hi in ((0, 10), (10, 50), (50, 90), (90, 100))),
)


def candidate_bands(percent: float) -> list[Band]:
    """The bands that contain the percentage, finest first."""
    return [band for level in BAND_LEVELS for band in level if band.contains(percent)]


def band_rows(band: Band, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """The band as rows of ``G x <= 0`` over the base cells: low% of the base <= numerator <= high%."""
    rows = []
    if band.low > 0:
        rows.append(band.low / 100 * denominator - numerator)
    if band.high < 100:
        rows.append(numerator - band.high / 100 * denominator)
    return np.array(rows).reshape(len(rows), numerator.size)


def possible_values(low: float, high: float) -> int:
    """How many whole numbers lie in ``[low, high]`` (an unbounded side: as many as you like)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return 0 if math.isnan(low) or math.isnan(high) else 10**9
    return max(0, math.floor(high + _TOLERANCE) - math.ceil(low - _TOLERANCE) + 1)


class _LinearProgram:
    """``min c @ x`` over ``x >= 0``, fixed equalities and rows ``G x <= 0`` that can be added and
    taken back; one HiGHS model, warm-started from its last basis (thousands of small solves)."""

    def __init__(self, equalities: np.ndarray, rhs: np.ndarray):
        self.size = equalities.shape[1]
        self.highs = _new_highs()
        self.highs.setOptionValue("presolve", "off")  # small models solved from the last basis
        self.highs.addVars(self.size, np.zeros(self.size), np.full(self.size, highspy.kHighsInf))
        for row, value in zip(equalities, rhs, strict=True):
            self._add(row, value, value)
        self.rows = len(equalities)

    def _add(self, row: np.ndarray, lower: float, upper: float) -> None:
        columns = np.flatnonzero(np.abs(row) > 1e-12)
        self.highs.addRow(lower, upper, len(columns), columns.astype(np.int32), row[columns])

    def add_rows(self, rows: np.ndarray) -> None:
        for row in rows:
            self._add(row, -highspy.kHighsInf, 0.0)
        self.rows += len(rows)

    def drop_last(self, count: int) -> None:
        """Take back the last rows added. They are freed rather than deleted, which would throw
        away the basis every later solve starts from."""
        for row in range(self.rows - count, self.rows):
            self.highs.changeRowBounds(row, -highspy.kHighsInf, highspy.kHighsInf)

    def minimum(self, objective: np.ndarray) -> tuple[float, np.ndarray]:
        """The least value and a point attaining it; -inf when unbounded, NaN when the solver fails
        (which refuses any band that depends on it)."""
        self.highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), objective)
        self.highs.run()
        status = self.highs.getModelStatus()
        nowhere = np.full(self.size, np.nan)
        if status == highspy.HighsModelStatus.kUnbounded:
            return -math.inf, nowhere
        if status != highspy.HighsModelStatus.kOptimal:
            return math.nan, nowhere
        return float(self.highs.getInfo().objective_function_value), np.array(self.highs.getSolution().col_value)


class IntervalSolver:
    """The range of each hidden cell over ``x >= 0`` with the published equalities and the bands
    granted so far, kept with the points that attain it (a new band that keeps both points
    feasible leaves the range as it was, so only the others are solved again)."""

    def __init__(self, published: np.ndarray, truth: np.ndarray, hidden: np.ndarray):
        basis = _row_basis(published)
        self.program = _LinearProgram(basis, basis @ truth)
        self.hidden = hidden
        self.ranges: list[tuple[float, float]] = []
        self._points: list[tuple[np.ndarray, np.ndarray]] = []
        for vector in hidden:
            (low, at_low), (high, at_high) = self._extremes(vector)
            if math.isnan(low) or math.isnan(high):  # unknown: any band that narrows it must leave 5
                low, high = -math.inf, math.inf
            self.ranges.append((low, high))
            self._points.append((at_low, at_high))

    def _extremes(self, vector: np.ndarray):
        low, at_low = self.program.minimum(vector)
        high, at_high = self.program.minimum(-vector)
        return (low, at_low), (-high, at_high)

    def try_band(self, rows: np.ndarray) -> bool:
        """Grant the band (``rows @ x <= 0``) if every hidden cell keeps its range or keeps at least
        ``MIN_WIDTH`` possible values with it; True when granted."""
        self.program.add_rows(rows)
        updates: dict[int, tuple[tuple[float, float], tuple[np.ndarray, np.ndarray]]] = {}
        # The cells sharing the most base cells with the band first: a refusal usually comes early.
        closeness = np.abs(self.hidden) @ np.abs(rows).sum(axis=0)
        for index in np.argsort(-closeness, kind="stable"):
            vector = self.hidden[index]
            at_low, at_high = self._points[index]
            if _feasible(rows, at_low) and _feasible(rows, at_high):
                continue
            (low, new_low), (high, new_high) = self._extremes(vector)
            old_low, old_high = self.ranges[index]
            unchanged = low <= old_low + _TOLERANCE and high >= old_high - _TOLERANCE
            if math.isnan(low) or math.isnan(high) or (not unchanged and possible_values(low, high) < MIN_WIDTH):
                self.program.drop_last(len(rows))
                return False
            updates[index] = ((low, high), (new_low, new_high))
        for index, (interval, points) in updates.items():
            self.ranges[index] = interval
            self._points[index] = points
        return True


def _feasible(rows: np.ndarray, point: np.ndarray) -> bool:
    return bool(np.isfinite(point).all()) and bool((rows @ point <= _TOLERANCE).all())


def _row_basis(matrix: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the rows' span (the published equalities without repeats)."""
    if matrix.size == 0:
        return np.zeros((0, matrix.shape[1] if matrix.ndim == 2 else 0))
    _, s, vt = np.linalg.svd(matrix, full_matrices=False)
    keep = s > 1e-9 * max(1.0, float(s.max(initial=0.0)))
    return vt[keep]


@dataclass(frozen=True)
class BandCandidate:
    """A hidden percentage cell that may be banded: its key, value and its parts' vectors."""

    key: tuple[str, str, str]  # (period, area, cohort)
    percent: float
    numerator: np.ndarray
    denominator: np.ndarray


def decide_bands(
    solver: IntervalSolver, candidates: Sequence[BandCandidate]
) -> Iterator[tuple[tuple[str, str, str], Band | None]]:
    """Each candidate in order with the band granted to it, or None (it stays suppressed)."""
    for candidate in candidates:
        granted = None
        for band in candidate_bands(candidate.percent):
            if solver.try_band(band_rows(band, candidate.numerator, candidate.denominator)):
                granted = band
                break
        yield candidate.key, granted


class BandDecisions:
    """A family's bands, decided in their fixed order up to the one asked for (so asking in any
    order gives the same bands)."""

    def __init__(self, order: Iterator[tuple[tuple[str, str, str], Band | None]]):
        self._order = order
        self._decided: dict[tuple[str, str, str], Band | None] = {}
        self._done = False

    def band(self, key: tuple[str, str, str]) -> Band | None:
        while key not in self._decided and not self._done:
            decided = next(self._order, None)
            if decided is None:
                self._done = True
            else:
                self._decided[decided[0]] = decided[1]
        return self._decided.get(key)
