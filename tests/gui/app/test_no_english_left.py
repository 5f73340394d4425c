"""In Chinese, no English word is left anywhere in the window (issue 17).

The window is switched to 简体中文 through its Language menu while a run
trains; then every widget is walked: labels, buttons, group boxes, tabs,
combo items, placeholders, tooltips, menus and actions, table headers, the
status bar, the plots' axis labels and legends. Each text may hold Chinese,
numbers, punctuation and the allow-list below, and nothing else written in
Latin letters. What a widget shows as data (the text a model reads or writes,
a corpus's own name, values in the runs table) is not the window's wording
and is skipped, by widget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyqtgraph as pg
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, settings_of
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.common import i18n
from tests.gui.conftest import TINY, open_window

# Words that stay as they are in every language: names, units and abbreviations of the field
# (the list: numbers, GRU, nn.GRU, CPU, CUDA, MPS, file names), Greek letters as symbols.
ALLOWED = {
    "GRU",
    "nn",
    "RNN",
    "LSTM",
    "CPU",
    "CUDA",
    "MPS",
    "GPU",
    "Apple",
    "PyTorch",
    "Qt",
    "CSV",
    "PNG",
    "UTF",
    "BOM",
    "GiB",
    "MiB",
    "MB",
    "GB",
    "KiB",
    "ms",
    "s",
    "Z",
    "R",
    "H",
    "θ",
    "tanh",
    "sgd",
    "adam",
    "Adam",
    "SGD",
    "Dropout",
    "top",
    "k",
    "FFT",
    "SVG",
    "HTML",
    "d2l",
    "zh",
    "GRU Studio",
    "Studio",
    "Ctrl",
    "Shift",
    "Enter",
    "Del",
    "Esc",
    "Return",
    "Space",
    "Tab",  # a key's name, as the keyboard shortcuts list says it
    "The",
    "Time",
    "Machine",
    "Wells",
    "G",  # the book's title, a name
    "sample",
    "txt",
    "pt",
    "json",
    "sqlite",
    "csv",
    "png",  # file names and extensions
    "TensorBoard",
    "EMA",
    "Karpathy",
    "unk",
    "x",
    "y",
    "X",
    "Y",
    "Top",  # Top-k, as d2l-zh writes it
}
# The settings' names and values as the command line takes them (--dropout, --model scratch-book,
# --mode raw): the settings' help, shared with the command line, names them as they are typed.
CHOICES = (
    {
        part
        for config in (CorpusConfig, ModelConfig, TrainConfig)
        for spec in settings_of(config)
        for choice in (spec.choices or ())
        for part in re.split(r"[^A-Za-z]+", str(choice))
        if part
    }
    | {spec.name for config in (CorpusConfig, ModelConfig, TrainConfig) for spec in settings_of(config)}
    | {"torch"}
)
# Each language named in its own words in the Language menu; the examples of patterns in the unit finder.
WHERE_ALLOWED = {"English": "action", "aeiou": "unitPattern placeholder", "the": "unitPattern placeholder"}
WORD = re.compile(r"[A-Za-z][A-Za-z]+")
HTML_TAG = re.compile(r"<[^>]+>")
GLOB = re.compile(r"\*\.\w+")  # a file dialog's filter: *.txt *.md
PATH = re.compile(r"(/[\w.\-]+)+/?|[\w\-]+\.(txt|pt|csv|png|qm|sqlite3|log|ini)\b")
# Data, not wording: the text the model reads, writes and is fed, and the names of runs and texts.
DATA_WIDGETS = (QPlainTextEdit, QTextEdit)


def english_words(text: str) -> list[str]:
    text = PATH.sub(" ", GLOB.sub(" ", HTML_TAG.sub(" ", text)))
    for allowed in ("GRU Studio", "nn.GRU", "nn.RNN", "nn.LSTM", "The Time Machine", "H. G. Wells"):
        text = text.replace(allowed, " ")
    return [word for word in WORD.findall(text) if word not in ALLOWED and word not in CHOICES]


def menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    yield f"{where} title", menu.title()
    for action in menu.actions():
        yield from action_texts(action, where)


def action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    if action.isSeparator():
        return
    yield f"{where} › action", action.text().replace("&", "")
    if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
        yield f"{where} › action tooltip", action.toolTip()
    if action.menu() is not None:
        yield from menu_texts(action.menu(), f"{where} › {action.text()}")


def widget_texts(win: MainWindow) -> Iterator[tuple[str, str]]:
    for menu_action in win.menuBar().actions():
        yield from action_texts(menu_action, "menu bar")
    yield "status bar", win.statusBar().currentMessage()
    for widget in win.findChildren(QWidget):
        name = f"{type(widget).__name__} {widget.objectName()}".strip()
        if isinstance(widget, DATA_WIDGETS) or isinstance(widget.parent(), DATA_WIDGETS):
            continue
        if widget.toolTip():
            yield f"{name} tooltip", widget.toolTip()
        if isinstance(widget, QLabel):
            yield name, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield name, widget.text().replace("&", "")
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield f"{name} tab", widget.tabText(index).replace("&", "")
        elif isinstance(widget, QComboBox):
            for index in range(widget.count()):
                yield f"{name} item", widget.itemText(index)
                tip = widget.itemData(index, Qt.ItemDataRole.ToolTipRole)
                if tip:
                    yield f"{name} item tooltip", tip
        elif isinstance(widget, QLineEdit):
            yield f"{name} placeholder", widget.placeholderText()
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount(QModelIndex())):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.headerData(column, Qt.Orientation.Horizontal, role)
                    if isinstance(value, str):
                        yield f"{name} header", value
        elif isinstance(widget, pg.PlotWidget):
            item = widget.getPlotItem()
            for axis in ("left", "bottom", "right"):
                shown = item.getAxis(axis) if axis in item.axes else None
                if shown is not None and shown.isVisible():
                    yield f"{name} {axis} axis", shown.labelText
            legend = item.legend
            if legend is not None:
                for _, label in legend.items:
                    yield f"{name} legend", label.text
            for child in item.getViewBox().allChildren():
                if isinstance(child, pg.TextItem):
                    yield f"{name} text", child.toPlainText()
    for menu in win.findChildren(QMenu):  # context menus, pyqtgraph's among them
        yield from menu_texts(menu, f"menu {menu.objectName() or type(menu).__name__}")


def run_names(win: MainWindow) -> set[str]:
    """Texts the user or the data named: corpus names, run names (allowed wherever they appear)."""
    corpus = win.corpus_panel.corpus
    return {str(corpus.name)} if corpus is not None else set()


def dialog_texts(win: MainWindow, qtbot, monkeypatch) -> Iterator[tuple[str, str]]:
    """What every dialog the File, Sweep and Help actions open says: Qt's static dialogs are caught
    (their title, text and file filters), and a dialog of the app's own is walked before it closes."""
    said: list[tuple[str, str]] = []

    def catch(kind: str, answer: object) -> object:
        def dialog(parent, *args, **kwargs):
            said.extend((f"{kind} dialog", str(arg)) for arg in args if isinstance(arg, str))
            return answer

        return dialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", catch("save", ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", catch("open", ("", "")))
    monkeypatch.setattr(QMessageBox, "about", catch("about", None))
    monkeypatch.setattr(QMessageBox, "warning", catch("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", catch("question", QMessageBox.StandardButton.No))

    def walk_and_close(dialog: QDialog) -> int:
        said.append((f"{type(dialog).__name__} title", dialog.windowTitle()))
        for widget in dialog.findChildren(QWidget):
            if widget.toolTip():
                said.append((f"{type(dialog).__name__} tooltip", widget.toolTip()))
            if isinstance(widget, (QLabel, QAbstractButton)):
                said.append((f"{type(dialog).__name__} {type(widget).__name__}", widget.text().replace("&", "")))
            elif isinstance(widget, QComboBox):
                said.extend((f"{type(dialog).__name__} item", widget.itemText(i)) for i in range(widget.count()))
            elif isinstance(widget, QLineEdit):
                said.append((f"{type(dialog).__name__} placeholder", widget.placeholderText()))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QDialog, "exec", walk_and_close)
    for action in [*win.file_menu.actions(), win.sweep.action, *win.help_menu.actions()]:
        if action is win.quit_action or action.isSeparator() or not action.isEnabled():
            continue
        action.trigger()
        qtbot.wait(20)
    assert said, "no dialog opened"
    yield from said


