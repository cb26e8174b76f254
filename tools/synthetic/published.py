"""The mapping from each published figure (../shared/reference/published_figures.csv) to the way the
package computes it from a dataset, and the reasons for the figures it cannot reproduce.

``readings(ds, rows)`` returns one ``Reading`` per published row: how it is computed (an indicator
function, a difference of two, or, for the few facts no indicator covers, a direct count of a
table), the computed value and whether it matches within tolerance (counts exactly, percentages
within 0.5 points, caseloads within a unit of the last printed digit). The rows and what each
means are in ``published_rows.py``; the readings straight from tables in ``published_tables.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

import polars as pl

from iro_metrics.dataset import Dataset
from iro_metrics.indicator_registry import qa_indicator_id
from iro_metrics.indicators import area_ranges, children_in_care_by, compute_indicators, disputes_by_category_level
from iro_metrics.periods import financial_quarter, parse_period, period_containing, previous_period
from iro_metrics.selection import Selection
from tools.synthetic.published_rows import (
    AREAS,
    COHORTS,
    NOT_DATA,
    NOT_REPRODUCED,
    QA_ITEM_NAMES,
    SIMPLE,
    STATUS_INDICATOR,
    STATUS_NOT_DATA,
    STATUS_NOT_REPRODUCED,
    STATUS_TABLE,
    TEAMS,
    Reading,
    Row,
    period_label,
    read_published,
    tolerance,
)
from tools.synthetic.published_tables import answer_share, dispute_table_reading, table_reading


class Calculator:
    """Indicator values for a dataset, computed once per (period, areas, cohort)."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self._cache: dict[tuple, dict[str, tuple]] = {}

    def get(
        self,
        indicator: str,
        period: str,
        field: str = "value",
        areas: tuple[str, ...] | None = None,
        cohort: str = "all",
    ) -> float | None:
        key = (period, areas, cohort)
        if key not in self._cache:
            frame = compute_indicators(Selection.of(self.ds, period, list(areas) if areas else None, cohort))
            self._cache[key] = {r[0]: (r[1], r[2], r[3]) for r in frame.iter_rows()}
        value, numerator, denominator = self._cache[key][indicator]
        return {"value": value, "numerator": numerator, "denominator": denominator}[field]

    @cache  # noqa: B019 - one calculator per dataset, kept for one calibration run
    def disputes(self, period: str) -> pl.DataFrame:
        return disputes_by_category_level(Selection.of(self.ds, period))

    @cache  # noqa: B019
    def ranges(self, period: str) -> pl.DataFrame:
        return area_ranges(Selection.of(self.ds, period))

    @cache  # noqa: B019
    def breakdown(self, period: str, by: str) -> pl.DataFrame:
        return children_in_care_by(Selection.of(self.ds, period), by)  # type: ignore[arg-type]


def _other_period(row: Row, suffix: str, period: str) -> str:
    """The comparison period named by a change row's suffix."""
    current = parse_period(period)
    if suffix == "prev_year":
        if row.period_type == "point":
            day = date.fromisoformat(row.period)
            return period_containing(day.replace(year=day.year - 1)).label
        if current.kind == "year":
            return previous_period(current).label
        return financial_quarter(current.fy - 1, current.quarter or 1).label
    if suffix in ("q1", "q2", "q3"):
        wanted = int(suffix[1])
        if suffix == "q3" and current.quarter == 4:
            return previous_period(current).label
        return financial_quarter(current.fy, wanted).label
    raise KeyError(suffix)


def _pooled(calc: Calculator, indicator: str, quarters: list[str]) -> float | None:
    numerator = sum(calc.get(indicator, q, "numerator") or 0 for q in quarters)
    denominator = sum(calc.get(indicator, q, "denominator") or 0 for q in quarters)
    return 100 * numerator / denominator if denominator else None


