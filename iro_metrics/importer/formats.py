"""The files the importer reads: the four SSDA903 tables it uses and the local-record templates.

Each file is described once here (its columns, which are required, how each value is read, an
example row and the key that identifies a record); the readers, the validation, the blank
templates, docs/import.md and ``export_903`` all work from these descriptions. A template that
fills one table is written from that table's declaration (``iro_metrics.tables``).

A file is recognised by its columns, never its name: 903 column sets follow the DfE CSV layout
(``../shared/reference/sector-notes.md`` 1.1). Column names are matched ignoring case and
surrounding spaces.
"""

from __future__ import annotations

from iro_metrics import codes, tables
from iro_metrics.importer.file_specs import ColumnSpec, FileSpec, ValueKind, template_from_table

# Columns whose values identify a child: never quoted back in a problem report.
# (Child ids may be named in the import report, so the analyst can fix the source; these never.)
PRIVATE_COLUMNS: frozenset[str] = frozenset({"DOB", "UPN", "MOTHER", "MC_DOB", "HOME_POST", "PL_POST"})

DATE_FORMAT_TEXT = "dd/mm/yyyy (also d/m/yyyy, yyyy-mm-dd and dd/mm/yy)"
FLAG_VALUES: dict[str, bool] = {"Y": True, "N": False}


def _col(name: str, kind: ValueKind, description: str, example: str = "", **kw: object) -> ColumnSpec:
    return ColumnSpec(name, kind, description, example, **kw)  # type: ignore[arg-type]


def _unused(name: str, description: str, kind: ValueKind = "text") -> ColumnSpec:
    """A 903 column the tool reads past: allowed, optional, never checked."""
    return ColumnSpec(name, kind, description, "", required=False, mandatory=False, used=False)


_AREA_OPTIONAL = _col(
    "AREA",
    "text",
    "Area or service responsible for the child on the event's date. Leave the column out to take "
    "it from the child's episode on that date.",
    "East Kent",
    required=False,
    mandatory=False,
)
_UASC_OPTIONAL = _col(
    "UASC",
    "flag",
    "Y if the child was an unaccompanied asylum-seeking child on the event's date, else N. Leave "
    "the column out to take it from the child's episode on that date.",
    "N",
    required=False,
    mandatory=False,
)

HEADER = FileSpec(
    kind="header",
    title="SSDA903 Header",
    description="One row per child: sex, date of birth and ethnicity.",
    columns=(
        _col("CHILD", "text", "Child's identifier in the return", "C0001"),
        _col("SEX", "code", "1 male, 2 female", "1", codes=tuple(codes.SEX)),
        _col("DOB", "date", "Date of birth", "14/02/2006", dates="birth"),
        _col("ETHNIC", "code", "903 ethnicity code", "WBRI", codes=tuple(codes.ETHNICITY)),
        _unused("UPN", "Unique pupil number"),
        _unused("MOTHER", "Whether the child is a mother"),
        _unused("MC_DOB", "Date of birth of the child's first child"),
    ),
    key=("CHILD",),
    is_903=True,
)

EPISODES = FileSpec(
    kind="episodes",
    title="SSDA903 Episodes",
    description="One row per episode of care.",
    columns=(
        _col("CHILD", "text", "Child's identifier", "C0001"),
        _col("DECOM", "date", "Date the episode started", "01/04/2013"),
        _col("RNE", "code", "Reason for new episode", "S", codes=tuple(codes.REASON_NEW_EPISODE)),
        _col("LS", "code", "Legal status", "C2", codes=tuple(codes.LEGAL_STATUS)),
        _col("CIN", "code", "Category of need", "N1", codes=tuple(codes.CATEGORY_OF_NEED)),
        _col("PLACE", "code", "Placement type", "U6", codes=tuple(codes.PLACEMENT_TYPE)),
        _unused("PLACE_PROVIDER", "Placement provider"),
        _col("DEC", "date", "Date the episode ceased (blank while open)", "", mandatory=False),
        _col(
            "REC",
            "code",
            "Reason the episode ceased (blank while open)",
            "",
            mandatory=False,
            codes=tuple(codes.REASON_CEASED),
        ),
        _unused("REASON_PLACE_CHANGE", "Reason for placement change"),
        _unused("HOME_POST", "Home postcode"),
        _unused("PL_POST", "Placement postcode"),
        _unused("URN", "Ofsted unique reference number of the placement"),
    ),
    key=("CHILD", "DECOM"),
    is_903=True,
)

REVIEWS = FileSpec(
    kind="reviews",
    title="SSDA903 Reviews",
    description="One row per statutory review held.",
    columns=(
        _col("CHILD", "text", "Child's identifier", "C0001"),
        _unused("DOB", "Date of birth (the Header's date of birth is used)"),
        _col("REVIEW", "date", "Date of the review", "25/04/2013"),
        _col(
            "REVIEW_CODE",
            "code",
            "Participation code PN0-PN7",
            "PN1",
            codes=tuple(codes.PARTICIPATION_CODES),
        ),
    ),
    key=("CHILD", "REVIEW"),
    is_903=True,
)

