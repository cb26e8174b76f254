"""Two periods side by side: change, direction, significance, and why counts changed.

Period A is the base and period B the one compared with it: every change is B minus A (percentage
points for percentages). Methods, in plain words, are in docs/compare.md.

- Significance: for percentages, a two-sided two-proportion z-test (pooled); for rates per 100
  (events per review), the two-sided z-test for two Poisson rates. p < 0.05 reads "likely a real
  change", otherwise "within normal variation". Counts and ratios get no significance call.
- Wilson score intervals (95%) for percentages, in percent.
- Counts that are a volume times a rate are split into a volume effect and a rate effect with the
  symmetric (midpoint) split, so the two effects add up exactly to the change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import polars as pl

from iro_metrics import theme
from iro_metrics.catalogue import DECIMALS, UNIT_LABELS, Catalogue, catalogue_for, load_catalogue
from iro_metrics.codes import COHORT_LABELS, COHORTS, QA_ITEMS
from iro_metrics.dataset import Dataset
from iro_metrics.formatting import interval_expr
from iro_metrics.indicator_registry import qa_indicator_id
from iro_metrics.indicators import compute_indicators
from iro_metrics.judgement import change as judged_change
from iro_metrics.judgement import direction as judged_direction
from iro_metrics.periods import Period
from iro_metrics.selection import Selection, data_periods

SIGNIFICANCE_LEVEL = 0.05
Z_95 = 1.959963984540054  # two-sided 95% normal quantile
REAL_CHANGE = "likely a real change"
NORMAL_VARIATION = "within normal variation"
# Units whose numerator and denominator support a significance call.
PROPORTION_UNITS = ("pct",)
RATE_UNITS = ("per_100",)

Num = TypeVar("Num", float, pl.Expr)


# --- Statistics on plain numbers (and the same formulas on Polars expressions) ---------------------


@dataclass(frozen=True)
class ChangeTest:
    """Result of a two-sample test: B's rate minus A's, the z statistic and the two-sided p-value."""

    difference: float
    z: float
    p_value: float

    @property
    def significance(self) -> str:
        """The call in words a manager understands."""
        return significance_words(self.p_value)


def significance_words(p_value: float) -> str:
    """'likely a real change' when p < 0.05, else 'within normal variation'."""
    return REAL_CHANGE if p_value < SIGNIFICANCE_LEVEL else NORMAL_VARIATION


def _two_sided_p(z: Num) -> Num:
    """Two-sided normal tail probability of |z|: erfc(|z| / sqrt 2)."""
    if isinstance(z, pl.Expr):
        return (z.abs() / math.sqrt(2)).erfc()
    return math.erfc(abs(z) / math.sqrt(2))


def _proportion_se(x1: Num, n1: Num, x2: Num, n2: Num) -> Num:
    pooled = (x1 + x2) / (n1 + n2)
    return (pooled * (1 - pooled) * (1 / n1 + 1 / n2)) ** 0.5


def _rate_se(x1: Num, n1: Num, x2: Num, n2: Num) -> Num:
    pooled = (x1 + x2) / (n1 + n2)
    return (pooled * (1 / n1 + 1 / n2)) ** 0.5


def _wilson_bounds(x: Num, n: Num, z: float) -> tuple[Num, Num]:
    p = x / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half_width = z * (p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5 / denominator
    return centre - half_width, centre + half_width


def _check_counts(x: float, n: float, name: str, proportion: bool) -> None:
    if n < 0 or x < 0:
        raise ValueError(f"{name}: counts cannot be negative (x={x}, n={n})")
    if proportion and x > n:
        raise ValueError(f"{name}: {x} events out of {n} is more than all of them")


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> ChangeTest | None:
    """Two-sided pooled z-test of x1/n1 (period A) against x2/n2 (period B); None if a base is 0.

    When every case (or none) is an event in both periods the rates cannot differ: z = 0, p = 1.
    """
    _check_counts(x1, n1, "period A", proportion=True)
    _check_counts(x2, n2, "period B", proportion=True)
    if n1 == 0 or n2 == 0:
        return None
    difference = x2 / n2 - x1 / n1
    se = _proportion_se(x1, n1, x2, n2)
    z = difference / se if se > 0 else 0.0
    return ChangeTest(difference, z, _two_sided_p(z))


def two_rate_test(x1: float, n1: float, x2: float, n2: float) -> ChangeTest | None:
    """Two-sided z-test for two Poisson rates (x events per n units of exposure); None if n is 0."""
    _check_counts(x1, n1, "period A", proportion=False)
    _check_counts(x2, n2, "period B", proportion=False)
    if n1 == 0 or n2 == 0:
        return None
    difference = x2 / n2 - x1 / n1
    se = _rate_se(x1, n1, x2, n2)
    z = difference / se if se > 0 else 0.0
    return ChangeTest(difference, z, _two_sided_p(z))


def wilson_interval(x: float, n: float, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval for the proportion x/n (as fractions 0-1); None when n is 0."""
    _check_counts(x, n, "interval", proportion=True)
    if n == 0:
        return None
    low, high = _wilson_bounds(float(x), float(n), z)
    return max(0.0, low), min(1.0, high)


