"""How we compare: the council's own figures beside England, its region and its statistical neighbours.

``how_we_compare`` takes the latest reporting year the dataset and the benchmark files share and
returns typed data (``Comparison``) for a panel, a chart or a paper. ``comparison_words`` and
``how_we_compare_paragraph`` turn it into sentences whose words come from the numbers.

The types, the band ("in line with", "above", "below") and the plausibility check are in
``comparison.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from iro_metrics.benchmarks.comparison import (
    BETTER,
    LONDON_SUB_REGIONS,
    SERIES,
    Comparison,
    MeasureComparison,
    display,
    london_note,
    plausibility_warnings,
    position,
)
from iro_metrics.benchmarks.council import council_figures, covered_years
from iro_metrics.benchmarks.read import MEASURES, Measure
from iro_metrics.benchmarks.store import ATTRIBUTION, DATA_DIR, Benchmarks, load_benchmarks
from iro_metrics.dataset import Dataset, load_dataset
from iro_metrics.periods import fy_label

NO_NATIONAL_FIGURE = "No national figure is published for review timeliness, participation, disputes or IRO caseloads."


@lru_cache(maxsize=4)
def _cached_benchmarks(folder: str, fingerprint: tuple) -> Benchmarks:
    return load_benchmarks(folder)


def shipped_benchmarks(folder: Path | str = DATA_DIR) -> Benchmarks:
    """The benchmark files, read once per change of the folder's files."""
    folder = Path(folder)
    fingerprint = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv")))
    return _cached_benchmarks(str(folder), fingerprint)


def _council_own(ds: Dataset, years: list[int], population: dict[int, int]) -> pl.DataFrame:
    key = (tuple(years), tuple(sorted(population.items())))
    if key not in ds.memo.council_figures:
        ds.memo.council_figures[key] = council_figures(ds, years, population)
    return ds.memo.council_figures[key]


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def how_we_compare(ds: Dataset, bench: Benchmarks | None = None, year: int | None = None) -> Comparison:
    """The council against England, its region and its statistical neighbours' median.

    ``year`` defaults to the latest reporting year both the dataset and the benchmarks cover;
    without one, the latest benchmark year with the council's published figures. The council is
    the one dataset.toml names (``la_code_old``). Kept with the dataset per (benchmarks, year)
    until the benchmark files change: the Overview and Children pages draw it on every rerun.
    """
    if ds.authority is not None:
        bench = bench or shipped_benchmarks()
    memo = ds.memo.comparisons
    if memo.get("bench") is not bench:  # the files changed (a new object), or other benchmarks
        memo.clear()
        memo["bench"] = bench
    if year not in memo:
        memo[year] = _how_we_compare(ds, bench, year)
    return memo[year]


@dataclass(frozen=True)
class _Council:
    """The council compared: its code, name, region, statistical neighbours and own figures
    (``own_years``: the years the dataset covers, for which ``own`` has rows)."""

    code: str
    name: str
    region_code: str
    neighbour_codes: list[str]
    own: pl.DataFrame
    own_years: list[int]


def _not_comparable(code: str | None, name: str, notes: list[str], message: str) -> Comparison:
    return Comparison(code, name, None, None, "dataset", notes=notes, message=message)


def _how_we_compare(ds: Dataset, bench: Benchmarks | None, year: int | None) -> Comparison:
    notes = [NO_NATIONAL_FIGURE, ATTRIBUTION]
    if ds.authority is None:  # said before the benchmark files are read (0.1-0.3 s on a first load)
        message = (
            "This dataset does not say which council it is, so it cannot be compared with others. "
            "Choose the council when importing (or set la_code_old in dataset.toml)."
        )
        return _not_comparable(None, ds.name, notes, message)
    code = ds.authority[0]
    bench = bench or shipped_benchmarks()
    mine = bench.figures.filter((pl.col("level") == "la") & (pl.col("code") == code))
    if mine.is_empty():
        return _not_comparable(code, ds.name, notes, f"The benchmark files hold no figures for authority {code}.")
    name, region_code, region_name = mine.sort("year").select("name", "region_code", "region_name").row(-1)
    year, covered, source = _comparison_year(ds, mine, year, notes)
    population = dict(
        mine.filter((pl.col("measure") == "cla_31_march") & pl.col("denominator").is_not_null())
        .select("year", "denominator")
        .iter_rows()
    )
    own = _council_own(ds, covered, population) if covered else pl.DataFrame(schema={"measure": pl.String})
    council = _Council(code, name, region_code, bench.neighbours_of(code), own, covered)
    if not council.neighbour_codes:
        notes.append(f"The statistical-neighbour model names no neighbours for authority {code}.")
    measures, ranked, trend = [], [], []
    for measure in MEASURES:
        this = bench.figures.filter(pl.col("measure") == measure.id)
        # A measure published less often (social workers) is shown for its latest year up to ``year``.
        measure_year = this.filter(pl.col("year") <= year)["year"].max()
        if measure_year is None:
            continue
        compared, ranking = _compare_measure(
            this.filter(pl.col("year") == measure_year), measure, measure_year, council
        )
        measures.append(compared)
        ranked.append(ranking)
        trend.append(_trend(this, measure, code, region_code, council.neighbour_codes, own))
    if region_name in LONDON_SUB_REGIONS:
        notes.insert(0, london_note(name, region_name))
    neighbours = (
        pl.concat(ranked)
        .select("measure", "code", "name", "value", "is_council")
        .sort("measure", "value", "name", nulls_last=True)
        if ranked
        else pl.DataFrame()
    )
    trends = pl.concat(trend) if trend else pl.DataFrame()
    warnings = plausibility_warnings(code, name, measures)
    return Comparison(code, name, region_name, year, source, measures, neighbours, trends, notes, warnings=warnings)