UASC = FileSpec(
    kind="uasc",
    title="SSDA903 UASC",
    description="One row per child who has been an unaccompanied asylum-seeking child.",
    columns=(
        _col("CHILD", "text", "Child's identifier", "C0001"),
        _unused("SEX", "Sex"),
        _unused("DOB", "Date of birth"),
        _col(
            "DUC",
            "date",
            "Date UASC status ceased; a child still UASC has their 18th birthday here (a future date)",
            "",
            mandatory=False,
            dates="until",
        ),
    ),
    key=("CHILD",),
    is_903=True,
)

EPISODE_DETAILS = FileSpec(
    kind="episode_details",
    title="Episode details",
    description=(
        "What the 903 lacks about each episode: the area or service responsible, and for episodes "
        "that start a period of care (RNE S) the date the IRO service was told. One row per 903 episode, "
        "matched on CHILD and DECOM."
    ),
    columns=(
        _col("CHILD", "text", "Child's identifier, as in the 903", "C0001"),
        _col("DECOM", "date", "Start date of the 903 episode", "01/04/2013"),
        _col("AREA", "text", "Area or service responsible for the child during the episode", "East Kent"),
        _col(
            "IRO_NOTIFIED",
            "date",
            "Date the IRO service was told the child came into care (RNE S episodes only; blank if never)",
            "02/04/2013",
            required=False,
            mandatory=False,
        ),
    ),
    key=("CHILD", "DECOM"),
    is_903=False,
    template_file="episode_details.csv",
)

REVIEW_DETAILS = FileSpec(
    kind="review_details",
    title="Review details",
    description=(
        "What the 903 lacks about each review: who chaired it, whether the child chaired it, and when "
        "the minutes were issued. One row per 903 review, matched on CHILD and REVIEW."
    ),
    columns=(
        _col("CHILD", "text", "Child's identifier, as in the 903", "C0001"),
        _col("REVIEW", "date", "Date of the 903 review", "25/04/2013"),
        _col(
            "CHAIRED_BY",
            "code",
            "iro if an IRO chaired the review, other if someone else did",
            "iro",
            codes=tuple(codes.REVIEW_CHAIR),
            upper=False,
        ),
        _col(
            "CHILD_CHAIRED",
            "code",
            "Whether the child chaired the review: none, part or full",
            "part",
            required=False,
            mandatory=False,
            codes=tuple(codes.CHILD_CHAIRED),
            upper=False,
        ),
        _col(
            "MINUTES_ISSUED",
            "date",
            "Date the review's minutes were issued (blank if not yet)",
            "09/05/2013",
            required=False,
            mandatory=False,
        ),
        _col(
            "FIRST_SET",
            "date",
            "Date the review was first set for, before any rescheduling (blank if not recorded)",
            "25/04/2013",
            required=False,
            mandatory=False,
        ),
    ),
    key=("CHILD", "REVIEW"),
    is_903=False,
    template_file="review_details.csv",
)


# An event's area and UASC status: given in the file, or taken from the child's episode.
_AREA_AND_UASC_OPTIONAL: dict[str, tuple[ColumnSpec, ...]] = {"area": (_AREA_OPTIONAL,), "uasc": (_UASC_OPTIONAL,)}

QA_GRADES = template_from_table(
    tables.QA_GRADES,
    title="QA grades",
    description=(
        "One row per item graded in an IRO quality-assurance audit of a review. The review is "
        "identified by CHILD and REVIEW (its date), as in the 903."
    ),
    key=("AUDIT_ID", "ITEM"),
    template_file="qa_grades.csv",
    instead={
        "review_id": (
            _col("CHILD", "text", "Child's identifier, as in the 903", "C0001"),
            _col("REVIEW", "date", "Date of the 903 review audited", "25/04/2013"),
        ),
        **_AREA_AND_UASC_OPTIONAL,
    },
)

DISPUTES = template_from_table(
    tables.DISPUTES,
    title="Disputes",
    description="One row per IRO challenge (dispute resolution), formal or informal.",
    key=("DISPUTE_ID",),
    template_file="disputes.csv",
    instead=_AREA_AND_UASC_OPTIONAL,
)

IRO_STAFFING = template_from_table(
    tables.IRO_STAFFING,
    title="IRO staffing",
    description="One row per IRO team per month end: full-time-equivalent posts.",
    key=("MONTH_END", "TEAM"),
    template_file="iro_staffing.csv",
)

IRO_CONTACTS = template_from_table(
    tables.IRO_CONTACTS,
    title="IRO contacts",
    description=(
        "One row per IRO contact with a child between reviews. Rows have no key (a child may have several "
        "contacts in a day), so they are not de-duplicated: load each contact once."
    ),
    key=(),  # no key: a child may have several contacts on one day; load each contact once
    template_file="iro_contacts.csv",
    instead=_AREA_AND_UASC_OPTIONAL,
)

