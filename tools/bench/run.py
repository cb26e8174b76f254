"""The benchmark: our Polars code against a pandas and a DuckDB baseline, on one dataset.

``run_bench(scale)`` makes sure the dataset for ``scale`` exists (generated once, cached outside
git), then runs each engine in its own subprocess so that peak memory (``ru_maxrss``) belongs to
that engine alone. Each worker times, as medians over repeats after a warm-up run:

- first-ever load + first answer: ours on a copy of the dataset without ``derived/`` (as just
  after an import: every table read and checked, the derived tables built and written), once;
  a baseline keeps nothing between loads, so its every load is a first one;
- load + first answer: from nothing to the first indicator set (reading the files, building
  periods of care and the review schedule, then one selection; ours reads ``derived/``);
- the full indicator set for one selection, warm; and again with the three engines loaded in
  one process and timed in turn, so that the machine's load affects them alike (the ratios);
- for our code only: loading alone, every breakdown a page needs, and each page's data
  (the ``<page>_figures`` functions in ``iro_metrics.pages``), changing the period on every repeat as a
  user does. Before every timed repeat the dataset forgets all it has worked out but its
  derived tables (``_forget_indicator_sets``), as the baselines keep nothing either.

The three engines' indicator sets are compared on several selections and must agree (values
equal within 1e-9, nulls in the same places); otherwise ``EnginesDisagreeError`` is raised after
the table is printed. No assertion is made about time: speed is reported, never tested.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.periods import Period, financial_year, period_containing, previous_period
from iro_metrics.selection import Selection
from tools.bench import national
from tools.bench.common import BenchSelection
from tools.bench.report import (
    ENGINES,
    FIRST_LOAD_STEP,
    INTERLEAVED_STEP,
    LOAD_STEP,
    MAIN_STEP,
    BenchReport,
    print_report,
)

TOLERANCE = 1e-9


class EnginesDisagreeError(AssertionError):
    """The engines gave different indicator values for the same selection."""


# --- selections -------------------------------------------------------------------------------


def last_day_of_data(folder: Path) -> Period:
    """The last full quarter the dataset covers (from dataset.toml, else the latest review)."""
    meta_path = folder / "dataset.toml"
    last = None
    if meta_path.exists():
        with meta_path.open("rb") as fh:
            text = tomllib.load(fh).get("last_day")
        if text:
            from datetime import date

            last = date.fromisoformat(str(text))
    if last is None:
        last = pl.scan_parquet(folder / "reviews.parquet").select(pl.col("review_date").max()).collect().item()
    quarter = period_containing(last)
    return quarter if quarter.end <= last else previous_period(quarter)


def bench_selections(folder: Path) -> list[BenchSelection]:
    """The selections the engines must agree on; the first is the one timed."""
    quarter = last_day_of_data(folder)
    year = financial_year(quarter.fy if quarter.quarter == 4 else quarter.fy - 1)
    areas = (
        pl.scan_parquet(folder / "episodes.parquet")
        .select(pl.col("area").unique())
        .collect()
        .get_column("area")
        .sort()
        .to_list()
    )
    earlier = previous_period(previous_period(quarter))
    return [
        BenchSelection.of(quarter),
        BenchSelection.of(year),
        BenchSelection.of(earlier, areas[:3], "uasc"),
        BenchSelection.of(year, areas[-1:], "citizen"),
        BenchSelection.of(quarter, areas[1:2], "all"),
    ]


# --- the worker (one engine, one process) ------------------------------------------------------


def _median_of(fn: Callable[[int], Any], repeats: int) -> tuple[list[float], Any]:
    """Run fn(i) once to warm up, then ``repeats`` times; return the timings and the last result."""
    result = fn(0)
    times = []
    for i in range(repeats):
        # Let the last result go first: freeing it is not the step's work, and holding it while
        # the next is made would count two loaded datasets in the peak memory.
        result = None
        start = time.perf_counter()
        result = fn(i + 1)
        times.append(time.perf_counter() - start)
    return times, result


def _forget_indicator_sets(ds: Any) -> None:
    """Forget everything the dataset has worked out since it loaded (indicator sets, trends, the
    whole service's children in care, pages ...), keeping only its derived tables, which the
    baselines too build once at load: every timed repeat computes its answer afresh."""
    from iro_metrics.dataset_memo import DatasetMemo

    ds.memo = DatasetMemo(care=ds.memo.care)


def _engine(name: str) -> tuple[Callable[[Path], Any], Callable[[Any, BenchSelection], pl.DataFrame]]:
    if name == "pandas":
        from tools.bench import pandas_baseline as module

        return module.load, module.compute
    if name == "duckdb":
        from tools.bench import duckdb_baseline as module

        return module.load, module.compute
    from iro_metrics.dataset import load_dataset
    from iro_metrics.indicators import compute_indicators

    def compute(ds: Any, sel: BenchSelection) -> pl.DataFrame:
        _forget_indicator_sets(ds)  # time the computation, not the memo of recent selections
        return compute_indicators(Selection.of(ds, sel.period, list(sel.areas) or None, sel.cohort))

    return load_dataset, compute


def _ours_extras(folder: Path, main: BenchSelection, repeats: int, timings: dict, errors: dict) -> None:
    """Loading alone, each breakdown and each page's data (our code only)."""
    from iro_metrics import indicators
    from iro_metrics.dataset import load_dataset
    from iro_metrics.pages import areas, challenge, children, childrens_views, overview, quality, reviews

    load_times, ds = _median_of(lambda _i: load_dataset(folder), repeats)
    timings["load (load_dataset alone)"] = load_times
    # Each derived file's share of a load: reading it alone (text lists: the values of a text
    # column several files share, turned into categories).
    for path in sorted((folder / "derived").glob("*.parquet")):
        timings[f"load share: derived/{path.name} ({path.stat().st_size / 1e6:,.1f} MB)"] = _median_of(
            lambda _i, path=path: pl.read_parquet(path), repeats
        )[0]
    indicators.compute_indicators(
        Selection.of(ds, main.period)
    )  # fill the memo of the main selection, as the app does once

    period = main.period
    # Rotate through recent periods of the same kind, as a user changing the period filter does.
    recent = [period]
    for _ in range(3):
        recent.append(previous_period(recent[-1]))

    def rotating(fn: Callable[[Period], Any]) -> Callable[[int], Any]:
        def run(i: int) -> Any:
            _forget_indicator_sets(ds)  # every period is computed afresh, as for a new selection
            return fn(recent[i % len(recent)])

        return run

    breakdowns: dict[str, Callable[[Period], Any]] = {
        "indicators_by_area": lambda p: indicators.indicators_by_area(Selection.of(ds, p)),
        "area_ranges": lambda p: indicators.area_ranges(Selection.of(ds, p)),
        "indicator_trend (quarters)": lambda p: indicators.indicator_trend(Selection.of(ds, p), kind="quarter"),
        "indicator_trend (years)": lambda p: indicators.indicator_trend(Selection.of(ds, p), kind="year"),
        "disputes_by_category_level": lambda p: indicators.disputes_by_category_level(Selection.of(ds, p)),
        "participation_mix": lambda p: indicators.participation_mix(Selection.of(ds, p)),
        "qa_grade_mix": lambda p: indicators.qa_grade_mix(Selection.of(ds, p)),
    }
    for by in ("age_band", "sex", "ethnicity_group", "legal_status", "cohort"):
        breakdowns[f"children_in_care_by {by}"] = lambda p, by=by: indicators.children_in_care_by(
            Selection.of(ds, p), by
        )
    try:
        from iro_metrics.judgement import scorecard

        breakdowns["scorecard"] = lambda p: scorecard(Selection.of(ds, p, None, "all"))
    except ImportError as exc:
        errors["scorecard"] = str(exc)
    for name, fn in breakdowns.items():
        try:
            timings[f"breakdown: {name}"] = _median_of(rotating(fn), repeats)[0]
        except Exception as exc:  # report, keep measuring the rest
            errors[f"breakdown: {name}"] = f"{type(exc).__name__}: {exc}"
    try:
        from tools.bench.briefing_bench import time_briefing

        time_briefing(ds, period, repeats, timings)  # Kent scale only (a council's areas)
    except Exception as exc:
        errors["briefing"] = f"{type(exc).__name__}: {exc}"
    page_modules = (overview, children, reviews, quality, challenge, childrens_views, areas)
    for module in page_modules:
        name = module.__name__.rsplit(".", 1)[-1]
        fn = getattr(module, f"{name}_figures")
        try:
            timings[f"page: {name}"] = _median_of(rotating(lambda p, fn=fn: fn(Selection.of(ds, p))), repeats)[0]
        except Exception as exc:
            errors[f"page: {name}"] = f"{type(exc).__name__}: {exc}"


def worker(engine: str, folder: Path, repeats: int, extras: bool) -> dict[str, Any]:
    """Time one engine on one dataset; return timings, results per selection and peak memory."""
    load, compute = _engine(engine)
    selections = bench_selections(folder)
    main = selections[0]
    timings: dict[str, list[float]] = {}
    errors: dict[str, str] = {}
    load_repeats = max(1, min(repeats, 3))

    def cold(_i: int) -> Any:
        state = load(folder)
        compute(state, main)
        return state

    first_load_peak_mb = None
    if engine == "polars":
        first = _run_worker("first-load", folder, 1, False)  # its own process: its peak is its own
        if "failed" in first:
            errors[FIRST_LOAD_STEP] = first["failed"]
        else:
            timings[FIRST_LOAD_STEP] = [first["seconds"]]
            first_load_peak_mb = first["peak_memory_mb"]
    timings[LOAD_STEP], state = _median_of(cold, load_repeats)
    if engine != "polars":  # a baseline keeps nothing between loads: each load is its first
        timings[FIRST_LOAD_STEP] = timings[LOAD_STEP]
    timings[MAIN_STEP], _ = _median_of(lambda _i: compute(state, main), repeats)
    results = {sel.key: compute(state, sel).to_dicts() for sel in selections}
    core_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    state = None  # let the dataset go: the extras load their own
    if extras:
        _ours_extras(folder, main, repeats, timings, errors)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "engine": engine,
        "timings": timings,
        "results": results,
        "selections": [s.key for s in selections],
        "peak_memory_mb": peak_kb / 1024,
        "core_peak_memory_mb": core_peak_kb / 1024,
        "errors": errors,
        "first_load_peak_memory_mb": first_load_peak_mb,
    }


