"""Read the DfE's "explore education statistics" files as they are published.

Each file is long: one row per year x geography x breakdown. ``read_file`` recognises which
publication a file is from its columns, checks every row, and turns it into one tidy frame
(``BENCHMARK_SCHEMA``): one row per measure, year and geography, with the published count,
denominator and value. A suppressed cell (``c``, ``k``, ``x``, ``z``, ``low``, ``u``) is kept as
its symbol in the ``*_symbol`` column with a null number: never read as a number.

The statistical-neighbour model (a wide file, one row per authority) is read by
``read_neighbours`` into one row per authority and neighbour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

# The DfE's symbols for a cell with no number, and what each means.
SUPPRESSION_SYMBOLS: dict[str, str] = {
    "c": "suppressed to protect confidentiality",
    "k": "rounds to zero but is not zero",
    "x": "not available",
    "z": "not applicable",
    "low": "rounds to zero but is not zero",
    "u": "low reliability",
}
ENGLAND_CODE = "E92000001"
LEVELS: dict[str, str] = {"National": "england", "Regional": "region", "Local authority": "la"}


@dataclass(frozen=True)
class Measure:
    """One published measure and where it sits in its file."""

    id: str
    label: str
    unit: str  # "rate" (per 10,000 children) or "percent"
    kind: str  # which publication file holds it
    group: str  # the value of the file's group column (population_type / cla_group)
    breakdown: str | None = None  # the value of the breakdown column (percent files)
    denominator_label: str = ""


MEASURES: tuple[Measure, ...] = (
    Measure(
        "cla_31_march",
        "Children looked after on 31 March (rate per 10,000 children)",
        "rate",
        "cla_number",
        "Children looked after on 31 March each year",
        denominator_label="children aged 0-17",
    ),
    Measure(
        "cla_starting",
        "Children starting to be looked after in the year (rate per 10,000 children)",
        "rate",
        "cla_number",
        "Children starting to be looked after each year",
        denominator_label="children aged 0-17",
    ),
    Measure(
        "cla_ceasing",
        "Children ceasing to be looked after in the year (rate per 10,000 children)",
        "rate",
        "cla_number",
        "Children ceasing to be looked after each year",
        denominator_label="children aged 0-17",
    ),
    Measure(
        "three_placements_pct",
        "Children looked after on 31 March with 3 or more placements in the year (%)",
        "percent",
        "placement_stability",
        "CLA on 31 March",
        "With 3 or more placements during the year",
        "children looked after on 31 March",
    ),
    Measure(
        "long_term_stability_pct",
        "Children under 16 looked after for 2.5 years or more, in the same placement for 2 years (%)",
        "percent",
        "placement_stability",
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
        "Living with the same carer for at least 2 years",
        "children under 16 looked after for 2.5 years or more",
    ),
    Measure(
        "three_social_workers_pct",
        "Children looked after on 31 March with 3 or more social workers in the year (%)",
        "percent",
        "social_workers",
        "CLA on 31 March",
        "3 or more social workers during the year",
        "children looked after on 31 March",
    ),
)
MEASURE_BY_ID: dict[str, Measure] = {m.id: m for m in MEASURES}

_GEOGRAPHY = ("time_period", "geographic_level", "region_code", "region_name", "old_la_code", "la_name", "new_la_code")


@dataclass(frozen=True)
class FileKind:
    """A publication file: the columns that identify it and where its numbers are."""

    name: str
    group: str
    breakdown: str | None
    count: tuple[str, ...]  # accepted names of the count column
    value: tuple[str, ...]  # accepted names of the rate/percent column
    denominator: str | None = None  # a column holding the denominator (rates)


FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("cla_number", "population_type", None, ("children_count",), ("rate_per_10000",), "population_estimate"),
    FileKind(
        "placement_stability",
        "cla_group",
        "placement_stability",
        ("children_count", "number"),
        ("children_percent", "percentage"),
    ),
    FileKind("social_workers", "cla_group", "sw_stability", ("number", "children_count"), ("percentage",)),
)
TOTAL_ROW = "Total children"

BENCHMARK_SCHEMA: dict[str, pl.DataType] = {
    "measure": pl.String(),
    "year": pl.Int64(),
    "level": pl.String(),  # england, region, la
    "code": pl.String(),  # E92000001, a region code, or an authority's old (3-digit) code
    "name": pl.String(),
    "la_code_new": pl.String(),
    "region_code": pl.String(),
    "region_name": pl.String(),
    "numerator": pl.Int64(),
    "numerator_symbol": pl.String(),
    "denominator": pl.Int64(),
    "denominator_symbol": pl.String(),
    "value": pl.Float64(),
    "value_symbol": pl.String(),
}
NEIGHBOUR_SCHEMA: dict[str, pl.DataType] = {
    "model_year": pl.Int64(),
    "la_code_old": pl.String(),
    "la_name": pl.String(),
    "region_name": pl.String(),
    "rank": pl.Int64(),
    "neighbour_code_old": pl.String(),
    "closeness": pl.String(),
}
NEIGHBOURS = 10


class BenchmarkFileError(ValueError):
    """A benchmark file that cannot be read, with every problem found (file, line, column)."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  - and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{self.path.name} cannot be used as a DfE benchmark file:\n{lines}{more}")


