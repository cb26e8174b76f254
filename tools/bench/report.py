"""The benchmark's results: what a run measured (``BenchReport``) and the table it prints."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

ENGINES: tuple[str, ...] = ("polars", "pandas", "duckdb")
MAIN_STEP = "indicators (one selection)"
LOAD_STEP = "load + first answer"
FIRST_LOAD_STEP = "first-ever load + first answer (no derived/)"
INTERLEAVED_STEP = "indicators (one selection), engines in turn"


@dataclass
class BenchReport:
    """What a benchmark run measured."""

    scale: str
    folder: Path
    rows: dict[str, int]
    medians: dict[str, dict[str, float]]  # engine -> step -> seconds
    peak_memory_mb: dict[str, float]  # the whole worker (our code: breakdowns and pages included)
    selections: list[str]
    disagreements: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    core_peak_memory_mb: dict[str, float] = field(default_factory=dict)  # loads + indicator sets only
    app: dict[str, dict[str, float]] = field(default_factory=dict)
    first_load_peak_memory_mb: dict[str, float] = field(default_factory=dict)  # ours: building derived/

    def ratio(self, engine: str, step: str = INTERLEAVED_STEP) -> float | None:
        """How many times longer ``engine`` took than our code for ``step``."""
        ours, theirs = self.medians.get("polars", {}).get(step), self.medians.get(engine, {}).get(step)
        return None if not ours or theirs is None else theirs / ours


_OTHER_PAGES = ("children", "reviews", "quality", "challenge", "views", "areas")


def _load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def print_report(report: BenchReport, repeats: int) -> None:
    """The results table: medians per engine, ratios against our code, peak memory, agreement."""
    total = sum(report.rows.values())
    print(f"\nIRO explorer benchmark, {report.scale} scale: {total:,} rows in {report.folder}")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in report.rows.items()))
    cpus = os.cpu_count()
    load = _load_average()
    print(f"  {platform.python_implementation()} {platform.python_version()}, {cpus} CPUs, load average {load:.1f}")
    print(f"  medians of {repeats} runs after a warm-up (load: up to 3 runs)\n")
    engines = [e for e in ENGINES if e in report.medians]
    header = f"{'step':<50}" + "".join(f"{e:>14}" for e in engines)
    header += "".join(f"{e + '/ours':>16}" for e in engines if e != "polars")
    print(header)
    print("-" * len(header))
    first = [FIRST_LOAD_STEP, LOAD_STEP, MAIN_STEP, INTERLEAVED_STEP]
    steps = list(dict.fromkeys([*first, *(s for e in engines for s in report.medians[e])]))
    for step in steps:
        line = f"{step:<50}" + "".join(f"{_fmt_seconds(report.medians[e].get(step)):>14}" for e in engines)
        for e in engines:
            if e != "polars":
                r = report.ratio(e, step)
                line += f"{(f'{r:,.1f}x' if r else '-'):>16}"
        print(line)
    print(
        f"{'peak memory: loads + indicator sets':<50}"
        + "".join(f"{report.core_peak_memory_mb[e]:>11,.0f} MB" for e in engines)
    )
    print(
        f"{'peak memory: whole run (ru_maxrss)':<50}"
        + "".join(f"{report.peak_memory_mb[e]:>11,.0f} MB" for e in engines)
    )
    for engine, peak in report.first_load_peak_memory_mb.items():
        print(
            f"peak memory of {engine}'s first-ever load (derived/ built and written, its own process): {peak:,.0f} MB"
        )
    if report.app:
        print("\nThe app end to end (headless Chromium; each filter change to a selection not seen before):")
        for name, stats in report.app.items():
            print(f"  {name}")
            overview = {k: v for k, v in stats.items() if not any(k.startswith(f"{p} ") for p in _OTHER_PAGES)}
            print("    overview: " + "  ".join(f"{k} {v:,.0f}" for k, v in overview.items()))
            for page in _OTHER_PAGES:
                found = {k.removeprefix(f"{page} "): v for k, v in stats.items() if k.startswith(f"{page} ")}
                if found:
                    print(f"    {page}: " + "  ".join(f"{k} {v:,.0f}" for k, v in found.items()))
            if "server peak MB" in stats:
                print(f"    the server's peak memory (VmHWM): {stats['server peak MB']:,.0f} MB")
        print(f"  load average at the end: {_load_average():.1f}")
    for step, message in report.errors.items():
        print(f"  not measured: {step}: {message}")
    if report.disagreements:
        print(f"\nENGINES DISAGREE ({len(report.disagreements)}):")
        for line in report.disagreements[:40]:
            print("  " + line)
    else:
        print(f"\nThe three engines agree on {len(report.selections)} selections: " + "; ".join(report.selections))