def _comparison_year(ds: Dataset, mine: pl.DataFrame, year: int | None, notes: list[str]) -> tuple[int, list[int], str]:
    """The year compared (default: the latest the dataset covers, else the latest published), the
    years the dataset covers, and where the council's figures come from ("dataset" or "published",
    said in ``notes``)."""
    years_published = sorted(mine["year"].unique().to_list())
    covered = [y for y in covered_years(ds) if y in years_published]
    if year is None:
        year = covered[-1] if covered else years_published[-1]
    source = "dataset" if year in covered else "published"
    if source == "published":
        first, last = (fy_label(y - 1) for y in (years_published[0], years_published[-1]))
        notes.insert(
            0,
            f"The dataset does not cover {fy_label(year - 1)}: the council's figures shown are those the DfE "
            f"published ({first} to {last} are published).",
        )
    return year, covered, source


def _first(frame: pl.DataFrame, column: str) -> float | str | None:
    return frame[column][0] if frame.height else None


def _compare_measure(
    in_year: pl.DataFrame, measure: Measure, measure_year: int, council: _Council
) -> tuple[MeasureComparison, pl.DataFrame]:
    """One measure in its year: the council against England, its region and its neighbours' median,
    and the neighbours ranked with the council among them (code, name, value, measure, is_council)."""
    code = council.code
    own_row = (
        council.own.filter((pl.col("measure") == measure.id) & (pl.col("year") == measure_year))
        if council.own_years
        else council.own
    )
    published = in_year.filter((pl.col("level") == "la") & (pl.col("code") == code))
    england = in_year.filter((pl.col("level") == "england") & (pl.col("code") == "E92000001"))
    region = in_year.filter((pl.col("level") == "region") & (pl.col("code") == council.region_code))
    others = in_year.filter((pl.col("level") == "la") & pl.col("code").is_in(council.neighbour_codes))
    neighbour_values = others["value"].drop_nulls().to_list()
    compared = MeasureComparison(
        measure,
        measure_year,
        _first(own_row, "value"),
        _first(own_row, "numerator"),
        _first(own_row, "denominator"),
        _first(published, "value"),
        _first(published, "value_symbol"),
        _first(england, "value"),
        _first(region, "value"),
        _median(neighbour_values),
        len(neighbour_values),
    )
    ranking = pl.concat(
        [
            others.select("code", "name", "value"),
            pl.DataFrame(
                {"code": [code], "name": [council.name], "value": [compared.shown]},
                schema={"code": pl.String, "name": pl.String, "value": pl.Float64},
            ),
        ]
    ).with_columns(measure=pl.lit(measure.id), is_council=pl.col("code") == code)
    return compared, ranking


def _trend(
    this: pl.DataFrame, measure: Measure, code: str, region_code: str, neighbour_codes: list[str], own: pl.DataFrame
) -> pl.DataFrame:
    """measure, year, series, value for every benchmark year (and every year the dataset gives)."""
    series = {
        "Council (published)": (pl.col("level") == "la") & (pl.col("code") == code),
        "England": pl.col("level") == "england",
        "Region": (pl.col("level") == "region") & (pl.col("code") == region_code),
    }
    parts = [
        this.filter(condition).select("year", "value").with_columns(series=pl.lit(name))
        for name, condition in series.items()
    ]
    parts.append(
        this.filter((pl.col("level") == "la") & pl.col("code").is_in(neighbour_codes))
        .group_by("year")
        .agg(pl.col("value").median())
        .with_columns(series=pl.lit("Neighbours' median"))
    )
    if "value" in own.columns:
        parts.append(
            own.filter(pl.col("measure") == measure.id)
            .select("year", "value")
            .with_columns(series=pl.lit("Council (own data)"))
        )
    frame = pl.concat([p.select("year", "series", pl.col("value").cast(pl.Float64)) for p in parts])
    return (
        frame.with_columns(measure=pl.lit(measure.id), series=pl.col("series").cast(pl.Enum(SERIES)))
        .select("measure", "year", "series", "value")
        .sort("year", "series")
    )


