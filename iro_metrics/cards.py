"""What a topic page's value cards say under each value: the change against the previous period and
against the same period last year, with its direction, exactly as the Overview's scorecard does.

The judging is ``judgement.scorecard`` (the Overview's machinery); this module only picks a page's
indicators and writes the changes as the cards show them.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from iro_metrics.catalogue import catalogue_for, format_change
from iro_metrics.formatting import period_expr
from iro_metrics.judgement import scorecard
from iro_metrics.selection import Selection


def card_changes(selection: Selection, indicators: Sequence[str] = ()) -> pl.DataFrame:
    """Each indicator's change against the previous period and the same period last year.

    Columns: indicator, previous_period and last_year_period (as people read them, 'Q3 2013-14'),
    previous_change_text and last_year_change_text ('+0.6 pts', '+11', '–' when there is nothing
    to compare), direction_vs_previous and direction_vs_last_year (judgement's words or null).
    For a year, "previous" is last year already, so last_year_period equals previous_period.
    """
    cat = catalogue_for(selection.ds.path)
    wanted = [i for i in indicators if i in cat]
    card = scorecard(selection, indicators=wanted, catalogue=cat)
    rows = card.select("indicator", "change_vs_previous", "change_vs_last_year").rows()
    return card.select(
        "indicator",
        period_expr(pl.col("previous_period")).alias("previous_period"),
        pl.Series("previous_change_text", [format_change(cat[i], c) for i, c, _ in rows], dtype=pl.String),
        "direction_vs_previous",
        period_expr(pl.col("last_year_period")).alias("last_year_period"),
        pl.Series("last_year_change_text", [format_change(cat[i], c) for i, _, c in rows], dtype=pl.String),
        "direction_vs_last_year",
    )
