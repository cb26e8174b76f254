"""Run an import in a child process with a memory and a time limit, so the server lives whatever a file does.

A hostile file may make a reader panic (abort the process), allocate without bound or loop; in the
child that ends the child only. Memory is the child's resident memory, watched by the parent every
few milliseconds (an address-space limit would refuse honest imports: Polars and the XML reader
reserve several times what they use, 17 GB of address space for a national XML return that
needs 1.3 GB). The parent gets the child's report back, or, when the child is
stopped by a limit or dies, a refused report naming the rule (``import_memory_limit``,
``import_time_limit``, ``import_crashed``). The dataset is swapped in only at the end of a
successful import, so a child stopped part way leaves the previous dataset as it was.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iro_metrics.importer.report import ImportReport, problem

MEMORY_LIMIT_BYTES = 1536 * 1024**2  # the importing process's resident memory
TIME_LIMIT_SECONDS = 300  # wall clock; a national return takes 15-25 s on two cores
_POLL_SECONDS = 0.02
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _child(result_path: str) -> None:
    """The child's side: read (limits, fn, args, kwargs) from stdin, run it, pickle the outcome."""
    _memory, seconds, fn, args, kwargs = pickle.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    try:
        outcome: tuple[str, ImportReport | None] = ("ok", fn(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    Path(result_path).write_bytes(pickle.dumps(outcome))


def _resident_bytes(pid: int) -> int:
    """The process's resident memory (VmRSS), 0 once it has gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _refused(rule: str, message: str) -> ImportReport:
    report = ImportReport()
    report.add(problem(rule, "(the import)", message))
    report.finish()
    return report


def run_limited(
    fn: Callable[..., ImportReport],
    *args: Any,
    memory_bytes: int = MEMORY_LIMIT_BYTES,
    seconds: int = TIME_LIMIT_SECONDS,
    **kwargs: Any,
) -> ImportReport:
    """``fn(*args, **kwargs)`` (an import returning its report) in a child process under the limits.

    The child is a fresh interpreter (``python -m iro_metrics.importer.sandbox``), not a
    multiprocessing spawn: under Streamlit ``__main__`` is the app script, which a spawned child
    would run again. ``fn`` and its arguments must pickle.
    """
    payload = pickle.dumps((memory_bytes, seconds, fn, args, kwargs))
    outcome, exitcode, over_memory, timed_out = _run_child(payload, memory_bytes, seconds)
    mb = memory_bytes // 1024**2
    if outcome is not None and outcome[0] == "ok" and outcome[1] is not None:
        return outcome[1]
    if over_memory or (outcome is not None and outcome[0] == "memory"):
        return _refused(
            "import_memory_limit",
            f"The import needed more than {mb:,} MB of memory and was stopped; nothing was changed. "
            "A file may be far larger than it looks (declared sizes, columns or nesting).",
        )
    if timed_out or exitcode == -24:  # SIGXCPU: the CPU limit
        return _refused(
            "import_time_limit",
            f"The import took longer than {seconds:,} seconds and was stopped; nothing was changed.",
        )
    return _refused(
        "import_crashed",
        f"Reading the files stopped the import process (exit {exitcode}; a file may be malformed or "
        f"hostile, or need more than {mb:,} MB); nothing was changed. Check the files one by one.",
    )


def _run_child(
    payload: bytes, memory_bytes: int, seconds: int
) -> tuple[tuple[str, ImportReport | None] | None, int | None, bool, bool]:
    """Run the child on ``payload``, watching its memory and time: its outcome (None if it left
    none), its exit code, and whether it was stopped for memory or for time."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(_PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    outcome: tuple[str, ImportReport | None] | None = None
    timed_out = over_memory = False
    with tempfile.TemporaryDirectory(prefix="iro-import-") as scratch:
        result_path = Path(scratch) / "outcome.pickle"
        process = subprocess.Popen(
            [sys.executable, "-m", "iro_metrics.importer.sandbox", str(result_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert process.stdin is not None
        try:
            process.stdin.write(payload)
            process.stdin.close()
        except BrokenPipeError:
            pass  # the child died before reading: its exit code says why
        deadline = time.monotonic() + seconds
        while process.poll() is None:
            if _resident_bytes(process.pid) > memory_bytes:
                over_memory = True
            elif time.monotonic() > deadline:
                timed_out = True
            if over_memory or timed_out:
                process.kill()
                process.wait(5)
                break
            time.sleep(_POLL_SECONDS)
        if process.returncode == 0 and result_path.exists():
            try:
                outcome = pickle.loads(result_path.read_bytes())
            except (pickle.UnpicklingError, EOFError):
                outcome = None
    return outcome, process.returncode, over_memory, timed_out


__all__ = ["MEMORY_LIMIT_BYTES", "TIME_LIMIT_SECONDS", "run_limited"]

if __name__ == "__main__":
    _child(sys.argv[1])
