"""Code structure, read from the source: no function in app/ or lab/ longer than MAX_FUNCTION_LINES.

A long function is where the next change goes wrong: split it into steps that read top to bottom.
A function's length runs from its ``def`` line to its last line (docstring and nested functions
included); a nested function is also measured on its own. migrations/ is outside app/ and not checked.
The "routers never commit" rule lives in test_layering.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = (ROOT / "app", ROOT / "lab")
MAX_FUNCTION_LINES = 80


def _long_functions(source: str, label: str, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``label:name:line: length`` for every function (sync or async, nested too) over ``limit`` lines."""
    out: list[str] = []
    for node in ast.walk(ast.parse(source, filename=label)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > limit:
                out.append(f"{label}:{node.name}:{node.lineno}: {length} lines")
    return out


def _sources() -> list[Path]:
    return sorted(p for d in CHECKED for p in d.rglob("*.py") if "migrations" not in p.parts)


def test_no_function_over_the_limit() -> None:
    files = _sources()
    assert len(files) >= 50, files  # the check reads the real tree
    found = [
        hit for p in files for hit in _long_functions(p.read_text(encoding="utf-8"), str(p.relative_to(ROOT)))
    ]
    assert not found, (
        f"functions over {MAX_FUNCTION_LINES} lines (split them into steps that read top to bottom):\n"
        + "\n".join(found)
    )


def _function(name: str, body_lines: int, *, is_async: bool = False, indent: str = "") -> str:
    head = f"{indent}{'async ' if is_async else ''}def {name}() -> None:\n"
    return head + "".join(f"{indent}    x = {i}\n" for i in range(body_lines))


@pytest.mark.parametrize(
    ("source", "hits"),
    [
        (_function("fits", MAX_FUNCTION_LINES - 1), []),  # def line + 79 = 80 lines
        (_function("too_long", MAX_FUNCTION_LINES), ["m.py:too_long:1: 81 lines"]),
        (_function("too_long", MAX_FUNCTION_LINES, is_async=True), ["m.py:too_long:1: 81 lines"]),
        (
            "class C:\n" + _function("method", MAX_FUNCTION_LINES + 4, indent="    "),
            ["m.py:method:2: 85 lines"],
        ),
    ],
)
def test_long_function_finder(source: str, hits: list[str]) -> None:
    assert _long_functions(source, "m.py") == hits


def test_long_function_finder_measures_nested_functions() -> None:
    inner = _function("inner", MAX_FUNCTION_LINES, indent="    ")
    hits = _long_functions("def outer() -> None:\n" + inner, "m.py")
    assert hits == ["m.py:outer:1: 82 lines", "m.py:inner:2: 81 lines"]
