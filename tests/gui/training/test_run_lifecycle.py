"""The run's state machine as the window shows it: what each state lets a user do."""

from __future__ import annotations

import pytest

from gru_studio.engine.training.run_state import RunState, TransitionError
from tests.gui.conftest import train_and_wait


def start_long_run(qtbot, window) -> None:
    window.settings_panel.set_values({"epochs": 5000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=30_000)


def test_pause_right_after_stop_cannot_park_the_run(qtbot, window) -> None:
    start_long_run(qtbot, window)
    window.buttons["stop"].click()
    # Before the loop has seen the stop: the window is 'stopping' and offers no Pause.
    assert window.controller.state is RunState.STOPPING
    assert not window.buttons["pause"].isEnabled() and not window.buttons["stop"].isEnabled()
    window.buttons["pause"].click()  # does nothing while disabled
    window.controller.pause()  # nor does a pause asked for in code
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)
    assert window.statusBar().currentMessage().startswith("Stopped after")


def test_controls_follow_the_state(qtbot, window) -> None:
    b = window.buttons
    assert window.controller.state is RunState.IDLE
    assert b["train"].isEnabled() and not b["continue"].isEnabled() and not b["reset"].isEnabled()
    start_long_run(qtbot, window)
    assert not b["train"].isEnabled() and b["pause"].isEnabled() and b["stop"].isEnabled()
    assert not window.settings_panel.isEnabled() and not window.corpus_panel.isEnabled()
    window.buttons["pause"].click()
    assert window.controller.state is RunState.PAUSED and b["pause"].text() == "Resume"
    window.buttons["stop"].click()  # stopping a paused run ends it without a Resume
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)
    assert b["train"].isEnabled() and b["continue"].isEnabled() and b["reset"].isEnabled()
    assert window.settings_panel.isEnabled() and b["pause"].text() == "Pause"
    b["reset"].click()
    assert window.controller.state is RunState.IDLE and not b["reset"].isEnabled()


def test_an_illegal_transition_raises(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    with pytest.raises(TransitionError):
        window.controller.session.machine.to(RunState.PAUSED)  # a finished run cannot be paused
    assert window.controller.state is RunState.FINISHED
