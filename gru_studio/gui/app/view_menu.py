"""The View menu: Theme ▸ System, Light, Dark. A choice repaints the whole window at once and is remembered."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from gru_studio.gui.common import theme


class ViewMenu(QMenu):
    """Applies the remembered theme when made, so that a window (a test's, the app's) shows its own choice."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.theme_menu = self.addMenu("")
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_by_choice: dict[str, QAction] = {}
        for choice in theme.CHOICES:
            action = QAction(self, checkable=True)
            action.setData(choice)
            self.group.addAction(action)
            self.theme_menu.addAction(action)
            self.actions_by_choice[choice] = action
        remembered = str(settings.value(theme.SETTINGS_KEY, theme.SYSTEM))
        choice = remembered if remembered in theme.CHOICES else theme.SYSTEM  # an edited settings file
        self.actions_by_choice[choice].setChecked(True)
        theme.manager().choose(choice)
        self.group.triggered.connect(self._on_triggered)
        self.retranslate()

    @classmethod
    def add_to(cls, bar: QMenuBar, settings: QSettings) -> ViewMenu:
        menu = cls(settings, bar)
        bar.addMenu(menu)
        return menu

    def choose(self, choice: str) -> None:
        """Show `choice` (theme.SYSTEM, LIGHT or DARK) and remember it, as picking it in the menu does."""
        self.actions_by_choice[choice].setChecked(True)
        self.settings.setValue(theme.SETTINGS_KEY, choice)
        theme.manager().choose(choice)

    def _on_triggered(self, action: QAction) -> None:
        self.choose(str(action.data()))

    def retranslate(self) -> None:
        self.setTitle(self.tr("&View"))
        self.theme_menu.setTitle(self.tr("&Theme"))
        texts = {theme.SYSTEM: self.tr("&System"), theme.LIGHT: self.tr("&Light"), theme.DARK: self.tr("&Dark")}
        for choice, action in self.actions_by_choice.items():
            action.setText(texts[choice])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
