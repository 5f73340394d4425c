"""The window never destroys a file it was not asked to, and opens a model whose text is gone (issue 13)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.training.checkpoint import is_checkpoint
from tests.gui.conftest import TINY, open_window, train_and_wait

STORY = ("the clock on the wall struck nine and the traveller looked up from his work " * 60).encode()


@pytest.fixture
def dialogs(monkeypatch) -> dict[str, list[str]]:
    """Warnings and questions recorded instead of shown; every question is answered from `answers`."""
    said: dict[str, list[str]] = {"warning": [], "question": [], "answers": []}
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said["warning"].append(text))

    def question(parent, title, text, buttons, default):
        said["question"].append(text)
        return said["answers"].pop(0) if said["answers"] else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return said


@pytest.fixture
def trained(qtbot, settings, tmp_path):
    """A window that trained on a text file of its own."""
    text = tmp_path / "novel.txt"
    text.write_bytes(STORY)
    settings.setValue("corpus/source", str(text))
    win = open_window(qtbot, settings)
    win.settings_panel.set_values(TINY)
    train_and_wait(qtbot, win)
    yield win, text
    win.close()


def test_saving_onto_the_training_text_is_refused(qtbot, trained, dialogs) -> None:
    win, text = trained
    win.files.save_model(str(text))
    assert text.read_bytes() == STORY
    assert "it is the training text" in dialogs["warning"][0]
    assert dialogs["question"] == []  # not even offered


def test_another_file_is_replaced_only_after_a_yes(qtbot, trained, dialogs, tmp_path) -> None:
    win, _ = trained
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    win.files.save_model(str(notes))  # the answer is No
    assert notes.read_text() == "my notes" and "is not a GRU Studio model" in dialogs["question"][0]
    dialogs["answers"].append(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(win.controller.model_saved, timeout=10_000):
        win.files.save_model(str(notes))
    assert is_checkpoint(notes)
    # A model file is replaced after the plain question, not the warning.
    dialogs["answers"].append(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(win.controller.model_saved, timeout=10_000):
        win.files.save_model(str(notes))
    assert "holds a GRU Studio model" in dialogs["question"][-1]


def test_a_folder_is_no_file_name(qtbot, trained, dialogs, tmp_path) -> None:
    win, _ = trained
    win.files.save_model(str(tmp_path))
    assert "is a folder" in dialogs["warning"][0]


def test_a_model_whose_text_is_gone_opens_generates_and_says_why_it_cannot_train(qtbot, trained, dialogs, tmp_path):
    win, text = trained
    path = tmp_path / "model.pt"
    with qtbot.waitSignal(win.controller.model_saved, timeout=10_000):
        win.files.save_model(str(path))
    text.unlink()
    win.buttons["reset"].click()
    with qtbot.waitSignal(win.controller.model_opened, timeout=15_000):
        win.files.open_model(str(path))
    qtbot.waitUntil(lambda: win.controller.has_model)
    assert "novel.txt" in win.statusBar().currentMessage() and dialogs["warning"] == []
    assert not win.buttons["continue"].isEnabled()
    assert "novel.txt" in win.buttons["continue"].toolTip()
    panel = win.generation
    panel.prefix.setText("the clock")
    panel.length.setValue(20)
    panel.button.click()
    qtbot.waitUntil(lambda: len(panel.output.toPlainText()) == len("the clock") + 20, timeout=10_000)
