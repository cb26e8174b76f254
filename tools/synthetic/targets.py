"""Calibration targets: the figures the synthetic Kent must reproduce, and plausible values between them.

Published figures (../shared/reference/published_figures.csv) are written here as the generator
needs them. Where the reports contradict themselves one reading is chosen (see
docs/synthetic-data.md). Values marked *interpolated* fill years and quarters the reports do not
cover: they continue the published trend (linear between published points, flat beyond them).
"""

from __future__ import annotations

from datetime import date

# --- Children in care at a point (exact counts) ------------------------------------------------------
# (day, cohort) -> count. 30 June and 30 September 2013 are implied by the published caseload changes:
# 83.72 + 3.78 = 87.5 per FTE in Q1 with 21 FTE (1838 children) and 83.72 - 0.5 = 83.22 in Q2 with
# 22 FTE (1831 children). 31 March 2016: the total 2427 and 883 UASC are kept, so citizen children are
# 1544 (the report's 1447 + 883 = 2330 does not add up to its own total).
CHILDREN_IN_CARE: dict[tuple[date, str], int] = {
    (date(2013, 3, 31), "uasc"): 190,
    (date(2013, 3, 31), "citizen"): 1641,
    (date(2013, 6, 30), "all"): 1838,
    (date(2013, 9, 30), "all"): 1831,
    (date(2014, 3, 31), "uasc"): 218,
    (date(2014, 3, 31), "citizen"): 1624,
    (date(2016, 3, 31), "uasc"): 883,
    (date(2016, 3, 31), "citizen"): 1544,
}
CENSUS_2016 = date(2016, 3, 31)
UASC_SERVICE_UASC_2016 = 574  # "The majority of UASC are held within the SUASC Central Teams at 574"
AGED_16_17_2016 = 1071
FEMALE_2016 = 723  # "just fewer than 30%" of 2427 (29.8%)
ETHNIC_GROUPS_2016 = {"White": 1345, "Black": 463, "Other": 466}  # the other 153: Mixed, Asian, not known

CHILDREN_STARTING_CARE: dict[str, int] = {"2013-14-Q4": 158}

# --- Reviews ------------------------------------------------------------------------------------------
REVIEWS_HELD_QUARTER: dict[str, int] = {"2012-13-Q4": 1385, "2013-14-Q4": 1251}
REVIEWS_HELD_YEAR: dict[str, int] = {
    "2012-13": 5396,  # 5220 + 176
    "2013-14": 5220,
    "2014-15": 5655,  # interpolated: 5486 chaired by IROs at 97.0%
    "2015-16": 6241,
}
# Percentage of reviews chaired by an IRO.
CHAIRED_BY_IRO_PCT_QUARTER: dict[str, float] = {
    "2012-13-Q4": 99.8,  # 99.9 - 0.1
    "2013-14-Q2": 99.4,
    "2013-14-Q3": 99.3,  # 99.9 - 0.6
    "2013-14-Q4": 99.9,
}
CHAIRED_BY_IRO_PCT_YEAR: dict[str, float] = {"2012-13": 99.3, "2013-14": 99.5, "2016-17": 97.0, "2017-18": 98.4}
CHAIRED_BY_IRO_COUNT_YEAR: dict[str, int] = {"2014-15": 5486, "2015-16": 5896}
ON_TIME_PCT_YEAR: dict[str, float] = {"2013-14": 97.2}

PARTICIPATION_PCT_QUARTER: dict[str, float] = {"2012-13-Q4": 95.5, "2013-14-Q3": 96.7, "2013-14-Q4": 96.0}
PARTICIPATION_PCT_YEAR: dict[str, float] = {
    "2012-13": 96.6,  # 96.9 - 0.3
    "2013-14": 96.9,
    "2014-15": 96.6,  # interpolated
    "2016-17": 95.6,  # interpolated
    "2017-18": 96.0,  # interpolated
}
# 2015-16: "95% (5379)" is kept (5379 reviews with PN1-PN6); the executive summary's 96.8% is not.
PARTICIPATED_COUNT_YEAR: dict[str, int] = {"2015-16": 5379}
# 5379 / 0.95 = 5662 reviews of children aged 4 or over, so 6241 - 5662 = 579 reviews of under 4s.
UNDER_4_REVIEWS_YEAR: dict[str, int] = {"2015-16": 579}

