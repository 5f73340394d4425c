"""The run history in the window: runs recorded, listed, compared, overlaid, opened, repeated, deleted, exported."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.history import store as store_module
from gru_studio.engine.history.columns import COLUMNS
from gru_studio.engine.history.kept_models import kept_model_path
from gru_studio.engine.history.smoothing import ema
from gru_studio.engine.history.store import RunStore, WrongThreadError, default_path
from gru_studio.engine.training.events import EpochEnd, EpochRecord
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.runs.model import TICK
from tests.engine.history.test_runs import read_exported_csv
from tests.gui.conftest import TINY, open_window, train_and_wait
from tests.gui.runs.conftest import open_store

RESULTS = [column.key for column in COLUMNS if not column.setting]


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(f"{title}: {text}"))
    return said


def seed(store: RunStore, *, lr: float = 1.0, epochs: int = 4, val: bool = False, name: str = "") -> int:
    """A finished run of the bundled sample with tiny settings, and its epochs."""
    train = TrainConfig(lr=lr, epochs=epochs, batch_size=8, num_steps=8, sample_every=2)
    corpus = CorpusConfig(source="sample", val_fraction=0.2 if val else 0.0)
    run_id = store.start(
        corpus, ModelConfig(hidden=16), train, corpus_name="sample", corpus_sha1=None, device="cpu", name=name
    )
    for epoch in range(1, epochs + 1):
        ppl = 20.0 / epoch / lr + 1.0
        store.add_epoch(run_id, EpochRecord(epoch, ppl, ppl + 0.5 if val else None, 1e4 + epoch, 0.5, 0.1 * epoch))
    store.finish(run_id, "finished")
    return run_id


def show_runs(qtbot, window: MainWindow) -> None:
    """Bring the Runs tab up (its first showing reads the store) and wait for the rows."""
    with qtbot.waitSignal(window.runs.listed, timeout=10_000):
        if window.lower_tabs.currentWidget() is window.runs:
            window.runs.refresh()
        else:
            window.lower_tabs.setCurrentWidget(window.runs)


def tick(qtbot, window: MainWindow, run_id: int) -> None:
    """Tick a run and wait for its curve (its epochs are read on a job thread)."""
    with qtbot.waitSignal(window.runs.overlay_wanted, timeout=10_000):
        window.runs.tick(run_id)


def listed_ids(window: MainWindow) -> list[int]:
    return [run.id for run in window.runs.model.runs()]


def test_a_window_run_is_recorded_with_the_history_it_emitted(qtbot, window) -> None:
    emitted = []
    window.controller.events.on(EpochEnd, emitted.append)
    train_and_wait(qtbot, window)
    run_id = window.controller.run_id
    assert run_id is not None
    with open_store() as store:
        history, run = store.history(run_id), store.get(run_id)
    assert history == window.controller.session.history  # every field, to the last bit
    assert [(r.epoch, r.perplexity, r.tokens_per_s, r.grad_norm) for r in history] == [
        (e.epoch, e.perplexity, e.tokens_per_s, e.grad_norm) for e in emitted
    ]
    assert run is not None and run.status == "finished" and run.epochs == TINY["epochs"]
    assert run.settings["model"]["hidden"] == TINY["hidden"] and run.corpus_name == window.corpus_panel.corpus.name

    def sample() -> str | None:
        with open_store() as store:
            found = store.get(run_id)
        return found.sample if found is not None else None

    qtbot.waitUntil(lambda: sample() is not None, timeout=10_000)  # written on a job thread after the run
    assert sample().startswith("time traveller")  # the last sample the window logged
    show_runs(qtbot, window)
    assert listed_ids(window) == [run_id]
    row = window.runs.model.row_of(run_id)
    status = window.runs.model.column_of("status")
    assert window.runs.model.index(row, status).data() == "finished"


def test_the_table_follows_a_run_as_it_trains_and_ends(qtbot, window) -> None:
    window.lower_tabs.setCurrentWidget(window.runs)  # shown first: the table then follows the store
    window.settings_panel.set_values({"epochs": 5000})
    window.buttons["train"].click()
    model = window.runs.model

    def cell(key: str) -> str:
        run_id = window.controller.run_id
        row = model.row_of(run_id) if run_id is not None else None
        return "" if row is None else model.index(row, model.column_of(key)).data()

    qtbot.waitUntil(lambda: cell("status") == "running", timeout=20_000)
    qtbot.waitUntil(lambda: cell("epochs").endswith(" / 5000") and int(cell("epochs").split()[0]) >= 2, timeout=20_000)
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: cell("status") == "stopped", timeout=20_000)
    assert cell("final") == f"{window.controller.session.history[-1].perplexity:.3f}"


def test_a_stopped_run_is_recorded_stopped_and_its_autosave_with_it(qtbot, window, tmp_path) -> None:
    window.controller.autosave_path = tmp_path / "autosave.pt"
    window.settings_panel.autosave.setValue(2)
    window.settings_panel.set_values({"epochs": 5000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 3, timeout=20_000)
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=20_000)
    qtbot.waitUntil(lambda: not window.controller._jobs or not any(j.handle.running for j in window.controller._jobs))
    with open_store() as store:
        run = store.get(window.controller.run_id)
    # The run names its own kept model; the autosave, replaced by the next run, is for crash recovery.
    assert run is not None and run.status == "stopped" and run.checkpoint == str(kept_model_path(run.id))
    assert (tmp_path / "autosave.pt").is_file() and kept_model_path(run.id).is_file()


def test_a_store_that_cannot_be_opened_does_not_stop_training(qtbot, window) -> None:
    default_path().parent.mkdir(parents=True, exist_ok=True)
    default_path().mkdir()  # a folder where the database should be
    notes: list[str] = []
    window.controller.record_notice.connect(notes.append)
    train_and_wait(qtbot, window)
    assert window.plot.point_count() == TINY["epochs"] and window.controller.run_id is None
    assert len(notes) == 1 and "runs are not recorded" in notes[0]
    window.lower_tabs.setCurrentWidget(window.runs)
    qtbot.waitUntil(lambda: window.runs.message.isVisible(), timeout=10_000)
    assert "runs are not recorded" in window.runs.message.text()


def test_only_differing_columns_shows_just_the_learning_rate(qtbot, window) -> None:
    with open_store() as store:
        seed(store, lr=1.0)
        seed(store, lr=0.5)
    show_runs(qtbot, window)
    view = window.runs
    assert len(view.visible_columns()) == len(COLUMNS)
    view.only_differing.setChecked(True)
    assert view.visible_columns() == ["run", "lr", *RESULTS[1:]]
    view.only_differing.setChecked(False)
    assert len(view.visible_columns()) == len(COLUMNS)


def test_the_table_sorts_by_a_column_numbers_by_size(qtbot, window) -> None:
    with open_store() as store:
        ids = [seed(store, lr=lr) for lr in (1.0, 0.25, 10.0, 2.0)]
    show_runs(qtbot, window)
    assert listed_ids(window) == ids[::-1]  # the newest first
    lr = window.runs.model.column_of("lr")
    window.runs.table.sortByColumn(lr, Qt.SortOrder.AscendingOrder)
    assert listed_ids(window) == [ids[1], ids[0], ids[3], ids[2]]  # 0.25, 1, 2, 10: not "10" before "2"
    window.runs.table.sortByColumn(lr, Qt.SortOrder.DescendingOrder)
    assert listed_ids(window) == [ids[2], ids[3], ids[0], ids[1]]


def test_ticking_two_runs_overlays_two_curves_plus_the_current_one(qtbot, window) -> None:
    with open_store() as store:
        first, second = seed(store, lr=1.0, val=True), seed(store, lr=0.5)
        expected = store.history(first)
    train_and_wait(qtbot, window)
    show_runs(qtbot, window)
    assert window.plot.curve_count() == 1
    tick(qtbot, window, first)
    tick(qtbot, window, second)
    plot = window.plot
    assert sorted(plot.overlays) == [first, second] and len(plot.runs) == 1 and plot.curve_count() == 3
    plot.plot.grab()  # a paint hands the points to the curves
    overlay = plot.overlays[first]
    np.testing.assert_array_equal(overlay.train.getOriginalDataset()[1], [r.perplexity for r in expected])
    np.testing.assert_array_equal(overlay.val.getOriginalDataset()[1], [r.val_perplexity for r in expected])
    names = plot.legend.names()
    assert names[0] == f"#{window.controller.run_id} scratch GRU"  # the current run, named as the table does
    assert any(name.startswith(f"#{first} ") for name in names) and any(
        name.startswith(f"#{second} ") for name in names
    )
    colours = {plot.overlays[first].colour, plot.overlays[second].colour, plot.runs[-1].colour}
    assert len(colours) == 3  # each its own colour
    model = window.runs.model
    assert model.index(model.row_of(first), TICK).data(Qt.ItemDataRole.DecorationRole).name() == overlay.colour
    window.runs.tick(first, False)
    assert list(plot.overlays) == [second] and plot.curve_count() == 2
    assert not any(name.startswith(f"#{first} ") for name in plot.legend.names())


def test_smoothing_draws_the_average_over_the_faint_raw_points(qtbot, window) -> None:
    with open_store() as store:
        run_id = seed(store, epochs=30)
        raw = [r.perplexity for r in store.history(run_id)]
    show_runs(qtbot, window)
    tick(qtbot, window, run_id)
    plot = window.plot
    plot.set_smoothing(0.6)
    plot.plot.grab()
    overlay = plot.overlays[run_id]
    assert overlay.train.getOriginalDataset()[1] == pytest.approx(ema(raw, 0.6))
    np.testing.assert_array_equal(overlay.train_raw.getOriginalDataset()[1], raw)
    assert overlay.train_raw.opts["pen"].color().alpha() < overlay.train.opts["pen"].color().alpha()
    plot.set_smoothing(0)
    plot.plot.grab()
    np.testing.assert_array_equal(overlay.train.getOriginalDataset()[1], raw)
    assert overlay.train_raw.getOriginalDataset()[0] is None or not len(overlay.train_raw.getOriginalDataset()[0])


def test_the_x_axis_by_training_time(qtbot, window) -> None:
    with open_store() as store:
        run_id = seed(store, epochs=5)
    train_and_wait(qtbot, window)
    show_runs(qtbot, window)
    tick(qtbot, window, run_id)
    plot = window.plot
    plot.x_axis.setCurrentIndex(plot.x_axis.findData("time"))
    plot.plot.grab()
    assert plot.overlays[run_id].train.getOriginalDataset()[0] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])
    times = plot.runs[-1].train.getOriginalDataset()[0]
    assert len(times) == TINY["epochs"] and np.all(np.diff(times) > 0)
    assert times[-1] == pytest.approx(window.controller.session.history[-1].elapsed_s)


def test_hovering_shows_every_ticked_runs_value(qtbot, window) -> None:
    with open_store() as store:
        first, second = seed(store, lr=1.0), seed(store, lr=0.5)
    train_and_wait(qtbot, window)
    show_runs(qtbot, window)
    tick(qtbot, window, first)
    tick(qtbot, window, second)
    plot = window.plot
    plot.plot.grab()
    view = plot.plot.getPlotItem().vb
    plot._on_mouse_moved(view.mapViewToScene(QPointF(2.1, sum(view.viewRange()[1]) / 2)))  # halfway up
    text = plot.readout.text
    assert f"#{first} " in text and f"#{second} " in text and f"#{window.controller.run_id} " in text
    assert f"{20.0 / 2 / 1.0 + 1:.3f}" in text and f"{20.0 / 2 / 0.5 + 1:.3f}" in text  # each run's epoch 2


def test_delete_asks_for_confirmation(qtbot, window, monkeypatch) -> None:
    with open_store() as store:
        keep, gone = seed(store), seed(store)
    show_runs(qtbot, window)
    tick(qtbot, window, gone)
    window.runs.select(gone)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    window.runs.buttons["delete"].click()  # the runs (and their kept models) are looked at on a job thread first
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert len(asked) == 1 and f"#{gone}" in asked[0]
    qtbot.waitUntil(lambda: not window.runs._loading, timeout=10_000)
    with open_store() as store:
        assert store.get(gone) is not None  # No keeps it
    answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.runs.listed, timeout=10_000):
        window.runs.buttons["delete"].click()
    assert len(asked) == 2 and listed_ids(window) == [keep]
    assert gone not in window.plot.overlays
    with open_store() as store:
        assert store.get(gone) is None and store.history(gone) == []


def test_a_running_run_is_not_deleted(qtbot, window, warnings, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *args: pytest.fail("asked to delete a running run"))
    window.settings_panel.set_values({"epochs": 5000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.controller.run_id is not None and window.plot.point_count() >= 1, timeout=20_000)
    show_runs(qtbot, window)
    window.runs.select(window.controller.run_id)
    window.runs.buttons["delete"].click()
    assert warnings and "still training" in warnings[0]
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=20_000)


def test_exported_csv_reads_back_the_same_numbers(qtbot, window, tmp_path) -> None:
    with open_store() as store:
        ids = [seed(store, lr=1 / 3, val=True), seed(store, lr=0.7)]
        expected = {run_id: store.history(run_id) for run_id in ids}
    show_runs(qtbot, window)
    for run_id in ids:
        tick(qtbot, window, run_id)
    path = tmp_path / "runs.csv"
    with qtbot.waitSignal(window.runs.said, timeout=10_000):  # written on a job thread
        window.runs.export_csv(str(path))
    rows = read_exported_csv(path)
    assert len(rows) == sum(len(h) for h in expected.values())
    for row, back in rows:
        assert back in expected[int(row["run"])]  # the same floats, to the last bit
    assert f"Wrote {path}" in window.statusBar().currentMessage()


def test_export_into_a_missing_folder_says_so(qtbot, window, tmp_path, warnings) -> None:
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    tick(qtbot, window, run_id)
    window.runs.export_csv(str(tmp_path / "no such folder" / "runs.csv"))
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert len(warnings) == 1 and warnings[0].startswith("Nothing was written")


def test_open_a_runs_model_and_a_missing_file_is_said(qtbot, window, tmp_path, warnings) -> None:
    train_and_wait(qtbot, window)
    path = tmp_path / "model.pt"
    with qtbot.waitSignal(window.controller.model_saved, timeout=10_000):
        window.files.save_model(str(path))
    run_id = window.controller.run_id
    show_runs(qtbot, window)
    window.runs.select(run_id)
    with qtbot.waitSignal(window.controller.model_opened, timeout=10_000):
        window.runs.buttons["open"].click()
    assert window.controller.session.epoch == TINY["epochs"] and not warnings

    path.unlink()
    window.runs.select(run_id)
    window.runs.buttons["open"].click()
    qtbot.waitUntil(lambda: len(warnings) == 1, timeout=10_000)
    assert "no longer there" in warnings[0] and str(path) in warnings[0]
    with open_store() as store:
        unsaved = seed(store)
    show_runs(qtbot, window)
    window.runs.select(unsaved)
    window.runs.open_model()
    qtbot.waitUntil(lambda: len(warnings) == 2, timeout=10_000)
    assert "no saved model" in warnings[1]


def test_train_again_fills_in_the_settings_and_trains(qtbot, window) -> None:
    with open_store() as store:
        run_id = seed(store, lr=0.5, epochs=3, val=True)
        before = store.get(run_id)
    window.settings_panel.set_values({"lr": 2.0, "hidden": 24, "epochs": 9, "val_fraction": 0.0})
    show_runs(qtbot, window)
    window.runs.select(run_id)
    window.runs.buttons["again"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.FINISHED, timeout=30_000)
    again = window.controller.run_id
    assert again is not None and again != run_id
    with open_store() as store:
        after = store.get(again)
    assert after is not None and after.epochs == 3
    assert before is not None and after.settings["model"] == before.settings["model"]
    for name in ("lr", "epochs", "batch_size", "num_steps", "seed", "clip", "optimizer"):
        assert after.settings["train"][name] == before.settings["train"][name], name
    assert after.settings["corpus"]["val_fraction"] == 0.2
    qtbot.waitUntil(lambda: again in listed_ids(window), timeout=10_000)


def test_train_again_loads_the_runs_text_first(qtbot, window, tmp_path) -> None:
    text = tmp_path / "story.txt"
    text.write_text("the quick brown fox jumps over the lazy dog and runs far away. " * 100, encoding="utf-8")
    train = TrainConfig(epochs=2, batch_size=8, num_steps=8, sample_every=0)
    with open_store() as store:
        run_id = store.start(
            CorpusConfig(source=str(text)),
            ModelConfig(hidden=16),
            train,
            corpus_name="story.txt",
            corpus_sha1=None,
            device="cpu",
        )
        store.finish(run_id, "stopped")
    show_runs(qtbot, window)
    window.runs.select(run_id)
    window.runs.buttons["again"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.FINISHED, timeout=30_000)
    assert window.corpus_panel.config.source == str(text) and window.controller.session.corpus.name == "story.txt"
    with open_store() as store:
        again = store.get(window.controller.run_id)
    assert again is not None and again.id != run_id and again.corpus_path == str(text) and again.epochs == 2


def test_rename_a_run(qtbot, window) -> None:
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    window.runs.select(run_id)
    with qtbot.waitSignal(window.runs.listed, timeout=10_000):
        window.runs.rename("  baseline, lr 1  ")
    model = window.runs.model
    assert model.index(model.row_of(run_id), model.column_of("run")).data() == f"#{run_id} baseline, lr 1"
    with open_store() as store:
        assert store.get(run_id).name == "baseline, lr 1"
    tick(qtbot, window, run_id)
    with qtbot.waitSignal(window.runs.overlay_wanted, timeout=10_000):
        window.runs.rename("the baseline")  # a ticked run's legend name follows
    assert f"#{run_id} the baseline" in window.plot.legend.names()


def test_a_thousand_runs_are_listed_and_sorted(qtbot, window) -> None:
    with open_store() as store:
        ids = [seed(store, lr=0.001 * (1 + i % 97), epochs=2) for i in range(1000)]
    show_runs(qtbot, window)
    model = window.runs.model
    assert model.rowCount() == 1000 and listed_ids(window)[0] == ids[-1]
    window.runs.table.sortByColumn(model.column_of("lr"), Qt.SortOrder.AscendingOrder)
    lrs = [run.settings["train"]["lr"] for run in model.runs()]
    assert lrs == sorted(lrs)
    window.runs.table.scrollToBottom()
    tick(qtbot, window, model.run_at(999).id)
    assert len(window.plot.overlays) == 1


def test_the_runs_table_fits_the_window_at_1024x640(qtbot, window) -> None:
    with open_store() as store:
        seed(store, name="a run with a rather long name to see it does not widen the window")
    window.resize(1024, 640)
    show_runs(qtbot, window)
    qtbot.waitUntil(lambda: window.width() <= 1024)
    assert window.runs.table.viewport().height() > 3 * window.runs.table.verticalHeader().defaultSectionSize()


@pytest.mark.parametrize("path", [None])
def test_the_list_waits_until_the_tab_is_shown(qtbot, window, path: Path | None) -> None:
    """Nothing is read at start-up: the window opens as fast without a run history as with one."""
    assert window.runs.model.rowCount() == 0 and not window.runs._loading


def test_the_plot_view_and_the_columns_toggle_are_remembered(qtbot, settings) -> None:
    first = open_window(qtbot, settings)
    first.plot.set_smoothing(0.8)
    first.plot.x_axis.setCurrentIndex(first.plot.x_axis.findData("time"))
    first.runs.only_differing.setChecked(True)
    first.close()
    again = open_window(qtbot, settings)
    assert again.plot.smoothing.value() == 80 and again.plot.by_time and again.runs.only_differing.isChecked()
    again.close()
    settings.setValue("plot/view", {"smoothing": "lots", "x_axis": "sideways"})  # an edited settings file
    third = open_window(qtbot, settings)
    assert third.plot.smoothing.value() == 0 and not third.plot.by_time
    third.close()


def test_delete_key_asks_to_delete_the_selected_runs(qtbot, window, monkeypatch) -> None:
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    window.runs.select(run_id)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.No)
    window.runs.table.setFocus()
    qtbot.keyClick(window.runs.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert len(asked) == 1 and f"#{run_id}" in asked[0]


def test_exporting_a_run_deleted_meanwhile_says_so(qtbot, window, tmp_path, warnings) -> None:
    with open_store() as store:
        run_id = seed(store)
    show_runs(qtbot, window)
    tick(qtbot, window, run_id)
    with open_store() as store:
        store.delete([run_id])  # by `gru-studio runs delete` in a terminal, say
    window.runs.export_csv(str(tmp_path / "runs.csv"))
    qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
    assert warnings == [f"Nothing was written: Run #{run_id} is no longer recorded."]
    assert not (tmp_path / "runs.csv").exists()
    qtbot.waitUntil(lambda: listed_ids(window) == [] and run_id not in window.plot.overlays, timeout=10_000)


def test_the_guard_fails_a_store_opened_on_the_gui_thread(qtbot, tmp_path) -> None:
    """The check these tests run under can fail: on the main thread, in a slot too; elsewhere it opens."""
    assert store_module.forbidden_thread is threading.main_thread()
    with pytest.raises(WrongThreadError):
        RunStore.open(tmp_path / "runs.sqlite3")
    with qtbot.capture_exceptions() as raised:  # as a slot of the window would meet it: pytest-qt fails the test
        QTimer.singleShot(0, lambda: RunStore(tmp_path / "runs.sqlite3"))
        qtbot.waitUntil(lambda: bool(raised), timeout=5_000)
    assert raised[0][0] is WrongThreadError
    opened: list[object] = []
    thread = threading.Thread(target=lambda: opened.append(RunStore.open(tmp_path / "runs.sqlite3")[0].close()))
    thread.start()
    thread.join()
    assert opened == [None]  # opened (and closed) on another thread


def test_the_runs_tab_never_reads_on_the_gui_thread_while_a_run_trains(qtbot, window, tmp_path, monkeypatch) -> None:
    """Listed, refreshed again and again, ticked, renamed, exported and deleted during a run: every
    store is opened on a job thread (a store opened on the GUI thread raises here), and a listing
    asked for while one waits is not queued twice."""
    with open_store() as store:
        old = seed(store, lr=0.5)
        gone = seed(store)
    opened_on: list[threading.Thread] = []
    original = RunStore.__init__

    def recording(self, path=None, **options) -> None:
        opened_on.append(threading.current_thread())
        original(self, path, **options)

    monkeypatch.setattr(RunStore, "__init__", recording)
    window.lower_tabs.setCurrentWidget(window.runs)
    window.settings_panel.set_values({"epochs": 5000})
    window.buttons["train"].click()
    view, model = window.runs, window.runs.model

    def epochs_shown() -> int:
        run_id = window.controller.run_id
        row = model.row_of(run_id) if run_id is not None else None
        return 0 if row is None else int(model.index(row, model.column_of("epochs")).data().split()[0] or 0)

    def refresh_often() -> bool:
        for _ in range(5):
            view.refresh()
        assert sum(call[0] == "list" for call in view.calls._calls) <= 2  # one under way, one waiting
        return epochs_shown() >= 3

    qtbot.waitUntil(refresh_often, timeout=30_000)  # the row follows the run (on_epoch) between the listings
    tick(qtbot, window, old)
    view.select(old)
    with qtbot.waitSignal(view.listed, timeout=10_000):
        view.rename("during the run")
    with qtbot.waitSignal(view.said, timeout=10_000):
        view.export_csv(str(tmp_path / "runs.csv"))
    view.select(gone)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    view.delete()
    qtbot.waitUntil(lambda: gone not in listed_ids(window), timeout=10_000)
    assert window.controller.state is RunState.TRAINING and old in window.plot.overlays
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=20_000)
    qtbot.waitUntil(lambda: not view._loading, timeout=10_000)
    assert (tmp_path / "runs.csv").is_file() and not view.message.isVisible()
    assert opened_on and threading.main_thread() not in opened_on
