"""Charts for the Compare page: a small waterfall for each count split into volume and rate effects.

Streamlit-free, like ``charts``; colours come from ``theme``. Steps are told apart by their axis
labels and signed value labels, never by colour alone.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics import theme

STEP_COLOURS: dict[str, str] = {
    "period": theme.DARK_BLUE,
    "volume": theme.TURQUOISE,
    "rate": theme.ORANGE,
}


def _signed(value: float) -> str:
    return f"{value:+,.1f}"


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
                f"{r['count_a']:,.0f}",
                _signed(r["volume_effect"]),
                _signed(r["rate_effect"]),
                f"{r['count_b']:,.0f}",
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
        y2="end:Q",
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
            text="label:N",
        )
        .transform_calculate(top="max(datum.start, datum.end)")
    )
    values = dict(zip(steps["kind"].to_list()[1:3], steps["label"].to_list()[1:3], strict=True))
    description = (
        f"Waterfall chart, {title}: {steps['label'][0]} in {period_a}, "
        f"{values['volume']} from the change in {row['volume_title'].lower()}, "
        f"{values['rate']} from the change in rate, {steps['label'][3]} in {period_b}."
    )
    chart = alt.layer(bars, labels).properties(title=title, height=height, width="container")
    return chart.properties(description=description).configure(**theme.altair_config())
