"""Imports run one way (issue 28, item 1): the product's import graph has no circle, no arrow from a
lower layer to a higher one, and few imports inside functions, each saying why.

The graph is read from the source with ``ast`` (nothing is imported): every module of iro_metrics/,
ui/, pages/ and the top-level files (app.py, serve.py), with the imports at module level, under
``if TYPE_CHECKING:`` and inside functions alike. An import of ``a.b.c`` from outside the package
``a.b`` runs ``a/b/__init__.py`` first, so it is an arrow to that package too: that is how a
package whose ``__init__`` imports the importer makes a circle.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("iro_metrics", "ui", "pages")
# At most this many imports inside functions across the product, each with its reason beside it.
MAX_FUNCTION_IMPORTS = 10

# --- The layers, lowest first ------------------------------------------------------------------------
# The product's parts: iro_metrics (no Streamlit) < ui (the Streamlit glue) < pages (one file per
# page) < app.py (navigation, sign-in, the sidebar) < serve.py (the server around app.py).
PARTS: tuple[str, ...] = ("iro_metrics", "ui", "pages", "app", "serve")
# Third-party packages only the app's layers may import.
APP_ONLY_PACKAGES = {"streamlit": "ui"}

# Inside iro_metrics, each module belongs to the layer of the longest name below that it starts with;
# a module may import its own layer and those below, never one above. The order is what the code
# does (issue 28): the definitions and the data first, then the ids and the indicator engine, the
# judgements built on it, then what is made for people (How we compare, charts, the committee
# paper, the pages' figures), the importer, and the command line on top.
IRO_LAYERS: tuple[tuple[str, ...], ...] = (
    # 0. Words, codes and rules with no data behind them (and the package's empty __init__).
    (
        "iro_metrics",
        "iro_metrics.errors",
        "iro_metrics.codes",
        "iro_metrics.safe_text",
        "iro_metrics.theme",
        "iro_metrics.significance",
        "iro_metrics.periods",
        "iro_metrics.formatting",
        "iro_metrics.tables",
    ),
    # 1. The data: checked, loaded, its derived tables, where datasets live, who may see what.
    (
        "iro_metrics.validation",
        "iro_metrics.toml_text",
        "iro_metrics.care",
        "iro_metrics.care_tables",
        "iro_metrics.dataset_memo",
        "iro_metrics.dataset",
        "iro_metrics.store",
        "iro_metrics.access",
    ),
    # 2. The one Selection, and the id patterns (below the theme modules that use them).
    ("iro_metrics.selection", "iro_metrics.indicator_registry"),
    # 3. The indicator engine: the theme modules, the fixed ids they declare, what is not recorded.
    ("iro_metrics.indicators",),
    # 4. What the figures mean: titles and targets, ratings, comparisons, scenarios, cards.
    (
        "iro_metrics.catalogue",
        "iro_metrics.decomposition",
        "iro_metrics.judgement",
        "iro_metrics.cards",
        "iro_metrics.compare",
        "iro_metrics.whatif",
        "iro_metrics.area_answers",
    ),
    # 5. The DfE's figures and How we compare.
    ("iro_metrics.benchmarks",),
    # 6. Every chart.
    ("iro_metrics.charts",),
    # 7. The committee paper, its disclosure decision and the app's downloads.
    ("iro_metrics.briefing",),
    # 8. What each page shows.
    ("iro_metrics.pages",),
    # 9. Reading councils' files into a dataset (it needs only layers 0 and 1; kept high so that
    # nothing below reaches for it).
    ("iro_metrics.importer",),
    # 10. The command line.
    ("iro_metrics.__main__",),
)


# --- Reading the graph ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One import statement (or ``importlib.import_module`` call) in a module."""

    module: str  # the importing module
    line: int
    targets: tuple[str, ...]  # the modules it names, as written (absolute)
    in_function: bool
    dynamic: bool = False  # importlib.import_module with a name made at run time


