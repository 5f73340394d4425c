"""The Language menu: System, English, 简体中文; a choice takes effect at once and is remembered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from gru_studio.gui.common.i18n import CHINESE, CHOICES, SYSTEM, Translations, has_cjk_font


class LanguageMenu(QMenu):
    """Each language is named in its own words, so a user lost in the other one still finds theirs."""

    def __init__(self, translations: Translations, parent: QWidget | None = None, note: Callable[[str], None] = print):
        super().__init__(parent)
        self.translations = translations
        self.note = note  # where to say that Chinese cannot be drawn here (the window's status line)
        self._font_noted = False
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_by_choice: dict[str, QAction] = {}
        for choice, name in ((SYSTEM, ""), *CHOICES):
            action = QAction(name, self, checkable=True)
            action.setData(choice)
            self.group.addAction(action)
            self.addAction(action)
            self.actions_by_choice[choice] = action
        self.actions_by_choice[translations.choice].setChecked(True)
        self.group.triggered.connect(self.choose)
        self.retranslate()

    def choose(self, action: QAction) -> None:
        if self.translations.apply(action.data()) == CHINESE:
            self.check_font()

    def check_font(self) -> None:
        """Say once that Chinese cannot be drawn here (a choice just made, or a remembered one at start-up)."""
        if not self._font_noted and not has_cjk_font():
            self._font_noted = True  # once: it does not change while the app runs
            # In English on purpose: without the font, the Chinese of this note would be boxes too.
            self.note(
                "No font with Chinese characters was found, so Chinese text may show as boxes. "
                "Install one (for example fonts-noto-cjk or fonts-wqy-microhei) and restart GRU Studio."
            )

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Language"))
        self.actions_by_choice[SYSTEM].setText(self.tr("System"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