def _first_ever_load(folder: Path, main: BenchSelection) -> float:
    """Seconds from nothing to the first answer for a copy of the dataset without ``derived/``
    (as just after an import, before anything is kept beside it): checks, builds and writes it."""
    from iro_metrics.care_tables import DERIVED_FOLDER
    from iro_metrics.dataset import load_dataset
    from iro_metrics.indicators import compute_indicators

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(DERIVED_FOLDER, ".*"))
        start = time.perf_counter()
        ds = load_dataset(copy)
        compute_indicators(Selection.of(ds, main.period, list(main.areas) or None, main.cohort))
        return time.perf_counter() - start


def interleaved_worker(folder: Path, repeats: int) -> dict[str, Any]:
    """The three engines in one process, timed in turn on the same selection, so that a change
    in the machine's load during the run affects all three alike (the fair ratio)."""
    main = bench_selections(folder)[0]
    states = {}
    for engine in ENGINES:
        load, compute = _engine(engine)
        states[engine] = (load(folder), compute)
        compute(states[engine][0], main)  # warm-up
    timings: dict[str, list[float]] = {engine: [] for engine in ENGINES}
    for _ in range(repeats):
        for engine, (state, compute) in states.items():
            start = time.perf_counter()
            compute(state, main)
            timings[engine].append(time.perf_counter() - start)
    return {"engine": "interleaved", "timings": timings}


