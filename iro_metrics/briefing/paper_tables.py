"""Tables a quarterly paper prints, each cell only where the period's disclosure table lets the
selection publish it: children in care by area, and the care plan's core components by quarter.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics import codes
from iro_metrics.briefing import narrative
from iro_metrics.briefing.context import PaperContext, period_name
from iro_metrics.briefing.disclosure import MARKER, footnote
from iro_metrics.briefing.model import BriefingTable
from iro_metrics.formatting import number_text
from iro_metrics.indicator_registry import qa_indicator_id
from iro_metrics.indicators.themes import find_indicator_id
from iro_metrics.judgement import GOOD, IMPROVEMENT_REQUIRED, POOR


@dataclass
class AreaTable:
    """The children-in-care-by-area table as printed, and the values its chart may draw."""

    frame: pl.DataFrame
    values: pl.DataFrame  # area, value, numerator, denominator (null where suppressed)
    footnotes: list[str]


def children_by_area(ctx: PaperContext) -> AreaTable:
    """Children in care in each area of the selection and its total, each shown only when the
    period's disclosure table publishes it (a share only with its count and the total)."""
    table = ctx.table()
    by_area = (
        ctx.by_area(ctx.period)
        .filter(pl.col("indicator") == "children_in_care")
        .sort("area")
        .select("area", pl.col("value").fill_null(0).cast(pl.Float64))
    )
    total = float(by_area["value"].sum())
    areas = by_area["area"].to_list()
    shown = [table.measure_shown("children_in_care", "value", [a], ctx.cohort) for a in areas]
    total_shown = table.measure_shown("children_in_care", "value", ctx.areas, ctx.cohort)
    counts, shares, values = [], [], []
    for value, ok in zip(by_area["value"].to_list(), shown, strict=True):
        counts.append(number_text(value) if ok else MARKER)
        share_ok = ok and total_shown and total > 0
        shares.append(number_text(100 * value / total, 1) if share_ok else (MARKER if total > 0 else "–"))
        values.append(value if ok else None)
    counts.append(number_text(total) if total_shown else MARKER)
    shares.append("100.0" if total_shown and total > 0 else (MARKER if total > 0 else "–"))
    frame = pl.DataFrame(
        {"Area": [*areas, "Total"], "Children in care": counts, "% of children": shares},
        schema=dict.fromkeys(("Area", "Children in care", "% of children"), pl.String),
    )
    hidden = MARKER in counts or MARKER in shares
    ctx.any_suppressed |= hidden
    chart_values = pl.DataFrame(
        {"area": areas, "value": values, "numerator": values, "denominator": [None] * len(areas)},
        schema={"area": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64},
    )
    return AreaTable(frame, chart_values, [footnote(ctx.threshold)] if hidden else [])


SHORT_RATINGS: dict[str, str] = {
    narrative.RATING_WORDS[GOOD]: "Good",
    narrative.RATING_WORDS[IMPROVEMENT_REQUIRED]: "Improvement required",
    narrative.RATING_WORDS[POOR]: "Poor",
}


def is_core_component(indicator: str) -> bool:
    """Whether an id is a QA id of one of the care plan's core components."""
    parts = find_indicator_id(indicator)
    return parts is not None and parts.item in codes.QA_CORE_COMPONENTS


def qa_table(ctx: PaperContext) -> BriefingTable | None:
    """One row per core component of a care plan and one column per quarter of the year so far
    (newest first): the share graded adequate or better and its range across areas, then the
    component's rating."""
    periods = [p for p in narrative.qa_periods(ctx.period) if ctx.selection.covers(p)]
    if len(ctx.areas or ctx.all_areas) > 1:
        ctx.prefetch_by_area(periods)
    rows = []
    for item in codes.QA_CORE_COMPONENTS:
        indicator = qa_indicator_id(item, "adequate")
        meta = ctx.meta(indicator)
        if meta is None or ctx.current.value(indicator) is None:
            continue
        ctx.mentioned[indicator] = None
        row = {"Component": codes.QA_ITEMS[item]}
        for period in periods:
            if ctx.withheld(indicator, period):
                row[period_name(period)] = MARKER
                ctx.any_suppressed = True
            else:
                row[period_name(period)] = narrative.qa_range_text(meta, narrative.qa_range(ctx, indicator, period))
        rating = (
            narrative.rating_line(meta, ctx.current.value(indicator)) if not ctx.current.suppressed(indicator) else None
        )
        row["Rating"] = "–" if rating is None else SHORT_RATINGS.get(rating, rating)
        rows.append(row)
    if not rows:
        return None
    frame = pl.DataFrame(rows)
    hidden = frame.select(pl.any_horizontal(pl.all() == MARKER).any()).item()
    notes = [
        "Each cell: the share graded adequate or better, with the lowest and highest area in brackets (of the "
        "areas whose figure can be published, so the council's figure may fall outside it)."
    ]
    return BriefingTable(
        f"Core components of the care plan: % graded adequate or better (range across areas), {ctx.period.fy_label}",
        frame,
        notes + ([footnote(ctx.threshold)] if hidden else []),
    )
