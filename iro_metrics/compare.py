"""Two periods side by side: change, direction, significance, and why counts changed.

Period A is the base and period B the one compared with it: every change is B minus A (percentage
points for percentages). Methods, in plain words, are in docs/compare.md.

- Significance (``significance.py``): percentages and rates per 100 reviews get a z-test and
  Wilson intervals; counts and ratios get no significance call.
- Why counts changed (``decomposition.py``): a volume effect and a rate effect that add up exactly
  to the change.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from iro_metrics import theme
from iro_metrics.catalogue import DECIMALS, UNIT_LABELS, Catalogue, catalogue_for, load_catalogue
from iro_metrics.codes import COHORT_LABELS, COHORTS
from iro_metrics.dataset import Dataset
from iro_metrics.decomposition import decompose_indicator_frames
from iro_metrics.formatting import in_sentence, interval_expr, number_text, signed_text, value_text
from iro_metrics.indicators import compute_indicators
from iro_metrics.judgement import change as judged_change
from iro_metrics.judgement import direction as judged_direction
from iro_metrics.periods import Period
from iro_metrics.selection import Selection, data_periods
from iro_metrics.significance import (
    NORMAL_VARIATION,
    PROPORTION_UNITS,
    RATE_UNITS,
    REAL_CHANGE,
    SIGNIFICANCE_LEVEL,
    Z_95,
    proportion_se,
    rate_se,
    two_sided_p,
    wilson_bounds,
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
    joined = (
        _side(frame_b, "b")
        .join(_side(frame_a, "a"), on="indicator", how="full", coalesce=True)
        .sort(pl.col("order_b").is_null(), "order_b", "order_a")
    )
    ids = joined["indicator"].to_list()
    return (
        joined.join(_catalogue_frame(ids, catalogue), on="indicator", how="left")
        .join(_judged(joined, catalogue), on="indicator", how="left")
        .with_columns(_p_value().alias("p_value"))
        .with_columns(
            pl.when(pl.col("p_value") < SIGNIFICANCE_LEVEL)
            .then(pl.lit(REAL_CHANGE))
            .when(pl.col("p_value").is_not_null())
            .then(pl.lit(NORMAL_VARIATION))
            .alias("significance"),
            pl.when((pl.col("unit") == "count") & (pl.col("value_a") != 0))
            .then(100 * (pl.col("value_b") - pl.col("value_a")) / pl.col("value_a"))
            .alias("relative_change_pct"),
            *_intervals("a"),
            *_intervals("b"),
        )
        .sort(pl.col("order_b").is_null(), "order_b", "order_a")
        .select(_COMPARISON_COLUMNS)
    )


_COMPARISON_COLUMNS = (
    *("indicator", "title", "unit", "value_a", "value_b", "change", "relative_change_pct", "direction"),
    *("significance", "p_value", "numerator_a", "denominator_a", "numerator_b", "denominator_b"),
    *("ci_low_a", "ci_high_a", "ci_low_b", "ci_high_b"),
)


def _side(frame: pl.DataFrame, suffix: str) -> pl.DataFrame:
    """One period's frame: its row order, and its value, numerator and denominator named for it."""
    return frame.with_row_index(f"order_{suffix}").select(
        "indicator",
        f"order_{suffix}",
        *(pl.col(c).cast(pl.Float64).alias(f"{c}_{suffix}") for c in ("value", "numerator", "denominator")),
    )


def _judged(joined: pl.DataFrame, catalogue: Catalogue) -> pl.DataFrame:
    """indicator, change and direction, judged by each indicator's catalogue entry (None without both values)."""
    ids = joined["indicator"].to_list()
    metas = [catalogue[i] for i in ids]
    pairs = list(zip(metas, joined["value_a"].to_list(), joined["value_b"].to_list(), strict=True))
    changes = [judged_change(m, a, b) if a is not None and b is not None else None for m, a, b in pairs]
    directions = [judged_direction(m, a, b) if a is not None and b is not None else None for m, a, b in pairs]
    return pl.DataFrame(
        {"indicator": ids, "change": changes, "direction": directions},
        schema={"indicator": pl.String, "change": pl.Float64, "direction": pl.String},
    )


