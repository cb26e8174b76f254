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
from dataclasses import dataclass

import polars as pl

from iro_metrics.catalogue import UNIT_LABELS
from iro_metrics.compare import count_decompositions
from iro_metrics.formatting import fte_text, in_sentence, number_text, period_text
from iro_metrics.indicators import compute_indicators
from iro_metrics.periods import Period
from iro_metrics.selection import Selection

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


def scenario_start_fte(baseline: UascBaseline, target_caseload: float = DEFAULT_CASELOAD_TARGET) -> float:
    """Where the staffing scenario starts: the recorded establishment, or, when staffing is not
    recorded, the FTE that would meet the target (26.4 for 1,842 children at 70), never "no FTE"."""
    if baseline.fte:
        return round(baseline.fte, 1)
    return fte_needed_rounded_up(baseline.children_all, target_caseload)


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


def uasc_baseline(selection: Selection) -> UascBaseline:
    """Read the whole-service baseline for the scenarios from the dataset's indicators for the
    selection's period. Its areas and cohort are not used: IRO staffing is per team, so caseloads
    and the UASC scenario always use the whole service.
    """
    whole = selection.whole_council()
    per_year = periods_per_year(selection.period)

    def values(cohort: str) -> dict[str, float]:
        frame = compute_indicators(whole.for_cohort(cohort))
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
    change. ``fte`` (default: the baseline establishment) is the scenario's establishment: the
    baseline column shows today's FTE and caseload, the scenario column ``fte`` and the caseload
    it gives. Rows: measure, unit, baseline, scenario, change.
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
    # The baseline column holds today's establishment and caseload; the scenario column the FTE
    # chosen for the scenario (which may differ from today's) and the caseload it gives.
    fte_now = baseline.fte if baseline.fte and baseline.fte > 0 else None
    if fte_now is not None or (fte is not None and fte > 0):
        rows.append(("IRO FTE", "fte", fte_now, fte if fte and fte > 0 else None))
        rows.append(
            (
                "Children per FTE IRO",
                "per_fte",
                caseload_per_fte(baseline.children_all, fte_now) if fte_now else None,
                caseload_per_fte(children_scenario, fte) if fte and fte > 0 else None,
            )
        )
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


def counts_at_earlier_rate(base: Selection, other: Selection) -> pl.DataFrame:
    """Each rate x volume count in period B (other), and what it would have been at period A's (base) rate."""
    return at_earlier_rate_from(count_decompositions(base, other))


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


# --- The answers in sentences ------------------------------------------------------------------------
# Each scenario is led by one plain sentence a manager can read aloud. Caseloads are written to
# 0.1 child per FTE and FTE to 0.1 (the FTE that meets a target is the exact figure to 0.1, as
# people say it: 1,842 children at 70 each is 26.3 FTE; the tables add the rounded-up 26.4).


def _target_words(target_caseload: float) -> str:
    """'the guideline of 70' for the statutory figure, 'the target of 60' for any other."""
    kind = "guideline" if target_caseload == DEFAULT_CASELOAD_TARGET else "target"
    return f"the {kind} of {fte_text(target_caseload)}"


def _against_target(caseload: float, target_caseload: float, *, still: bool = False) -> str:
    """'6.8 above the guideline of 70' / 'exactly at ...' / '4.2 below ...' at display precision."""
    gap = round(caseload, 1) - round(target_caseload, 1)
    target = _target_words(target_caseload)
    if round(gap, 1) == 0:
        return f"exactly at {target}"
    if gap > 0:
        return f"{'still ' if still else ''}{number_text(gap, 1)} above {target}"
    return f"{number_text(-gap, 1)} below {target}"


def staffing_sentence(
    children: float,
    fte_scenario: float,
    target_caseload: float = DEFAULT_CASELOAD_TARGET,
    fte_now: float | None = None,
) -> str:
    """The staffing what-if in one sentence.

    'With 24 FTE, caseloads would be 76.8 children per IRO, still 6.8 above the guideline of 70;
    26.3 FTE would meet it.' ('still' when caseloads are above the target now, with ``fte_now``.)
    """
    needed = fte_text(fte_needed(children, target_caseload))
    caseload = caseload_per_fte(children, fte_scenario)
    if caseload is None:
        return (
            f"With no IRO FTE, caseloads cannot be worked out; {needed} FTE would meet "
            f"{_target_words(target_caseload)} for {number_text(children)} children in care."
        )
    now = caseload_per_fte(children, fte_now) if fte_now is not None else None
    still = now is not None and round(now, 1) > round(target_caseload, 1)
    position = _against_target(caseload, target_caseload, still=still)
    if round(caseload, 1) > round(target_caseload, 1):
        ending = f"{needed} FTE would meet it"
    else:
        ending = f"{needed} FTE would be enough"
    return (
        f"With {fte_text(fte_scenario)} FTE, caseloads would be {number_text(caseload, 1)} children per IRO, "
        f"{position}; {ending}."
    )


