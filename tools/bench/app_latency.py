"""The app end to end: how long a filter change takes until the page has finished rerunning.

Starts ``streamlit run serve.py`` (app.py with its first page prepared while the server starts)
headless on a free port with the dataset to measure, opens it in
headless Chromium (Debian's /usr/bin/chromium through Playwright), then makes filter changes in
the sidebar (financial year and quarter), each to a selection not seen before, so that no
cached page is reused. Each change is timed from the click until Streamlit reports the script
run finished (``data-test-script-state`` goes to ``running`` and back to ``notRunning``), which
covers the rerun, the transfer and the page's elements being replaced. Also records the first
page load and the server's peak memory (VmHWM from /proc).

The first load starts when the page is opened, with the server already running and healthy and
Chromium started, and ends when the first script run has finished (connected, script idle, the
sidebar drawn) and every chart on the Overview has been drawn. Starting the server is not in it
("server start ms": from starting the process until it answers its health check). serve.py answers
only once it has imported the first page's modules, loaded the dataset and worked out the
Overview's figures for the default selection, so the first load is the browser loading Streamlit's
page, a first run that finds those ready, and drawing. With ``script="app.py"`` the first run does
all of that work while the page waits.

The dataset is passed as IRO_DATASET=<folder>, which the app opens first (with an empty,
temporary IRO_DATA_HOME so that nothing else is offered).

Each change is timed twice: from the start of the Playwright action (which, for a financial
year, includes opening the drop-down list and waiting for its options) and from the click that
commits the change (the last click the page receives), which is what a user waits through.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from iro_metrics.periods import years_between
from tools.bench import national

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")

_RECORDER = """
() => {
  window.__iroRuns = [];
  window.__iroClicks = [];
  document.addEventListener('click', () => window.__iroClicks.push(performance.now()), true);
  const app = document.querySelector('[data-testid="stApp"]');
  // One callback may carry several changes (a run that starts and ends within one task): a change
  // away from 'running' records that run too, so that no run is missed.
  const note = (changes) => {
    const t = performance.now();
    if (changes.some(c => c.oldValue === 'running')) window.__iroRuns.push({s: 'running', t});
    window.__iroRuns.push({s: app.getAttribute('data-test-script-state'), t});
  };
  new MutationObserver(note).observe(app, {attributes: true, attributeOldValue: true, attributeFilter: ['data-test-script-state']});
}
"""

_CHARTS_DRAWN = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
  .filter(c => c.checkVisibility())  // a chart in a closed tab or expander is drawn when opened
  .every(c => c.querySelector('canvas, svg'))
"""

# A change clicked while a run is under way or requested (a rerun the app asked for itself, say) is
# taken into that run: no 'running' is noted after t0, so the run under way at t0 counts as the one started.
_FINISHED_AFTER = """
([t0, runningAtStart]) => {
  const runs = window.__iroRuns.filter(e => e.t >= t0);
  let started = runs.findIndex(e => e.s !== 'notRunning');  // running, or a rerun requested
  if (started < 0 && runningAtStart) started = 0;
  if (started < 0) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  return app.getAttribute('data-test-script-state') === 'notRunning'
      && runs.slice(started).some(e => e.s === 'notRunning');
}
"""

_NOW_AND_STATE = """
() => [performance.now(),
       document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') !== 'notRunning']
"""