# Children chairing their review: (full, part) per quarter. Published: the totals, and 4 + 78 in Q4.
CHILD_CHAIRED_QUARTER: dict[str, tuple[int, int]] = {
    "2012-13-Q1": (0, 3),
    "2012-13-Q2": (0, 5),  # interpolated
    "2012-13-Q3": (0, 8),
    "2012-13-Q4": (1, 20),
    "2013-14-Q1": (2, 29),
    "2013-14-Q2": (2, 46),
    "2013-14-Q3": (3, 69),
    "2013-14-Q4": (4, 78),
    "2014-15-Q1": (8, 76),
    "2014-15-Q2": (10, 80),
    "2014-15-Q3": (12, 84),
    "2014-15-Q4": (14, 88),
    "2015-16-Q1": (22, 85),
    "2015-16-Q2": (24, 88),
    "2015-16-Q3": (25, 92),
    "2015-16-Q4": (26, 97),
    "2016-17-Q1": (26, 95),
    "2016-17-Q2": (27, 96),
    "2016-17-Q3": (28, 98),
    "2016-17-Q4": (28, 100),
    "2017-18-Q1": (29, 101),
    "2017-18-Q2": (30, 102),
    "2017-18-Q3": (30, 104),
    "2017-18-Q4": (31, 105),
}

# --- Late notifications of entry (2 or more working days) ---------------------------------------------
LATE_NOTIFICATION_PCT_QUARTER: dict[str, float] = {
    "2012-13-Q1": 17.5,
    "2012-13-Q2": 17.0,
    "2012-13-Q3": 16.5,  # interpolated
    "2012-13-Q4": 15.8,
    "2013-14-Q1": 22.4,
    "2013-14-Q2": 23.7,
    "2013-14-Q3": 19.1,  # Q3 = 20.3 - 1.2
    "2016-17-Q1": 8.5,
    "2016-17-Q2": 8.0,
    "2016-17-Q3": 7.5,
    "2016-17-Q4": 7.0,  # interpolated
    "2017-18-Q1": 7.0,
    "2017-18-Q2": 6.5,
    "2017-18-Q3": 6.5,
    "2017-18-Q4": 6.0,
}
LATE_NOTIFICATION_COUNT_QUARTER: dict[str, int] = {"2013-14-Q4": 32}
LATE_NOTIFICATION_COUNT_YEAR: dict[str, int] = {"2014-15": 137, "2015-16": 120}

