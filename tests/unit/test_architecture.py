"""The package's shape: no engine module imports the CLI, and no import cycles."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "generator"


def imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports, at the top or inside a function."""
    return {
        p.stem: set(re.findall(r"^\s*from \.(\w+) import", p.read_text(encoding="utf-8"), re.M))
        for p in PACKAGE.glob("*.py")
    }


def test_no_engine_module_imports_the_cli() -> None:
    assert [m for m, deps in imports().items() if "cli" in deps] == []


def test_there_is_no_import_cycle() -> None:
    graph = imports()
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for dep in sorted(graph.get(module, ())):
            if dep in path:
                cycles.append(path[path.index(dep) :] + [dep])
            else:
                visit(dep, [*path, dep])

    for module in sorted(graph):
        visit(module, [module])
    assert cycles == []
