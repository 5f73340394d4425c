"""File ▸ Open Recent (issue 31): texts and models, the last ten, most recent first, missing ones greyed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.app.recent_menu import MODEL, MOST, TEXT, RecentFile, RecentFiles
from tests.gui.conftest import open_window, train_and_wait


def entries(win) -> list[tuple[str, bool]]:
    """The menu as a user sees it when it opens: each entry's text and whether it can be clicked."""
    menu = win.files.recent_menu
    menu.aboutToShow.emit()
    return [(a.text(), a.isEnabled()) for a in menu.actions() if not a.isSeparator()]


def test_the_list_keeps_the_last_ten_most_recent_first_without_repeats(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    recent = RecentFiles(settings)
    for index in range(MOST + 3):
        recent.add(tmp_path / f"t{index}.txt", TEXT)
    recent.add(tmp_path / "t5.txt", TEXT)  # opened again: first, and once
    paths = [Path(entry.path).name for entry in RecentFiles(settings).entries()]  # as read back by a new session
    assert len(paths) == MOST and paths[0] == "t5.txt" and paths.count("t5.txt") == 1
    assert paths[1:4] == ["t12.txt", "t11.txt", "t10.txt"] and "t0.txt" not in paths
    recent.clear()
    assert recent.entries() == []


def test_open_recent_lists_and_opens_a_text_and_a_model(qtbot, window, tmp_path: Path) -> None:
    text = tmp_path / "story.txt"
    text.write_text("the time traveller " * 200, encoding="utf-8")
    window.open_file(str(text))  # as File ▸ Open text file does, once the dialog has said which
    qtbot.waitUntil(lambda: window.corpus_panel.corpus is not None and window.corpus_panel.config.source == str(text))
    train_and_wait(qtbot, window)
    model = tmp_path / "kept.pt"
    with qtbot.waitSignal(window.controller.model_saved, timeout=20_000):
        window.files.save_model(str(model))
    listed = entries(window)
    assert [text for text, _ in listed[:2]] == ["&1 kept.pt (model)", "&2 story.txt (text)"]
    assert all(enabled for _, enabled in listed)

    # A click on the model opens it as File ▸ Open model does; on the text, it loads as the text.
    window.buttons["reset"].click()
    window.corpus_panel.select("sample")
    qtbot.waitUntil(lambda: window.corpus_panel.corpus is not None and window.corpus_panel.config.source == "sample")
    menu = window.files.recent_menu
    menu.aboutToShow.emit()
    with qtbot.waitSignal(window.controller.model_opened, timeout=20_000):
        menu.actions()[0].trigger()
    assert window.controller.has_model
    menu.aboutToShow.emit()
    story = next(a for a in menu.actions() if "story.txt" in a.text())
    story.trigger()
    qtbot.waitUntil(lambda: window.corpus_panel.corpus is not None and window.corpus_panel.config.source == str(text))
    assert entries(window)[0][0] == "&1 story.txt (text)"  # the one opened last comes first


def test_a_missing_file_is_greyed_with_the_reason_and_clear_empties_the_list(qtbot, settings, tmp_path) -> None:
    gone = tmp_path / "gone.pt"
    RecentFiles(settings).add(gone, MODEL)
    win = open_window(qtbot, settings)
    try:
        (item_text, enabled), *_ = entries(win)
        assert item_text.startswith("&1 gone.pt") and "file not found" in item_text and not enabled
        action = win.files.recent_menu.actions()[0]
        assert str(gone) in action.toolTip() and "file not found" in action.statusTip()
        clear = next(a for a in win.files.recent_menu.actions() if a.objectName() == "clearRecent")
        clear.trigger()
        assert RecentFiles(settings).entries() == [] and entries(win)[0] == ("No recent files", False)
    finally:
        win.close()


def test_a_recent_text_waits_for_the_training_to_stop(qtbot, window) -> None:
    """Opening a text mid-run would change the text under the run: the window says so instead."""
    window.settings_panel.set_values({"epochs": 400})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.TRAINING, timeout=20_000)
    window.files.open_recent(RecentFile(__file__, TEXT))
    assert window.statusBar().currentMessage() == "Stop the training before opening a text."
    assert window.corpus_panel.config.source != __file__
    window.controller.stop()
    qtbot.waitUntil(lambda: not window.controller.state.is_running, timeout=20_000)
