"""What-if scenarios: staffing and caseloads, UASC arrivals, and counts at an earlier period's rate.

The models are deliberately simple and stated in docs/compare.md:

- Caseload per FTE = children in care (whole service) / IRO FTE. The FTE needed for a caseload
  target is children / target, exact; ``fte_needed_rounded_up`` rounds it up to the next 0.1 FTE,
  the smallest establishment that meets the target (1842 children at 70 each: 26.31 exact, 26.4).
- UASC arrivals up or down by p%: the UASC cohort's children in care (its stock) and its reviews
  scale by the same factor (1 + p/100), i.e. UASC children stay in care and are reviewed as
  often as now. Citizen children are unchanged. Reviews a year are the period's reviews held
  scaled to a year (x4 for a quarter). Caseloads use the whole service, as staffing is per team.
- "At the earlier rate": this period's volume times the base period's rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from iro_metrics.catalogue import UNIT_LABELS
from iro_metrics.compare import count_decompositions
from iro_metrics.dataset import Dataset
from iro_metrics.indicators import SelectionError, compute_indicators
from iro_metrics.periods import Period, parse_period

DEFAULT_CASELOAD_TARGET = 70.0  # statutory guidance: no more than 70 children per FTE IRO
FTE_STEP = 0.1
SCENARIO_COLUMNS = ("measure", "unit", "baseline", "scenario", "change")


def caseload_per_fte(children: float, fte: float) -> float | None:
    """Children per FTE IRO; None when there is no FTE."""
    if children < 0 or fte < 0:
        raise ValueError(f"children ({children}) and FTE ({fte}) cannot be negative")
    return children / fte if fte > 0 else None


def fte_needed(children: float, target_caseload: float) -> float:
    """Exact FTE that gives ``target_caseload`` children per FTE (1842 at 70 = 26.314...)."""
    if target_caseload <= 0:
        raise ValueError(f"the caseload target must be more than 0, not {target_caseload}")
    if children < 0:
        raise ValueError(f"children cannot be negative ({children})")
    return children / target_caseload


def fte_needed_rounded_up(children: float, target_caseload: float, step: float = FTE_STEP) -> float:
    """The smallest multiple of ``step`` FTE at which caseloads are at most the target (26.4 for 1842/70)."""
    exact = fte_needed(children, target_caseload)
    # Scale to whole steps; the small tolerance keeps an exact multiple (e.g. 1680/70 = 24.0) where it is.
    steps = math.ceil(round(exact / step, 9))
    return round(steps * step, 10)


def _scenario_frame(rows: list[tuple[str, str, float | None, float | None]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        rows,
        schema={"measure": pl.String, "unit": pl.String, "baseline": pl.Float64, "scenario": pl.Float64},
        orient="row",
    )
    return frame.with_columns((pl.col("scenario") - pl.col("baseline")).alias("change")).select(SCENARIO_COLUMNS)


def staffing_scenario(
    children: float, fte_now: float, fte_scenario: float, target_caseload: float = DEFAULT_CASELOAD_TARGET
) -> pl.DataFrame:
    """Caseloads now and with ``fte_scenario`` FTE, and the FTE a caseload target needs.

    Rows (measure, unit, baseline, scenario, change): children in care, IRO FTE, children per FTE,
    FTE needed for the target (exact), FTE needed rounded up to 0.1, FTE short of the target
    (negative = spare).
    """
    needed = fte_needed(children, target_caseload)
    needed_up = fte_needed_rounded_up(children, target_caseload)
    target_words = f"{target_caseload:g}"
    return _scenario_frame(
        [
            ("Children in care (whole service)", "count", children, children),
            ("IRO FTE", "fte", fte_now, fte_scenario),
            (
                "Children per FTE IRO",
                "per_fte",
                caseload_per_fte(children, fte_now),
                caseload_per_fte(children, fte_scenario),
            ),
            (f"FTE needed for {target_words} children per FTE", "fte", needed, needed),
            (f"FTE needed for {target_words} per FTE, rounded up to 0.1", "fte", needed_up, needed_up),
            (
                f"FTE short of {target_words} per FTE (negative: spare)",
                "fte",
                needed - fte_now,
                needed - fte_scenario,
            ),
        ]
    )


@dataclass(frozen=True)
class UascBaseline:
    """The whole-service figures the UASC scenario scales (children at period end, reviews a year)."""

    children_all: float
    children_uasc: float
    children_citizen: float
    starting_uasc: float
    reviews_all_per_year: float
    reviews_uasc_per_year: float
    reviews_citizen_per_year: float
    fte: float | None


def periods_per_year(period: Period) -> int:
    """How many periods of this kind make a year (4 quarters, 1 year)."""
    return 4 if period.kind == "quarter" else 1


def uasc_baseline(
    ds: Dataset, period: Period | str, areas: Sequence[str] | None = None, cohort: str = "all"
) -> UascBaseline:
    """Read the whole-service baseline for the scenarios from the dataset's indicators.

    ``areas`` and ``cohort`` are accepted so the page can pass its selection, and ignored: IRO
    staffing is per team, so caseloads and the UASC scenario always use the whole service.
    """
    del areas, cohort
    try:
        p = period if isinstance(period, Period) else parse_period(period)
    except ValueError as err:
        raise SelectionError(str(err)) from err
    per_year = periods_per_year(p)

    def values(cohort: str) -> dict[str, float]:
        frame = compute_indicators(ds, p, None, cohort)
        return {row["indicator"]: row["value"] for row in frame.select("indicator", "value").iter_rows(named=True)}

    every, uasc, citizen = values("all"), values("uasc"), values("citizen")

    def number(source: dict[str, float], indicator: str) -> float:
        return float(source.get(indicator) or 0.0)

    return UascBaseline(
        children_all=number(every, "children_in_care"),
        children_uasc=number(uasc, "children_in_care"),
        children_citizen=number(citizen, "children_in_care"),
        starting_uasc=number(uasc, "children_starting_care"),
        reviews_all_per_year=number(every, "reviews_held") * per_year,
        reviews_uasc_per_year=number(uasc, "reviews_held") * per_year,
        reviews_citizen_per_year=number(citizen, "reviews_held") * per_year,
        fte=every.get("iro_fte_establishment"),
    )


def uasc_scenario(
    baseline: UascBaseline,
    change_pct: float,
    fte: float | None = None,
    target_caseload: float = DEFAULT_CASELOAD_TARGET,
) -> pl.DataFrame:
    """UASC arrivals up (or down) by ``change_pct`` percent: projected children, reviews and caseloads.

    The UASC stock and its reviews scale by (1 + change_pct / 100); citizen children do not
    change. ``fte`` (default: the baseline establishment) sets the caseload rows.
    Rows: measure, unit, baseline, scenario, change.
    """
    if change_pct < -100:
        raise ValueError(f"arrivals cannot fall by more than 100% ({change_pct}%)")
    factor = 1 + change_pct / 100
    fte = baseline.fte if fte is None else fte
    extra_children = baseline.children_uasc * (factor - 1)
    children_scenario = baseline.children_all + extra_children
    uasc_reviews_per_child = (
        baseline.reviews_uasc_per_year / baseline.children_uasc if baseline.children_uasc > 0 else None
    )
    rows: list[tuple[str, str, float | None, float | None]] = [
        (
            "UASC starting care in the period",
            "count",
            baseline.starting_uasc,
            baseline.starting_uasc * factor,
        ),
        ("UASC in care", "count", baseline.children_uasc, baseline.children_uasc * factor),
        ("Citizen children in care", "count", baseline.children_citizen, baseline.children_citizen),
        ("All children in care", "count", baseline.children_all, children_scenario),
        (
            "Reviews a year: UASC",
            "count",
            baseline.reviews_uasc_per_year,
            baseline.reviews_uasc_per_year * factor,
        ),
        (
            "Reviews a year: citizen children",
            "count",
            baseline.reviews_citizen_per_year,
            baseline.reviews_citizen_per_year,
        ),
        (
            "Reviews a year: all children",
            "count",
            baseline.reviews_all_per_year,
            baseline.reviews_all_per_year + baseline.reviews_uasc_per_year * (factor - 1),
        ),
        ("Reviews a year per UASC child", "ratio", uasc_reviews_per_child, uasc_reviews_per_child),
    ]
    if fte is not None and fte > 0:
        rows.append(("IRO FTE", "fte", fte, fte))
        rows.append(("Children per FTE IRO", "per_fte", baseline.children_all / fte, children_scenario / fte))
    rows.append(
        (
            f"FTE needed for {target_caseload:g} children per FTE",
            "fte",
            fte_needed(baseline.children_all, target_caseload),
            fte_needed(children_scenario, target_caseload),
        )
    )
    return _scenario_frame(rows)


def at_earlier_rate_from(decompositions: pl.DataFrame) -> pl.DataFrame:
    """From count_decompositions' frame: the count period B would have had at period A's rate.

    Columns: count, title, volume_title, volume_b, rate_a, rate_b (per 100), actual_b,
    at_earlier_rate (= volume_b x rate_a / 100; null when period A had no volume), difference.
    """
    at_rate = pl.when(pl.col("volume_a") > 0).then(pl.col("volume_b") * pl.col("rate_a") / 100)
    return decompositions.select(
        "count",
        "title",
        "volume_title",
        "volume_b",
        pl.when(pl.col("volume_a") > 0).then(pl.col("rate_a")).alias("rate_a"),
        pl.when(pl.col("volume_b") > 0).then(pl.col("rate_b")).alias("rate_b"),
        pl.col("count_b").alias("actual_b"),
        at_rate.alias("at_earlier_rate"),
        (pl.col("count_b") - at_rate).alias("difference"),
    )


def counts_at_earlier_rate(
    ds: Dataset,
    period_a: Period | str,
    period_b: Period | str,
    areas: Sequence[str] | None = None,
    cohort: str = "all",
) -> pl.DataFrame:
    """Each rate x volume count in period B, and what it would have been at period A's rate."""
    return at_earlier_rate_from(count_decompositions(ds, period_a, period_b, areas, cohort))


SCENARIO_UNIT_LABELS: dict[str, str] = {**UNIT_LABELS, "ratio": "reviews per child"}


def scenario_display_table(scenario: pl.DataFrame, label_now: str = "Now") -> pl.DataFrame:
    """A scenario frame as people read it: unit in words, counts to 0.1 and the rest to 0.01.

    Columns: Measure, Unit, <label_now>, Scenario, Change.
    """
    decimals = pl.when(pl.col("unit") == "count").then(1).otherwise(2)
    rounded = [
        pl.when(decimals == 1).then(pl.col(c).round(1)).otherwise(pl.col(c).round(2)).alias(c)
        for c in ("baseline", "scenario", "change")
    ]
    return scenario.with_columns(*rounded).select(
        pl.col("measure").alias("Measure"),
        pl.col("unit").replace_strict(SCENARIO_UNIT_LABELS, default=pl.col("unit")).alias("Unit"),
        pl.col("baseline").alias(label_now),
        pl.col("scenario").alias("Scenario"),
        pl.col("change").alias("Change"),
    )
