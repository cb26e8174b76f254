"""Code lists and their labels: the one place each code and its meaning is written down.

903 codes follow the DfE's SSDA903 return (see ../shared/reference/sector-notes.md); local codes
(areas, QA items, dispute categories, surveys) follow the data model in ../shared/spec/data-model.md.
"""

from __future__ import annotations

import polars as pl

COHORTS: tuple[str, ...] = ("all", "uasc", "citizen")
COHORT_LABELS: dict[str, str] = {
    "all": "All children",
    "uasc": "UASC",
    "citizen": "Citizen children",
}

SEX: dict[str, str] = {"1": "Male", "2": "Female"}

# 903 ETHNIC codes, with the five broad groups DfE statistics use.
ETHNICITY: dict[str, str] = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Caribbean",
    "BAFR": "African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
ETHNICITY_GROUP_ORDER: tuple[str, ...] = ("White", "Mixed", "Asian", "Black", "Other", "Not known")
ETHNICITY_GROUP: dict[str, str] = {
    code: (
        "White"
        if code.startswith("W")
        else "Mixed"
        if code.startswith("M")
        else "Asian"
        if code.startswith("A")
        else "Black"
        if code.startswith("B")
        else "Other"
        if code in ("CHNE", "OOTH")
        else "Not known"
    )
    for code in ETHNICITY
}

REASON_NEW_EPISODE: dict[str, str] = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement (same carer(s)) only",
    "B": "Change of legal status and placement and carer(s)",
    "U": "Change of legal status and change of placement (same carer(s))",
}

LEGAL_STATUS: dict[str, str] = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Freeing order",
    "E1": "Placement order",
    "V2": "Single period of accommodation under section 20",
    "V3": "Short breaks: individual episodes",
    "V4": "Short breaks: agreements",
    "L1": "Police protection",
    "L2": "Emergency protection order",
    "L3": "Child assessment order",
    "J1": "Remanded",
    "J2": "PACE accommodation",
    "J3": "Youth rehabilitation order",
}
SHORT_BREAK_LEGAL_STATUSES: tuple[str, ...] = ("V3", "V4")
LEGAL_STATUS_GROUP: dict[str, str] = {
    "C1": "Interim care order",
    "C2": "Full care order",
    "D1": "Placement or freeing order",
    "E1": "Placement or freeing order",
    "V2": "Section 20 (voluntary)",
    "V3": "Short breaks",
    "V4": "Short breaks",
    "L1": "Emergency or police protection",
    "L2": "Emergency or police protection",
    "L3": "Emergency or police protection",
    "J1": "Youth justice",
    "J2": "Youth justice",
    "J3": "Youth justice",
}

CATEGORY_OF_NEED: dict[str, str] = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
}

# 903 PLACE codes accepted across the returns this tool reads (2012-13 to 2025-26).
PLACEMENT_TYPE: dict[str, str] = {
    "A3": "Placed for adoption with consent (not with current foster carer)",
    "A4": "Placed for adoption with consent with current foster carer",
    "A5": "Placed for adoption with placement order (not with current foster carer)",
    "A6": "Placed for adoption with placement order with current foster carer",
    "H5": "Semi-independent living accommodation",
    "K1": "Secure children's home",
    "K2": "Children's home",
    "K3": "Registered supported accommodation",
    "P1": "Placed with own parent(s)",
    "P2": "Independent living",
    "P3": "Residential employment",
    "R1": "Residential care home",
    "R2": "NHS/health trust or other establishment providing medical or nursing care",
    "R3": "Family centre or mother and baby unit",
    "R5": "Young offender institution or prison",
    "S1": "All residential schools, except where dual-registered as a school and children's home",
    "T0": "Temporary: all types",
    "T1": "Temporary: periods of less than 7 days",
    "T2": "Temporary: with parent(s) for less than 7 days",
    "T3": "Temporary: holiday in another placement",
    "T4": "Temporary: other",
    "U1": "Foster placement with relative or friend: long term",
    "U2": "Foster placement with relative or friend who is also an approved adopter",
    "U3": "Foster placement with relative or friend: not long term or FFA",
    "U4": "Foster placement with other foster carer: long term",
    "U5": "Foster placement with other foster carer who is also an approved adopter",
    "U6": "Foster placement with other foster carer: not long term or FFA",
    "Z1": "Other placements",
    "Z11": "Other placements (2025-26 code)",
    "Z12": "Other placements (2025-26 code)",
    "Z13": "Other placements (2025-26 code)",
    "Z14": "Other placements (2025-26 code)",
}

