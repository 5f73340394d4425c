"""Nothing lost: saving, opening, autosave, exports, and a stress test of the controls."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.models.generate import complete
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import BatchEnd
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.common.worker import live_threads
from tests.gui.conftest import TINY, open_window, train_and_wait


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    """Dialogs that would block a test: record what they say instead."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(f"{title}: {text}"))
    return said


def wait_saved(qtbot, window, path) -> None:
    with qtbot.waitSignal(window.controller.model_saved, timeout=10_000) as blocker:
        window.files.save_model(str(path))
    assert blocker.args == [str(path)]


def test_save_after_training_then_open_generates_and_continues(qtbot, window, tmp_path) -> None:
    train_and_wait(qtbot, window)
    path = tmp_path / "model.pt"
    wait_saved(qtbot, window, path)
    saved = checkpoint.load(path)
    assert saved.epoch == 5 and len(saved.history) == 5 and saved.training is not None
    expected = complete(saved.model, saved.vocab, "the clock", 30)

    window.buttons["reset"].click()
    assert not window.controller.has_model
    with qtbot.waitSignal(window.controller.model_opened, timeout=10_000):
        window.files.open_model(str(path))
    assert window.controller.has_model and window.plot.point_count() == 5
    panel = window.generation
    panel.length.setValue(30)
    panel.prefix.setText("the clock")
    panel.button.click()
    qtbot.waitUntil(lambda: len(panel.output.toPlainText()) == len(expected) and not window.controller.generating)
    assert panel.output.toPlainText() == expected  # the opened model generates at once

    window.settings_panel.set_values({"epochs": 7})
    assert window.buttons["continue"].isEnabled()
    window.buttons["continue"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.FINISHED, timeout=20_000)
    assert window.controller.trainer.epoch == 7 and window.plot.point_count() == 7


def test_save_while_training_takes_a_consistent_snapshot(qtbot, window, tmp_path) -> None:
    window.settings_panel.set_values({"epochs": 3000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 2, timeout=10_000)
    wait_saved(qtbot, window, tmp_path / "live.pt")
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)
    saved = checkpoint.load(tmp_path / "live.pt")
    assert saved.epoch >= 2 and len(saved.history) == saved.epoch


def test_autosave_every_n_epochs_and_on_stop(qtbot, window, tmp_path) -> None:
    window.controller.autosave_path = tmp_path / "auto" / "autosave.pt"
    window.settings_panel.autosave.setValue(2)
    window.settings_panel.set_values({"epochs": 3000})
    with qtbot.waitSignal(window.controller.model_saved, timeout=20_000):
        window.buttons["train"].click()
    assert checkpoint.load(window.controller.autosave_path).epoch >= 2
    # Epochs already on their way when Stop is clicked may autosave first: wait for the stop's own.
    stopped = qtbot.waitSignal(
        window.controller.autosaved, timeout=10_000, check_params_cb=lambda why: why == "stopped"
    )
    with stopped:
        window.buttons["stop"].click()
    qtbot.waitUntil(lambda: not any(job.handle.running for job in window.controller._jobs), timeout=10_000)
    saved = checkpoint.load(window.controller.autosave_path)
    assert saved.epoch == window.controller.trainer.epoch


def test_export_history_as_csv_and_plot_as_png(qtbot, window, tmp_path) -> None:
    train_and_wait(qtbot, window)
    window.files.export_csv(str(tmp_path / "ppl.csv"))
    rows = list(csv.DictReader((tmp_path / "ppl.csv").open()))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3, 4, 5]
    assert float(rows[-1]["perplexity"]) == pytest.approx(window.controller.trainer.history[-1].perplexity)
    window.files.export_png(str(tmp_path / "plot.png"))
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_failures_are_explained_and_lose_nothing(qtbot, window, tmp_path, warnings) -> None:
    train_and_wait(qtbot, window)
    # (A read-only folder would not stop root, who runs CI; a missing one stops everyone.)
    # Said before any saving starts (issue 28: one line, from the check every written file passes).
    window.files.save_model(str(tmp_path / "no" / "such" / "folder" / "m.pt"))
    qtbot.waitUntil(lambda: bool(warnings))
    assert "not saved" in warnings[-1] and "does not exist" in warnings[-1]
    evil = tmp_path / "evil.pt"
    evil.write_bytes(b"not a checkpoint at all")
    with qtbot.waitSignal(window.controller.model_open_failed, timeout=10_000):
        window.files.open_model(str(evil))
    qtbot.waitUntil(lambda: len(warnings) == 2)
    assert "could not be opened" in warnings[-1] and "not a GRU Studio checkpoint" in warnings[-1]
    assert window.controller.has_model and window.plot.point_count() == 5  # the trained model is still there


def test_fifty_quick_start_pause_resume_stop_cycles_then_close_mid_run(qtbot, settings, tmp_path) -> None:
    win = open_window(qtbot, settings)
    win.settings_panel.set_values({**TINY, "epochs": 100_000})
    win.controller.autosave_path = tmp_path / "autosave.pt"
    win.settings_panel.autosave.setValue(1)
    saved_paths: list[str] = []
    win.controller.model_saved.connect(saved_paths.append)
    for cycle in range(50):
        win.buttons["train"].click()
        assert win.controller.state is RunState.TRAINING
        if cycle % 5 == 0:
            win.files.save_model(str(tmp_path / f"cycle{cycle}.pt"))
        win.buttons["pause"].click()
        win.buttons["pause"].click()  # resume
        win.buttons["stop"].click()
        qtbot.waitUntil(lambda: not win.controller.state.is_running, timeout=10_000)
        assert win.controller.state is not RunState.FAILED, win.train_message.text()
    batches: list[BatchEnd] = []
    win.controller.events.on(BatchEnd, batches.append)
    win.buttons["train"].click()
    qtbot.waitUntil(lambda: bool(batches), timeout=10_000)  # a batch is done: the run is under way
    win.close()
    assert not any(t.isRunning() for t in list(live_threads))
    written = sorted(tmp_path.glob("*.pt"))
    assert len(written) >= 2
    for path in written:
        checkpoint.load(path)  # every checkpoint written loads
