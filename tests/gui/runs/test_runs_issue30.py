"""The run history stays legible (issue 30): newest first whatever the status, whole names, pins,
deleting a run's kept model, and which tokens/s is which."""

from __future__ import annotations

import itertools
import os
import socket
import sqlite3
import statistics

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.history.kept_models import kept_model_path, models_folder
from gru_studio.engine.history.store import default_path
from gru_studio.engine.training.events import EpochRecord, Finished
from gru_studio.gui.common import i18n
from gru_studio.gui.runs.delete_dialog import DeleteQuestion
from tests.gui.conftest import train_and_wait
from tests.gui.runs.conftest import open_store, unguarded
from tests.gui.runs.test_runs_view import listed_ids, seed, show_runs


def click_header(window, key: str) -> None:
    table = window.runs.table
    header = table.horizontalHeader()
    column = window.runs.model.column_of(key)
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QtBot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_date_and_run_sort_newest_first_whatever_the_status(qtbot, window) -> None:
    with open_store() as store:
        finished = seed(store)
        diverged = seed(store, epochs=2)
        crashed = seed(store)
        stopped = seed(store, epochs=3)
        # How each ended, as the recorder writes it; a crashed run's process never said when.
        store.finish(diverged, "diverged", error="Training diverged: the loss became inf")
        store.finish(stopped, "stopped")
    with unguarded(), sqlite3.connect(default_path()) as db:  # as mark_dead_runs leaves it: no end known
        db.execute("UPDATE runs SET status = 'crashed', ended = NULL WHERE id = ?", (crashed,))
    newest_first = [stopped, crashed, diverged, finished]
    show_runs(qtbot, window)
    assert listed_ids(window) == newest_first
    for key in ("date", "run"):
        click_header(window, key)  # the first click: the newest on top, the stopped one
        assert listed_ids(window) == newest_first, key
        click_header(window, key)  # the second turns it round
        assert listed_ids(window) == newest_first[::-1], key
    # Runs that tie on the column sorted by stay newest first, either way round.
    window.runs.table.sortByColumn(window.runs.model.column_of("lr"), Qt.SortOrder.AscendingOrder)
    assert listed_ids(window) == newest_first
    window.runs.table.sortByColumn(window.runs.model.column_of("lr"), Qt.SortOrder.DescendingOrder)
    assert listed_ids(window) == newest_first


def fits(window, run_id: int, key: str) -> bool:
    table = window.runs.table
    index = table.cell_at(run_id, key)
    text = str(window.runs.model.data(index))
    return table.columnWidth(index.column()) >= table.fontMetrics().horizontalAdvance(text) + 8


def test_a_renamed_run_shows_its_whole_name(qtbot, window) -> None:
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    window.runs.select(run_id)
    with qtbot.waitSignal(window.runs.listed, timeout=10_000):
        window.runs.rename("gates sweep, reset-only")
    assert window.runs.model.data(window.runs.table.cell_at(run_id, "run")) == f"#{run_id} gates sweep, reset-only"
    assert fits(window, run_id, "run")  # not "#1 …": the column follows the names it is given


def test_model_names_read_whole_in_chinese(qtbot, window) -> None:
    with open_store() as store:
        gru, rnn = seed_with(store, "scratch"), seed_with(store, "rnn")
    show_runs(qtbot, window)  # sized for the English names first
    try:
        window.translations.apply(i18n.CHINESE)
        model, table = window.runs.model, window.runs.table
        names = lambda: [model.data(table.cell_at(run_id, "model")) for run_id in (gru, rnn)]  # noqa: E731
        qtbot.waitUntil(
            lambda: names() == ["从零实现的 GRU", "从零实现的 RNN"], timeout=5_000
        )  # the switch is an event
        names = names()
        assert fits(window, gru, "model") and fits(window, rnn, "model")
        # Narrowed by hand, a name is cut in the middle, so that the ends that differ still show,
        # and its tooltip says it whole.
        column = model.column_of("model")
        table.setColumnWidth(column, table.fontMetrics().horizontalAdvance("从零实现") + 16)
        assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
        index = table.cell_at(rnn, "model")
        assert table.is_cut(index) and table.tip(index).startswith("从零实现的 RNN")
        shown = [
            table.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, table.columnWidth(column) - 16)
            for name in names
        ]
        assert shown[0] != shown[1]
        table.setColumnWidth(column, 400)
        assert not table.is_cut(index) and "从零实现的 RNN" not in table.tip(index)
    finally:
        window.translations.apply(i18n.ENGLISH)


def test_pin_and_unpin_from_the_context_menu(qtbot, window, tmp_path) -> None:
    with open_store() as store:
        run_id, other = seed(store), seed(store)
    show_runs(qtbot, window)
    view = window.runs
    view.select(run_id)
    position = view.table.visualRect(view.table.cell_at(run_id, "model")).center()
    menu = view.actions.menu(position)
    pin = next(action for action in menu.actions() if action.text() == "Pin")
    with qtbot.waitSignal(view.said, timeout=10_000):
        pin.trigger()
    with open_store() as store:
        assert store.get(run_id).pinned and not store.get(other).pinned
    index = view.table.cell_at(run_id, "run")
    assert view.model.data(index, Qt.ItemDataRole.DecorationRole) is not None  # the pin shows
    assert "never pruned" in view.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert view.model.data(view.table.cell_at(other, "run"), Qt.ItemDataRole.DecorationRole) is None
    assert not view.table.is_cut(index)
    menu = view.actions.menu(position)
    unpin = next(action for action in menu.actions() if action.text() == "Unpin")
    with qtbot.waitSignal(view.said, timeout=10_000):
        unpin.trigger()
    with open_store() as store:
        assert not store.get(run_id).pinned


