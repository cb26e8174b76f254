"""The published figures (``published_figures.csv``) and what each one means: the rows, their
statuses, the figures that are not data or not reproduced (with the reasons), and the reports'
names for areas, teams, cohorts, QA items and dispute categories. ``published.py`` reads them
against a dataset.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from iro_metrics.periods import period_containing

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


def tolerance(row: Row) -> float:
    """How far a computed value may be from the published one: counts exactly, percentages 0.5 points,
    caseloads a unit of the last printed digit (at least 0.02)."""
    if row.unit == "pct":
        return 0.5
    if row.unit == "per_fte":
        text = f"{row.value:g}"
        decimals = len(text.split(".")[1]) if "." in text else 0
        return max(0.02, 10.0**-decimals)
    return 0.0


def period_label(row: Row) -> str:
    """The package's label of the period a row is about (a point in time: its quarter)."""
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