# Ms from t0 and from the last click to the run's end: the last finish the page showed, or
# ``finished`` (on the page's clock) when the page showed none.
_FINISH_TIMES = """
([t0, finished]) => {
  const runs = window.__iroRuns.filter(e => e.t >= t0 && e.s === 'notRunning');
  const clicks = window.__iroClicks.filter(t => t >= t0);
  const end = finished ?? runs[runs.length - 1].t;
  return [end - t0, end - (clicks.length ? clicks[clicks.length - 1] : t0)];
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


def _years(folder: Path) -> list[str]:
    """The financial years a dataset covers, oldest first (dataset.toml, else the review dates)."""
    with (folder / "dataset.toml").open("rb") as fh:
        meta = tomllib.load(fh)
    first, last = meta.get("first_day"), meta.get("last_day")
    if not (isinstance(first, date) and isinstance(last, date)):
        dates = pl.scan_parquet(folder / "reviews.parquet").select(
            pl.col("review_date").min().alias("first"), pl.col("review_date").max().alias("last")
        )
        first, last = dates.collect().row(0)
    return [p.label for p in years_between(first, last)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _ScriptFinishes:
    """When (``time.perf_counter``) the server's "script finished" messages reached the page.

    A run fast enough that its start and finish reach the page together may never show as
    ``running`` in the page (its renders are batched), so the page alone cannot say it ran; the
    server's message does (read from the page's websocket)."""

    def __init__(self, page: Any) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.times: list[float] = []
        early = ForwardMsg.FINISHED_EARLY_FOR_RERUN

        def on_frame(payload: str | bytes) -> None:
            if isinstance(payload, bytes):
                with contextlib.suppress(Exception):
                    message = ForwardMsg.FromString(payload)
                    # A run cut short for a rerun is not the end of the change: the rerun is.
                    if message.WhichOneof("type") == "script_finished" and message.script_finished != early:
                        self.times.append(time.perf_counter())

        page.on("websocket", lambda ws: ws.on("framereceived", on_frame))

    def first_after(self, t: float) -> float | None:
        return next((x for x in self.times if x >= t), None)


# How long after the server's finish message a run is given to show in the page before the change is
# timed by that message instead (see _ScriptFinishes).
_UNSEEN_RUN_GRACE_S = 2.0


def _wait_run(
    page: Any, finishes: _ScriptFinishes, started: tuple[float, float], running_at_start: bool, timeout_ms: float
) -> tuple[float, float, bool]:
    """Wait for the rerun a change started at ``started`` (on the page's clock in ms, on this
    process's in s) to finish: (ms from then, ms from the last click, whether timed by the
    server's message because the page showed no run)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    t0, t0_here = started
    deadline = t0_here + timeout_ms / 1000
    while True:
        try:
            page.wait_for_function(_FINISHED_AFTER, arg=[t0, running_at_start], timeout=500, polling=20)
            from_action, from_click = page.evaluate(_FINISH_TIMES, [t0, None])
            return from_action, from_click, False
        except PlaywrightTimeout:
            now = time.perf_counter()
            finished = finishes.first_after(t0_here)
            _, running = page.evaluate(_NOW_AND_STATE)
            if finished is not None and not running and now - finished > _UNSEEN_RUN_GRACE_S:
                from_action, from_click = page.evaluate(_FINISH_TIMES, [t0, t0 + (finished - t0_here) * 1000])
                return from_action, from_click, True
            if now > deadline:
                shot = Path(tempfile.gettempdir()) / "iro-app-latency-timeout.png"
                page.screenshot(path=str(shot))
                runs = page.evaluate("window.__iroRuns.slice(-6)")
                raise RuntimeError(
                    f"the page did not finish a run after a filter change ({runs}); see {shot}"
                ) from None


# The pages a user moves between with the filters, by URL path ("" is the Overview).
PAGES: dict[str, str] = {
    "overview": "",
    "children": "children",
    "reviews": "reviews",
    "quality": "quality",
    "challenge": "challenge",
    "views": "views",
    "areas": "areas",
}


def _open(page: Any, url: str, timeout_s: float) -> float:
    """Open a page in a new session; the ms until its first run has finished and its charts are drawn."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']",
        timeout=timeout_s * 1000,
    )
    page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stRadio']", timeout=timeout_s * 1000)
    page.wait_for_function(_CHARTS_DRAWN, timeout=timeout_s * 1000, polling=20)
    return (time.perf_counter() - started) * 1000


def measure_app(
    folder: Path | str,
    changes: int = 30,
    timeout_s: float = 120.0,
    script: str = "serve.py",
    pages: tuple[str, ...] = ("overview",),
) -> dict[str, float]:
    """Start the app (``streamlit run <script>``: serve.py, the app with its first page prepared
    at server start, or app.py) on ``folder``'s dataset and time ``changes`` filter changes in
    Chromium on each of ``pages`` (keys of ``PAGES``), each opened in a new session.

    Returns, for the first page, p50, p95, max and mean of the change latencies from the committing
    click (ms), the p95 from the start of each Playwright action, the first load (ms), the number of
    changes and the server's peak memory (MB); for each further page its p50, p95 and max and the
    ms it took to open.
    """
    from playwright.sync_api import sync_playwright

    folder = Path(folder).resolve()
    port = _free_port()
    per_page: dict[str, list[tuple[float, float, bool]]] = {}
    opened: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "IRO_DATASET": str(folder), "IRO_DATA_HOME": home, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true"]
        cmd += ["--server.port", str(port), "--server.address", "127.0.0.1", "--global.developmentMode", "false"]
        cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        launched = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _wait_healthy(port, proc)
            server_start = (time.perf_counter() - launched) * 1000
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                finishes = _ScriptFinishes(page)
                for name in pages:
                    opened[name] = _open(page, f"http://127.0.0.1:{port}/{PAGES[name]}", timeout_s)
                    page.evaluate(_RECORDER)
                    per_page[name] = _change_filters(page, finishes, _years(folder), changes, timeout_s * 1000)
                browser.close()
        finally:
            peak = _peak_rss_mb(proc.pid)
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    first, *others = pages
    latencies = [from_click for _, from_click, _ in per_page[first]]
    from_actions = [from_action for from_action, _, _ in per_page[first]]
    unseen = sum(seen for changes_on_page in per_page.values() for *_, seen in changes_on_page)
    result = {
        "p50 ms": _percentile(latencies, 0.5),
        "p95 ms": _percentile(latencies, 0.95),
        "max ms": max(latencies),
        "mean ms": statistics.fmean(latencies),
        "p95 ms from action": _percentile(from_actions, 0.95),
        "changes": float(len(latencies)),
        "first load ms": opened[first],
        "server start ms": server_start,
        "server peak MB": peak or float("nan"),
        "changes timed by the server's message": float(unseen),
    }
    for name in others:
        clicks = [from_click for _, from_click, _ in per_page[name]]
        result |= {
            f"{name} p50 ms": _percentile(clicks, 0.5),
            f"{name} p95 ms": _percentile(clicks, 0.95),
            f"{name} max ms": max(clicks),
            f"{name} opened ms": opened[name],
        }
    return result


def _change_filters(
    page: Any, finishes: _ScriptFinishes, years: list[str], changes: int, timeout_ms: float
) -> list[tuple[float, float, bool]]:
    """Click through (cohort, year, quarter) selections not seen before; each change's latencies
    in ms (from the start of the action, from the committing click) and whether the page showed
    no run (timed by the server's message)."""
    sidebar = page.get_by_test_id("stSidebar")
    year_box = sidebar.get_by_test_id("stSelectbox").filter(has_text="Financial year")
    quarter_radio = sidebar.get_by_test_id("stRadio").filter(has_text="Quarter or whole year")
    cohort_options = sidebar.get_by_test_id("stRadio").filter(has_text="Children").get_by_test_id("stRadioOption")
    latencies: list[tuple[float, float, bool]] = []

    def timed(action: Any) -> None:
        t0, running = page.evaluate(_NOW_AND_STATE)
        t0_here = time.perf_counter()  # t0 on this process's clock, within a millisecond or two
        action()
        latencies.append(_wait_run(page, finishes, (t0, t0_here), running, timeout_ms))

    def pick_year(year: str) -> None:
        year_box.click()
        page.get_by_role("option", name=year, exact=True).click()

    current_year = years[-1]  # the app opens on the newest year
    for cohort in range(cohort_options.count()):  # every cohort in turn, when one is not enough
        if cohort and len(latencies) < changes:
            timed(cohort_options.nth(cohort).click)
        order = list(reversed(years)) if cohort % 2 == 0 else years
        for year in order:
            if len(latencies) >= changes:
                return latencies
            if year != current_year:
                timed(lambda year=year: pick_year(year))
                current_year = year
            options = quarter_radio.get_by_test_id("stRadioOption")
            for i in range(options.count()):
                if len(latencies) >= changes:
                    return latencies
                if options.nth(i).get_attribute("data-selected") != "true":
                    timed(options.nth(i).click)
    return latencies


def measure_scales(
    scale: str, folder: Path, changes: int = 20, scripts: tuple[str, ...] = ("serve.py", "app.py")
) -> dict[str, dict[str, float]]:
    """App latency on every page at Kent scale (the shipped dataset, else the generated Kent one)
    and at ``scale``, started as each of ``scripts``."""
    results: dict[str, dict[str, float]] = {}
    shipped = ROOT / "data"
    kent = shipped if (shipped / "dataset.toml").exists() else national.ensure_dataset("kent")
    targets = {"kent": kent}
    if scale not in targets:
        targets[scale] = folder
    for name, path in targets.items():
        for script in scripts:
            label = f"{name} ({path.name}), {script}"
            print(f"  timing the app at {name} scale, {script} ({changes} filter changes a page) ...", flush=True)
            try:
                results[label] = measure_app(path, changes, script=script, pages=tuple(PAGES))
            except Exception as exc:  # report and carry on with the other scale
                results[label] = {"error": float("nan")}
                print(f"    app latency at {name} scale not measured: {type(exc).__name__}: {exc}", flush=True)
            print(f"    load average {os.getloadavg()[0]:.1f}", flush=True)
    return results


if __name__ == "__main__":  # python -m tools.bench.app_latency <folder> [changes] [app.py|serve.py] [pages]
    result = measure_app(
        sys.argv[1],
        int(sys.argv[2]) if len(sys.argv) > 2 else 30,
        script=sys.argv[3] if len(sys.argv) > 3 else "serve.py",
        pages=tuple(sys.argv[4].split(",")) if len(sys.argv) > 4 else tuple(PAGES),
    )
    print(f"load average {os.getloadavg()[0]:.1f}")
    for k, v in result.items():
        print(f"{k:>16}: {v:,.1f}")
