"""The panels switch to Simplified Chinese and back while the window runs (issue 17).

The Chinese is the shipped catalogue (resources/i18n/gru_studio_zh_CN.qm), so
the lookup is Qt's own: the context of each string must be the one the code
asks in (a class name), or the text stays English and the test fails. That
every string of the code is in the catalogue, translated, is tested in
test_i18n.py; here, that the panels show it, and how the code calls tr().
"""

from __future__ import annotations

import ast
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gru_studio.engine.errors import ConfigError
from gru_studio.engine.model_registry import spec
from gru_studio.gui.app.crash import CrashReporter
from gru_studio.gui.app.main_window import MainWindow
from tests.gui.catalogue import chinese_switch, entries
from tests.gui.conftest import train_and_wait

ROOT = Path(__file__).resolve().parents[3]
GUI = ROOT / "gru_studio" / "gui"
PANELS = [
    "corpus_panel.py",
    "crash.py",
    "forms.py",
    "generation_panel.py",
    "heat_strip.py",
    "inside_view.py",
    "notice.py",
    "run_status.py",
    "saturation_plot.py",
    "settings_panel.py",
]
# A Chinese character: what a translated text must contain.
HAN = re.compile(r"[\u4e00-\u9fff]")


def qt_tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} not found (it ships with PySide6-Essentials)")
    return found


@pytest.fixture
def chinese() -> Iterator[Callable[[bool], None]]:
    """A function that installs (True) or removes (False) the shipped Chinese; removed at the end in any case."""
    with chinese_switch() as switch:
        yield switch


def texts(win: MainWindow, reporter_text: str) -> dict[str, str]:
    """A sample of each panel's visible texts: labels, buttons, tooltips, combo items, plot labels, legends."""
    corpus, gen, status, settings, inside = (
        win.corpus_panel,
        win.generation,
        win.status,
        win.settings_panel,
        win.inside,
    )
    saturation = inside.saturation.plot.getPlotItem()
    return {
        "corpus title": corpus.title(),
        "corpus item": corpus.picker.itemText(corpus.picker.findData("sample")),
        "corpus tooltip": corpus.picker.toolTip(),
        "corpus mode item": corpus.mode.itemText(corpus.mode.findData("letters")),
        "corpus info": corpus.info.text(),
        "corpus note": corpus.preview_note.text(),
        "generation title": gen.title(),
        "generation button": gen.button.text(),
        "generation placeholder": gen.prefix.placeholderText(),
        "generation tooltip": gen.greedy.toolTip(),
        "generation label": gen.temperature_label.text(),
        "generation message": gen.message.text(),
        "status bar": status.bar.text(),
        "status perplexity": status.perplexity.text(),
        "status speed": status.speed.text(),
        "status speed tooltip": status.speed.toolTip(),
        "status time": status.time.text(),
        "settings title": settings.title(),
        "settings label": settings.labels["lr"].text(),
        "settings preset item": settings.preset.itemText(0),
        "settings model item": settings.model.itemText(settings.model.findData("builtin")),
        "settings choice item": settings.editors["partition"].itemText(0),
        "settings tooltip": settings.preset.toolTip(),
        "settings note": settings.model_note.text(),
        "settings autosave": settings.autosave.suffix(),
        "notice text": win.notice.text.text(),
        "notice tooltip": win.notice.close_button.toolTip(),
        "inside source item": inside.source.itemText(0),
        "inside signal item": inside.signal.itemText(inside.signal.findData("h")),
        "inside button": inside.refresh_button.text(),
        "inside tooltip": inside.order.toolTip(),
        "inside readout": inside.readout.text(),
        "inside label": inside.words["probe"].text(),
        "inside placeholder": inside.pattern.placeholderText(),
        "heat strip axis": inside.strip.plot.getPlotItem().getAxis("left").labelText,
        "saturation axis": saturation.getAxis("bottom").labelText,
        "saturation title": saturation.titleLabel.text,
        "saturation legend": saturation.legend.items[0][1].text,
        "saturation tooltip": inside.saturation.plot.toolTip(),
        "crash dialog": reporter_text,
    }


def test_the_panels_switch_to_chinese_and_back_without_new_widgets(
    qtbot, window, chinese, tmp_path, critical_dialogs
) -> None:
    train_and_wait(qtbot, window)  # the run status has figures to say
    window.generation.show_error(ConfigError("lr", "must be more than 0"))  # an engine error, kept as one
    # An offer made with a callable is asked again in the new language.
    window.notice.offer(lambda: window.notice.tr("Dismiss"), "OK", lambda: None)
    reporter = CrashReporter(tmp_path / "logs")

    def crash_text() -> str:
        reporter._show("ValueError: a bug")
        return critical_dialogs[-1]

    widgets = [window.corpus_panel.picker, window.generation.button, window.inside.strip, window.status.bar]
    try:
        english = texts(window, crash_text())
        assert english["status bar"] == "done · 5 of 5 epochs" and english["generation message"].startswith("lr: ")
        assert english["heat strip axis"] == "unit" and english["saturation legend"] == "Z (update gate)"

        chinese(True)
        qtbot.waitUntil(lambda: window.generation.button.text() == "生成", timeout=5000)
        translated = texts(window, crash_text())
        untranslated = {name: text for name, text in translated.items() if not HAN.search(text)}
        # The engine error is rendered again from its template (translated here); its plain-text
        # field is the engine's, whose other words are not in this test's catalogue.
        assert untranslated == {"generation message": "lr：must be more than 0"}
        assert translated["status bar"] == "完成 · 5 / 5 个迭代周期"
        assert translated["inside signal item"] == "H：隐状态" and translated["heat strip axis"] == "单元"
        assert translated["settings note"] == entries()["engine"][spec("scratch").note]
        assert "ValueError: a bug" in translated["crash dialog"]  # Python's own text of a bug stays as it is
        # The preset picker shows Chinese but still speaks the preset's key, which the settings save.
        preset = window.settings_panel.preset
        assert preset.currentText() == "Custom" and preset.itemText(preset.currentIndex()) == "自定义"

        chinese(False)
        qtbot.waitUntil(lambda: window.generation.button.text() == "Generate", timeout=5000)
        assert texts(window, crash_text()) == english
    finally:
        reporter.uninstall()
    # The same widgets all along: switching rewrote their texts, it made nothing new.
    assert widgets == [window.corpus_panel.picker, window.generation.button, window.inside.strip, window.status.bar]


