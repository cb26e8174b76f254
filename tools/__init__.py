"""Developer tools kept apart from the product: the synthetic-data generator and the benchmark.

Run from the repository root: ``python -m tools.synthetic --out DIR`` and ``python -m tools.bench``.
Nothing in ``iro_metrics`` imports this package.
"""
