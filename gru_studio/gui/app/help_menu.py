"""Help: Keyboard shortcuts (listed from the window's own actions) and About GRU Studio.

The list is read from the actions each time it opens, never written by hand, so that it cannot
drift from what the keys do. IME_KEYS are the keys input methods keep for themselves; a shortcut
on one of them would switch a Chinese or Japanese input method off in the middle of a word, or
never reach the window where one runs (tests/gui/app/test_shortcuts.py holds the window to it).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QKeyCombination, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gru_studio.gui.app.about import show_about

# Each key, and who takes it (as the input methods' own settings name them).
IME_KEYS = {
    "Ctrl+Space": "input method on/off (fcitx, ibus, Windows)",
    "Ctrl+Shift+Space": "input method switch (some fcitx and Windows set-ups)",
    "Shift+Space": "full-width/half-width characters (Chinese input methods)",
    "Meta+Space": "next input source (GNOME, KDE, Windows)",
    "Ctrl+.": "Chinese/English punctuation (Microsoft Pinyin, Sogou, fcitx)",
    "Ctrl+Shift+F": "simplified/traditional Chinese (Microsoft Pinyin, fcitx)",
    "Ctrl+Shift+E": "emoji picker (ibus)",
    "Ctrl+Shift+U": "Unicode input (ibus, GTK)",
    "Ctrl+;": "clipboard (fcitx 5)",
    "Ctrl+Alt+H": "quick phrase (fcitx)",
}
MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}


def _combination(text: str) -> QKeyCombination:
    return QKeySequence(text)[0]


def ime_clash(sequence: QKeySequence) -> str | None:
    """Why an input method needs one of this sequence's keys, or None if it needs none of them."""
    for index in range(sequence.count()):
        combination = sequence[index]
        if combination.key() in MODIFIER_KEYS:  # Ctrl+Shift, Alt+Shift alone: layout and IME switches
            return "modifiers alone switch input methods and keyboard layouts"
        for keys, owner in IME_KEYS.items():
            if combination == _combination(keys):
                return owner
    return None


def _plain(text: str) -> str:
    """A menu text as read: no mnemonic (a Chinese "(&F)" goes whole), no trailing ellipsis."""
    text = re.sub(r"\s*\(&\w\)", "", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".").strip()


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, command, keys) for every action of the window with a shortcut: the menus' in menu
    order, then those of single widgets (the Runs table's Delete)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def add(where: str, action: QAction) -> None:
        seen.add(id(action))
        keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts() if not key.isEmpty()]
        if keys and not action.isSeparator():
            rows.append((where, _plain(action.text() or action.toolTip()), ", ".join(keys)))

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{where} ▸ {_plain(action.menu().title())}")
            else:
                add(where, action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.menu().title()))
    for action in window.findChildren(QAction):
        if id(action) in seen or not action.shortcuts():
            continue
        owners = [w for w in action.associatedObjects() if isinstance(w, QWidget) and not isinstance(w, QMenu)]
        add(owners[0].accessibleName() if owners else "", action)
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3, self, objectName="shortcutsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Where"), self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, texts in enumerate(rows):
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.windowTitle())
        note = QLabel(
            self.tr(
                "Tab and Shift+Tab move between controls; the arrow keys move within a list, a table or the "
                "heat strip. In a menu, the underlined letter picks an entry."
            ),
            wordWrap=True,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 420)


class HelpMenu(QMenu):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.shortcuts_action = QAction(self, objectName="keyboardShortcuts")
        self.shortcuts_action.triggered.connect(lambda: ShortcutsDialog(window).exec())
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda: show_about(window))
        self.addActions([self.shortcuts_action, self.about_action])
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Help"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.about_action.setText(self.tr("&About GRU Studio"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