# --- Disputes (per 100 reviews held) --------------------------------------------------------------------
# (formal per 100, informal per 100) per quarter; 2013-14 Q1/Q2 share what the year's 30.6 leaves.
DISPUTES_PER_100_QUARTER: dict[str, tuple[float, float]] = {
    "2012-13-Q1": (16.5, 40.0),
    "2012-13-Q2": (16.2, 39.5),
    "2012-13-Q3": (16.0, 39.0),  # interpolated
    "2012-13-Q4": (15.8, 38.9),  # 54.7 in all
    "2013-14-Q3": (5.4, 21.4),  # 26.8 in all
    "2013-14-Q4": (7.3, 10.4),  # 91 formal, 129 informal
    "2014-15-Q1": (6.5, 12.0),
    "2014-15-Q2": (6.8, 12.2),
    "2014-15-Q3": (7.2, 12.5),
    "2014-15-Q4": (8.0, 12.5),
    "2016-17-Q1": (9.0, 10.5),
    "2016-17-Q2": (8.8, 10.5),
    "2016-17-Q3": (8.5, 10.2),
    "2016-17-Q4": (8.2, 10.0),
    "2017-18-Q1": (8.0, 10.0),
    "2017-18-Q2": (7.8, 9.8),
    "2017-18-Q3": (7.6, 9.6),
    "2017-18-Q4": (7.5, 9.5),
}
DISPUTES_COUNT_QUARTER: dict[str, tuple[int, int]] = {"2013-14-Q4": (91, 129)}
DISPUTES_TOTAL_PCT_YEAR: dict[str, float] = {"2013-14": 30.6}
DISPUTE_LEVELS_QUARTER: dict[str, dict[int, int]] = {"2013-14-Q4": {1: 78, 2: 12, 3: 1}}
CARE_PLAN_DISPUTES_QUARTER: dict[str, int] = {"2013-14-Q4": 86}  # 39% of the 220 formal and informal
INFORMAL_PER_100_YEAR: dict[str, float] = {"2015-16": 9.0}  # interpolated
# 2015-16 formal disputes by category and the highest level reached (004's dispute table).
DISPUTE_TABLE_2015_16: dict[str, tuple[int, int, int, int, int]] = {
    "needs_assessment": (35, 19, 15, 0, 0),
    "care_plan": (81, 39, 23, 1, 0),
    "permanence": (7, 1, 0, 0, 0),
    "placement_stability": (17, 5, 5, 0, 1),
    "safety": (9, 1, 6, 0, 0),
    "health": (31, 5, 11, 1, 1),
    "education": (26, 6, 6, 0, 0),
    "interests": (3, 0, 0, 0, 0),
    "participation": (0, 0, 0, 0, 0),
    "contact": (2, 4, 1, 0, 0),
    "visits": (10, 4, 0, 0, 0),
    "direct_work": (1, 0, 0, 0, 0),
    "life_story_work": (3, 1, 0, 0, 0),
    "later_life_letter": (0, 1, 0, 0, 0),
    "contingency": (4, 1, 1, 0, 0),
    "pre_meeting_report_missing": (152, 59, 19, 0, 0),
    "pre_meeting_report_quality": (3, 1, 0, 0, 0),
    "pledge": (1, 0, 0, 0, 0),
    "other": (71, 26, 9, 0, 0),
}

# --- QA audits ----------------------------------------------------------------------------------------
QA_AUDITS_YEAR: dict[str, int] = {"2013-14": 4685}
QA_AUDITS_QUARTER: dict[str, int] = {"2013-14-Q4": 1150}
QA_AUDIT_RATE_YEAR: dict[str, float] = {  # audits per review (interpolated outside 2013-14)
    "2012-13": 0.78,
    "2014-15": 0.93,
    "2015-16": 0.963,
    "2016-17": 0.94,
    "2017-18": 0.95,
}
# Items graded from when (the reports: the core-components audit from 2012-13 for the six with a
# 2012-13 figure, health/education/interests/direct work/visits and the reports from April 2013,
# contingency planning from June 2014).
QA_ITEM_FROM: dict[str, date] = {
    "care_plan": date(2012, 4, 1),
    "plan_implementation": date(2013, 4, 1),
    "sw_report": date(2013, 4, 1),
    "pledge": date(2013, 4, 1),
    "permanence": date(2012, 4, 1),
    "health": date(2013, 4, 1),
    "education": date(2013, 4, 1),
    "interests_activities": date(2013, 4, 1),
    "participation_in_plan": date(2012, 4, 1),
    "placement_stability": date(2012, 4, 1),
    "family_friends": date(2012, 4, 1),
    "keeping_safe": date(2012, 4, 1),
    "transition": date(2012, 4, 1),
    "direct_work": date(2013, 4, 1),
    "statutory_visits": date(2013, 4, 1),
    "contingency": date(2014, 6, 1),
}