SURVEY_RESPONSES = template_from_table(
    tables.SURVEY_RESPONSES,
    title="Survey responses",
    description="One row per answer to one question of a questionnaire (no child identifier).",
    key=("RESPONSE_ID", "QUESTION"),
    template_file="survey_responses.csv",
)

AREA_TEAMS = template_from_table(
    tables.AREA_TEAMS,
    title="Area IRO teams",
    description=(
        "Which IRO team serves each area (optional). With it, an area's caseload is its IRO team's "
        "(children in care in the team's areas per team FTE); without it, caseloads are the whole service's. "
        "TEAM must match the TEAM of the IRO staffing file; an area not listed keeps the whole-service caseload."
    ),
    key=("AREA",),
    template_file="area_teams.csv",
)

IRO_ALLOCATIONS = template_from_table(
    tables.IRO_ALLOCATIONS,
    title="IRO allocations",
    description=(
        "One row per period a child has one IRO, shaped like the Standard Safeguarding Dataset's "
        "ssd_involvements (a council on the SSD can export it as it is). IRO_ID is a pseudonymous staff "
        "identifier: viewers see caseloads only as a distribution, never an IRO's id."
    ),
    key=("CHILD", "IRO_ID", "START_DATE"),
    template_file="iro_allocations.csv",
)

IROS = template_from_table(
    tables.IROS,
    title="IROs",
    description=(
        "One row per IRO (pseudonymous IRO_ID, as in the allocations file): team, FTE and whether agency. "
        "With FTE, each IRO's caseload is children per FTE; without it, per head."
    ),
    key=("IRO_ID",),
    template_file="iros.csv",
)

SW_EPISODES = FileSpec(
    kind="sw_episodes",
    title="SSDA903 SWEpisodes",
    description="One row per period with one social worker (903 from 2023/24).",
    columns=(
        _col("CHILD", "text", "Child's identifier", "C0001"),
        _unused("DOB", "Date of birth"),
        _col("SW_ID", "text", "Social worker's identifier", "SW123"),
        _col("SW_DECOM", "date", "Date the social worker's episode started", "01/04/2013"),
        _col("SW_DEC", "date", "Date it ended (blank while open)", "", mandatory=False),
        _col("SW_REASON", "text", "Reason for the change of social worker", "", mandatory=False),
    ),
    key=("CHILD", "SW_DECOM", "SW_ID"),
    is_903=True,
)


def _ignored_903(kind: str, title: str, columns: str) -> FileSpec:
    """A 903 table this tool does not use: recognised by its columns so it can be ignored, with a warning."""
    names = columns.split()
    return FileSpec(
        kind=kind,
        title=f"SSDA903 {title}",
        description=f"The 903 {title} table: not used by this tool (ignored).",
        columns=tuple(ColumnSpec(n, "text", "", "", required=n != "DOB", mandatory=False, used=False) for n in names),
        key=(),
        is_903=True,
        used=False,
    )


IGNORED_903_FILES: tuple[FileSpec, ...] = (
    _ignored_903(
        "oc2",
        "OC2",
        "CHILD DOB SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT "
        "SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED",
    ),
    _ignored_903("oc3", "OC3", "CHILD DOB IN_TOUCH ACTIV ACCOM"),
    _ignored_903("ad1", "AD1", "CHILD DOB DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR"),
    _ignored_903("placed_adoption", "PlacedAdoption", "CHILD DOB DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED"),
    _ignored_903("prev_perm", "PrevPerm", "CHILD DOB PREV_PERM LA_PERM DATE_PERM"),
    _ignored_903("missing", "Missing", "CHILD DOB MISSING MIS_START MIS_END"),
    _ignored_903("dolo", "DoLo", "CHILD DOB DOLO_START DOLO_END"),
)

SSDA903_FILES: tuple[FileSpec, ...] = (HEADER, EPISODES, REVIEWS, UASC, SW_EPISODES)
TEMPLATES: tuple[FileSpec, ...] = (
    EPISODE_DETAILS,
    REVIEW_DETAILS,
    QA_GRADES,
    DISPUTES,
    IRO_STAFFING,
    IRO_CONTACTS,
    SURVEY_RESPONSES,
    AREA_TEAMS,
    IRO_ALLOCATIONS,
    IROS,
)
FILE_SPECS: dict[str, FileSpec] = {spec.kind: spec for spec in (*SSDA903_FILES, *TEMPLATES, *IGNORED_903_FILES)}
REQUIRED_FILES: tuple[str, ...] = ("header", "episodes", "reviews")

# Area given to episodes that have no row in the episode details file.
AREA_NOT_RECORDED = "Not recorded"
# Columns of extra identification pooled extracts carry (local authority, year): read past quietly.
POOLED_COLUMNS: frozenset[str] = frozenset({"LA", "YEAR"})