REASON_CEASED: dict[str, str] = {
    "X1": "Episode ceases, and new episode begins on same day",
    "E11": "Adopted: application for an adoption order unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E2": "Died",
    "E3": "Care taken over by another local authority in the UK",
    "E4A": "Returned home to live with parent(s) as part of the care plan",
    "E4B": "Returned home to live with parent(s) not as part of the care plan",
    "E13": "Left care to live with parent(s) (legacy code)",
    "E41": "Residence order granted (legacy code)",
    "E45": "Child arrangements order granted to former foster carers",
    "E46": "Child arrangements order granted to other than former foster carers",
    "E47": "Special guardianship order made to former foster carers",
    "E48": "Special guardianship order made to other than former foster carers",
    "E5": "Moved into independent living arrangement without formalised support",
    "E6": "Sentenced to custody",
    "E7": "Accommodation on remand ended",
    "E8": "Period of being looked after ceased for any other reason",
    "E9": "Age assessment determined child is aged 18 or over",
    "E14": "Accommodation on remand ended (legacy code)",
    "E15": "Age assessment determined child is aged 18 or over (legacy code)",
    "E16": "Child moved abroad",
    "E17": "Aged 18 (or over) and remained with current carers (staying put)",
}
EPISODE_CONTINUES: str = "X1"

PARTICIPATION: dict[str, str] = {
    "PN0": "Child aged under 4 at the time of the review",
    "PN1": "Attends and speaks for themselves",
    "PN2": "Attends; an advocate speaks for them",
    "PN3": "Attends and conveys views symbolically (non-verbally)",
    "PN4": "Attends without contributing",
    "PN5": "Does not attend; briefs an advocate to speak for them",
    "PN6": "Does not attend; conveys views by a facilitative medium",
    "PN7": "Does not attend; views not conveyed",
}
PARTICIPATION_CODES: tuple[str, ...] = tuple(PARTICIPATION)
PARTICIPATED: tuple[str, ...] = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")
PARTICIPATED_IN_PERSON: tuple[str, ...] = ("PN1", "PN2", "PN3", "PN4")
PARTICIPATION_ELIGIBLE: tuple[str, ...] = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")

REVIEW_CHAIR: dict[str, str] = {"iro": "An IRO", "other": "Someone other than an IRO"}
CHILD_CHAIRED: dict[str, str] = {"none": "Did not chair", "part": "Chaired part", "full": "Chaired in full"}

# Graded items in IRO quality-assurance audits, in report order: the headline items, then the
# core components of a good care plan (contingency planning was added from June 2014).
QA_ITEMS: dict[str, str] = {
    "care_plan": "Care plan",
    "plan_implementation": "Care plan implemented in timescale",
    "sw_report": "Social worker's report",
    "pledge": "The Pledge",
    "permanence": "Permanence",
    "health": "Health",
    "education": "Education",
    "interests_activities": "Interests and activities",
    "participation_in_plan": "Child's participation in the plan",
    "placement_stability": "Placement stability",
    "family_friends": "Family and friends relationships",
    "keeping_safe": "Keeping safe",
    "transition": "Transition planning",
    "direct_work": "Direct social work",
    "statutory_visits": "Statutory visits",
    "contingency": "Contingency planning",
}
QA_CORE_COMPONENTS: tuple[str, ...] = tuple(list(QA_ITEMS)[4:])
QA_GRADES: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
QA_GRADE_ORDER: tuple[str, ...] = tuple(QA_GRADES)
QA_ADEQUATE_OR_BETTER: tuple[str, ...] = ("outstanding", "good", "requires_improvement")
QA_GOOD_OR_BETTER: tuple[str, ...] = ("outstanding", "good")

