"""The house's shape, read from the source: wings in an order, none too wide, no import circle.

Each wing of the engine and of the window may import only itself and the wings below it in
ORDER; the engine's root modules (errors, messages, config, files, processes) are the floor
every engine wing stands on. Only imports that run when a module is loaded count: one inside a
function is taken when called (the command line reaches the window that way) and cannot close a
circle at import time.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "gru_studio"
ORDER = {
    "gru_studio.engine": ["", "text", "hardware", "models", "training", "history", "analysis", "experiments"],
    "gru_studio.gui": ["common", "setup", "training", "inside", "runs", "sweep", "app"],
}
MOST_MODULES = 12


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def load_time_imports(path: Path) -> set[str]:
    """What a module imports as it loads: its top level and top-level if/try blocks, not functions."""
    found: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If) and not _is_type_checking(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def product_modules() -> dict[str, Path]:
    return {module_name(path): path for path in ROOT.rglob("*.py")}


def import_graph() -> dict[str, set[str]]:
    modules = product_modules()
    return {
        name: {imported for imported in load_time_imports(path) if imported in modules and imported != name}
        for name, path in modules.items()
    }


def wing_of(module: str) -> tuple[str, int] | None:
    """(layer, its rank in ORDER) for a module of the engine or the window; None elsewhere."""
    for layer, wings in ORDER.items():
        if module == layer or not module.startswith(layer + "."):
            continue
        rest = module[len(layer) + 1 :].split(".")
        wing = rest[0] if rest[0] in wings else ""
        if wing not in wings:
            raise AssertionError(f"{module} is in no wing of {layer}: add its folder to ORDER in this test")
        return layer, wings.index(wing)
    return None


def test_every_wing_imports_only_itself_and_the_wings_below_it() -> None:
    graph = import_graph()
    assert len(graph) > 60
    upward = []
    for module, imported in graph.items():
        here = wing_of(module)
        if here is None:
            continue
        for other in imported:
            there = wing_of(other)
            if there is not None and there[0] == here[0] and there[1] > here[1]:
                upward.append(f"{module} -> {other}")
    assert not upward, "imports that go up the wings:\n" + "\n".join(sorted(upward))


def test_no_import_circle() -> None:
    graph = import_graph()
    state: dict[str, int] = defaultdict(int)  # 0 unseen, 1 on the path, 2 done
    path: list[str] = []

    def walk(module: str) -> None:
        state[module] = 1
        path.append(module)
        for other in sorted(graph[module]):
            if state[other] == 1:
                circle = [*path[path.index(other) :], other]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if state[other] == 0:
                walk(other)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if state[module] == 0:
            walk(module)


def test_no_folder_holds_more_than_twelve_modules() -> None:
    wide = {}
    for folder in [ROOT, *(d for d in ROOT.rglob("*") if d.is_dir())]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > MOST_MODULES:
            wide[folder.relative_to(ROOT.parent).as_posix()] = len(modules)
    assert not wide, f"folders wider than {MOST_MODULES} modules: {wide}"


def test_the_checks_see_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    """The rules above must be able to fail: a planted upward edge and circle are found."""
    assert wing_of("gru_studio.engine.text.corpus") == ("gru_studio.engine", 1)
    assert wing_of("gru_studio.engine.config") == ("gru_studio.engine", 0)
    assert wing_of("gru_studio.gui.app.main_window") == ("gru_studio.gui", 6)
    planted = tmp_path / "planted.py"
    planted.write_text(
        "from typing import TYPE_CHECKING\n"
        "import gru_studio.engine.training.session\n"
        "if TYPE_CHECKING:\n    import gru_studio.gui.app.main_window\n"
        "def later():\n    import gru_studio.gui.app.launch\n"
    )
    assert load_time_imports(planted) == {"gru_studio.engine.training.session", "typing", "typing.TYPE_CHECKING"}


def product_code(path: Path) -> str:
    """A module's code without its comments and docstrings: what it does, not what it says."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            body[0] = ast.Pass()
    return ast.unparse(tree)


def test_no_product_code_clicks_its_own_buttons() -> None:
    """Runs start by handing a RunRequest to the entry point, never by clicking Train. The self-test
    is the one exception: it plays a user, who clicks."""
    clickers = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if ".click()" in product_code(path) and path.name != "selftest.py"
    ]
    assert not clickers


def test_each_model_kind_is_named_in_at_most_two_product_files() -> None:
    """Adding a model is its module plus one registry entry: its name is not spread over the tree."""
    from gru_studio.engine import model_registry

    codes = {path: product_code(path) for path in ROOT.rglob("*.py")}
    for spec in model_registry.specs():
        named = sorted(path.relative_to(ROOT).as_posix() for path, code in codes.items() if repr(spec.name) in code)
        assert 1 <= len(named) <= 2, f"{spec.name} is written in {named}"