def _p_value() -> pl.Expr:
    """The two-sided p-value of each percentage's (z-test of proportions) or rate's change; null for the rest."""
    x1, n1, x2, n2 = (pl.col(c) for c in ("numerator_a", "denominator_a", "numerator_b", "denominator_b"))
    has_counts = x1.is_not_null() & x2.is_not_null() & (n1 > 0) & (n2 > 0)
    z_prop = (x2 / n2 - x1 / n1) / proportion_se(x1, n1, x2, n2)
    z_rate = (x2 / n2 - x1 / n1) / rate_se(x1, n1, x2, n2)
    # A zero standard error (every case or none an event, in both periods) means no difference.
    z = (
        pl.when(pl.col("unit").is_in(PROPORTION_UNITS) & has_counts)
        .then(pl.when(z_prop.is_finite()).then(z_prop).otherwise(0.0))
        .when(pl.col("unit").is_in(RATE_UNITS) & has_counts)
        .then(pl.when(z_rate.is_finite()).then(z_rate).otherwise(0.0))
    )
    return two_sided_p(z)


def _intervals(suffix: str) -> tuple[pl.Expr, pl.Expr]:
    """ci_low_<suffix> and ci_high_<suffix>: a percentage's Wilson 95% interval, in percent."""
    x, n = pl.col(f"numerator_{suffix}"), pl.col(f"denominator_{suffix}")
    low, high = wilson_bounds(x, n, Z_95)
    is_pct = pl.col("unit").is_in(PROPORTION_UNITS) & x.is_not_null() & (n > 0)
    return (
        pl.when(is_pct).then(100 * low.clip(0.0, 1.0)).alias(f"ci_low_{suffix}"),
        pl.when(is_pct).then(100 * high.clip(0.0, 1.0)).alias(f"ci_high_{suffix}"),
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


SCREEN_COLUMNS = ("Indicator", "Change", "More than chance?", "Direction")


def comparison_screen_table(comparison: pl.DataFrame, label_a: str, label_b: str) -> pl.DataFrame:
    """The key columns of ``comparison_table`` as text, for a screen: each value at its unit's
    precision with thousands separators, the change signed ('+32.0', '−17'), and '–' where a
    period has no figure (never 'None'). Columns: Indicator, <label_a>, <label_b>, Change, More
    than chance?, Direction (the CSV download keeps ``comparison_table``'s numbers and the rest)."""
    valued = comparison.filter(pl.col("value_a").is_not_null() | pl.col("value_b").is_not_null())
    units = valued.get_column("unit").to_list()
    table = comparison_table(comparison, label_a, label_b)
    return table.with_columns(
        _unit_texts(valued.get_column("value_a"), units, fallback=2).alias(label_a),
        _unit_texts(valued.get_column("value_b"), units, fallback=2).alias(label_b),
        _unit_texts(valued.get_column("change"), units, fallback=2, signed=True).alias("Change"),
    ).select("Indicator", label_a, label_b, *SCREEN_COLUMNS[1:])


def _unit_texts(
    values: pl.Series, units: Sequence[str], *, fallback: int | None = None, signed: bool = False
) -> pl.Series:
    """Each value as text at its unit's precision (``fallback`` decimals for a unit without one),
    signed for a change, '–' for none: a screen's table cells (Polars has no thousands separator)."""
    out = []
    for value, unit in zip(values.to_list(), units, strict=True):
        decimals = DECIMALS.get(unit, fallback)
        if value is None:
            out.append(NOT_TESTED)
        elif signed:
            out.append(signed_text(value, decimals if decimals is not None else 2))
        else:
            out.append(value_text(value, unit, decimals, with_unit=False))
    return pl.Series(out, dtype=pl.String)


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
    """cohort_table's frame as people read it: each value as text at its unit's precision with
    thousands separators ('1,842', '60.0'), '–' where a cohort has no figure (never 'None'), and
    the cohorts' labels as headings."""
    units = table.get_column("unit").to_list()
    texts = {c: _unit_texts(table.get_column(f"value_{c}"), units) for c in COHORTS}
    return table.with_columns(pl.col("unit").replace_strict(UNIT_LABELS, default=pl.col("unit"))).select(
        pl.col("title").alias("Indicator"),
        pl.col("unit").alias("Unit"),
        *(texts[c].alias(COHORT_LABELS[c]) for c in COHORTS),
    )


# --- How far each indicator moved (the Compare page's default chart) ----------------------------------

POINT_UNITS = ("pct", "per_100")  # moved by percentage points (or points per 100 reviews)
SMALL_BASE = 20  # a change on fewer cases than this is shown with its base and never leads (issue 26)
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
        .with_columns(_change_base(comparison).alias("base"))
        .with_columns(
            (pl.col("base") < SMALL_BASE).fill_null(False).alias("small_base"),
            pl.when(pl.col("significance") == REAL_CHANGE).then(0).otherwise(1).alias("_significance_order"),
        )
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
        .sort(
            "scale",
            "small_base",
            "_significance_order",
            pl.col("moved").is_null(),
            pl.col("moved"),
            "title",
            descending=[False, False, False, False, True, False],
        )
        .drop("_significance_order")
        .with_columns(pl.int_range(1, pl.len() + 1).over("scale").alias("rank"))
    )


