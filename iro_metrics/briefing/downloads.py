"""The app's CSV downloads as they may be published: the period table's cells, friendly headers.

Every table download of the app passes through ``publishable_csv``. Below council level (a
selection of some areas, or any figure broken down by area) each figure is shown only where the
period's disclosure table publishes it (``c`` elsewhere), so a download can never be subtracted
from a paper or another download of the same period. A breakdown of part of the council (a table
with no indicator column: age bands, dispute categories, a comparison's parts) is published for the
whole council only, as in the papers: its figures are all ``c``. Counts are whole numbers and percentages
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
    elif below:
        out = _breakdown_withheld(frame)
    else:
        by_area = any(c.lower() == "area" for c in frame.columns)
        out = _counts_only(frame, threshold, apply=by_area)
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


# A scorecard row's comparisons: the period compared with, its value and the change to it. Each
# compared value is shown only where its own period's table publishes it; a change only where both
# figures are published (issue 23 item 2: a previous value of 1 passed unsuppressed).
_COMPARISONS: tuple[tuple[str, str, str, str], ...] = (
    ("previous_period", "previous_value", "change_vs_previous", "direction_vs_previous"),
    ("last_year_period", "last_year_value", "change_vs_last_year", "direction_vs_last_year"),
)
# Text withheld with the figure: a percentage's base ("n = 9"), and its rating (a band of the value).
_WITHHELD_WITH_VALUE = ("base", "rag")


def _long_indicators(ds, frame, period, areas, cohort, threshold, below, catalogue) -> pl.DataFrame:
    has_area = "area" in frame.columns
    comparisons = [group for group in _COMPARISONS if all(c in frame.columns for c in group)]
    controlled = below or has_area
    known = set(dataset_areas(ds))

    def suppressed(row: dict, label: object) -> bool:
        if not controlled:
            return False
        chosen = [row["area"]] if has_area and row["area"] in known else areas
        return period_table(ds, _period_of(label, period), threshold).suppressed(row["indicator"], chosen, cohort)

    rows = list(frame.iter_rows(named=True))
    hidden = [suppressed(row, row.get("period")) for row in rows]
    compared: dict[str, list[str]] = {c: [] for group in comparisons for c in group[1:]}
    values, numerators, denominators = [], [], []
    for row, withheld in zip(rows, hidden, strict=True):
        meta = catalogue.get(row["indicator"])
        value = row["value"]
        values.append(MARKER if withheld else ("" if value is None else _figure_text(meta, value)))
        for name, out in (("numerator", numerators), ("denominator", denominators)):
            part = row.get(name)
            out.append(MARKER if withheld and part is not None else _count_text(part))
        for label_column, value_column, change_column, direction_column in comparisons:
            other_hidden = row[label_column] is not None and suppressed(row, row[label_column])
            other, change, direction = row[value_column], row[change_column], row[direction_column]
            either = other_hidden or withheld  # "unchanged" beside a published value would give the other
            compared[value_column].append(
                MARKER if other_hidden and other is not None else ("" if other is None else _figure_text(meta, other))
            )
            compared[change_column].append(
                MARKER if either and change is not None else ("" if change is None else _change_text(meta, change))
            )
            compared[direction_column].append(MARKER if either and direction is not None else (direction or ""))
    replaced = {"value": values, "numerator": numerators, "denominator": denominators, **compared}
    for name in _WITHHELD_WITH_VALUE:
        if name in frame.columns:
            replaced[name] = [
                MARKER if withheld and cell is not None else (cell or "")
                for cell, withheld in zip(frame[name].to_list(), hidden, strict=True)
            ]
    return frame.with_columns(
        pl.Series(name, replaced[name], dtype=pl.String) for name in replaced if name in frame.columns
    )


def _change_text(meta, change: float) -> str:
    """A change as a number a spreadsheet reads: whole for counts, to the figure's decimals otherwise."""
    if meta is None:
        return str(change)
    return str(round(change)) if meta.unit == "count" else str(round(change, meta.decimals))


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


def _breakdown_withheld(frame: pl.DataFrame) -> pl.DataFrame:
    """A breakdown (no indicator column) of part of the council as the papers treat it: published
    for the whole council only, so every figure is the marker and the labels stay. Its cells are
    not in the period table, and with 1-4 hidden alone the council's table minus the other areas'
    would give them back."""
    numeric = [c for c, dtype in frame.schema.items() if dtype.is_numeric()]
    return frame.with_columns(
        pl.when(pl.col(c).is_null()).then(pl.lit("")).otherwise(pl.lit(MARKER)).alias(c) for c in numeric
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
