"""The whole window switches to Simplified Chinese through its Language menu while a run trains, and back (issue 17).

The catalogue is the shipped one (resources/i18n/gru_studio_zh_CN.qm), loaded
by the app as users get it: the lookups are Qt's own, under the contexts
lupdate files each string in, so a string the code asks for under another
context stays English and fails here. That every string of the code has its
Chinese there is tested in test_i18n.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window
from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.common import i18n
from tests.gui.conftest import TINY, open_window

ROOT = Path(__file__).resolve().parents[3]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def english_at_start(settings) -> QSettings:
    settings.setValue(i18n.SETTING, i18n.ENGLISH)
    return settings


@pytest.fixture
def windows() -> Iterator[list[MainWindow]]:
    """Windows a test opens; each is put back in English and closed at the end, whatever happened."""
    opened: list[MainWindow] = []
    yield opened
    for win in opened:
        win.controller.stop()
        win.translations.apply(i18n.ENGLISH)  # the app-wide translators go, for the tests after this one
        win.close()


def choose(win: MainWindow, choice: str) -> None:
    """Pick a language as a user does: the Language menu's action."""
    win.language_menu.actions_by_choice[choice].trigger()


def texts(win: MainWindow) -> dict[str, str]:
    """The window's own words: menus, actions, tabs, buttons, tooltips, the Runs table, the plot's context menu."""
    runs = win.runs
    model = runs.model
    status_column = model.column_of("status")
    plot_item = win.plot.plot.getPlotItem()
    return {
        "file menu": win.file_menu.title(),
        "run menu": win.run_menu.title(),
        "language menu": win.language_menu.title(),
        "help menu": win.help_menu.title(),
        "open text action": win.open_action.text(),
        "save model action": win.files.actions[1].text(),
        "train action": win.run_actions["train"].text(),
        "about action": win.help_menu.about_action.text(),
        "system language": win.language_menu.actions_by_choice[i18n.SYSTEM].text(),
        "plot tab": win.tabs.tabText(win.tabs.indexOf(win.plot)),
        "inside tab": win.tabs.tabText(win.tabs.indexOf(win.inside)),
        "generate tab": win.lower_tabs.tabText(win.lower_tabs.indexOf(win.generation)),
        "runs tab": win.lower_tabs.tabText(win.lower_tabs.indexOf(win.runs)),
        "train button": win.buttons["train"].text(),
        "stop button": win.buttons["stop"].text(),
        "pause button": win.buttons["pause"].text(),
        "continue tooltip": win.buttons["continue"].toolTip(),
        "status bar": win.statusBar().currentMessage(),
        "runs toggle": runs.only_differing.text(),
        "runs button": runs.buttons["again"].text(),
        "runs count": runs.count.text(),
        "runs header": model.headerData(status_column, Qt.Orientation.Horizontal),
        "runs header tooltip": model.headerData(status_column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole),
        "runs status": model.data(model.index(0, status_column)),
        "runs model": model.data(model.index(0, model.column_of("model"))),
        "plot menu": plot_item.getViewBox().menu.viewAll.text(),
        "plot options": plot_item.ctrlMenu.title(),
        "strip menu": win.inside.strip.plot.getPlotItem().getViewBox().menu.viewAll.text(),
    }