def test_a_pinned_runs_model_outlives_the_budget(qtbot, window) -> None:
    folder = models_folder()  # beside the run store, where the budget looks for the pins
    window.controller.models_budget = 1  # every model but the newest (and the pinned) goes
    ids = []
    for hidden in (8, 12, 16):
        with qtbot.waitSignal(window.controller.model_kept, timeout=30_000):
            window.settings_panel.set_values({"hidden": hidden, "epochs": 1})
            train_and_wait(qtbot, window)
        ids.append(window.controller.run_id)
        if len(ids) == 1:
            show_runs(qtbot, window)
            window.runs.select(ids[0])
            with qtbot.waitSignal(window.runs.said, timeout=10_000):
                window.runs.pin(True)
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == sorted([f"run-{ids[0]}.pt", f"run-{ids[2]}.pt"])  # the pinned first, and the last


def keep_model(store, run_id: int, folder, size: int) -> str:
    path = kept_model_path(run_id, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"m" * size)
    store.set_outputs(run_id, checkpoint=path)
    return str(path)


@pytest.mark.parametrize("choice", ["both", "runs_only", "cancel"])
def test_deleting_a_run_asks_about_its_kept_model(qtbot, window, tmp_path, monkeypatch, choice) -> None:
    folder = tmp_path / "models"
    window.controller.models_folder = folder
    with open_store() as store:
        run_id = seed(store)
        path = keep_model(store, run_id, folder, 2_500_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: pytest.fail("the plain question, with a model kept"))
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, DeleteQuestion)
        seen.update(text=box.text(), default=box.defaultButton() is box.runs_only)
        getattr(box, choice).click()

    show_runs(qtbot, window)
    window.runs.select(run_id)
    timer = QTimer(singleShot=True, interval=50)
    timer.timeout.connect(answer)
    window.runs.buttons["delete"].click()
    qtbot.waitUntil(lambda: window.runs._loading or bool(seen), timeout=10_000)
    timer.start()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    qtbot.waitUntil(lambda: not window.runs._loading, timeout=10_000)
    assert f"#{run_id}" in str(seen["text"]) and "2.5 MB" in str(seen["text"]) and seen["default"]
    with open_store() as store:
        gone = store.get(run_id) is None
    assert gone == (choice != "cancel")
    assert (tmp_path / "models" / f"run-{run_id}.pt").is_file() == (choice != "both"), path


def test_the_two_speeds_say_which_is_which(qtbot, window) -> None:
    finished: list[Finished] = []
    window.controller.events.on(Finished, finished.append)
    window.settings_panel.set_values({"epochs": 3})
    train_and_wait(qtbot, window)
    run_id = window.controller.run_id
    with open_store() as store:
        run, history = store.get(run_id), store.history(run_id)
    # Why they differ: the table's is the mean of the epochs' speeds, the status bar's all the
    # tokens over all the training time (each epoch's tokens: its speed times its time).
    speeds = [record.tokens_per_s for record in history]
    times = [b - a for a, b in itertools.pairwise([0.0, *[record.elapsed_s for record in history]])]
    assert run.tokens_per_s == pytest.approx(statistics.mean(speeds))
    overall = sum(s * t for s, t in zip(speeds, times, strict=True)) / sum(times)
    assert finished[-1].tokens_per_s == pytest.approx(overall, rel=1e-3)
    # And each says which it is.
    speed = window.controls.status.speed
    assert f"{finished[-1].tokens_per_s:,.0f}" in speed.text() and "overall" in speed.text()
    assert "Runs table" in speed.toolTip()
    column = window.runs.model.column_of("tokens_per_s")
    header = window.runs.model.headerData(column, Qt.Orientation.Horizontal)
    tip = window.runs.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert header == "Mean tokens/s" and "mean of the epochs" in tip and "overall" in tip


def seed_with(store, kind: str) -> int:
    train = TrainConfig(epochs=1, batch_size=8, num_steps=8)
    run_id = store.start(
        CorpusConfig(source="sample"), ModelConfig(kind=kind, hidden=16), train,
        corpus_name="sample", corpus_sha1=None, device="cpu",
    )  # fmt: skip
    store.add_epoch(run_id, EpochRecord(1, 5.0, None, 1e4, 0.5, 0.1))
    store.finish(run_id, "finished")
    return run_id


def test_a_run_training_again_since_it_was_listed_is_not_deleted(qtbot, window, monkeypatch) -> None:
    """The table's row may be stale: the store is asked again, on a job thread, before the question."""
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    with unguarded(), sqlite3.connect(default_path()) as db:  # continued from a terminal meanwhile, say
        db.execute(
            "UPDATE runs SET status = 'running', ended = NULL, pid = ?, host = ? WHERE id = ?",
            (os.getpid(), socket.gethostname(), run_id),
        )
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: pytest.fail("asked to delete a running run"))
    window.runs.select(run_id)
    window.runs.delete()
    qtbot.waitUntil(lambda: bool(warned), timeout=10_000)
    assert "still training" in warned[0]
    with open_store() as store:
        assert store.get(run_id) is not None
