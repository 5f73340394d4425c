"""Quitting during a sweep remembers the user's own settings, not those of the sweep's run under way.

Issue 29: "Gates came back as 'update gate only' after a relaunch although 'full' was shown at quit".
The window saves its settings first thing on closing; during a gates sweep the panel shows the run
under way (update-only), so that is what was saved. Stopping the run then ends the sweep, which puts
the user's own "full" back in the panel: that is what was shown as the window went.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from gru_studio.engine.training.run_state import RunState
from tests.gui.conftest import TINY, open_window
from tests.gui.sweep.test_sweep_window import dialog_for


def test_quitting_mid_sweep_remembers_the_panels_own_gates(qtbot, tmp_path) -> None:
    path = str(tmp_path / "settings.ini")
    window = open_window(qtbot, QSettings(path, QSettings.Format.IniFormat))
    window.settings_panel.set_values({**TINY, "kind": "scratch", "gates": "full", "epochs": 100_000})
    dialog = dialog_for(qtbot, window, ("gates", "reset-only, update-only"))
    assert dialog.problem == ""
    window.sweep.start(dialog.runs)
    qtbot.waitUntil(lambda: window.controller.state is RunState.TRAINING, timeout=20_000)
    assert window.settings_panel.values()["gates"] == "reset-only"  # the panel shows the run under way
    window.sweep.runner.skip()  # on to the second run
    qtbot.waitUntil(
        lambda: window.sweep.runner.current == 1 and window.controller.state is RunState.TRAINING, timeout=20_000
    )
    assert window.settings_panel.values()["gates"] == "update-only"
    window.close()
    qtbot.waitUntil(lambda: not window.sweep.runner.active, timeout=20_000)
    qtbot.waitUntil(lambda: not window.controller.state.is_running, timeout=20_000)
    assert window.settings_panel.values()["gates"] == "full"  # what the user saw as the window went

    again = open_window(qtbot, QSettings(path, QSettings.Format.IniFormat))
    assert again.settings_panel.values()["gates"] == "full"
    assert again.settings_panel.values()["epochs"] == 100_000  # and the rest is the user's too
    again.close()
