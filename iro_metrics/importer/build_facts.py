"""The fact tables built from the templates (QA grades, disputes, contacts, staffing, surveys) and
the 903 SWEpisodes table: each placed on the child's episode of its date for its area, and given the
child's UASC status on that date."""

from __future__ import annotations

import polars as pl

from iro_metrics import tables as data_model
from iro_metrics.importer.build_common import AREA_NOT_RECORDED, dmy, problems_frame, uasc_on, with_episode_on
from iro_metrics.tables import Table

# Files taken over as they are, their columns renamed as the tables' declarations say
# (``Column.source``): file kind -> table.
_RENAMED_TABLES: dict[str, Table] = {
    "iro_staffing": data_model.IRO_STAFFING,
    "survey_responses": data_model.SURVEY_RESPONSES,
    "area_teams": data_model.AREA_TEAMS,
    "sw_episodes": data_model.SOCIAL_WORKER_EPISODES,
    "iro_allocations": data_model.IRO_ALLOCATIONS,
    "iros": data_model.IROS,
}
# Events placed on the child's episode of their date: file kind -> (table, the date column).
_PLACED_EVENTS: dict[str, tuple[Table, str]] = {
    "disputes": (data_model.DISPUTES, "RAISED"),
    "iro_contacts": (data_model.IRO_CONTACTS, "CONTACT_DATE"),
}


def add_fact_tables(
    tables: dict[str, pl.DataFrame],
    merged: dict[str, pl.DataFrame | None],
    reviews: pl.DataFrame,
    episodes: pl.DataFrame,
    uasc_flags: pl.DataFrame,
) -> list[pl.DataFrame]:
    """Add every fact table that was supplied to ``tables``; return the problems found (frames)."""
    found: list[pl.DataFrame] = []
    if merged["qa_grades"] is not None:
        tables["qa_grades"], unmatched = _qa_grades(merged["qa_grades"], reviews)
        found.append(unmatched)
    for kind, (table, date_column) in _PLACED_EVENTS.items():
        if merged[kind] is not None:
            tables[table.name], unplaced = _placed_events(merged[kind], table, date_column, episodes, uasc_flags)  # type: ignore[arg-type]
            found.append(unplaced)
    for kind, table in _RENAMED_TABLES.items():
        if merged.get(kind) is not None:
            columns = table.renamed_from_source()
            renamed = merged[kind].select(pl.col(source).alias(target) for source, target in columns.items())  # type: ignore[union-attr]
            tables[table.name] = renamed.sort(*table.natural_key)
    return found


def _qa_grades(qa: pl.DataFrame, reviews: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The QA grades table, each grade on its review (area and UASC from the review unless the row
    gives them), and the problems of the grades no review matches."""
    review_keys = reviews.select(
        "CHILD", "REVIEW", "review_id", pl.col("_ep_area").alias("_r_area"), uasc_on("REVIEW").alias("_r_uasc")
    )
    matched = qa.join(review_keys, on=["CHILD", "REVIEW"], how="left")
    unmatched = problems_frame(
        matched.filter(pl.col("review_id").is_null()),
        "no_matching_record",
        "CHILD + REVIEW",
        dmy("REVIEW"),
        pl.lit("no 903 review has this CHILD and REVIEW date; the grade is left out"),
    )
    table = (
        matched.filter(pl.col("review_id").is_not_null())
        .select(
            pl.col("AUDIT_ID").alias("audit_id"),
            "review_id",
            pl.col("AUDIT_DATE").alias("audit_date"),
            pl.col("ITEM").alias("item"),
            pl.col("GRADE").alias("grade"),
            pl.coalesce("AREA", "_r_area", pl.lit(AREA_NOT_RECORDED)).alias("area"),
            pl.coalesce("UASC", "_r_uasc", pl.lit(False)).alias("uasc"),
        )
        .sort("audit_id", "item")
    )
    return table, unmatched


def _placed_events(
    records: pl.DataFrame, table: Table, date_column: str, episodes: pl.DataFrame, uasc_flags: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An event table, each event placed on the child's episode of its date (its area and UASC
    status, unless the row gives them), and the problems of the events no episode places."""
    columns = table.renamed_from_source()  # area and uasc have no source: placed here
    placed = with_episode_on(records, date_column, episodes).join(uasc_flags, on="CHILD", how="left")
    placed = placed.with_columns(
        _area=pl.coalesce("AREA", "_ep_area"),
        _uasc=pl.coalesce("UASC", pl.when(pl.col("_ep_uasc").is_not_null()).then(uasc_on(date_column))),
    )
    unplaced = problems_frame(
        placed.filter(pl.col("_area").is_null() | pl.col("_uasc").is_null()),
        "no_episode_for_event",
        date_column,
        dmy(date_column),
        pl.lit(
            "the child had no 903 episode on or before this date, so its area and UASC status are "
            "unknown (give AREA and UASC columns to keep it); the row is left out"
        ),
    )
    table_frame = (
        placed.filter(pl.col("_area").is_not_null() & pl.col("_uasc").is_not_null())
        .select(
            *[pl.col(source).alias(target) for source, target in columns.items()],
            pl.col("_area").alias("area"),
            pl.col("_uasc").alias("uasc"),
        )
        .sort(list(columns.values())[:2])
    )
    return table_frame, unplaced