def current_caseload_sentence(
    children: float, fte_now: float | None, period_text_: str, target_caseload: float = DEFAULT_CASELOAD_TARGET
) -> str:
    """Where caseloads stand now: 'At the end of Q4 2013-14, 1,842 children in care and 22 FTE: 83.7
    children per IRO, 13.7 above the guideline of 70.'"""
    caseload = caseload_per_fte(children, fte_now) if fte_now else None
    if caseload is None:
        return (
            f"At the end of {period_text_}, {number_text(children)} children were in care and no IRO FTE was "
            "recorded, so caseloads cannot be worked out."
        )
    return (
        f"At the end of {period_text_}, {number_text(children)} children in care and {fte_text(fte_now)} FTE: "
        f"{number_text(caseload, 1)} children per IRO, {_against_target(caseload, target_caseload)}."
    )


def caseload_without_uasc(baseline: UascBaseline) -> float | None:
    """Children per FTE IRO if no UASC were in care: citizen children / FTE (1,544 / 29 = 53.2)."""
    return caseload_per_fte(baseline.children_citizen, baseline.fte) if baseline.fte else None


def without_uasc_sentence(
    baseline: UascBaseline, period_text_: str, target_caseload: float = DEFAULT_CASELOAD_TARGET
) -> str:
    """The caseload with and without UASC: 'Without UASC, caseloads at the end of 2015-16 would be
    53.2 children per IRO (1,544 citizen children, 29 FTE), against 83.7 with the 883 UASC.'"""
    without = caseload_without_uasc(baseline)
    if without is None:
        return (
            f"No IRO FTE was recorded at the end of {period_text_}, so caseloads cannot be worked out "
            f"({number_text(baseline.children_uasc)} of {number_text(baseline.children_all)} children in care "
            "were UASC)."
        )
    with_uasc = caseload_per_fte(baseline.children_all, baseline.fte or 0.0) or 0.0
    return (
        f"Without UASC, caseloads at the end of {period_text_} would be {number_text(without, 1)} children per IRO "
        f"({number_text(baseline.children_citizen)} citizen children, {fte_text(baseline.fte)} FTE), "
        f"{_against_target(without, target_caseload)}; with the {number_text(baseline.children_uasc)} UASC "
        f"they are {number_text(with_uasc, 1)}."
    )


def uasc_sentence(
    baseline: UascBaseline,
    change_pct: float,
    fte: float | None = None,
    target_caseload: float = DEFAULT_CASELOAD_TARGET,
) -> str:
    """The UASC what-if in one sentence: 'If UASC arrivals rose by 50%, UASC in care would go from 218
    to 327 and all children in care from 1,842 to 1,951: 81.3 children per IRO with 24 FTE, still
    11.3 above the guideline of 70; 27.9 FTE would meet it.'"""
    factor = 1 + change_pct / 100
    uasc_after = baseline.children_uasc * factor
    all_after = baseline.children_all + baseline.children_uasc * (factor - 1)
    if round(change_pct, 1) == 0:
        opening = "With UASC arrivals as they are, UASC in care stay at"
        flow = f"{number_text(uasc_after)} and all children in care at {number_text(all_after)}"
    else:
        verb = "rose" if change_pct > 0 else "fell"
        opening = f"If UASC arrivals {verb} by {number_text(abs(change_pct), 0)}%, UASC in care would go from"
        flow = (
            f"{number_text(baseline.children_uasc)} to {number_text(uasc_after)} and all children in care from "
            f"{number_text(baseline.children_all)} to {number_text(all_after)}"
        )
    fte = baseline.fte if fte is None else fte
    needed = fte_text(fte_needed(all_after, target_caseload))
    if not fte:
        return f"{opening} {flow}; {needed} FTE would meet {_target_words(target_caseload)}."
    caseload = all_after / fte
    now = baseline.children_all / fte
    still = round(now, 1) > round(target_caseload, 1)
    meets = round(caseload, 1) <= round(target_caseload, 1)
    return (
        f"{opening} {flow}: {number_text(caseload, 1)} children per IRO with {fte_text(fte)} FTE, "
        f"{_against_target(caseload, target_caseload, still=still)}; "
        f"{needed} FTE would {'be enough' if meets else 'meet it'}."
    )


def _whole(value: float | None) -> int:
    """A count as a whole number, halves rounded up (4.5 -> 5), as a person rounds."""
    return math.floor((value or 0.0) + 0.5)


