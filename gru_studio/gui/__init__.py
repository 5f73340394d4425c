"""The PySide6 window on top of the engine. Import torch before PySide6 (a known DLL clash on Windows)."""

from __future__ import annotations

import torch  # noqa: F401  (first, on purpose)
from PySide6.QtCore import QSettings

from gru_studio.gui.main_window import MainWindow

ORGANIZATION = APPLICATION = "GRU Studio"


def create_main_window(settings: QSettings | None = None) -> MainWindow:
    """The main window, ready to show. A QApplication must exist already."""
    return MainWindow(settings if settings is not None else QSettings(ORGANIZATION, APPLICATION))
