"""Build small datasets by hand for unit tests: only the columns a test cares about."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.care_tables import DERIVED_FOLDER
from iro_metrics.dataset import Dataset, empty_table, text_as_categorical
from iro_metrics.tables import DATA_MODEL


def copy_source_tables(folder: Path, to: Path) -> Path:
    """A copy of a dataset folder's tables and dataset.toml, without its ``derived/`` folder or any
    dot file: another test worker may be writing the shipped ``data/derived/`` at that moment (a
    kept table is written beside its name, then renamed), and each copy builds its own."""
    shutil.copytree(folder, to, ignore=shutil.ignore_patterns(DERIVED_FOLDER, ".*"))
    return to


# Defaults for columns a test does not mention.
DEFAULTS: dict[str, dict[str, Any]] = {
    "children": {"sex": "1", "date_of_birth": date(2005, 6, 1), "ethnicity": "WBRI", "is_uasc": False},
    "episodes": {
        "end_date": None,
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement_type": "U4",
        "reason_ceased": None,
        "area": "East Kent",
        "uasc": False,
        "iro_notified_date": None,
    },
    "reviews": {
        "participation_code": "PN1",
        "chaired_by": "iro",
        "child_chaired": "none",
        "minutes_issued_date": None,
        "area": "East Kent",
        "uasc": False,
    },
    "qa_grades": {"item": "care_plan", "grade": "good", "area": "East Kent", "uasc": False},
    "disputes": {
        "category": "care_plan",
        "highest_level": None,
        "resolved_date": None,
        "area": "East Kent",
        "uasc": False,
    },
    "iro_staffing": {"fte_agency": None},
    "iro_contacts": {"area": "East Kent", "uasc": False},
    "survey_responses": {"area": "East Kent", "uasc": False, "survey": "consultation"},
}


def frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A table in the data model's schema from a few rows; unnamed columns take defaults."""
    schema = DATA_MODEL[table].schema
    filled = []
    for n, row in enumerate(rows):
        full = {**DEFAULTS.get(table, {}), **row}
        if table == "reviews":
            full.setdefault("review_id", f"R{n + 1}")
        if table == "disputes":
            full.setdefault("dispute_id", f"D{n + 1}")
            if full.get("route") == "formal" and full.get("highest_level") is None:
                full["highest_level"] = 1
        if table == "qa_grades":
            full.setdefault("audit_id", f"A{n + 1}")
            full.setdefault("review_id", f"R{n + 1}")
        filled.append({name: full.get(name) for name in schema})
    return pl.DataFrame(filled, schema=schema, orient="row") if filled else empty_table(table)


def make_dataset(
    first_day: date = date(2013, 4, 1),
    last_day: date = date(2014, 3, 31),
    missing: tuple[str, ...] = (),
    missing_columns: dict[str, tuple[str, ...]] | None = None,
    **tables: list[dict[str, Any]],
) -> Dataset:
    """A Dataset from rows per table; children are added for every child_id the episodes name."""
    frames = {name: frame(name, rows) for name, rows in tables.items()}
    if "children" not in frames:
        ids = sorted({r["child_id"] for r in tables.get("episodes", [])})
        frames["children"] = frame("children", [{"child_id": i} for i in ids])
    for name in DATA_MODEL:
        frames.setdefault(name, empty_table(name))
    return Dataset(
        path=Path("/nonexistent/test-dataset"),
        meta={"local_authority": "Test", "synthetic": True, "first_day": first_day, "last_day": last_day},
        tables={name: text_as_categorical(f).lazy() for name, f in frames.items()},  # as load_dataset does
        version="test",
        missing_tables=frozenset(missing),
        missing_columns={k: frozenset(v) for k, v in (missing_columns or {}).items()},
    )


