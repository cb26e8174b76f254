"""What every page's figures share: the period's described figures, remembered trends and notes."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import polars as pl

from iro_metrics.area_answers import beside_council
from iro_metrics.catalogue import Catalogue, IndicatorMeta, base_text, catalogue_for, format_value
from iro_metrics.dataset import Dataset
from iro_metrics.formatting import number_text, period_expr
from iro_metrics.indicators import compute_indicators, indicator_ids, indicator_trend, workload
from iro_metrics.indicators.recorded import STAFFING_IDS, not_recorded
from iro_metrics.periods import Period, PeriodKind
from iro_metrics.selection import Selection, data_periods

TREND_MEMO_SIZE = 24
NOT_RECORDED = "Not recorded"  # what a card shows for a figure whose source the dataset lacks
CASELOAD_GUIDELINE = 70.0  # statutory guidance: no more than 70 children per FTE IRO
RATE_UNITS: frozenset[str] = frozenset({"pct", "per_100"})
POLARITY_TEXT = {
    "higher": "Higher is better.",
    "lower": "Lower is better.",
    "none": "No optimum performance defined.",
}
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class PageFigures:
    """The period's figures a page's value cards show; every page's dataclass extends it.

    ``figures``: indicator, title, unit, value, numerator, denominator, display, not_recorded,
    base, scope.
    """

    period: Period
    figures: pl.DataFrame
    has_data: bool

    def value(self, indicator: str) -> float | None:
        """The period's value of one indicator (None when it has none)."""
        return self._column(indicator, "value")

    def display(self, indicator: str) -> str:
        """The period's value of one indicator as shown on screen ('80.7%', '1,842', '–')."""
        shown = self._column(indicator, "display")
        return "–" if shown is None else shown

    def has(self, indicator: str) -> bool:
        """Whether the period's figures hold a row for the indicator."""
        return indicator in self._rows

    @cached_property
    def _rows(self) -> dict[str, dict[str, Any]]:
        """Each indicator's row (its first), read once: a page's cards ask five columns of each,
        and a filter of the frame per question took 10-15 ms of every rerun."""
        rows: dict[str, dict[str, Any]] = {}
        if "indicator" in self.figures.columns:
            for row in self.figures.iter_rows(named=True):
                rows.setdefault(row["indicator"], row)
        return rows

    def _column(self, indicator: str, column: str) -> Any:
        if column not in self.figures.columns:
            return None
        row = self._rows.get(indicator)
        return None if row is None else row[column]

    def not_recorded(self, indicator: str) -> str | None:
        """Why the figure has no value and what to import to get it; None when it is recorded."""
        return self._column(indicator, "not_recorded")

    def scope(self, indicator: str) -> str | None:
        """What a staffing or caseload figure covers: "whole service" or the IRO team; else None."""
        return self._column(indicator, "scope")

    def base(self, indicator: str) -> str | None:
        """'n = 3' when the figure is a rate on a small base, else None."""
        return self._column(indicator, "base")


def catalogue(ds: Dataset | None = None) -> Catalogue:
    """The catalogue for a dataset (its own overrides applied), or the shipped one."""
    return catalogue_for(ds.path if ds is not None else None)


def judging_text(meta: IndicatorMeta) -> str:
    """How an indicator is judged, in words: polarity, target and floor."""
    parts = [POLARITY_TEXT.get(meta.polarity, "")]
    if meta.target is not None:
        parts.append(f"Good at or beyond {format_value(meta, meta.target)}.")
    if meta.floor is not None:
        parts.append(f"Poor beyond {format_value(meta, meta.floor)}.")
    return " ".join(p for p in parts if p)


def available_years(ds: Dataset) -> list[Period]:
    """Every financial year the dataset covers, oldest first."""
    return data_periods(ds, "year")


def available_quarters(ds: Dataset, year: Period) -> list[Period]:
    """The quarters of a financial year that the dataset covers."""
    return [p for p in data_periods(ds, "quarter") if p.fy == year.fy]


def trend(
    selection: Selection, indicators: Sequence[str] | None = None, kind: PeriodKind | None = None
) -> pl.DataFrame:
    """``indicator_trend`` for ``indicators`` (every indicator when None), remembered with the
    dataset per (kind, areas, cohort): only the indicators not yet worked out for those are computed.

    Returns the rows for ``indicators`` (all when None), sorted by period then catalogue order.
    """
    ds = selection.ds
    key = ("views.trend", kind or selection.period.kind, selection.areas, selection.cohort)
    given = indicator_ids(ds)
    wanted = given if indicators is None else [i for i in dict.fromkeys(indicators) if i in set(given)]
    with _memo_lock:
        memo = ds.memo.trends
        held = memo.get(key)
        if held is not None:
            memo.move_to_end(key)
    done, frame = held if held is not None else (frozenset(), None)
    missing = [i for i in wanted if i not in done]
    if missing or frame is None:
        found = indicator_trend(selection, kind=kind, indicators=None if len(missing) == len(given) else missing)
        if frame is not None:  # in period, then catalogue, order, as one computation gives
            order = {i: n for n, i in enumerate(given)}
            frame = (
                pl.concat([frame, found])
                .with_columns(_order=pl.col("indicator").replace_strict(order, return_dtype=pl.Int64))
                .sort("period_start", "_order")
                .drop("_order")
            )
        else:
            frame = found
        done = done | frozenset(missing)
        with _memo_lock:
            memo[key] = (done, frame)
            while len(memo) > TREND_MEMO_SIZE:
                memo.popitem(last=False)
    if indicators is not None or len(done) != len(given):
        frame = frame.filter(pl.col("indicator").is_in(wanted))
    return frame


