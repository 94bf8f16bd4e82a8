"""The layers import one way: ui → esi_desktop → db; only main.py imports ui.

Each rule is checked on the real tree and, in a self-test, on a small tree made to break it,
so a rule that could never fail (a wrong folder name, a scan that misses lazy or relative
imports) fails its self-test instead of passing in silence.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

QT = frozenset({"PySide6", "shiboken6", "PyQt5", "PyQt6"})
PERSISTENCE = frozenset({"db", "peewee"})

#: The pure parts of the application: rules, scoring, frameworks, the report parser,
#: suggestions, wording and dates. They compute from values and touch no database.
PURE = (
    "esi_desktop/rules.py",
    "esi_desktop/scoring.py",
    "esi_desktop/comparison.py",
    "esi_desktop/frameworks.py",
    "esi_desktop/suggest.py",
    "esi_desktop/wording.py",
    "esi_desktop/dates.py",
    "esi_desktop/text.py",
    "esi_desktop/report/*.py",
    "esi_desktop/audit/labels.py",
    "esi_desktop/tracker/values.py",
    "esi_desktop/tracker/sheet.py",
    "esi_desktop/tracker/rows.py",
)
#: In the report package only the importer stores what the parser read.
NOT_PURE = ("esi_desktop/report/importer.py",)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Full names of every module a file imports (lazy and relative imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(root, path).split(".")
    if path.name != "__init__.py":
        package.pop()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            # "from esi_desktop import audit" imports the module esi_desktop.audit
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in names if name}


def top(name: str) -> str:
    return name.split(".")[0]


def files_of(root: Path, *patterns: str) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        if pattern.endswith(".py") and "*" not in pattern:
            if (root / pattern).exists():
                found.add(root / pattern)
        elif pattern.endswith(".py"):
            found.update(root.glob(pattern))
        else:
            found.update((root / pattern).rglob("*.py"))
    return sorted(found)


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the project's own packages by its dotted name."""
    return {
        module_name(root, path): path
        for package in ("esi_desktop", "db", "ui")
        for path in files_of(root, package)
    }


@dataclass(frozen=True)
class Rule:
    """Files matching ``files`` (less ``except_files``) may not import ``forbidden``."""

    name: str
    files: tuple[str, ...]
    forbidden: frozenset[str]
    except_files: tuple[str, ...] = ()
    #: Follow the project's own imports: a pure module may not reach db through another.
    transitive: bool = False

    def offenders(self, root: Path) -> list[str]:
        excluded = set(files_of(root, *self.except_files))
        modules = module_files(root)
        found = []
        for path in files_of(root, *self.files):
            if path in excluded:
                continue
            for via, name in self._imports(root, path, modules):
                if top(name) in self.forbidden:
                    where = f" (through {via})" if via else ""
                    found.append(f"{path.relative_to(root)} imports {name}{where}")
        return found

    def _imports(
        self, root: Path, path: Path, modules: dict[str, Path]
    ) -> Iterable[tuple[str, str]]:
        seen = {path}
        queue = [(path, "")]
        while queue:
            current, via = queue.pop()
            for name in imported_modules(current, root):
                yield via, name
                target = modules.get(name)
                if self.transitive and target is not None and target not in seen:
                    seen.add(target)
                    queue.append((target, via or module_name(root, target)))


RULES = {
    "esi_desktop has no Qt": Rule("esi_desktop has no Qt", ("esi_desktop",), QT),
    "db has no Qt": Rule("db has no Qt", ("db",), QT),
    "db knows nothing of the application": Rule(
        "db knows nothing of the application", ("db",), frozenset({"esi_desktop", "ui"})
    ),
    "only main imports ui": Rule("only main imports ui", ("esi_desktop", "db"), frozenset({"ui"})),
    "ui goes through the application layer": Rule(
        "ui goes through the application layer", ("ui",), PERSISTENCE
    ),
    "pure parts touch no database": Rule(
        "pure parts touch no database", PURE, PERSISTENCE, NOT_PURE, transitive=True
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_rule_holds(rule: str) -> None:
    assert RULES[rule].offenders(ROOT) == []


def test_main_imports_the_window() -> None:
    assert "ui.app" in imported_modules(ROOT / "main.py")


def test_the_pure_parts_exist() -> None:
    # a renamed module would otherwise silently drop out of the rule
    for pattern in PURE:
        assert files_of(ROOT, pattern), f"{pattern} matches no file"


# ----- each rule can fail -------------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name in ("esi_desktop", "esi_desktop/report", "db", "ui"):
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
        (tmp_path / name / "__init__.py").write_text("")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


BREAKS: dict[str, dict[str, str]] = {
    "esi_desktop has no Qt": {"esi_desktop/x.py": "def f():\n    from PySide6 import QtCore\n"},
    "db has no Qt": {"db/x.py": "import shiboken6\n"},
    "db knows nothing of the application": {"db/x.py": "from esi_desktop import rules\n"},
    "only main imports ui": {"esi_desktop/x.py": "import ui.app\n"},
    "ui goes through the application layer": {"ui/x.py": "from peewee import fn\n"},
    "pure parts touch no database": {
        # wording reaches the database only through another module of the application
        "esi_desktop/wording.py": "from . import plan\n",
        "esi_desktop/plan.py": "def f():\n    from db.models import Action\n",
    },
}


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_can_fail(tmp_path: Path, rule: str) -> None:
    root = _tree(tmp_path, BREAKS[rule])
    assert RULES[rule].offenders(root) != []


def test_the_importer_may_store_what_the_parser_read(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "esi_desktop/report/importer.py": "from db.models import Inspection\n",
            "esi_desktop/report/parse.py": "from esi_desktop.wording import plural\n",
            "esi_desktop/wording.py": "",
        },
    )
    assert RULES["pure parts touch no database"].offenders(root) == []


def test_the_scan_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    root = _tree(tmp_path, {})
    sample = root / "esi_desktop" / "report" / "m.py"
    sample.write_text(
        "def f():\n    from PySide6 import QtCore\n    import ui.app\nfrom .. import x\n"
    )
    assert imported_modules(sample, root) >= {"PySide6", "ui.app", "esi_desktop", "esi_desktop.x"}


# ----- a module is one purpose ----------------------------------------------------------------

#: Past this many lines a module is usually two subjects; a longer one says why at its top.
MODULE_LINES = 500
REASON = "# Over 500 lines:"


def long_modules(root: Path) -> list[str]:
    """Modules outside tests/ over :data:`MODULE_LINES` lines with no reason near their top."""
    found = []
    for path in [*files_of(root, "esi_desktop", "db", "ui", "bench"), root / "main.py"]:
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MODULE_LINES and not any(line.startswith(REASON) for line in lines[:40]):
            found.append(f"{path.relative_to(root)} has {len(lines)} lines")
    return found


def test_long_modules_say_why() -> None:
    assert long_modules(ROOT) == []


def test_a_long_module_without_a_reason_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"ui/big.py": "x = 1\n" * (MODULE_LINES + 1)})
    assert long_modules(root) == ["ui/big.py has 501 lines"]
    (root / "ui/big.py").write_text(f'"""Big."""\n\n{REASON} a table.\n' + "x = 1\n" * 600)
    assert long_modules(root) == []
