"""A window that remembers a hostile text (issue 13) starts, says what is wrong where the
text is chosen, and closes; it used to hang at every start on a remembered named pipe."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gru_studio.gui import create_main_window
from gru_studio.gui.app.main_window import MainWindow

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev are POSIX")


def start_remembering(qtbot, settings: QSettings, source: str) -> MainWindow:
    """A shown window whose settings name `source` as the last text used."""
    settings.setValue("corpus/source", source)
    win = create_main_window(settings)
    qtbot.addWidget(win)
    win.show()
    return win


def release_reader(fifo: Path) -> None:
    """Let a load stuck opening `fifo` go on (it then reads nothing), so that a failure here
    leaves no thread blocked for good."""
    with contextlib.suppress(OSError):  # nobody is waiting to read it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def error_shown(win: MainWindow) -> str:
    panel = win.corpus_panel
    return panel.message.text() if panel.message.isVisible() and not panel.loading else ""


# /dev/zero and /dev/urandom go through the same check (tests/engine/text/test_hostile_corpus.py);
# they are not opened here, where a regression would read them into the test's own memory.


@needs_posix
def test_a_remembered_named_pipe_is_refused_in_the_corpus_panel_and_the_window_closes(qtbot, settings, tmp_path):
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    try:
        for _start in range(2):  # it hung at every start, not only the first
            win = start_remembering(qtbot, settings, str(fifo))
            qtbot.waitUntil(lambda win=win: bool(error_shown(win)), timeout=10_000)
            assert error_shown(win) == (
                f"{fifo} is a named pipe (FIFO), not a text file; only a regular file can be a corpus."
            )
            assert win.corpus_panel.corpus is None
            assert not win.buttons["train"].isEnabled()
            assert win.close()
            assert not win.isVisible()
    finally:
        release_reader(fifo)
