"""The PySide6 window on top of the engine. Import torch before PySide6 (a known DLL clash on Windows).

The wings, lowest first (each imports only those before it; tests/gui/test_wings.py holds the order):
common (workers, forms, translations), setup (the next run's text and settings), training (the
controller, the plots, generation), inside (Inside the GRU), runs (the run history), sweep, app
(the window that composes them all). Nothing here imports a wing at import time, so that importing
one wing never drags in the whole window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch  # noqa: F401  (first, on purpose)

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from gru_studio.gui.app.main_window import MainWindow

ORGANIZATION = APPLICATION = "GRU Studio"


def create_main_window(settings: QSettings | None = None) -> MainWindow:
    """The main window, ready to show. A QApplication must exist already.

    The remembered language (on the first start, the system's) is applied before
    the window is built, so that its first paint is already in that language.
    """
    from PySide6.QtCore import QSettings

    from gru_studio.gui.app.main_window import MainWindow
    from gru_studio.gui.common.i18n import Translations

    settings = settings if settings is not None else QSettings(ORGANIZATION, APPLICATION)
    translations = Translations(settings)
    translations.apply()
    return MainWindow(settings, translations)
