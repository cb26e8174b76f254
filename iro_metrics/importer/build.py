"""Merge the files read into the data model's tables, checking the rules that span records.

Several years' returns are merged and de-duplicated on each file's key (episodes on CHILD+DECOM,
reviews on CHILD+REVIEW, the Header and UASC on CHILD, templates on their own keys); where two
files hold the same key the later return wins. A file's return year is the financial year of its
latest date; files with no dates (a Header) and files of the same year rank in the order given.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iro_metrics.importer.build_common import dmy as _dmy
from iro_metrics.importer.build_common import problems_frame as _problems
from iro_metrics.importer.build_common import uasc_on as _uasc_on
from iro_metrics.importer.build_common import with_episode_on as _with_episode_on
from iro_metrics.importer.build_facts import add_fact_tables
from iro_metrics.importer.file_specs import FileSpec
from iro_metrics.importer.formats import AREA_NOT_RECORDED, FILE_SPECS, REQUIRED_FILES
from iro_metrics.importer.plausible import uasc_before_birth
from iro_metrics.importer.readers import FILE, RANK, ROW, ParsedFile, _dtype
from iro_metrics.importer.report import PROBLEM_SCHEMA, ImportProblem, problem, problems_from_frame

_OPEN_END = date(9999, 12, 31)
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


def _age_in_years(on: str, born: str) -> pl.Expr:
    """Completed years of age on date ``on`` for a birth date ``born``."""
    on_day = pl.col(on).dt.month().cast(pl.Int32) * 100 + pl.col(on).dt.day().cast(pl.Int32)
    born_day = pl.col(born).dt.month().cast(pl.Int32) * 100 + pl.col(born).dt.day().cast(pl.Int32)
    years = pl.col(on).dt.year().cast(pl.Int32) - pl.col(born).dt.year().cast(pl.Int32)
    return years - (on_day < born_day).cast(pl.Int32)


def _episode_checks(episodes: pl.DataFrame, header: pl.DataFrame) -> list[pl.DataFrame]:
    found: list[pl.DataFrame] = []
    dated = episodes.filter(pl.col("DECOM").is_not_null())
    found.append(
        _problems(
            dated.filter(pl.col("DEC") < pl.col("DECOM")),
            "end_before_start",
            "DEC",
            _dmy("DEC"),
            pl.format("the episode ends before it starts (DECOM {})", _dmy("DECOM")),
        )
    )
    found.append(
        _problems(
            episodes.filter(pl.col("DEC").is_not_null() & pl.col("REC").is_null()),
            "ceased_without_reason",
            "REC",
            pl.col("REC"),
            pl.lit("DEC (the end date) is given but REC (the reason) is blank"),
        )
    )
    ordered = dated.sort("CHILD", "DECOM")
    previous_start = pl.col("DECOM").shift(1).over("CHILD")
    # the latest end of any earlier episode (an open one never ends), so one pass finds every episode
    # that starts inside an earlier one, however many follow it
    open_end = pl.lit(_OPEN_END, dtype=pl.Date)
    latest_end = pl.col("DEC").fill_null(open_end).cum_max().shift(1).over("CHILD")
    overlapping = (
        ordered.with_columns(previous_start=previous_start, previous_end=latest_end)
        .filter(pl.col("previous_start").is_not_null() & (pl.col("DECOM") < pl.col("previous_end")))
        .with_columns(previous_end=pl.when(pl.col("previous_end") != open_end).then(pl.col("previous_end")))
    )
    found.append(
        _problems(
            overlapping,
            "overlapping_episodes",
            "DECOM",
            _dmy("DECOM"),
            pl.format(
                "the episode starts before an earlier episode of the child ends (the previous started {}; ends {})",
                _dmy("previous_start"),
                pl.coalesce(_dmy("previous_end"), pl.lit("still open")),
            ),
        )
    )
    found.extend(_child_checks(episodes, header, "DECOM", "episode"))
    return found


def _child_checks(records: pl.DataFrame, header: pl.DataFrame, date_column: str, what: str) -> list[pl.DataFrame]:
    """Records of children missing from the Header, and records dated before the child's birth."""
    missing = records.join(header.select("CHILD"), on="CHILD", how="anti")
    with_birth = records.join(header.select("CHILD", "DOB"), on="CHILD", how="inner")
    return [
        _problems(
            missing,
            "child_not_in_header",
            "CHILD",
            pl.col("CHILD"),
            pl.lit(f"the {what}'s child is not in the 903 Header file"),
        ),
        _problems(
            with_birth.filter(pl.col(date_column) < pl.col("DOB")),
            "date_before_birth",
            date_column,
            _dmy(date_column),
            pl.lit(f"the {what} is dated before the child's date of birth"),
        ),
    ]


