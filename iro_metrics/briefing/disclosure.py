"""Disclosure control for briefings, in the manner of the DfE's published statistics.

Committee papers are public. Below whole-council level (an area selection that is not every
area, or any table broken down by area) no count from 1 to ``threshold`` is published, and
neither is a percentage, rate or change whose numerator or denominator is such a count: the
marker ``c`` stands in its place, with a footnote. Zero is shown, as the DfE shows true zeros.
A percentage also gives away its complement (90.9% of 22 reviews means 2 did not count), so
a percentage is suppressed too when denominator minus numerator is from 1 to ``threshold``.

Secondary suppression: in a table whose rows or columns carry a total, a single suppressed
cell could be recovered by subtraction, so the next-smallest cell of that row or column is
suppressed too (preferring a non-zero cell, and a total only when nothing else is left),
repeating until no row or column with a total has exactly one suppressed member.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from iro_metrics.formatting import number_text

MARKER = "c"
DEFAULT_THRESHOLD = 4


def footnote(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The footnote explaining the marker."""
    counts = f"a count from 1 to {threshold}" if threshold > 1 else "a count of 1"
    return f"{MARKER} = suppressed: {counts} (or a figure built on one) below whole-council level"


def small_expr(column: str | pl.Expr, threshold: int = DEFAULT_THRESHOLD) -> pl.Expr:
    """Polars expression: the count in ``column`` is from 1 to ``threshold`` (null is not small)."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.is_between(1, threshold).fill_null(False)


def below_council_level(all_areas: Sequence[str], areas: Sequence[str] | None) -> bool:
    """True when ``areas`` selects some but not every area of the council.

    None or an empty selection means every area. A cohort split (UASC or citizen children) of
    the whole council is still whole-council level, as in the DfE's local authority tables.
    """
    if not areas:
        return False
    return not set(all_areas) <= set(areas)


@dataclass
class SuppressedTable:
    """A table ready to publish: every cell a string, suppressed cells shown as the marker.

    ``mask`` has the same shape, True where a cell was suppressed; ``primary`` only the cells
    suppressed for being small themselves (the rest of ``mask`` is secondary suppression).
    """

    frame: pl.DataFrame
    mask: pl.DataFrame
    primary: pl.DataFrame
    footnotes: list[str] = field(default_factory=list)

    @property
    def any_suppressed(self) -> bool:
        return bool(self.mask.select(pl.any_horizontal(pl.all().any())).item())


NO_VALUE = "–"


def _format_count(value: float | None) -> str:
    return number_text(value, missing=NO_VALUE)


def _format_decimal(value: float | None, decimals: int) -> str:
    return number_text(value, decimals, missing=NO_VALUE)


def suppress_table(
    frame: pl.DataFrame,
    count_columns: Sequence[str],
    *,
    total_column: str | None = None,
    total_row: bool = False,
    derived: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    apply: bool = True,
) -> SuppressedTable:
    """Suppress small counts in a table and format every cell as text.

    ``count_columns`` hold counts (``total_column``, if given, is one of them and is each row's
    total); ``total_row`` says the last row holds the column totals. ``derived`` maps a column
    of percentages or rates to the count column it is built on: it is suppressed wherever that
    count is, and wholly when the total it divides by is. ``decimals`` gives each derived
    column's decimal places. With ``apply=False`` the table is only formatted (whole-council).
    Other columns (labels) are passed through as text.
    """
    derived = dict(derived or {})
    decimals = dict(decimals or {})
    n_rows = frame.height
    values: dict[str, list[float | None]] = {c: frame[c].cast(pl.Float64).to_list() for c in count_columns}
    primary = {
        c: (frame.select(small_expr(c, threshold)).to_series().to_list() if apply else [False] * n_rows)
        for c in count_columns
    }
    mask = {c: list(flags) for c, flags in primary.items()}
    if apply:
        _secondary_suppression(values, mask, count_columns, total_column, total_row, n_rows)

    derived_mask = _derived_masks(derived, mask, total_column, total_row, n_rows)
    result = _published(frame, values, mask, primary, derived_mask, decimals)
    if result.any_suppressed:
        result.footnotes.append(footnote(threshold))
    return result


def _derived_masks(
    derived: Mapping[str, str], mask: dict[str, list[bool]], total_column: str | None, total_row: bool, n_rows: int
) -> dict[str, list[bool]]:
    """Each derived column's cells to hide: where its count is hidden, or the total it divides by."""
    derived_mask: dict[str, list[bool]] = {}
    for column, source in derived.items():
        # A share divides by its column total (with a total row) or else by its row total.
        if total_row:
            denominator_hidden = [mask[source][n_rows - 1]] * n_rows
        elif total_column is not None:
            denominator_hidden = list(mask[total_column])
        else:
            denominator_hidden = [False] * n_rows
        derived_mask[column] = [mask[source][i] or denominator_hidden[i] for i in range(n_rows)]
    return derived_mask


