"""The data model's tables, each declared once (../shared/spec/data-model.md written as code).

A ``Table`` says everything the code needs to know about one table: its columns (type, allowed
codes, required or optional, nullable, personal data, the import file's column that fills it),
whether a dataset needs it, its unique and natural keys, and its event dates. The loader and
validator (``iro_metrics.dataset``, ``iro_metrics.validation``), the importer's templates and
docs (``iro_metrics.importer.formats``), the privacy filter and the derived care tables all read
these declarations; nothing else lists a table's columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from iro_metrics import codes


@dataclass(frozen=True)
class Column:
    """One column of a table in the data model."""

    name: str
    dtype: pl.DataType
    required: bool = True  # False: the column may be absent ("optional" in the data model)
    nullable: bool = False  # True: values may be null where present
    codes: tuple[Any, ...] | None = None  # the allowed values, when the column is coded
    personal: bool = False  # personal data: never quoted back in a problem, never shown or downloaded
    # The column of the import file (template or 903 table) that fills it as it is; "" when the
    # importer builds it otherwise (a join, a lookup). With ``description`` and ``example`` it
    # writes the blank template and docs/import.md.
    source: str = ""
    description: str = ""
    example: str = ""


@dataclass(frozen=True)
class Table:
    """One table of the data model and the facts about it."""

    name: str
    columns: tuple[Column, ...]
    required: bool = False  # a dataset without it is refused (the others may be absent)
    unique_key: str | None = None  # a column whose values must not repeat (a repeat would double-count)
    natural_key: tuple[str, ...] = ()  # written files are sorted by these, then by every other column
    # The dates of the events it records (Dataset.date_range spans them); the first places a row
    # in a period, and the derived tables keep the rows in its order.
    event_dates: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def schema(self) -> dict[str, pl.DataType]:
        """Column name to type, in declaration order."""
        return {c.name: c.dtype for c in self.columns}

    @property
    def event_date(self) -> str | None:
        """The date that places a row in a period (None for tables of no event)."""
        return self.event_dates[0] if self.event_dates else None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def renamed_from_source(self) -> dict[str, str]:
        """Import file column to table column, for every column filled as it is."""
        return {c.source: c.name for c in self.columns if c.source}


S, D, B, I64, F64 = pl.String(), pl.Date(), pl.Boolean(), pl.Int64(), pl.Float64()


def _c(name: str, dtype: pl.DataType, **kw: Any) -> Column:
    return Column(name, dtype, **kw)


def _area(source: str = "", description: str = "") -> Column:
    return _c("area", S, source=source, description=description, example="East Kent" if source else "")


def _uasc(source: str = "", description: str = "") -> Column:
    return _c("uasc", B, source=source, description=description, example="N" if source else "")


_CHILD = _c("child_id", S, personal=True)


def _child(description: str = "Child's identifier, as in the 903") -> Column:
    return _c("child_id", S, personal=True, source="CHILD", description=description, example="C0001")


CHILDREN = Table(
    "children",
    (
        _CHILD,
        _c("sex", S, codes=tuple(codes.SEX)),
        _c("date_of_birth", D, personal=True),
        _c("ethnicity", S, codes=tuple(codes.ETHNICITY)),
        _c("uasc_ceased", D, required=False, nullable=True),
        _c("is_uasc", B),
    ),
    required=True,
    unique_key="child_id",
    natural_key=("child_id",),
)

EPISODES = Table(
    "episodes",
    (
        _CHILD,
        _c("start_date", D),
        _c("end_date", D, nullable=True),
        _c("reason_new_episode", S, codes=tuple(codes.REASON_NEW_EPISODE)),
        _c("legal_status", S, codes=tuple(codes.LEGAL_STATUS)),
        _c("category_of_need", S, codes=tuple(codes.CATEGORY_OF_NEED)),
        _c("placement_type", S, codes=tuple(codes.PLACEMENT_TYPE)),
        _c("reason_ceased", S, nullable=True, codes=tuple(codes.REASON_CEASED)),
        _area(),
        _uasc(),
        _c("iro_notified_date", D, required=False, nullable=True),
    ),
    required=True,
    natural_key=("child_id", "start_date"),
    event_dates=("start_date", "end_date"),
)

REVIEWS = Table(
    "reviews",
    (
        _c("review_id", S),
        _CHILD,
        _c("review_date", D),
        _c("participation_code", S, codes=codes.PARTICIPATION_CODES),
        # Optional: a 903 alone does not say who chaired; absent means "not recorded", never "iro".
        _c("chaired_by", S, required=False, nullable=True, codes=tuple(codes.REVIEW_CHAIR)),
        _c("child_chaired", S, required=False, nullable=True, codes=tuple(codes.CHILD_CHAIRED)),
        _c("minutes_issued_date", D, required=False, nullable=True),
        # The date the review was first arranged for (optional): differs from review_date when moved.
        _c("first_set_date", D, required=False, nullable=True),
        _area(),
        _uasc(),
    ),
    required=True,
    unique_key="review_id",
    natural_key=("review_id",),
    event_dates=("review_date",),
)

QA_GRADES = Table(
    "qa_grades",
    (
        _c(
            "audit_id",
            S,
            source="AUDIT_ID",
            description="Identifier of the audit (one audit grades many items)",
            example="A0001",
        ),
        _c("review_id", S),  # the import file names the review by CHILD and REVIEW (its date)
        _c("audit_date", D, source="AUDIT_DATE", description="Date of the audit", example="26/04/2013"),
        _c("item", S, codes=tuple(codes.QA_ITEMS), source="ITEM", description="Item graded", example="care_plan"),
        _c("grade", S, codes=codes.QA_GRADE_ORDER, source="GRADE", description="Grade given", example="good"),
        _area(),
        _uasc(),
    ),
    natural_key=("audit_id", "item"),
    event_dates=("audit_date",),
)

DISPUTES = Table(
    "disputes",
    (
        _c("dispute_id", S, source="DISPUTE_ID", description="Identifier of the dispute", example="D0001"),
        _child(),
        _c("raised_date", D, source="RAISED", description="Date the dispute was raised", example="03/06/2013"),
        _c(
            "route",
            S,
            codes=tuple(codes.DISPUTE_ROUTES),
            source="ROUTE",
            description="formal or informal",
            example="formal",
        ),
        _c(
            "category",
            S,
            codes=tuple(codes.DISPUTE_CATEGORIES),
            source="CATEGORY",
            description="What the dispute is about",
            example="care_plan",
        ),
        _c(
            "highest_level",
            I64,
            nullable=True,
            codes=tuple(codes.DISPUTE_LEVELS),
            source="HIGHEST_LEVEL",
            description="Formal disputes: highest level reached, 1 (team manager) to 5 (beyond, e.g. CAFCASS); "
            "blank for informal",
            example="1",
        ),
        _c(
            "resolved_date",
            D,
            required=False,
            nullable=True,
            source="RESOLVED",
            description="Date the dispute was resolved (blank if not yet)",
            example="17/06/2013",
        ),
        _area(),
        _uasc(),
    ),
    unique_key="dispute_id",
    natural_key=("dispute_id",),
    event_dates=("raised_date",),
)

IRO_STAFFING = Table(
    "iro_staffing",
    (
        _c("month_end", D, source="MONTH_END", description="Last day of the month", example="30/04/2013"),
        _c("team", S, source="TEAM", description="IRO team", example="East Kent IRO team"),
        _c("fte_establishment", F64, source="FTE_ESTABLISHMENT", description="Funded posts (FTE)", example="8.0"),
        _c(
            "fte_in_post",
            F64,
            source="FTE_IN_POST",
            description="Posts filled, agency and locum included (FTE)",
            example="7.5",
        ),
        _c(
            "fte_agency",
            F64,
            required=False,
            nullable=True,
            source="FTE_AGENCY",
            description="Of those in post, agency or locum (FTE)",
            example="1.0",
        ),
    ),
    natural_key=("team", "month_end"),
)

IRO_CONTACTS = Table(
    "iro_contacts",
    (
        _child(),
        _c("contact_date", D, source="CONTACT_DATE", description="Date of the contact", example="12/07/2013"),
        _area(),
        _uasc(),
        _c(
            "type",
            S,
            required=False,
            nullable=True,
            codes=tuple(codes.CONTACT_TYPES),
            source="TYPE",
            description="visit, conversation, midway or other (optional)",
            example="visit",
        ),
    ),
    natural_key=("child_id", "contact_date"),
    event_dates=("contact_date",),
)

SURVEY_RESPONSES = Table(
    "survey_responses",
    (
        _c(
            "response_id",
            S,
            source="RESPONSE_ID",
            description="Identifier of the questionnaire returned",
            example="S0001",
        ),
        _c(
            "survey",
            S,
            codes=tuple(codes.SURVEYS),
            source="SURVEY",
            description="Which survey",
            example="consultation",
        ),
        _c("response_date", D, source="RESPONSE_DATE", description="Date of the response", example="25/04/2013"),
        _c(
            "question",
            S,
            source="QUESTION",
            description="Question key, e.g. understands_care_plan",
            example="understands_care_plan",
        ),
        _c(
            "answer",
            S,
            codes=codes.SURVEY_ANSWERS,
            source="ANSWER",
            description="yes, no or not_sure",
            example="yes",
        ),
        _area("AREA", "Area or service of the child who answered"),
        _uasc("UASC", "Y if the child who answered was UASC, else N"),
    ),
    natural_key=("response_id", "question"),
    event_dates=("response_date",),
)

# Which IRO team serves each area (optional): with it, an area's caseload is its team's.
AREA_TEAMS = Table(
    "area_teams",
    (
        _area("AREA", "Area or service, as in the episode details file"),
        _c(
            "team",
            S,
            source="TEAM",
            description="IRO team serving the area, as in the IRO staffing file",
            example="East and South Kent IRO team",
        ),
    ),
    unique_key="area",
    natural_key=("area",),
)

# Optional: the 903's SWEpisodes table (each child's allocated social workers over time).
SOCIAL_WORKER_EPISODES = Table(
    "social_worker_episodes",
    (
        _child("Child's identifier"),
        _c("sw_id", S, source="SW_ID"),
        _c("start_date", D, source="SW_DECOM"),
        _c("end_date", D, nullable=True, source="SW_DEC"),
        _c("reason", S, nullable=True, source="SW_REASON"),
    ),
    natural_key=("child_id", "start_date", "sw_id"),
)

# Optional: each child's allocated IROs over time, as the Standard Safeguarding Dataset's
# ssd_involvements (so a council on the SSD exports it as it is). iro_id is staff data.
IRO_ALLOCATIONS = Table(
    "iro_allocations",
    (
        _child(),
        _c("iro_id", S, personal=True, source="IRO_ID", description="Pseudonymous IRO identifier", example="IRO01"),
        _c("start_date", D, source="START_DATE", description="Date the IRO was allocated", example="01/04/2013"),
        _c(
            "end_date",
            D,
            nullable=True,
            source="END_DATE",
            description="Date the allocation ended (blank while current)",
            example="",
        ),
        _c(
            "change_reason",
            S,
            required=False,
            nullable=True,
            codes=tuple(codes.IRO_CHANGE_REASONS),
            source="CHANGE_REASON",
            description="Why the allocation ended, as the SSD codes it (MANAGE, LEFTRL, ORGRST, ...)",
            example="",
        ),
    ),
    natural_key=("child_id", "iro_id", "start_date"),
)

# Optional: one row per IRO (pseudonymous), its team, FTE and whether agency.
IROS = Table(
    "iros",
    (
        _c("iro_id", S, personal=True, source="IRO_ID", description="As in the IRO allocations file", example="IRO01"),
        _c("team", S, source="TEAM", description="IRO team, as in the IRO staffing file", example="East Kent IRO team"),
        _c("fte", F64, required=False, nullable=True, source="FTE", description="Full-time equivalent", example="1.0"),
        _c(
            "agency", B, required=False, nullable=True, source="AGENCY", description="Y if agency or locum", example="N"
        ),
    ),
    unique_key="iro_id",
    natural_key=("iro_id",),
)

DATA_MODEL: dict[str, Table] = {
    table.name: table
    for table in (
        CHILDREN,
        EPISODES,
        REVIEWS,
        QA_GRADES,
        DISPUTES,
        IRO_STAFFING,
        IRO_CONTACTS,
        SURVEY_RESPONSES,
        AREA_TEAMS,
        SOCIAL_WORKER_EPISODES,
        IRO_ALLOCATIONS,
        IROS,
    )
}

TABLES: tuple[str, ...] = tuple(DATA_MODEL)
# Without these there is nothing to measure; the others may be absent (their indicators then
# show "not recorded").
REQUIRED_TABLES: tuple[str, ...] = tuple(t.name for t in DATA_MODEL.values() if t.required)
# Columns whose values are personal: never quoted back in a problem message, never shown in a
# table on screen or in a download.
PERSONAL_COLUMNS: frozenset[str] = frozenset(c.name for t in DATA_MODEL.values() for c in t.columns if c.personal)