def _template_gaps(
    base: pl.DataFrame, details: pl.DataFrame | None, spec: FileSpec, key: list[str], defaults: str
) -> tuple[pl.DataFrame, list[pl.DataFrame], list[ImportProblem]]:
    """Join a 903 table to its details template; flag gaps both ways."""
    if details is None:
        warning = problem(
            "no_template_file",
            spec.template_file,
            f"No {spec.title} file was supplied: {defaults}.",
        )
        empty = details_like(spec).with_columns(
            pl.lit(None, dtype=pl.String).alias("_details_file"), pl.lit(None, dtype=pl.Int64).alias("_details_row")
        )
        return base.join(empty, on=key, how="left"), [], [warning]
    renamed = details.rename({FILE: "_details_file", ROW: "_details_row", RANK: "_details_rank"})
    joined = base.join(renamed, on=key, how="left")
    unmatched = details.join(base.select(key), on=key, how="anti")
    gaps = joined.filter(pl.col("_details_row").is_null())
    found = [
        _problems(
            unmatched,
            "no_matching_record",
            " + ".join(key),
            pl.concat_str([_dmy(k) for k in key if k != "CHILD"], separator=", "),
            pl.lit(f"no 903 record has this {' and '.join(key)}; the row is left out"),
        ),
        _problems(
            gaps,
            "no_template_row",
            " + ".join(key),
            pl.concat_str([_dmy(k) for k in key if k != "CHILD"], separator=", "),
            pl.lit(f"no row in the {spec.title} file; {defaults}"),
        ),
    ]
    return joined, found, []


