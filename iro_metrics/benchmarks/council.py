"""The council's own figures for the DfE's published measures, worked out from its dataset.

Definitions follow the DfE's "Children looked after in England including adoptions" statistics
(docs/indicators.md, "How we compare"): a year is the DfE's reporting year, 1 April to 31 March,
named by the year it ends (2025 = 2024-25). Episodes under an agreed series of short-term
placements (short breaks, legal status V3/V4) are left out of every measure, as the DfE leaves them
out. A child is looked after on 31 March when an episode started on or before that day and had not
ended by it (an episode ending on 31 March is not open at the end of the day).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl

from iro_metrics.care import episodes_with_periods_of_care, without_short_breaks
from iro_metrics.dataset import Dataset
from iro_metrics.indicators.breakdowns import age_on
from iro_metrics.periods import add_months
from iro_metrics.selection import coverage

# Reasons for a new episode that do not change the placement (a change of legal status only).
NOT_A_NEW_PLACEMENT = ("L",)
# Temporary placements (holidays, short stays) are not counted as placements.
TEMPORARY_PLACEMENTS = ("T0", "T1", "T2", "T3", "T4")
ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
PER_CHILDREN = 10_000
FIGURE_SCHEMA: dict[str, pl.DataType] = {
    "measure": pl.String(),
    "year": pl.Int64(),
    "numerator": pl.Int64(),
    "denominator": pl.Int64(),
    "value": pl.Float64(),
}


def year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of the DfE reporting year ending 31 March ``year``."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def covered_years(ds: Dataset) -> list[int]:
    """The reporting years the dataset covers in full (dataset.toml's first_day to last_day)."""
    first, last = coverage(ds)
    return [y for y in range(first.year, last.year + 2) if year_bounds(y)[0] >= first and year_bounds(y)[1] <= last]


def _episodes(ds: Dataset) -> pl.LazyFrame:
    return without_short_breaks(ds.table("episodes")).with_columns(pl.col(pl.Categorical).cast(pl.String))


def looked_after_on(ds: Dataset, day: date) -> pl.LazyFrame:
    """child_id of every child looked after at the end of ``day`` (short breaks left out)."""
    return (
        _episodes(ds)
        .filter((pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day)))
        .select(pl.col("child_id").cast(pl.String))
        .unique()
    )


def started_in(ds: Dataset, year: int) -> pl.LazyFrame:
    """Children who started to be looked after in the year (an S episode), each counted once."""
    first, last = year_bounds(year)
    return (
        _episodes(ds)
        .filter((pl.col("reason_new_episode") == "S") & pl.col("start_date").is_between(first, last))
        .select("child_id")
        .unique()
    )


def ceased_in(ds: Dataset, year: int) -> pl.LazyFrame:
    """Children who ceased to be looked after in the year (an episode ending for a reason other
    than X1, a change of episode), each counted once."""
    first, last = year_bounds(year)
    return (
        _episodes(ds)
        .filter(
            pl.col("end_date").is_between(first, last)
            & pl.col("reason_ceased").is_not_null()
            & (pl.col("reason_ceased") != "X1")
        )
        .select("child_id")
        .unique()
    )


def _with_placements(ds: Dataset) -> pl.LazyFrame:
    """Episodes (short breaks left out) with ``placement_start``: when the placement the episode
    belongs to began (a change of legal status only keeps the placement)."""
    episodes = (
        episodes_with_periods_of_care(ds.table("episodes"))
        .with_columns(pl.col(pl.Categorical).cast(pl.String))
        .sort("child_id", "start_date")
    )
    new_poc = pl.col("poc_id") != pl.col("poc_id").shift(1)
    starts = new_poc.fill_null(True) | ~pl.col("reason_new_episode").is_in(NOT_A_NEW_PLACEMENT)
    return episodes.with_columns(
        new_placement=starts,
        placement_start=pl.when(starts).then(pl.col("start_date")).forward_fill().over("poc_id"),
    )


def three_placements(ds: Dataset, year: int) -> pl.LazyFrame:
    """Children looked after on 31 March with 3 or more placements during the year: child_id, placements.

    Every placement open at some time in the year counts (the one held on 1 April included), each
    once however many legal-status changes it saw; temporary placements (T0-T4) are not counted.
    """
    first, last = year_bounds(year)
    in_year = _with_placements(ds).filter(
        (pl.col("start_date") <= last)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= first))
        & ~pl.col("placement_type").is_in(TEMPORARY_PLACEMENTS)
    )
    counted = in_year.group_by("child_id").agg(placements=pl.col("placement_start").n_unique())
    return (
        looked_after_on(ds, last)
        .join(counted, on="child_id", how="inner")
        .filter(pl.col("placements") >= 3)
        .select("child_id", "placements")
    )


