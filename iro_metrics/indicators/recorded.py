"""Not recorded is not zero (spec/indicators.md): which figures a dataset cannot give, and why.

A figure whose source records are absent (no chairing records, no UASC table, no QA grades, no
disputes, no contacts, no surveys, no staffing for the period, an optional column missing or
holding no value at all) has no value. ``not_recorded`` lists those figures for a selection with
a plain reason and what to import to get each; the engine gives them null values. A count of zero
is given only where the source records exist and hold no such event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

from iro_metrics.dataset import Dataset
from iro_metrics.indicator_registry import Family, family_ids
from iro_metrics.indicators.columns import column_recorded
from iro_metrics.indicators.themes import all_ids, theme_modules
from iro_metrics.indicators.workload import STAFFING_IDS

# Optional columns whose absence (or holding only nulls) makes indicators not recorded:
# (table, column) -> (what is missing, what to import). The theme modules' SOURCES name the
# indicators that need each, as 'table.column'.
COLUMN_SOURCES: dict[tuple[str, str], tuple[str, str]] = {
    ("reviews", "chaired_by"): (
        "the dataset does not record who chaired each review",
        "import the review-details template (CHAIRED_BY) to get who chaired each review",
    ),
    ("reviews", "child_chaired"): (
        "the dataset does not record whether children chaired their reviews",
        "import the review-details template (CHILD_CHAIRED) to get whether each child chaired their review",
    ),
    ("reviews", "minutes_issued_date"): (
        "the dataset does not record when review minutes were issued",
        "import the review-details template (MINUTES_ISSUED) to get when each review's minutes were issued",
    ),
    ("episodes", "iro_notified_date"): (
        "the dataset does not record when the IRO service was told a child came into care",
        "import the episode-details template (IRO_NOTIFIED) to get when the IRO service was notified",
    ),
    ("reviews", "first_set_date"): (
        "the dataset does not record the date each review was first set for",
        "import the review-details template (FIRST_SET) to get which reviews were rescheduled",
    ),
    ("iro_contacts", "type"): (
        "the dataset does not record the type of each IRO contact",
        "import the IRO-contacts template with its TYPE column (visit, conversation, midway, other)",
    ),
    ("iro_staffing", "fte_agency"): (
        "the dataset does not record agency IRO FTE",
        "import the IRO-staffing template with its FTE_AGENCY column to get the agency share",
    ),
}

# Optional tables: table -> (what is missing, what to import). Their indicators are those the theme
# modules' SOURCES name and the families of FAMILY_SOURCES (see ``source_ids``).
TABLE_SOURCES: dict[str, tuple[str, str]] = {
    "qa_grades": (
        "the dataset has no QA audit grades",
        "import the QA-grades template to get audit grades and the audit rate",
    ),
    "disputes": (
        "the dataset has no record of IRO disputes",
        "import the disputes template to get formal and informal challenges",
    ),
    "iro_contacts": (
        "the dataset has no record of IRO contacts between reviews",
        "import the IRO-contacts template to get IRO contact with children",
    ),
    "survey_responses": (
        "the dataset has no survey responses",
        "import the survey-responses template to get children's and others' views",
    ),
    "iro_staffing": (
        "the dataset has no IRO staffing",
        "import the IRO-staffing template to get IRO posts and caseloads",
    ),
    "iro_allocations": (
        "the dataset has no IRO allocations",
        "import the IRO-allocations template (shaped like the SSD's ssd_involvements) to get each IRO's "
        "caseload and changes of IRO",
    ),
}
# The table each patterned family of ids is made from.
FAMILY_SOURCES: dict[Family, str] = {
    "qa": "qa_grades",
    "survey_responses": "survey_responses",
    "survey_question": "survey_responses",
}
UASC_REASON = "the dataset does not record which children are unaccompanied asylum-seeking children (no UASC table)"
UASC_REMEDY = "import the 903 UASC table to get the UASC and citizen cohorts"


@dataclass(frozen=True)
class NotRecorded:
    """One figure the dataset cannot give: why, and what to import to get it."""

    indicator: str
    reason: str
    remedy: str

    @property
    def message(self) -> str:
        """One sentence for a page, a paper or the command line."""
        return f"Not recorded: {self.reason}; {self.remedy}."


def source_ids(ds: Dataset, source: str) -> tuple[str, ...]:
    """The indicators that need an optional source, a table or 'table.column': those the theme
    modules' SOURCES name, and for a table the families made from it (QA items, survey questions)."""
    declared = [i for module in theme_modules() for i in module.SOURCES.get(source, ())]
    families = [i for family, table in FAMILY_SOURCES.items() if table == source for i in family_ids(family, ds)]
    return tuple(dict.fromkeys([*declared, *families]))


def staffing_recorded_by(ds: Dataset, day: date) -> bool:
    """Whether the staffing table holds a month end on or before ``day`` (the caseload's source)."""
    if not ds.has_table("iro_staffing"):
        return False
    first = ds.memo.first_staffing_month
    if "value" not in first:
        first["value"] = ds.table("iro_staffing").select(pl.col("month_end").min()).collect().item()
    return first["value"] is not None and first["value"] <= day


def not_recorded(
    ds: Dataset,
    indicators: Iterable[str] | None = None,
    cohort: str = "all",
    period_end: date | None = None,
) -> dict[str, NotRecorded]:
    """The indicators (those given, else every one) the dataset does not record for a selection,
    by id, each with a plain reason and what to import to get it.

    ``cohort`` 'uasc' or 'citizen' on a dataset without the UASC table makes every figure not
    recorded; ``period_end`` (the period's last day) adds the staffing figures when no staffing
    month end falls on or before it.
    """
    wanted = list(indicators) if indicators is not None else all_ids(ds)
    found: dict[str, NotRecorded] = {}
    if cohort != "all" and not ds.records_uasc:
        return {i: NotRecorded(i, UASC_REASON, UASC_REMEDY) for i in wanted}
    for table, (reason, remedy) in TABLE_SOURCES.items():
        if not ds.has_table(table):
            for i in source_ids(ds, table):
                found.setdefault(i, NotRecorded(i, reason, remedy))
    if period_end is not None and ds.has_table("iro_staffing") and not staffing_recorded_by(ds, period_end):
        reason = f"the dataset has no IRO staffing for a month end on or before {period_end:%-d %B %Y}"
        remedy = "import the IRO-staffing template for this period to get IRO posts and caseloads"
        for i in STAFFING_IDS:
            found.setdefault(i, NotRecorded(i, reason, remedy))
    for (table, column), (reason, remedy) in COLUMN_SOURCES.items():
        if not column_recorded(ds, table, column):
            for i in source_ids(ds, f"{table}.{column}"):
                found.setdefault(i, NotRecorded(i, reason, remedy))
    return {i: found[i] for i in wanted if i in found}


def short_break_reviews_left_out(ds: Dataset) -> int:
    """How many of the dataset's reviews every review figure leaves out as short-break reviews
    (a note for the data-quality panel: "55 of 305 reviews were of short breaks")."""
    return ds.care.short_break_reviews_left_out


def uasc_note(ds: Dataset) -> NotRecorded | None:
    """For the 'all' cohort of a dataset without the UASC table: its split into UASC and citizen
    children is not recorded (the total still is)."""
    if ds.records_uasc:
        return None
    return NotRecorded("uasc_split", UASC_REASON, UASC_REMEDY)