def figures(selection: Selection, indicators: Sequence[str]) -> pl.DataFrame:
    """The period's value of each indicator with its title, unit and display text, in the given order."""
    cat = catalogue(selection.ds)
    values = compute_indicators(selection, indicators)  # only the indicators shown are worked out
    wanted = [i for i in indicators if i in set(values.get_column("indicator").to_list())]
    order = pl.DataFrame({"indicator": wanted}, schema={"indicator": pl.String}).with_row_index("_order")
    frame = values.join(order, on="indicator", how="inner").sort("_order").drop("_order")
    return with_notes(selection, describe(frame, cat))


def with_notes(selection: Selection, described: pl.DataFrame) -> pl.DataFrame:
    """Described figures with what a reader must know beside each value.

    ``not_recorded``: why the figure has no value and what to import to get it (null where it is
    recorded); its ``display`` becomes "Not recorded". ``base``: "n = 3" for a rate on a small base.
    ``scope``: what a staffing or caseload figure covers ("whole service" or the IRO team serving
    the selected areas); null for other figures, which cover the selection.
    """
    ds = selection.ds
    cat = catalogue(ds)
    ids = described.get_column("indicator").to_list()
    missing = not_recorded(ds, ids, selection.cohort, selection.period.end)
    notes = [missing[i].message if i in missing else None for i in ids]
    bases = [base_text(cat.get(i), d) for i, d in zip(ids, described.get_column("denominator").to_list(), strict=True)]
    scope = workload.caseload_scope(ds, selection.area_list)
    return described.with_columns(
        not_recorded=pl.Series(notes, dtype=pl.String),
        base=pl.Series(bases, dtype=pl.String),
        scope=pl.Series([scope if i in STAFFING_IDS else None for i in ids], dtype=pl.String),
    ).with_columns(
        display=pl.when(pl.col("not_recorded").is_not_null()).then(pl.lit(NOT_RECORDED)).otherwise("display")
    )


def describe(frame: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """Add title, unit and display columns from the catalogue."""
    ids = frame.get_column("indicator").to_list()
    values = frame.get_column("value").to_list()
    metas = [cat.get(i) for i in ids]
    return frame.with_columns(
        title=pl.Series([m.title if m else i for m, i in zip(metas, ids, strict=True)], dtype=pl.String),
        unit=pl.Series([m.unit if m else "count" for m in metas], dtype=pl.String),
        display=pl.Series(
            [format_value(m, v) if m else number_text(v, 1) for m, v in zip(metas, values, strict=True)],
            dtype=pl.String,
        ),
    ).select("indicator", "title", "unit", "value", "numerator", "denominator", "display")


def titled_trend(frame: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """A trend with each indicator's title (for legends and tables)."""
    titles = {i: (cat.get(i).title if cat.get(i) else i) for i in frame.get_column("indicator").unique().to_list()}
    return frame.with_columns(title=pl.col("indicator").replace_strict(titles, return_dtype=pl.String))


def labelled_series(trend_frame: pl.DataFrame, labels: dict[str, str], column: str) -> pl.DataFrame:
    """The rows of the indicators ``labels`` names, each labelled in ``column`` (a chart's series)."""
    return trend_frame.filter(pl.col("indicator").is_in(list(labels))).with_columns(
        pl.col("indicator").replace_strict(labels, return_dtype=pl.String).alias(column)
    )


def with_titles(frame: pl.DataFrame, cat: Catalogue) -> pl.DataFrame:
    """An ``Indicator`` column holding each row's catalogue title."""
    ids = frame.get_column("indicator").to_list()
    titles = [cat.get(i).title if cat.get(i) else i for i in ids]
    return frame.with_columns(Indicator=pl.Series(titles, dtype=pl.String))


def any_value(frame: pl.DataFrame, indicators: Sequence[str]) -> bool:
    """True when any of the indicators has a non-zero value in the frame."""
    values = frame.filter(pl.col("indicator").is_in(list(indicators))).get_column("value")
    return bool(values.fill_null(0).abs().sum() > 0)


def council_beside(selection: Selection, indicators: Sequence[str]) -> pl.DataFrame | None:
    """For an area selection, each card's council value, gap and its direction (area_answers.beside_council).

    None for the whole council (nothing to set beside it). The council is the same period and
    cohort over every area; a caseload's council figure is the whole service's.
    """
    if not selection.areas:
        return None
    cat = catalogue(selection.ds)
    return beside_council(figures(selection, indicators), figures(selection.whole_council(), indicators), cat)


def by_period_table(trend: pl.DataFrame, columns: str, sort_columns: bool = False) -> pl.DataFrame:
    """A trend as a table: a row per period ("Period", as people read it), a column per value of
    ``columns`` (an indicator, a measure's title) holding its value; in the trend's order of
    periods, the columns in the trend's order (or sorted)."""
    return trend.pivot(on=columns, index="period", values="value", sort_columns=sort_columns).select(
        period_expr(pl.col("period")).alias("Period"), pl.exclude("period")
    )
