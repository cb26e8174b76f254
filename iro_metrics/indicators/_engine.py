"""The machinery every indicator module shares: the request, row selection and tidy output.

A request names the periods (all of one kind: quarters or financial years), the areas, the cohort,
and whether to break the answer down by area. Period indicators give each event the key of the
period containing it (``Period.key``) and group by it; point indicators join episodes to the last
day of each period. Every answer is a tidy frame: the group columns (``key`` and, by area,
``area``), then ``indicator``, ``numerator``, ``denominator`` and ``value``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import polars as pl

from iro_metrics.care import OPEN_END, rows_between
from iro_metrics.dataset import Dataset
from iro_metrics.periods import Period, PeriodKind, fy_expr, period_key_expr
from iro_metrics.selection import Selection
from iro_metrics.tables import DATA_MODEL

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


@dataclass(frozen=True)
class Measure:
    """One indicator read off an aggregate: value = scale * numerator / denominator.

    Without a denominator column the value is the numerator itself (a count).
    """

    indicator: str
    numerator: str
    denominator: str | None = None
    scale: float = 1.0


def percent(indicator: str, numerator: str, denominator: str) -> Measure:
    return Measure(indicator, numerator, denominator, 100.0)


def count(indicator: str, numerator: str) -> Measure:
    return Measure(indicator, numerator)


@dataclass
class Request:
    """What to compute, and the selection to compute it for."""

    ds: Dataset
    kind: PeriodKind
    periods: list[Period]
    areas: tuple[str, ...] | None = None  # None: every area
    cohort: str = "all"
    by_area: bool = False
    # The indicators wanted (None: every one). The others' plans are left out, never run; those
    # wanted are worked out exactly as in a full request.
    indicators: frozenset[str] | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, selection: Selection, *, by_area: bool = False) -> Request:
        """The request for one checked selection (its one period, areas and cohort)."""
        period = selection.period
        return cls(selection.ds, period.kind, [period], selection.areas or None, selection.cohort, by_area)

    def wanted(self, indicators: Sequence[str]) -> list[str]:
        """Those of ``indicators`` this request asks for, in the given order."""
        if self.indicators is None:
            return list(indicators)
        return [i for i in indicators if i in self.indicators]

    def nothing(self) -> pl.LazyFrame:
        """No tidy rows: the answer for indicators nobody asked for."""
        return self.skeleton.head(0).with_columns(
            indicator=pl.lit(None, pl.String),
            numerator=pl.lit(None, pl.Float64),
            denominator=pl.lit(None, pl.Float64),
            value=pl.lit(None, pl.Float64),
        )

    @property
    def group(self) -> list[str]:
        return ["key", *self.area_group]

    @property
    def area_group(self) -> list[str]:
        """The group columns besides ``key``: ``area`` by area, else none."""
        return ["area"] if self.by_area else []

    @property
    def windows(self) -> pl.DataFrame:
        """key, start, end (the period's last day) for every requested period."""
        if "windows" not in self._cache:
            self._cache["windows"] = pl.DataFrame(
                {
                    "key": [p.key for p in self.periods],
                    "start": [p.start for p in self.periods],
                    "end": [p.end for p in self.periods],
                },
                schema={"key": pl.Int32, "start": pl.Date, "end": pl.Date},
            )
        return self._cache["windows"]

    @property
    def area_list(self) -> list[str]:
        if "areas" not in self._cache:
            self._cache["areas"] = list(self.areas) if self.areas else self.ds.areas()
        return self._cache["areas"]

    @property
    def skeleton(self) -> pl.LazyFrame:
        """Every group the answer must have a row for, so that empty groups give zeros."""
        keys = self.windows.select("key").lazy()
        if not self.by_area:
            return keys
        area_type = self.ds.table("episodes").collect_schema()["area"]  # categorical when loaded
        areas = pl.LazyFrame({"area": self.area_list}, schema={"area": area_type})
        return keys.join(areas, how="cross")

    def select_rows(self, frame: pl.LazyFrame) -> pl.LazyFrame:
        """Rows in the selected areas and cohort (by the row's own area and uasc flag)."""
        if self.areas:
            frame = frame.filter(pl.col("area").is_in(list(self.areas)))
        if self.cohort == "uasc":
            frame = frame.filter(pl.col("uasc"))
        elif self.cohort == "citizen":
            frame = frame.filter(~pl.col("uasc"))
        return frame

    def events(self, table: str, select: bool = True) -> pl.LazyFrame:
        """Rows of a table (``episodes`` and ``reviews`` are the derived ones) dated inside a
        requested period by the table's event date, with that period's ``key``."""
        column = DATA_MODEL[table].event_dates[0]
        if ("rows", table) not in self._cache:
            first = min(p.start for p in self.periods)
            last = max(p.end for p in self.periods)
            self._cache[("rows", table)] = rows_between(self.ds.care.by_date(table), column, first, last)
        return self.in_periods(self._cache[("rows", table)].lazy(), column, select)

    def in_periods(self, frame: pl.LazyFrame, date_column: str, select: bool = True) -> pl.LazyFrame:
        """Rows dated inside a requested period, with that period's ``key``."""
        first = min(p.start for p in self.periods)
        last = max(p.end for p in self.periods)
        keys = [p.key for p in self.periods]
        if select:
            frame = self.select_rows(frame)
        if len(self.periods) == 1:  # one period (a page's selection): every row in it has its key
            return frame.filter(pl.col(date_column).is_between(first, last)).with_columns(key=pl.lit(keys[0], pl.Int32))
        days, day_keys = self._day_keys(first, last)
        return (
            frame.filter(pl.col(date_column).is_between(first, last))
            # A lookup from each day to its period's key: five times faster than working out the
            # year and month of millions of dates.
            .with_columns(key=pl.col(date_column).replace_strict(days, day_keys, return_dtype=pl.Int32))
            .filter(pl.col("key").is_in(keys))
        )

    def _day_keys(self, first: date, last: date) -> tuple[pl.Series, pl.Series]:
        """Every day from first to last, and the key of the period each falls in."""
        if "day_keys" not in self._cache:
            days = pl.date_range(first, last, "1d", eager=True)
            keys = pl.select(period_key_expr(pl.lit(days), self.kind).cast(pl.Int32)).to_series()
            self._cache["day_keys"] = (days, keys)
        return self._cache["day_keys"]

    def open_at_period_ends(self, *columns: str, select: bool = True) -> pl.LazyFrame:
        """Episodes (short breaks left out) open at the end of each requested period:
        start_date <= end and (end_date is null or end_date > end). Columns: ``key``, then those
        asked for: any of the episodes' columns (``Request.episodes``) and ``end``, the period's
        last day. ``select=False`` ignores the area and cohort filters (the whole service)."""
        rows, keys = self._open_rows(select)
        episodes = self.episodes()
        frame = pl.DataFrame([keys, *(episodes.get_column(c).gather(rows) for c in columns if c != "end")])
        if "end" in columns:
            ends = self.windows
            frame = frame.with_columns(end=pl.col("key").replace_strict(ends["key"], ends["end"], return_dtype=pl.Date))
        return frame.select("key", *columns).lazy()

    def _open_rows(self, select: bool) -> tuple[pl.Series, pl.Series]:
        """Which episodes (row numbers in ``episodes()``) are open at which period end (key):
        worked out once per request and held as two numbers a row, for a trend holds a row per
        child per period (two million at national scale); each caller then takes only its own
        columns of those rows."""
        # Without areas or a cohort the selection is the whole service: one set of rows for both.
        cache_key = ("open", select and (bool(self.areas) or self.cohort != "all"))
        if cache_key not in self._cache:
            episodes = self.episodes().lazy().select("start_date", "end_date", "area", "uasc").with_row_index("_row")
            if select:
                episodes = self.select_rows(episodes)
            found = (
                self._at_period_ends(
                    episodes.select("_row", "start_date", "end_date"),
                    pl.col("start_date"),
                    pl.col("end_date").fill_null(OPEN_END),
                )
                .select("_row", "key")
                .collect()
            )
            self._cache[cache_key] = (found.get_column("_row"), found.get_column("key"))
        return self._cache[cache_key]

    def _at_period_ends(self, frame: pl.LazyFrame, since: pl.Expr, until: pl.Expr) -> pl.LazyFrame:
        """Rows whose span [since, until) contains the end of a requested period, with key and end."""
        if len(self.periods) == 1:
            period = self.periods[0]
            return frame.filter((since <= period.end) & (until > period.end)).with_columns(
                key=pl.lit(period.key, pl.Int32), end=pl.lit(period.end, pl.Date)
            )
        # A span [since, until) contains the end of every period from the one containing ``since``
        # up to, but not including, the one containing ``until`` (a period's end is its last day).
        index = self._period_index
        wanted = [index(p.start) for p in self.periods]
        first, last = min(wanted), max(wanted)
        spans = frame.with_columns(
            _first=pl.max_horizontal(self._index_expr(since), pl.lit(first)),
            _last=pl.min_horizontal(self._index_expr(until) - 1, pl.lit(last)),
        ).filter(pl.col("_first") <= pl.col("_last"))
        keys = pl.LazyFrame(
            {"_index": wanted, "key": [p.key for p in self.periods], "end": [p.end for p in self.periods]},
            schema={"_index": pl.Int32, "key": pl.Int32, "end": pl.Date},
        )
        return (
            spans.with_columns(_index=pl.int_ranges("_first", pl.col("_last") + 1, dtype=pl.Int32))
            .explode("_index")
            .join(keys, on="_index", how="inner")
            .drop("_first", "_last", "_index")
        )

    def _period_index(self, day: date) -> int:
        """Consecutive numbering of quarters (or years), so spans become integer ranges."""
        fy = day.year if day.month >= 4 else day.year - 1
        return fy * 4 + ((day.month - 4) % 12) // 3 if self.kind == "quarter" else fy

    def _index_expr(self, day: pl.Expr) -> pl.Expr:
        fy = fy_expr(day)
        if self.kind == "year":
            return fy
        return fy * 4 + ((day.dt.month().cast(pl.Int32) + 8) % 12) // 3

    def overdue_at_period_ends(self) -> pl.LazyFrame:
        """Children with a review overdue at each period end: poc_id, key."""
        spells = self.ds.care.overdue_spells.lazy()
        return self._at_period_ends(spells, pl.col("overdue_from"), pl.col("overdue_until")).select("poc_id", "key")

    def episodes(self) -> pl.DataFrame:
        return self.ds.care.episodes

    def reviews(self) -> pl.DataFrame:
        return self.ds.care.reviews


def as_text(frame: FrameT, keep: Sequence[str] = ()) -> FrameT:
    """Categorical columns (a loaded dataset's text), except those in ``keep``, as plain text:
    answers carry text."""
    return frame.with_columns(pl.col(pl.Categorical).exclude(keep).cast(pl.String))


def tidy(request: Request, aggregate: pl.LazyFrame | None, measures: Sequence[Measure]) -> pl.LazyFrame:
    """Turn a wide aggregate (group columns + numerator/denominator columns) into tidy rows.

    Groups missing from the aggregate get zero counts. ``aggregate=None`` means the data behind
    these indicators was not recorded: every value is null. Measures the request does not want
    are left out (with none wanted, the aggregate is never worked out).
    """
    group = request.group
    wanted = set(request.wanted([m.indicator for m in measures]))
    measures = [m for m in measures if m.indicator in wanted]
    if not measures:
        return request.nothing()
    if aggregate is None:
        return pl.concat(
            [
                request.skeleton.with_columns(
                    indicator=pl.lit(m.indicator),
                    numerator=pl.lit(None, pl.Float64),
                    denominator=pl.lit(None, pl.Float64),
                    value=pl.lit(None, pl.Float64),
                )
                for m in measures
            ]
        )
    filled = request.skeleton.join(as_text(aggregate, keep=["area"]), on=group, how="left").fill_null(0)
    parts = []
    for m in measures:
        numerator = pl.col(m.numerator).cast(pl.Float64)
        if m.denominator is None:
            denominator = pl.lit(None, pl.Float64)
            value = numerator
        else:
            denominator = pl.col(m.denominator).cast(pl.Float64)
            value = pl.when(denominator > 0).then(m.scale * numerator / denominator)
        parts.append(
            filled.select(
                *group,
                indicator=pl.lit(m.indicator),
                numerator=numerator,
                denominator=denominator,
                value=value,
            )
        )
    return pl.concat(parts)


def tidy_long(
    request: Request, aggregate: pl.LazyFrame, indicators: Sequence[str], scale: float | None
) -> pl.LazyFrame:
    """Tidy rows from a long aggregate (group columns, indicator, numerator, denominator).

    Every requested indicator gets a row in every group, zero counts where nothing happened, and
    value = scale * numerator / denominator (null for a zero denominator). ``scale=None`` makes
    counts: value = numerator, no denominator. Indicators the request does not want are left out.
    """
    indicators = request.wanted(indicators)
    if not indicators:
        return request.nothing()
    if scale is None:
        aggregate = aggregate.with_columns(denominator=pl.lit(None, pl.Float64))
    ids = pl.LazyFrame({"indicator": list(indicators)}, schema={"indicator": pl.String})
    full = request.skeleton.join(ids, how="cross")
    filled = full.join(as_text(aggregate, keep=["area"]), on=[*request.group, "indicator"], how="left").with_columns(
        pl.col("numerator").cast(pl.Float64).fill_null(0.0), pl.col("denominator").cast(pl.Float64).fill_null(0.0)
    )
    if scale is None:
        value = pl.col("numerator")
        filled = filled.with_columns(denominator=pl.lit(None, pl.Float64))
    else:
        value = pl.when(pl.col("denominator") > 0).then(scale * pl.col("numerator") / pl.col("denominator"))
    return filled.with_columns(value=value).select(*request.group, "indicator", "numerator", "denominator", "value")


def null_measures(request: Request, indicators: Sequence[str]) -> pl.LazyFrame:
    """Rows with no value for indicators whose data is not recorded in this dataset."""
    return tidy(request, None, [Measure(i, i) for i in indicators])
