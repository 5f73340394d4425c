"""Starting the window as an application."""

from __future__ import annotations

import gc
import logging
import os
import sys

import pyqtgraph as pg
import torch  # noqa: F401  (before PySide6, on purpose)
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gru_studio.engine.errors import GruStudioError
from gru_studio.gui import APPLICATION, ORGANIZATION, create_main_window
from gru_studio.gui.app.crash import CrashReporter
from gru_studio.gui.app.warmup import warm_after_first_paint
from gru_studio.gui.common import theme
from gru_studio.resources import resource_path

# At exit, how long to let a warm-up's import under way end before the interpreter goes.
WARMUP_EXIT_WAIT_S = 2.0


def display_problem() -> str:
    """Why a window cannot open here, or ''."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        return (
            "no display to open the window on (DISPLAY is not set). Use the headless commands "
            "(gru-studio train --help), or run the window under xvfb-run."
        )
    return ""


def run_app(argv: list[str] | None = None, open_path: str | None = None) -> int:
    problem = display_problem()
    if problem:
        raise GruStudioError(problem)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setWindowIcon(QIcon(str(resource_path("icons/gru-studio.svg"))))
    # The remembered theme (System, Light, Dark) before the window is built, so that its first paint
    # is already in it: palette, style sheet and plot colours (gui/common/theme.py; View ▸ Theme).
    theme.manager().choose(str(QSettings(ORGANIZATION, APPLICATION).value(theme.SETTINGS_KEY, theme.SYSTEM)))
    pg.setConfigOptions(antialias=True)
    reporter = CrashReporter()
    window = create_main_window()
    # What the first Train would otherwise import on its thread (0.7-2.2 s here, and two
    # full collections that kept the GUI thread waiting up to 137 ms) is imported in the
    # background from the first paint on; the window opens as fast as before (gui/app/warmup.py).
    warmup = warm_after_first_paint(window)
    window.show()
    if open_path:  # `gru-studio --open FILE`: what the desktop entry runs for a double-clicked model
        window.open_file(open_path)
    # What start-up made (torch, Qt, the window) lives as long as the app: moved out of
    # the collector's sight, a full collection no longer walks it. One such collection
    # stalled the GUI thread for 162 ms early in the first run (docs/results.md).
    gc.freeze()
    try:
        return app.exec()
    finally:
        warmup.stop()  # an app quit at once waits for the piece under way, a little
        warmup.wait(WARMUP_EXIT_WAIT_S)
        # Freed by Qt, parents before children, while Python still holds every wrapper:
        # left to Python's collector the plot's menus could touch freed widgets.
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        reporter.uninstall()