DISPUTE_ROUTES: dict[str, str] = {"formal": "Formal dispute", "informal": "Informal challenge"}
DISPUTE_CATEGORIES: dict[str, str] = {
    "needs_assessment": "Core/needs assessment",
    "care_plan": "Care plan / pathway plan",
    "permanence": "Permanence",
    "placement_stability": "Stable placement",
    "safety": "Safety",
    "health": "Health",
    "education": "Education",
    "interests": "Promotion of interests",
    "participation": "Participation in care planning",
    "contact": "Contact",
    "visits": "Visits",
    "direct_work": "Direct work",
    "life_story_work": "Life story work",
    "later_life_letter": "Later life letter",
    "contingency": "Contingency",
    "pre_meeting_report_missing": "Pre-meeting report not there",
    "pre_meeting_report_quality": "Pre-meeting report quality",
    "pledge": "Pledge",
    "other": "Other issues",
}
DISPUTE_LEVELS: dict[int, str] = {
    1: "Team manager",
    2: "Service manager",
    3: "Assistant director",
    4: "Director",
    5: "Beyond (e.g. CAFCASS)",
}

# The Standard Safeguarding Dataset's reasons an involvement (here an IRO allocation) ended
# (ssd_involvements.involvement_change_reason; spec/data-model.md, iro_allocations).
IRO_CHANGE_REASONS: dict[str, str] = {
    "MANAGE": "Management decision",
    "FCONTA": "Family contact",
    "LEFTRL": "Worker left the role",
    "ORGRST": "Organisational restructure",
    "TSPROC": "Transfer between teams or processes",
    "ABSENC": "Worker absence",
    "CHCHAN": "Child's circumstances changed",
    "PCCHAN": "Parent or carer's circumstances changed",
    "SWDIED": "Worker died",
    "OTHERS": "Other",
}
# The kinds of IRO contact with a child between reviews (iro_contacts.type).
CONTACT_TYPES: dict[str, str] = {
    "visit": "Visit",
    "conversation": "Conversation",
    "midway": "Midway review",
    "other": "Other contact",
}
# Contacts that count as the child being seen or spoken with before a review.
SEEN_CONTACT_TYPES: tuple[str, ...] = ("visit", "conversation")

# The age of an open formal dispute at a period end, in working days since it was raised: within the
# IRO Handbook's 20, up to twice that, beyond (the Challenge page's chart).
DISPUTE_AGE_BANDS: tuple[str, ...] = ("0-20 working days", "21-40 working days", "over 40 working days")
MIDWAY_CONTACT_TYPE: str = "midway"

SURVEYS: dict[str, str] = {
    "consultation": "Consultation questionnaire",
    "exit_interview": "Exit interview",
    "leaving_care": "Leaving care survey",
    "carer": "Carer feedback",
    "parent": "Parent feedback",
}
SURVEY_QUESTIONS: dict[str, str] = {
    "understands_care_plan": "Understands their care plan",
    "knows_how_to_complain": "Knows how to complain",
    "knows_pledge": "Knows what the Pledge is",
    "wants_to_chair_review": "Wants to chair their review",
    "feels_safe_placement": "Feels safe where they live",
    "feels_safe_school": "Feels safe at school",
    "iro_helpful": "Found their IRO helpful",
    "able_to_give_views": "Was able to give their views",
    "iro_kept_in_touch": "IRO kept an eye on them between reviews",
    "difficult_to_get_support": "Found it difficult to get support after leaving care",
    "sees_social_worker_enough": "Sees their social worker enough",
    "understands_future_plans": "Understands plans for their future",
}
SURVEY_ANSWERS: tuple[str, ...] = ("yes", "no", "not_sure")

# Kent's operational areas and services as its reports name them (the default dataset's areas).
KENT_AREAS: tuple[str, ...] = (
    "East Kent",
    "North Kent",
    "South Kent",
    "West Kent",
    "UASC Service",
    "16+ Service",
    "Disabled Children's Service",
)

AGE_BANDS: tuple[str, ...] = ("Under 1", "1-4", "5-9", "10-15", "16-17", "18 and over")
AGE_BAND_ENUM = pl.Enum(list(AGE_BANDS))


def label(codes: dict, code: object) -> str:
    """The label for a code, or the code itself when the list does not know it."""
    return codes.get(code, str(code))
