"""The one declaration per table (iro_metrics.tables) drives the validator, the templates and the
privacy filter: a column added to a declaration is checked and appears in its template."""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from iro_metrics.importer import formats
from iro_metrics.importer.export import example_csv
from iro_metrics.importer.file_specs import template_from_table
from iro_metrics.tables import DATA_MODEL, IRO_STAFFING, PERSONAL_COLUMNS, REQUIRED_TABLES, Column
from iro_metrics.validation import check_table

SESSIONAL = Column(
    "fte_sessional",
    pl.Float64(),
    source="FTE_SESSIONAL",
    description="Sessional IROs (FTE)",
    example="0.5",
)
WIDER_STAFFING = dataclasses.replace(IRO_STAFFING, columns=(*IRO_STAFFING.columns, SESSIONAL))


def staffing(**extra: list) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "month_end": [dt.date(2024, 4, 30), dt.date(2024, 5, 31)],
            "team": ["North", "North"],
            "fte_establishment": [8.0, 8.0],
            "fte_in_post": [7.0, 7.5],
            **extra,
        }
    )


def test_a_declared_column_appears_in_the_template():
    spec = template_from_table(
        WIDER_STAFFING, title="IRO staffing", description="", key=("MONTH_END", "TEAM"), template_file="s.csv"
    )
    header, example = example_csv(spec).decode().splitlines()
    assert header.split(",")[-1] == "FTE_SESSIONAL"
    assert example.split(",")[-1] == "0.5"
    assert spec.column("FTE_SESSIONAL").kind == "number" and spec.column("FTE_SESSIONAL").mandatory
    # The shipped template is the declaration's, column for column.
    assert formats.IRO_STAFFING.names == tuple(c.source for c in IRO_STAFFING.columns)


def test_a_declared_column_is_validated():
    problems, cast = check_table(WIDER_STAFFING, staffing(), "iro_staffing.parquet")
    assert [str(p) for p in problems] == ["iro_staffing.parquet, column 'fte_sessional': required column is missing"]
    assert cast is None
    problems, _ = check_table(WIDER_STAFFING, staffing(fte_sessional=[0.5, None]), "iro_staffing.parquet")
    assert [str(p) for p in problems] == [
        "iro_staffing.parquet, row 2, column 'fte_sessional': missing values (every row needs one) in 1 row"
    ]
    problems, cast = check_table(WIDER_STAFFING, staffing(fte_sessional=[0.5, 1]), "iro_staffing.parquet")
    assert problems == [] and cast is not None
    assert cast.columns[-1] == "fte_sessional" and cast.schema["fte_sessional"] == pl.Float64
    # The declaration without the column accepts the same frame and drops the extra column.
    problems, cast = check_table(IRO_STAFFING, staffing(fte_sessional=[0.5, 1]), "iro_staffing.parquet")
    assert problems == [] and cast is not None and "fte_sessional" not in cast.columns


def test_facts_read_from_the_declarations():
    assert REQUIRED_TABLES == ("children", "episodes", "reviews")
    # iro_id (issue 25): pseudonymous staff data, never shown to a viewer.
    assert {"child_id", "date_of_birth", "iro_id"} == PERSONAL_COLUMNS
    assert {name: t.event_date for name, t in DATA_MODEL.items() if t.event_date} == {
        "episodes": "start_date",
        "reviews": "review_date",
        "qa_grades": "audit_date",
        "disputes": "raised_date",
        "iro_contacts": "contact_date",
        "survey_responses": "response_date",
    }
    # Every natural key and unique key names declared columns.
    for table in DATA_MODEL.values():
        assert set(table.natural_key) <= set(table.names)
        assert table.unique_key is None or table.unique_key in table.names
