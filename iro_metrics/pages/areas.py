"""Areas: every indicator across every area side by side, with the whole council's figure."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import polars as pl

from iro_metrics import area_answers
from iro_metrics.briefing.period_table import dataset_areas, keep_decision, period_table
from iro_metrics.catalogue import Catalogue, IndicatorMeta, base_text, format_value
from iro_metrics.indicators import compute_indicators, indicators_by_area
from iro_metrics.indicators.recorded import not_recorded
from iro_metrics.judgement import rag
from iro_metrics.pages import areas_store
from iro_metrics.pages.common import (
    NOT_RECORDED,
    RATE_UNITS,
    PageFigures,
    any_value,
    catalogue,
    describe,
    with_notes,
    with_titles,
)
from iro_metrics.selection import Selection

SELECTED_MARK = " (selected)"


@dataclass(frozen=True)
class AreasFigures(PageFigures):
    """``figures`` are the whole council's (never the area-filtered value). ``by_area`` (area,
    selected, indicator, title, unit, value, numerator, denominator, display, base), ``table`` (a row
    per indicator: indicator, Indicator, a column per area, then Council; unrounded), ``display_table``
    (the same as display text), ``slips`` (see ``where_performance_slips``, with ``selected``, most
    severe first), ``areas`` (every area), ``selected_areas`` (those chosen;
    every area when none is), ``marks_selected`` (an area selection is marked among all areas)."""

    by_area: pl.DataFrame
    table: pl.DataFrame
    display_table: pl.DataFrame
    slips: pl.DataFrame
    areas: list[str]
    selected_areas: list[str]
    marks_selected: bool


def areas_figures(selection: Selection) -> AreasFigures:
    """Every indicator across every area for the selection's period and cohort.

    An area selection highlights the chosen areas among all of them (``selected``) rather than
    hiding the others."""
    chosen = selection.period
    whole = selection.whole_council()
    tables = _every_area(whole)
    area_names = tables.areas
    selected_areas = [a for a in area_names if not selection.areas or a in set(selection.areas)]
    described = tables.by_area.with_columns(selected=pl.col("area").is_in(selected_areas))
    return AreasFigures(
        period=chosen,
        figures=tables.council,
        # An empty selection says so: data in the chosen areas, not only elsewhere in the council.
        has_data=any_value(described.filter("selected"), ["children_in_care", "reviews_held"]),
        by_area=described.select("area", "selected", *[c for c in described.columns if c not in ("area", "selected")]),
        table=tables.table,
        display_table=tables.display_table,
        slips=_with_selected(tables.slips, selected_areas),
        areas=area_names,
        selected_areas=selected_areas,
        marks_selected=bool(selection.areas),
    )


@dataclass(frozen=True)
class _EveryArea:
    """What the Areas page shows for a period and cohort whatever areas are chosen."""

    council: pl.DataFrame
    by_area: pl.DataFrame
    table: pl.DataFrame
    display_table: pl.DataFrame
    slips: pl.DataFrame
    areas: list[str]


_EVERY_AREA_MEMO_SIZE = 8
_every_area_lock = threading.Lock()


def _with_selected(slips: pl.DataFrame, selected_areas: list[str]) -> pl.DataFrame:
    """The slips with ``selected`` before the severity columns (``gap``, ``gap_text``): the chosen
    areas' rows first (issue 26, item 1), each part still most severe first."""
    columns = [c for c in slips.columns if c not in ("gap", "gap_text")]
    return (
        slips.with_columns(selected=pl.col("area").is_in(selected_areas))
        .select(*columns, "selected", "gap", "gap_text")
        .sort("selected", descending=True, maintain_order=True)
    )


def prepare_areas_tables(selection: Selection) -> bool:
    """Work out and keep the Areas page's every-area tables of the selection's period and cohort,
    unless they are kept already (then nothing is read); True when they were worked out now."""
    ds, chosen = selection.ds, selection.period
    if areas_store.is_kept(ds, chosen.label, selection.cohort, dataset_areas(ds)):
        return False
    _every_area(selection.whole_council())
    return True


def _every_area(whole: Selection) -> _EveryArea:
    """Every indicator for every area and the council in one pass, kept with the dataset per
    (period, cohort): choosing areas, or coming back to a period, computes nothing again."""
    ds, chosen = whole.ds, whole.period
    key = (chosen.label, whole.cohort)
    memo = ds.memo.every_area
    with _every_area_lock:
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    known_areas = dataset_areas(ds)
    kept = areas_store.read_kept(ds, chosen.label, whole.cohort, known_areas)
    if kept is not None:
        tables = _EveryArea(**kept, areas=sorted(kept["by_area"].get_column("area").unique().to_list()))
    else:
        tables = _compute_every_area(whole)
        areas_store.keep(
            ds, chosen.label, whole.cohort, known_areas, {p: getattr(tables, p) for p in areas_store.PARTS}
        )
    with _every_area_lock:
        memo[key] = tables
        while len(memo) > _EVERY_AREA_MEMO_SIZE:
            memo.popitem(last=False)
    return tables


