"""The 903's own tables built record by record: children (the Header with its UASC status),
episodes and reviews, each checked against the Header, its neighbours and its details template.
``build.build_tables`` merges the files first and puts the tables together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from iro_metrics.importer.build_common import dmy as _dmy
from iro_metrics.importer.build_common import problems_frame as _problems
from iro_metrics.importer.build_common import uasc_on as _uasc_on
from iro_metrics.importer.build_common import with_episode_on as _with_episode_on
from iro_metrics.importer.convert import column_dtype
from iro_metrics.importer.file_specs import FileSpec
from iro_metrics.importer.formats import AREA_NOT_RECORDED, FILE_SPECS
from iro_metrics.importer.readers import FILE, RANK, ROW
from iro_metrics.importer.report import ImportProblem, problem

_OPEN_END = date(9999, 12, 31)


@dataclass(frozen=True)
class Built:
    """One table built: the working ``records`` (903 columns and joins, for the tables built after
    it), the data model's ``table``, and the problems found (as frames, and as import problems)."""

    records: pl.DataFrame
    table: pl.DataFrame
    found: list[pl.DataFrame]
    problems: list[ImportProblem]


def children_table(header: pl.DataFrame, uasc_flags: pl.DataFrame) -> pl.DataFrame:
    """The children table: each Header child, UASC when the UASC table names them."""
    return (
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


def built_episodes(
    episodes_raw: pl.DataFrame, header: pl.DataFrame, details: pl.DataFrame | None, uasc_flags: pl.DataFrame
) -> Built:
    """The episodes table: each episode with its area and IRO notification (Episode details), and
    UASC on its start date."""
    found = episode_checks(episodes_raw, header)
    episodes, gaps, missing_file = template_gaps(
        episodes_raw,
        details,
        FILE_SPECS["episode_details"],
        ["CHILD", "DECOM"],
        f"the area is '{AREA_NOT_RECORDED}' and the IRO notification date is blank",
    )
    found.extend(gaps)
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
    table = episodes.select(
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
    return Built(episodes, table, found, missing_file)


def built_reviews(
    reviews_raw: pl.DataFrame,
    header: pl.DataFrame,
    episodes_raw: pl.DataFrame,
    episodes: pl.DataFrame,
    details: pl.DataFrame | None,
    uasc_flags: pl.DataFrame,
) -> Built:
    """The reviews table: each review placed in its episode (its area, UASC on its date), with who
    chaired it and its minutes (Review details)."""
    found = child_checks(reviews_raw, header, "REVIEW", "review")
    placed = _with_episode_on(reviews_raw, "REVIEW", episodes).join(uasc_flags, on="CHILD", how="left")
    found += [_outside_care(placed, episodes_raw), *_participation_age_checks(placed, header)]
    reviews, gaps, missing_file = template_gaps(
        placed, details, FILE_SPECS["review_details"], ["CHILD", "REVIEW"], "who chaired the review is not recorded"
    )
    found.extend(gaps)
    reviews = reviews.with_columns(
        review_id=pl.concat_str(pl.col("CHILD"), pl.lit("-"), pl.col("REVIEW").dt.to_string("%Y%m%d"))
    )
    table = reviews.select(
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
    return Built(reviews, table, found, missing_file)


def _outside_care(placed: pl.DataFrame, episodes_raw: pl.DataFrame) -> pl.DataFrame:
    """Reviews dated outside every episode of the child's care, saying where they fall."""
    outside = placed.filter(
        pl.col("_ep_start").is_null() | (pl.col("_ep_end").is_not_null() & (pl.col("REVIEW") > pl.col("_ep_end")))
    )
    return _problems(
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
        .otherwise(pl.lit("the review is dated outside every episode of the child's care: the child has no episode")),
    )


def _participation_age_checks(placed: pl.DataFrame, header: pl.DataFrame) -> list[pl.DataFrame]:
    """PN0 is for children under 4, and only for them."""
    aged = placed.join(header.select("CHILD", "DOB"), on="CHILD", how="inner").with_columns(
        _age=age_in_years("REVIEW", "DOB")
    )
    return [
        _problems(
            aged.filter((pl.col("REVIEW_CODE") == "PN0") & (pl.col("_age") >= 4)),
            "pn0_aged_4_or_over",
            "REVIEW_CODE",
            pl.col("REVIEW_CODE"),
            pl.format("PN0 is only for children under 4; the child was {} at the review", pl.col("_age")),
        ),
        _problems(
            aged.filter((pl.col("REVIEW_CODE") != "PN0") & (pl.col("_age") < 4)),
            "pn_code_under_4",
            "REVIEW_CODE",
            pl.col("REVIEW_CODE"),
            pl.format("the child was {} at the review and should be coded PN0 (under 4)", pl.col("_age")),
        ),
    ]


def age_in_years(on: str, born: str) -> pl.Expr:
    """Completed years of age on date ``on`` for a birth date ``born``."""
    on_day = pl.col(on).dt.month().cast(pl.Int32) * 100 + pl.col(on).dt.day().cast(pl.Int32)
    born_day = pl.col(born).dt.month().cast(pl.Int32) * 100 + pl.col(born).dt.day().cast(pl.Int32)
    years = pl.col(on).dt.year().cast(pl.Int32) - pl.col(born).dt.year().cast(pl.Int32)
    return years - (on_day < born_day).cast(pl.Int32)


def episode_checks(episodes: pl.DataFrame, header: pl.DataFrame) -> list[pl.DataFrame]:
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
    found.extend(child_checks(episodes, header, "DECOM", "episode"))
    return found


def child_checks(records: pl.DataFrame, header: pl.DataFrame, date_column: str, what: str) -> list[pl.DataFrame]:
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


def template_gaps(
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
    return pl.DataFrame(schema={c.name: column_dtype(c) for c in spec.columns if c.used})