def _quarters_of_range(label: str) -> list[str]:
    """'2015-16 Q2-Q4' -> the three quarter labels."""
    year, span = label.split(" ")
    first, last = span.replace("Q", "").split("-")
    return [f"{year}-Q{q}" for q in range(int(first), int(last) + 1)]


def reading_for(calc: Calculator, row: Row) -> Reading:
    """How one published figure is computed from the dataset, with the computed value."""
    name = row.indicator
    if row.source == "003" or name in NOT_DATA or row.unit in ("days", "weeks", "months", "years"):
        reason = NOT_DATA.get(name, "another council" if row.source == "003" else "a definition or timescale")
        return Reading(row, STATUS_NOT_DATA, reason)
    for key in (
        (row.source, row.period, name),
        (row.source, row.period, f"{name}@{row.area}"),
        (row.source, row.period, f"{name}@{row.cohort}"),
        (row.source, row.period, f"{name}={row.value:g}"),
    ):
        if key in NOT_REPRODUCED:
            return Reading(row, STATUS_NOT_REPRODUCED, NOT_REPRODUCED[key])
    if row.area not in AREAS and row.area not in TEAMS:
        return Reading(row, STATUS_NOT_REPRODUCED, f"no area in the data is '{row.area}'")
    compute = _compute_for(calc, row)
    if compute is None:
        return Reading(row, STATUS_NOT_REPRODUCED, "no mapping to the data model")
    status, how, fn, bound = compute
    return Reading(row, status, how, fn(), tolerance(row), bound)


def _compute_for(calc: Calculator, row: Row) -> tuple[str, str, Callable[[], float | None], str] | None:
    name, label = row.indicator, row.period
    areas = AREAS.get(row.area)
    cohort = COHORTS.get(row.cohort, "all")
    if " Q" in label and "-Q" in label.split(" ")[1]:  # pooled quarters
        quarters = _quarters_of_range(label)
        return _pooled_reading(calc, name, quarters)
    period = period_label(row)

    def ind(indicator: str, field: str = "value", at: str = period) -> float | None:
        return calc.get(indicator, at, field, areas, cohort)

    # Changes between two periods.
    for marker, sign in (("_increase_vs_", 1), ("_decrease_vs_", -1), ("_drop_vs_", 1)):
        if marker in name:
            base, suffix = name.split(marker)
            if base == "late_notifications_performance":
                base, sign = "late_notifications_pct", 1
            other = _other_period(row, suffix, period)
            inner = _base_value(calc, base, areas, cohort)
            if inner is None:
                return None
            how_base, fn = inner
            return (
                STATUS_INDICATOR,
                f"{how_base}: {period} minus {other}" if sign > 0 else f"{how_base}: {other} minus {period}",
                lambda fn=fn, other=other, sign=sign: _diff(fn(period), fn(other), sign),
                "",
            )
    if name == "chairing_own_review_increase_pct":

        def ratio() -> float | None:
            now = ind("child_chaired_full", at="2013-14-Q4") + ind("child_chaired_part", at="2013-14-Q4")
            then = ind("child_chaired_full", at="2012-13-Q4") + ind("child_chaired_part", at="2012-13-Q4")
            return 100 * now / then

        return (
            STATUS_INDICATOR,
            "child_chaired_full + part, Q4 2013-14 as a % of Q4 2012-13 (reading of '390%')",
            ratio,
            "",
        )
    match = _match_core(name)
    if match is not None:
        item, which = match
        indicator = qa_indicator_id(item, "adequate")
        if which == "value":
            return (STATUS_INDICATOR, f"{indicator} {period}", lambda: ind(indicator), "")
        column = "range_min" if which == "min" else "range_max"
        return (
            STATUS_INDICATOR,
            f"area_ranges {indicator} {column} {period}",
            lambda: _range(calc, period, indicator, column),
            "",
        )
    if name.startswith("dispute_resolutions_") and name not in SIMPLE:
        return dispute_table_reading(calc, name, period)
    inner = _base_value(calc, name, areas, cohort)
    if inner is not None:
        how, fn = inner
        bound = "lower" if name == "uasc_accommodated_count" else ""
        return (STATUS_INDICATOR, f"{how} {period}", lambda: fn(period), bound)
    table = table_reading(calc, row, period)
    if table is not None:
        how, fn, bound = table
        return (STATUS_TABLE, how, fn, bound)
    return None


