"""After a run on a text too short to compare models, the window says so beside the result (issue 29, item 1)."""

from __future__ import annotations

from tests.gui.conftest import train_and_wait


def test_a_run_on_too_short_a_text_says_so_once_beside_its_result(qtbot, window) -> None:
    note = window.controls.comparable_note
    train_and_wait(qtbot, window)  # tiny batches: the sample makes many an epoch
    assert not note.isVisible()

    # The book's batch shape on the bundled sample: 3 batches an epoch, where the plain RNN "wins".
    window.settings_panel.set_values({"batch_size": 32, "num_steps": 35, "epochs": 2})
    train_and_wait(qtbot, window)
    assert note.isVisible() and note.wordWrap()
    assert note.text().startswith("This text is too short to compare models: 3 batch(es) an epoch, fewer than 7.")
    assert window.controls.message.text() == ""  # a note beside the result, not a refusal to train

    window.buttons["reset"].click()
    assert not note.isVisible()
