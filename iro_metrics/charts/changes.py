"""Charts for the Compare page: a small waterfall for each count split into volume and rate effects.

Streamlit-free, like every ``iro_metrics.charts`` module; colours come from ``theme``. Steps are told apart by their axis
labels and signed value labels, never by colour alone.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics import theme
from iro_metrics.charts import common
from iro_metrics.formatting import number_text, signed_text

STEP_COLOURS: dict[str, str] = {
    "period": theme.DARK_BLUE,
    "volume": theme.TURQUOISE,
    "rate": theme.ORANGE,
}


def waterfall_steps(decompositions: pl.DataFrame, count: str, period_a: str, period_b: str) -> pl.DataFrame:
    """The four bars of one count's waterfall: period A's count, the volume effect, the rate effect,
    period B's count. Columns: step, kind, meaning, start, end, value, label."""
    row = decompositions.filter(pl.col("count") == count)
    if row.is_empty():
        raise KeyError(f"'{count}' is not among the decomposed counts")
    r = row.row(0, named=True)
    after_volume = r["count_a"] + r["volume_effect"]
    return pl.DataFrame(
        {
            "step": [period_a, "Volume", "Rate", period_b],
            "kind": ["period", "volume", "rate", "period"],
            "meaning": [
                f"{r['title']} in {period_a}",
                f"From the change in {r['volume_title'].lower()}",
                "From the change in rate",
                f"{r['title']} in {period_b}",
            ],
            "start": [0.0, r["count_a"], after_volume, 0.0],
            "end": [r["count_a"], after_volume, r["count_b"], r["count_b"]],
            "value": [r["count_a"], r["volume_effect"], r["rate_effect"], r["count_b"]],
            "label": [
                number_text(r["count_a"]),
                signed_text(r["volume_effect"], 1, minus="-"),
                signed_text(r["rate_effect"], 1, minus="-"),
                number_text(r["count_b"]),
            ],
        },
        schema={
            "step": pl.String,
            "kind": pl.String,
            "meaning": pl.String,
            "start": pl.Float64,
            "end": pl.Float64,
            "value": pl.Float64,
            "label": pl.String,
        },
    )


def decomposition_waterfall(
    decompositions: pl.DataFrame, count: str, period_a: str, period_b: str, *, height: int = 200
) -> alt.TopLevelMixin:
    """A small waterfall: period A's count, + volume effect, + rate effect = period B's count."""
    steps = waterfall_steps(decompositions, count, period_a, period_b)
    row = decompositions.filter(pl.col("count") == count).row(0, named=True)
    title = row["title"]
    order = steps["step"].to_list()
    base = alt.Chart(steps).encode(
        x=alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=140)),
    )
    bars = base.mark_bar(size=34).encode(
        y=alt.Y("start:Q", title="Number", axis=alt.Axis(format=",.0f")),
        y2=alt.Y2("end:Q"),
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=list(STEP_COLOURS), range=list(STEP_COLOURS.values())),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("meaning:N", title="Step"),
            alt.Tooltip("value:Q", title="Number", format=",.1f"),
        ],
    )
    labels = (
        base.mark_text(dy=-6, color=theme.TEXT, fontSize=11)
        .encode(
            y=alt.Y("top:Q"),
            text=alt.Text("label:N"),
        )
        .transform_calculate(top="max(datum.start, datum.end)")
    )
    values = dict(zip(steps["kind"].to_list()[1:3], steps["label"].to_list()[1:3], strict=True))
    description = (
        f"Waterfall chart, {title}: {steps['label'][0]} in {period_a}, "
        f"{values['volume']} from the change in {row['volume_title'].lower()}, "
        f"{values['rate']} from the change in rate, {steps['label'][3]} in {period_b}."
    )
    chart = common.sized(alt.layer(bars, labels), title=title, height=height, width="container")
    return common.finish(chart, description)


# --- How far every indicator moved ------------------------------------------------------------------

SIGNIFICANCE_SHAPES: dict[str, str] = {
    "likely real": "diamond",
    "within normal variation": "circle",
    "not tested": "square",
}


def _dumbbell_labels(ranking: pl.DataFrame) -> pl.DataFrame:
    """Each row's value text ('97.0 → 83.8, −13.3 points, ↓ likely real') so no cue is colour alone."""
    symbols = {k: m.symbol for k, m in theme.DIRECTION.items()}
    texts = []
    for row in ranking.iter_rows(named=True):
        unit = row["unit"]
        decimals = 0 if unit == "count" else 1
        a, b = number_text(row["value_a"], decimals), number_text(row["value_b"], decimals)
        if row["scale"] == "points":
            moved = f"{signed_text(row['change'], 1)} points"
        elif row["relative_change_pct"] is None:
            moved = f"{signed_text(row['change'], decimals)}"
        else:
            moved = f"{signed_text(row['relative_change_pct'], 0)}%"
        symbol = symbols.get(row["direction"] or "", "")
        significance = "" if row["significance_short"] == "not tested" else f", {row['significance_short']}"
        base = f" (base {number_text(row['base'])})" if row.get("small_base") else ""
        texts.append(f"{a} → {b}, {moved} {symbol}{significance}{base}".replace("  ", " "))
    return ranking.with_columns(pl.Series("label", texts, dtype=pl.String))


