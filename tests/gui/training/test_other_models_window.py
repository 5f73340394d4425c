"""The window with the models beside the GRU and the gate ablations (issue 15)."""

from __future__ import annotations

import pytest

from gru_studio.engine.model_registry import spec
from tests.gui.conftest import train_and_wait


@pytest.mark.parametrize("kind", ["rnn", "lstm-builtin"])
def test_a_model_without_a_grus_gates_trains_and_the_inside_tab_says_it_needs_a_gru(qtbot, window, kind) -> None:
    panel = window.settings_panel
    panel.set_values({"kind": kind})
    note = spec(kind).note
    assert panel.model_note.text() == note and "Inside the GRU does not apply" in note
    assert not panel.editors["gates"].isEnabled()
    assert panel.editors["layers"].isEnabled() is (kind == "lstm-builtin")
    train_and_wait(qtbot, window)
    assert window.controller.session.model_config.kind == kind
    with qtbot.waitSignal(window.inside.message_shown, timeout=20_000) as shown:
        window.tabs.setCurrentWidget(window.inside)
    assert "Inside the GRU reads a GRU's update gate" in shown.args[0]
    assert window.inside.trace is None and not window.inside.busy


def test_the_gates_apply_to_the_scratch_gru_only(qtbot, window) -> None:
    panel = window.settings_panel
    panel.set_values({"kind": "scratch", "gates": "reset-only"})
    assert panel.editors["gates"].isEnabled() and panel.model_config().gates == "reset-only"
    panel.set_values({"kind": "builtin"})
    # Disabled, and not applied: nn.GRU has no ablation, so the run's settings say full.
    assert not panel.editors["gates"].isEnabled() and panel.model_config().gates == "full"
    panel.preset.setCurrentText("Book: GRU from scratch")
    assert panel.model_config().gates == "full"
