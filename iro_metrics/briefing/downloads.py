"""The app's CSV downloads as they may be published: the period table's cells, friendly headers.

Every table download of the app passes through ``publishable_csv``. Below council level (a
selection of some areas, or any figure broken down by area) each figure is shown only where the
period's disclosure table publishes it (``c`` elsewhere), so a download can never be subtracted
from a paper or another download of the same period. Counts are whole numbers and percentages
are as shown on screen. ``internal_csv`` is the unsuppressed, unrounded file "for internal use,
not for publication". Both neutralise every cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import re

import polars as pl

from iro_metrics.briefing.disclosure import DEFAULT_THRESHOLD, MARKER
from iro_metrics.briefing.period_table import dataset_areas, period_table
from iro_metrics.briefing.wording import format_figure
from iro_metrics.catalogue import catalogue_for
from iro_metrics.periods import Period, parse_period
from iro_metrics.safe_text import neutralise_frame
from iro_metrics.selection import Selection, SelectionError
from iro_metrics.tables import PERSONAL_COLUMNS

_SHARE_NAMES = re.compile(r"%|pct|percent|share|rate", re.IGNORECASE)


def friendly_header(name: str) -> str:
    """'period_start' -> 'Period start'; names already in words are kept."""
    if "_" not in name and not name.islower():
        return name
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _period_of(label: object, fallback: Period) -> Period:
    if isinstance(label, str):
        try:
            return parse_period(label)
        except SelectionError:
            return fallback
    return fallback


def _count_text(value: float | None) -> str:
    return "" if value is None else str(round(value))


def _figure_text(meta, value: float) -> str:
    """A count as a whole number (no thousands separator, so a spreadsheet reads a number); any
    other figure as shown on screen ('20.3%', '83.73')."""
    if meta is None:
        return str(value)
    return str(round(value)) if meta.unit == "count" else format_figure(meta, value)


def publishable_frame(frame: pl.DataFrame, selection: Selection, threshold: int = DEFAULT_THRESHOLD) -> pl.DataFrame:
    """The frame as a public download shows it (see the module docstring)."""
    ds, chosen, areas, cohort = selection.ds, selection.period, selection.area_list, selection.cohort
    frame = frame.drop([c for c in frame.columns if c in PERSONAL_COLUMNS])
    all_areas = set(dataset_areas(ds))
    below = bool(areas) and not all_areas <= set(areas or ())
    area_columns = [c for c in frame.columns if c in all_areas]
    catalogue = catalogue_for(ds.path)
    if "indicator" in frame.columns and area_columns:
        out = _wide_by_area(ds, frame, chosen, areas, cohort, threshold, area_columns, catalogue)
    elif "indicator" in frame.columns and "value" in frame.columns:
        out = _long_indicators(ds, frame, chosen, areas, cohort, threshold, below, catalogue)
    else:
        by_area = any(c.lower() == "area" for c in frame.columns)
        out = _counts_only(frame, threshold, apply=below or by_area)
    return neutralise_frame(out.rename({c: friendly_header(c) for c in out.columns}))


def _wide_by_area(ds, frame, period, areas, cohort, threshold, area_columns, catalogue) -> pl.DataFrame:
    table = period_table(ds, period, threshold)
    columns: dict[str, list] = {c: [] for c in frame.columns if c != "indicator"}
    for row in frame.iter_rows(named=True):
        indicator = row["indicator"]
        meta = catalogue.get(indicator)
        for column in columns:
            value = row[column]
            if column in area_columns or column == "Council":
                chosen = [column] if column in area_columns else areas
                if value is None:
                    text = ""
                elif table.suppressed(indicator, chosen, cohort):
                    text = MARKER
                else:
                    text = _figure_text(meta, value)
                columns[column].append(text)
            else:
                columns[column].append("" if value is None else str(value))
    if "Indicator" not in columns:
        columns = {"Indicator": frame["indicator"].to_list(), **columns}
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def _long_indicators(ds, frame, period, areas, cohort, threshold, below, catalogue) -> pl.DataFrame:
    has_area = "area" in frame.columns
    if not below and not has_area:
        hidden = [False] * frame.height
    else:
        hidden = []
        known = set(dataset_areas(ds))
        for row in frame.iter_rows(named=True):
            chosen = [row["area"]] if has_area and row["area"] in known else areas
            table = period_table(ds, _period_of(row.get("period"), period), threshold)
            hidden.append(table.suppressed(row["indicator"], chosen, cohort))
    replaced_other = _comparisons(ds, frame, period, areas, cohort, threshold, below or has_area, hidden, catalogue)
    values, numerators, denominators = [], [], []
    for row, withheld in zip(frame.iter_rows(named=True), hidden, strict=True):
        meta = catalogue.get(row["indicator"])
        value = row["value"]
        if withheld:
            values.append(MARKER)
        else:
            values.append("" if value is None else _figure_text(meta, value))
        for name, out in (("numerator", numerators), ("denominator", denominators)):
            part = row.get(name)
            out.append(MARKER if withheld and part is not None else _count_text(part))
    # A rating is a band of the value: hidden with it.
    ratings = (
        [MARKER if w and r is not None else r for r, w in zip(frame.get_column("rag"), hidden, strict=True)]
        if ("rag" in frame.columns and frame.schema["rag"] == pl.String)
        else []
    )
    replaced = {"value": values, "numerator": numerators, "denominator": denominators, **replaced_other}
    if ratings:
        replaced["rag"] = ratings
    return frame.with_columns(
        pl.Series(name, replaced[name], dtype=pl.String) for name in replaced if name in frame.columns
    )


# A scorecard row carries the figure of its previous period and of a year earlier, and the change
# to each: each is decided by its own period's table, and a change by both of its periods'.
_COMPARISONS = (
    ("previous_period", "previous_value", "change_vs_previous", "direction_vs_previous"),
    ("last_year_period", "last_year_value", "change_vs_last_year", "direction_vs_last_year"),
)


def _comparisons(ds, frame, period, areas, cohort, threshold, apply, hidden, catalogue) -> dict[str, list]:
    """The comparison columns of a scorecard-like frame as published (see ``_COMPARISONS``)."""
    out: dict[str, list] = {}
    for period_column, value_column, change_column, direction_column in _COMPARISONS:
        if period_column not in frame.columns or value_column not in frame.columns:
            continue
        known = set(dataset_areas(ds))
        values, changes, directions = [], [], []
        for row, now_hidden in zip(frame.iter_rows(named=True), hidden, strict=True):
            meta = catalogue.get(row["indicator"])
            label = row[period_column]
            then_hidden = False
            if apply and isinstance(label, str) and row[value_column] is not None:
                chosen = [row["area"]] if "area" in frame.columns and row["area"] in known else areas
                then_hidden = period_table(ds, _period_of(label, period), threshold).suppressed(
                    row["indicator"], chosen, cohort
                )
            value, change = row[value_column], row.get(change_column)
            values.append(MARKER if then_hidden else ("" if value is None else _figure_text(meta, value)))
            either = then_hidden or now_hidden
            changes.append(MARKER if either and change is not None else ("" if change is None else str(change)))
            direction = row.get(direction_column)
            directions.append(MARKER if either and direction is not None else ("" if direction is None else direction))
        out[value_column] = values
        if change_column in frame.columns:
            out[change_column] = changes
        if direction_column in frame.columns:
            out[direction_column] = directions
    return out


def _counts_only(frame: pl.DataFrame, threshold: int, *, apply: bool) -> pl.DataFrame:
    """Whole numbers for count columns; below council level counts from 1 to ``threshold`` become
    the marker, with any share column of the same row."""
    count_columns = [
        c for c, dtype in frame.schema.items() if dtype.is_numeric() and not _SHARE_NAMES.search(c) and _whole(frame[c])
    ]
    share_columns = [c for c, dtype in frame.schema.items() if dtype.is_numeric() and _SHARE_NAMES.search(c)]
    if not apply:
        return frame.with_columns(pl.col(c).round(0).cast(pl.Int64) for c in count_columns)
    small = pl.any_horizontal([pl.col(c).is_between(1, threshold).fill_null(False) for c in count_columns] or [False])
    return frame.with_columns(
        *[
            pl.when(pl.col(c).is_between(1, threshold).fill_null(False))
            .then(pl.lit(MARKER))
            .otherwise(pl.col(c).round(0).cast(pl.Int64).cast(pl.String))
            .alias(c)
            for c in count_columns
        ],
        *[
            pl.when(small).then(pl.lit(MARKER)).otherwise(pl.col(c).round(1).cast(pl.String)).alias(c)
            for c in share_columns
        ],
    )


def _whole(series: pl.Series) -> bool:
    values = series.drop_nulls()
    return values.is_empty() or bool((values.cast(pl.Float64) == values.cast(pl.Float64).round(0)).all())


def publishable_csv(frame: pl.DataFrame, selection: Selection, threshold: int = DEFAULT_THRESHOLD) -> str:
    """``publishable_frame`` as CSV text."""
    return publishable_frame(frame, selection, threshold).write_csv()


def internal_csv(frame: pl.DataFrame) -> str:
    """The unsuppressed, unrounded frame as CSV "for internal use, not for publication" (child
    identifiers are still never exported; formula-like cells are still neutralised)."""
    kept = frame.drop([c for c in frame.columns if c in PERSONAL_COLUMNS])
    return neutralise_frame(kept).write_csv()


__all__ = ["friendly_header", "internal_csv", "publishable_csv", "publishable_frame"]