def test_texts_made_from_state_follow_the_language(qtbot, window, chinese) -> None:
    """The hover read-out, a message shown and the unit finder's list are written again, not left in English."""
    inside = window.inside
    inside.refresh()  # no model yet: the view says so
    assert inside.message.text().startswith("Train a model or open one first")
    chinese(True)
    qtbot.waitUntil(lambda: inside.message.text().startswith("请先训练"), timeout=5000)
    assert inside.layer.itemText(0) == "第 0 层" and inside.every.prefix() == "每 "
    chinese(False)
    qtbot.waitUntil(lambda: inside.message.text().startswith("Train a model"), timeout=5000)
    assert inside.layer.itemText(0) == "layer 0"


# -- the catalogue -------------------------------------------------------------------------


def extracted(paths: list[Path], tmp_path: Path) -> set[tuple[str, str]]:
    """(context, source) of every string pyside6-lupdate finds in `paths`."""
    ts = tmp_path / "extracted.ts"
    command = [qt_tool("pyside6-lupdate"), *map(str, paths), "-no-obsolete", "-locations", "none", "-ts", str(ts)]
    subprocess.run(command, check=True, capture_output=True)
    root = ET.parse(ts).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in root.iter("context")
        for message in context.iter("message")
    }


FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
PLACEHOLDERS = re.compile(r"%[nvm1-9]")


def fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_placeholders_survive_translation() -> None:
    """Every message of the catalogue formats with sample values in both languages, with the same fields
    and Qt's %-fields."""
    problems = []
    for context, messages in entries().items():
        for source, chinese_text in messages.items():
            # A number suits every field and format spec the templates use ({tokens:,}, {lr:g}, {0}).
            named = {name: 7 for name in fields(source) if not name.isdigit()}
            # Chinese words, or at least full-width punctuation around fields, or the text as it is.
            if not (HAN.search(chinese_text) or FULL_WIDTH.search(chinese_text) or chinese_text == source):
                problems.append((context, source, "not translated"))
            if fields(chinese_text) != fields(source):
                problems.append((context, source, "fields differ"))
            if sorted(PLACEHOLDERS.findall(chinese_text)) != sorted(PLACEHOLDERS.findall(source)):
                problems.append((context, source, "%-fields differ"))
            try:
                source.format(*[7] * 10, **named), chinese_text.format(*[7] * 10, **named)
            except (KeyError, IndexError, ValueError) as exc:
                problems.append((context, source, f"does not format: {exc!r}"))
    assert problems == []


# -- how the code calls tr() ------------------------------------------------------------------


def translation_calls(tree: ast.AST) -> Iterator[tuple[str, ast.Call]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"):
                yield name, node


# What may stand for a text given to tr()/translate(): a literal lupdate extracts, or a
# name, key or attribute holding a text marked with QT_TRANSLATE_NOOP where it is defined.
FIXED = (ast.Constant, ast.Name, ast.Subscript, ast.Attribute)


def sources() -> Iterator[tuple[Path, ast.AST]]:
    for path in sorted(GUI.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_tr_takes_fixed_text_never_one_made_at_run_time() -> None:
    """No f-string, concatenation, format() or % inside tr(): lupdate could not extract it, nor Qt find it."""
    problems = []
    for path, tree in sources():
        problems += fixed_text_problems(path, tree)
    assert problems == []


def fixed_text_problems(path: Path, tree: ast.AST) -> list[str]:
    problems = []
    for name, call in translation_calls(tree):
        where = f"{path.name}:{call.lineno} {name}()"
        if name == "QT_TR_NOOP":
            problems.append(f"{where}: QT_TR_NOOP gets an empty context; use QT_TRANSLATE_NOOP('Class', ...)")
            continue
        texts = call.args[:1] if name == "tr" else call.args[:2]
        for arg in texts:
            if not isinstance(arg, FIXED) or (isinstance(arg, ast.Constant) and not isinstance(arg.value, str)):
                problems.append(f"{where}: {ast.unparse(arg)}")
        if name == "QT_TRANSLATE_NOOP" and not all(isinstance(a, ast.Constant) for a in call.args[:2]):
            problems.append(f"{where}: QT_TRANSLATE_NOOP needs literal text")
    return problems


def test_no_function_mixes_translate_and_self_tr() -> None:
    """pyside6-lupdate files a self.tr() that follows QCoreApplication.translate() in the same function
    under the context "QCoreApplication.self", where Qt never looks: the text would stay English."""
    mixed = []
    for path, tree in sources():
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = {name for name, _ in translation_calls(function)}
                if {"tr", "translate"} <= names:
                    mixed.append(f"{path.name}:{function.lineno} {function.name}")
    assert mixed == []
