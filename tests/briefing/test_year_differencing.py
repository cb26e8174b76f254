"""A year minus its quarters (issue #23 item 1): what the year's papers and its four quarters' papers,
for every selection (council, each area, each "all areas but X") and cohort, give back together.
Decided together (``briefing/year_table.py``), they give none back.

Each printed count is a sum of base cells (quarter, area, cohort). A year figure is the sum of its
quarters' cells when it is a flow (for every selection the year's value is the sum of the quarters'
values) or Q4's cells when it is a stock at the year end (the year's value is Q4's); the test reads
which from the figures themselves, independently of the product's solver. A suppressed figure is
recovered exactly when its vector lies in the span of the published figures of the same count
(least squares), as in ``test_differencing``.

Worked by hand (the issue's example): East Kent late notifications, 2013-14 = 24, Q2 = 7, Q3 = 9,
Q4 = 5, so a Q1 shown as ``c`` would be 24 - 7 - 9 - 5 = 3: the year's cell minus three quarter cells.
With the year decided together, at least one more of those four figures is ``c`` too.
"""

from __future__ import annotations

import numpy as np
import pytest

from iro_metrics.briefing import MARKER
from iro_metrics.briefing.figures import indicator_figures
from iro_metrics.dataset import load_dataset
from iro_metrics.selection import Selection
from tests.briefing.test_differencing import COHORTS, _is_count, _recoverable, _selections, _vector

YEAR = "2013-14"
QUARTERS = tuple(f"{YEAR}-Q{q}" for q in range(1, 5))


@pytest.fixture(scope="module")
def shipped():
    return load_dataset("data")


def _figures(ds, period: str) -> dict[tuple[str, str, str], tuple[np.ndarray, float, str]]:
    """Every paper's printed counts for the period: {(indicator, measure, selection/cohort): (vector, value, shown)}."""
    areas = ds.areas()
    out = {}
    for name, chosen in _selections(areas):
        for cohort in COHORTS:
            figures = indicator_figures(Selection.of(ds, period, chosen, cohort))
            rows = figures.filter((figures["measure"] != "value") | _is_count(figures))
            for indicator, measure, value, shown in rows.iter_rows():
                out[(indicator, measure, f"{name}/{cohort}")] = (_vector(areas, chosen, cohort), value, shown)
    return out


def year_attack(ds) -> tuple[int, int, list[str]]:
    """(suppressed figures, recovered exactly, examples) over the year's and its quarters' papers."""
    quarters = [_figures(ds, q) for q in QUARTERS]
    year = _figures(ds, YEAR)
    width = len(next(iter(year.values()))[0])
    blocks = len(QUARTERS)
    systems: dict[tuple, list[tuple[np.ndarray, float, str, str]]] = {}
    by_count: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for indicator, measure, where in year:
        by_count.setdefault((indicator, measure), []).append((where, ""))
    for (indicator, measure), wheres in by_count.items():
        keys = [(indicator, measure, w) for w, _ in wheres]
        if not all(k in q for q in quarters for k in keys):
            continue
        sums = all(abs(year[k][1] - sum(q[k][1] for q in quarters)) < 1e-6 for k in keys)
        last = all(abs(year[k][1] - quarters[-1][k][1]) < 1e-6 for k in keys)
        rows = []
        for position, q in enumerate(quarters):
            for k in keys:
                vector, value, shown = q[k]
                full = np.zeros(blocks * width)
                full[position * width : (position + 1) * width] = vector
                rows.append((full, value, shown, f"{QUARTERS[position]} {k}"))
        for k in keys:
            vector, value, shown = year[k]
            if sums:
                full = np.tile(vector, blocks)
            elif last:
                full = np.zeros(blocks * width)
                full[(blocks - 1) * width :] = vector
            else:
                full = np.concatenate([np.zeros(blocks * width), vector])  # its own cells
            rows.append((full, value, shown, f"{YEAR} {k}"))
        # The same count under two names (a count and a rate's numerator) is one system.
        signature = tuple(round(value, 6) for _, value, _, _ in rows)
        systems.setdefault(signature, []).extend(rows)
    hidden = recovered = 0
    examples: list[str] = []
    for rows in systems.values():
        size = max(len(v) for v, *_ in rows)
        padded = [(np.pad(v, (0, size - len(v))), value, shown, where) for v, value, shown, where in rows]
        published = [v for v, _, shown, _ in padded if shown != MARKER]
        for vector, value, shown, where in padded:
            if shown == MARKER:
                hidden += 1
                if _recoverable(published, vector):
                    recovered += 1
                    examples.append(f"{where}: {value:g}")
    return hidden, recovered, examples


# The year and its quarters are decided together (issue #23 item 1): the attack that gave back 227 of
# 4,222 hidden figures of 2013-14 when each period was decided alone now gives back none.
def test_a_year_minus_its_quarters_gives_nothing_back(shipped):
    hidden, recovered, examples = year_attack(shipped)
    assert hidden > 0
    assert recovered == 0, examples[:5]


def test_east_kent_late_notifications_q1_is_not_the_year_minus_q2_to_q4(shipped):
    # By hand: 24 - (7 + 9 + 5) = 3, printed as c; with the year decided together, the year or one
    # of Q2-Q4 is printed as c too, so the difference no longer gives Q1.
    def shown(period):
        figures = indicator_figures(Selection.of(shipped, period, ["East Kent"], "all"))
        row = figures.filter(indicator="late_notifications", measure="value")
        return row["value"][0], row["shown"][0]

    values = {p: shown(p) for p in (YEAR, *QUARTERS)}
    assert [values[p][0] for p in (YEAR, *QUARTERS)] == [24, 3, 7, 9, 5]
    printed = [values[p][1] for p in (YEAR, *QUARTERS)]
    assert printed[1] == MARKER
    assert printed.count(MARKER) >= 2
    assert all(text in (MARKER, str(int(v))) for text, (v, _) in zip(printed, values.values(), strict=True))
