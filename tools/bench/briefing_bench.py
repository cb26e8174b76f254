"""Bench steps for the committee paper at Kent scale: its content, and the Word file with charts.

Issue 24's targets, on a quiet machine: the Kent council paper as Markdown under 1 s, as Word
(with its charts) under 2 s, and the every-area zip (the council's and each area's Word paper and
figures CSV) under 8 s. Each repeat
starts from a dataset whose indicator sets and period disclosure tables are forgotten, as for a
period nobody has asked about yet (the dataset's own derived tables stay, as in the app).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_AREAS = 40  # the paper is a council's; the national bench dataset (every council as an area) is not timed


def _forget(ds: Any) -> None:
    ds.memo.indicator_sets.clear()
    ds.memo.indicator_parts.clear()  # the named indicators scorecards and page figures ask for
    ds.memo.by_area_sets.clear()
    ds.memo.period_tables.clear()
    ds.memo.iro_caseloads.clear()  # each IRO's caseload at the period ends
    ds.memo.children_by_key = None


def _timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def time_briefing(ds: Any, period: Any, repeats: int, timings: dict[str, list[float]]) -> None:
    """Add the paper's bench steps to ``timings`` (seconds per repeat)."""
    from iro_metrics.briefing import build_briefing, docx_bytes, markdown_text
    from iro_metrics.briefing.batch import papers_zip
    from iro_metrics.selection import Selection

    if len(ds.areas()) > MAX_AREAS:
        return

    def content() -> Any:
        _forget(ds)
        return build_briefing(Selection.of(ds, period))

    def area_paper() -> Any:
        _forget(ds)
        return build_briefing(Selection.of(ds, period, [ds.areas()[0]]))

    def word() -> bytes:
        _forget(ds)
        return docx_bytes(build_briefing(Selection.of(ds, period)))

    def markdown() -> str:
        _forget(ds)
        return markdown_text(build_briefing(Selection.of(ds, period)))

    def every_area() -> bytes:
        _forget(ds)
        return papers_zip(Selection.of(ds, period))

    timings["briefing: paper content, whole council (cold)"] = _timed(content, repeats)
    timings["briefing: .md, whole council (cold; target 1 s)"] = _timed(markdown, repeats)
    timings["briefing: paper content, one area (cold)"] = _timed(area_paper, repeats)
    timings["briefing: .docx with charts (cold; target 2 s)"] = _timed(word, repeats)
    timings["briefing: every-area zip (cold; target 8 s)"] = _timed(every_area, max(1, repeats // 2))


def main(argv: list[str] | None = None) -> int:
    """Time the paper's steps on a dataset folder (default: the shipped data) and print medians."""
    import subprocess

    from iro_metrics.dataset import load_dataset
    from iro_metrics.indicators import data_periods

    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "data"
    repeats = int(args[1]) if len(args) > 1 else 5
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import iro_metrics.briefing.build"], check=True)
    import_seconds = time.perf_counter() - started
    ds = load_dataset(folder)
    period = data_periods(ds, "quarter")[-1]
    timings: dict[str, list[float]] = {}
    time_briefing(ds, period, repeats, timings)
    print(f"briefing bench on {folder} ({period.label}), median of {repeats}:")
    print(f"  import iro_metrics.briefing.build in a fresh interpreter (incl. start-up): {import_seconds:.2f} s")
    for name, times in timings.items():
        print(f"  {name}: {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
