"""Which hidden cells the published ones give back, and which cell to hide to stop it.

Worked on a family's ``AreaSpans`` (see ``spans``): cells are indexed as the family's, over
(measure, period, geography, cohort) with the council first among geographies, and ``values``
holds each cell's figure (to hide the smallest cell that works).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from iro_metrics.briefing.spans import AreaSpans, add, basis, contains, intersect


def _key(values: np.ndarray, cell: int) -> tuple:
    """The order cells are chosen to hide in: non-zero first, then the smallest, then the first."""
    return (values[cell] == 0, values[cell], cell)


def cell_of(spans: AreaSpans, area: int, row: int) -> int:
    """The cell index of row ``row`` of an area's [measure, period, cohort] rows."""
    m, t, _, c = spans.hidden.shape
    mm, tt, cc = np.unravel_index(row, (m, t, c))
    return int(np.ravel_multi_index((mm, tt, 1 + area, cc), spans.hidden.shape))


def exposed_cells(spans: AreaSpans, others: Sequence[np.ndarray]) -> list[int]:
    """The hidden cells a sum or difference of published ones gives back, in cell order
    (``others``: ``spans.others()``)."""
    flat = spans.local.reshape(-1, spans.width)
    found = []
    for area in range(spans.areas):
        where = np.flatnonzero(spans.hidden[:, :, 1 + area, :].ravel())
        if not where.size:
            continue
        space = add(spans.area(area), others[area])
        found.extend(cell_of(spans, area, int(j)) for j in where[contains(space, flat[where])])
    return sorted(found)


def protector(spans: AreaSpans, values: np.ndarray, area: int, vector: np.ndarray, others: np.ndarray) -> int | None:
    """A published cell whose hiding takes ``vector`` (hidden, of ``area``) out of the published
    span: the smallest that does alone (of its own area, or of another when the other areas take
    part in giving it back); else the smallest of its area its recovery uses; else the cell of
    another area that narrows the span it lies in most. None if no cell below council level can
    (the whole council's figures give it). ``others``: ``spans.others()[area]``."""
    rows, local = spans.published_rows(area)
    # The least-norm coefficients of the vector over the area's published rows and Q's basis; a
    # row no other depends on (leverage 1) has the same coefficient in every representation, so
    # hiding it takes the vector out of the span exactly when that coefficient is not zero.
    combined = np.vstack([local, others])
    u, s, vt = np.linalg.svd(combined, full_matrices=False)
    keep = s > 1e-9 * max(1.0, float(s.max(initial=0.0)))
    u, s, vt = u[:, keep], s[keep], vt[keep]
    coefficients = (u @ ((vt @ vector) / s))[: len(rows)]
    used = np.abs(coefficients) > 1e-9
    independent = (u[: len(rows)] ** 2).sum(axis=1) > 1 - 1e-9
    protecting = [cell_of(spans, area, int(rows[n])) for n in np.flatnonzero(used & independent)]
    if contains(spans.area(area), vector[None])[0]:
        elsewhere, narrowing = [], None  # its own area gives it back: no other area's cell can help
    else:
        elsewhere, narrowing = _elsewhere(spans, values, area, vector)
    if protecting or elsewhere:
        return min([*protecting, *elsewhere], key=lambda i: _key(values, i))
    helping = [cell_of(spans, area, int(rows[n])) for n in np.flatnonzero(used)]
    if helping:
        return min(helping, key=lambda i: _key(values, i))
    return narrowing


def _elsewhere(spans: AreaSpans, values: np.ndarray, area: int, vector: np.ndarray) -> tuple[list[int], int | None]:
    """Cells of other areas whose hiding alone takes ``vector`` (of ``area``) out of the published
    span, and the cell of another area that narrows the span it lies in most (None if none does)."""
    own = spans.area(area)
    rest = spans.others(skip=[area])  # for each other area b: P and every A_c, c not area or b
    current = add(own, spans.others()[area]).shape[0]
    protecting: list[int] = []
    narrowing: tuple | None = None
    for other in range(spans.areas):
        if other == area:
            continue
        rows, local = spans.published_rows(other)
        full = spans.area(other).shape[0]
        for n in range(len(rows)):
            reduced = basis(np.delete(local, n, axis=0), spans.width)
            if reduced.shape[0] == full:
                continue  # the other cells of the area give this one: hiding it changes nothing
            space = add(own, intersect(rest[other], reduced))
            cell = cell_of(spans, other, int(rows[n]))
            if not contains(space, vector[None])[0]:
                protecting.append(cell)
            elif space.shape[0] < current and (narrowing is None or (space.shape[0], *_key(values, cell)) < narrowing):
                narrowing = (space.shape[0], *_key(values, cell))
    return protecting, (None if narrowing is None else int(narrowing[-1]))


class LineIndex:
    """The lines of a family's table (each line's cells and its total) and each cell's lines."""

    def __init__(self, lines: Sequence[tuple[list[int], int]], cells: int):
        self.members = [np.array([*members, total], dtype=int) for members, total in lines]
        lines_of: list[list[int]] = [[] for _ in range(cells)]
        for n, line in enumerate(self.members):
            for i in line:
                lines_of[i].append(n)
        self.lines_of_cell = [np.array(found, dtype=int) for found in lines_of]


def hide_on_lines(
    lines: LineIndex, hidden: np.ndarray, values: np.ndarray, below: np.ndarray, shared_last: np.ndarray
) -> None:
    """While a line has exactly one hidden cell, hide one more of its published cells below
    council level: one that also completes the most other such lines, then the smallest (a shared
    denominator last). Works on ``hidden`` in place."""
    members, lines_of_cell = lines.members, lines.lines_of_cell
    count = np.array([hidden[line].sum() for line in members], dtype=int)
    stuck = np.zeros(len(members), dtype=bool)  # lines whose other cells are all whole-council figures
    while True:
        needy = count == 1
        open_lines = np.flatnonzero(needy & ~stuck)
        if not open_lines.size:
            return
        line = int(open_lines[0])
        pool = [int(i) for i in members[line] if below[i] and not hidden[i]]
        if not pool:
            stuck[line] = True
            continue
        completes = {i: int(needy[lines_of_cell[i]].sum()) for i in pool}
        chosen = min(pool, key=lambda i: (-completes[i], bool(shared_last[i]), values[i] == 0, values[i], i))
        hidden[chosen] = True
        count[lines_of_cell[chosen]] += 1