class QaCell:
    """A QA target: the adequate-or-better share of one item in one period, maybe with its area range."""

    def __init__(
        self,
        pct: float | None = None,
        n: int | None = None,
        k: int | None = None,
        lo: float | None = None,
        hi: float | None = None,
        good: int | None = None,
    ):
        self.pct, self.n, self.k, self.lo, self.hi, self.good = pct, n, k, lo, hi, good


def _core(q4, q3, q2, q1, y1213=None):
    out = {
        "2013-14-Q4": QaCell(*q4[:1], lo=q4[1], hi=q4[2]),
        "2013-14-Q3": QaCell(q3[0], lo=q3[1], hi=q3[2]),
        "2013-14-Q2": QaCell(q2[0], lo=q2[1], hi=q2[2]),
        "2013-14-Q1": QaCell(q1[0], lo=q1[1], hi=q1[2]),
    }
    if y1213:
        out["2012-13"] = QaCell(y1213[0], lo=y1213[1], hi=y1213[2])
    return out


# item -> period label -> target (adequate or better). Published in 001 and 004.
QA_TARGETS: dict[str, dict[str, QaCell]] = {
    "care_plan": {
        "2012-13-Q3": QaCell(65.8),
        "2012-13-Q4": QaCell(75.4),
        "2013-14-Q1": QaCell(74.8),
        "2013-14-Q2": QaCell(78.0),
        "2013-14-Q3": QaCell(79.9),
        "2013-14-Q4": QaCell(n=1135, k=916),
        "2015-16": QaCell(n=5973, k=5973 - 695, good=3692),
    },
    "plan_implementation": {
        "2013-14-Q1": QaCell(81.0),
        "2013-14-Q4": QaCell(84.9),
        "2015-16": QaCell(n=5856, k=4761),
    },
    "participation_in_plan": {
        **_core((94.2, 88.6, 97.9), (95.4, 91.7, 100), (96.0, 88, 99), (93.7, 82, 100), (86.1, 82, 93.5)),
        "2015-16": QaCell(n=5198, k=4378),  # "care plan shared with the child and their views recorded"
    },
    "sw_report": {"2013-14-Q3": QaCell(83.8), "2013-14-Q4": QaCell(n=1114, k=773), "2013-14": QaCell(82.6)},
    "pledge": {"2013-14-Q1": QaCell(92.7), "2013-14-Q4": QaCell(n=1144, k=1096), "2013-14": QaCell(93.9, n=4677)},
    "permanence": _core((91.7, 86.9, 96.4), (88.9, 79.7, 96), (85.8, 80, 91), (83.4, 75, 88), (80.1, 73, 87)),
    "health": _core((94.4, 82.7, 100), (93.7, 83.8, 98.4), (92.0, 83, 97), (91.0, 74, 100)),
    "education": _core((87.9, 76.4, 100), (89.1, 72.5, 100), (88.1, 69, 95), (86.7, 66, 98)),
    "interests_activities": _core((95.1, 78.6, 100), (93.9, 82.2, 100), (95.2, 78, 100), (89.9, 73, 98)),
    "placement_stability": _core(
        (94.3, 83.3, 98.2), (94.2, 80.1, 98.4), (92.9, 81, 97.5), (91.2, 73, 96), (85.8, 78, 98)
    ),
    "family_friends": _core((97.0, 88.4, 98.9), (94.7, 83.7, 100), (91.5, 81, 97.5), (89.8, 75, 100), (86.5, 79, 93)),
    "keeping_safe": _core((95.7, 85.9, 98.4), (94.4, 85.1, 95.7), (94.4, 83, 99), (92.8, 78, 97), (89.0, 87, 93)),
    "transition": _core((94.2, 92.7, 97.1), (93.1, 88.6, 97.3), (92.0, 83, 96), (91.3, 76, 97), (82.0, 74, 89)),
    "direct_work": _core((90.3, 83.3, 95.9), (88.0, 78.5, 96.1), (90.4, 83, 100), (88.8, 78, 96)),
    "statutory_visits": _core((82.9, 78, 96.4), (83.7, 77.1, 96.8), (90.4, 77, 94), (85.1, 72, 93)),
}
# Adequate-or-better shares for years no report covers (interpolated: 2013-14 Q4 level, drifting).
QA_DEFAULT_PCT: dict[str, float] = {
    "care_plan": 82.0,
    "plan_implementation": 84.0,
    "sw_report": 78.0,
    "pledge": 95.0,
    "permanence": 90.0,
    "health": 93.0,
    "education": 87.0,
    "interests_activities": 93.0,
    "participation_in_plan": 90.0,
    "placement_stability": 93.0,
    "family_friends": 94.0,
    "keeping_safe": 94.0,
    "transition": 92.0,
    "direct_work": 89.0,
    "statutory_visits": 84.0,
    "contingency": 80.0,
}
QA_DEFAULT_PCT_2012_13 = 0.93  # items without a 2012-13 figure run at this fraction of their default

