"""The mapping from each published figure (../shared/reference/published_figures.csv) to the way the
package computes it from a dataset, and the reasons for the figures it cannot reproduce.

``readings(ds, rows)`` returns one ``Reading`` per published row: how it is computed (an indicator
function, a difference of two, or, for the few facts no indicator covers, a direct count of a
table), the computed value and whether it matches within tolerance (counts exactly, percentages
within 0.5 points, caseloads within a unit of the last printed digit).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from iro_metrics.dataset import Dataset
from iro_metrics.indicator_registry import qa_indicator_id
from iro_metrics.indicators import area_ranges, children_in_care_by, compute_indicators, disputes_by_category_level
from iro_metrics.periods import Period, financial_quarter, parse_period, period_containing, previous_period

# A copy of ../shared/reference/published_figures.csv (484 figures from the five seed documents).
PUBLISHED_CSV = Path(__file__).resolve().parent / "published_figures.csv"

STATUS_INDICATOR = "indicator"  # computed through iro_metrics.indicators
STATUS_TABLE = "table"  # a fact no indicator covers, counted from the dataset's tables
STATUS_NOT_REPRODUCED = "not reproduced"
STATUS_NOT_DATA = "not data"  # a definition, target, timescale or fact about the service, not a measure

# Published figures that are definitions, targets or facts outside the data model.
NOT_DATA: dict[str, str] = {
    "caseload_guidance_max_per_fte": "a standard (70 children per IRO), held in the catalogue as a target",
    "caseload_target_per_fte": "a standard (70 children per IRO), held in the catalogue as a target",
    "iro_fte_proposed": "a proposal (24 FTE), not a measure",
    "iro_reserve_zero_hour_count": "zero-hour reserve IROs are outside the staffing table",
    "qa_core_components_count": "the number of graded components is a definition",
    "iro_team_manager_count": "management structure, not a measure",
    "iro_teams_count": "management structure (the staffing table has the teams)",
    "operational_areas_per_iro_team_count": "management structure, not a measure",
    "consultation_booklet_languages_count": "a fact about the booklets, not a measure",
    "iro_case_file_audit_interval_weeks": "a practice timescale",
    "county_staff_meeting_interval_months": "a practice timescale",
    "notification_target_days": "a 2017/18 target in committee minutes",
    "foster_carer_approval_review_min_per_year": "another council's statutory minimum",
    "review_attendance_min_age_years": "another council's age threshold",
}

# Published figures the data cannot reproduce, and why.
NOT_REPRODUCED: dict[tuple[str, str, str], str] = {
    ("000", "2013-14", "late_notifications_pct"): "'approximately 20%'; 001's exact annual 21.4% is reproduced",
    ("000", "2013-14", "survey_no_care_plan_copy_pct"): "no survey question records receiving a copy of the plan",
    ("000", "2013-14", "leaving_care_survey_difficult_support_pct"): (
        "contradicts 001's 70% for the same survey (inconsistencies.md 15); 70% is reproduced"
    ),
    ("001", "2013-14 Q4", "caseload_actual_avg@SK/EK IRO team"): (
        "the synthetic area_teams mapping gives the team 87.5 per FTE in post; team caseloads are not calibrated"
    ),
    ("001", "2013-14 Q4", "iro_cases_reported_count"): (
        "the 1246 cases IROs reported on is not a field; disputes are expressed per review held (1251)"
    ),
    ("001", "2013-14 Q4", "core_components_performance_pct"): (
        "the method is not given and the listed components do not reproduce it (inconsistencies.md 7)"
    ),
    ("001", "2013-14 Q1", "core_components_performance_pct"): (
        "the method is not given and the listed components do not reproduce it (inconsistencies.md 7)"
    ),
    ("001", "2013-14 Q4", "leaving_care_survey_response_rate_pct"): "'around 20%' of an unstated base",
    ("001", "2013-14 Q4", "leaving_care_survey_social_worker_helpful_pct"): "no survey question for this",
    ("001", "2013-14 Q4", "leaving_care_survey_carer_helpful_pct"): "no survey question for this",
    ("004", "2015-16", "participation_pct=96.8"): (
        "contradicts 95% (5379) in the same report (inconsistencies.md 2); 95% and 5379 are reproduced"
    ),
    ("004", "2016-03-31", "children_in_care@citizen"): (
        "1447 + 883 is not the published total 2427 (inconsistencies.md 1); the total and 883 UASC are kept, "
        "so citizen children are 1544"
    ),
    ("004", "2015-16", "additional_locum_iros_recruited_count"): (
        "staffing is recorded as FTE per team, not recruitment; the North and West team's FTE in post rises "
        "by about seven during the surge"
    ),
    ("004", "2015-16", "locum_uasc_iros_count"): "6 contradicts the 7 recruited (inconsistencies.md 10)",
    ("004", "2015-16", "chairing_own_review_full_pct"): (
        "the base (about 3,480) is none the report states (inconsistencies.md 13); the count 97 is reproduced"
    ),
    ("004", "2015-16", "chairing_own_review_part_pct"): (
        "the base (about 3,480) is none the report states (inconsistencies.md 13); the count 362 is reproduced"
    ),
    ("004", "2015-16", "review_views_not_communicated_count"): (
        "'3,994 review processes' is not a count the data model holds"
    ),
    ("004", "2015-16", "review_processes_count"): "'3,994 review processes' is not a count the data model holds",
    ("004", "2015-16", "child_focused_practice_good_or_better_pct"): (
        "no whole number reproduces it under either reading (inconsistencies.md 3)"
    ),
    ("004", "2015-16", "child_focused_practice_good_or_better_qa_audits_count"): (
        "not a QA item of the data model, and its reading is doubtful (inconsistencies.md 3)"
    ),
    ("004", "2015-16", "child_focused_practice_inadequate_pct"): (
        "no whole number reproduces it under either reading (inconsistencies.md 3)"
    ),
    ("004", "2015-16", "child_focused_practice_inadequate_qa_audits_count"): (
        "not a QA item of the data model, and its reading is doubtful (inconsistencies.md 3)"
    ),
    ("004", "2015-16", "review_date_change_requests_count"): "requests to move a review are not recorded",
    ("004", "2015-16 Q2-Q4", "consultation_not_happy_school_pct_increase"): "no survey question for this",
    ("004", "2015-16 Q2-Q4", "consultation_happy_most_of_time_pct"): "no survey question for this",
    ("004", "2015-16 Q2", "consultation_sad_worried_angry_confused_pct"): "no survey question for this",
    ("004", "2015-16 Q3", "consultation_sad_worried_angry_confused_pct"): "no survey question for this",
    ("004", "2015-16 Q4", "consultation_sad_worried_angry_confused_pct"): "no survey question for this",
    ("004", "2015-16 Q2-Q4", "consultation_aware_young_peoples_council_pct"): "no survey question for this",
    ("004", "2015-16", "caseload_per_fte"): (
        "'around 70' over the year; at the year end the data give 65.67 per FTE in post, as published"
    ),
}


@dataclass(frozen=True)
class Row:
    """One published figure."""

    source: str
    period: str
    period_type: str
    area: str
    cohort: str
    indicator: str
    value: float
    unit: str
    numerator: str
    denominator: str

    @property
    def key(self) -> str:
        return f"{self.source} {self.period} {self.area} {self.cohort} {self.indicator}"


@dataclass(frozen=True)
class Reading:
    """How a published figure is computed from the data, and what came out."""

    row: Row
    status: str
    how: str
    computed: float | None = None
    tolerance: float | None = None
    bound: str = ""  # "lower" when the published figure is a lower bound ("1000+", "more than half")

    @property
    def ok(self) -> bool | None:
        if self.status not in (STATUS_INDICATOR, STATUS_TABLE):
            return None
        if self.computed is None:
            return False
        if self.bound == "lower":
            return self.computed >= self.row.value
        return abs(self.computed - self.row.value) <= (self.tolerance or 0.0) + 1e-9


def read_published(path: Path = PUBLISHED_CSV) -> list[Row]:
    """Every row of the published figures file."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            Row(
                r["source_file"][:3],
                r["period"],
                r["period_type"],
                r["area"],
                r["cohort"],
                r["indicator"],
                float(r["value"]),
                r["unit"],
                r["numerator"],
                r["denominator"],
            )
            for r in csv.DictReader(fh)
        ]


