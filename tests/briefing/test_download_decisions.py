"""Downloads take their cells from the one disclosure decision (issue 23 item 2), on the shipped data.

The two routes the issue found: the Overview scorecard CSV's previous and last-year values (and the
changes and directions beside them), and the Areas page's "Where performance slips" list, whose
display text skipped suppression. Each is checked against the committee paper of the same area and
period (``indicator_figures``, what the paper prints), not against the code that builds the download.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from iro_metrics.briefing import MARKER
from iro_metrics.briefing.downloads import publishable_frame
from iro_metrics.briefing.figures import indicator_figures
from iro_metrics.dataset import load_dataset
from iro_metrics.indicators import indicators_by_area
from iro_metrics.pages.areas import areas_figures
from iro_metrics.pages.overview import overview_figures
from iro_metrics.selection import Selection

SHIPPED = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(SHIPPED)


def _paper_prints(ds, period: str, area: str, cohort: str = "all") -> dict[str, str]:
    """What the area's paper prints for each indicator's value."""
    figures = indicator_figures(Selection.of(ds, period, [area], cohort)).filter(pl.col("measure") == "value")
    return dict(zip(figures["indicator"].to_list(), figures["shown"].to_list(), strict=True))


def _scorecard_csv(ds, period: str, area: str) -> pl.DataFrame:
    selection = Selection.of(ds, period, [area])
    card = overview_figures(selection).scorecard
    # what pages/overview.py offers as the scorecard's download
    return publishable_frame(card.drop("display", "previous_change_text", "last_year_change_text"), selection)


def test_the_issues_example_east_kent_q1_overdue_review_is_not_in_the_q2_scorecard(shipped):
    # East Kent had 1 review overdue at the end of 2013-14 Q1: the Q1 paper prints c, so the Q2
    # scorecard's previous value, and the change and direction that would give it, are c too.
    east = indicators_by_area(Selection.of(shipped, "2013-14-Q1")).filter(
        (pl.col("area") == "East Kent") & (pl.col("indicator") == "reviews_overdue")
    )
    assert east["value"].item() == 1
    assert _paper_prints(shipped, "2013-14-Q1", "East Kent")["reviews_overdue"] == MARKER
    row = _scorecard_csv(shipped, "2013-14-Q2", "East Kent").filter(pl.col("Indicator") == "reviews_overdue")
    assert row.select("Previous period", "Previous value", "Change vs previous", "Direction vs previous").row(0) == (
        "2013-14-Q1",
        MARKER,
        MARKER,
        MARKER,
    )


@pytest.mark.parametrize(("period", "area"), [("2013-14-Q2", "East Kent"), ("2014-15-Q3", "South Kent")])
def test_every_scorecard_comparison_is_printed_only_where_its_periods_paper_prints_it(shipped, period, area):
    csv = _scorecard_csv(shipped, period, area)
    papers: dict[str, dict[str, str]] = {}
    checked = 0
    for row in csv.iter_rows(named=True):
        indicator = row["Indicator"]
        current = _paper_prints(shipped, period, area).get(indicator)
        for label, value, change, direction in (
            ("Previous period", "Previous value", "Change vs previous", "Direction vs previous"),
            ("Last year period", "Last year value", "Change vs last year", "Direction vs last year"),
        ):
            if row[label] is None or row[value] in (None, ""):
                continue
            printed = papers.setdefault(row[label], _paper_prints(shipped, row[label], area)).get(indicator)
            if printed == MARKER:
                assert row[value] == MARKER, (indicator, label)
                checked += 1
            if MARKER in (printed, current) and row[change] not in (None, ""):
                assert row[change] == MARKER and row[direction] == MARKER, (indicator, label)
    assert checked > 0  # the selection has hidden comparisons to check


def test_the_issues_example_uasc_participation_is_not_listed_as_a_slip(shipped):
    # UASC Service, 2013-14 Q1: participation 97.1% of 136 reviews, so 4 did not take part: the area's
    # paper prints c, and the slips list (screen and CSV) no longer gives the rate beside its base.
    uasc = indicators_by_area(Selection.of(shipped, "2013-14-Q1")).filter(
        (pl.col("area") == "UASC Service") & (pl.col("indicator") == "participation_pct")
    )
    assert (uasc["denominator"].item(), uasc["denominator"].item() - uasc["numerator"].item()) == (136, 4)
    assert _paper_prints(shipped, "2013-14-Q1", "UASC Service")["participation_pct"] == MARKER
    slips = areas_figures(Selection.of(shipped, "2013-14-Q1", ["UASC Service"])).slips
    assert slips.filter((pl.col("area") == "UASC Service") & (pl.col("indicator") == "participation_pct")).is_empty()


@pytest.mark.parametrize("period", ["2013-14-Q1", "2013-14-Q4", "2025-26-Q4"])
def test_every_slip_listed_is_a_figure_its_areas_paper_prints(shipped, period):
    slips = areas_figures(Selection.of(shipped, period)).slips
    assert not slips.is_empty()
    printed = {area: _paper_prints(shipped, period, area) for area in slips["area"].unique().to_list()}
    for indicator, area in slips.select("indicator", "area").iter_rows():
        assert printed[area].get(indicator) not in (None, MARKER), (period, area, indicator)


def test_a_published_base_passes_into_the_scorecard_csv_as_its_text(shipped):
    # Disabled Children's Service, Q2 2025-26: 0 of its 8 new episodes (S, not short breaks) were
    # notified late (by hand from data/episodes.parquet: 7 notified the same day, one started on Friday
    # 29 August and notified on Monday 1 September, 1 working day), published, and the card's
    # small-base note "n = 8" is a text cell of the download. (Q4's 0 of 6 is now c: decided with its
    # year, one more period of the year is hidden.)
    csv = _scorecard_csv(shipped, "2025-26-Q2", "Disabled Children's Service")
    late = csv.filter(pl.col("Indicator") == "late_notifications_pct")
    assert late.select("Value", "Base").row(0) == ("0.0%", "n = 8")
