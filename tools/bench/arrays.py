"""Numpy helpers of the benchmark's generator: days as integers, grouped arrays, weighted choices."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

EPOCH = date(1970, 1, 1)


def days(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def to_date(values: np.ndarray, name: str) -> pl.Series:
    """Integer days since 1970 (NaT-free int64 with -1 meaning null) -> a Polars Date series."""
    series = pl.Series(name, values.astype(np.int32))
    return series.cast(pl.Date)


def ids(prefix: str, n: int, width: int = 8) -> pl.Series:
    """``n`` ids: the prefix and a zero-padded number from 1."""
    return pl.select(
        (pl.lit(prefix) + pl.int_range(1, n + 1, dtype=pl.Int64).cast(pl.String).str.zfill(width)).alias("id")
    ).to_series()


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For groups of sizes ``counts``: each item's group index and its position within the group."""
    counts = counts.astype(np.int64)
    group = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(counts.sum()) - np.repeat(starts, counts)
    return group, position


def grouped_cumsum(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sums restarting at each group of sizes ``counts`` (items laid out group by group)."""
    total = np.concatenate(([0], np.cumsum(values)))
    starts = np.cumsum(counts) - counts
    return total[1:] - np.repeat(total[starts], counts)


def choice(rng: np.random.Generator, options: list, weights: list[float], n: int) -> np.ndarray:
    """``n`` draws from ``options`` with the given (unnormalised) weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(options, dtype=object), size=n, p=p / p.sum())
