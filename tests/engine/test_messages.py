"""Engine messages: templates the window can translate, filled in the same way in every language."""

from __future__ import annotations

import ast
import copy
import shutil
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

import gru_studio.engine
from gru_studio.engine.errors import ConfigError, CorpusError, GruStudioError, reason_of
from gru_studio.engine.messages import CONTEXT, QT_TRANSLATE_NOOP, phrase, render

CATALOGUE = {
    "{name} is empty.": "{name} 是空的。",
    "must be at least {low}": "不能小于 {low}",
    "{field}: {problem}": "{field}：{problem}",
    "The loss {how}.": "损失{how}。",
    "exploded": "爆炸了",
    "Lost a field: {gone}": "丢了一个字段：{missing}",
}


def chinese(text: str) -> str:
    return CATALOGUE.get(text, text)


def test_an_error_is_english_as_text_and_translated_on_request() -> None:
    error = CorpusError(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name="novel.txt")
    assert str(error) == "novel.txt is empty."
    assert error.render(chinese) == "novel.txt 是空的。"


def test_a_config_error_translates_its_problem_and_keeps_the_setting_name() -> None:
    error = ConfigError("batch_size", phrase(QT_TRANSLATE_NOOP("engine", "must be at least {low}"), low=1))
    assert str(error) == "batch_size: must be at least 1"
    assert error.render(chinese) == "batch_size：不能小于 1"
    assert error.field == "batch_size"


def test_phrases_inside_fields_are_translated_too() -> None:
    how = phrase(QT_TRANSLATE_NOOP("engine", "exploded"))
    error = GruStudioError(QT_TRANSLATE_NOOP("engine", "The loss {how}."), how=how)
    assert str(error) == "The loss exploded."
    assert error.render(chinese) == "损失爆炸了。"


def test_a_translation_that_misspells_a_field_falls_back_to_english() -> None:
    assert render("Lost a field: {gone}", {"gone": "x"}, chinese) == "Lost a field: x"


def test_a_plain_message_with_braces_is_shown_as_it_is() -> None:
    assert str(GruStudioError("a {literal} brace")) == "a {literal} brace"


def test_a_phrase_is_also_its_english_text() -> None:
    # Notes and notices are Phrases: the command line prints them, the window translates them.
    note = phrase(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name="novel.txt")
    assert note == "novel.txt is empty." and f"note: {note}" == "note: novel.txt is empty."
    assert note.render(chinese) == "novel.txt 是空的。"
    copied = copy.deepcopy(note)
    assert copied.template == "{name} is empty." and copied.params == {"name": "novel.txt"}


def test_an_error_raised_with_a_phrase_keeps_its_template() -> None:
    reason = phrase(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name="novel.txt")
    error = CorpusError(reason)
    assert str(error) == "novel.txt is empty." and error.template == "{name} is empty."
    assert error.render(chinese) == "novel.txt 是空的。"


def test_an_error_inside_another_is_translated_too() -> None:
    inner = CorpusError(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name="novel.txt")
    outer = ConfigError("source", reason_of(inner))
    assert str(outer) == "source: novel.txt is empty."
    assert outer.render(chinese) == "source：novel.txt 是空的。"
    assert reason_of(OSError("disk on fire")) == "disk on fire"  # words the engine has none for stay as they are


# -- every engine message is marked, in one place the catalogue can find ---------------------------------------
#
# The window can only translate what pyside6-lupdate extracted, and it extracts
# only literal templates inside QT_TRANSLATE_NOOP("engine", ...). A message
# built with an f-string, or a template whose fields differ from the values
# passed, would reach a Chinese window in English (or fall back to English at
# render time). These tests read the engine's source, so a new raise that
# forgets the marking fails here rather than in front of a reader.

ENGINE = Path(gru_studio.engine.__file__).parent

# Messages whose template is made once and passed on as a Phrase: the template
# itself is marked where the Phrase is made (and checked there).
# (file, function): why the argument is not a literal QT_TRANSLATE_NOOP here.
PASSED_ON = {
    ("training/session.py", "continue_to"): "raises the Phrase `open` made (text_missing) with its template and fields",
    ("analysis/inside.py", "_refuse_if_not_a_gru"): "raises not_traceable's Phrase (or a marked one when it has none)",
    ("analysis/inside.py", "not_traceable"): "the model registry's `not_a_gru`, marked where each ModelSpec is made",
    ("models/__init__.py", "describe"): "the model registry's `describe` template, marked where each ModelSpec is made",
    ("history/store.py", "open"): "`not_recorded`, one marked template shared by two notices of the same function",
}
# Errors whose first argument is a value (the setting or payload field) and whose second is the problem, a Phrase.
FIELD_AND_PROBLEM = {"ConfigError", "SchemaError"}
# Not GruStudioErrors (never shown as an error of their own), but carrying a Phrase for a notice.
PHRASE_CARRIERS = {"StoreUnavailableError"}


