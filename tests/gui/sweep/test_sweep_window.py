"""Sweep… in the window: the dialog plans with the engine's checks and messages, the queue trains each
run through the window's own Train, records it, and can be paused, skipped and cancelled (issue 15)."""

from __future__ import annotations

import pytest

from gru_studio.engine.history.store import RunStore
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.sweep.dialog import SweepDialog
from gru_studio.gui.sweep.runner import DONE, FAILED, SKIPPED, TRAINING, WAITING


def dialog_for(qtbot, window, first: tuple[str, str], second: tuple[str, str] = ("", "")) -> SweepDialog:
    dialog = SweepDialog(lambda: window.setup.request().configs(), window.corpus_panel.corpus, window)
    qtbot.addWidget(dialog)
    for combo, edit, (name, text) in zip(dialog.settings, dialog.values, (first, second), strict=True):
        combo.setCurrentIndex(combo.findData(name))
        edit.setText(text)
    return dialog


def recorded() -> list:
    store, _ = RunStore.open(None)
    assert store is not None
    with store:
        return sorted(store.list(), key=lambda run: run.id)


def wait_for_end(qtbot, window, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: not window.sweep.runner.active, timeout=timeout)
    qtbot.waitUntil(lambda: not window.controller.state.is_running, timeout=timeout)


def test_the_dialog_says_what_the_engine_says_and_counts_the_runs(qtbot, window) -> None:
    dialog = dialog_for(qtbot, window, ("lr", "0.5, x"))
    # The setting's label, as the panel shows it; flags are the command line's words.
    assert dialog.message.text() == "Learning rate: 'x' is not a number"
    assert not dialog.start_button.isEnabled()
    dialog.values[0].setText("0.5,1,2,4")
    dialog.settings[1].setCurrentIndex(dialog.settings[1].findData("hidden"))
    dialog.values[1].setText("8, 16, 32")
    assert dialog.problem == "" and dialog.start_button.isEnabled()
    assert len(dialog.runs) == 12 and dialog.message.text().startswith("12 runs")
    assert dialog.runs[0].values == {"lr": 0.5, "hidden": 8} and dialog.runs[-1].values == {"lr": 4.0, "hidden": 32}
    dialog.values[1].setText("8, 0")
    assert dialog.problem.startswith("Hidden units 0: ") and not dialog.start_button.isEnabled()
    assert "--" not in dialog.problem
    dialog.values[1].setText("16")  # one value: part of every run, not an axis
    assert len(dialog.runs) == 4 and dialog.runs[0].model_config.hidden == 16
    dialog.values[0].setText("1")
    assert dialog.problem.startswith("Nothing to sweep yet") and "--" not in dialog.problem
    dialog.settings[1].setCurrentIndex(dialog.settings[1].findData("lr"))
    assert "different settings" in dialog.problem
    assert "now 1" in dialog.now[0].text()  # the panel's present value, beside the field


def test_a_two_by_one_sweep_trains_both_runs_records_them_and_restores_the_panel(qtbot, window) -> None:
    dialog = dialog_for(qtbot, window, ("lr", "0.5, 2"), ("epochs", "3"))
    assert dialog.problem == ""
    before = window.settings_panel.values()
    window.sweep.start(dialog.runs)
    assert window.lower_tabs.currentWidget() is window.sweep
    wait_for_end(qtbot, window)
    runner = window.sweep.runner
    assert [entry.state for entry in runner.entries] == [DONE, DONE]
    runs = recorded()
    assert len(runs) == 2
    assert [run.settings["train"]["lr"] for run in runs] == [0.5, 2.0]
    assert all(run.settings["train"]["epochs"] == 3 and run.status == "finished" for run in runs)
    assert [entry.run_id for entry in runner.entries] == [run.id for run in runs]
    assert all(entry.result is not None and entry.result.epochs == 3 for entry in runner.entries)
    table = window.sweep.table
    assert table.rowCount() == 2 and table.item(1, 2).text() == "done"
    assert table.item(0, 6).text() == f"#{runs[0].id}"
    assert window.plot.run_count == 2  # each run had its curve, as a run started with Train
    legend = window.plot.legend.tooltips()
    # The plot keeps the current run (the earlier ones are a tick away in the Runs tab), its values in its tooltip.
    assert any("sweep 2/2 · lr 2" in tip for tip in legend) and not any("sweep 1/2" in tip for tip in legend)
    assert window.plot.legend.names() == [f"#{runs[1].id} scratch GRU"]  # its short name: "#id model"
    assert window.settings_panel.values() == before  # the swept settings are back as they were
    assert "2 of 2 runs done" in window.sweep.summary.text()


