"""The window keeps its autosave and logs in the engine's per-user folders, as the command line keeps its cache."""

from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths

from gru_studio.engine.files import HOME_ENV, user_data_dir, user_log_dir
from gru_studio.gui.app.crash import CrashReporter
from gru_studio.gui.app.file_actions import autosave_file


def qt_autosave() -> Path:
    """Where the autosave was before the engine found the folders."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "autosave.pt"


def test_autosave_and_logs_live_under_gru_studio_home(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "studio"))
    assert autosave_file() == tmp_path / "studio" / "data" / "autosave.pt"
    reporter = CrashReporter()
    try:
        assert reporter.log_path == tmp_path / "studio" / "logs" / "gru-studio.log" == user_log_dir() / "gru-studio.log"
    finally:
        reporter.uninstall()


def test_an_autosave_from_before_is_moved_once(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOME_ENV, raising=False)
    old = qt_autosave()
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"last session's model")
    assert autosave_file() == user_data_dir() / "autosave.pt"
    assert autosave_file().read_bytes() == b"last session's model"
    assert not old.exists()
    old.write_bytes(b"older still")  # never over a newer autosave
    assert autosave_file().read_bytes() == b"last session's model"


def test_a_separate_home_leaves_the_usual_autosave_alone(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "studio"))
    old = qt_autosave()
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b"the usual profile's model")
    assert not autosave_file().exists()
    assert old.exists()