def _diff(a: float | None, b: float | None, sign: int) -> float | None:
    if a is None or b is None:
        return None
    return (a - b) * sign


def _range(calc: Calculator, period: str, indicator: str, column: str) -> float | None:
    frame = calc.ranges(period).filter(pl.col("indicator") == indicator)
    return frame[column][0] if frame.height else None


def _match_core(name: str) -> tuple[str, str] | None:
    if not name.startswith("core_component_"):
        return None
    rest = name.removeprefix("core_component_")
    for suffix, which in (
        ("_adequate_pct_range_min", "min"),
        ("_adequate_pct_range_max", "max"),
        ("_adequate_pct", "value"),
    ):
        if rest.endswith(suffix):
            return QA_ITEM_NAMES[rest.removesuffix(suffix)], which
    return None


def _base_value(calc: Calculator, name: str, areas, cohort: str) -> tuple[str, Callable[[str], float | None]] | None:
    """A published measure as a function of the period, for plain values and the bases of changes."""
    if name in SIMPLE:
        indicator, field = SIMPLE[name]
        suffix = "" if field == "value" else f" ({field})"
        return f"{indicator}{suffix}", lambda p: calc.get(indicator, p, field, areas, cohort)
    if name == "uasc_accommodated_count":
        return "children_starting_care (UASC), lower bound", lambda p: calc.get(
            "children_starting_care", p, "value", None, "uasc"
        )
    if name == "non_participation_pct":
        return "100 - participation_pct", lambda p: 100 - calc.get("participation_pct", p, "value", areas, cohort)
    if name in ("care_plan_inadequate_count", "care_plan_inadequate_pct"):
        if name.endswith("count"):
            return (
                "qa_care_plan_adequate_pct (denominator - numerator)",
                lambda p: (
                    calc.get("qa_care_plan_adequate_pct", p, "denominator")
                    - calc.get("qa_care_plan_adequate_pct", p, "numerator")
                ),
            )
        return "100 - qa_care_plan_adequate_pct", lambda p: 100 - calc.get("qa_care_plan_adequate_pct", p)
    if name == "care_plan_requires_improvement_count":
        return (
            "qa_care_plan_adequate_pct minus qa_care_plan_good_pct (numerators)",
            lambda p: (
                calc.get("qa_care_plan_adequate_pct", p, "numerator")
                - calc.get("qa_care_plan_good_pct", p, "numerator")
            ),
        )
    if name == "care_plan_requires_improvement_pct":
        return (
            "qa_care_plan_adequate_pct - qa_care_plan_good_pct",
            lambda p: calc.get("qa_care_plan_adequate_pct", p) - calc.get("qa_care_plan_good_pct", p),
        )
    if name in ("chairing_own_review_count",):
        return (
            "child_chaired_full + child_chaired_part",
            lambda p: calc.get("child_chaired_full", p) + calc.get("child_chaired_part", p),
        )
    if name == "disputes_total_pct":
        return (
            "disputes_formal_per_100_reviews + disputes_informal_per_100_reviews",
            lambda p: calc.get("disputes_formal_per_100_reviews", p) + calc.get("disputes_informal_per_100_reviews", p),
        )
    if name.startswith("formal_disputes_") and name.endswith("_level_count"):
        levels = {
            "team_manager": (1,),
            "service_manager": (2,),
            "assistant_director": (3,),
            "divisional_director": (4, 5),
        }[name.removeprefix("formal_disputes_").removesuffix("_level_count")]
        return f"disputes_by_category_level, level {' + '.join(map(str, levels))}", lambda p: float(
            calc.disputes(p).filter(pl.col("level").is_in(list(levels)))["count"].sum()
        )
    if name == "consultation_questionnaire_response_rate_pct":
        return (
            "100 * survey_consultation_responses / reviews chaired by IROs",
            lambda p: (
                100
                * calc.get("survey_consultation_responses", p)
                / calc.get("reviews_chaired_by_iro_pct", p, "numerator")
            ),
        )
    if name.startswith("children_in_care_") and name.endswith(("_pct", "_count")):
        groups = {
            "children_in_care_female_pct": ("sex", "Female", "pct"),
            "children_in_care_male_pct": ("sex", "Male", "pct"),
            "children_in_care_ethnicity_white_count": ("ethnicity_group", "White", "count"),
            "children_in_care_ethnicity_black_count": ("ethnicity_group", "Black", "count"),
            "children_in_care_ethnicity_other_count": ("ethnicity_group", "Other", "count"),
            "children_in_care_aged_16_17_count": ("age_band", "16-17", "count"),
        }
        if name in groups:
            by, group, column = groups[name]
            return f"children_in_care_by {by} '{group}' {column}", lambda p: float(
                calc.breakdown(p, by).filter(pl.col("group") == group)[column][0]
            )
    return None