# --- Rate x volume decomposition --------------------------------------------------------------------


@dataclass(frozen=True)
class Decomposition:
    """A count's change split into a volume effect and a rate effect (they add up to the change)."""

    count_a: float
    count_b: float
    change: float
    volume_effect: float
    rate_effect: float


def _midpoint_split(volume_a: Num, rate_a: Num, volume_b: Num, rate_b: Num) -> tuple[Num, Num]:
    volume_effect = (volume_b - volume_a) * (rate_a + rate_b) / 2
    rate_effect = (rate_b - rate_a) * (volume_a + volume_b) / 2
    return volume_effect, rate_effect


def decompose_change(volume_a: float, rate_a: float | None, volume_b: float, rate_b: float | None) -> Decomposition:
    """Split count = volume x rate between two periods into volume and rate effects.

    volume effect = (V_B - V_A) x (R_A + R_B) / 2 and rate effect = (R_B - R_A) x (V_A + V_B) / 2,
    which add up exactly to V_B x R_B - V_A x R_A. Rates are per unit of volume (0.2 = 20%).
    A period with no volume has no rate: it takes the other period's rate, so the whole change
    is volume; with no volume in either period everything is zero.
    """
    rate_a = rate_b if rate_a is None else rate_a
    rate_b = rate_a if rate_b is None else rate_b
    if rate_a is None or rate_b is None:
        rate_a = rate_b = 0.0
    volume_effect, rate_effect = _midpoint_split(volume_a, rate_a, volume_b, rate_b)
    count_a, count_b = volume_a * rate_a, volume_b * rate_b
    return Decomposition(count_a, count_b, count_b - count_a, volume_effect, rate_effect)


@dataclass(frozen=True)
class DecomposedCount:
    """A count that is a volume times a rate, read off a rate indicator's numerator and denominator.

    ``complement`` counts the cases *not* in the numerator (for example inadequate grades are all
    grades less the adequate ones).
    """

    count: str
    title: str
    rate_indicator: str
    volume_title: str
    complement: bool = False


DECOMPOSED_COUNTS: tuple[DecomposedCount, ...] = (
    DecomposedCount("late_notifications", "Late notifications", "late_notifications_pct", "Children starting care"),
    DecomposedCount("disputes_formal", "Formal disputes", "disputes_formal_per_100_reviews", "Reviews held"),
    DecomposedCount("disputes_informal", "Informal challenges", "disputes_informal_per_100_reviews", "Reviews held"),
    DecomposedCount(
        "reviews_late", "Reviews not held on time", "reviews_on_time_pct", "Reviews in a period of care", True
    ),
    DecomposedCount("minutes_late", "Review minutes issued late", "minutes_on_time_pct", "Reviews held", True),
    DecomposedCount(
        "reviews_without_participation",
        "Reviews the child did not take part in",
        "participation_pct",
        "Reviews of children aged 4 or over",
        True,
    ),
    *(
        DecomposedCount(
            f"qa_{item}_inadequate",
            f"Inadequate grades: {label.lower()}",
            qa_indicator_id(item, "adequate"),
            f"{label} grades",
            True,
        )
        for item, label in QA_ITEMS.items()
    ),
)


def decomposition_definitions() -> pl.DataFrame:
    """DECOMPOSED_COUNTS as a frame (count, title, rate_indicator, volume_title, complement, order)."""
    return pl.DataFrame(
        {
            "count": [d.count for d in DECOMPOSED_COUNTS],
            "title": [d.title for d in DECOMPOSED_COUNTS],
            "rate_indicator": [d.rate_indicator for d in DECOMPOSED_COUNTS],
            "volume_title": [d.volume_title for d in DECOMPOSED_COUNTS],
            "complement": [d.complement for d in DECOMPOSED_COUNTS],
        }
    ).with_row_index("order")


