"""Build small datasets by hand for unit tests: only the columns a test cares about."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.dataset import SCHEMA, Dataset, empty_table

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
    schema = {c.name: c.dtype for c in SCHEMA[table]}
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
    for name in SCHEMA:
        frames.setdefault(name, empty_table(name))
    return Dataset(
        path=Path("/nonexistent/test-dataset"),
        meta={"local_authority": "Test", "synthetic": True, "first_day": first_day, "last_day": last_day},
        tables={name: f.lazy() for name, f in frames.items()},
        version="test",
        missing_tables=frozenset(missing),
        missing_columns={k: frozenset(v) for k, v in (missing_columns or {}).items()},
    )