def _compute_every_area(whole: Selection) -> _EveryArea:
    """Every indicator for every area and the council, in one pass of the engine."""
    ds, chosen = whole.ds, whole.period
    cat = catalogue(ds)
    council = compute_indicators(whole)
    ids = council.get_column("indicator").to_list()
    by_area = indicators_by_area(whole)
    area_names = sorted(by_area.get_column("area").unique().to_list())
    missing = list(not_recorded(ds, ids, whole.cohort, chosen.end))
    described = describe(by_area.select("indicator", "value", "numerator", "denominator"), cat).with_columns(
        area=by_area.get_column("area"),
        display=pl.when(pl.col("indicator").is_in(missing)).then(pl.lit(NOT_RECORDED)).otherwise("display"),
        base=pl.Series(
            [
                base_text(cat.get(i), d)
                for i, d in zip(by_area["indicator"].to_list(), by_area["denominator"].to_list(), strict=True)
            ],
            dtype=pl.String,
        ),
    )
    council_described = with_notes(whole, describe(council, cat))

    def by_indicator(areas_frame: pl.DataFrame, council_frame: pl.DataFrame, column: str) -> pl.DataFrame:
        """A row per indicator (catalogue order): its title, a column per area, then the council's."""
        order = pl.DataFrame({"indicator": ids}).with_row_index("_order")
        wide = (
            areas_frame.pivot(on="area", index="indicator", values=column)
            .join(council_frame.select("indicator", Council=column), on="indicator", how="left")
            .join(order, on="indicator", how="inner")
            .sort("_order")
        )
        return with_titles(wide, cat).select("indicator", "Indicator", *area_names, "Council")

    return _EveryArea(
        council=council_described,
        by_area=described,
        table=by_indicator(by_area, council, "value"),
        display_table=by_indicator(described, council_described, "display"),
        slips=_published_slips(
            whole, area_answers.slips_by_severity(where_performance_slips(described, council, cat), cat)
        ),
        areas=area_names,
    )


def _published_slips(whole: Selection, slips: pl.DataFrame) -> pl.DataFrame:
    """The slips whose area figure the period's disclosure table publishes (issue 23 item 2): an
    area's rate its paper prints as ``c`` is left out, on screen and in the download, since the rate
    and the base the paper prints would give the hidden count (the row's rating is a band of it too)."""
    if slips.is_empty():
        return slips
    table = period_table(whole.ds, whole.period)
    shown = [
        not table.suppressed(indicator, [area], whole.cohort)
        for indicator, area in slips.select("indicator", "area").iter_rows()
    ]
    keep_decision(whole.ds, whole.period, solve=False)  # a year solved whole is read back after a restart
    return slips.filter(pl.Series(shown, dtype=pl.Boolean))


def indicator_across_areas(figures: AreasFigures, indicator: str, meta: IndicatorMeta) -> pl.DataFrame:
    """One indicator's areas best first (``area_answers.areas_in_order``), the chosen areas' names
    marked " (selected)" when the selection names areas (every area stays, for comparison)."""
    chosen = figures.by_area.filter(pl.col("indicator") == indicator)
    if figures.marks_selected:
        chosen = chosen.with_columns(
            area=pl.when("selected").then(pl.col("area") + SELECTED_MARK).otherwise(pl.col("area"))
        )
    return area_answers.areas_in_order(chosen, meta)


def where_performance_slips(by_area: pl.DataFrame, council: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """Area rates rated poor or improvement required, worst rating first, with the council figure.

    Only rates (percentages and rates per 100 reviews) are judged by area: a target for a count
    is a council-wide target, and caseloads are whole-service figures.

    Columns: indicator, title, area, value, display, rating, council, council_display.
    """
    council_values = dict(council.select("indicator", "value").iter_rows())
    rows = []
    for indicator, title, area, value, display in by_area.select(
        "indicator", "title", "area", "value", "display"
    ).iter_rows():
        meta = cat.get(indicator)
        # Counts add up across areas and caseloads are whole-service: only rates compare.
        if meta is None or value is None or meta.unit not in RATE_UNITS:
            continue
        rating = rag(meta, value)
        if rating in ("poor", "improvement required"):
            council_value = council_values.get(indicator)
            rows.append(
                {
                    "indicator": indicator,
                    "title": title,
                    "area": area,
                    "value": value,
                    "display": display,
                    "rating": rating,
                    "council": council_value,
                    "council_display": format_value(meta, council_value),
                }
            )
    schema = {
        "indicator": pl.String,
        "title": pl.String,
        "area": pl.String,
        "value": pl.Float64,
        "display": pl.String,
        "rating": pl.String,
        "council": pl.Float64,
        "council_display": pl.String,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    order = {i: n for n, i in enumerate(council.get_column("indicator").to_list())}
    return (
        frame.with_columns(
            _worst=(pl.col("rating") != "poor").cast(pl.Int8),
            _order=pl.col("indicator").replace_strict(order, default=len(order), return_dtype=pl.Int64),
        )
        .sort("_worst", "_order", "area")
        .drop("_worst", "_order")
    )