def _change_base(comparison: pl.DataFrame) -> pl.Expr:
    """The base a change stands on: for a percentage or rate, the smaller period's denominator
    (children, reviews, responses); for a count, period A's count itself."""
    has_denominators = {"denominator_a", "denominator_b"} <= set(comparison.columns)
    denominator_base = (
        pl.min_horizontal("denominator_a", "denominator_b") if has_denominators else pl.lit(None, pl.Float64)
    )
    return (
        pl.when(pl.col("unit").is_in(POINT_UNITS))
        .then(denominator_base)
        .when(pl.col("unit") == "count")
        .then(pl.col("value_a").abs())
        .cast(pl.Float64)
    )


def _base_words(row: dict) -> str:
    """'on a base of 7' for a change on a small base, else ''."""
    return f" on a base of {number_text(row['base'])}" if row.get("small_base") else ""


def two_periods_summary(ranking: pl.DataFrame, label_a: str, label_b: str) -> str:
    """The side-by-side answer in one sentence, from ``change_ranking``'s frame: how many
    percentages and rates changed by more than chance, and the change that leads (likely real
    first, then the biggest move; never one on a base under SMALL_BASE while another is left).

    'Of 12 percentages and rates, 2 changed by more than chance from 2014-15 to 2015-16; the
    biggest: reviews on time, 97.0 → 83.8 (−13.2 points).'
    """
    points = ranking.filter(pl.col("scale") == "points")
    counts = ranking.filter(pl.col("scale") == "relative")
    if points.is_empty() and counts.is_empty():
        return f"No indicator has a figure in both {label_a} and {label_b}, so nothing can be compared."
    if points.is_empty():
        lead = counts.row(0, named=True)
        change = number_text(lead["relative_change_pct"], 0) if lead["relative_change_pct"] is not None else None
        moved = f"{'+' if (lead['change'] or 0) > 0 else ''}{change}%" if change is not None else "new"
        return (
            f"Only counts and staffing have a figure in both {label_a} and {label_b}; the biggest move: "
            f"{in_sentence(lead['title'])}, {number_text(lead['value_a'])} → {number_text(lead['value_b'])} "
            f"({moved}){_base_words(lead)}."
        )
    real = points.filter(pl.col("significance") == REAL_CHANGE).height
    lead = points.row(0, named=True)
    decimals = DECIMALS.get(lead["unit"], 1) or 1
    how = "likely real" if lead["significance"] == REAL_CHANGE else "within normal variation"
    moved = f"{signed_text(lead['change'], 1)} points, {how}"
    if real == 0:
        opening = (
            f"Of {points.height} percentages and rates, none changed by more than chance from {label_a} to {label_b}"
        )
        biggest = "the biggest move"
    else:
        opening = (
            f"Of {points.height} percentages and rates, {real} changed by more than chance from {label_a} to {label_b}"
        )
        biggest = "the biggest"
    return (
        f"{opening}; {biggest}: {in_sentence(lead['title'])}, {number_text(lead['value_a'], decimals)} → "
        f"{number_text(lead['value_b'], decimals)} ({moved}){_base_words(lead)}."
    )
