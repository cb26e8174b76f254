"""What "How we compare" holds: one measure's comparison (``MeasureComparison``) and the whole
comparison (``Comparison``), the band that says whether the council is in line with a comparator,
figures as the DfE prints them, and whether the dataset's figures fit the council it is labelled as.

The band: the council is **in line with** a comparator when the two differ by no more than 5% of
the comparator's value or by 1 (one per 10,000 for rates, one percentage point for percentages),
whichever is larger; otherwise it is **above** or **below** it. Both figures are first rounded to
whole numbers, as the DfE publishes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from iro_metrics.benchmarks.read import Measure
from iro_metrics.formatting import value_text
from iro_metrics.periods import fy_label

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
