"""The tools' command lines run from the repository root, as the Makefile calls them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("module", "options"),
    [("tools.synthetic", ["--out", "--seed"]), ("tools.bench", ["--quick", "--scale", "--repeats", "--no-app"])],
)
def test_the_tools_run_as_modules_from_the_root(module: str, options: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"usage: python -m {module}" in done.stdout
    assert all(option in done.stdout for option in options)


def test_the_product_command_line_has_no_tool_commands() -> None:
    from iro_metrics.__main__ import build_parser

    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert "indicators" in commands and not {"generate", "bench"} & set(commands)