def _pooled_reading(calc: Calculator, name: str, quarters: list[str]):
    if name == "consultation_feel_safe_school_pct_decrease":
        return (
            STATUS_INDICATOR,
            "pooled feels_safe_placement minus feels_safe_school yes %",
            lambda: (
                _pooled(calc, "survey_consultation_feels_safe_placement_yes_pct", quarters)
                - _pooled(calc, "survey_consultation_feels_safe_school_yes_pct", quarters)
            ),
            "",
        )
    if name in SIMPLE:
        indicator = SIMPLE[name][0]
        return (
            STATUS_INDICATOR,
            f"{indicator} pooled over {quarters[0]} to {quarters[-1]}",
            lambda: _pooled(calc, indicator, quarters),
            "",
        )
    answers = {
        "consultation_not_see_social_worker_enough_pct": ("sees_social_worker_enough", "no"),
        "consultation_might_chair_or_no_view_pct": ("wants_to_chair_review", "not_sure"),
    }
    if name in answers:
        question, answer = answers[name]
        first, last = parse_period(quarters[0]).start, parse_period(quarters[-1]).end
        return (
            STATUS_TABLE,
            f"survey_responses: share answering '{answer}' to {question}",
            lambda: answer_share(calc.ds, question, answer, first, last),
            "",
        )
    return None


def readings(ds: Dataset, rows: list[Row] | None = None) -> list[Reading]:
    """One reading per published row, in the file's order."""
    calc = Calculator(ds)
    return [reading_for(calc, row) for row in (rows if rows is not None else read_published())]


def readings_frame(found: list[Reading]) -> pl.DataFrame:
    """The published-against-computed table, for printing and for test-artifacts/calibration.csv."""
    return pl.DataFrame(
        {
            "source": [r.row.source for r in found],
            "period": [r.row.period for r in found],
            "area": [r.row.area for r in found],
            "cohort": [r.row.cohort for r in found],
            "indicator": [r.row.indicator for r in found],
            "published": [r.row.value for r in found],
            "computed": [None if r.computed is None else round(float(r.computed), 3) for r in found],
            "status": [r.status for r in found],
            "ok": [r.ok for r in found],
            "how": [r.how for r in found],
        },
        schema={
            "source": pl.String,
            "period": pl.String,
            "area": pl.String,
            "cohort": pl.String,
            "indicator": pl.String,
            "published": pl.Float64,
            "computed": pl.Float64,
            "status": pl.String,
            "ok": pl.Boolean,
            "how": pl.String,
        },
    )


__all__ = ["Reading", "Row", "read_published", "readings", "readings_frame"]
