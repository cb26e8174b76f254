"""Performance at national scale, measured: a synthetic dataset generator, pandas and DuckDB
baselines of the indicator set, the benchmark runner and the app's end-to-end latency."""

from typing import Any

import iro_metrics  # noqa: F401  (first: it sets the allocator the product runs with, before Polars loads)

__all__ = ["EnginesDisagreeError", "run_bench"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so that ``python -m tools.bench.run`` does not import run twice.
    if name in __all__:
        from tools.bench import run

        return getattr(run, name)
    raise AttributeError(name)
