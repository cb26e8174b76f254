"""The product never imports the developer tools: tools/ may import iro_metrics, never the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCT = {"tools", "tests", ".venv", "test-artifacts", ".git"}


def imported_modules(source: str) -> set[str]:
    """Every module a source file imports: ``import a.b``, ``from a.b import c`` and ``import_module("a.b")``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def product_files() -> list[Path]:
    """The product's Python: iro_metrics/, app.py, pages/ and the app's other top-level modules."""
    return sorted(path for path in ROOT.rglob("*.py") if not NOT_PRODUCT & set(path.relative_to(ROOT).parts[:1]))


def test_the_scan_finds_every_kind_of_import():
    source = "import tools.bench\nfrom tools.synthetic import generate\nimportlib.import_module('tools.bench.run')\n"
    assert imported_modules(source) == {"tools.bench", "tools.synthetic", "tools.bench.run"}


def test_nothing_in_the_product_imports_tools():
    files = product_files()
    assert ROOT / "iro_metrics" / "__main__.py" in files and ROOT / "app.py" in files
    assert not any(part == "tools" for path in files for part in path.relative_to(ROOT).parts[:1])
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in sorted(imported_modules(path.read_text(encoding="utf-8")))
        if module == "tools" or module.startswith("tools.")
    ]
    assert offenders == []
