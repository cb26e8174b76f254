"""Keep an area-restricted viewer to their own areas and the council total.

A page's figures for the whole council are open to every viewer; what is taken out of a result is
anything about one other area: rows whose ``area`` is another area, columns named after another
area, another area's name in a list, and ranges across areas (their lowest and highest values
come from areas the viewer may not see).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

import polars as pl

# Columns that summarise every area (lowest and highest value, and which area): blanked.
RANGE_COLUMNS: tuple[str, ...] = ("range_min", "range_max", "min_area", "max_area", "areas_with_value")


def restrict_result(result: Any, hidden_areas: Collection[str]) -> Any:
    """``result`` without anything about the areas in ``hidden_areas``.

    Works through frames, dicts, lists, tuples and dataclasses (a page view); other values are
    returned as they are. With no hidden area the result is returned unchanged.
    """
    hidden = frozenset(hidden_areas)
    if not hidden:
        return result
    return _restrict(result, hidden)


def _restrict(value: Any, hidden: frozenset[str]) -> Any:
    if isinstance(value, pl.DataFrame):
        return restrict_frame(value, hidden)
    if isinstance(value, dict):
        return {k: _restrict(v, hidden) for k, v in value.items() if not (isinstance(k, str) and k in hidden)}
    if isinstance(value, list):
        return [_restrict(v, hidden) for v in value if not (isinstance(v, str) and v in hidden)]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_restrict(v, hidden) for v in value if not (isinstance(v, str) and v in hidden))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _restrict(getattr(value, f.name), hidden) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def restrict_frame(frame: pl.DataFrame, hidden: Collection[str]) -> pl.DataFrame:
    """A frame without rows for hidden areas, columns named after them, or ranges across areas."""
    hidden_list = sorted(hidden)
    kept = frame.drop([c for c in frame.columns if c in hidden])
    area_type = kept.schema.get("area")
    if area_type == pl.String or isinstance(area_type, (pl.Categorical, pl.Enum)):
        kept = kept.filter(~pl.col("area").cast(pl.String).is_in(hidden_list).fill_null(False))
    ranges = [c for c in RANGE_COLUMNS if c in kept.columns]
    if "min_area" in ranges or "max_area" in ranges:
        kept = kept.with_columns(pl.lit(None, dtype=kept.schema[c]).alias(c) for c in ranges)
    return kept
