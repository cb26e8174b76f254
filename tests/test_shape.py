"""The product's shape (issue 28, item 5): no function over 60 lines, every public function's
parameters typed. Read from the source with ``ast``, over the same files as the import graph."""

from __future__ import annotations

import ast

from tests.test_architecture import product_files

MAX_FUNCTION_LINES = 60


def long_functions(source: str, name: str = "<source>") -> list[str]:
    """'module:line function (n lines)' for each function (nested ones too) over the limit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({lines} lines)")
    return found


def untyped_parameters(source: str, name: str = "<source>") -> list[str]:
    """'module:line function(parameter)' for each unannotated parameter of a public function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            arguments = node.args
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if argument.arg not in ("self", "cls") and argument.annotation is None:
                    found.append(f"{name}:{node.lineno} {node.name}({argument.arg})")
    return found


def test_the_readers_see_what_they_look_for():
    body = "\n".join(f"    x{n} = {n}" for n in range(60))
    source = f"def short(a: int, *, b: str = '') -> None:\n    pass\n\ndef long(a, _b: int, *c):\n{body}\n"
    assert long_functions(source) == ["<source>:4 long (61 lines)"]
    assert untyped_parameters(source) == ["<source>:4 long(a)"]  # *c is not a named parameter
    assert untyped_parameters("def _private(a):\n    pass\n") == []


def test_no_function_over_60_lines():
    found = [f for module, path in product_files().items() for f in long_functions(path.read_text(), module)]
    assert found == []


def test_every_public_parameter_is_typed():
    found = [f for module, path in product_files().items() for f in untyped_parameters(path.read_text(), module)]
    assert found == []
