"""Merge the files read into the data model's tables, checking the rules that span records.

Several years' returns are merged and de-duplicated on each file's key (episodes on CHILD+DECOM,
reviews on CHILD+REVIEW, the Header and UASC on CHILD, templates on their own keys); where two
files hold the same key the later return wins. A file's return year is the financial year of its
latest date; files with no dates (a Header) and files of the same year rank in the order given.
"""

from __future__ import annotations

import polars as pl

from iro_metrics.importer.build_common import problems_frame as _problems
from iro_metrics.importer.build_facts import add_fact_tables
from iro_metrics.importer.build_records import (
    built_episodes,
    built_reviews,
    child_checks,
    children_table,
    details_like,
)
from iro_metrics.importer.file_specs import FileSpec
from iro_metrics.importer.formats import FILE_SPECS, REQUIRED_FILES
from iro_metrics.importer.plausible import uasc_before_birth
from iro_metrics.importer.readers import FILE, RANK, ROW, ParsedFile
from iro_metrics.importer.report import PROBLEM_SCHEMA, ImportProblem, problem, problems_from_frame

_FRAME_SCHEMA = {k: v for k, v in PROBLEM_SCHEMA.items() if k != "severity"}


def _merged(parsed: list[ParsedFile], spec: FileSpec) -> pl.DataFrame | None:
    """Every record of one kind, one per key, the later return winning; None if no file of the kind."""
    frames = [p.frame for p in parsed if p.spec is spec and p.frame is not None]
    if not frames:
        return None
    records = pl.concat(frames, how="vertical_relaxed").sort(RANK, ROW)
    key = list(spec.key)
    if not key:  # every row is a record of its own (e.g. IRO contacts)
        return records
    return (
        records.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
        .unique(subset=key, keep="last", maintain_order=True)
        .sort(*key)
    )


def _return_conflicts(parsed: list[ParsedFile], spec: FileSpec) -> pl.DataFrame:
    """A warning on each record that a later return gives with other values than an earlier one.

    A value the earlier return left blank and the later fills in (a DEC and REC once the episode
    ends) is the history going on, not a conflict. The later return wins either way; the warning
    names both files and the columns that differ.
    """
    frames = [p.frame for p in parsed if p.spec is spec and p.frame is not None]
    key = list(spec.key)
    if len(frames) < 2 or not key:
        return pl.DataFrame(schema=_FRAME_SCHEMA)
    records = pl.concat(frames, how="vertical_relaxed")
    values = [c for c in records.columns if c not in key and not c.startswith("_")]
    if not values:
        return pl.DataFrame(schema=_FRAME_SCHEMA)
    records = records.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key)).sort(*key, RANK, ROW)

    def earlier(column: str) -> pl.Expr:
        return pl.col(column).shift(1).over(key)

    differs = {
        c: earlier(c).is_not_null() & (pl.col(c).is_null() | (pl.col(c).cast(pl.String) != earlier(c).cast(pl.String)))
        for c in values
    }
    found = records.with_columns(
        _earlier_file=earlier(FILE),
        _earlier_row=earlier(ROW),
        _differ=pl.concat_str(
            [pl.when(d).then(pl.lit(c)) for c, d in differs.items()], separator=", ", ignore_nulls=True
        ),
    ).filter(
        pl.col("_earlier_file").is_not_null() & (pl.col("_earlier_file") != pl.col(FILE)) & (pl.col("_differ") != "")
    )
    return _problems(
        found,
        "conflicting_returns",
        None,
        pl.concat_str([pl.col(k).cast(pl.String) for k in key], separator=" "),
        pl.format(
            "this return and an earlier one ({}, row {}) give this record ({}) with other values in {}: "
            "the later return's are used",
            pl.col("_earlier_file"),
            pl.col("_earlier_row"),
            pl.lit(" + ".join(key)),
            pl.col("_differ"),
        ),
    )


# Optional data-model columns and the file column they come from. When no file of the kind had
# the column, the data-model column is left out, so its indicators show "not recorded" (not zero).
OPTIONAL_SOURCES: dict[tuple[str, str], tuple[str, str]] = {
    ("episodes", "iro_notified_date"): ("episode_details", "IRO_NOTIFIED"),
    ("reviews", "child_chaired"): ("review_details", "CHILD_CHAIRED"),
    ("reviews", "minutes_issued_date"): ("review_details", "MINUTES_ISSUED"),
    ("disputes", "resolved_date"): ("disputes", "RESOLVED"),
    ("reviews", "chaired_by"): ("review_details", "CHAIRED_BY"),
    ("iro_staffing", "fte_agency"): ("iro_staffing", "FTE_AGENCY"),
    ("reviews", "first_set_date"): ("review_details", "FIRST_SET"),
    ("iro_contacts", "type"): ("iro_contacts", "TYPE"),
}


