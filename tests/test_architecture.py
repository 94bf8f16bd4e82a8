"""The layers import one way: ui → esi_desktop → db; only main.py imports ui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports (including lazy imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("package", ["esi_desktop", "db"])
def test_core_layers_do_not_import_qt(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files_of(package)
        for name in imported_modules(path)
        if top(name) in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
    ]
    assert offenders == []


def test_db_knows_nothing_of_the_application() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files_of("db")
        for name in imported_modules(path)
        if top(name) in {"esi_desktop", "ui"}
    ]
    assert offenders == []


def test_only_main_imports_ui() -> None:
    # tests and benchmarks drive the window; no layer of the application may import it
    outside_ui = [path for package in ("esi_desktop", "db") for path in files_of(package)]
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in outside_ui
        for name in imported_modules(path)
        if top(name) == "ui"
    ]
    assert offenders == []
    assert "ui.app" in imported_modules(ROOT / "main.py")


def test_the_scan_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from PySide6 import QtCore\n    import ui.app\n")
    assert imported_modules(sample) == {"PySide6", "ui.app"}