# --- the parent: run workers, compare, print ---------------------------------------------------


def _run_worker(engine: str, folder: Path, repeats: int, extras: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "tools.bench.run", "--worker", engine, "--folder", str(folder)]
        cmd += ["--repeats", str(repeats), "--out", str(out)] + (["--extras"] if extras else [])
        root = Path(__file__).resolve().parents[2]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
            return {"engine": engine, "failed": "\n".join(tail)}
        return json.loads(out.read_text())


def _frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"indicator": pl.String, "value": pl.Float64, "numerator": pl.Float64, "denominator": pl.Float64}
    )


def compare_results(ours: pl.DataFrame, theirs: pl.DataFrame, label: str) -> list[str]:
    """Every way two indicator sets differ: missing ids, or values not equal within 1e-9."""
    problems = []
    a, b = set(ours["indicator"]), set(theirs["indicator"])
    if a - b:
        problems.append(f"{label}: only ours has {sorted(a - b)}")
    if b - a:
        problems.append(f"{label}: only the baseline has {sorted(b - a)}")
    joined = ours.join(theirs, on="indicator", how="inner", suffix="_b")
    differs = joined.filter(
        (pl.col("value").is_null() != pl.col("value_b").is_null())
        | ((pl.col("value") - pl.col("value_b")).abs() > TOLERANCE)
    )
    for row in differs.iter_rows(named=True):
        problems.append(f"{label}: {row['indicator']} = {row['value']} (ours) vs {row['value_b']}")
    return problems


def _dataset_rows(folder: Path) -> dict[str, int]:
    return {p.stem: pl.scan_parquet(p).select(pl.len()).collect().item() for p in sorted(folder.glob("*.parquet"))}


