"""The year table's exact-recovery check, worked area by area.

A published cell is one area's figure (or the council's) for a measure, period and cohort. Its
vector over the base cells (part, block, area, cohort) is a *local* vector ``v`` (over part, block
and cohort, about 20 numbers) placed at one area, or at every area for the council. So the span of
the published cells is the sum of ``A_b x e_b`` over areas ``b`` (``A_b``: the span of area ``b``'s
published local vectors) and ``P x 1`` (``P``: the span of the council's, all published). A figure
of a set of areas ``S`` is ``v`` at every area of ``S``; it is a sum or difference of published
cells exactly when

    v  is in  (the intersection of A_b over b in S)  +  (P and the intersection of A_b over b not in S),

since the coefficients at an area outside ``S`` must cancel what the council's part puts there. For
one area ``a`` that is ``A_a + Q_a`` with ``Q_a = P and every A_b, b != a``. Every space here has
about 20 dimensions, so the check costs microseconds per area, however many areas there are; the
whole table's matrix (cells x base cells: 6,795 x 3,000 for a percentage over 150 areas) is never
built.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RANK_TOLERANCE = 1e-9
SPAN_TOLERANCE = 1e-6


def basis(rows: np.ndarray, width: int) -> np.ndarray:
    """An orthonormal basis (as rows) of the span of ``rows``."""
    if rows.shape[0] == 0:
        return np.zeros((0, width))
    _, s, vt = np.linalg.svd(rows, full_matrices=False)
    keep = s > RANK_TOLERANCE * max(1.0, float(s.max(initial=0.0)))
    return vt[keep]


def contains(space: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """For each row of ``vectors``, whether it lies in the span of the orthonormal rows ``space``."""
    residual = vectors - (vectors @ space.T) @ space if space.shape[0] else vectors
    return np.abs(residual).max(axis=-1, initial=0.0) < SPAN_TOLERANCE


def intersect(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the intersection of two spans given by orthonormal rows."""
    width = first.shape[1]
    if first.shape[0] == 0 or second.shape[0] == 0:
        return np.zeros((0, width))
    if second.shape[0] == width:
        return first
    if first.shape[0] == width:
        return second
    # x = c @ first lies in the second span when its residual c @ (first - first P2) is zero.
    residual = first - (first @ second.T) @ second
    u, s, _ = np.linalg.svd(residual, full_matrices=True)
    rank = int((s > SPAN_TOLERANCE).sum())
    null = u[:, rank:].T
    return basis(null @ first, width)


def add(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the sum of two spans."""
    if second.shape[0] == 0:
        return first
    if first.shape[0] == 0:
        return second
    return basis(np.vstack([first, second]), first.shape[1])


class AreaSpans:
    """The published spans of one family: ``P`` and each area's ``A_b``, kept up to date as cells
    are hidden (``hidden[measure, period, geography, cohort]``, geography 0 the council)."""

    def __init__(self, local: np.ndarray, hidden: np.ndarray):
        self.local = local  # local[measure, period, cohort, x]
        self.hidden = hidden  # a view of the family's flags, so hiding a cell shows here
        self.width = local.shape[-1]
        self.council = basis(local.reshape(-1, self.width), self.width)
        self.areas = hidden.shape[2] - 1
        self._area: dict[int, tuple[bytes, np.ndarray]] = {}
        self._single: tuple[bytes, list[np.ndarray]] | None = None

    def published_rows(self, area: int) -> tuple[np.ndarray, np.ndarray]:
        """Area ``area``'s published cells as (index into [measure, period, cohort], local vectors)."""
        shown = ~self.hidden[:, :, 1 + area, :]
        where = np.flatnonzero(shown.ravel())
        return where, self.local.reshape(-1, self.width)[where]

    def area(self, area: int) -> np.ndarray:
        """``A_b``: the span of the area's published local vectors."""
        key = self.hidden[:, :, 1 + area, :].tobytes()
        kept = self._area.get(area)
        if kept is None or kept[0] != key:
            kept = (key, basis(self.published_rows(area)[1], self.width))
            self._area[area] = kept
        return kept[1]

    def is_full(self, area: int) -> bool:
        return self.area(area).shape[0] == self.council.shape[0]

    def others(self, skip: Sequence[int] = ()) -> list[np.ndarray]:
        """For each area ``a``: ``P`` and the intersection of ``A_b`` over every ``b`` other than
        ``a`` and those in ``skip`` (prefix and suffix intersections, so O(areas))."""
        order = [b for b in range(self.areas) if b not in set(skip)]
        spans = {b: self.area(b) for b in order}
        prefix = [self.council]
        for b in order:
            prefix.append(prefix[-1] if self.is_full(b) else intersect(prefix[-1], spans[b]))
        suffix = [np.eye(self.width)]
        for b in reversed(order):
            suffix.append(suffix[-1] if self.is_full(b) else intersect(suffix[-1], spans[b]))
        suffix.reverse()
        result = [np.zeros((0, self.width))] * self.areas
        for n, b in enumerate(order):
            result[b] = intersect(prefix[n], suffix[n + 1])
        return result

    def selection_space(self, chosen: Sequence[int]) -> np.ndarray:
        """The span a figure of the areas ``chosen`` (local vector at each) must lie in to be a sum
        or difference of published cells (see the module's docstring)."""
        if len(chosen) == 1:
            return self.single_area_spaces()[chosen[0]]
        inside = np.eye(self.width)
        for b in chosen:
            inside = intersect(inside, self.area(b))
        outside = self.council
        picked = set(chosen)
        for b in range(self.areas):
            if b not in picked and not self.is_full(b):
                outside = intersect(outside, self.area(b))
        return add(inside, outside)

    def single_area_spaces(self) -> list[np.ndarray]:
        """``A_a + Q_a`` for every area ``a`` at once (one pass of ``others``), kept until a cell is hidden."""
        key = self.hidden.tobytes()
        if self._single is None or self._single[0] != key:
            others = self.others()
            self._single = (key, [add(self.area(a), others[a]) for a in range(self.areas)])
        return self._single[1]