# --- IRO contacts between reviews: % of children in care at quarter end seen in the quarter ---------------
IRO_CONTACT_PCT: dict[tuple[str, str], float] = {
    ("2015-16-Q2", "East Kent"): 45.7,
    ("2015-16-Q3", "East Kent"): 32.6,
    ("2015-16-Q4", "East Kent"): 26.1,
    ("2015-16-Q2", "South Kent"): 27.8,
    ("2015-16-Q3", "South Kent"): 28.7,
    ("2015-16-Q4", "South Kent"): 26.5,
}


def iro_contact_default(quarter_start: date, area: str) -> float:
    """Interpolated contact rates: about half in 2012, falling (000: less time seeing children between
    reviews), lowest in the UASC surge, recovering from 2016-17."""
    if quarter_start < date(2013, 4, 1):
        base = 48.0
    elif quarter_start < date(2014, 4, 1):
        base = 42.0
    elif quarter_start < date(2015, 7, 1):
        base = 38.0
    elif quarter_start < date(2016, 4, 1):
        base = 22.0
    elif quarter_start < date(2017, 4, 1):
        base = 30.0
    else:
        base = 36.0
    adjust = {
        "UASC Service": -12.0,
        "North Kent": -4.0,
        "West Kent": -3.0,
        "16+ Service": -2.0,
        "Disabled Children's Service": 8.0,
    }.get(area, 0.0)
    if date(2015, 7, 1) <= quarter_start < date(2016, 4, 1) and area in ("North Kent", "West Kent"):
        adjust -= 6.0
    return max(5.0, base + adjust)


# --- IRO staffing: (establishment, in post, agency) per team at month ends --------------------------------
SE_TEAM = "East and South Kent IRO team"
NW_TEAM = "North and West Kent IRO team"
SHARED_TEAM = "Shared IRO post (East/South and North/West)"