def _drop_unsupplied_columns(tables: dict[str, pl.DataFrame], parsed: list[ParsedFile]) -> None:
    for (table, column), (kind, source) in OPTIONAL_SOURCES.items():
        supplied = any(p.spec is FILE_SPECS[kind] and source in p.columns_present for p in parsed)
        if table in tables and not supplied:
            tables[table] = tables[table].drop(column)


def open_with_reason_warnings(parsed: list[ParsedFile]) -> list[ImportProblem]:
    """One warning per Episodes file counting its open episodes (no DEC) that carry a REC: read as open."""
    found: list[ImportProblem] = []
    for p in parsed:
        if p.spec is not FILE_SPECS["episodes"] or p.frame is None or p.frame.height == 0:
            continue
        count = p.frame.filter(pl.col("DEC").is_null() & pl.col("REC").is_not_null()).height
        if count:
            noun = "open episode carries" if count == 1 else "open episodes carry"
            found.append(
                problem(
                    "open_with_reason",
                    p.name,
                    f"{count:,} {noun} a reason for ending (REC) but no end date (DEC): read as open, "
                    "the REC left out.",
                    column="REC",
                )
            )
    return found


def build_tables(parsed: list[ParsedFile]) -> tuple[dict[str, pl.DataFrame], list[ImportProblem]]:
    """The data model's tables from the files read, with the problems found across records.

    Returns ({} , problems) when a required 903 table is missing.
    """
    merged = {kind: _merged(parsed, spec) for kind, spec in FILE_SPECS.items()}
    problems: list[ImportProblem] = [
        problem(
            "missing_table",
            "(none)",
            f"No {FILE_SPECS[kind].title} file was found among the files supplied; it is required "
            f"(recognised by its columns: {', '.join(sorted(FILE_SPECS[kind].required_names))}).",
        )
        for kind in REQUIRED_FILES
        if merged[kind] is None and not any(p.spec is FILE_SPECS[kind] for p in parsed)
    ]
    if any(merged[kind] is None for kind in REQUIRED_FILES):
        return {}, problems
    header: pl.DataFrame = merged["header"]  # type: ignore[assignment]
    uasc = merged["uasc"] if merged["uasc"] is not None else details_like(FILE_SPECS["uasc"])
    found = _uasc_checks(parsed, merged, uasc, header, problems)
    if merged.get("sw_episodes") is not None:
        found.extend(child_checks(merged["sw_episodes"], header, "SW_DECOM", "social worker episode"))  # type: ignore[arg-type]
    uasc_flags = uasc.select("CHILD", pl.col("DUC"), pl.lit(True).alias("_in_uasc"))
    # episodes: one with no DEC is open whatever REC says (the data model's reason_ceased is null while open)
    problems.extend(open_with_reason_warnings(parsed))
    episodes_raw = merged["episodes"].with_columns(REC=pl.when(pl.col("DEC").is_not_null()).then(pl.col("REC")))  # type: ignore[union-attr]
    found.extend(_return_conflicts(parsed, FILE_SPECS[kind]) for kind in ("header", "episodes", "reviews", "uasc"))
    episodes = built_episodes(episodes_raw, header, merged["episode_details"], uasc_flags)
    reviews = built_reviews(
        merged["reviews"], header, episodes_raw, episodes.records, merged["review_details"], uasc_flags
    )  # type: ignore[arg-type]
    tables: dict[str, pl.DataFrame] = {
        "children": children_table(header, uasc_flags),
        "episodes": episodes.table,
        "reviews": reviews.table,
    }
    for part in (episodes, reviews):
        found.extend(part.found)
        problems.extend(part.problems)
    found.extend(add_fact_tables(tables, merged, reviews.records, episodes.records, uasc_flags))
    _drop_unsupplied_columns(tables, parsed)
    all_found = pl.concat([pl.DataFrame(schema=_FRAME_SCHEMA), *[f.select(list(_FRAME_SCHEMA)) for f in found]])
    problems.extend(problems_from_frame(all_found.sort("file", "row", "rule", nulls_last=True)))
    return tables, problems


def _uasc_checks(
    parsed: list[ParsedFile],
    merged: dict[str, pl.DataFrame | None],
    uasc: pl.DataFrame,
    header: pl.DataFrame,
    problems: list[ImportProblem],
) -> list[pl.DataFrame]:
    """Without a UASC table, a warning (in ``problems``) that no child is UASC; with one, its rows
    dated before the child's birth or of a child not in the Header."""
    if not any(p.spec is FILE_SPECS["uasc"] for p in parsed):
        problems.append(
            problem(
                "no_uasc_table",
                "(none)",
                "No 903 UASC table was supplied: no child is taken as UASC, and the UASC and citizen cohorts "
                "are shown as 'not recorded'.",
            )
        )
        return []
    if merged["uasc"] is None:
        return []
    return [
        uasc_before_birth(uasc, header),
        _problems(
            uasc.join(header.select("CHILD"), on="CHILD", how="anti"),
            "uasc_not_in_header",
            "CHILD",
            pl.col("CHILD"),
            pl.lit("the UASC row's child is not in the 903 Header file; the row is left out"),
        ),
    ]
