"""The code stays readable as it grows: no function of the portal's code is more complex
than radon's grade C, or longer than 60 lines. Demo data (`demo*.py`: scripted stories told
record by record) and migrations are left out."""

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "courtyards", "councils", "funds", "inspections", "concerns", "assessments")
MOST_LINES = 60


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name.startswith("demo"):
                continue
            yield path


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


@pytest.mark.parametrize("path", list(modules()), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_function_is_too_complex_or_too_long(path):
    source = path.read_text(encoding="utf-8")
    too_complex = [
        f"{block.fullname} (line {block.lineno}): {cc_rank(block.complexity)} {block.complexity}"
        for block in cc_visit(source)
        if cc_rank(block.complexity) not in "ABC"
    ]
    too_long = [
        f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
        for node in functions(ast.parse(source))
        if node.end_lineno - node.lineno + 1 > MOST_LINES
    ]
    assert not too_complex + too_long, "break these into parts that have names"