def small_council_tables() -> dict[str, list[dict[str, Any]]]:
    """A two-area council whose 2013-14 figures are worked out by hand in tests/test_indicators.py.

    East Kent has citizen and UASC children; North Kent has no UASC child.
    """
    d = date
    east, north = "East Kent", "North Kent"
    episodes = [
        # c1: in care since June 2013; notified the next working day.
        dict(child_id="c1", start_date=d(2013, 6, 3), iro_notified_date=d(2013, 6, 4), area=east),
        # c2: UASC, starts Mon 6 Jan 2014, notified Wed 8 Jan (2 working days: late); an X1 change
        # of legal status on 10 Feb keeps one period of care.
        dict(
            child_id="c2",
            start_date=d(2014, 1, 6),
            end_date=d(2014, 2, 10),
            reason_ceased="X1",
            iro_notified_date=d(2014, 1, 8),
            area=east,
            uasc=True,
            legal_status="V2",
        ),
        dict(child_id="c2", start_date=d(2014, 2, 10), reason_new_episode="L", area=east, uasc=True),
        # c3: starts Fri 14 Feb 2014, notified Mon 17 Feb (1 working day: on time), home on 20 March.
        dict(
            child_id="c3",
            start_date=d(2014, 2, 14),
            end_date=d(2014, 3, 20),
            reason_ceased="E4A",
            iro_notified_date=d(2014, 2, 17),
            area=north,
        ),
        # c4: short breaks only: left out of everything.
        dict(child_id="c4", start_date=d(2014, 1, 13), legal_status="V3", area=north),
        # c5: leaves care on 31 March 2014, so is not in care at the end of that day.
        dict(
            child_id="c5",
            start_date=d(2012, 5, 1),
            end_date=d(2014, 3, 31),
            reason_ceased="E8",
            iro_notified_date=d(2012, 5, 2),
            area=east,
        ),
        # c6: starts Mon 3 March 2014; never notified (late).
        dict(child_id="c6", start_date=d(2014, 3, 3), area=east),
        # c7: starts Mon 2 Dec 2013 and has no review: first due 2 Jan 2014 (Christmas skipped).
        dict(child_id="c7", start_date=d(2013, 12, 2), iro_notified_date=d(2013, 12, 3), area=east),
    ]
    reviews = [
        dict(child_id="c1", review_date=d(2013, 7, 1), area=east, minutes_issued_date=d(2013, 7, 5)),
        dict(child_id="c1", review_date=d(2013, 10, 1), area=east, minutes_issued_date=d(2013, 10, 30)),
        dict(
            child_id="c1",
            review_date=d(2014, 3, 31),
            area=east,
            child_chaired="full",
            minutes_issued_date=d(2014, 4, 23),
        ),
        dict(
            child_id="c2",
            review_date=d(2014, 2, 4),
            area=east,
            uasc=True,
            participation_code="PN7",
            chaired_by="other",
            child_chaired="part",
        ),
        dict(
            child_id="c3",
            review_date=d(2014, 3, 14),
            area=north,
            participation_code="PN0",
            minutes_issued_date=d(2014, 3, 20),
        ),
    ]
    qa_grades = [
        dict(audit_id="A1", review_id="R3", audit_date=d(2014, 3, 31), item="care_plan", grade="good", area=east),
        dict(audit_id="A1", review_id="R3", audit_date=d(2014, 3, 31), item="sw_report", grade="inadequate", area=east),
        dict(
            audit_id="A2",
            review_id="R4",
            audit_date=d(2014, 2, 5),
            item="care_plan",
            grade="inadequate",
            area=east,
            uasc=True,
        ),
        dict(
            audit_id="A2",
            review_id="R4",
            audit_date=d(2014, 2, 5),
            item="pledge",
            grade="outstanding",
            area=east,
            uasc=True,
        ),
        dict(
            audit_id="A3",
            review_id="R5",
            audit_date=d(2014, 3, 14),
            item="care_plan",
            grade="requires_improvement",
            area=north,
        ),
    ]
    disputes = [
        dict(child_id="c1", raised_date=d(2014, 1, 20), route="formal", highest_level=1, area=east),
        dict(
            child_id="c2",
            raised_date=d(2014, 2, 20),
            route="formal",
            highest_level=2,
            area=east,
            uasc=True,
            category="health",
        ),
        dict(child_id="c3", raised_date=d(2014, 3, 1), route="informal", area=north),
        dict(child_id="c1", raised_date=d(2013, 11, 1), route="formal", highest_level=3, area=east),
    ]
    staffing = [
        dict(month_end=d(2014, 2, 28), team="T1", fte_establishment=1.0, fte_in_post=1.0),
        dict(month_end=d(2014, 2, 28), team="T2", fte_establishment=1.0, fte_in_post=0.5),
        dict(month_end=d(2014, 3, 31), team="T1", fte_establishment=1.5, fte_in_post=1.0),
        dict(month_end=d(2014, 3, 31), team="T2", fte_establishment=0.5, fte_in_post=0.5),
        dict(month_end=d(2014, 4, 30), team="T1", fte_establishment=5.0, fte_in_post=5.0),
    ]
    contacts = [
        dict(child_id="c1", contact_date=d(2014, 2, 1), area=east),
        dict(child_id="c2", contact_date=d(2013, 12, 15), area=east, uasc=True),
        dict(child_id="c7", contact_date=d(2014, 3, 31), area=east),
    ]
    surveys = [
        dict(response_id="r1", response_date=d(2014, 1, 10), question="understands_care_plan", answer="yes"),
        dict(response_id="r1", response_date=d(2014, 1, 10), question="knows_pledge", answer="no"),
        dict(response_id="r2", response_date=d(2014, 2, 10), question="understands_care_plan", answer="no"),
        dict(response_id="r2", response_date=d(2014, 2, 10), question="knows_pledge", answer="not_sure"),
        dict(
            response_id="r3", response_date=d(2014, 3, 1), survey="leaving_care", question="iro_helpful", answer="yes"
        ),
    ]
    children = [
        dict(child_id="c1", date_of_birth=d(2003, 5, 1), sex="2", ethnicity="WBRI"),
        dict(child_id="c2", date_of_birth=d(1997, 9, 1), ethnicity="BAFR", is_uasc=True),
        dict(child_id="c3", date_of_birth=d(2011, 1, 1), ethnicity="MWBC"),
        dict(child_id="c4", date_of_birth=d(2004, 1, 1)),
        dict(child_id="c5", date_of_birth=d(1996, 4, 1)),
        dict(child_id="c6", date_of_birth=d(2014, 1, 1), sex="2", ethnicity="AIND"),
        dict(child_id="c7", date_of_birth=d(2008, 4, 1), ethnicity="CHNE"),
    ]
    return dict(
        children=children,
        episodes=episodes,
        reviews=reviews,
        qa_grades=qa_grades,
        disputes=disputes,
        iro_staffing=staffing,
        iro_contacts=contacts,
        survey_responses=surveys,
    )


def small_council(**overrides: Any) -> Dataset:
    """The small council as a Dataset (2013-14)."""
    return make_dataset(**{**small_council_tables(), **overrides})


# The role file the sign-in tests share: one person of each role, and a viewer of East Kent only.
ROLE_FILE_FOR_TESTS = """\
[[user]]
email = "importer@council.gov.uk"
role = "importer"

[[user]]
email = "analyst@council.gov.uk"
role = "analyst"

[[user]]
email = "viewer@council.gov.uk"
role = "viewer"

[[user]]
email = "east@council.gov.uk"
role = "viewer"
areas = ["East Kent"]
"""