def test_pause_skip_and_cancel(qtbot, window) -> None:
    dialog = dialog_for(qtbot, window, ("lr", "0.5, 1, 2"), ("epochs", "500"))
    sweep, runner = window.sweep, window.sweep.runner
    sweep.start(dialog.runs)
    qtbot.waitUntil(lambda: window.status.bar.value() >= 1, timeout=30_000)
    sweep.buttons["pause"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.PAUSED, timeout=10_000)
    assert runner.paused and sweep.buttons["pause"].text() == "Resume"
    sweep.buttons["pause"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.TRAINING, timeout=10_000)
    assert not runner.paused

    sweep.buttons["skip"].click()  # the first run stops; the second starts
    qtbot.waitUntil(lambda: runner.entries[1].state == TRAINING, timeout=30_000)
    assert runner.entries[0].state == SKIPPED and runner.entries[2].state == WAITING
    qtbot.waitUntil(lambda: window.controller.state is RunState.TRAINING, timeout=10_000)

    sweep.buttons["cancel"].click()  # the second stops too, and the third never starts
    wait_for_end(qtbot, window)
    assert [entry.state for entry in runner.entries] == [SKIPPED, SKIPPED, SKIPPED]
    runs = recorded()
    assert len(runs) == 2 and all(run.status == "stopped" for run in runs)
    assert not sweep.buttons["cancel"].isEnabled() and sweep.buttons["new"].isEnabled()
    assert window.settings_panel.values()["lr"] == pytest.approx(1.0)  # TINY's, back


def test_a_run_that_fails_is_marked_and_the_next_one_trains(qtbot, window) -> None:
    # lr 1000 (the most the setting takes) without clipping diverges at once; the engine says so as an error.
    dialog = dialog_for(qtbot, window, ("lr", "1000, 1"), ("clip", "0"))
    window.sweep.start(dialog.runs)
    wait_for_end(qtbot, window)
    entries = window.sweep.runner.entries
    assert [entry.state for entry in entries] == [FAILED, DONE], [str(entry.message) for entry in entries]
    assert entries[0].message  # why, in the state cell's tooltip
    assert window.sweep.table.item(0, 2).toolTip() == str(entries[0].message)
    assert len(recorded()) == 2


def test_the_dialog_says_once_when_the_text_is_too_short_to_compare_models(qtbot, window) -> None:
    """Issue 29: on the bundled sample at the book's batch shape (3 batches an epoch) the plain RNN
    'beats' the GRU; the sweep says so where its plan is shown, in the engine's words."""
    dialog = dialog_for(qtbot, window, ("model", "scratch, rnn-builtin"))
    assert dialog.problem == "" and "too short" not in dialog.message.text()  # tiny batches: many an epoch
    window.settings_panel.set_values({"batch_size": 32, "num_steps": 35})
    dialog = dialog_for(qtbot, window, ("model", "scratch, rnn-builtin"))
    text = dialog.message.text()
    assert dialog.problem == "" and dialog.start_button.isEnabled()  # a note, not a refusal
    assert text.startswith("2 runs") and text.count("This text is too short to compare models") == 1
