"""The council paper's "How we compare" paragraph: the council against England, its region and its
statistical neighbours on the DfE's published measures (``iro_metrics.benchmarks.compare``).

The paragraph's words come from the numbers (``how_we_compare_paragraph``). It is given only for
a whole-council paper of all children, and only when the dataset names its council and covers a
year the DfE's files cover (the council's own figures, not the published ones); otherwise the
paper leaves it out. The DfE attribution goes in the paper's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iro_metrics.dataset import Dataset
from iro_metrics.periods import fy_label

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


def how_we_compare_for_paper(ds: Dataset) -> HowWeCompare | None:
    """The paper's "How we compare" paragraph, or None when the dataset's council is unknown, the
    benchmarks hold no figures for it, or the dataset covers no benchmark year. Kept with the
    dataset (it does not depend on the paper's period) until the benchmark files change."""
    from iro_metrics.benchmarks.compare import shipped_benchmarks

    cache = ds.memo.how_we_compare
    bench = shipped_benchmarks() if ds.authority is not None else None
    # The benchmarks are read again (a new object) whenever their files change.
    if "value" not in cache or cache.get("bench") is not bench:
        cache.update(bench=bench, value=_build(ds, bench))
    return cache["value"]


def _build(ds: Dataset, bench) -> HowWeCompare | None:
    if ds.authority is None or bench is None:
        return None
    from iro_metrics.benchmarks.compare import display, how_we_compare, how_we_compare_paragraph
    from iro_metrics.benchmarks.store import ATTRIBUTION

    comparison = how_we_compare(ds, bench)
    if comparison.message or comparison.council_source != "dataset" or not comparison.measures:
        return None
    paragraph = " ".join(how_we_compare_paragraph(comparison).replace(ATTRIBUTION, "").split())
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