def _tolerance(row: Row) -> float:
    if row.unit == "pct":
        return 0.5
    if row.unit == "per_fte":
        text = f"{row.value:g}"
        decimals = len(text.split(".")[1]) if "." in text else 0
        return max(0.02, 10.0**-decimals)
    return 0.0


def _period_label(row: Row) -> str:
    if row.period_type == "point":
        return period_containing(date.fromisoformat(row.period)).label
    return row.period.replace(" ", "-")


AREAS = {"Kent": None, "SUASC Central Teams": ("UASC Service",), "East": ("East Kent",), "South": ("South Kent",)}
# IRO teams as the reports name them -> the staffing table's teams.
TEAMS = {
    "East and South Kent Area team": "East and South Kent IRO team",
    "North and West Kent Area team": "North and West Kent IRO team",
    "SE/NW team (shared)": "Shared IRO post (East/South and North/West)",
    "South / East Area team": "East and South Kent IRO team",
}
COHORTS = {
    "all": "all",
    "uasc": "uasc",
    "citizen": "citizen",
    "aged_4_plus": "all",
    "care_leavers": "all",
    "aged_16_17": "all",
}

# published name -> (indicator id, field, transform)
SIMPLE: dict[str, tuple[str, str]] = {
    "children_in_care": ("children_in_care", "value"),
    "reviews_chaired": ("reviews_held", "value"),
    "reviews_chaired_by_iro_service_pct": ("reviews_chaired_by_iro_pct", "value"),
    "reviews_chaired_by_iro_service_count": ("reviews_chaired_by_iro_pct", "numerator"),
    "reviews_chaired_by_iro_service": ("reviews_chaired_by_iro_pct", "numerator"),
    "participation_pct": ("participation_pct", "value"),
    "participation_count": ("participation_pct", "numerator"),
    "caseload_per_fte": ("caseload_per_establishment_fte", "value"),
    "caseload_actual_avg": ("caseload_per_fte_in_post", "value"),
    "caseload_avg": ("caseload_per_fte_in_post", "value"),
    "iro_fte": ("iro_fte_establishment", "value"),
    "iro_fte_planned_establishment": ("iro_fte_establishment", "value"),
    "late_notifications_pct": ("late_notifications_pct", "value"),
    "late_notifications_count": ("late_notifications", "value"),
    "children_starting_care_count": ("children_starting_care", "value"),
    "formal_disputes_count": ("disputes_formal", "value"),
    "formal_disputes_pct": ("disputes_formal_per_100_reviews", "value"),
    "informal_challenges_count": ("disputes_informal", "value"),
    "informal_challenges_pct": ("disputes_informal_per_100_reviews", "value"),
    "formal_disputes_team_manager_level_pct": ("disputes_resolved_at_level_1_pct", "value"),
    "dispute_resolutions_count": ("disputes_formal", "value"),
    "care_plan_qa_audits_count": ("qa_care_plan_adequate_pct", "denominator"),
    "care_plan_satisfactory_count": ("qa_care_plan_adequate_pct", "numerator"),
    "care_plan_satisfactory_pct": ("qa_care_plan_adequate_pct", "value"),
    "care_plan_good_or_better_count": ("qa_care_plan_good_pct", "numerator"),
    "care_plan_good_or_better_pct": ("qa_care_plan_good_pct", "value"),
    "care_plan_implementation_pct": ("qa_plan_implementation_adequate_pct", "value"),
    "care_plan_implemented_in_timeframe_pct": ("qa_plan_implementation_adequate_pct", "value"),
    "care_plan_implemented_in_timeframe_count": ("qa_plan_implementation_adequate_pct", "numerator"),
    "care_plan_implemented_in_timeframe_qa_count": ("qa_plan_implementation_adequate_pct", "denominator"),
    "care_plan_shared_views_recorded_pct": ("qa_participation_in_plan_adequate_pct", "value"),
    "care_plan_shared_views_recorded_count": ("qa_participation_in_plan_adequate_pct", "numerator"),
    "care_plan_shared_views_recorded_qa_count": ("qa_participation_in_plan_adequate_pct", "denominator"),
    "sw_report_qa_count": ("qa_sw_report_adequate_pct", "denominator"),
    "sw_report_satisfactory_count": ("qa_sw_report_adequate_pct", "numerator"),
    "sw_report_satisfactory_pct": ("qa_sw_report_adequate_pct", "value"),
    "pledge_qa_count": ("qa_pledge_adequate_pct", "denominator"),
    "pledge_satisfactory_count": ("qa_pledge_adequate_pct", "numerator"),
    "pledge_satisfactory_pct": ("qa_pledge_adequate_pct", "value"),
    "qa_audits_completed_count": ("qa_audit_rate_pct", "numerator"),
    "qa_audit_completion_pct": ("qa_audit_rate_pct", "value"),
    "reviews_within_timescale_pct": ("reviews_on_time_pct", "value"),
    "chairing_own_review_part_count": ("child_chaired_part", "value"),
    "chairing_own_review_full_count": ("child_chaired_full", "value"),
    "consultation_questionnaire_responses_count": ("survey_consultation_responses", "value"),
    "consultation_understood_care_plan_pct": ("survey_consultation_understands_care_plan_yes_pct", "value"),
    "consultation_know_how_to_complain_pct": ("survey_consultation_knows_how_to_complain_yes_pct", "value"),
    "consultation_aware_complaints_process_pct": ("survey_consultation_knows_how_to_complain_yes_pct", "value"),
    "consultation_know_pledge_pct": ("survey_consultation_knows_pledge_yes_pct", "value"),
    "consultation_want_to_chair_review_pct": ("survey_consultation_wants_to_chair_review_yes_pct", "value"),
    "consultation_feel_safe_school_pct": ("survey_consultation_feels_safe_school_yes_pct", "value"),
    "consultation_see_social_worker_right_level_pct": (
        "survey_consultation_sees_social_worker_enough_yes_pct",
        "value",
    ),
    "consultation_understand_future_plans_pct": ("survey_consultation_understands_future_plans_yes_pct", "value"),
    "leaving_care_survey_responses_count": ("survey_leaving_care_responses", "value"),
    "leaving_care_survey_understood_plan_pct": ("survey_leaving_care_understands_care_plan_yes_pct", "value"),
    "leaving_care_survey_able_to_give_views_pct": ("survey_leaving_care_able_to_give_views_yes_pct", "value"),
    "leaving_care_survey_iro_kept_eye_between_reviews_pct": ("survey_leaving_care_iro_kept_in_touch_yes_pct", "value"),
    "leaving_care_survey_iro_helpful_pct": ("survey_leaving_care_iro_helpful_yes_pct", "value"),
    "leaving_care_survey_difficult_support_pct": ("survey_leaving_care_difficult_to_get_support_yes_pct", "value"),
    "foster_carer_feedback_responses_count": ("survey_carer_responses", "value"),
    "parent_feedback_responses_count": ("survey_parent_responses", "value"),
    "inter_review_visiting_pct": ("iro_contact_pct", "value"),
}
QA_ITEM_NAMES = {
    "permanence": "permanence",
    "health": "health",
    "education": "education",
    "interests_activities": "interests_activities",
    "child_participation_in_plan": "participation_in_plan",
    "placement_stability": "placement_stability",
    "family_friends_relationships": "family_friends",
    "keeping_safe": "keeping_safe",
    "transition_planning": "transition",
    "direct_social_work": "direct_work",
    "statutory_visits": "statutory_visits",
}
DISPUTE_CATEGORY_NAMES = {
    "cf_core_needs_assessment": "needs_assessment",
    "care_plan_pathway_plan": "care_plan",
    "permanence": "permanence",
    "stable_placement": "placement_stability",
    "safety": "safety",
    "health": "health",
    "education": "education",
    "promotion_of_interests": "interests",
    "participation_in_care_planning": "participation",
    "contact": "contact",
    "visits": "visits",
    "direct_work": "direct_work",
    "life_story_work": "life_story_work",
    "later_life_letter": "later_life_letter",
    "contingency": "contingency",
    "pre_meeting_report_not_there": "pre_meeting_report_missing",
    "pre_meeting_report_quality": "pre_meeting_report_quality",
    "pledge": "pledge",
    "other_issues": "other",
}


