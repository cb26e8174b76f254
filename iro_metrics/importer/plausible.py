"""Plausible nonsense: values that read correctly but cannot be right, each with a named rule.

Row checks on one file's values (unsafe text, implausible numbers and dates, dates out of order)
and the one check across files (UASC status ending before birth). They are warnings: the record
is kept and the analyst told; an impossible number (an FTE of 1e308) is a ``bad_number`` error.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iro_metrics.importer.file_specs import FileSpec

# Above these a number is not a real count of posts in one team (1e308 reads as a number).
_NUMBER_LIMITS: dict[str, int] = {"FTE_ESTABLISHMENT": 1_000, "FTE_IN_POST": 1_000, "FTE_AGENCY": 1_000}
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_HTML = r"<\s*[A-Za-z/!]"
_FORMULA = r"^[=+\-@\t\r]"
OLDEST_AGE_YEARS = 60  # a date of birth further back than this before the import is implausible (e.g. 1900)


def number_limit(column: str) -> int:
    """The largest plausible value of a number column."""
    return _NUMBER_LIMITS.get(column, 1_000_000)


def text_checks(spec: FileSpec, present: list[str]) -> list[tuple[str, str, pl.Expr, pl.Expr]]:
    """Checks of free-text columns: (column, rule, bad mask, message) on the text as read."""
    found = []
    for column in spec.columns:
        if column.kind != "text" or not column.used or column.name not in present:
            continue
        raw = pl.col(column.name)
        reason = (
            pl.when(raw.str.contains(_CONTROL))
            .then(pl.lit("holds control characters"))
            .when(raw.str.contains(_HTML))
            .then(pl.lit("holds HTML"))
            .when(raw.str.contains(_FORMULA))
            .then(pl.lit("starts like a spreadsheet formula (=, +, - or @)"))
        )
        found.append(
            (
                column.name,
                "unsafe_text",
                reason.is_not_null(),
                pl.format(f"{column.name} {{}}: check the source (it is kept as plain text)", reason),
            )
        )
    return found


def _out_of_order(frame: pl.DataFrame, name: str, rule: str, column: str, bad: pl.Expr, message: str) -> pl.DataFrame:
    return frame.filter(bad).select(
        pl.lit(name).alias("file"),
        pl.col("_row").alias("row"),
        pl.lit(column).alias("column"),
        pl.col(column).dt.to_string("%d/%m/%Y").alias("value")
        if frame.schema[column] == pl.Date()
        else pl.col(column).cast(pl.String).alias("value"),
        pl.lit(rule).alias("rule"),
        pl.lit(message).alias("message"),
    )


def row_problems(typed: pl.DataFrame, spec: FileSpec, name: str, today: date) -> list[pl.DataFrame]:
    """Values of one record that cannot all be right (warnings)."""
    found = []
    if spec.kind == "header":
        oldest = date(today.year - OLDEST_AGE_YEARS, today.month, min(today.day, 28))
        found.append(
            _out_of_order(typed, name, "implausible_birth_date", "DOB", pl.col("DOB") < oldest, "").with_columns(
                value=pl.lit(None, dtype=pl.String),
                message=pl.lit(
                    f"the date of birth is before {oldest:%d/%m/%Y}: more than {OLDEST_AGE_YEARS} years ago"
                ),
            )
        )
    if spec.kind == "iro_staffing":
        found.append(
            _out_of_order(
                typed,
                name,
                "agency_above_in_post",
                "FTE_AGENCY",
                pl.col("FTE_AGENCY") > pl.col("FTE_IN_POST"),
                "more agency FTE than FTE in post: agency staff are counted within FTE_IN_POST",
            )
        )
    if spec.kind == "disputes":
        found.append(
            _out_of_order(
                typed,
                name,
                "resolved_before_raised",
                "RESOLVED",
                pl.col("RESOLVED") < pl.col("RAISED"),
                "the dispute is resolved before it was raised (RAISED)",
            )
        )
    if spec.kind == "review_details":
        found.append(
            _out_of_order(
                typed,
                name,
                "minutes_before_review",
                "MINUTES_ISSUED",
                pl.col("MINUTES_ISSUED") < pl.col("REVIEW"),
                "the minutes are issued before the review was held",
            )
        )
    return found


def uasc_before_birth(uasc: pl.DataFrame, header: pl.DataFrame) -> pl.DataFrame:
    """UASC rows whose DUC is before the child's date of birth (problem frame; DOB never quoted)."""
    joined = uasc.join(header.select("CHILD", pl.col("DOB").alias("_dob")), on="CHILD", how="inner")
    return joined.filter(pl.col("DUC") < pl.col("_dob")).select(
        pl.col("_file").alias("file"),
        pl.col("_row").alias("row"),
        pl.lit("DUC").alias("column"),
        pl.col("DUC").dt.to_string("%d/%m/%Y").alias("value"),
        pl.lit("uasc_ends_before_birth").alias("rule"),
        pl.lit("UASC status ends (DUC) before the child's date of birth in the Header").alias("message"),
    )
