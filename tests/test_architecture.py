"""The arrows point one way: bot -> handlers -> storage -> briefing, and handlers -> briefing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "briefing": {"telegram", "aiosqlite", "httpx", "bot", "handlers", "storage"},
    "storage": {"telegram", "httpx", "bot", "handlers"},
    "handlers": {"bot", "httpx"},
}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_upstream(package: str) -> None:
    modules = sorted((REPOSITORY / package).rglob("*.py"))
    assert modules, f"{package}/ has no modules"
    offending = {
        str(module.relative_to(REPOSITORY)): sorted(
            _imported_packages(module) & FORBIDDEN[package]
        )
        for module in modules
    }
    assert {name: found for name, found in offending.items() if found} == {}