def _published(
    frame: pl.DataFrame,
    values: dict[str, list[float | None]],
    mask: dict[str, list[bool]],
    primary: dict[str, list[bool]],
    derived_mask: dict[str, list[bool]],
    decimals: Mapping[str, int],
) -> SuppressedTable:
    """Every cell as text, the hidden ones as the marker, with the masks in the frame's shape."""
    n_rows = frame.height
    text_columns: list[pl.Series] = []
    mask_columns: list[pl.Series] = []
    primary_columns: list[pl.Series] = []
    for column in frame.columns:
        if column in mask:
            cells = [MARKER if m else _format_count(v) for v, m in zip(values[column], mask[column], strict=True)]
            flags, first = mask[column], primary[column]
        elif column in derived_mask:
            places = decimals.get(column, 1)
            raw = frame[column].cast(pl.Float64).to_list()
            cells = [
                MARKER if m else _format_decimal(v, places) for v, m in zip(raw, derived_mask[column], strict=True)
            ]
            flags = derived_mask[column]
            first = [False] * n_rows
        else:
            cells = [("" if v is None else str(v)) for v in frame[column].to_list()]
            flags = first = [False] * n_rows
        text_columns.append(pl.Series(column, cells, dtype=pl.String))
        mask_columns.append(pl.Series(column, flags, dtype=pl.Boolean))
        primary_columns.append(pl.Series(column, first, dtype=pl.Boolean))
    return SuppressedTable(pl.DataFrame(text_columns), pl.DataFrame(mask_columns), pl.DataFrame(primary_columns))


def _secondary_suppression(
    values: dict[str, list[float | None]],
    mask: dict[str, list[bool]],
    count_columns: Sequence[str],
    total_column: str | None,
    total_row: bool,
    n_rows: int,
) -> None:
    """Suppress further cells until no line with a total has exactly one suppressed member.

    A line is a row (when there is a total column) or a column (when there is a total row):
    its cells plus its total. Works on the small in-memory table in place.
    """
    inner_columns = [c for c in count_columns if c != total_column]
    inner_rows = list(range(n_rows - 1)) if total_row else list(range(n_rows))
    lines: list[tuple[list[tuple[str, int]], tuple[str, int]]] = []
    if total_column is not None:
        for row in range(n_rows):
            lines.append(([(c, row) for c in inner_columns], (total_column, row)))
    if total_row:
        for column in count_columns:
            lines.append(([(column, row) for row in inner_rows], (column, n_rows - 1)))

    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            members = [*cells, total]
            if sum(mask[c][r] for c, r in members) != 1:
                continue
            candidates = [(c, r) for c, r in cells if not mask[c][r] and values[c][r] is not None]
            nonzero = [cell for cell in candidates if (values[cell[0]][cell[1]] or 0) > 0]
            pool = nonzero or candidates
            if pool:
                column, row = min(pool, key=lambda cell: values[cell[0]][cell[1]] or 0)
            elif not mask[total[0]][total[1]]:
                column, row = total
            else:
                continue
            mask[column][row] = True
            changed = True
