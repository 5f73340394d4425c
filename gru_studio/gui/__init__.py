"""The PySide6 window on top of the engine. Import torch before PySide6 (a known DLL clash on Windows)."""

from __future__ import annotations

import torch  # noqa: F401  (first, on purpose)
from PySide6.QtCore import QSettings

from gru_studio.gui.i18n import Translations
from gru_studio.gui.main_window import MainWindow

ORGANIZATION = APPLICATION = "GRU Studio"


def create_main_window(settings: QSettings | None = None) -> MainWindow:
    """The main window, ready to show. A QApplication must exist already.

    The remembered language (on the first start, the system's) is applied before
    the window is built, so that its first paint is already in that language.
    """
    settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)
    translations = Translations(settings)
    translations.apply()
    return MainWindow(settings, translations)
