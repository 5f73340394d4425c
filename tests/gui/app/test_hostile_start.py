"""The window starts whatever it finds: bad remembered settings, a log folder it cannot use."""

from __future__ import annotations

import tempfile

from gru_studio.gui.app.crash import CrashReporter
from tests.gui.conftest import open_window


def test_out_of_range_remembered_settings_fall_back_to_defaults_with_a_note(qtbot, settings) -> None:
    settings.setValue(
        "training/values",
        {"batch_size": 1e12, "hidden": "many", "lr": float("nan"), "epochs": 7, "kind": "lstm", "num_steps": 12},
    )
    win = open_window(qtbot, settings)  # used to raise OverflowError here, at every start
    values = win.settings_panel.values()
    assert values["batch_size"] == 32 and values["hidden"] == 256 and values["lr"] == 1.0  # the defaults
    assert values["kind"] == "scratch"
    assert values["epochs"] == 7 and values["num_steps"] == 12  # the good ones are kept
    note = win.statusBar().currentMessage()
    assert note.startswith("Some remembered settings could not be used")
    for name in ("batch_size", "hidden", "lr", "kind"):
        assert name in note
    assert win.buttons["train"].isEnabled()
    win.close()


def report_one_error(qtbot, shown: list[str], folder, message: str) -> CrashReporter:
    """A reporter made with this log folder, handed one error; returns it once its dialog is shown."""
    reporter = CrashReporter(folder)
    try:
        try:
            raise ValueError(message)
        except ValueError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: len(shown) == 1)
    finally:
        reporter.uninstall()
    return reporter


def test_a_log_folder_that_is_a_file_does_not_stop_the_app(qtbot, tmp_path, monkeypatch, critical_dialogs) -> None:
    in_the_way = tmp_path / "logs"
    in_the_way.write_text("not a folder")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    reporter = report_one_error(qtbot, critical_dialogs, in_the_way, "still reported")
    shown = critical_dialogs
    assert reporter.log_path == tmp_path / "tmp" / "gru-studio-logs" / "gru-studio.log"
    assert "still reported" in reporter.log_path.read_text() and str(reporter.log_path) in shown[0]
    assert in_the_way.read_text() == "not a folder"  # nothing of the user's was touched


def test_with_no_writable_log_folder_at_all_errors_still_reach_the_dialog(
    qtbot, tmp_path, monkeypatch, capsys, critical_dialogs
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))  # the fallback is under a file too
    reporter = report_one_error(qtbot, critical_dialogs, blocked / "logs", "shown anyway")
    shown = critical_dialogs
    assert reporter.log_path is None
    assert "shown anyway" in shown[0] and "went to the terminal" in shown[0]
    assert "cannot write logs" in capsys.readouterr().err