def staffing_at(month_end: date) -> dict[str, tuple[float, float, float]]:
    """Team establishment, FTE in post and agency FTE at a month end.

    Published anchors: 21 FTE in June 2013 and 22 at 31 March 2014 (three agency posts in the
    South/East team, 21.35 FTE in post giving 86.3 children per IRO); 24 proposed and funded from
    2014-15; 29 planned for 2015-16 (15 + 13 + 1 shared) with seven locums recruited for the UASC
    surge (36.96 FTE in post at 31 March 2016, 65.67 children per IRO); locums released during 2016-17.
    """
    if month_end < date(2013, 8, 1):
        return {SE_TEAM: (11.0, 10.6, 1.0), NW_TEAM: (10.0, 9.8, 0.0), SHARED_TEAM: (0.0, 0.0, 0.0)}
    if month_end < date(2014, 3, 1):
        return {SE_TEAM: (12.0, 11.0, 2.0), NW_TEAM: (10.0, 9.7, 0.0), SHARED_TEAM: (0.0, 0.0, 0.0)}
    if month_end < date(2014, 4, 1):
        return {SE_TEAM: (12.0, 11.65, 3.0), NW_TEAM: (10.0, 9.7, 0.0), SHARED_TEAM: (0.0, 0.0, 0.0)}
    if month_end < date(2015, 4, 1):
        return {SE_TEAM: (13.0, 12.4, 2.0), NW_TEAM: (11.0, 10.5, 1.0), SHARED_TEAM: (0.0, 0.0, 0.0)}
    if month_end < date(2015, 9, 1):
        return {SE_TEAM: (15.0, 14.2, 1.0), NW_TEAM: (13.0, 11.8, 1.5), SHARED_TEAM: (1.0, 1.0, 0.0)}
    if month_end < date(2015, 11, 1):
        return {SE_TEAM: (15.0, 14.6, 0.5), NW_TEAM: (13.0, 15.2, 4.0), SHARED_TEAM: (1.0, 1.0, 0.0)}
    if month_end < date(2016, 3, 1):
        return {SE_TEAM: (15.0, 14.8, 0.5), NW_TEAM: (13.0, 19.2, 7.5), SHARED_TEAM: (1.0, 1.0, 0.0)}
    if month_end < date(2016, 4, 1):
        return {SE_TEAM: (15.0, 15.0, 0.0), NW_TEAM: (13.0, 20.96, 8.0), SHARED_TEAM: (1.0, 1.0, 0.0)}
    if month_end < date(2016, 10, 1):
        return {SE_TEAM: (15.0, 14.8, 0.0), NW_TEAM: (13.0, 17.5, 5.0), SHARED_TEAM: (1.0, 1.0, 0.0)}
    if month_end < date(2017, 4, 1):
        return {SE_TEAM: (15.0, 14.6, 0.0), NW_TEAM: (13.0, 14.5, 2.0), SHARED_TEAM: (1.0, 1.0, 0.0)}
    return {SE_TEAM: (15.0, 14.8, 0.0), NW_TEAM: (13.0, 12.6, 1.0), SHARED_TEAM: (1.0, 1.0, 0.0)}


# --- Surveys ------------------------------------------------------------------------------------------------
CONSULTATION_QUESTIONS = (
    "understands_care_plan",
    "knows_how_to_complain",
    "knows_pledge",
    "wants_to_chair_review",
    "feels_safe_placement",
    "feels_safe_school",
    "sees_social_worker_enough",
    "understands_future_plans",
)
LEAVING_CARE_QUESTIONS = (
    "understands_care_plan",
    "able_to_give_views",
    "iro_kept_in_touch",
    "iro_helpful",
    "difficult_to_get_support",
)
CARER_QUESTIONS = ("iro_helpful", "able_to_give_views")
PARENT_QUESTIONS = ("iro_helpful", "able_to_give_views")

# Responses per quarter: consultation responses are a share of reviews chaired by IROs.
CONSULTATION_RESPONSES_QUARTER: dict[str, int] = {"2013-14-Q4": 151}
CONSULTATION_RESPONSES_YEAR: dict[str, int] = {"2015-16": 805}
CONSULTATION_RATE_DEFAULT = 0.12
LEAVING_CARE_RESPONSES_QUARTER: dict[str, int] = {"2013-14-Q4": 10}
LEAVING_CARE_RESPONSES_YEAR: dict[str, int] = {"2015-16": 30}
CARER_RESPONSES_YEAR: dict[str, int] = {"2015-16": 3}
PARENT_RESPONSES_YEAR: dict[str, int] = {"2015-16": 0}

