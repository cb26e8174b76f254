"""A table's text cells typed: each used column converted by its kind (text, code, level, date,
number, flag), with a problem for every cell that cannot be, and the rows of a file that repeat
an earlier row's key. ``readers.read_table`` calls these once it has recognised the file.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iro_metrics.importer.dates import parse_dates
from iro_metrics.importer.file_specs import ColumnSpec, FileSpec
from iro_metrics.importer.formats import DATE_FORMAT_TEXT, FLAG_VALUES, PRIVATE_COLUMNS
from iro_metrics.importer.plausible import number_limit, text_checks
from iro_metrics.importer.read_csv import ROW
from iro_metrics.importer.report import PROBLEM_SCHEMA

HIDDEN_VALUE = "(hidden: personal data)"


def _normalised(column: ColumnSpec) -> pl.Expr:
    raw = pl.col(column.name)
    if column.kind in ("code", "flag", "level"):
        return raw.str.to_uppercase() if column.upper or column.kind == "flag" else raw.str.to_lowercase()
    return raw


def _shown_value(column: str) -> pl.Expr:
    if column in PRIVATE_COLUMNS:
        return pl.lit(HIDDEN_VALUE)
    return pl.col(column)


def _codes_text(allowed: tuple[str, ...]) -> str:
    shown = ", ".join(allowed[:40])
    return shown + (f" and {len(allowed) - 40} more (see docs/import.md)" if len(allowed) > 40 else "")


def convert_columns(frame: pl.DataFrame, spec: FileSpec, name: str, today: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed values for every used column, and the problems found converting them."""
    checks: list[_Check] = []
    typed: list[pl.Expr] = []
    for column in spec.columns:
        if column.name not in frame.columns or not column.used:
            continue
        if column.mandatory:
            checks.append(
                (
                    column.name,
                    "missing_value",
                    pl.col(column.name).is_null(),
                    pl.lit(f"{column.name} must have a value"),
                )
            )
        converted, column_checks = _converted(column, today)
        checks += column_checks
        typed.append(converted.alias(column.name))
    checks.extend(text_checks(spec, frame.columns))
    problems = [
        frame.filter(bad).select(
            pl.lit(name).alias("file"),
            pl.col(ROW).alias("row"),
            pl.lit(column).alias("column"),
            _shown_value(column).cast(pl.String).alias("value"),
            pl.lit(rule).alias("rule"),
            message.alias("message"),
        )
        for column, rule, bad, message in checks
    ]
    problem_frame = pl.concat([pl.DataFrame(schema=_FRAME_SCHEMA), *problems]).select(list(_FRAME_SCHEMA))
    return frame.select(pl.col(ROW), *typed), problem_frame


_Check = tuple[str, str, pl.Expr, pl.Expr]  # column, rule, bad mask, message


def _converted(column: ColumnSpec, today: date) -> tuple[pl.Expr, list[_Check]]:
    """One column's typed value, and the checks on the cells its kind cannot read."""
    raw, value, name = pl.col(column.name), _normalised(column), column.name
    if column.kind == "text":
        return raw, []
    if column.kind in ("code", "level"):
        allowed = column.codes or ()
        check = (
            name,
            "unknown_code",
            value.is_not_null() & ~value.is_in(allowed),
            pl.lit(f"{name} must be one of {_codes_text(allowed)}"),
        )
        return (value if column.kind == "code" else value.cast(pl.Int64, strict=False)), [check]
    if column.kind == "date":
        converted = parse_dates(raw, column.dates, today)
        checks = [
            (
                name,
                "bad_date",
                raw.is_not_null() & converted.is_null(),
                pl.lit(f"{name} must be a real date written {DATE_FORMAT_TEXT}, e.g. 01/04/2014"),
            )
        ]
        if column.dates != "until":  # DUC: a child still UASC has their 18th birthday here
            after = pl.lit(f"{name} is after the day of the import ({today:%d/%m/%Y})")
            checks.append((name, "future_date", converted > pl.lit(today), after))
        return converted, checks
    if column.kind == "number":
        converted = raw.cast(pl.Float64, strict=False)
        limit = number_limit(name)
        bad = raw.is_not_null() & (
            converted.is_null() | converted.is_nan() | converted.is_infinite() | (converted < 0) | (converted > limit)
        )
        return converted, [(name, "bad_number", bad, pl.lit(f"{name} must be a number from 0 to {limit:,}, e.g. 7.5"))]
    # a flag
    converted = value.replace_strict(FLAG_VALUES, default=None, return_dtype=pl.Boolean)
    bad = value.is_not_null() & ~value.is_in(tuple(FLAG_VALUES))
    return converted, [(name, "bad_flag", bad, pl.lit(f"{name} must be Y or N"))]


_FRAME_SCHEMA = {k: v for k, v in PROBLEM_SCHEMA.items() if k != "severity"}


def duplicates(frame: pl.DataFrame, spec: FileSpec, name: str) -> pl.DataFrame:
    """Rows repeating an earlier row's key within the file."""
    key = list(spec.key)
    if not key:
        return pl.DataFrame(schema=_FRAME_SCHEMA)
    values = [c for c in frame.columns if not c.startswith("_")]
    keyed = (
        frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
        .sort(ROW)
        .with_columns(
            _first_row=pl.col(ROW).min().over(key),
            _repeat=pl.all_horizontal(pl.col(c).eq_missing(pl.col(c).first().over(key)) for c in values),
        )
        .with_columns(_conflict=~pl.col("_repeat").all().over(key))
    )
    first_row = pl.col("_first_row")
    shown_parts = [k for k in key if k not in PRIVATE_COLUMNS]
    if shown_parts:
        value = pl.concat_str(
            [pl.format(f"{k} {{}}", _as_text(keyed.schema[k], k)) for k in shown_parts], separator=", "
        )
    else:
        value = pl.lit(HIDDEN_VALUE)
    return keyed.filter(pl.col(ROW) != first_row).select(
        pl.lit(name).alias("file"),
        pl.col(ROW).alias("row"),
        pl.lit(" + ".join(key)).alias("column"),
        value.alias("value"),
        pl.when(pl.col("_conflict")).then(pl.lit("duplicate_key")).otherwise(pl.lit("duplicate_row")).alias("rule"),
        pl.when(pl.col("_conflict"))
        .then(
            pl.format(
                f"same {' and '.join(key)} as row {{}}: each record must appear once per file; the rows differ, "
                "so none of them is used",
                first_row,
            )
        )
        .otherwise(pl.format("repeats row {} exactly: the record is counted once", first_row))
        .alias("message"),
    )


def _as_text(dtype: pl.DataType, column: str) -> pl.Expr:
    if dtype == pl.Date:
        return pl.col(column).dt.to_string("%d/%m/%Y")
    return pl.col(column).cast(pl.String)


def column_dtype(column: ColumnSpec) -> pl.DataType:
    """The Polars type a column of this kind is read into."""
    return {
        "text": pl.String(),
        "code": pl.String(),
        "date": pl.Date(),
        "number": pl.Float64(),
        "level": pl.Int64(),
        "flag": pl.Boolean(),
    }[column.kind]