def decompose_indicator_frames(frame_a: pl.DataFrame, frame_b: pl.DataFrame) -> pl.DataFrame:
    """Decompose every count in DECOMPOSED_COUNTS from two compute_indicators frames.

    Columns: count, title, volume_title, volume_a, volume_b, rate_a, rate_b (per 100 units of
    volume), count_a, count_b, change, volume_effect, rate_effect. Counts whose rate indicator
    is missing or has no volume in either period are left out.
    """
    definitions = decomposition_definitions()

    def side(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return frame.select(
            pl.col("indicator").alias("rate_indicator"),
            pl.col("denominator").cast(pl.Float64).alias(f"volume_{suffix}"),
            pl.col("numerator").cast(pl.Float64).alias(f"numerator_{suffix}"),
        )

    joined = definitions.join(side(frame_a, "a"), on="rate_indicator", how="inner").join(
        side(frame_b, "b"), on="rate_indicator", how="inner"
    )
    counts = {
        s: pl.when(pl.col("complement"))
        .then(pl.col(f"volume_{s}") - pl.col(f"numerator_{s}"))
        .otherwise(pl.col(f"numerator_{s}"))
        for s in ("a", "b")
    }
    raw_rate = {s: pl.when(pl.col(f"volume_{s}") > 0).then(counts[s] / pl.col(f"volume_{s}")) for s in ("a", "b")}
    # A period with no volume borrows the other period's rate (decompose_change's rule).
    rate_a = pl.coalesce(raw_rate["a"], raw_rate["b"], pl.lit(0.0))
    rate_b = pl.coalesce(raw_rate["b"], raw_rate["a"], pl.lit(0.0))
    volume_a = pl.col("volume_a").fill_null(0.0)
    volume_b = pl.col("volume_b").fill_null(0.0)
    volume_effect, rate_effect = _midpoint_split(volume_a, rate_a, volume_b, rate_b)
    return (
        joined.filter((pl.col("volume_a").fill_null(0) > 0) | (pl.col("volume_b").fill_null(0) > 0))
        .with_columns(volume_a.alias("volume_a"), volume_b.alias("volume_b"))
        .with_columns(
            (100 * rate_a).alias("rate_a"),
            (100 * rate_b).alias("rate_b"),
            counts["a"].fill_null(0.0).alias("count_a"),
            counts["b"].fill_null(0.0).alias("count_b"),
            volume_effect.alias("volume_effect"),
            rate_effect.alias("rate_effect"),
        )
        .with_columns((pl.col("count_b") - pl.col("count_a")).alias("change"))
        .sort("order")
        .select(
            "count",
            "title",
            "volume_title",
            "volume_a",
            "volume_b",
            "rate_a",
            "rate_b",
            "count_a",
            "count_b",
            "change",
            "volume_effect",
            "rate_effect",
        )
    )


# --- Indicator frames side by side ----------------------------------------------------------------


def _catalogue_frame(ids: Sequence[str], catalogue: Catalogue) -> pl.DataFrame:
    """indicator, title, unit, polarity for each id, from the catalogue."""
    metas = [catalogue[i] for i in ids]
    return pl.DataFrame(
        {
            "indicator": list(ids),
            "title": [m.title for m in metas],
            "unit": [m.unit for m in metas],
        },
        schema={"indicator": pl.String, "title": pl.String, "unit": pl.String},
    )


def compare_indicator_frames(
    frame_a: pl.DataFrame, frame_b: pl.DataFrame, catalogue: Catalogue | None = None
) -> pl.DataFrame:
    """Compare two compute_indicators frames (period A = base, period B = compared).

    Columns: indicator, title, unit, value_a, value_b, change, relative_change_pct (counts only),
    direction, significance, p_value, numerator_a, denominator_a, numerator_b, denominator_b,
    ci_low_a, ci_high_a, ci_low_b, ci_high_b (Wilson 95%, percent; percentages only).
    Rows keep period B's indicator order, then any indicator only in period A.
    """

    catalogue = catalogue if catalogue is not None else load_catalogue()

    def side(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
        return frame.with_row_index(f"order_{suffix}").select(
            "indicator",
            f"order_{suffix}",
            *(pl.col(c).cast(pl.Float64).alias(f"{c}_{suffix}") for c in ("value", "numerator", "denominator")),
        )

    joined = (
        side(frame_b, "b")
        .join(side(frame_a, "a"), on="indicator", how="full", coalesce=True)
        .sort(pl.col("order_b").is_null(), "order_b", "order_a")
    )
    ids = joined["indicator"].to_list()
    metas = [catalogue[i] for i in ids]
    values_a, values_b = joined["value_a"].to_list(), joined["value_b"].to_list()
    changes = [
        judged_change(m, a, b) if a is not None and b is not None else None
        for m, a, b in zip(metas, values_a, values_b, strict=True)
    ]
    directions = [
        judged_direction(m, a, b) if a is not None and b is not None else None
        for m, a, b in zip(metas, values_a, values_b, strict=True)
    ]
    judged = pl.DataFrame(
        {"indicator": ids, "change": changes, "direction": directions},
        schema={"indicator": pl.String, "change": pl.Float64, "direction": pl.String},
    )
    x1, n1, x2, n2 = (pl.col(c) for c in ("numerator_a", "denominator_a", "numerator_b", "denominator_b"))
    has_counts = x1.is_not_null() & x2.is_not_null() & (n1 > 0) & (n2 > 0)
    is_proportion = pl.col("unit").is_in(PROPORTION_UNITS) & has_counts
    is_rate = pl.col("unit").is_in(RATE_UNITS) & has_counts
    z_prop = (x2 / n2 - x1 / n1) / _proportion_se(x1, n1, x2, n2)
    z_rate = (x2 / n2 - x1 / n1) / _rate_se(x1, n1, x2, n2)
    # A zero standard error (every case or none an event, in both periods) means no difference.
    z = (
        pl.when(is_proportion)
        .then(pl.when(z_prop.is_finite()).then(z_prop).otherwise(0.0))
        .when(is_rate)
        .then(pl.when(z_rate.is_finite()).then(z_rate).otherwise(0.0))
    )
    p_value = _two_sided_p(z)
    low_a, high_a = _wilson_bounds(x1, n1, Z_95)
    low_b, high_b = _wilson_bounds(x2, n2, Z_95)
    pct_a = pl.col("unit").is_in(PROPORTION_UNITS) & x1.is_not_null() & (n1 > 0)
    pct_b = pl.col("unit").is_in(PROPORTION_UNITS) & x2.is_not_null() & (n2 > 0)
    return (
        joined.join(_catalogue_frame(ids, catalogue), on="indicator", how="left")
        .join(judged, on="indicator", how="left")
        .with_columns(p_value.alias("p_value"))
        .with_columns(
            pl.when(pl.col("p_value") < SIGNIFICANCE_LEVEL)
            .then(pl.lit(REAL_CHANGE))
            .when(pl.col("p_value").is_not_null())
            .then(pl.lit(NORMAL_VARIATION))
            .alias("significance"),
            pl.when((pl.col("unit") == "count") & (pl.col("value_a") != 0))
            .then(100 * (pl.col("value_b") - pl.col("value_a")) / pl.col("value_a"))
            .alias("relative_change_pct"),
            pl.when(pct_a).then(100 * low_a.clip(0.0, 1.0)).alias("ci_low_a"),
            pl.when(pct_a).then(100 * high_a.clip(0.0, 1.0)).alias("ci_high_a"),
            pl.when(pct_b).then(100 * low_b.clip(0.0, 1.0)).alias("ci_low_b"),
            pl.when(pct_b).then(100 * high_b.clip(0.0, 1.0)).alias("ci_high_b"),
        )
        .sort(pl.col("order_b").is_null(), "order_b", "order_a")
        .select(
            "indicator",
            "title",
            "unit",
            "value_a",
            "value_b",
            "change",
            "relative_change_pct",
            "direction",
            "significance",
            "p_value",
            "numerator_a",
            "denominator_a",
            "numerator_b",
            "denominator_b",
            "ci_low_a",
            "ci_high_a",
            "ci_low_b",
            "ci_high_b",
        )
    )


# --- Dataset-level functions ----------------------------------------------------------------------


def compare_periods(base: Selection, other: Selection) -> pl.DataFrame:
    """Every indicator for the base selection (period A) and the other (period B, the same areas and
    cohort) side by side; see compare_indicator_frames."""
    return compare_indicator_frames(compute_indicators(base), compute_indicators(other), catalogue_for(base.ds.path))


def count_decompositions(base: Selection, other: Selection) -> pl.DataFrame:
    """Why each rate x volume count changed between period A (base) and B; see decompose_indicator_frames."""
    return decompose_indicator_frames(compute_indicators(base), compute_indicators(other))


def cohort_frames_table(frames: dict[str, pl.DataFrame], catalogue: Catalogue | None = None) -> pl.DataFrame:
    """One row per indicator with value_all, value_uasc, value_citizen from per-cohort frames."""
    catalogue = catalogue if catalogue is not None else load_catalogue()
    table = frames["all"].with_row_index("order").select("order", "indicator", pl.col("value").alias("value_all"))
    for cohort in COHORTS[1:]:
        table = table.join(
            frames[cohort].select("indicator", pl.col("value").alias(f"value_{cohort}")),
            on="indicator",
            how="left",
        )
    ids = table.sort("order")["indicator"].to_list()
    return (
        table.join(_catalogue_frame(ids, catalogue), on="indicator", how="left")
        .sort("order")
        .select("indicator", "title", "unit", *(f"value_{c}" for c in COHORTS))
    )


def cohort_table(selection: Selection) -> pl.DataFrame:
    """Every indicator for all children, UASC and citizen children side by side (the selection's
    period and areas; every cohort whatever the selection's).

    Columns: indicator, title, unit, value_all, value_uasc, value_citizen. Caseloads are
    whole-service figures, as compute_indicators gives them for each cohort.
    """
    frames = {c: compute_indicators(selection.for_cohort(c)) for c in COHORTS}
    return cohort_frames_table(frames, catalogue_for(selection.ds.path))


def available_periods(ds: Dataset) -> list[Period]:
    """Every financial year (newest first), then every quarter (newest first), the data covers."""
    return data_periods(ds, "year")[::-1] + data_periods(ds, "quarter")[::-1]


# --- Tables as the page shows them (rounded for reading; the unrounded frames download too) -----------

DIRECTION_WORDS: dict[str, str] = {
    **{key: f"{mark.symbol} {mark.label}" for key, mark in theme.DIRECTION.items() if key != "no_optimum"},
    # No optimum is said once, in the definitions: "Increased" alone keeps the column narrow.
    "increased": "↗ Increased",
    "decreased": "↘ Decreased",
}
NOT_TESTED = "–"
NO_FIGURE = "no figure to compare"  # a direction when either period has no value (never "None")


def round_by_unit(columns: Sequence[str], unit: str | pl.Expr = "unit") -> list[pl.Expr]:
    """Expressions rounding each column to its row's unit's display decimals (catalogue.DECIMALS)."""
    unit_expr = pl.col(unit) if isinstance(unit, str) else unit
    return [
        pl.coalesce(
            *(pl.when(unit_expr == u).then(pl.col(c).round(d)) for u, d in DECIMALS.items()),
            pl.col(c).round(2),
        ).alias(c)
        for c in columns
    ]


def comparison_table(comparison: pl.DataFrame, label_a: str, label_b: str) -> pl.DataFrame:
    """compare_periods' frame as people read it: values rounded by unit, direction and significance
    in words, Wilson intervals as text. Columns: Indicator, Unit, <label_a>, <label_b>, Change,
    More than chance?, Direction, Change (% of <label_a>), p-value, 95% interval <a>, 95% interval <b>
    (the key columns first, so they fit a narrow screen).

    An indicator with a value in neither period is left out (a table would show it as empty
    cells): ``unvalued_titles`` names them."""
    return (
        comparison.filter(pl.col("value_a").is_not_null() | pl.col("value_b").is_not_null())
        .with_columns(*round_by_unit(["value_a", "value_b", "change"]))
        .with_columns(
            pl.col("unit").replace_strict(UNIT_LABELS, default=pl.col("unit")).alias("unit_label"),
            pl.col("direction").replace_strict(DIRECTION_WORDS, default=pl.col("direction")).fill_null(NO_FIGURE),
            pl.col("relative_change_pct").round(1),
            pl.col("p_value").round(3),
            pl.col("significance").fill_null(NOT_TESTED),
            interval_expr(pl.col("ci_low_a"), pl.col("ci_high_a")).fill_null(NOT_TESTED).alias("interval_a"),
            interval_expr(pl.col("ci_low_b"), pl.col("ci_high_b")).fill_null(NOT_TESTED).alias("interval_b"),
        )
        .select(
            pl.col("title").alias("Indicator"),
            pl.col("unit_label").alias("Unit"),
            pl.col("value_a").alias(label_a),
            pl.col("value_b").alias(label_b),
            pl.col("change").alias("Change"),
            pl.col("significance").alias("More than chance?"),
            pl.col("direction").alias("Direction"),
            pl.col("relative_change_pct").alias(f"Change (% of {label_a})"),
            pl.col("p_value").alias("p-value"),
            pl.col("interval_a").alias(f"95% interval {label_a}"),
            pl.col("interval_b").alias(f"95% interval {label_b}"),
        )
    )


def unvalued_titles(comparison: pl.DataFrame) -> list[str]:
    """The titles of the indicators with a value in neither period (not recorded, or no data)."""
    unvalued = comparison.filter(pl.col("value_a").is_null() & pl.col("value_b").is_null())
    return unvalued.get_column("title").to_list()


def decomposition_table(decompositions: pl.DataFrame, label_a: str, label_b: str) -> pl.DataFrame:
    """count_decompositions' frame as people read it (counts whole, effects and rates to 0.1)."""
    return decompositions.select(
        pl.col("title").alias("Count"),
        pl.col("count_a").round(0).alias(label_a),
        pl.col("count_b").round(0).alias(label_b),
        pl.col("change").round(1).alias("Change"),
        pl.col("volume_effect").round(1).alias("From volume"),
        pl.col("rate_effect").round(1).alias("From rate"),
        pl.col("volume_title").alias("Volume"),
        pl.col("volume_a").round(0).alias(f"Volume {label_a}"),
        pl.col("volume_b").round(0).alias(f"Volume {label_b}"),
        pl.col("rate_a").round(1).alias(f"Rate per 100 {label_a}"),
        pl.col("rate_b").round(1).alias(f"Rate per 100 {label_b}"),
    )


def cohort_display_table(table: pl.DataFrame) -> pl.DataFrame:
    """cohort_table's frame rounded by unit, with the cohorts' labels as headings."""
    return table.with_columns(
        *round_by_unit([f"value_{c}" for c in COHORTS]),
        pl.col("unit").replace_strict(UNIT_LABELS, default=pl.col("unit")),
    ).select(
        pl.col("title").alias("Indicator"),
        pl.col("unit").alias("Unit"),
        *(pl.col(f"value_{c}").alias(COHORT_LABELS[c]) for c in COHORTS),
    )


# --- How far each indicator moved (the Compare page's default chart) ----------------------------------

POINT_UNITS = ("pct", "per_100")  # moved by percentage points (or points per 100 reviews)
SIGNIFICANCE_SHORT = {REAL_CHANGE: "likely real", NORMAL_VARIATION: "within normal variation"}


def change_ranking(comparison: pl.DataFrame) -> pl.DataFrame:
    """compare_periods' frame ordered by how far each indicator moved, for the dumbbell chart.

    Percentages and rates per 100 (``scale`` "points") move by their change in points; counts,
    FTE and caseloads (``scale`` "relative") by their change as a % of period A's value (none when
    A is 0). Within each scale the biggest movement comes first; indicators with no value in
    either period are left out. Adds ``moved`` (the absolute movement), ``scale``, ``rank`` (1 =
    moved most, per scale) and ``significance_short`` ('likely real', 'within normal variation',
    'not tested').
    """
    relative = pl.when(pl.col("value_a") != 0).then(
        100 * (pl.col("value_b") - pl.col("value_a")) / pl.col("value_a").abs()
    )
    return (
        comparison.filter(pl.col("value_a").is_not_null() & pl.col("value_b").is_not_null())
        .with_columns(
            pl.when(pl.col("unit").is_in(POINT_UNITS))
            .then(pl.lit("points"))
            .otherwise(pl.lit("relative"))
            .alias("scale"),
            relative.alias("relative_change_pct"),
            pl.col("significance")
            .replace_strict(SIGNIFICANCE_SHORT, default="not tested", return_dtype=pl.String)
            .alias("significance_short"),
        )
        .with_columns(
            pl.when(pl.col("scale") == "points")
            .then(pl.col("change").abs())
            .otherwise(pl.col("relative_change_pct").abs())
            .alias("moved")
        )
        .sort("scale", pl.col("moved").is_null(), pl.col("moved"), "title", descending=[False, False, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).over("scale").alias("rank"))
    )
