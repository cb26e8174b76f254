"""Charts that open the what-if answers: a scenario's caseload against now and the guideline, and
this period's counts against the earlier period's rate.

Streamlit-free, like every ``iro_metrics.charts`` module; colours come from ``theme``. Every bar
carries its value as text, so no cue is colour alone.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from iro_metrics import theme
from iro_metrics.charts import common
from iro_metrics.formatting import fte_text, number_text

BAR_COLOURS = {"Now": theme.DARK_GREY, "Scenario": theme.PRIMARY}


def caseload_labels(caseloads: pl.DataFrame) -> pl.DataFrame:
    """``whatif.caseload_comparison``'s rows with a label: '83.7 (1,842 children, 22 FTE)', or
    'no FTE recorded' where a caseload cannot be worked out."""
    texts = [
        f"{number_text(r['caseload'], 1)} ({number_text(r['children'])} children, {fte_text(r['fte'])} FTE)"
        if r["caseload"] is not None
        else "no FTE recorded"
        for r in caseloads.iter_rows(named=True)
    ]
    return caseloads.with_columns(pl.Series("label", texts, dtype=pl.String), pl.col("caseload").fill_null(0.0))


def caseload_chart(caseloads: pl.DataFrame, target_caseload: float, *, title: str) -> alt.TopLevelMixin:
    """Two bars (now, the scenario) of children per FTE IRO, with the guideline as a labelled rule."""
    rows = caseload_labels(caseloads)
    high = max(float(rows["caseload"].max() or 0.0), target_caseload)
    x_scale = alt.Scale(domain=[0, high * 1.6], nice=False)  # room for each bar's label
    y = alt.Y("bar:N", sort=list(BAR_COLOURS), title=None, axis=alt.Axis(labelLimit=120))
    base = alt.Chart(rows).encode(y=y)
    bars = base.mark_bar(size=26).encode(
        x=alt.X("caseload:Q", title="Children per FTE IRO", scale=x_scale),
        color=alt.Color(
            "bar:N", scale=alt.Scale(domain=list(BAR_COLOURS), range=list(BAR_COLOURS.values())), legend=None
        ),
        tooltip=[alt.Tooltip("bar:N", title=" "), alt.Tooltip("label:N", title="Children per FTE IRO")],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=12, color=theme.TEXT).encode(
        x=alt.X("caseload:Q", scale=x_scale), text=alt.Text("label:N")
    )
    target_words = (
        f"Guideline {fte_text(target_caseload)}" if target_caseload == 70 else (f"Target {fte_text(target_caseload)}")
    )
    guide = pl.DataFrame({"target": [float(target_caseload)], "label": [target_words]})
    rule = (
        alt.Chart(guide)
        .mark_rule(color=theme.ORANGE, strokeDash=[6, 3], strokeWidth=2)
        .encode(x=alt.X("target:Q", scale=x_scale))
    )
    rule_label = (
        alt.Chart(guide)
        .mark_text(align="left", dx=4, dy=-4, baseline="bottom", color=theme.TEXT)
        .encode(x=alt.X("target:Q", scale=x_scale), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    parts = "; ".join(f"{r['bar']}: {r['label']}" for r in rows.iter_rows(named=True))
    description = f"Bar chart of children per FTE IRO. {parts}; {target_words.lower()} children per FTE."
    chart = common.sized(alt.layer(bars, labels, rule, rule_label), title=title, height=130, width="container")
    return common.finish(chart, description)


def at_earlier_rate_rows(at_rate: pl.DataFrame, period_a: str) -> pl.DataFrame:
    """``whatif.at_earlier_rate_from``'s counts that have an earlier rate, biggest gap first, with
    ``gap`` (actual minus at the earlier rate, as the whole numbers shown) and a label
    ('180 against 144 at 2014-15's rate, +36')."""
    rated = (
        at_rate.filter(pl.col("at_earlier_rate").is_not_null())
        .with_columns(
            (pl.col("actual_b") + 0.5).floor().alias("actual"),
            (pl.col("at_earlier_rate") + 0.5).floor().alias("would"),
        )
        .with_columns((pl.col("actual") - pl.col("would")).alias("gap"))
    )
    rated = rated.sort(pl.col("gap").abs(), "title", descending=[True, False])
    texts = [
        f"{number_text(r['actual'])} against {number_text(r['would'])} at {period_a}'s rate, "
        + (f"+{number_text(r['gap'])}" if r["gap"] > 0 else ("−" + number_text(-r["gap"]) if r["gap"] < 0 else "same"))
        for r in rated.iter_rows(named=True)
    ]
    return rated.with_columns(pl.Series("label", texts, dtype=pl.String))


def at_earlier_rate_chart(at_rate: pl.DataFrame, period_a: str, period_b: str) -> alt.TopLevelMixin:
    """One bar per count: how many more (right) or fewer (left) period B had than period A's rate
    would give, biggest gap at the top, each bar labelled with both counts."""
    rows = at_earlier_rate_rows(at_rate, period_a)
    order = rows.get_column("title").to_list()
    reach = float(rows.select(pl.col("gap").abs().max()).item() or 1.0)
    x_scale = alt.Scale(domain=[-reach * 1.1, reach * 2.6], nice=False)
    base = alt.Chart(rows).encode(y=alt.Y("title:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_bar(size=14).encode(
        x=alt.X("gap:Q", title=f"{period_b} minus the count at {period_a}'s rate", scale=x_scale),
        color=common.colour_if("datum.gap >= 0", theme.PRIMARY, theme.TURQUOISE),
        tooltip=[alt.Tooltip("title:N", title="Count"), alt.Tooltip("label:N", title=period_b)],
    )
    zero = alt.Chart(pl.DataFrame({"x": [0.0]})).mark_rule(color=theme.TEXT).encode(x=alt.X("x:Q", scale=x_scale))
    labels = (
        base.mark_text(align="left", dx=6, fontSize=11, color=theme.TEXT)
        .encode(x=alt.X("end:Q", scale=x_scale), text=alt.Text("label:N"))
        .transform_calculate(end="max(datum.gap, 0)")
    )
    top = "; ".join(f"{t}: {lab}" for t, lab in rows.head(5).select("title", "label").iter_rows())
    description = (
        f"Bar chart of {rows.height} counts in {period_b} against {period_a}'s rate, biggest gap first. {top}."
    )
    chart = common.sized(
        alt.layer(bars, zero, labels),
        title=f"{period_b}'s counts against {period_a}'s rate",
        height=90 + 22 * rows.height,
        width="container",
    )
    return common.finish(chart, description)
