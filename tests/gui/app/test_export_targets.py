"""Issue 28 in the window: File ▸ Export never writes over the text, asks before a model file, says why in one line."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.files import is_checkpoint
from tests.gui.app.test_hostile_files import STORY, dialogs, trained  # noqa: F401 (fixtures)


def test_exports_never_write_over_the_training_text(qtbot, trained, dialogs) -> None:  # noqa: F811
    win, text = trained
    win.files.export_csv(str(text))
    win.files.export_png(str(text))
    assert text.read_bytes() == STORY
    assert len(dialogs["warning"]) == 2 and all("it is the training text" in said for said in dialogs["warning"])
    assert dialogs["question"] == []  # not even offered


def test_exports_replace_a_model_file_only_after_a_yes(qtbot, trained, dialogs, tmp_path) -> None:  # noqa: F811
    win, _ = trained
    model = tmp_path / "model.pt"
    with qtbot.waitSignal(win.controller.model_saved, timeout=10_000):
        win.files.save_model(str(model))
    before = model.read_bytes()
    win.files.export_csv(str(model))  # the answer is No
    win.files.export_png(str(model))
    assert model.read_bytes() == before and is_checkpoint(model)
    assert len(dialogs["question"]) == 2 and "holds a GRU Studio model" in dialogs["question"][0]
    dialogs["answers"].append(QMessageBox.StandardButton.Yes)
    win.files.export_csv(str(model))
    assert model.read_text().startswith("epoch,")


def test_an_export_onto_a_folder_or_into_a_missing_one_is_one_line(qtbot, trained, dialogs, tmp_path) -> None:  # noqa: F811
    win, _ = trained
    win.files.export_csv(str(tmp_path))
    win.files.export_png(str(tmp_path / "nowhere" / "plot.png"))
    assert "it is a folder" in dialogs["warning"][0] and "does not exist" in dialogs["warning"][1]
    assert all("\n" not in said for said in dialogs["warning"])
