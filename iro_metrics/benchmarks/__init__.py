"""The DfE's published figures for England, regions and every council, beside the council's own.

``load_benchmarks`` reads the shipped DfE files (``data/``, see its SOURCE.md); ``add_files`` adds
a newer year's downloads; ``council_figures`` works out the council's own figures from its
dataset by the DfE's definitions; ``how_we_compare`` puts them side by side.
"""

from iro_metrics.benchmarks.read import (
    MEASURE_BY_ID,
    MEASURES,
    SUPPRESSION_SYMBOLS,
    BenchmarkFileError,
    Measure,
    read_file,
)
from iro_metrics.benchmarks.store import ATTRIBUTION, DATA_DIR, Benchmarks, add_files, load_benchmarks

__all__ = [
    "ATTRIBUTION",
    "DATA_DIR",
    "MEASURES",
    "MEASURE_BY_ID",
    "SUPPRESSION_SYMBOLS",
    "BenchmarkFileError",
    "Benchmarks",
    "Measure",
    "add_files",
    "load_benchmarks",
    "read_file",
]
