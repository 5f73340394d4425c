"""A run store locked by another process is a note in the Runs tab, never a wait (issue 28, cause 4).

Rename, pin and delete write the store; with another connection holding its
write lock (BEGIN IMMEDIATE, as a trainer's epoch or `gru-studio runs delete`
does), each used to wait 10 s four times over before it said anything. Now the
write gives up at once and says the store is busy; export and open model, which
only read it, go on. All of it on job threads: the conftest guard fails any
SQLite connection made on the GUI thread.
"""

from __future__ import annotations

import itertools
import socket
import sqlite3
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.history.store import default_path
from tests.gui.runs.conftest import open_store, store_locked, unguarded
from tests.gui.runs.test_runs_view import listed_ids, seed, show_runs

SAID_WITHIN_MS = 5_000  # the old wait was 40 s


def busy_note(window) -> str:
    message = window.runs.message
    return message.text() if message.isVisible() and "busy" in message.text() else ""


def test_a_locked_store_is_a_note_not_a_wait(qtbot, window, tmp_path, monkeypatch) -> None:
    with open_store() as store:
        run_id = seed(store, name="before")
    show_runs(qtbot, window)
    view = window.runs
    view.select(run_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    beats: list[float] = []
    heart = QTimer(interval=20)
    heart.timeout.connect(lambda: beats.append(time.monotonic()))
    heart.start()
    with store_locked():
        for act in (lambda: view.rename("after"), lambda: view.pin(True), view.delete):
            view._show_message("")
            started = time.monotonic()
            act()
            qtbot.waitUntil(lambda: bool(busy_note(window)), timeout=SAID_WITHIN_MS)
            assert time.monotonic() - started < SAID_WITHIN_MS / 1000
            assert "try again" in busy_note(window)
        # Reading goes on while another process writes: the export and the look at a model are done.
        with qtbot.waitSignal(view.said, timeout=SAID_WITHIN_MS):
            view.export_csv(str(tmp_path / "runs.csv"))
        assert (tmp_path / "runs.csv").is_file()
    heart.stop()
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert beats and max(gaps) < 1.0  # the GUI thread never waited for the lock
    with open_store() as store:
        run = store.get(run_id)
    assert run is not None and run.name == "before" and not run.pinned  # nothing was changed
    # Once the other writer is done, the same rename goes through.
    with qtbot.waitSignal(view.listed, timeout=10_000):
        view.rename("after")
    with open_store() as store:
        assert store.get(run_id).name == "after"
    assert listed_ids(window) == [run_id]


def test_listing_a_locked_store_with_a_dead_run_in_it_does_not_wait_for_the_lock(qtbot, window) -> None:
    """Opening the store marks runs of dead processes crashed, a write: with the store locked, that
    write gives up after the window's short wait, and the runs are listed all the same."""
    with open_store() as store:
        run_id = seed(store)
    with unguarded(), sqlite3.connect(default_path()) as db:  # left "running" by a process that is gone
        db.execute(
            "UPDATE runs SET status = 'running', ended = NULL, pid = ?, host = ? WHERE id = ?",
            (2**22 + 12345, socket.gethostname(), run_id),
        )
    with store_locked():
        started = time.monotonic()
        show_runs(qtbot, window)
        assert time.monotonic() - started < SAID_WITHIN_MS / 1000
    assert listed_ids(window) == [run_id]
