"""The data model's tables, declared as code (../shared/spec/data-model.md)."""

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


def _c(name: str, dtype: pl.DataType, **kw: Any) -> Column:
    return Column(name, dtype, **kw)


S, D, B, I64, F64 = pl.String(), pl.Date(), pl.Boolean(), pl.Int64(), pl.Float64()

SCHEMA: dict[str, tuple[Column, ...]] = {
    "children": (
        _c("child_id", S),
        _c("sex", S, codes=tuple(codes.SEX)),
        _c("date_of_birth", D),
        _c("ethnicity", S, codes=tuple(codes.ETHNICITY)),
        _c("uasc_ceased", D, required=False, nullable=True),
        _c("is_uasc", B),
    ),
    "episodes": (
        _c("child_id", S),
        _c("start_date", D),
        _c("end_date", D, nullable=True),
        _c("reason_new_episode", S, codes=tuple(codes.REASON_NEW_EPISODE)),
        _c("legal_status", S, codes=tuple(codes.LEGAL_STATUS)),
        _c("category_of_need", S, codes=tuple(codes.CATEGORY_OF_NEED)),
        _c("placement_type", S, codes=tuple(codes.PLACEMENT_TYPE)),
        _c("reason_ceased", S, nullable=True, codes=tuple(codes.REASON_CEASED)),
        _c("area", S),
        _c("uasc", B),
        _c("iro_notified_date", D, required=False, nullable=True),
    ),
    "reviews": (
        _c("review_id", S),
        _c("child_id", S),
        _c("review_date", D),
        _c("participation_code", S, codes=codes.PARTICIPATION_CODES),
        # Optional: a 903 alone does not say who chaired; absent means "not recorded", never "iro".
        _c("chaired_by", S, required=False, nullable=True, codes=tuple(codes.REVIEW_CHAIR)),
        _c("child_chaired", S, required=False, nullable=True, codes=tuple(codes.CHILD_CHAIRED)),
        _c("minutes_issued_date", D, required=False, nullable=True),
        _c("area", S),
        _c("uasc", B),
    ),
    "qa_grades": (
        _c("audit_id", S),
        _c("review_id", S),
        _c("audit_date", D),
        _c("item", S, codes=tuple(codes.QA_ITEMS)),
        _c("grade", S, codes=codes.QA_GRADE_ORDER),
        _c("area", S),
        _c("uasc", B),
    ),
    "disputes": (
        _c("dispute_id", S),
        _c("child_id", S),
        _c("raised_date", D),
        _c("route", S, codes=tuple(codes.DISPUTE_ROUTES)),
        _c("category", S, codes=tuple(codes.DISPUTE_CATEGORIES)),
        _c("highest_level", I64, nullable=True, codes=tuple(codes.DISPUTE_LEVELS)),
        _c("resolved_date", D, required=False, nullable=True),
        _c("area", S),
        _c("uasc", B),
    ),
    "iro_staffing": (
        _c("month_end", D),
        _c("team", S),
        _c("fte_establishment", F64),
        _c("fte_in_post", F64),
        _c("fte_agency", F64, required=False, nullable=True),
    ),
    "iro_contacts": (
        _c("child_id", S),
        _c("contact_date", D),
        _c("area", S),
        _c("uasc", B),
    ),
    "survey_responses": (
        _c("response_id", S),
        _c("survey", S, codes=tuple(codes.SURVEYS)),
        _c("response_date", D),
        _c("question", S),
        _c("answer", S, codes=codes.SURVEY_ANSWERS),
        _c("area", S),
        _c("uasc", B),
    ),
    # Which IRO team serves each area (optional): with it, an area's caseload is its team's.
    "area_teams": (
        _c("area", S),
        _c("team", S),
    ),
    # Optional: the 903's SWEpisodes table (each child's allocated social workers over time).
    "social_worker_episodes": (
        _c("child_id", S),
        _c("sw_id", S),
        _c("start_date", D),
        _c("end_date", D, nullable=True),
        _c("reason", S, nullable=True),
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMA)
# Without these three there is nothing to measure; the others may be absent (their indicators
# then show "not recorded").
REQUIRED_TABLES: tuple[str, ...] = ("children", "episodes", "reviews")

# Columns whose values must be unique within their table (a repeat would double-count).
UNIQUE_KEYS: dict[str, str] = {
    "children": "child_id",
    "reviews": "review_id",
    "disputes": "dispute_id",
    "area_teams": "area",
}
# Written files are sorted by these columns (then by every other column, so ties are broken too).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "children": ("child_id",),
    "episodes": ("child_id", "start_date"),
    "reviews": ("review_id",),
    "qa_grades": ("audit_id", "item"),
    "disputes": ("dispute_id",),
    "iro_staffing": ("team", "month_end"),
    "iro_contacts": ("child_id", "contact_date"),
    "survey_responses": ("response_id", "question"),
    "area_teams": ("area",),
    "social_worker_episodes": ("child_id", "start_date", "sw_id"),
}
# The dates of the events a dataset records; Dataset.date_range spans them.
EVENT_DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "episodes": ("start_date", "end_date"),
    "reviews": ("review_date",),
    "qa_grades": ("audit_date",),
    "disputes": ("raised_date",),
    "iro_contacts": ("contact_date",),
    "survey_responses": ("response_date",),
}
# Columns whose values are personal: never quoted back in a problem message.
PRIVATE_COLUMNS: frozenset[str] = frozenset({"child_id", "date_of_birth"})
