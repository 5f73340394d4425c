"""File dialogs start in the folder last used, else in the user's Documents, never in the current folder
(issue 29, item 6)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from gru_studio.gui.common import file_dialogs
from tests.gui.conftest import open_window, train_and_wait


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, str]]:
    """(which dialog, the folder or path it was told to start at); the user cancels each."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: seen.append(("open", a[2])) or ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: seen.append(("save", a[2])) or ("", ""))
    return seen


def test_dialogs_start_in_documents_then_in_the_last_folder_used(qtbot, settings, asked, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the folder the program was started from: never where a dialog opens
    documents = file_dialogs.documents_folder()
    win = open_window(qtbot, settings)
    try:
        win.files.open_model()
        win.corpus_panel.open_file_dialog()
        win.files.export_png()
        assert asked == [
            ("open", str(documents)),
            ("open", str(documents)),
            ("save", str(documents / "perplexity.png")),
        ]
        assert all(not start.startswith(os.getcwd() + os.sep) and start != os.getcwd() for _, start in asked)

        # A file picked elsewhere: the next dialog starts in its folder, in this session and the next.
        chosen = tmp_path / "elsewhere" / "story.txt"
        chosen.parent.mkdir()
        chosen.write_text("the time traveller " * 50, encoding="utf-8")
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen), ""))
        win.corpus_panel.open_file_dialog()
        asked.clear()
        win.files.export_png()
        assert asked == [("save", str(chosen.parent / "perplexity.png"))]
    finally:
        win.close()
    assert Path(str(settings.value(file_dialogs.SETTING))) == chosen.parent
    file_dialogs.use_settings(settings)
    assert file_dialogs.start_folder() == chosen.parent


def test_a_remembered_folder_that_has_gone_falls_back_to_documents(settings, tmp_path) -> None:
    file_dialogs.use_settings(settings)
    settings.setValue(file_dialogs.SETTING, str(tmp_path / "deleted"))
    assert file_dialogs.start_folder() == file_dialogs.documents_folder()


def test_the_runs_export_starts_in_the_same_folder(qtbot, window, asked, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    train_and_wait(qtbot, window)
    window.lower_tabs.setCurrentWidget(window.runs)
    table = window.runs.table
    qtbot.waitUntil(lambda: table.model().rowCount() >= 1, timeout=10_000)
    table.selectRow(0)
    window.runs.export_csv()
    assert asked == [("save", str(file_dialogs.start_folder() / "runs.csv"))]
    assert not asked[0][1].startswith(str(tmp_path))
