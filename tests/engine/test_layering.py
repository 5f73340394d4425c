"""The engine must never depend on Qt: the command line and the tests run without a screen."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "gru_studio" / "engine"
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "gru_studio.gui", "gru_studio.cli")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_engine_module_imports_qt_or_upper_layers() -> None:
    files = list(ENGINE.rglob("*.py"))
    assert len(files) > 5
    for path in files:
        bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN)}
        assert not bad, f"{path.name} imports {bad}"


def test_importing_the_engine_loads_no_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, gru_studio.engine as e\n"
        "for m in pkgutil.walk_packages(e.__path__, 'gru_studio.engine.'): importlib.import_module(m.name)\n"
        "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'pyqtgraph', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
