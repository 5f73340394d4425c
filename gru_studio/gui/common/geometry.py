"""Sizing the window to the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 820)  # room for the settings' longest labels beside a wide plot
# What a window manager's title bar and borders take, on top of the size asked
# for; unknown until the window is shown, so a typical figure is kept free.
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(window: QWidget) -> QRect:
    """The part of the window's screen that windows may use (taskbars and docks excluded)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED) -> None:
    """Give the window its preferred size, or as much of the screen as there is, and keep it on screen.

    A size restored from an earlier session on a larger monitor is shrunk the
    same way, so the status bar and the lowest controls are never off-screen.
    """
    area = available_area(window)
    room = QSize(max(area.width() - FRAME_ALLOWANCE.width(), 1), max(area.height() - FRAME_ALLOWANCE.height(), 1))
    wanted = window.size() if window.property("geometryRestored") else preferred
    size = wanted.boundedTo(room)
    window.resize(size)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() - frame.width() + 1)
    y = min(max(frame.y(), area.y()), area.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.x()), max(y, area.y()))