# The height holds the title, the axis and the legend too (autosize "fit": about 130 px), so it
# is that plus a row's height per indicator: three rows (a 903 alone) no longer overprint.
DUMBBELL_FIXED_HEIGHT = 130
DUMBBELL_ROW_HEIGHT = 16


def _dumbbell_axis(
    rows: pl.DataFrame, label_a: str, label_b: str, scale: str
) -> tuple[pl.DataFrame, str, list[int], list[float]]:
    """The rows with each dumbbell's ends (``x_a``, ``x_b``), and the axis: its title, ticks and domain."""
    if scale == "relative":
        rows = rows.filter(pl.col("relative_change_pct").is_not_null())
        rows = rows.with_columns(pl.lit(0.0).alias("x_a"), pl.col("relative_change_pct").clip(-100, 300).alias("x_b"))
        x_title = f"Change from {label_a} to {label_b}, % of {label_a} (drawn up to +300%)"
        return rows, x_title, list(range(-100, 301, 50)), [-100, 520]
    rows = rows.with_columns(pl.col("value_a").alias("x_a"), pl.col("value_b").alias("x_b"))
    x_title = f"{label_a} (hollow) to {label_b} (filled), % or per 100 reviews"
    # Room to the right of the axis for each row's label (the axis itself stops at 100).
    high = max(100.0, float(rows.select(pl.max_horizontal("x_a", "x_b").max()).item() or 0.0))
    return rows, x_title, list(range(0, int(high) + 1, 10 if high <= 100 else 50)), [0, high * 1.8]


def change_dumbbell(ranking: pl.DataFrame, label_a: str, label_b: str, *, scale: str = "points") -> alt.TopLevelMixin:
    """A dumbbell per indicator, biggest movement at the top (``compare.change_ranking`` rows).

    ``scale`` "points": percentages and rates drawn from their value in A (hollow circle) to B
    (filled mark) on their own axis. ``scale`` "relative": counts, FTE and caseloads drawn from 0
    (A) to their change as a % of A. The B mark's shape says whether the change is likely real
    (diamond), within normal variation (circle) or not tested (square), and each row's label
    repeats the values, the change, the direction symbol and the significance in words.
    """
    rows, x_title, ticks, domain = _dumbbell_axis(
        _dumbbell_labels(ranking.filter(pl.col("scale") == scale)), label_a, label_b, scale
    )
    x_scale = alt.Scale(domain=domain, nice=False)
    order = rows.get_column("title").to_list()
    y = alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    tooltips = [
        alt.Tooltip("title:N", title="Indicator"),
        alt.Tooltip("value_a:Q", title=label_a, format=",.1f"),
        alt.Tooltip("value_b:Q", title=label_b, format=",.1f"),
        alt.Tooltip("change:Q", title="Change", format="+,.1f"),
        alt.Tooltip("significance_short:N", title="More than chance?"),
    ]
    base = alt.Chart(rows).encode(y=y, tooltip=tooltips)
    line = base.mark_rule(color=theme.MUTED_TEXT, strokeWidth=2).encode(
        x=alt.X("x_a:Q", title=x_title, scale=x_scale, axis=alt.Axis(values=ticks)), x2=alt.X2("x_b:Q")
    )
    start = base.mark_point(filled=False, size=60, color=theme.DARK_GREY).encode(x=alt.X("x_a:Q", scale=x_scale))
    end = base.mark_point(filled=True, size=90, color=theme.PRIMARY).encode(
        x=alt.X("x_b:Q", scale=x_scale),
        shape=alt.Shape(
            "significance_short:N",
            title="More than chance?",
            scale=alt.Scale(domain=list(SIGNIFICANCE_SHAPES), range=list(SIGNIFICANCE_SHAPES.values())),
            legend=alt.Legend(orient="bottom", direction="horizontal"),
        ),
    )
    text = (
        base.mark_text(align="left", dx=8, fontSize=11, color=theme.TEXT)
        .encode(x=alt.X("max_x:Q", scale=x_scale), text=alt.Text("label:N"))
        .transform_calculate(max_x="max(datum.x_a, datum.x_b)")
    )
    top = "; ".join(f"{t}: {lab}" for t, lab in rows.head(5).select("title", "label").iter_rows())
    kind = "percentages and rates" if scale == "points" else "counts, staffing and caseloads"
    description = (
        f"Dumbbell chart of how far each of {rows.height} {kind} moved from {label_a} to {label_b}, "
        f"biggest movement first. {top}."
    )
    chart = common.sized(
        alt.layer(line, start, end, text),
        title=f"How far each moved: {kind}",
        height=DUMBBELL_FIXED_HEIGHT + DUMBBELL_ROW_HEIGHT * rows.height,
        width="container",
    )
    return common.finish(chart, description)