PHRASES: dict[str, str] = {
    "cla_31_march": "the rate of children looked after on 31 March",
    "cla_starting": "the rate of children starting to be looked after",
    "cla_ceasing": "the rate of children ceasing to be looked after",
    "three_placements_pct": "the share of children looked after on 31 March with 3 or more placements in the year",
    "long_term_stability_pct": (
        "the share of children under 16 looked after for 2.5 years or more who had lived in the same placement "
        "for 2 years"
    ),
    "three_social_workers_pct": "the share of children looked after on 31 March with 3 or more social workers in the year",
}


def comparison_words(row: MeasureComparison, comparison: Comparison) -> str:
    """One sentence for a paper: the council's figure and where it stands against each comparator,
    e.g. "In 2024-25 Kent's rate of children looked after on 31 March was 53 per 10,000 children:
    below England (67), in line with South East (55) and below the median of its 10 statistical
    neighbours (56)." """
    measure = row.measure
    phrase = PHRASES.get(measure.id, measure.label)
    when = fy_label(row.year - 1)
    value = row.shown
    if value is None:
        symbol = f" (the DfE marks it '{row.published_symbol}')" if row.published_symbol else ""
        return (
            f"No figure is available for {comparison.authority_name}'s {phrase.removeprefix('the ')} in {when}{symbol}."
        )
    unit = " per 10,000 children" if measure.unit == "rate" else ""
    parts = []
    for words, comparator in (
        ("England", row.england),
        (comparison.region_name or "the region", row.region),
        (f"the median of its {row.neighbours_with_figure} statistical neighbours", row.neighbours_median),
    ):
        where = position(value, comparator)
        if where is not None:
            parts.append(f"{where} {words} ({display(comparator, measure)})")
    standing = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""
    better = BETTER.get(measure.id)
    hint = f"; a {better} figure is better" if better and parts else ""
    tail = f": {standing}{hint}" if standing else ""
    return f"In {when} {comparison.authority_name}'s {phrase.removeprefix('the ')} was {display(value, measure)}{unit}{tail}."


def how_we_compare_paragraph(comparison: Comparison) -> str:
    """A "How we compare" paragraph for a committee paper, from ``how_we_compare``'s result."""
    if comparison.message:
        return f"{comparison.message} {NO_NATIONAL_FIGURE}"
    source = (
        "from the council's own data"
        if comparison.council_source == "dataset"
        else "as published by the DfE (the dataset does not cover that year)"
    )
    sentences = [
        f"How {comparison.authority_name} compares in {comparison.year_label}, {source}, against England, "
        f"{comparison.region_name} and its statistical neighbours (in line with means within 5% or 1 point):"
    ]
    sentences.extend(comparison_words(row, comparison) for row in comparison.measures)
    sentences.append(NO_NATIONAL_FIGURE)
    sentences.append(ATTRIBUTION)
    return " ".join(sentences)


def comparison_table(comparison: Comparison) -> pl.DataFrame:
    """One row per measure for a panel or paper: figures as the DfE prints them, and the words."""
    rows = []
    for row in comparison.measures:
        measure = row.measure
        rows.append(
            {
                "Measure": measure.label,
                "Year": fy_label(row.year - 1),
                comparison.authority_name: display(row.shown, measure)
                if row.shown is not None
                else f"not available{f' ({row.published_symbol})' if row.published_symbol else ''}",
                "England": display(row.england, measure),
                comparison.region_name or "Region": display(row.region, measure),
                "Neighbours' median": display(row.neighbours_median, measure),
                "Against England": position(row.shown, row.england) or "no comparison",
                "Against neighbours": position(row.shown, row.neighbours_median) or "no comparison",
            }
        )
    return pl.DataFrame(rows)


def parse_year(text: str) -> int:
    """'2024-25' -> 2025, the DfE's year (its 31 March); a clear error for anything else."""
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4 or fy_label(int(parts[0])) != text:
        raise ValueError(f"'{text}' is not a financial year such as 2024-25")
    return int(parts[0]) + 1


def comparison_json(comparison: Comparison) -> str:
    """``comparison_table`` with its council, year, warnings and notes, as JSON (``benchmarks show``)."""
    return json.dumps(
        {
            "authority_code": comparison.authority_code,
            "authority": comparison.authority_name,
            "region": comparison.region_name,
            "year": comparison.year_label,
            "council_source": comparison.council_source,
            "warnings": comparison.warnings,
            "notes": comparison.notes,
            "measures": comparison_table(comparison).to_dicts(),
        },
        indent=2,
        ensure_ascii=False,
    )


def import_warnings(folder: Path) -> list[str]:
    """After an import naming a council: the plausibility warnings for the dataset written (none
    when it cannot be compared). A small hook for the importer's callers."""
    return how_we_compare(load_dataset(folder)).warnings
