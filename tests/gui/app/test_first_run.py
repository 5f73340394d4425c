"""A newcomer's first launch: offline, on a small screen, and what the window says after a run."""

from __future__ import annotations

import json
import subprocess
import sys

from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window
from gru_studio.gui.app.file_actions import autosave_file
from gru_studio.gui.training.run_status import RunStatus
from tests.conftest import REPO
from tests.gui.conftest import TINY, open_window, train_and_wait


def test_offline_first_launch_loads_the_book_and_can_train(qtbot, settings, monkeypatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the window's first text must not need the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    settings.setValue("corpus/source", "timemachine")
    win = create_main_window(settings)
    qtbot.addWidget(win)
    win.show()
    panel = win.corpus_panel
    qtbot.waitUntil(lambda: panel.corpus is not None, timeout=15_000)
    assert panel.config.source == "timemachine" and len(panel.corpus.tokens) == 10_000
    assert panel.preview.toPlainText().startswith("the time machine by h g wells")
    assert not panel.message.isVisible()
    assert win.buttons["train"].isEnabled() and win.train_message.text() == ""
    win.settings_panel.set_values(TINY)
    train_and_wait(qtbot, win)
    win.close()


def test_a_failed_load_never_leaves_a_stale_loading_message(qtbot, window, tmp_path) -> None:
    window.corpus_panel.select(str(tmp_path / "gone.txt"))
    qtbot.waitUntil(lambda: window.corpus_panel.message.isVisible(), timeout=10_000)
    assert not window.corpus_panel.loading
    assert "Loading" not in window.train_message.text()
    assert "Loading" not in window.corpus_panel.info.text()
    assert not window.buttons["train"].isEnabled()


FIT_PROBE = """
import json, sys
import torch
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QScrollArea
app = QApplication([])
from gru_studio.gui import create_main_window
win = create_main_window(QSettings(sys.argv[1], QSettings.Format.IniFormat))
win.show()
app.processEvents()
area = win.screen().availableGeometry()
frame = win.frameGeometry()
inside = win.rect()
def reachable(widget):
    top_left = widget.mapTo(win, widget.rect().topLeft())
    bottom_right = widget.mapTo(win, widget.rect().bottomRight())
    return inside.contains(top_left) and inside.contains(bottom_right) and widget.isVisible()
scroll = win.findChild(QScrollArea)
device = win.findChild(QComboBox, "devicePicker")
scroll.ensureWidgetVisible(device)
app.processEvents()
named = [w.objectName() for w in win.findChildren(QPushButton) if w.isVisible()]
print(json.dumps({
    "fits": area.contains(frame),
    "unreachable": [n for n in named if not reachable(win.findChild(QPushButton, n))]
    + [n for n, w in (("statusBar", win.statusBar()), ("progressBar", win.status.bar),
                      ("prefixInput", win.generation.prefix), ("devicePicker", device)) if not reachable(w)],
}))
win.close()
"""


def probe_fit(tmp_path, width: int, height: int, geometry: bytes | None = None) -> dict:
    """Open the window in a fresh process on an offscreen screen of this size, and report what fits."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height}]}))
    ini = tmp_path / "settings.ini"
    if geometry is not None:
        from PySide6.QtCore import QSettings

        s = QSettings(str(ini), QSettings.Format.IniFormat)
        s.setValue("window/geometry", geometry)
        s.sync()
    env = {"QT_QPA_PLATFORM": f"offscreen:configfile={config}", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", FIT_PROBE, str(ini)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_window_fits_a_1280x800_screen(tmp_path) -> None:
    report = probe_fit(tmp_path, 1280, 800)
    assert report == {"fits": True, "unreachable": []}


def test_every_control_is_reachable_on_a_1024x640_screen_even_after_a_bigger_one(qtbot, tmp_path, settings) -> None:
    win = open_window(qtbot, settings)
    win.resize(1800, 1200)  # remembered from a large monitor
    geometry = win.saveGeometry()
    win.close()
    report = probe_fit(tmp_path, 1024, 640, geometry=bytes(geometry))
    assert report == {"fits": True, "unreachable": []}


def test_after_stop_the_status_says_stopped_not_time_left(qtbot, window) -> None:
    window.settings_panel.set_values({"epochs": 3000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 2, timeout=10_000)
    assert "left" in window.status.time.text()
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)
    assert "left" not in window.status.time.text() and window.status.time.text().startswith("stopped after")
    assert window.status.bar.text().startswith("stopped at epoch")


def test_a_finished_run_says_done(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    assert window.status.bar.text() == "done · 5 of 5 epochs"
    assert window.status.time.text().startswith("done in ")


def test_runs_with_different_epochs_have_different_legend_labels(qtbot, window) -> None:
    window.plot.keep_earlier.setChecked(True)  # both drawn at once (by default only the current one is)
    train_and_wait(qtbot, window)
    window.settings_panel.set_values({"epochs": 3})
    train_and_wait(qtbot, window)
    labels = window.plot.legend.names()
    assert len(set(labels)) == len(labels) >= 2, labels


def test_time_left_after_continue_counts_only_this_runs_epochs(qtbot) -> None:
    status = RunStatus()
    qtbot.addWidget(status)
    status.begin(1000, start_epoch=500)
    # One epoch of this run took 0.2 s: 499 more take about 100 s, not 0.2 s.
    status.on_epoch(EpochEnd(501, 1000, 5.0, None, 1000.0, 0.2, run_start_epoch=500))
    assert status.time.text() == "0:00 elapsed · 1:40 left"


def test_a_relaunch_offers_the_autosaved_model(qtbot, settings, tmp_path) -> None:
    first = open_window(qtbot, settings)
    assert not first.notice.isVisible()  # nothing saved yet, nothing offered
    first.settings_panel.set_values(TINY)
    train_and_wait(qtbot, first)
    first.controller.autosave_path.parent.mkdir(parents=True, exist_ok=True)
    first.controller.save_model(autosave_file())
    qtbot.waitUntil(lambda: autosave_file().is_file(), timeout=10_000)
    qtbot.waitUntil(lambda: not any(job.handle.running for job in first.controller._jobs), timeout=10_000)
    first.close()

    again = open_window(qtbot, settings)
    assert again.notice.isVisible() and "autosaved" in again.notice.text.text()
    with qtbot.waitSignal(again.controller.model_opened, timeout=15_000):
        again.notice.action.click()
    assert again.controller.trainer.epoch == checkpoint.load(autosave_file()).epoch == 5
    assert not again.notice.isVisible() and again.buttons["continue"].isEnabled()
    again.close()


def test_blank_samples_are_visible_in_the_log(window) -> None:
    window.generation.log_sample(10, "time traveller" + " " * 36)
    line = window.generation.log.toPlainText().splitlines()[-1]
    assert line.endswith("[+36 spaces]")


def test_letters_mode_explains_that_line_ends_join_words(qtbot, window) -> None:
    assert window.corpus_panel.preview_note.isVisible() and "line" in window.corpus_panel.preview_note.text()
    window.corpus_panel.select("sample", "raw")
    qtbot.waitUntil(lambda: window.corpus_panel.corpus is not None, timeout=10_000)
    assert not window.corpus_panel.preview_note.isVisible()
