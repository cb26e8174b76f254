"""Quality assurance: care plan grades over time, every item with its range across areas, the
social worker's report and the Pledge."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from iro_metrics import codes
from iro_metrics import indicator_registry as registry
from iro_metrics.cards import card_changes
from iro_metrics.indicators import area_ranges, compute_indicators, qa_grade_mix
from iro_metrics.pages.common import PageFigures, catalogue, figures, titled_trend, trend
from iro_metrics.selection import Selection

QA_FOCUS_ITEMS: tuple[str, ...] = ("care_plan", "sw_report", "pledge")


def qa_ids(item: str) -> tuple[str, str]:
    """The adequate-or-better and good-or-better indicator ids of a QA item."""
    return registry.qa_indicator_id(item, "adequate"), registry.qa_indicator_id(item, "good")


# The cards: adequate and good for the three items the seed reports lead with, and the audit rate.
CARD_IDS: tuple[str, ...] = (*[i for item in QA_FOCUS_ITEMS for i in qa_ids(item)], "qa_audit_rate_pct")


@dataclass(frozen=True)
class QualityFigures(PageFigures):
    """``trend`` (adequate and good % of every item over time, with title, item and measure),
    ``grade_mix`` (item, grade, count, pct), ``item_ranges`` (item, indicator, title, council (the
    whole council's value), selection (the selection's own value), range_min, range_max, min_area,
    max_area, areas_with_value across every area) for adequate-or-better."""

    trend: pl.DataFrame
    grade_mix: pl.DataFrame
    item_ranges: pl.DataFrame
    changes: pl.DataFrame  # cards.card_changes: each card's change against the previous period and a year ago


RANGES_NOT_SHOWN = (
    "The lowest and highest areas are not shown: this view has no range across areas to compare "
    "(one area only, or a role that shows only your own areas)."
)


def item_ranges_table(item_ranges: pl.DataFrame) -> pl.DataFrame:
    """The items' table as shown: Item, Council %, and the lowest and highest area with their values
    when any item has a range across areas (none for a one-area dataset or an area-restricted viewer,
    whose ranges are blanked so that no other area is named)."""
    columns = [
        pl.col("item").replace_strict(codes.QA_ITEMS, default=pl.col("item")).alias("Item"),
        pl.col("council").alias("Council %"),
    ]
    if charted_item_ranges(item_ranges).height > 0:
        columns += [
            pl.col("range_min").alias("Lowest area %"),
            pl.col("min_area").alias("Lowest area"),
            pl.col("range_max").alias("Highest area %"),
            pl.col("max_area").alias("Highest area"),
        ]
    return item_ranges.select(columns)


def charted_item_ranges(item_ranges: pl.DataFrame) -> pl.DataFrame:
    """The items the range chart draws: those with a council value and a range across areas."""
    return item_ranges.filter(pl.col("council").is_not_null(), pl.col("range_min").is_not_null())


def quality_figures(selection: Selection) -> QualityFigures:
    """The Quality assurance page's figures for one selection."""
    cat = catalogue(selection.ds)
    ids = [i for item in codes.QA_ITEMS for i in qa_ids(item)]
    qa_trend = titled_trend(trend(selection, ids), cat).with_columns(
        item=registry.id_part(pl.col("indicator"), "item"),
        measure=pl.when(registry.id_part(pl.col("indicator"), "level") == "adequate")
        .then(pl.lit("Adequate or better"))
        .otherwise(pl.lit("Good or better")),
    )
    period_figures = figures(selection, [*ids, "qa_audit_rate_pct"])
    adequate_ids = [qa_ids(item)[0] for item in codes.QA_ITEMS]
    # The range runs across every area and the council figure is the whole council's, whatever
    # areas are selected; ``selection`` is the selection's own value.
    whole = selection.whole_council()
    ranges = area_ranges(whole, adequate_ids)
    whole_council = compute_indicators(whole, adequate_ids).select("indicator", council="value")
    council = (
        period_figures.filter(pl.col("indicator").is_in(adequate_ids))
        .select("indicator", "title", selection="value")
        .join(whole_council, on="indicator", how="left")
        .select("indicator", "title", "council", "selection")
    )
    order = pl.DataFrame({"indicator": adequate_ids}).with_row_index("_order")
    item_ranges = (
        council.join(ranges, on="indicator", how="left")
        .join(order, on="indicator", how="inner")
        .sort("_order")
        .drop("_order")
        .with_columns(item=registry.id_part(pl.col("indicator"), "item"))
    )
    mix = qa_grade_mix(selection)
    return QualityFigures(
        period=selection.period,
        figures=period_figures,
        has_data=bool(mix.get_column("count").sum() > 0),
        trend=qa_trend.sort("period_start", "indicator"),
        grade_mix=mix,
        item_ranges=item_ranges,
        changes=card_changes(selection, CARD_IDS),
    )
