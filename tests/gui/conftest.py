"""Fixtures for driving the real window offscreen."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window
from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.common.worker import live_threads

TINY = {"hidden": 16, "batch_size": 8, "num_steps": 8, "epochs": 5, "sample_every": 2, "lr": 1.0}


@pytest.fixture(autouse=True)
def no_thread_left_running(qtbot):
    """Fail any test that leaves a QThread running (it would abort the process at exit).

    First, earlier tests' windows are freed here, on the GUI thread. Left in
    reference cycles, a collection could free them on a training thread
    instead; PySide then hands the deletion to the GUI thread and waits, and
    the GUI thread waited for a lock that training thread held: the suite hung
    once in CI that way (gdb: QObject::~QObject against Sbk_GetPyOverride),
    and crashed once with a freed pyqtgraph menu.
    """
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    yield
    qtbot.waitUntil(lambda: not any(t.isRunning() for t in list(live_threads)), timeout=3000)


@pytest.fixture
def critical_dialogs(monkeypatch) -> list[str]:
    """The texts of error dialogs, recorded instead of shown (a shown one would block the test)."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    return shown


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, settings: QSettings) -> MainWindow:
    """A shown main window whose remembered text (the bundled sample by default) has loaded."""
    if settings.value("corpus/source") is None:
        settings.setValue("corpus/source", "sample")
    win = create_main_window(settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.corpus_panel.corpus is not None, timeout=10_000)
    return win


@pytest.fixture
def window(qtbot, settings) -> MainWindow:
    """The main window with the bundled sample loaded and tiny settings."""
    win = open_window(qtbot, settings)
    win.settings_panel.set_values(TINY)
    yield win
    win.close()


def train_and_wait(qtbot, win: MainWindow, state: RunState = RunState.FINISHED, timeout: int = 30_000) -> None:
    win.buttons["train"].click()
    qtbot.waitUntil(lambda: win.controller.state is state, timeout=timeout)


@pytest.fixture(autouse=True)
def a_cjk_font_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the same window whichever fonts this machine has (DESIGN.md: they must pass without one).

    Without a CJK font, switching to Chinese notes (in English on purpose: Chinese would show as
    boxes) that one is missing; the test of that note says so itself (test_translation_window.py).
    """
    monkeypatch.setattr("gru_studio.gui.common.language_menu.has_cjk_font", lambda: True)