def _read_text(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, OSError) as exc:
        raise BenchmarkFileError(path, [f"not a readable CSV file ({str(exc).splitlines()[0]})"]) from exc
    # Some downloads start with a byte-order mark; names are compared without it and trimmed.
    return frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})


def file_kind(columns: list[str]) -> str | None:
    """Which publication a file of these columns is ("neighbours" for the model), or None."""
    if "old_la_code" in columns and all(f"SN_{n}" in columns for n in range(1, NEIGHBOURS + 1)):
        return "neighbours"
    for kind in FILE_KINDS:
        if (
            kind.group in columns
            and (kind.breakdown is None or kind.breakdown in columns)
            and any(c in columns for c in kind.count)
            and any(c in columns for c in kind.value)
        ):
            return kind.name
    return None


def _number(column: str, line: pl.Expr, whole: bool, file: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(number or null, symbol or null, a problem message or null) for a published cell."""
    text = pl.col(column).str.strip_chars()
    symbol = pl.when(text.is_in(list(SUPPRESSION_SYMBOLS))).then(text)
    pattern = r"^-?\d+$" if whole else r"^-?\d+(\.\d+)?$"
    is_number = text.str.contains(pattern)
    number = pl.when(is_number).then(text).cast(pl.Int64 if whole else pl.Float64, strict=False)
    expected = "a whole number" if whole else "a number"
    problem = pl.when(symbol.is_null() & ~is_number.fill_null(False)).then(
        pl.format(
            "{}, line {}, column '{}': {} is neither {} nor a DfE symbol ({})",
            pl.lit(file),
            line,
            pl.lit(column),
            pl.when(text.is_null() | (text == "")).then(pl.lit("an empty cell")).otherwise(pl.format("'{}'", text)),
            pl.lit(expected),
            pl.lit(", ".join(SUPPRESSION_SYMBOLS)),
        )
    )
    return number, symbol, problem


def read_file(path: Path | str) -> tuple[str, pl.DataFrame]:
    """Read one DfE file: (its kind, a frame in BENCHMARK_SCHEMA or NEIGHBOUR_SCHEMA).

    Raises BenchmarkFileError listing every problem (line numbers count the header as line 1).
    """
    path = Path(path)
    raw = _read_text(path)
    kind_name = file_kind(raw.columns)
    if kind_name is None:
        raise BenchmarkFileError(
            path,
            [
                "its columns match none of the DfE files this tool reads (children looked after on 31 March / "
                "starting / ceasing, placement stability, social workers, the statistical-neighbour model); "
                f"columns found: {', '.join(raw.columns[:20])}"
            ],
        )
    if kind_name == "neighbours":
        return kind_name, _read_neighbours(path, raw)
    kind = next(k for k in FILE_KINDS if k.name == kind_name)
    return kind_name, _read_long(path, raw, kind)


# The columns of a tidy benchmark row after its keys (a count is the measure's numerator).
_TIDY_COLUMNS: tuple[str | pl.Expr, ...] = (
    "name",
    "la_code_new",
    "region_code",
    "region_name",
    pl.col("count").alias("numerator"),
    pl.col("count_symbol").alias("numerator_symbol"),
    "denominator",
    "denominator_symbol",
    "value",
    "value_symbol",
)


def _read_long(path: Path, raw: pl.DataFrame, kind: FileKind) -> pl.DataFrame:
    """A long DfE file as tidy benchmark rows: its numbers checked, its places named, one row per
    measure, year and place."""
    problems = [f"{path.name}: required column '{c}' is missing" for c in _GEOGRAPHY if c not in raw.columns]
    if problems:
        raise BenchmarkFileError(path, problems)
    if raw.height == 0:
        raise BenchmarkFileError(path, [f"{path.name}: has no rows"])
    rows = _placed(_checked(path, raw, kind), kind)
    measures = [m for m in MEASURES if m.kind == kind.name]
    tidy = pl.concat([_measure_rows(rows, kind, measure) for measure in measures]).select(
        pl.col(name).cast(dtype) if name in ("numerator", "denominator", "value") else pl.col(name)
        for name, dtype in BENCHMARK_SCHEMA.items()
    )
    if tidy.height == 0:
        raise BenchmarkFileError(
            path,
            [f"{path.name}: no row holds a measure this tool reads ({', '.join(m.group for m in measures)})"],
        )
    duplicated = tidy.filter(pl.struct("measure", *_KEYS).is_duplicated())
    if duplicated.height:
        first = duplicated.row(0, named=True)
        raise BenchmarkFileError(
            path,
            [
                f"{path.name}: {duplicated.height} rows repeat a measure for the same year and place "
                f"(first: {first['measure']} {first['year']} {first['name']})"
            ],
        )
    return tidy.sort("measure", "year", "level", "code")


_KEYS = ("year", "level", "code")
_LEVEL = pl.col("geographic_level").str.strip_chars()
_YEAR = pl.col("time_period").str.strip_chars()
# Other geographic levels (e.g. local authority district) are left out, not errors.
_IS_LA = _LEVEL == "Local authority"


def _checked(path: Path, raw: pl.DataFrame, kind: FileKind) -> pl.DataFrame:
    """The file with its count, value (and denominator) read as numbers and DfE symbols; every cell
    that is neither, a year that is not one or an authority without its code refuses the file."""
    count_column = next(c for c in kind.count if c in raw.columns)
    value_column = next(c for c in kind.value if c in raw.columns)
    line = pl.int_range(2, pl.len() + 2)
    file = path.name
    count, count_symbol, count_problem = _number(count_column, line, True, file)
    value, value_symbol, value_problem = _number(value_column, line, False, file)
    checks = [count_problem, value_problem]
    columns = {"count": count, "count_symbol": count_symbol, "value": value, "value_symbol": value_symbol}
    if kind.denominator:
        denominator, denominator_symbol, denominator_problem = _number(kind.denominator, line, True, file)
        columns |= {"denominator": denominator, "denominator_symbol": denominator_symbol}
        checks.append(denominator_problem)
    checks.append(
        pl.when(~_YEAR.str.contains(r"^\d{4}$").fill_null(False)).then(
            pl.format("{}, line {}, column 'time_period': '{}' is not a year (e.g. 2025)", pl.lit(file), line, _YEAR)
        )
    )
    checks.append(
        pl.when(_IS_LA & ~pl.col("old_la_code").str.strip_chars().str.contains(r"^\d{3}$").fill_null(False)).then(
            pl.format("{}, line {}, column 'old_la_code': an authority needs its 3-digit code", pl.lit(file), line)
        )
    )
    checked = raw.with_columns(**columns, _problem=pl.concat_list(checks).list.drop_nulls())
    found = checked.select(pl.col("_problem").explode().drop_nulls())["_problem"].to_list()
    if found:
        raise BenchmarkFileError(path, found)
    return checked


def _placed(checked: pl.DataFrame, kind: FileKind) -> pl.DataFrame:
    """The rows of England, the regions and the authorities, each with its year, level, code and name."""
    return checked.filter(_LEVEL.is_in(list(LEVELS))).with_columns(
        year=_YEAR.cast(pl.Int64),
        level=_LEVEL.replace_strict(LEVELS),
        group=pl.col(kind.group).str.strip_chars(),
        breakdown=pl.col(kind.breakdown).str.strip_chars() if kind.breakdown else pl.lit(None, dtype=pl.String),
        code=pl.when(_IS_LA)
        .then(pl.col("old_la_code").str.strip_chars())
        .when(_LEVEL == "Regional")
        .then(pl.col("region_code"))
        .otherwise(pl.lit(ENGLAND_CODE)),
        name=pl.when(_IS_LA)
        .then(pl.col("la_name"))
        .when(_LEVEL == "Regional")
        .then(pl.col("region_name"))
        .otherwise(pl.lit("England")),
        la_code_new=pl.when(_IS_LA).then(pl.col("new_la_code")),
    )


def _measure_rows(rows: pl.DataFrame, kind: FileKind, measure: Measure) -> pl.DataFrame:
    """One measure's tidy rows; in a file with breakdowns, the measure's breakdown over the total row."""
    mine = rows.filter(pl.col("group") == measure.group)
    if kind.breakdown is None:
        part = mine.select(*_KEYS, *_TIDY_COLUMNS)
    else:
        top = mine.filter(pl.col("breakdown") == measure.breakdown)
        total = mine.filter(pl.col("breakdown") == TOTAL_ROW).select(
            *_KEYS, denominator=pl.col("count"), denominator_symbol=pl.col("count_symbol")
        )
        part = top.join(total, on=list(_KEYS), how="left").select(*_KEYS, *_TIDY_COLUMNS)
    return part.with_columns(measure=pl.lit(measure.id))


def model_year(path: Path | str) -> int | None:
    """The statistical-neighbour model's year, from a file name like sn_model_2025_wide.csv."""
    found = re.search(r"(20\d{2})", Path(path).name)
    return int(found.group(1)) if found else None


def _read_neighbours(path: Path, raw: pl.DataFrame) -> pl.DataFrame:
    year = model_year(path)
    if year is None:
        raise BenchmarkFileError(
            path,
            [f"{path.name}: the model's year is not in the file name; name it like sn_model_2026_wide.csv"],
        )
    problems = [f"{path.name}: required column '{c}' is missing" for c in ("la_name", "region_name") if c not in raw]
    if problems:
        raise BenchmarkFileError(path, problems)
    long = (
        raw.with_columns(_line=pl.int_range(2, pl.len() + 2))
        .unpivot(
            index=["old_la_code", "la_name", "region_name", "_line"],
            on=[f"SN_{n}" for n in range(1, NEIGHBOURS + 1)],
            variable_name="_rank",
            value_name="neighbour_code_old",
        )
        .with_columns(
            rank=pl.col("_rank").str.strip_prefix("SN_").cast(pl.Int64),
            la_code_old=pl.col("old_la_code").str.strip_chars(),
            neighbour_code_old=pl.col("neighbour_code_old").str.strip_chars(),
        )
    )
    closeness = (
        raw.with_columns(la_code_old=pl.col("old_la_code").str.strip_chars())
        .unpivot(
            index=["la_code_old"],
            on=[f"SN_{n}P" for n in range(1, NEIGHBOURS + 1) if f"SN_{n}P" in raw.columns],
            variable_name="_rank",
            value_name="closeness",
        )
        .with_columns(
            rank=pl.col("_rank").str.strip_prefix("SN_").str.strip_suffix("P").cast(pl.Int64),
            closeness=pl.col("closeness").str.strip_chars(),
        )
        .drop("_rank")
    )
    bad = long.filter(
        ~pl.col("la_code_old").str.contains(r"^\d{3}$").fill_null(False)
        | ~pl.col("neighbour_code_old").str.contains(r"^\d{3}$").fill_null(False)
    )
    if bad.height:
        raise BenchmarkFileError(
            path,
            [
                f"{path.name}, line {row['_line']}, column '{row['_rank']}': '{row['neighbour_code_old']}' "
                f"(for '{row['la_code_old']}') is not a 3-digit authority code"
                for row in bad.sort("_line").head(20).iter_rows(named=True)
            ],
        )
    out = long.join(closeness, on=["la_code_old", "rank"], how="left").with_columns(model_year=pl.lit(year))
    return out.select(list(NEIGHBOUR_SCHEMA)).sort("la_code_old", "rank")