# (survey, question) -> {period label: (yes %, no %)}; the rest answer not_sure. Periods "2015-16-Q2-Q4"
# are pooled over the three quarters, as 004 reports them.
SURVEY_YES: dict[tuple[str, str], dict[str, tuple[float, float]]] = {
    ("consultation", "understands_care_plan"): {"2013-14-Q4": (84.0, 10.0)},
    ("consultation", "knows_how_to_complain"): {"2013-14-Q4": (68.0, 22.0), "2015-16-Q2-Q4": (75.0, 18.0)},
    ("consultation", "knows_pledge"): {"2013-14-Q4": (15.0, 70.0), "2013-14": (15.0, 70.0)},
    ("consultation", "wants_to_chair_review"): {"2013-14-Q4": (6.0, 80.0), "2015-16-Q2-Q4": (15.0, 55.0)},
    ("consultation", "feels_safe_placement"): {"2015-16-Q2-Q4": (85.0, 5.0)},
    ("consultation", "feels_safe_school"): {"2015-16-Q2-Q4": (65.0, 15.0)},
    ("consultation", "sees_social_worker_enough"): {"2015-16-Q2-Q4": (75.0, 10.0)},
    ("consultation", "understands_future_plans"): {
        "2015-16-Q2": (44.0, 30.0),
        "2015-16-Q3": (26.0, 40.0),
        "2015-16-Q4": (22.0, 42.0),
    },
    ("leaving_care", "understands_care_plan"): {"2013-14-Q4": (100.0, 0.0)},
    ("leaving_care", "able_to_give_views"): {"2013-14-Q4": (90.0, 10.0)},
    ("leaving_care", "iro_kept_in_touch"): {"2013-14-Q4": (80.0, 10.0)},
    ("leaving_care", "iro_helpful"): {"2013-14-Q4": (60.0, 20.0)},
    ("leaving_care", "difficult_to_get_support"): {"2013-14-Q4": (70.0, 20.0)},
}
SURVEY_YES_DEFAULT: dict[tuple[str, str], tuple[float, float]] = {
    ("consultation", "understands_care_plan"): (82.0, 10.0),
    ("consultation", "knows_how_to_complain"): (70.0, 20.0),
    ("consultation", "knows_pledge"): (18.0, 65.0),
    ("consultation", "wants_to_chair_review"): (10.0, 65.0),
    ("consultation", "feels_safe_placement"): (88.0, 5.0),
    ("consultation", "feels_safe_school"): (80.0, 8.0),
    ("consultation", "sees_social_worker_enough"): (76.0, 10.0),
    ("consultation", "understands_future_plans"): (45.0, 30.0),
    ("leaving_care", "understands_care_plan"): (90.0, 5.0),
    ("leaving_care", "able_to_give_views"): (85.0, 10.0),
    ("leaving_care", "iro_kept_in_touch"): (75.0, 15.0),
    ("leaving_care", "iro_helpful"): (70.0, 15.0),
    ("leaving_care", "difficult_to_get_support"): (55.0, 30.0),
    ("carer", "iro_helpful"): (80.0, 10.0),
    ("carer", "able_to_give_views"): (85.0, 10.0),
    ("parent", "iro_helpful"): (70.0, 20.0),
    ("parent", "able_to_give_views"): (60.0, 30.0),
}

STAYING_PUT_YEAR: dict[str, int] = {"2014-15": 14, "2015-16": 49}


def _continue_to_present() -> None:
    """From April 2018 to March 2026 (the present, see present.py) children chairing their reviews,
    late notifications and disputes per 100 reviews continue at 2017-18's quarterly figures."""
    for fy in range(2018, 2026):
        for q in (1, 2, 3, 4):
            label, last = f"{fy}-{(fy + 1) % 100:02d}-Q{q}", f"2017-18-Q{q}"
            CHILD_CHAIRED_QUARTER.setdefault(label, CHILD_CHAIRED_QUARTER[last])
            DISPUTES_PER_100_QUARTER.setdefault(label, DISPUTES_PER_100_QUARTER[last])
            LATE_NOTIFICATION_PCT_QUARTER.setdefault(label, LATE_NOTIFICATION_PCT_QUARTER[last])


_continue_to_present()
