"""How we compare: the council's own figures beside England, its region and its statistical neighbours.

``how_we_compare`` takes the latest reporting year the dataset and the benchmark files share and
returns typed data (``Comparison``) for a panel, a chart or a paper. ``comparison_words`` and
``how_we_compare_paragraph`` turn it into sentences whose words come from the numbers.

The band: the council is **in line with** a comparator when the two differ by no more than 5% of
the comparator's value or by 1 (one per 10,000 for rates, one percentage point for percentages),
whichever is larger; otherwise it is **above** or **below** it. Both figures are first rounded to
whole numbers, as the DfE publishes them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from iro_metrics.benchmarks.council import council_figures, covered_years
from iro_metrics.benchmarks.read import MEASURES, Measure
from iro_metrics.benchmarks.store import ATTRIBUTION, DATA_DIR, Benchmarks, load_benchmarks
from iro_metrics.dataset import Dataset, load_dataset
from iro_metrics.formatting import value_text
from iro_metrics.periods import fy_label

NO_NATIONAL_FIGURE = "No national figure is published for review timeliness, participation, disputes or IRO caseloads."
BAND_SHARE = 0.05
BAND_MINIMUM = 1.0
# Which way is better, where there is one (None: a higher or lower figure is neither good nor bad).
BETTER: dict[str, str | None] = {
    "cla_31_march": None,
    "cla_starting": None,
    "cla_ceasing": None,
    "three_placements_pct": "lower",
    "long_term_stability_pct": "higher",
    "three_social_workers_pct": "lower",
}
SERIES = ("Council (own data)", "Council (published)", "England", "Region", "Neighbours' median")


@dataclass(frozen=True)
class MeasureComparison:
    """One measure in one year: the council against each comparator."""

    measure: Measure
    year: int  # the comparison's year, or the measure's latest published year before it
    council: float | None  # from the dataset (None when the dataset does not cover the year)
    council_numerator: int | None
    council_denominator: int | None
    published: float | None  # the DfE's published figure for the council
    published_symbol: str | None
    england: float | None
    region: float | None
    neighbours_median: float | None
    neighbours_with_figure: int

    @property
    def shown(self) -> float | None:
        """The council figure compared: its own when the dataset gives one, else the published one."""
        return self.council if self.council is not None else self.published


@dataclass
class Comparison:
    """Everything the "How we compare" panel shows (empty ``measures`` with a ``message`` when nothing can be)."""

    authority_code: str | None
    authority_name: str
    region_name: str | None
    year: int | None
    council_source: str  # "dataset" or "published"
    measures: list[MeasureComparison] = field(default_factory=list)
    neighbours: pl.DataFrame = field(default_factory=pl.DataFrame)  # measure, code, name, value, is_council
    trend: pl.DataFrame = field(default_factory=pl.DataFrame)  # measure, year, series, value
    notes: list[str] = field(default_factory=list)
    message: str | None = None
    warnings: list[str] = field(default_factory=list)  # figures that may not be this council's

    @property
    def year_label(self) -> str:
        return fy_label(self.year - 1) if self.year else ""


def whole(value: float) -> int:
    """Rounded half up to a whole number, as the DfE rounds."""
    return math.floor(value + 0.5)


def position(value: float | None, comparator: float | None) -> str | None:
    """'in line with', 'above' or 'below' (None without both figures), by the documented band."""
    if value is None or comparator is None or math.isnan(value) or math.isnan(comparator):
        return None
    ours, theirs = whole(value), whole(comparator)
    band = max(BAND_MINIMUM, BAND_SHARE * abs(theirs))
    if abs(ours - theirs) <= band:
        return "in line with"
    return "above" if ours > theirs else "below"


def display(value: float | None, measure: Measure) -> str:
    """A figure as the DfE prints it: whole numbers, '%' for percentages."""
    if value is None:
        return "not available"
    return value_text(whole(value), "pct" if measure.unit == "percent" else "count", 0)


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


def _how_we_compare(ds: Dataset, bench: Benchmarks | None, year: int | None) -> Comparison:
    notes = [NO_NATIONAL_FIGURE, ATTRIBUTION]
    if ds.authority is None:  # said before the benchmark files are read (0.1-0.3 s on a first load)
        return Comparison(
            None,
            ds.name,
            None,
            None,
            "dataset",
            notes=notes,
            message="This dataset does not say which council it is, so it cannot be compared with others. "
            "Choose the council when importing (or set la_code_old in dataset.toml).",
        )
    code = ds.authority[0]
    bench = bench or shipped_benchmarks()
    figures = bench.figures
    mine = figures.filter((pl.col("level") == "la") & (pl.col("code") == code))
    if mine.is_empty():
        return Comparison(
            code,
            ds.name,
            None,
            None,
            "dataset",
            notes=notes,
            message=f"The benchmark files hold no figures for authority {code}.",
        )
    name, region_code, region_name = mine.sort("year").select("name", "region_code", "region_name").row(-1)
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
    population = dict(
        mine.filter((pl.col("measure") == "cla_31_march") & pl.col("denominator").is_not_null())
        .select("year", "denominator")
        .iter_rows()
    )
    own = _council_own(ds, covered, population) if covered else pl.DataFrame(schema={"measure": pl.String})
    neighbour_codes = bench.neighbours_of(code)
    if not neighbour_codes:
        notes.append(f"The statistical-neighbour model names no neighbours for authority {code}.")

    measures, ranked, trend = [], [], []
    for measure in MEASURES:
        this = figures.filter(pl.col("measure") == measure.id)
        # A measure published less often (social workers) is shown for its latest year up to ``year``.
        measure_year = this.filter(pl.col("year") <= year)["year"].max()
        if measure_year is None:
            continue
        in_year = this.filter(pl.col("year") == measure_year)
        own_row = own.filter((pl.col("measure") == measure.id) & (pl.col("year") == measure_year)) if covered else own
        own_value = own_row["value"][0] if own_row.height else None
        published = in_year.filter((pl.col("level") == "la") & (pl.col("code") == code))
        pick = {
            lvl: in_year.filter((pl.col("level") == lvl) & (pl.col("code") == c))
            for lvl, c in (("england", "E92000001"), ("region", region_code))
        }
        others = in_year.filter((pl.col("level") == "la") & pl.col("code").is_in(neighbour_codes))
        neighbour_values = others["value"].drop_nulls().to_list()
        measures.append(
            MeasureComparison(
                measure,
                measure_year,
                own_value,
                own_row["numerator"][0] if own_row.height else None,
                own_row["denominator"][0] if own_row.height else None,
                published["value"][0] if published.height else None,
                published["value_symbol"][0] if published.height else None,
                pick["england"]["value"][0] if pick["england"].height else None,
                pick["region"]["value"][0] if pick["region"].height else None,
                _median(neighbour_values),
                len(neighbour_values),
            )
        )
        council_value = own_value if own_value is not None else (published["value"][0] if published.height else None)
        ranked.append(
            pl.concat(
                [
                    others.select("code", "name", "value"),
                    pl.DataFrame(
                        {"code": [code], "name": [name], "value": [council_value]},
                        schema={"code": pl.String, "name": pl.String, "value": pl.Float64},
                    ),
                ]
            ).with_columns(measure=pl.lit(measure.id), is_council=pl.col("code") == code)
        )
        trend.append(_trend(this, measure, code, region_code, neighbour_codes, own))

    neighbours = (
        pl.concat(ranked)
        .select("measure", "code", "name", "value", "is_council")
        .sort("measure", "value", "name", nulls_last=True)
        if ranked
        else pl.DataFrame()
    )
    if region_name in LONDON_SUB_REGIONS:
        notes.insert(0, london_note(name, region_name))
    return Comparison(
        code,
        name,
        region_name,
        year,
        source,
        measures,
        neighbours,
        pl.concat(trend) if trend else pl.DataFrame(),
        notes,
        warnings=plausibility_warnings(code, name, measures),
    )


# --- Does the dataset fit the council it is labelled as? (issue 26 item 9) ----------------------------

LONDON_SUB_REGIONS = ("Inner London", "Outer London")
# A rate from the dataset more than this many times the council's published one (or less than its
# inverse) does not fit: councils' rates move by a few per cent a year, not by a factor of two.
IMPLAUSIBLE_RATIO = 2.0


def london_note(name: str, region_name: str) -> str:
    """The DfE puts each London borough in Inner or Outer London: say so where it is the region."""
    return (
        f"{name} is compared with {region_name}, the DfE's sub-region for London boroughs "
        "(Inner or Outer London), not with London as a whole."
    )


def plausibility_warnings(code: str, name: str, measures: list[MeasureComparison]) -> list[str]:
    """A warning when the dataset's rates do not fit the council's published ones (more than
    IMPLAUSIBLE_RATIO times apart): the data may be another council's, or the code wrong. One
    sentence, naming the measure furthest apart (Kent's data labelled as Rutland: 2,366 per
    10,000 from the data against 40 published is 59 times)."""
    far = [
        (max(m.council / m.published, m.published / m.council), m)
        for m in measures
        if m.measure.unit == "rate" and m.council and m.published and m.council > 0 and m.published > 0
    ]
    far = [(ratio, m) for ratio, m in far if ratio > IMPLAUSIBLE_RATIO]
    if not far:
        return []
    ratio, m = max(far, key=lambda pair: pair[0])
    label = m.measure.label[:1].lower() + m.measure.label[1:]
    return [
        f"These figures may not be {name}'s (authority {code}): {label} is {display(m.council, m.measure)} "
        f"from the dataset against {display(m.published, m.measure)} published for {name} in "
        f"{fy_label(m.year - 1)}, {ratio:,.0f} times apart. Check the council chosen at import."
    ]


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