class Calculator:
    """Indicator values for a dataset, computed once per (period, areas, cohort)."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self._cache: dict[tuple, dict[str, tuple]] = {}

    def get(self, indicator: str, period: str, field: str = "value", areas=None, cohort: str = "all") -> float | None:
        key = (period, areas, cohort)
        if key not in self._cache:
            frame = compute_indicators(self.ds, period, list(areas) if areas else None, cohort)
            self._cache[key] = {r[0]: (r[1], r[2], r[3]) for r in frame.iter_rows()}
        value, numerator, denominator = self._cache[key][indicator]
        return {"value": value, "numerator": numerator, "denominator": denominator}[field]

    @cache  # noqa: B019 - one calculator per dataset, kept for one calibration run
    def disputes(self, period: str) -> pl.DataFrame:
        return disputes_by_category_level(self.ds, period)

    @cache  # noqa: B019
    def ranges(self, period: str) -> pl.DataFrame:
        return area_ranges(self.ds, period)

    @cache  # noqa: B019
    def breakdown(self, period: str, by: str) -> pl.DataFrame:
        return children_in_care_by(self.ds, period, by)  # type: ignore[arg-type]


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
    return Reading(row, status, how, fn(), _tolerance(row), bound)


def _compute_for(calc: Calculator, row: Row) -> tuple[str, str, Callable[[], float | None], str] | None:
    name, period_label = row.indicator, row.period
    areas = AREAS.get(row.area)
    cohort = COHORTS.get(row.cohort, "all")
    if " Q" in period_label and "-Q" in period_label.split(" ")[1]:  # pooled quarters
        quarters = _quarters_of_range(period_label)
        return _pooled_reading(calc, name, quarters)
    period = _period_label(row)

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
        return _dispute_table(calc, name, period)
    inner = _base_value(calc, name, areas, cohort)
    if inner is not None:
        how, fn = inner
        bound = "lower" if name == "uasc_accommodated_count" else ""
        return (STATUS_INDICATOR, f"{how} {period}", lambda: fn(period), bound)
    table = _table_reading(calc, row, period)
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
            lambda: _answer_share(calc.ds, question, answer, first, last),
            "",
        )
    return None


def _answer_share(ds: Dataset, question: str, answer: str, first: date, last: date) -> float:
    frame = (
        ds.table("survey_responses")
        .filter(
            (pl.col("survey") == "consultation")
            & (pl.col("question") == question)
            & pl.col("response_date").is_between(first, last)
        )
        .select((pl.col("answer") == answer).mean() * 100)
        .collect()
    )
    return float(frame.item())


def _dispute_table(calc: Calculator, name: str, period: str):
    rest = name.removeprefix("dispute_resolutions_")
    table = calc.disputes(period)
    if rest == "total_share_pct":
        return (STATUS_INDICATOR, "sum of category shares of disputes_formal", lambda: 100.0, "")
    if rest.startswith("level") and rest.endswith("_total_count"):
        level = int(rest.removeprefix("level").removesuffix("_total_count"))
        return (
            STATUS_INDICATOR,
            f"disputes_by_category_level, level {level}",
            lambda: float(table.filter(pl.col("level") == level)["count"].sum()),
            "",
        )
    for published, category in DISPUTE_CATEGORY_NAMES.items():
        if not rest.startswith(published + "_"):
            continue
        what = rest.removeprefix(published + "_")
        rows = table.filter(pl.col("category") == category)
        if what.startswith("level") and what.endswith("_count"):
            level = int(what.removeprefix("level").removesuffix("_count"))
            return (
                STATUS_INDICATOR,
                f"disputes_by_category_level {category} level {level}",
                lambda rows=rows, level=level: float(rows.filter(pl.col("level") == level)["count"].sum()),
                "",
            )
        if what == "total_count":
            return (
                STATUS_INDICATOR,
                f"disputes_by_category_level {category}, all levels",
                lambda rows=rows: float(rows["count"].sum()),
                "",
            )
        if what == "share_pct":
            return (
                STATUS_INDICATOR,
                f"disputes_by_category_level {category} / disputes_formal",
                lambda rows=rows: 100 * rows["count"].sum() / table["count"].sum(),
                "",
            )
    return None


def _table_reading(calc: Calculator, row: Row, period: str):
    """Facts no indicator covers, counted straight from the tables."""
    ds = calc.ds
    span = parse_period(period)
    name = row.indicator
    if name == "staying_put_arrangements_count":
        return (
            "episodes ending in the year with reason_ceased E17 (staying put)",
            lambda: float(
                ds.table("episodes")
                .filter((pl.col("reason_ceased") == "E17") & pl.col("end_date").is_between(span.start, span.end))
                .collect()
                .height
            ),
            "",
        )
    if name in ("iro_establishment_count", "iro_shared_post_count", "iro_posts_filled_by_agency_count"):
        column = "fte_agency" if name == "iro_posts_filled_by_agency_count" else "fte_establishment"
        team = TEAMS[row.area]
        return (f"iro_staffing {column} of '{team}' at {span.end}", lambda: _staffing(ds, team, column, span.end), "")
    if name == "disputes_care_plan_pathway_plan_share_pct":
        return ("disputes (formal and informal): care_plan share", lambda: _dispute_share(ds, "care_plan", span), "")
    if name == "review_attended_spoke_or_advocate_pct":
        return (
            "reviews of children over 10 coded PN1, PN2 or PN5 (lower bound: 'more than half')",
            lambda: _over_10_share(ds, span),
            "lower",
        )
    return None


def _staffing(ds: Dataset, team: str, column: str, day: date) -> float:
    frame = (
        ds.table("iro_staffing")
        .filter((pl.col("team") == team) & (pl.col("month_end") <= day))
        .sort("month_end")
        .select(pl.col(column).last())
        .collect()
    )
    return float(frame.item())


def _dispute_share(ds: Dataset, category: str, span: Period) -> float:
    frame = (
        ds.table("disputes")
        .filter(pl.col("raised_date").is_between(span.start, span.end))
        .select((pl.col("category") == category).mean() * 100)
        .collect()
    )
    return float(frame.item())


def _over_10_share(ds: Dataset, span: Period) -> float:
    reviews = ds.table("reviews").filter(pl.col("review_date").is_between(span.start, span.end))
    children = ds.table("children").select("child_id", "date_of_birth")
    older = reviews.join(children, on="child_id").filter(
        pl.col("review_date") >= pl.col("date_of_birth").dt.offset_by("11y")
    )
    frame = older.select(pl.col("participation_code").is_in(["PN1", "PN2", "PN5"]).mean() * 100).collect()
    return float(frame.item())


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
