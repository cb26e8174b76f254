"""Whether a dataset records an optional column at all: the theme modules and ``recorded`` ask it.

``recorded.not_recorded`` says which figures an unrecorded column leaves without a value; the
theme modules ask first, to leave those figures out (recorded.py reads the theme modules, so this
question lives below both).
"""

from __future__ import annotations

import polars as pl

from iro_metrics.dataset import Dataset


def column_recorded(ds: Dataset, table: str, column: str) -> bool:
    """Whether the dataset records a column at all: the table and column are present and at least
    one row holds a value (an all-null column records nothing). Kept with the dataset."""
    cache = ds.memo.column_recorded
    if (table, column) not in cache:
        if not ds.has_column(table, column):
            cache[(table, column)] = False
        else:
            frame = ds.table(table)
            has_rows = frame.select(pl.len()).collect().item() > 0
            # A table with no rows has not shown the column empty: its indicators count zero events.
            cache[(table, column)] = (not has_rows) or bool(
                frame.select(pl.col(column).is_not_null().any()).collect().item()
            )
    return cache[(table, column)]
