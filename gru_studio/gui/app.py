"""Starting the window as an application."""

from __future__ import annotations

import logging
import sys

import pyqtgraph as pg
import torch  # noqa: F401  (before PySide6, on purpose)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gru_studio.gui import APPLICATION, ORGANIZATION, create_main_window


def run_app(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon.fromTheme("accessories-text-editor"))
    pg.setConfigOptions(antialias=True)
    window = create_main_window()
    window.show()
    return app.exec()