def test_the_window_switches_to_chinese_during_a_run_and_back(
    qtbot, english_at_start, windows, monkeypatch, tmp_path
) -> None:
    titles: list[str] = []

    def save_dialog(parent, title, *args, **kwargs) -> tuple[str, str]:
        titles.append(title)
        return "", ""  # cancelled: nothing is written

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    win = open_window(qtbot, english_at_start)
    windows.append(win)
    win.settings_panel.set_values({**TINY, "epochs": 100_000, "sample_every": 0})
    win.lower_tabs.setCurrentWidget(win.runs)  # the Runs table reads the store once shown
    win.buttons["train"].click()
    qtbot.waitUntil(lambda: win.plot.point_count() >= 3 and win.runs.model.rowCount() == 1, timeout=30_000)
    english = texts(win)
    assert english["train action"] == "Train" and english["runs status"] == "running"
    assert english["status bar"] == "Training…" and english["plot menu"] == "View All"

    choose(win, i18n.CHINESE)
    qtbot.waitUntil(lambda: win.buttons["stop"].text() == "停止", timeout=5000)
    assert win.controller.state is RunState.TRAINING  # the switch did not disturb the run
    chinese = texts(win)
    untranslated = {name: text for name, text in chinese.items() if not HAN.search(text or "")}
    assert untranslated == {}
    assert chinese["runs model"] == "从零实现的 GRU"  # the settings panel's short name of the model
    assert chinese["runs status"] == "运行中" and chinese["runs header"] == "状态"
    assert chinese["plot tab"] == "困惑度" and chinese["runs tab"] == "运行记录"
    assert chinese["status bar"] == "正在训练…" and chinese["plot menu"] == "显示全部"
    # A file dialog asks in Chinese.
    win.files.actions[1].trigger()  # Save model…
    assert titles == ["保存模型"]

    # Training went on through the switch, on the same curve.
    points, curves = win.plot.point_count(), len(win.plot.runs)
    qtbot.waitUntil(lambda: win.plot.point_count() >= points + 2, timeout=30_000)
    assert len(win.plot.runs) == curves == 1
    win.buttons["stop"].click()
    qtbot.waitUntil(lambda: win.controller.state is RunState.STOPPED, timeout=30_000)
    assert win.statusBar().currentMessage().startswith("已在 ")  # "stopped after N epochs", in Chinese
    qtbot.waitUntil(
        lambda: win.runs.model.data(win.runs.model.index(0, win.runs.model.column_of("status"))) == "已停止"
    )

    # An engine error shown in the window, in Chinese, and again in English after the switch back.
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    win.corpus_panel.select(str(empty))
    qtbot.waitUntil(lambda: win.corpus_panel.message.isVisible(), timeout=10_000)
    assert win.corpus_panel.message.text() == f"{empty} 是空的。"
    assert win.train_message.text() == "请选择用于训练的文本。"

    choose(win, i18n.ENGLISH)
    qtbot.waitUntil(lambda: win.buttons["stop"].text() == "Stop", timeout=5000)
    assert win.corpus_panel.message.text() == f"{empty} is empty."
    assert win.train_message.text() == "Choose a text to train on."
    back = texts(win)
    assert back["status bar"].startswith("Stopped after") and back["runs status"] == "stopped"
    assert {name: text for name, text in back.items() if HAN.search(text or "")} == {}
    assert back == {**english, "status bar": back["status bar"], "runs status": "stopped", "runs count": "1 run"}
    assert len(win.plot.runs) == 1 and win.plot.point_count() >= points + 2  # the plot kept its curve

    # The choice is remembered, and a new window starts in it, from its first paint.
    assert english_at_start.value(i18n.SETTING) == i18n.ENGLISH
    choose(win, i18n.CHINESE)
    assert english_at_start.value(i18n.SETTING) == i18n.CHINESE
    assert QSettings(english_at_start.fileName(), QSettings.Format.IniFormat).value(i18n.SETTING) == i18n.CHINESE
    # As quitting does: the first window's translators go with it, so the new one's Chinese is its own.
    for translator in win.translations.findChildren(QTranslator):
        QCoreApplication.instance().removeTranslator(translator)
    assert QCoreApplication.translate("MainWindow", "Train") == "Train"
    win.close()
    second = create_main_window(english_at_start)
    windows.append(second)
    qtbot.addWidget(second)
    assert second.buttons["train"].text() == "训练" and second.file_menu.title() == "文件(&F)"
    assert second.language_menu.actions_by_choice[i18n.CHINESE].isChecked()


def test_the_about_box_and_the_run_menu_follow_the_language(qtbot, english_at_start, windows):
    about: list[tuple[str, str]] = []
    win = open_window(qtbot, english_at_start)
    windows.append(win)
    choose(win, i18n.CHINESE)
    qtbot.waitUntil(lambda: win.buttons["train"].text() == "训练", timeout=5000)
    original = QMessageBox.about
    try:
        QMessageBox.about = staticmethod(lambda parent, title, text: about.append((title, text)))
        win.help_menu.about_action.trigger()
    finally:
        QMessageBox.about = original
    assert about and HAN.search(about[0][0]) and HAN.search(about[0][1])
    assert [action.text() for action in win.run_actions.values()] == ["训练", "继续训练", "暂停", "停止", "重置"]
    # A note in the status bar is said again in the new language while it is shown.
    win.runs.export_csv()  # nothing ticked or selected
    assert win.statusBar().currentMessage() == "请先勾选（或选中）要导出的运行。"
    choose(win, i18n.ENGLISH)
    qtbot.waitUntil(lambda: win.buttons["train"].text() == "Train", timeout=5000)
    assert win.statusBar().currentMessage() == "Tick (or select) the runs to export first."


def test_the_font_note_is_said_once(qtbot, english_at_start, windows, monkeypatch) -> None:
    monkeypatch.setattr("gru_studio.gui.common.language_menu.has_cjk_font", lambda: False)
    win = open_window(qtbot, english_at_start)
    windows.append(win)
    notes: list[str] = []
    shown = win.language_menu.note
    win.language_menu.note = lambda text: (notes.append(text), shown(text))
    choose(win, i18n.CHINESE)
    assert len(notes) == 1 and "No font with Chinese characters" in notes[0]
    assert win.statusBar().currentMessage() == notes[0]  # where the window says things
    choose(win, i18n.ENGLISH)
    choose(win, i18n.CHINESE)
    assert len(notes) == 1
