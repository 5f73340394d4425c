"""Shortcuts (issue 31): none an input method needs, and Help ▸ Keyboard shortcuts lists every one, in both
languages, read from the actions themselves."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from gru_studio.gui.app.help_menu import IME_KEYS, ShortcutsDialog, ime_clash, shortcut_rows
from gru_studio.gui.common import i18n

HAN = re.compile(r"[\u4e00-\u9fff]")


def every_shortcut(win) -> list[tuple[QAction, QKeySequence]]:
    return [(a, key) for a in win.findChildren(QAction) for key in a.shortcuts() if not key.isEmpty()]


@pytest.mark.parametrize("keys", [*IME_KEYS, "Ctrl+Shift", "Alt+Shift"])
def test_the_check_knows_the_keys_input_methods_take(keys: str) -> None:
    assert ime_clash(QKeySequence(keys)) is not None
    assert ime_clash(QKeySequence("Ctrl+S")) is None and ime_clash(QKeySequence("Ctrl+Shift+O")) is None


def test_no_shortcut_of_the_window_is_one_an_input_method_needs(window) -> None:
    found = every_shortcut(window)
    assert len(found) >= 8  # the File and Run menus' at least: the walk saw them
    clashes = {a.text(): (key.toString(), ime_clash(key)) for a, key in found if ime_clash(key)}
    assert clashes == {}


def table(win) -> list[tuple[str, str, str]]:
    dialog = ShortcutsDialog(win)
    try:
        cells = dialog.table
        return [tuple(cells.item(r, c).text() for c in range(3)) for r in range(cells.rowCount())]
    finally:
        dialog.deleteLater()


def test_the_list_is_every_action_with_a_shortcut_and_follows_the_language(qtbot, window, monkeypatch) -> None:
    rows = table(window)
    listed = {keys for _, _, keys in rows}
    native = {key.toString(QKeySequence.SequenceFormat.NativeText) for _, key in every_shortcut(window)}
    assert listed == native  # each key once: no action with a shortcut is left out, none made up
    assert len(rows) == len({id(a) for a, _ in every_shortcut(window)})
    assert ("File", "Save model", QKeySequence(QKeySequence.StandardKey.Save).toString()) in rows
    assert ("Run", "Stop", "Esc") in rows
    assert all(command for _, command, _ in rows)

    # A shortcut added or changed shows at once: the list is read from the actions, not written by hand.
    window.run_actions["pause"].setShortcut(QKeySequence("F8"))
    assert ("Run", "Pause", "F8") in table(window)

    # Help ▸ Keyboard shortcuts opens it; in Chinese, its words are Chinese.
    shown: list[ShortcutsDialog] = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.translations.apply(i18n.CHINESE)
    try:
        qtbot.waitUntil(lambda: window.buttons["train"].text() == "训练", timeout=5000)
        assert HAN.search(window.help_menu.shortcuts_action.text())
        window.help_menu.shortcuts_action.trigger()
        assert shown and HAN.search(shown[0].windowTitle())
        headers = [shown[0].table.horizontalHeaderItem(c).text() for c in range(3)]
        assert all(HAN.search(text) for text in headers)
        assert all(HAN.search(where) and HAN.search(command) for where, command, _ in shortcut_rows(window)[:3])
    finally:
        window.translations.apply(i18n.ENGLISH)
