"""File ▸ Open Recent: the last texts and models opened or saved, most recent first, kept in QSettings.

A file that has gone (moved, deleted, an unplugged disk) stays in the list greyed, with the reason
in its text and tooltip, until Clear or until ten newer ones push it out: the user sees why it
cannot be opened instead of wondering where it went.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

MOST = 10
GROUP = "recent"
MODEL, TEXT = "model", "text"


@dataclass(frozen=True)
class RecentFile:
    path: str
    kind: str  # MODEL or TEXT: how it opens again


class RecentFiles:
    """The list itself, in the window's QSettings (an array of path and kind, most recent first)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def entries(self) -> list[RecentFile]:
        count = self.settings.beginReadArray(GROUP)
        found = []
        for index in range(count):
            self.settings.setArrayIndex(index)
            path, kind = str(self.settings.value("path", "")), str(self.settings.value("kind", ""))
            if path and kind in (MODEL, TEXT):
                found.append(RecentFile(path, kind))
        self.settings.endArray()
        return found[:MOST]

    def add(self, path: str | Path, kind: str) -> None:
        """Put a file first; an earlier entry for the same file goes, and the list keeps MOST."""
        path = os.path.abspath(path)
        rest = [entry for entry in self.entries() if os.path.abspath(entry.path) != path]
        self._write([RecentFile(path, kind), *rest][:MOST])

    def clear(self) -> None:
        self._write([])

    def _write(self, entries: list[RecentFile]) -> None:
        self.settings.remove(GROUP)
        self.settings.beginWriteArray(GROUP, len(entries))
        for index, entry in enumerate(entries):
            self.settings.setArrayIndex(index)
            self.settings.setValue("path", entry.path)
            self.settings.setValue("kind", entry.kind)
        self.settings.endArray()


class RecentMenu(QMenu):
    """Built again each time it opens, so that a file deleted meanwhile shows as missing."""

    def __init__(self, recent: RecentFiles, open_file: Callable[[RecentFile], None], parent: QWidget) -> None:
        super().__init__(parent)
        self.recent = recent
        self.open_file = open_file
        self.setToolTipsVisible(True)  # the whole path, or why the file cannot be opened
        self.aboutToShow.connect(self.rebuild)
        self.retranslate()
        self.rebuild()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Open &Recent"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.rebuild()
        super().changeEvent(event)

    def rebuild(self) -> None:
        self.clear()
        entries = self.recent.entries()
        for number, entry in enumerate(entries, start=1):
            self.addAction(self._action(number, entry))
        if not entries:
            none = self.addAction(self.tr("No recent files"))
            none.setEnabled(False)
        self.addSeparator()
        clear = self.addAction(self.tr("&Clear the list"))
        clear.setObjectName("clearRecent")
        clear.setEnabled(bool(entries))
        clear.triggered.connect(self._clear)

    def _action(self, number: int, entry: RecentFile) -> QAction:
        name = Path(entry.path).name.replace("&", "&&")  # a name's & is shown, not a mnemonic
        what = self.tr("model") if entry.kind == MODEL else self.tr("text")
        # The first nine get a number to press while the menu is open, as desktop apps do.
        prefix = f"&{number} " if number < 10 else f"{number} "
        action = QAction(self)
        if Path(entry.path).is_file():
            action.setText(f"{prefix}{name} ({what})")
            action.setToolTip(entry.path)
            action.setStatusTip(entry.path)
            action.triggered.connect(lambda _=False, entry=entry: self.open_file(entry))
        else:
            reason = self.tr("file not found")
            action.setText(f"{prefix}{name} — {reason}")
            action.setToolTip(self.tr("{0}: file not found").format(entry.path))
            action.setStatusTip(action.toolTip())
            action.setEnabled(False)  # greyed: nothing to open
        action.setData(entry.path)
        return action

    def _clear(self) -> None:
        self.recent.clear()
        self.rebuild()
