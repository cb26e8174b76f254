"""Run an import in a child process with a memory and a time limit, so the server lives whatever a file does.

A hostile file may make a reader panic (abort the process), allocate without bound or loop; in the
child that ends the child only. The parent gets the child's report back, or, when the child is
stopped by a limit or dies, a refused report naming the rule (``import_memory_limit``,
``import_time_limit``, ``import_crashed``). The dataset is swapped in only at the end of a
successful import, so a child stopped part way leaves the previous dataset as it was.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
from collections.abc import Callable
from typing import Any

from iro_metrics.importer.report import ImportReport, problem

MEMORY_LIMIT_BYTES = 1536 * 1024**2  # the importing process's address space
TIME_LIMIT_SECONDS = 300  # wall clock; a national return from CSV takes about a minute


def _child(conn: Any, memory: int, seconds: int, fn: Callable[..., ImportReport], args: tuple, kwargs: dict) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    try:
        report = fn(*args, **kwargs)
    except MemoryError:
        conn.send(("memory", None))
        return
    conn.send(("ok", report))


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
    """``fn(*args, **kwargs)`` (an import returning its report) in a child process under the limits."""
    context = mp.get_context("spawn")  # no copy of the server's threads and memory
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, memory_bytes, seconds, fn, args, kwargs), daemon=True)
    process.start()
    child.close()
    outcome: tuple[str, ImportReport | None] | None = None
    timed_out = False
    try:
        if parent.poll(seconds):
            outcome = parent.recv()
        else:
            timed_out = True
    except (EOFError, OSError):
        outcome = None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    mb = memory_bytes // 1024**2
    if outcome is not None and outcome[0] == "ok" and outcome[1] is not None:
        return outcome[1]
    if outcome is not None and outcome[0] == "memory":
        return _refused(
            "import_memory_limit",
            f"The import needed more than {mb:,} MB of memory and was stopped; nothing was changed. "
            "A file may be far larger than it looks (declared sizes, columns or nesting).",
        )
    if timed_out or process.exitcode == -24:  # SIGXCPU: the CPU limit
        return _refused(
            "import_time_limit",
            f"The import took longer than {seconds:,} seconds and was stopped; nothing was changed.",
        )
    return _refused(
        "import_crashed",
        f"Reading the files stopped the import process (exit {process.exitcode}; a file may be malformed or "
        f"hostile, or need more than {mb:,} MB); nothing was changed. Check the files one by one.",
    )


__all__ = ["MEMORY_LIMIT_BYTES", "TIME_LIMIT_SECONDS", "run_limited"]
