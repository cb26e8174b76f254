"""The council's own figures by the DfE's definitions, on a hand-built council (docs/indicators.md,
"How we compare"). Every expected value below is worked out by hand from the rows."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from iro_metrics.benchmarks.council import (
    ceased_in,
    council_figures,
    long_term_cohort,
    looked_after_on,
    started_in,
    three_placements,
    three_social_workers,
    year_bounds,
)
from tests.builders import make_dataset

d = date
YEAR = 2025  # 1 April 2024 to 31 March 2025


def _council():
    children = [
        dict(child_id="a", date_of_birth=d(2012, 5, 1)),
        dict(child_id="b", date_of_birth=d(2010, 1, 1)),
        dict(child_id="c", date_of_birth=d(2021, 6, 1)),
        dict(child_id="d", date_of_birth=d(2008, 6, 1)),  # 16 on 31 March 2025
        dict(child_id="e", date_of_birth=d(2015, 1, 1)),
        dict(child_id="f", date_of_birth=d(2014, 1, 1)),
        dict(child_id="g", date_of_birth=d(2007, 3, 31)),
        dict(child_id="h", date_of_birth=d(2013, 1, 1)),
    ]
    episodes = [
        # a: in the same foster placement since January 2020.
        dict(child_id="a", start_date=d(2020, 1, 10)),
        # b: in care since 2021; moves in May and September 2024, a legal change in December.
        dict(child_id="b", start_date=d(2021, 1, 1), end_date=d(2024, 5, 1), reason_ceased="X1", placement_type="U6"),
        dict(
            child_id="b", start_date=d(2024, 5, 1), end_date=d(2024, 9, 1), reason_ceased="X1", reason_new_episode="P"
        ),
        dict(
            child_id="b", start_date=d(2024, 9, 1), end_date=d(2024, 12, 1), reason_ceased="X1", reason_new_episode="P"
        ),
        dict(child_id="b", start_date=d(2024, 12, 1), reason_new_episode="L", legal_status="E1"),
        # c: fostered by approved adopters from January 2022, placed for adoption with them in October 2024.
        dict(child_id="c", start_date=d(2022, 1, 1), end_date=d(2024, 10, 1), reason_ceased="X1", placement_type="U5"),
        dict(child_id="c", start_date=d(2024, 10, 1), reason_new_episode="P", placement_type="A6", legal_status="E1"),
        # d: in care since 2019 but 16 on 31 March 2025.
        dict(child_id="d", start_date=d(2019, 1, 1)),
        # e: starts, goes home, starts again: one start, one cease, in care on 31 March.
        dict(child_id="e", start_date=d(2024, 6, 10), end_date=d(2024, 8, 1), reason_ceased="E4A", legal_status="V2"),
        dict(child_id="e", start_date=d(2024, 11, 1)),
        # f: short breaks only: left out of everything.
        dict(child_id="f", start_date=d(2024, 5, 1), end_date=d(2024, 5, 3), reason_ceased="E4A", legal_status="V3"),
        dict(child_id="f", start_date=d(2024, 9, 1), legal_status="V4"),
        # g: starts on the first day of the year, leaves on its last: not looked after at the end of it.
        dict(child_id="g", start_date=d(2024, 4, 1), end_date=d(2025, 3, 31), reason_ceased="E8"),
        # h: a two-week holiday placement (T3) between two placements: 2 placements, not 3.
        dict(child_id="h", start_date=d(2023, 1, 1), end_date=d(2024, 7, 1), reason_ceased="X1", placement_type="U6"),
        dict(
            child_id="h",
            start_date=d(2024, 7, 1),
            end_date=d(2024, 7, 14),
            reason_ceased="X1",
            reason_new_episode="T",
            placement_type="T3",
        ),
        dict(child_id="h", start_date=d(2024, 7, 14), reason_new_episode="P"),
    ]
    social_workers = [
        # a: three social workers in the year.
        dict(child_id="a", sw_id="sw1", start_date=d(2023, 1, 1), end_date=d(2024, 5, 1)),
        dict(child_id="a", sw_id="sw2", start_date=d(2024, 5, 1), end_date=d(2024, 12, 1)),
        dict(child_id="a", sw_id="sw3", start_date=d(2024, 12, 1), end_date=None),
        # b: the first worker left the day before the year began: two in the year.
        dict(child_id="b", sw_id="sw4", start_date=d(2021, 1, 1), end_date=d(2024, 3, 31)),
        dict(child_id="b", sw_id="sw5", start_date=d(2024, 3, 31), end_date=d(2024, 6, 1)),
        dict(child_id="b", sw_id="sw6", start_date=d(2024, 6, 1), end_date=None),
        # e: the same worker twice and one other: two different workers.
        dict(child_id="e", sw_id="sw7", start_date=d(2024, 6, 10), end_date=d(2024, 8, 1)),
        dict(child_id="e", sw_id="sw8", start_date=d(2024, 11, 1), end_date=d(2024, 12, 1)),
        dict(child_id="e", sw_id="sw7", start_date=d(2024, 12, 1), end_date=None),
        # g: three workers but not looked after on 31 March.
        dict(child_id="g", sw_id="sw1", start_date=d(2024, 4, 1), end_date=d(2024, 6, 1)),
        dict(child_id="g", sw_id="sw2", start_date=d(2024, 6, 1), end_date=d(2024, 9, 1)),
        dict(child_id="g", sw_id="sw3", start_date=d(2024, 9, 1), end_date=d(2025, 3, 31)),
    ]
    return make_dataset(
        first_day=d(2024, 4, 1),
        last_day=d(2025, 3, 31),
        children=children,
        episodes=episodes,
        social_worker_episodes=social_workers,
    )


@pytest.fixture(scope="module")
def council():
    return _council()


def ids(frame: pl.LazyFrame) -> list[str]:
    return sorted(frame.collect()["child_id"].to_list())


def test_reporting_year_runs_april_to_march():
    assert year_bounds(2025) == (d(2024, 4, 1), d(2025, 3, 31))


def test_looked_after_on_31_march_leaves_out_short_breaks_and_those_leaving_that_day(council):
    assert ids(looked_after_on(council, d(2025, 3, 31))) == ["a", "b", "c", "d", "e", "h"]


def test_starting_and_ceasing_count_each_child_once_and_ignore_changes_of_episode(council):
    assert ids(started_in(council, YEAR)) == ["e", "g"]
    assert ids(ceased_in(council, YEAR)) == ["e", "g"]


def test_three_placements_counts_placements_not_legal_changes_or_holidays(council):
    moved = three_placements(council, YEAR).collect()
    assert moved.rows() == [("b", 3)]


def test_long_term_stability_cohort_and_who_is_stable(council):
    cohort = long_term_cohort(council, YEAR).collect().sort("child_id")
    # a: same placement since 2020; b: moved in September 2024; c: adoptive placement plus the
    # one before it go back to January 2022. d is 16; e, g and h have not been in care 2.5 years.
    assert cohort.rows() == [("a", True), ("b", False), ("c", True)]


def test_three_social_workers_counts_different_workers_in_the_year(council):
    assert three_social_workers(council, YEAR).collect().rows() == [("a", 3)]


def test_council_figures_give_counts_rates_and_percentages(council):
    figures = council_figures(council, [YEAR], population={YEAR: 4_000})
    got = {row["measure"]: row for row in figures.iter_rows(named=True)}
    assert (got["cla_31_march"]["numerator"], got["cla_31_march"]["denominator"]) == (6, 4_000)
    assert got["cla_31_march"]["value"] == pytest.approx(15.0)  # 6 / 4,000 x 10,000
    assert got["cla_starting"]["value"] == pytest.approx(5.0)  # 2 / 4,000 x 10,000
    assert got["cla_ceasing"]["value"] == pytest.approx(5.0)
    assert (got["three_placements_pct"]["numerator"], got["three_placements_pct"]["denominator"]) == (1, 6)
    assert got["three_placements_pct"]["value"] == pytest.approx(100 / 6)
    assert (got["long_term_stability_pct"]["numerator"], got["long_term_stability_pct"]["denominator"]) == (2, 3)
    assert got["three_social_workers_pct"]["value"] == pytest.approx(100 / 6)


def test_without_population_a_rate_keeps_its_count_only(council):
    figures = council_figures(council, [YEAR])
    row = figures.filter(pl.col("measure") == "cla_starting").row(0, named=True)
    assert (row["numerator"], row["denominator"], row["value"]) == (2, None, None)


def test_without_social_worker_episodes_the_measure_is_not_recorded():
    ds = make_dataset(
        first_day=d(2024, 4, 1),
        last_day=d(2025, 3, 31),
        episodes=[dict(child_id="a", start_date=d(2020, 1, 10))],
        missing=("social_worker_episodes",),
    )
    assert three_social_workers(ds, YEAR) is None
    row = council_figures(ds, [YEAR]).filter(pl.col("measure") == "three_social_workers_pct").row(0, named=True)
    assert (row["numerator"], row["value"]) == (None, None)