def product_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the product by its dotted name."""
    files = sorted(root.glob("*.py"))
    for package in PACKAGES:
        files += sorted((root / package).rglob("*.py"))
    found = {}
    for path in files:
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(module: str, source: str, *, is_package: bool = False) -> list[Import]:
    """Every import in one module's source, with whether it sits inside a function."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.append(Import(module, child.lineno, tuple(a.name for a in child.names), inside))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (child.level - 1)]
                    base = ".".join([*parts, *([child.module] if child.module else [])])
                # ``from a import b``: the module a.b when there is one, else a (resolved below).
                found.append(Import(module, child.lineno, tuple(f"{base}:{a.name}" for a in child.names), inside))
            elif (
                isinstance(child, ast.Call)
                and getattr(child.func, "attr", getattr(child.func, "id", None)) in {"import_module", "__import__"}
                and child.args
            ):
                name = child.args[0]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    found.append(Import(module, child.lineno, (name.value,), inside))
                else:
                    found.append(Import(module, child.lineno, (), inside, dynamic=True))
            visit(child, inside)

    visit(ast.parse(source), False)
    return found


def resolve(target: str, modules: Iterable[str]) -> str:
    """A target as written (``a.b`` or ``a:b`` for ``from a import b``) as the module it names."""
    known = set(modules)
    if ":" in target:
        base, name = target.split(":", 1)
        return f"{base}.{name}" if f"{base}.{name}" in known else base
    return target


def arrows(module: str, target: str, modules: Mapping[str, Path]) -> set[str]:
    """The product modules an import of ``target`` from ``module`` runs: the target, and each
    package above it that ``module`` is not inside (its ``__init__`` runs first)."""
    packages = {m for m, p in modules.items() if p.name == "__init__.py"}
    parts = target.split(".")
    found = set()
    for n in range(1, len(parts) + 1):
        name = ".".join(parts[:n])
        if name == module or name not in modules:
            continue
        if n < len(parts) and (name not in packages or module.startswith(name + ".")):
            continue
        found.add(name)
    return found


