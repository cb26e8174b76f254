"""Disclosure control: primary suppression of counts 1-4 and figures built on them, and
secondary suppression so that no suppressed cell can be recovered from a total.

Every expected mask below is worked out by hand in the comments.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from iro_metrics.briefing.disclosure import (
    MARKER,
    below_council_level,
    footnote,
    small_expr,
    suppress_table,
)
from iro_metrics.briefing.period_table import build_year_table


def test_footnote_names_the_marker_and_follows_the_threshold():
    assert footnote() == ("c = suppressed: a count from 1 to 4 (or a figure built on one) below whole-council level")
    assert "a count from 1 to 9" in footnote(9)


def test_small_counts_are_one_to_threshold_and_zero_is_shown():
    counts = pl.DataFrame({"n": [0, 1, 4, 5, None]})
    assert counts.select(small_expr("n")).to_series().to_list() == [False, True, True, False, False]
    assert counts.select(small_expr(pl.col("n"), threshold=2)).to_series().to_list() == [
        False,
        True,
        False,
        False,
        False,
    ]


def test_below_council_level_means_some_but_not_every_area():
    areas = ["East Kent", "North Kent", "West Kent"]
    assert not below_council_level(areas, None)
    assert not below_council_level(areas, [])
    assert not below_council_level(areas, ["West Kent", "East Kent", "North Kent"])
    assert below_council_level(areas, ["East Kent"])


INDICATORS = pl.DataFrame(
    {
        "indicator": [
            "children_in_care",
            "children_starting_care",
            "children_ceasing_care",
            "participation_pct",
            "late_notifications_pct",
            "reviews_chaired_by_iro_pct",
            "disputes_formal_per_100_reviews",
            "caseload_per_establishment_fte",
            "iro_fte_in_post",
            "reviews_overdue",
            "minutes_on_time_pct",
        ],
        "value": [3.0, 0.0, 12.0, 4.0, 0.0, 25.0, 2.0, 3 / 22, 2.0, None, 20 / 22 * 100],
        "numerator": [3.0, 0.0, 12.0, 2.0, 0.0, 10.0, 2.0, 3.0, None, None, 20.0],
        "denominator": [None, None, None, 50.0, 3.0, 40.0, 100.0, 22.0, None, None, 22.0],
    }
)
UNITS = {
    "children_in_care": "count",
    "children_starting_care": "count",
    "children_ceasing_care": "count",
    "participation_pct": "pct",
    "late_notifications_pct": "pct",
    "reviews_chaired_by_iro_pct": "pct",
    "disputes_formal_per_100_reviews": "per_100",
    "caseload_per_establishment_fte": "per_fte",
    "iro_fte_in_post": "fte",
    "reviews_overdue": "count",
    "minutes_on_time_pct": "pct",
}


def suppressed_in_a_small_area(threshold: int = 4) -> dict[str, bool]:
    """Each indicator of INDICATORS, the figures of area A, hidden in a year table of A and a large
    area B (so that only A's own figures are small)?"""
    large = INDICATORS.with_columns(pl.col("numerator") * 0 + 100, pl.col("denominator") * 0 + 400)
    frame = pl.concat([INDICATORS.with_columns(area=pl.lit("A")), large.with_columns(area=pl.lit("B"))])
    quarter = "2013-14-Q1"
    table = build_year_table({quarter: {"all": frame}}, [quarter], None, UNITS, ["A", "B"], threshold)
    assert not any(table.suppressed(i, None, "all", quarter) for i in INDICATORS["indicator"])  # the council
    return {i: table.suppressed(i, ["A"], "all", quarter) for i in INDICATORS["indicator"]}


def test_indicator_suppression_by_unit():
    flags = suppressed_in_a_small_area()
    assert flags == {
        "children_in_care": True,  # 3 children
        "children_starting_care": False,  # a true zero is shown
        "children_ceasing_care": False,  # 12
        "participation_pct": True,  # numerator 2
        "late_notifications_pct": True,  # 0 of 3: the denominator is small
        "reviews_chaired_by_iro_pct": False,  # 10 of 40
        "disputes_formal_per_100_reviews": True,  # 2 disputes
        "caseload_per_establishment_fte": False,  # a caseload is the IRO team's or the service's, not the area's
        "iro_fte_in_post": False,  # staff, not children
        "reviews_overdue": False,  # no value
        "minutes_on_time_pct": True,  # 20 of 22: the 2 late are given away
    }


def test_indicator_threshold_is_a_setting():
    flags = suppressed_in_a_small_area(threshold=2)
    assert flags["children_in_care"] is False  # 3 > 2
    assert flags["participation_pct"] is True  # numerator 2
    assert flags["minutes_on_time_pct"] is True  # 22 - 20 = 2
    assert flags["reviews_chaired_by_iro_pct"] is False  # 10 of 40


def test_single_small_area_gets_a_secondary_cell_in_a_column_with_a_total():
    table = pl.DataFrame({"area": ["A", "B", "C", "D", "All areas"], "children": [120, 3, 45, 7, 175]})
    result = suppress_table(table, ["children"], total_row=True)
    # B (3) is primary; the column total would give 175 - 120 - 45 - 7 = 3, so the next-smallest
    # cell, D (7), goes too: 175 - 165 = 10 is now B + D, which does not give either.
    assert result.frame["children"].to_list() == ["120", MARKER, "45", MARKER, "175"]
    assert result.primary["children"].to_list() == [False, True, False, False, False]
    assert result.frame["area"].to_list() == ["A", "B", "C", "D", "All areas"]
    assert result.footnotes == [footnote()]


def test_secondary_cell_prefers_a_non_zero_cell():
    table = pl.DataFrame({"area": ["A", "B", "C", "Total"], "children": [0, 2, 30, 32]})
    result = suppress_table(table, ["children"], total_row=True)
    # 2 is primary; 0 would not hide it (32 - 30 = 2 = B + 0), so C (30) is the secondary cell.
    assert result.frame["children"].to_list() == ["0", MARKER, MARKER, "32"]


def test_shares_are_suppressed_with_their_counts_and_with_a_suppressed_total():
    table = pl.DataFrame(
        {"area": ["A", "B", "C", "Total"], "children": [20, 4, 26, 50], "pct": [40.0, 8.0, 52.0, 100.0]}
    )
    result = suppress_table(table, ["children"], total_row=True, derived={"pct": "children"}, decimals={"pct": 1})
    # 4 primary; secondary is the next-smallest, A (20).
    assert result.frame["children"].to_list() == [MARKER, MARKER, "26", "50"]
    assert result.frame["pct"].to_list() == [MARKER, MARKER, "52.0", "100.0"]

    small_total = pl.DataFrame({"area": ["A", "B", "Total"], "children": [0, 3, 3], "pct": [0.0, 100.0, 100.0]})
    hidden = suppress_table(small_total, ["children"], total_row=True, derived={"pct": "children"})
    # B and the total are small; A's 0 is shown but its share of a suppressed total is not.
    assert hidden.frame["children"].to_list() == ["0", MARKER, MARKER]
    assert hidden.frame["pct"].to_list() == [MARKER, MARKER, MARKER]


DISPUTES = pl.DataFrame(
    {
        "category": ["Care plan", "Health", "Other", "Total"],
        "level_1": [20, 10, 8, 38],
        "level_2": [3, 6, 5, 14],
        "level_3": [0, 1, 0, 1],
        "total": [23, 17, 13, 53],
    }
)
LEVELS = ["level_1", "level_2", "level_3", "total"]


def test_two_way_table_secondary_suppression_worked_by_hand():
    result = suppress_table(DISPUTES, LEVELS, total_column="total", total_row=True)
    # Primary: Care plan L2 (3), Health L3 (1), Total L3 (1).
    # Pass 1, rows: Care plan -> L1 (20, the only non-zero left); Health -> L2 (6, smaller than 10);
    #   Total row -> L2 (14). Columns: L1 now has Care plan only -> Other L1 (8, smaller than 10).
    # Pass 2: the Other row has only L1 -> Other L2 (5). Every line then has 0 or 2+ suppressed.
    assert result.frame.to_dicts() == [
        {"category": "Care plan", "level_1": "c", "level_2": "c", "level_3": "0", "total": "23"},
        {"category": "Health", "level_1": "10", "level_2": "c", "level_3": "c", "total": "17"},
        {"category": "Other", "level_1": "c", "level_2": "c", "level_3": "0", "total": "13"},
        {"category": "Total", "level_1": "38", "level_2": "c", "level_3": "c", "total": "53"},
    ]
    assert int(result.primary.select(pl.sum_horizontal(pl.col(LEVELS).sum())).item()) == 3


def test_whole_council_tables_are_formatted_but_not_suppressed():
    result = suppress_table(DISPUTES, LEVELS, total_column="total", total_row=True, apply=False)
    assert result.frame["level_2"].to_list() == ["3", "6", "5", "14"]
    assert result.footnotes == []
    big = suppress_table(pl.DataFrame({"a": ["x"], "n": [1831]}), ["n"])
    assert big.frame["n"].to_list() == ["1,831"]


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=4), min_size=2, max_size=5).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    ),
    threshold=st.integers(1, 5),
)
def test_no_line_with_a_total_is_left_with_one_suppressed_cell(cells, threshold):
    n_cols = len(cells[0])
    names = [f"c{i}" for i in range(n_cols)]
    rows = [[*row, sum(row)] for row in cells]
    rows.append([sum(col) for col in zip(*rows, strict=True)])
    frame = pl.DataFrame({name: [row[i] for row in rows] for i, name in enumerate([*names, "total"])})
    result = suppress_table(frame, [*names, "total"], total_column="total", total_row=True, threshold=threshold)
    mask = result.mask.rows()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if 1 <= value <= threshold:
                assert mask[i][j], "every small count is suppressed"
            assert (result.frame.row(i)[j] == MARKER) == mask[i][j]
    for i in range(len(rows)):
        assert sum(mask[i]) != 1, f"row {i} can be recovered"
    for j in range(n_cols + 1):
        assert sum(mask[i][j] for i in range(len(rows))) != 1, f"column {j} can be recovered"
