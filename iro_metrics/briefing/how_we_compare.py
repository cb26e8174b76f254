"""The council paper's "How we compare" paragraph: the council against England, its region and its
statistical neighbours on the DfE's published measures (``iro_metrics.benchmarks.compare``).

The paragraph's words come from the numbers (``how_we_compare_paragraph``). It is given only for
a whole-council paper of all children, for the DfE year of the paper's period (or, before the
DfE's figures start, a sentence saying so), and only when the dataset names its council; a
synthetic dataset's council figures are called synthetic. The DfE attribution goes in the paper's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from iro_metrics.benchmarks.compare import display, how_we_compare, how_we_compare_paragraph, shipped_benchmarks
from iro_metrics.benchmarks.store import ATTRIBUTION
from iro_metrics.dataset import Dataset
from iro_metrics.periods import Period, fy_label

SECTION_TITLE = "How we compare"
SERIES: tuple[tuple[str, str], ...] = (
    ("council", "shown"),
    ("england", "england"),
    ("region", "region"),
    ("neighbours_median", "neighbours_median"),
)


@dataclass
class HowWeCompare:
    """The paragraph, the attribution for the notes and the figures the paragraph prints
    (indicator, measure, shown) for the paper's CSV."""

    paragraph: str
    attribution: str
    figures: list[tuple[str, str, str]] = field(default_factory=list)


def dfe_year(period: Period) -> int:
    """The DfE reporting year (its end year, as the benchmark files count them) of a paper's period."""
    return period.fy + 1


def how_we_compare_for_paper(ds: Dataset, period: Period) -> HowWeCompare | None:
    """The paper's "How we compare" paragraph for the DfE year of the paper's period, or None when
    the dataset's council is unknown or the benchmarks hold no figures for it. A period before the
    DfE's figures start gets a paragraph saying so; one after the latest published year compares
    that latest year and says which it is. Kept with the dataset, by year, until the benchmark
    files change."""
    cache = ds.memo.how_we_compare
    bench = shipped_benchmarks() if ds.authority is not None else None
    # The benchmarks are read again (a new object) whenever their files change.
    if cache.get("bench") is not bench:
        cache.clear()
        cache["bench"] = bench
    year = dfe_year(period)
    if year not in cache:
        cache[year] = _build(ds, bench, year)
    return cache[year]


def _build(ds: Dataset, bench, wanted: int) -> HowWeCompare | None:
    if ds.authority is None or bench is None:
        return None
    code = ds.authority[0]
    published = sorted(
        bench.figures.filter((pl.col("level") == "la") & (pl.col("code") == code))["year"].unique().to_list()
    )
    if not published:
        return None
    first, last = published[0], published[-1]
    if wanted < first:
        paragraph = (
            f"The DfE's comparable figures for councils start in {fy_label(first - 1)}, so this paper for "
            f"{fy_label(wanted - 1)} has no comparison with England, the region or statistical neighbours."
        )
        return HowWeCompare(paragraph, ATTRIBUTION)
    year = min(wanted, last)
    comparison = how_we_compare(ds, bench, year)
    if comparison.message or not comparison.measures:
        return None
    paragraph = " ".join(how_we_compare_paragraph(comparison).replace(ATTRIBUTION, "").split())
    if ds.is_synthetic and comparison.council_source == "dataset":
        name = comparison.authority_name
        paragraph = paragraph.replace(
            "from the council's own data",
            f"from the synthetic dataset (made-up figures, not {name}'s real ones)",
        )
    if year != wanted:
        paragraph = (
            f"The DfE has not yet published figures for {fy_label(wanted - 1)}; the latest are for "
            f"{fy_label(year - 1)}. {paragraph}"
        )
    figures = []
    for row in comparison.measures:
        for measure, attribute in SERIES:
            value = getattr(row, attribute)
            if value is not None:
                figures.append(
                    (
                        f"how_we_compare_{row.measure.id}",
                        f"{measure};year={fy_label(row.year - 1)}",
                        display(value, row.measure),
                    )
                )
    return HowWeCompare(paragraph, ATTRIBUTION, figures)
