"""The allocator setting (iro_metrics/__init__.py) takes effect only if it is made before Polars
loads: every entry point must import iro_metrics before Polars."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _import_order(code: str) -> list[str]:
    """The top-level packages in the order ``code`` first imports them (from -X importtime)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    order = []
    for line in run.stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name in ("iro_metrics", "polars") and name not in order:
            order.append(name)
    return order


@pytest.mark.parametrize(
    "entry",
    [
        "from ui import app_auth, navigation, state, widgets",  # app.py's first import
        "import streamlit, starlette.middleware; from iro_metrics.access.origin import OriginCheck",  # serve.py's
        "import iro_metrics.__main__",  # the command line
        "import tools.bench.run",  # the benchmark measures what the product runs
    ],
)
def test_iro_metrics_is_imported_before_polars(entry: str) -> None:
    order = _import_order(entry)
    assert order[:1] == ["iro_metrics"], order


def test_the_setting_reaches_a_fresh_process_and_a_deployments_own_wins() -> None:
    # Polars appends the setting to its own defaults, so the later (ours) wins.
    code = "import os, iro_metrics, polars; print(os.environ['_RJEM_MALLOC_CONF'])"
    bare = {"PATH": "/usr/bin:/bin"}  # not this test process's environment, where Polars has set it
    plain = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=bare)
    assert plain.stdout.strip().endswith(",dirty_decay_ms:300,muzzy_decay_ms:0")
    own_env = {**bare, "_RJEM_MALLOC_CONF": "dirty_decay_ms:0"}
    own = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=own_env
    )
    assert own.stdout.strip().endswith(",dirty_decay_ms:0")