def details_like(spec: FileSpec) -> pl.DataFrame:
    """An empty frame with a template's typed columns (for joins when it was not supplied)."""
    return pl.DataFrame(schema={c.name: _dtype(c) for c in spec.columns if c.used})


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
    episodes_raw: pl.DataFrame = merged["episodes"]  # type: ignore[assignment]
    reviews_raw: pl.DataFrame = merged["reviews"]  # type: ignore[assignment]
    uasc = merged["uasc"] if merged["uasc"] is not None else details_like(FILE_SPECS["uasc"])
    found: list[pl.DataFrame] = []
    if not any(p.spec is FILE_SPECS["uasc"] for p in parsed):
        problems.append(
            problem(
                "no_uasc_table",
                "(none)",
                "No 903 UASC table was supplied: no child is taken as UASC, and the UASC and citizen cohorts "
                "are shown as 'not recorded'.",
            )
        )
    elif merged["uasc"] is not None:
        found.append(uasc_before_birth(uasc, header))
        found.append(
            _problems(
                uasc.join(header.select("CHILD"), on="CHILD", how="anti"),
                "uasc_not_in_header",
                "CHILD",
                pl.col("CHILD"),
                pl.lit("the UASC row's child is not in the 903 Header file; the row is left out"),
            )
        )
    if merged.get("sw_episodes") is not None:
        found.extend(_child_checks(merged["sw_episodes"], header, "SW_DECOM", "social worker episode"))  # type: ignore[arg-type]

    # children
    uasc_flags = uasc.select("CHILD", pl.col("DUC"), pl.lit(True).alias("_in_uasc"))
    children = (
        header.join(uasc_flags, on="CHILD", how="left")
        .select(
            pl.col("CHILD").alias("child_id"),
            pl.col("SEX").alias("sex"),
            pl.col("DOB").alias("date_of_birth"),
            pl.col("ETHNIC").alias("ethnicity"),
            pl.col("DUC").alias("uasc_ceased"),
            pl.col("_in_uasc").fill_null(False).alias("is_uasc"),
        )
        .sort("child_id")
    )

    # episodes: one with no DEC is open whatever REC says (the data model's reason_ceased is null while open)
    problems.extend(open_with_reason_warnings(parsed))
    episodes_raw = episodes_raw.with_columns(REC=pl.when(pl.col("DEC").is_not_null()).then(pl.col("REC")))
    found.extend(_return_conflicts(parsed, FILE_SPECS[kind]) for kind in ("header", "episodes", "reviews", "uasc"))
    found.extend(_episode_checks(episodes_raw, header))
    episodes, gaps, missing_file = _template_gaps(
        episodes_raw,
        merged["episode_details"],
        FILE_SPECS["episode_details"],
        ["CHILD", "DECOM"],
        f"the area is '{AREA_NOT_RECORDED}' and the IRO notification date is blank",
    )
    found.extend(gaps)
    problems.extend(missing_file)
    found.append(
        _problems(
            episodes.filter(pl.col("IRO_NOTIFIED").is_not_null() & (pl.col("RNE") != "S")).with_columns(
                pl.col("_details_file").alias(FILE), pl.col("_details_row").alias(ROW)
            ),
            "notified_not_start",
            "IRO_NOTIFIED",
            _dmy("IRO_NOTIFIED"),
            pl.lit("IRO notification dates belong only on episodes with RNE S; this one is ignored"),
        )
    )
    episodes = episodes.join(uasc_flags, on="CHILD", how="left").with_columns(
        area=pl.coalesce(pl.col("AREA"), pl.lit(AREA_NOT_RECORDED)),
        uasc=_uasc_on("DECOM"),
        iro_notified_date=pl.when(pl.col("RNE") == "S").then(pl.col("IRO_NOTIFIED")),
    )
    episodes_table = episodes.select(
        pl.col("CHILD").alias("child_id"),
        pl.col("DECOM").alias("start_date"),
        pl.col("DEC").alias("end_date"),
        pl.col("RNE").alias("reason_new_episode"),
        pl.col("LS").alias("legal_status"),
        pl.col("CIN").alias("category_of_need"),
        pl.col("PLACE").alias("placement_type"),
        pl.col("REC").alias("reason_ceased"),
        "area",
        "uasc",
        "iro_notified_date",
    ).sort("child_id", "start_date")

    # reviews
    found.extend(_child_checks(reviews_raw, header, "REVIEW", "review"))
    placed = _with_episode_on(reviews_raw, "REVIEW", episodes).join(uasc_flags, on="CHILD", how="left")
    outside = placed.filter(
        pl.col("_ep_start").is_null() | (pl.col("_ep_end").is_not_null() & (pl.col("REVIEW") > pl.col("_ep_end")))
    )
    found.append(
        _problems(
            outside,
            "review_outside_care",
            "REVIEW",
            _dmy("REVIEW"),
            pl.when(pl.col("_ep_start").is_not_null())
            .then(
                pl.format(
                    "the review is dated outside every episode of the child's care: after the episode that "
                    "started {} ended ({})",
                    _dmy("_ep_start"),
                    _dmy("_ep_end"),
                )
            )
            .when(pl.col("CHILD").is_in(episodes_raw["CHILD"].implode()))
            .then(pl.lit("the review is dated outside every episode of the child's care: before the first one started"))
            .otherwise(
                pl.lit("the review is dated outside every episode of the child's care: the child has no episode")
            ),
        )
    )
    aged = placed.join(header.select("CHILD", "DOB"), on="CHILD", how="inner").with_columns(
        _age=_age_in_years("REVIEW", "DOB")
    )
    found.append(
        _problems(
            aged.filter((pl.col("REVIEW_CODE") == "PN0") & (pl.col("_age") >= 4)),
            "pn0_aged_4_or_over",
            "REVIEW_CODE",
            pl.col("REVIEW_CODE"),
            pl.format("PN0 is only for children under 4; the child was {} at the review", pl.col("_age")),
        )
    )
    found.append(
        _problems(
            aged.filter((pl.col("REVIEW_CODE") != "PN0") & (pl.col("_age") < 4)),
            "pn_code_under_4",
            "REVIEW_CODE",
            pl.col("REVIEW_CODE"),
            pl.format("the child was {} at the review and should be coded PN0 (under 4)", pl.col("_age")),
        )
    )
    reviews, gaps, missing_file = _template_gaps(
        placed,
        merged["review_details"],
        FILE_SPECS["review_details"],
        ["CHILD", "REVIEW"],
        "who chaired the review is not recorded",
    )
    found.extend(gaps)
    problems.extend(missing_file)
    reviews = reviews.with_columns(
        review_id=pl.concat_str(pl.col("CHILD"), pl.lit("-"), pl.col("REVIEW").dt.to_string("%Y%m%d"))
    )
    reviews_table = reviews.select(
        "review_id",
        pl.col("CHILD").alias("child_id"),
        pl.col("REVIEW").alias("review_date"),
        pl.col("REVIEW_CODE").alias("participation_code"),
        pl.col("CHAIRED_BY").alias("chaired_by"),
        pl.col("CHILD_CHAIRED").alias("child_chaired"),
        pl.col("MINUTES_ISSUED").alias("minutes_issued_date"),
        pl.col("FIRST_SET").alias("first_set_date"),
        pl.coalesce(pl.col("_ep_area"), pl.lit(AREA_NOT_RECORDED)).alias("area"),
        _uasc_on("REVIEW").alias("uasc"),
    ).sort("review_id")

    tables: dict[str, pl.DataFrame] = {
        "children": children,
        "episodes": episodes_table,
        "reviews": reviews_table,
    }

    found.extend(add_fact_tables(tables, merged, reviews, episodes, uasc_flags))
    _drop_unsupplied_columns(tables, parsed)
    all_found = pl.concat([pl.DataFrame(schema=_FRAME_SCHEMA), *[f.select(list(_FRAME_SCHEMA)) for f in found]])
    problems.extend(problems_from_frame(all_found.sort("file", "row", "rule", nulls_last=True)))
    return tables, problems