def test_no_english_is_left_in_the_chinese_window(qtbot, settings, monkeypatch) -> None:
    settings.setValue(i18n.SETTING, i18n.ENGLISH)
    win = open_window(qtbot, settings)
    try:
        win.settings_panel.set_values({**TINY, "epochs": 400})
        win.buttons["train"].click()
        qtbot.waitUntil(lambda: win.controller.state is RunState.TRAINING, timeout=20_000)
        qtbot.waitUntil(lambda: len(win.controller.session.history) >= 2, timeout=20_000)
        win.language_menu.actions_by_choice[i18n.CHINESE].trigger()
        qtbot.wait(200)  # LanguageChange is posted to every widget
        assert win.controller.state is RunState.TRAINING  # the switch did not disturb the run
        # Every tab once, so that what a tab makes when first shown (the Runs table) is made.
        for tabs in win.findChildren(QTabWidget):
            for index in range(tabs.count()):
                tabs.setCurrentIndex(index)
                qtbot.wait(50)
        names = run_names(win)
        left = []
        for where, text in [*widget_texts(win), *dialog_texts(win, qtbot, monkeypatch)]:
            for name in names:
                text = text.replace(name, " ")
            words = [w for w in english_words(text or "") if WHERE_ALLOWED.get(w, "\0") not in where]
            if words:
                left.append(f"{where}: {text!r} -> {words}")
        assert left == [], "\n".join(left)
    finally:
        win.controller.stop()
        qtbot.waitUntil(lambda: win.controller.state is not RunState.TRAINING, timeout=20_000)
        win.translations.apply(i18n.ENGLISH)
        win.close()
