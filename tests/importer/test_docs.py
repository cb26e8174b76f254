"""The documented formats: docs/import.md is current, and every example row imports cleanly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from iro_metrics.dataset import load_dataset
from iro_metrics.importer import SSDA903_FILES, TEMPLATES, import_sources, template_csv
from iro_metrics.importer.docs import import_markdown, rules_table, template_columns

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def test_docs_import_md_is_generated_from_the_formats():
    assert DOCS.read_text(encoding="utf-8") == import_markdown(), (
        "docs/import.md is stale: run python -m iro_metrics.importer.docs > docs/import.md"
    )


def test_the_example_rows_of_every_file_import_with_no_problem(tmp_path):
    sources = [(f"{spec.kind}.csv", template_csv(spec.kind)) for spec in (*SSDA903_FILES, *TEMPLATES)]
    report = import_sources(sources, tmp_path / "out", today=date(2014, 6, 1))
    assert report.problems == []
    assert report.ok
    ds = load_dataset(tmp_path / "out")
    # One example child, C0001 (UASC, no end date), in East Kent, with one of everything.
    assert {name: ds.tables[name].collect().height for name in ds.tables} == {
        "children": 1,
        "episodes": 1,
        "reviews": 1,
        "qa_grades": 1,
        "disputes": 1,
        "iro_staffing": 1,
        "iro_contacts": 1,
        "survey_responses": 1,
        "area_teams": 1,
        "iro_allocations": 1,
        "iros": 1,
        "social_worker_episodes": 1,
    }
    review = ds.tables["reviews"].collect().row(0, named=True)
    assert (review["review_id"], review["chaired_by"], review["area"], review["uasc"]) == (
        "C0001-20130425",
        "iro",
        "East Kent",
        True,
    )


def test_template_has_header_and_one_example_row():
    for spec in TEMPLATES:
        frame = pl.read_csv(template_csv(spec.kind), infer_schema=False)
        assert frame.columns == list(spec.names)
        assert frame.height == 1


def test_column_tables_describe_every_column():
    for spec in (*SSDA903_FILES, *TEMPLATES):
        table = template_columns(spec.kind)
        assert table["column"].to_list() == list(spec.names)
        assert table["description"].str.len_chars().min() > 0
    episodes = template_columns("episodes")
    assert episodes.filter(pl.col("column") == "URN")["needed"].item() == "read past (not used)"
    assert episodes.filter(pl.col("column") == "DEC")["needed"].item() == "required column, value may be blank"
    assert rules_table()["severity"].to_list()[0] == "error"
