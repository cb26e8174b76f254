"""Charts of a grid of counts or shares: QA grades per item (100% stacked) and disputes by category and level."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import polars as pl

from iro_metrics import codes, theme
from iro_metrics.charts import common
from iro_metrics.formatting import number_text, value_text

GRADE_COLOURS: dict[str, str] = {
    "outstanding": theme.DARK_BLUE,
    "good": theme.TURQUOISE,
    "requires_improvement": theme.ORANGE,
    "inadequate": theme.DARK_PINK,
}


def grade_mix_chart(
    mix: pl.DataFrame, *, title: str = "Grades by item", items: Sequence[str] | None = None
) -> alt.TopLevelMixin:
    """100% stacked bars of grades per QA item (columns ``item``, ``grade``, ``count``, ``pct``)."""
    present = set(mix.get_column("item").to_list())
    item_order = [i for i in (items or codes.QA_ITEMS) if i in present]
    frame = mix.filter(pl.col("item").is_in(item_order)).with_columns(
        item_label=pl.col("item").replace_strict(codes.QA_ITEMS, default=pl.col("item")),
        grade_label=pl.col("grade").cast(pl.String).replace_strict(codes.QA_GRADES, default=pl.col("grade")),
        grade_rank=pl.col("grade")
        .cast(pl.String)
        .replace_strict({g: i for i, g in enumerate(codes.QA_GRADE_ORDER)}, default=9, return_dtype=pl.Int32),
    )
    grade_labels = [codes.QA_GRADES[g] for g in codes.QA_GRADE_ORDER]
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "item_label:N",
                sort=[codes.QA_ITEMS[i] for i in item_order],
                title="Item graded",
                axis=alt.Axis(labelLimit=260),
            ),
            x=alt.X("pct:Q", stack="normalize", title="Share of grades", axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "grade_label:N",
                sort=grade_labels,
                title="Grade",
                scale=alt.Scale(domain=grade_labels, range=[GRADE_COLOURS[g] for g in codes.QA_GRADE_ORDER]),
            ),
            order=alt.Order("grade_rank:Q"),
            tooltip=[
                alt.Tooltip("item_label:N", title="Item"),
                alt.Tooltip("grade_label:N", title="Grade"),
                alt.Tooltip("count:Q", title="Grades", format=",.0f"),
                alt.Tooltip("pct:Q", title="% of this item's grades", format=".1f"),
            ],
        )
    )
    adequate = (
        frame.group_by("item")
        .agg(
            adequate=pl.col("count").filter(pl.col("grade").cast(pl.String) != "inadequate").sum(),
            total=pl.col("count").sum(),
        )
        .sort("item")
    )
    parts = [
        f"{codes.QA_ITEMS.get(r['item'], r['item'])} {value_text(100 * r['adequate'] / r['total'], 'pct')} adequate or better"
        for r in adequate.iter_rows(named=True)
        if r["total"]
    ]
    description = f"Stacked bar chart, {title}, outstanding to inadequate: " + "; ".join(parts) + "."
    sized = common.sized(chart, title=title, height=26 * max(len(item_order), 1), width="container")
    return common.finish(sized, description)


def dispute_heatmap(
    table: pl.DataFrame, *, title: str = "Formal disputes by category and highest level"
) -> alt.TopLevelMixin:
    """Category x highest-level heatmap of formal disputes (columns ``category``, ``level``, ``count``)."""
    frame = table.with_columns(
        category_label=pl.col("category").replace_strict(codes.DISPUTE_CATEGORIES, default=pl.col("category")),
        level_label=pl.format(
            "{}: {}",
            pl.col("level"),
            pl.col("level").replace_strict(codes.DISPUTE_LEVELS, default=pl.col("level").cast(pl.String)),
        ),
    )
    category_order = [codes.DISPUTE_CATEGORIES[c] for c in codes.DISPUTE_CATEGORIES]
    max_count = float(frame.get_column("count").max() or 0)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "level:O",
            sort=list(codes.DISPUTE_LEVELS),
            title="Highest level reached (1 team manager, 2 service manager, 3 AD, 4 director, 5 beyond)",
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("category_label:N", sort=category_order, title="Category", axis=alt.Axis(labelLimit=240)),
        tooltip=[
            alt.Tooltip("category_label:N", title="Category"),
            alt.Tooltip("level_label:N", title="Highest level"),
            alt.Tooltip("count:Q", title="Formal disputes", format=",.0f"),
        ],
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "count:Q",
            title="Formal disputes",
            scale=alt.Scale(range=list(theme.SEQUENTIAL), domain=[0, max(max_count, 1.0)]),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q", format=",.0f"),
        color=common.colour_if(alt.datum.count > max_count / 2, "white", theme.TEXT),
    )
    # Ties in their name's order: a group_by keeps no order, and the alt text changed between reruns.
    totals = (
        frame.group_by("category_label")
        .agg(pl.col("count").sum())
        .sort(["count", "category_label"], descending=[True, False])
    )
    top = [
        f"{r['category_label']} {number_text(r['count'])}" for r in totals.head(3).iter_rows(named=True) if r["count"]
    ]
    by_level = frame.group_by("level").agg(pl.col("count").sum()).sort("level")
    levels = ", ".join(f"level {r['level']} {number_text(r['count'])}" for r in by_level.iter_rows(named=True))
    description = f"Heatmap, {title}, {number_text(frame.get_column('count').sum())} in all; by level: {levels}. " + (
        f"Most common categories: {'; '.join(top)}." if top else ""
    )
    chart = common.sized(alt.layer(rect, text), title=title, height=22 * len(category_order), width="container")
    return common.finish(chart, description)
