"""The year and its quarters decided together, on tables small enough to work by hand.

Two areas, A and B, one cohort, threshold 4. The whole council is always shown, so a hidden cell of
A in a quarter hides B's in that quarter (the council minus B would give A), and a hidden quarter of
a flow hides one more period of the same area (the year minus the other quarters would give it):
the smallest published one.
"""

from __future__ import annotations

import numpy as np
import pytest

from iro_metrics.briefing.period_table import PeriodTable
from iro_metrics.briefing.year_table import COUNCIL, YearTable, relations_of

PERIODS = ("2013-14-Q1", "2013-14-Q2", "2013-14-Q3", "2013-14-Q4", "2013-14")
COUNT = {"value": (1.0,)}


def _table(name: str, a: list[float], b: list[float]) -> YearTable:
    """A count over the four quarters and the year for areas A and B (``a`` and ``b`` give Q1..Q4, year)."""
    base = np.array([a, b], dtype=float).T[None, :, :, None]  # part, block, area, cohort
    relation = relations_of(base[0, :4], base[0, 4])
    table = YearTable(("A", "B"), ("all",), PERIODS, threshold=4)
    table.add(name, COUNT, base, [relation])
    table.solve()
    table.solve_all()
    return table


def _hidden(table: YearTable, name: str) -> set[tuple[str, str]]:
    return {(period[-2:], g) for period in PERIODS for _, g, _ in table.hidden_cells(name, period)}


def _recoverable(table: YearTable, name: str) -> list[tuple[str, str]]:
    """Hidden cells whose vector lies in the span of the published ones (least squares, not the solver's)."""
    family = table.families[name]
    published = family.vectors[~family.hidden]
    out = []
    for index in np.flatnonzero(family.hidden):
        target = family.vectors[index]
        solution, *_ = np.linalg.lstsq(published.T, target, rcond=None)
        if np.abs(published.T @ solution - target).max() < 1e-6:
            out.append(family.cells[index][1:3])
    return out


def test_a_flow_s_hidden_quarter_hides_one_more_period_of_its_area_and_the_partner_area():
    # East Kent's late notifications in 2013-14 were 3, 7, 9, 5 (24 in the year): Q1 is small, so
    # Q1 is hidden; the year minus Q2-Q4 would give it, so the smallest of those, Q4 (5), is hidden
    # too; and B's Q1 and Q4, since the council minus B would give A's.
    table = _table("late", [3, 7, 9, 5, 24], [20, 30, 25, 40, 115])
    assert table.families["late"].relations == ("flow",)
    assert _hidden(table, "late") == {("Q1", "A"), ("Q4", "A"), ("Q1", "B"), ("Q4", "B")}
    assert _recoverable(table, "late") == []
    # Published: A's year (24), Q2 and Q3; what is left is A1 + A4 = 8, with A1 anywhere from 0 to 8.
    view = PeriodTable(table, "2013-14")
    assert view.measure_shown("late", "value", ["A"], "all")
    assert not PeriodTable(table, "2013-14-Q1").measure_shown("late", "value", ["A"], "all")
    assert PeriodTable(table, "2013-14-Q1").measure_shown("late", "value", ["A", "B"], "all")  # the council


def test_a_stock_s_year_is_its_fourth_quarter_and_is_hidden_with_it():
    # Children in care at the end of each quarter; the year's figure is at 31 March, Q4's.
    table = _table("in_care", [10, 12, 11, 2, 2], [50, 52, 51, 49, 49])
    assert table.families["in_care"].relations == ("stock",)
    assert _hidden(table, "in_care") == {("Q4", "A"), ("Q4", "B"), ("14", "A"), ("14", "B")}
    assert _recoverable(table, "in_care") == []


def test_a_year_that_is_neither_a_sum_nor_q4_has_cells_of_its_own():
    # Distinct children over the year (a child seen in two quarters counts once): 30 is neither
    # 12 + 10 + 9 + 8 = 39 nor 8. A hidden quarter then hides only what the quarter's own lines need.
    table = _table("seen", [12, 10, 9, 3, 30], [40, 41, 42, 43, 120])
    assert table.families["seen"].relations == ("own",)
    assert _hidden(table, "seen") == {("Q4", "A"), ("Q4", "B")}
    assert _recoverable(table, "seen") == []


@pytest.mark.parametrize(
    ("quarters", "year", "expected"),
    [
        ([[1, 2], [3, 4], [5, 6], [7, 8]], [16, 20], "flow"),
        ([[1, 2], [3, 4], [5, 6], [7, 8]], [7, 8], "stock"),
        ([[1, 2], [3, 4], [5, 6], [7, 8]], [16, 8], "own"),  # one cell adds up, one is Q4's: neither
        # a year the data covers in part (Q1-Q3): its flow is the sum of those quarters
        ([[1, 2], [3, 4], [5, 6]], [9, 12], "flow"),
        ([[1, 2], [3, 4], [5, 6]], [10, 12], "own"),
    ],
)
def test_a_part_s_year_relation_is_read_from_every_cell(quarters, year, expected):
    assert relations_of(np.array(quarters, dtype=float), np.array(year, dtype=float)) == expected


def test_the_whole_council_is_never_hidden():
    table = _table("late", [3, 7, 9, 5, 24], [1, 2, 1, 2, 6])
    family = table.families["late"]
    council = [i for i, (_, _, g, _) in enumerate(family.cells) if g == COUNCIL]
    assert not family.hidden[council].any()
    assert _recoverable(table, "late") == []