def run_bench(
    scale: str = "national",
    repeats: int | None = None,
    engines: tuple[str, ...] = ENGINES,
    extras: bool | None = None,
    app: bool | None = None,
    folder: Path | str | None = None,
    imports: bool = True,
) -> BenchReport:
    """Generate (once) the dataset for ``scale``, time every engine, print the table, check agreement.

    ``scale`` is ``national``, ``kent`` (the shipped dataset in data/, else a generated one) or
    ``quick`` (a tiny generated dataset, for make test). ``repeats``
    defaults to 7 (2 in quick mode). ``extras`` (breakdowns and pages, our code only) and ``app``
    (the app end to end in headless Chromium at Kent scale and at ``scale``, see ``app_latency``)
    default to on except in quick mode. ``imports`` times importing a county's and (at national
    scale) a nation's 903 return from CSV and XML (``import_bench``; not in quick mode). Raises EnginesDisagreeError when the engines' indicator
    values differ.
    """
    if scale not in national.SCALES:
        raise ValueError(f"scale must be one of {', '.join(national.SCALES)}, not {scale!r}")
    extras = scale != "quick" if extras is None else extras
    app = scale != "quick" if app is None else app
    repeats = repeats or (2 if scale == "quick" else 7)
    started = time.perf_counter()
    shipped = Path(__file__).resolve().parents[2] / "data"
    if folder:
        path = Path(folder)
    elif scale == "kent" and (shipped / "dataset.toml").exists():
        path = shipped  # the shipped synthetic Kent is the Kent-scale dataset
    else:
        path = national.ensure_dataset(scale)
    print(f"Dataset ready in {time.perf_counter() - started:.1f} s: {path}", flush=True)
    outputs = {}
    for engine in engines:
        print(f"  timing {engine} ...", flush=True)
        outputs[engine] = _run_worker(engine, path, repeats, extras and engine == "polars")
    interleaved = {}
    if set(engines) == set(ENGINES):
        print("  timing the three engines in turn ...", flush=True)
        interleaved = _run_worker("interleaved", path, repeats, False)
    report = BenchReport(scale, path, _dataset_rows(path), {}, {}, [])
    for engine, out in outputs.items():
        if "failed" in out:
            report.errors[engine] = out["failed"]
            continue
        report.medians[engine] = {k: statistics.median(v) for k, v in out["timings"].items()}
        report.peak_memory_mb[engine] = out["peak_memory_mb"]
        report.core_peak_memory_mb[engine] = out["core_peak_memory_mb"]
        if out.get("first_load_peak_memory_mb"):
            report.first_load_peak_memory_mb[engine] = out["first_load_peak_memory_mb"]
        report.selections = out["selections"]
        report.errors.update({f"{engine} {k}": v for k, v in out["errors"].items()})
    if "failed" in interleaved:
        report.errors["interleaved"] = interleaved["failed"]
    for engine, times in interleaved.get("timings", {}).items():
        if engine in report.medians:
            report.medians[engine][INTERLEAVED_STEP] = statistics.median(times)
    reference = outputs.get("polars") if "failed" not in outputs.get("polars", {"failed": 1}) else None
    for engine, out in outputs.items():
        if "failed" in out:
            report.disagreements.append(f"{engine} failed to run: {out['failed']}")
            continue
        if reference is None or engine == "polars":
            continue
        for key in out["selections"]:
            report.disagreements += compare_results(
                _frame(reference["results"][key]), _frame(out["results"][key]), f"{engine} [{key}]"
            )
    if app:
        from tools.bench import app_latency

        report.app = app_latency.measure_scales(scale, path)
    print_report(report, repeats)
    if scale != "quick" and imports:
        from tools.bench import import_bench

        import_bench.measure(("county", "national") if scale == "national" else ("county",))
    if report.disagreements:
        raise EnginesDisagreeError("; ".join(report.disagreements[:10]))
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tools.bench [--scale S] [--repeats N] [--quick] [--no-app]``."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(national.SCALES), default="national")
    parser.add_argument("--quick", action="store_true", help="the tiny dataset, 2 repeats (what make test runs)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--no-app", action="store_true", help="skip timing the app end to end in Chromium")
    parser.add_argument("--worker", choices=[*ENGINES, "interleaved", "first-load"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--extras", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "first-load":
        main_selection = bench_selections(args.folder)[0]
        seconds = _first_ever_load(args.folder, main_selection)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        args.out.write_text(json.dumps({"seconds": seconds, "peak_memory_mb": peak}))
        return 0
    if args.worker == "interleaved":
        args.out.write_text(json.dumps(interleaved_worker(args.folder, args.repeats or 5)))
        return 0
    if args.worker:
        result = worker(args.worker, args.folder, args.repeats or 5, args.extras)
        args.out.write_text(json.dumps(result))
        return 0
    scale = "quick" if args.quick else args.scale
    try:
        run_bench(scale, args.repeats, app=False if args.no_app else None)
    except EnginesDisagreeError:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