@dataclass
class MarkedCall:
    path: str  # relative to the engine folder
    function: str  # the enclosing function's name, "" at module level
    line: int
    callee: str
    node: ast.Call


def engine_sources() -> dict[str, ast.Module]:
    return {
        path.relative_to(ENGINE).as_posix(): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(ENGINE.rglob("*.py"))
    }


def callee_name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else ""


def error_classes(sources: dict[str, ast.Module]) -> set[str]:
    """GruStudioError and every class that derives from it anywhere in the engine (by name, to a fixed point)."""
    found = {"GruStudioError"}
    bases = {
        node.name: {base.id for base in node.bases if isinstance(base, ast.Name)}
        for tree in sources.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def self_marking_errors(sources: dict[str, ast.Module]) -> set[str]:
    """Error classes whose own __init__ passes a QT_TRANSLATE_NOOP template up (called with values only)."""
    found = set()
    for tree in sources.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            inits = [item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"]
            if any(
                isinstance(n, ast.Call) and callee_name(n) == "QT_TRANSLATE_NOOP" for i in inits for n in ast.walk(i)
            ):
                found.add(node.name)
    return found


def phrase_functions(tree: ast.Module) -> set[str]:
    """The functions of a module declared to return a Phrase: calling one is as good as calling phrase()."""
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and isinstance(node.returns, ast.Name) and node.returns.id == "Phrase"
    }


def calls(sources: dict[str, ast.Module]) -> list[MarkedCall]:
    """Every call by plain name in the engine, with the function it is in."""
    found: list[MarkedCall] = []

    def visit(node: ast.AST, path: str, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Call) and callee_name(node):
            found.append(MarkedCall(path, function, node.lineno, callee_name(node), node))
        for child in ast.iter_child_nodes(node):
            visit(child, path, function)

    for path, tree in sources.items():
        visit(tree, path, "")
    return found


def is_marked(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and callee_name(node) == "QT_TRANSLATE_NOOP"


def template_fields(template: str) -> set[str]:
    """The names of a template's fields ("{lr:g}" -> "lr"; "{a.b}" -> "a")."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            names.add(name.split(".")[0].split("[")[0])
    return names


def where(call: MarkedCall) -> str:
    return f"{call.path}:{call.line} ({call.function or 'module'}): {call.callee}(...)"


def test_every_engine_error_and_phrase_is_given_a_marked_template() -> None:
    sources = engine_sources()
    errors = error_classes(sources)
    assert {"ConfigError", "CorpusError", "EncodingError", "DivergenceError"} <= errors  # the walk finds them
    # A function declared to return a Phrase counts wherever it is called from (store_errors' notices
    # are called in store_file): its own phrase(...) call is checked where it is written.
    phrase_makers = set().union(*(phrase_functions(tree) for tree in sources.values()))
    returns_phrase = {path: phrase_makers for path in sources}
    self_marked = self_marking_errors(sources)
    assert {"StoreLockedError", "StoreReadOnlyError"} <= self_marked  # the walk finds them
    wrong, passed_on = [], set()
    for call in calls(sources):
        args = call.node.args
        if call.callee in FIELD_AND_PROBLEM or call.callee in PHRASE_CARRIERS:
            # The message is a Phrase: a phrase(...) call (itself checked below) or a function returning one.
            message = args[1] if call.callee in FIELD_AND_PROBLEM else args[0]
            ok = isinstance(message, ast.Call) and (
                callee_name(message) == "phrase" or callee_name(message) in returns_phrase[call.path]
            )
        elif call.callee in self_marked:
            ok = True  # its __init__ gives its own marked template; the arguments fill it
        elif call.callee in errors or call.callee == "phrase":
            first = args[0] if args else None
            ok = first is not None and (
                is_marked(first)
                or (call.callee != "phrase" and isinstance(first, ast.Call) and callee_name(first) in phrase_makers)
            )
        else:
            continue
        if not ok and (call.path, call.function) in PASSED_ON:
            passed_on.add((call.path, call.function))
        elif not ok:
            wrong.append(where(call))
    assert not wrong, "messages not given as QT_TRANSLATE_NOOP templates (or phrase(...) problems):\n" + "\n".join(
        wrong
    )
    assert passed_on == set(PASSED_ON), f"PASSED_ON lists places that no longer need it: {set(PASSED_ON) - passed_on}"


def test_every_marked_template_is_one_literal_in_the_engine_context() -> None:
    wrong = []
    for call in calls(engine_sources()):
        if call.callee != "QT_TRANSLATE_NOOP":
            continue
        args = call.node.args
        context_ok = len(args) == 2 and isinstance(args[0], ast.Constant) and args[0].value == "engine"
        # Adjacent literals are one Constant to the parser (and to lupdate); an f-string is a JoinedStr.
        text_ok = len(args) == 2 and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str)
        if not (context_ok and text_ok and not call.node.keywords):
            wrong.append(f"{where(call)}: {ast.unparse(call.node)[:100]}")
    assert not wrong, 'QT_TRANSLATE_NOOP needs ("engine", "a literal template"):\n' + "\n".join(wrong)


def test_every_template_names_exactly_the_fields_its_call_passes() -> None:
    wrong, checked = [], 0
    for call in calls(engine_sources()):
        args = call.node.args
        if not args or not is_marked(args[0]):
            continue
        marked = args[0]
        assert isinstance(marked, ast.Call)
        template = marked.args[1].value if len(marked.args) == 2 and isinstance(marked.args[1], ast.Constant) else None
        if not isinstance(template, str):
            continue  # reported by the test above
        if any(keyword.arg is None for keyword in call.node.keywords):
            continue  # **params: not visible here
        fields = template_fields(template)
        passed = {keyword.arg for keyword in call.node.keywords if keyword.arg is not None}
        if fields != passed or any(not name or name.isdigit() for name in fields):
            wrong.append(f"{where(call)}: template {sorted(fields)}, passed {sorted(passed)}: {template!r}")
        if not fields and ("{{" in template or "}}" in template):
            # A template without fields is shown as it is, so a doubled brace would show doubled.
            wrong.append(f"{where(call)}: doubled braces in a template without fields: {template!r}")
        checked += 1
    assert checked > 100  # the walk sees the engine's raises (some 180 templates)
    assert not wrong, "fields and keywords differ:\n" + "\n".join(wrong)


def marked_templates() -> set[str]:
    """Every template the engine marks, as the AST sees it."""
    return {
        call.node.args[1].value
        for call in calls(engine_sources())
        if call.callee == "QT_TRANSLATE_NOOP"
        and len(call.node.args) == 2
        and isinstance(call.node.args[1], ast.Constant)
        and isinstance(call.node.args[1].value, str)
    }


def test_every_template_renders_in_english_with_sample_values() -> None:
    # A format spec (":,", ":g", ".1f") must take a number; every other field takes anything.
    for template in marked_templates():
        values: dict[str, object] = {}
        for _, name, spec, _ in string.Formatter().parse(template):
            if name is not None:
                values[name.split(".")[0].split("[")[0]] = 1234.5 if spec else "x"
        render(template, values)


def lupdate() -> str | None:
    """pyside6-lupdate beside this interpreter (a venv's bin, not always on PATH), else on PATH."""
    beside = Path(sys.executable).with_name("pyside6-lupdate")
    return str(beside) if beside.exists() else shutil.which("pyside6-lupdate")


@pytest.mark.skipif(lupdate() is None, reason="pyside6-lupdate is not installed")
def test_pyside6_lupdate_extracts_every_engine_template(tmp_path: Path) -> None:
    ts = tmp_path / "engine.ts"
    done = subprocess.run(
        [lupdate(), "-extensions", "py", str(ENGINE), "-no-obsolete", "-ts", str(ts)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    extracted = {
        (source.text or "")
        for context in ElementTree.parse(ts).getroot().iter("context")
        if context.findtext("name") == CONTEXT
        for source in context.iter("source")
    }
    ours = marked_templates()
    assert len(extracted) >= len(ours) > 100
    assert not ours - extracted, f"lupdate missed: {sorted(ours - extracted)[:5]}"
