"""`gru-studio --open FILE` and a drop on the window: a model opens as File ▸ Open model does, a text loads."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import train_and_wait


def test_a_model_file_opens_and_any_other_file_loads_as_the_text(qtbot, window, tmp_path: Path) -> None:
    train_and_wait(qtbot, window)
    path = tmp_path / "m.pt"
    with qtbot.waitSignal(window.controller.model_saved, timeout=20_000):
        window.controller.save_model(path)
    window.buttons["reset"].click()
    with qtbot.waitSignal(window.controller.model_opened, timeout=20_000):
        window.open_file(str(path))
    assert window.controller.has_model
    text = tmp_path / "story.txt"
    text.write_text("the time traveller " * 200, encoding="utf-8")
    window.open_file(str(text))
    qtbot.waitUntil(lambda: window.corpus_panel.corpus is not None and window.corpus_panel.config.source == str(text))