def read_graph(root: Path = ROOT) -> tuple[dict[str, set[str]], list[Import], dict[str, Path]]:
    """(the graph of product modules, every import, the modules)."""
    modules = product_files(root)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    every: list[Import] = []
    for module, path in modules.items():
        for imp in imports_of(module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py"):
            every.append(imp)
            for target in imp.targets:
                graph[module] |= arrows(module, resolve(target, modules), modules)
    return graph, every, modules


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def part_of(module: str) -> str:
    return module.split(".")[0]


def iro_layer(module: str) -> int | None:
    """The layer of an iro_metrics module (the longest matching name), or None when none matches."""
    best: tuple[int, int] | None = None
    for n, names in enumerate(IRO_LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and (best is None or len(name) > best[0]):
                best = (len(name), n)
    return None if best is None else best[1]


def upward_arrows(graph: Mapping[str, Iterable[str]], imports: Iterable[Import]) -> list[str]:
    """Every import from a lower layer to a higher one, as 'a -> b'."""
    found = []
    for module, targets in graph.items():
        for target in targets:
            mine, theirs = part_of(module), part_of(target)
            if mine in PARTS and theirs in PARTS and PARTS.index(theirs) > PARTS.index(mine):
                found.append(f"{module} -> {target}")
            elif mine == theirs == "iro_metrics":
                a, b = iro_layer(module), iro_layer(target)
                if a is not None and b is not None and b > a:
                    found.append(f"{module} -> {target} (layer {a} imports layer {b})")
    for imp in imports:
        for target in imp.targets:
            top = resolve(target, ()).split(".")[0]
            lowest = APP_ONLY_PACKAGES.get(top)
            if (
                lowest is not None
                and part_of(imp.module) in PARTS
                and PARTS.index(part_of(imp.module)) < PARTS.index(lowest)
            ):
                found.append(f"{imp.module} -> {top} (line {imp.line})")
    return sorted(found)


def reason_given(source: str, line: int) -> bool:
    """Whether the line, or the one above it, carries a comment that says something (a bare
    ``noqa`` or ``type: ignore`` is no reason)."""
    comments: dict[int, str] = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string
    for n in (line, line - 1):
        text = re.sub(r"noqa(:\s*[A-Z0-9, ]+)?|type:\s*ignore(\[[^\]]*\])?", "", comments.get(n, "")).strip("# ()")
        if len(re.findall(r"[A-Za-z]{2,}", text)) >= 3:
            return True
    return False


# --- The finder tested on graphs made by hand ---------------------------------------------------------


def test_the_cycle_finder_finds_a_circle_and_nothing_else():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"g"}, "g": {"f"}}
    assert cycles(graph) == [["a", "b", "c"], ["f", "g"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_reader_sees_every_kind_of_import():
    source = (
        "from __future__ import annotations\n"
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from .lower import thing\n"
        "if TYPE_CHECKING:\n"
        "    from pkg.typed import Typed\n"
        "def f():\n"
        "    import heavy  # a heavy optional dependency, loaded lazily\n"
        "    importlib.import_module(f'pkg.{name}')\n"
    )
    found = imports_of("pkg.mod", source)
    assert [(i.targets, i.in_function, i.dynamic) for i in found] == [
        (("__future__:annotations",), False, False),
        (("os",), False, False),
        (("typing:TYPE_CHECKING",), False, False),
        (("pkg:sibling",), False, False),
        (("pkg.lower:thing",), False, False),
        (("pkg.typed:Typed",), False, False),
        (("heavy",), True, False),
        ((), True, True),
    ]
    assert reason_given(source, 9)
    assert not reason_given("def f():\n    import heavy  # noqa: F401\n", 2)


def test_an_import_from_outside_a_package_runs_its_init():
    modules = {name: Path(f"{name.replace('.', '/')}.py") for name in ("a.b.c", "x")}
    modules["a"] = Path("a/__init__.py")
    modules["a.b"] = Path("a/b/__init__.py")
    assert arrows("x", "a.b.c", modules) == {"a", "a.b", "a.b.c"}
    assert arrows("a.b.d", "a.b.c", modules) == {"a.b.c"}  # its own package is already running
    graph = {"iro_metrics.codes": {"iro_metrics.briefing.build"}, "ui.state": {"pages.overview"}}
    streamlit = Import("iro_metrics.charts.common", 3, ("streamlit:cache_data",), in_function=False)
    assert upward_arrows(graph, [streamlit]) == [
        "iro_metrics.charts.common -> streamlit (line 3)",
        "iro_metrics.codes -> iro_metrics.briefing.build (layer 0 imports layer 7)",
        "ui.state -> pages.overview",
    ]


# --- The product -------------------------------------------------------------------------------------------


def test_the_graph_covers_the_product():
    graph, imports, modules = read_graph()
    for name in (
        "app",
        "serve",
        "ui.state",
        "ui.app_auth",
        "pages.compare",
        "iro_metrics.__main__",
        "iro_metrics.indicators.themes",
    ):
        assert name in modules
    assert sorted({part_of(m) for m in modules}) == sorted(PARTS), "a new top-level module: give it its part in PARTS"
    assert "iro_metrics.indicators" in graph["iro_metrics.judgement"]
    assert len(imports) > 500


def test_no_import_cycles():
    graph, _, _ = read_graph()
    assert cycles(graph) == []


def test_no_upward_imports():
    graph, imports, modules = read_graph()
    unplaced = [m for m in modules if part_of(m) == "iro_metrics" and iro_layer(m) is None]
    assert unplaced == [], "place each new iro_metrics module in a layer of IRO_LAYERS"
    assert upward_arrows(graph, imports) == []


def test_few_imports_inside_functions_each_with_its_reason():
    _, imports, modules = read_graph()
    inside = [i for i in imports if i.in_function]
    sources = {m: p.read_text(encoding="utf-8") for m, p in modules.items()}
    without_reason = [f"{i.module}:{i.line}" for i in inside if not reason_given(sources[i.module], i.line)]
    assert without_reason == []
    assert len(inside) <= MAX_FUNCTION_IMPORTS, sorted(f"{i.module}:{i.line}" for i in inside)


def test_pages_take_typed_values_and_never_parse_a_label():
    """A page reads the typed Selection (ui.state makes it once, where the sidebar's choices enter);
    no page reads a period or cohort back from its label (issue 28, item 4)."""
    _, imports, _ = read_graph()
    parsers = {"iro_metrics.periods:parse_period", "iro_metrics.selection:parse_cohort"}
    assert [f"{i.module}:{i.line}" for i in imports if part_of(i.module) == "pages" and parsers & set(i.targets)] == []