def long_term_cohort(ds: Dataset, year: int) -> pl.LazyFrame:
    """Children under 16 on 31 March looked after continuously for at least 2.5 years then:
    child_id, stable (living in the same placement for at least 2 years, or placed for adoption
    with the adoptive placement and the one before it together lasting at least 2 years)."""
    day = year_bounds(year)[1]
    since_continuously = add_months(day, -30)
    two_years = add_months(day, -24)
    episodes = _with_placements(ds)
    placements = (
        episodes.filter(pl.col("new_placement"))
        .select("child_id", "poc_id", "placement_start")
        .sort("poc_id", "placement_start")
        .with_columns(previous_start=pl.col("placement_start").shift(1).over("poc_id"))
    )
    current = (
        episodes.filter((pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day)))
        .select("child_id", "poc_id", "poc_start", "placement_start", "placement_type")
        .join(placements.select("poc_id", "placement_start", "previous_start"), on=["poc_id", "placement_start"])
    )
    children = ds.table("children").select(pl.col("child_id").cast(pl.String), "date_of_birth")
    adopted_route = pl.col("placement_type").is_in(ADOPTION_PLACEMENTS) & (
        pl.col("previous_start").is_not_null() & (pl.col("previous_start") <= two_years)
    )
    return (
        current.join(children, on="child_id", how="inner")
        .filter((pl.col("poc_start") <= since_continuously) & (age_on(pl.lit(day), pl.col("date_of_birth")) < 16))
        .select("child_id", stable=(pl.col("placement_start") <= two_years) | adopted_route)
        .unique("child_id")
    )


def three_social_workers(ds: Dataset, year: int) -> pl.LazyFrame | None:
    """Children looked after on 31 March who had 3 or more social workers during the year
    (child_id, social_workers); None when the dataset records no social worker episodes."""
    if not ds.has_table("social_worker_episodes"):
        return None
    first, last = year_bounds(year)
    workers = (
        ds.table("social_worker_episodes")
        .with_columns(pl.col(pl.Categorical).cast(pl.String))
        .filter((pl.col("start_date") <= last) & (pl.col("end_date").is_null() | (pl.col("end_date") >= first)))
        .group_by("child_id")
        .agg(social_workers=pl.col("sw_id").n_unique())
    )
    return (
        looked_after_on(ds, last)
        .join(workers, on="child_id", how="inner")
        .filter(pl.col("social_workers") >= 3)
        .select("child_id", "social_workers")
    )


def _counted(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.select(pl.len())


def _year_plans(ds: Dataset, year: int) -> dict[str, pl.LazyFrame]:
    """The plans behind one year's figures: a row count each, and the long-term cohort's rows."""
    in_care = looked_after_on(ds, year_bounds(year)[1])
    plans = {
        "cla_31_march": _counted(in_care),
        "cla_starting": _counted(started_in(ds, year)),
        "cla_ceasing": _counted(ceased_in(ds, year)),
        "three_placements": _counted(three_placements(ds, year)),
        "long_term_cohort": long_term_cohort(ds, year).select(
            stable=pl.col("stable").sum().cast(pl.Int64), children=pl.len()
        ),
    }
    workers = three_social_workers(ds, year)
    if workers is not None:
        plans["three_social_workers"] = _counted(workers)
    return plans


def council_figures(
    ds: Dataset, years: Sequence[int] | None = None, population: Mapping[int, int] | None = None
) -> pl.DataFrame:
    """The council's own value of every DfE measure (FIGURE_SCHEMA), one row per measure and year.

    ``years`` defaults to every reporting year the dataset covers in full. Rates per 10,000 need
    ``population`` (children aged 0-17, by year, from the benchmark file); without it a rate's
    value and denominator are null and its count is still given. Every year's plans are collected
    together, in one pass.
    """
    chosen = list(covered_years(ds) if years is None else years)
    population = population or {}
    plans = [_year_plans(ds, year) for year in chosen]
    flat = [plan for year_plans in plans for plan in year_plans.values()]
    results = iter(pl.collect_all(flat))
    rows: list[dict] = []
    for year, year_plans in zip(chosen, plans, strict=True):
        answers = {name: next(results).row(0) for name in year_plans}
        people = population.get(year)
        counts = {measure: int(answers[measure][0]) for measure in ("cla_31_march", "cla_starting", "cla_ceasing")}
        for measure, count in counts.items():
            rate = count / people * PER_CHILDREN if people else None
            rows.append(dict(measure=measure, year=year, numerator=count, denominator=people, value=rate))
        stock = counts["cla_31_march"]
        rows.append(_percent("three_placements_pct", year, int(answers["three_placements"][0]), stock))
        stable, cohort = answers["long_term_cohort"]
        rows.append(_percent("long_term_stability_pct", year, int(stable), int(cohort)))
        if "three_social_workers" not in answers:
            rows.append(dict(measure="three_social_workers_pct", year=year, numerator=None, denominator=None))
        else:
            rows.append(_percent("three_social_workers_pct", year, int(answers["three_social_workers"][0]), stock))
    return pl.DataFrame(rows, schema=FIGURE_SCHEMA).sort("measure", "year")


def _percent(measure: str, year: int, numerator: int, denominator: int) -> dict:
    value = numerator / denominator * 100 if denominator else None
    return dict(measure=measure, year=year, numerator=numerator, denominator=denominator, value=value)
