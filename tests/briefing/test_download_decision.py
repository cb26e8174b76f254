"""Downloads take their cells from the one disclosure decision (issue 23, item 2), on the shipped data.

(a) The Areas page's "Where performance slips": UASC Service, 2013-14 Q1, participation was
97.1% of 136 (132 took part, 4 did not: a hidden count of 1-4), and the display text passed
unsuppressed. (b) The Overview scorecard for East Kent, 2013-14 Q2: ``Previous value`` was 1
overdue review for Q1, which the Q1 paper prints as ``c``.
"""

from __future__ import annotations

import io

import polars as pl
import pytest

from iro_metrics.briefing import MARKER
from iro_metrics.briefing.downloads import publishable_csv
from iro_metrics.briefing.period_table import period_table
from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import indicators_by_area
from iro_metrics.judgement import scorecard
from iro_metrics.pages.areas import areas_figures
from iro_metrics.periods import parse_period
from iro_metrics.selection import Selection


@pytest.fixture(scope="module")
def shipped():
    return load_dataset("data")


def test_slips_leave_out_a_rate_the_decision_hides(shipped):
    whole = Selection.of(shipped, "2013-14-Q1", None, "all")
    row = indicators_by_area(whole).filter(
        (pl.col("indicator") == "participation_pct") & (pl.col("area") == "UASC Service")
    )
    # The working: 136 reviews, 97.1% took part, so 136 - 132 = 4 did not (1 to 4: small).
    assert row["denominator"].item() == 136
    assert row["numerator"].item() == 132
    assert period_table(shipped, parse_period("2013-14-Q1")).suppressed("participation_pct", ["UASC Service"], "all")
    slips = areas_figures(whole).slips
    assert slips.filter((pl.col("indicator") == "participation_pct") & (pl.col("area") == "UASC Service")).is_empty()
    # Every slip left is one the decision publishes.
    table = period_table(shipped, parse_period("2013-14-Q1"))
    assert not any(table.suppressed(i, [a], "all") for i, a in slips.select("indicator", "area").iter_rows())


def test_scorecard_previous_and_last_year_values_take_their_own_periods_decision(shipped):
    selection = Selection.of(shipped, "2013-14-Q2", ("East Kent",), "all")
    card = scorecard(selection)
    overdue = card.filter(pl.col("indicator") == "reviews_overdue")
    assert overdue["previous_period"].item() == "2013-14-Q1"
    assert overdue["previous_value"].item() == 1  # the figure: 1 overdue review in Q1
    q1 = period_table(shipped, parse_period("2013-14-Q1"))
    assert q1.suppressed("reviews_overdue", ["East Kent"], "all")
    csv = pl.read_csv(io.StringIO(publishable_csv(card, selection)), infer_schema=False)
    printed = csv.filter(pl.col("Indicator") == "reviews_overdue").row(0, named=True)
    assert printed["Previous value"] == MARKER
    assert printed["Change vs previous"] == MARKER
    # Every comparison cell follows its own period's decision, and a change both periods'.
    now = period_table(shipped, selection.period)
    for row in csv.iter_rows(named=True):
        for period_col, value_col, change_col in (
            ("Previous period", "Previous value", "Change vs previous"),
            ("Last year period", "Last year value", "Change vs last year"),
        ):
            then_hidden = period_table(shipped, parse_period(row[period_col])).suppressed(
                row["Indicator"], ["East Kent"], "all"
            )
            now_hidden = now.suppressed(row["Indicator"], ["East Kent"], "all")
            if then_hidden:
                assert row[value_col] == MARKER, (row["Indicator"], value_col)
            if (then_hidden or now_hidden) and row[change_col]:
                assert row[change_col] == MARKER, (row["Indicator"], change_col)
