"""Performance at national scale, measured: a synthetic dataset generator, pandas and DuckDB
baselines of the indicator set, the benchmark runner and the app's end-to-end latency."""

from iro_metrics.bench.run import EnginesDisagreeError, run_bench

__all__ = ["EnginesDisagreeError", "run_bench"]