def at_earlier_rate_sentences(at_rate: pl.DataFrame, period_a: Period | str, period_b: Period | str) -> list[str]:
    """One sentence per count of ``at_earlier_rate_from``'s frame, e.g. 'Late notifications: at
    2014-15's rate (12.0 per 100 children starting care), 2015-16's 1,200 children starting care would
    have given 144, against 180 (36 more than at the earlier rate).'"""
    a, b = period_text(period_a), period_text(period_b)
    sentences = []
    for row in at_rate.iter_rows(named=True):
        volume_words = row["volume_title"][:1].lower() + row["volume_title"][1:]
        if row["at_earlier_rate"] is None:
            sentences.append(f"{row['title']}: {a} had no {volume_words}, so there is no earlier rate to apply.")
            continue
        # The sentence's numbers agree with each other: the difference is taken between the two
        # whole numbers shown (4.5 reads "5", so 3 is "2 fewer"; never "4, against 3 (2 fewer)").
        would_have = _whole(row["at_earlier_rate"])
        actual = _whole(row["actual_b"])
        difference = actual - would_have
        if difference == 0:
            verdict = "the same as at the earlier rate"
        else:
            more = "more" if difference > 0 else "fewer"
            verdict = f"{number_text(abs(difference))} {more} than at the earlier rate"
        sentences.append(
            f"{row['title']}: at {a}'s rate ({number_text(row['rate_a'], 1)} per 100 {volume_words}), "
            f"{b}'s {number_text(row['volume_b'])} {volume_words} would have given "
            f"{number_text(would_have)}, against {number_text(actual)} ({verdict})."
        )
    return sentences


# --- One opening sentence and one chart per question (issue 26 item 6) --------------------------------

CASELOAD_CHART_COLUMNS = ("bar", "children", "fte", "caseload")


def caseload_comparison(
    children_now: float, fte_now: float | None, children_scenario: float, fte_scenario: float | None
) -> pl.DataFrame:
    """Caseloads now and in a scenario, for the chart that sets them against the guideline.

    Two rows, bar "Now" then "Scenario": children, fte, caseload (children per FTE; null with no FTE).
    """
    return pl.DataFrame(
        {
            "bar": ["Now", "Scenario"],
            "children": [float(children_now), float(children_scenario)],
            "fte": [fte_now if fte_now else None, fte_scenario if fte_scenario else None],
        },
        schema={"bar": pl.String, "children": pl.Float64, "fte": pl.Float64},
    ).with_columns(pl.when(pl.col("fte") > 0).then(pl.col("children") / pl.col("fte")).alias("caseload"))


def uasc_caseload_comparison(baseline: UascBaseline, change_pct: float, fte: float | None = None) -> pl.DataFrame:
    """``caseload_comparison`` for the UASC scenario: today's children and FTE, then the children
    the change in arrivals gives on ``fte`` (default today's FTE)."""
    factor = 1 + change_pct / 100
    fte = baseline.fte if fte is None else fte
    after = baseline.children_all + baseline.children_uasc * (factor - 1)
    return caseload_comparison(baseline.children_all, baseline.fte, after, fte)


def at_earlier_rate_summary(at_rate: pl.DataFrame, period_a: Period | str, period_b: Period | str) -> str:
    """The 'at last year's rate' answer in one sentence, from ``at_earlier_rate_from``'s frame.

    'At 2014-15's rates, 2 of 3 counts in 2015-16 were higher than the rate alone would give and 1
    lower; the biggest gap: late notifications, 180 against 144 (36 more).' Counts are compared as
    the whole numbers the detail shows; a count with no earlier rate is left out of the tally.
    """
    a, b = period_text(period_a), period_text(period_b)
    rated = at_rate.filter(pl.col("at_earlier_rate").is_not_null())
    if rated.is_empty():
        return f"{a} has no volumes to take a rate from, so no count of {b} can be set against {a}'s rate."
    gaps = rated.with_columns(
        ((pl.col("actual_b") + 0.5).floor() - (pl.col("at_earlier_rate") + 0.5).floor()).alias("gap"),
        (pl.col("at_earlier_rate") + 0.5).floor().alias("would"),
        (pl.col("actual_b") + 0.5).floor().alias("actual"),
    ).sort(pl.col("gap").abs(), "title", descending=[True, False])
    higher = gaps.filter(pl.col("gap") > 0).height
    lower = gaps.filter(pl.col("gap") < 0).height
    same = gaps.height - higher - lower
    tally = f"{higher} of {gaps.height} counts in {b} were higher than the rate alone would give"
    tally += f", {lower} lower and {same} the same" if same else f" and {lower} lower"
    top = gaps.row(0, named=True)
    if top["gap"] == 0:
        return f"At {a}'s rates, every count in {b} was what the rate alone would give."
    more = "more" if top["gap"] > 0 else "fewer"
    title = in_sentence(top["title"])
    return (
        f"At {a}'s rates, {tally}; the biggest gap: {title}, {number_text(top['actual'])} against "
        f"{number_text(top['would'])} ({number_text(abs(top['gap']))} {more})."
    )
