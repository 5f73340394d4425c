"""The real window, driven as a user would: pick, click, watch, type."""

from __future__ import annotations

import gc
import itertools
import threading
import time

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, QMimeData, QPointF, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
)

from gru_studio.engine.training.control import RunControl
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.common.worker import live_threads
from tests.gui.conftest import open_window, train_and_wait
from tests.gui.runs.test_runs_view import show_runs, tick

NAMED = {
    "corpusPicker": QComboBox,
    "modelPicker": QComboBox,
    "devicePicker": QComboBox,
    "epochsInput": QSpinBox,
    "trainButton": QPushButton,
    "pauseButton": QPushButton,
    "stopButton": QPushButton,
    "progressBar": QProgressBar,
    "perplexityPlot": pg.PlotWidget,
    "prefixInput": QLineEdit,
    "generateButton": QPushButton,
    "generationOutput": QPlainTextEdit,
}


def test_widgets_can_be_found_by_name(window) -> None:
    for name, kind in NAMED.items():
        assert isinstance(window.findChild(kind, name), kind), name


def test_click_train_the_plot_gains_points_and_the_run_finishes(qtbot, window) -> None:
    assert window.buttons["train"].isEnabled() and not window.buttons["stop"].isEnabled()
    train_and_wait(qtbot, window)
    assert window.plot.point_count() == 5
    assert window.status.bar.value() == 5 and window.status.bar.maximum() == 5
    assert "tokens/s" in window.status.speed.text() and "perplexity" in window.status.perplexity.text()
    log = window.generation.log.toPlainText()
    assert "epoch 2: time traveller" in log and "epoch 4: time traveller" in log
    assert window.buttons["train"].isEnabled() and window.buttons["reset"].isEnabled()
    assert not window.buttons["pause"].isEnabled()
    assert window.statusBar().currentMessage().startswith("Finished after 5 epochs")
    # The run's overall speed, the same figure, named the same way, in the status row and the status bar.
    overall = window.status.speed.text().removesuffix(" tokens/s overall")
    assert overall != window.status.speed.text()
    assert f", {overall} tokens/s overall" in window.statusBar().currentMessage()


def test_a_short_run_is_plotted_on_whole_epochs(qtbot, window) -> None:
    train_and_wait(qtbot, window)  # 5 epochs
    axis = window.plot.plot.getAxis("bottom")
    low, high = window.plot.plot.getViewBox().viewRange()[0]
    ticks = [value for _, values in axis.tickValues(low, high, axis.width() or 600) for value in values]
    assert ticks and all(float(value).is_integer() for value in ticks)
    assert {1.0, 5.0} <= set(ticks)


def test_the_settings_column_fits_a_small_screen_and_shows_whole_labels_at_the_default_size(qtbot, window) -> None:
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.size() == QSize(1024, 640))  # at once offscreen, later under a window manager
    scroll = window.findChild(QScrollArea)
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    assert not scroll.horizontalScrollBar().isVisible()
    model_picker = window.findChild(QComboBox, "modelPicker")
    # Narrowed, but the open list still shows the longest label whole.
    view = model_picker.view()
    assert view.minimumWidth() >= view.sizeHintForColumn(0)
    # At the default size the column has room for the chosen model's whole name.
    window.resize(1280, 820)
    qtbot.waitUntil(lambda: window.size() == QSize(1280, 820))
    label = model_picker.fontMetrics().horizontalAdvance(model_picker.currentText())
    assert model_picker.width() >= label + 30  # the arrow and the frame


def run_controls(monkeypatch) -> list[RunControl]:
    """Every RunControl made from now on, whoever makes it for the window's run."""
    made: list[RunControl] = []
    real_init = RunControl.__init__

    def recorded(control: RunControl) -> None:
        real_init(control)
        made.append(control)

    monkeypatch.setattr(RunControl, "__init__", recorded)
    return made


def test_pause_holds_the_run_and_resume_continues_it(qtbot, window, monkeypatch) -> None:
    controls = run_controls(monkeypatch)
    window.settings_panel.set_values({"epochs": 2000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 2, timeout=10_000)
    window.buttons["pause"].click()
    assert window.controller.state is RunState.PAUSED and window.buttons["pause"].text() == "Resume"
    assert not window.settings_panel.isEnabled()
    # The batch under way finishes, then the loop waits at the boundary: from then
    # on it cannot train, so what it sent before is all the plot will get.
    qtbot.waitUntil(lambda: controls[-1].parked, timeout=5_000)
    QCoreApplication.processEvents()  # deliver what the loop sent before it parked
    held = window.plot.point_count()
    served = controls[-1].submit(lambda: "served")  # a round trip through the parked loop
    assert served is not None and served.result(timeout=5) == "served"
    QCoreApplication.processEvents()
    assert window.plot.point_count() == held and controls[-1].parked
    window.buttons["pause"].click()
    assert window.controller.state is RunState.TRAINING
    qtbot.waitUntil(lambda: window.plot.point_count() > held, timeout=10_000)
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)


def test_stop_mid_run_keeps_the_model_for_generation(qtbot, window) -> None:
    window.settings_panel.set_values({"epochs": 2000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=10_000)
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)
    assert window.plot.point_count() < 2000
    assert window.buttons["train"].isEnabled() and window.buttons["reset"].isEnabled()
    assert window.statusBar().currentMessage().startswith("Stopped after")
    window.buttons["reset"].click()
    assert window.controller.state is RunState.IDLE and window.plot.point_count() == 0


def test_closing_mid_run_stops_and_joins_the_thread(qtbot, settings) -> None:
    win = open_window(qtbot, settings)
    win.settings_panel.set_values({"epochs": 5000, "hidden": 64})
    win.buttons["train"].click()
    qtbot.waitUntil(lambda: win.plot.point_count() >= 1, timeout=10_000)
    win.close()
    # How long closing may take is closeEvent's own limit (it waits 2 s for the
    # run, then hides and retries): if the run had not stopped within it, its
    # thread would still be running here.
    assert not win.isVisible()
    assert not any(t.isRunning() for t in list(live_threads))


def generated(window) -> str:
    return window.generation.output.toPlainText()


def test_generate_before_during_and_after_training(qtbot, window) -> None:
    panel = window.generation
    panel.length.setValue(40)
    qtbot.keyClicks(panel.prefix, "")  # focus
    panel.prefix.setText("The Clock")
    qtbot.keyClick(panel.prefix, Qt.Key.Key_Return)  # Enter generates
    qtbot.waitUntil(lambda: len(generated(window)) >= len("the clock") + 40 and not window.controller.generating)
    assert "untrained" in generated(window) and "the clock" in generated(window)

    window.settings_panel.set_values({"epochs": 3000})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 2, timeout=10_000)
    panel.button.click()
    qtbot.waitUntil(lambda: generated(window).startswith("the clock") and len(generated(window)) >= 49)
    assert window.controller.state is RunState.TRAINING and "untrained" not in generated(window)
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)

    qtbot.waitUntil(lambda: not window.controller.generating)
    panel.button.click()
    qtbot.waitUntil(lambda: len(generated(window)) == 49 and not window.controller.generating)
    first = generated(window)
    panel.button.click()
    qtbot.waitUntil(lambda: len(generated(window)) == 49 and not window.controller.generating)
    assert generated(window) == first  # greedy from the same model is repeatable


def test_sampling_options_and_unknown_characters(qtbot, window) -> None:
    panel = window.generation
    assert not panel.temperature.isEnabled()
    panel.greedy.setChecked(False)
    assert panel.temperature.isEnabled() and panel.top_k.isEnabled()
    panel.prefix.setText("naïve")
    panel.button.click()
    assert "never saw" in panel.message.text() and "'ï'" in panel.message.text()
    panel.prefix.setText("")
    panel.button.click()
    assert "empty" in panel.message.text()


def test_values_that_cannot_work_keep_train_disabled_and_say_why(qtbot, window) -> None:
    window.settings_panel.set_values({"lr": 0.0})
    assert not window.buttons["train"].isEnabled()
    assert window.train_message.text().startswith("lr:")
    window.settings_panel.set_values({"lr": 0.5, "batch_size": 4000})
    assert not window.buttons["train"].isEnabled()
    assert "fewer than one batch" in window.train_message.text()
    window.settings_panel.set_values({"batch_size": 8})
    assert window.buttons["train"].isEnabled() and window.train_message.text() == ""


@pytest.mark.parametrize(
    ("content", "words"), [(b"\x00\x01binary", "binary"), (b"", "empty"), ("caf\xe9".encode("latin-1"), "cp1252")]
)
def test_a_bad_file_is_explained_in_the_corpus_panel(qtbot, window, tmp_path, content, words) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    window.corpus_panel.select(str(path))
    qtbot.waitUntil(lambda: window.corpus_panel.message.isVisible(), timeout=5_000)
    assert words in window.corpus_panel.message.text()
    assert not window.buttons["train"].isEnabled()
    assert window.corpus_panel.picker.currentText() == "bad.txt"


def test_dropping_a_file_loads_it(qtbot, window, tmp_path) -> None:
    path = tmp_path / "dropped.txt"
    path.write_text("a dropped text about clocks and rivers and time " * 200)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    qtbot.waitUntil(
        lambda: window.corpus_panel.corpus is not None and window.corpus_panel.corpus.name == "dropped.txt",
        timeout=5_000,
    )
    assert "vocabulary of" in window.corpus_panel.info.text()


def test_a_new_run_replaces_the_last_curve_unless_earlier_runs_are_kept(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    window.settings_panel.set_values({"lr": 2.0, "epochs": 3})
    train_and_wait(qtbot, window)
    assert len(window.plot.runs) == 1 and len(window.plot.runs[0].epochs) == 3  # the plot shows what was chosen
    window.plot.keep_earlier.setChecked(True)
    window.settings_panel.set_values({"epochs": 2})
    train_and_wait(qtbot, window)
    assert len(window.plot.runs) == 2
    first, second = window.plot.runs
    assert first.train.opts["pen"].color().alpha() < 255 == second.train.opts["pen"].color().alpha()
    assert len(first.epochs) == 3 and len(second.epochs) == 2
    window.plot.log_scale.setChecked(True)
    assert window.plot.plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_clear_plot_takes_the_curves_and_the_ticks_and_keeps_the_model(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    first = window.controller.run_id
    train_and_wait(qtbot, window)
    show_runs(qtbot, window)
    tick(qtbot, window, first)
    assert window.plot.curve_count() == 2  # the current run and the ticked one
    window.plot.clear_button.click()
    assert window.plot.curve_count() == 0 and window.runs.model.ticked() == []
    assert window.controller.has_model and window.buttons["continue"].isEnabled()


def test_validation_curve_when_asked(qtbot, window) -> None:
    window.settings_panel.set_values({"val_fraction": 0.2, "epochs": 3})
    train_and_wait(qtbot, window)
    assert len(window.plot.runs[-1].val_epochs) == 3
    assert "val" in window.status.perplexity.text()


def test_presets_devices_and_the_model_note(qtbot, window) -> None:
    window.settings_panel.preset.setCurrentText("Book: nn.GRU")
    values = window.settings_panel.values()
    assert (values["kind"], values["hidden"], values["lr"], values["batch_size"], values["num_steps"]) == (
        "builtin",
        256,
        1.0,
        32,
        35,
    )
    assert "after the product" in window.settings_panel.model_note.text()
    window.settings_panel.set_values({"hidden": 64})
    assert window.settings_panel.preset.currentText() == "Custom"
    models = window.settings_panel.model
    assert [models.itemData(i) for i in range(models.count())] == [
        "scratch",
        "scratch-book",
        "builtin",
        "rnn",
        "rnn-builtin",
        "lstm-builtin",
    ]
    picker = window.settings_panel.device
    assert picker.itemData(0) == "cpu" and picker.model().item(0).isEnabled()
    import torch

    if not torch.cuda.is_available():
        cuda = picker.findData("cuda")
        assert not picker.model().item(cuda).isEnabled() and "—" in picker.itemText(cuda)


def test_settings_are_remembered(qtbot, settings) -> None:
    first = open_window(qtbot, settings)
    first.settings_panel.set_values({"epochs": 77, "kind": "builtin", "hidden": 48})
    first.resize(first.minimumSizeHint().width(), 520)  # the offscreen screen is small
    size = first.size()
    first.close()
    second = open_window(qtbot, settings)
    values = second.settings_panel.values()
    assert (values["epochs"], values["kind"], values["hidden"]) == (77, "builtin", 48)
    assert second.corpus_panel.config.source == "sample" and second.size() == size and size.height() == 520
    second.close()


def test_the_gui_thread_stays_responsive_while_training(qtbot, window) -> None:
    """A 10 ms heartbeat on the GUI thread never waits more than 150 ms during training."""
    window.settings_panel.set_values({"epochs": 10_000, "hidden": 128, "batch_size": 16, "num_steps": 16})
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=10_000)
    epochs_before = window.plot.point_count()
    # The app freezes what start-up made (gru_studio.gui.app.launch); here the same is done for
    # what this test process made before: the earlier tests' objects made one full
    # collection take 162 ms, a pause of the collector, not of training.
    gc.freeze()
    timer.start()
    try:
        # About 2.5 s of beats, with epochs ending among them: the plot redraws too.
        qtbot.waitUntil(lambda: len(beats) >= 250 and window.plot.point_count() > epochs_before, timeout=30_000)
    finally:
        timer.stop()
        gc.unfreeze()
    assert window.controller.state is RunState.TRAINING  # every beat was measured during training
    window.buttons["stop"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.STOPPED, timeout=5_000)
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert max(gaps) <= 0.150, f"longest gap {max(gaps) * 1000:.0f} ms"


def test_models_for_generation_are_copied_off_the_gui_thread(qtbot, window, monkeypatch) -> None:
    """Torch work on the GUI thread would start an OpenMP team there that slows training threads."""
    import gru_studio.gui.training.controller as controller_module

    threads: list[int] = []
    real_copy, real_build = controller_module.cpu_copy, controller_module.build_model
    monkeypatch.setattr(controller_module, "cpu_copy", lambda m: threads.append(threading.get_ident()) or real_copy(m))
    monkeypatch.setattr(
        controller_module, "build_model", lambda *a: threads.append(threading.get_ident()) or real_build(*a)
    )
    window.generation.button.click()  # untrained
    qtbot.waitUntil(lambda: not window.controller.generating and len(threads) == 1)
    train_and_wait(qtbot, window)
    window.generation.button.click()  # trained
    qtbot.waitUntil(lambda: not window.controller.generating and len(threads) == 2)
    assert threading.get_ident() not in threads


def test_closing_during_a_slow_load_hides_then_closes_when_it_ends(qtbot, window, monkeypatch) -> None:
    import gru_studio.gui.setup.corpus_panel as panel_module

    real_load = panel_module.load_corpus
    release = threading.Event()

    def slow_load(config):
        release.wait(10)  # a load that ends when the test says so, however long closing takes
        return real_load(config)

    monkeypatch.setattr(panel_module, "load_corpus", slow_load)
    window.corpus_panel.select("sample", "raw")
    try:
        assert window.corpus_panel.loading
        window.close()
        assert not window.isVisible() and window.corpus_panel.loading  # hidden, the load still under way
    finally:
        release.set()  # a load thread left blocked would abort the process at exit
    qtbot.waitUntil(lambda: not window.corpus_panel.loading, timeout=5_000)
    qtbot.waitUntil(lambda: not any(t.isRunning() for t in list(live_threads)), timeout=5_000)


def test_hovering_the_plot_shows_the_nearest_value(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    view = window.plot.plot.getPlotItem().vb
    run = window.plot.runs[-1]
    scene_point = view.mapViewToScene(QPointF(3.2, run.perplexity[2]))
    window.plot._on_mouse_moved(scene_point)
    assert window.plot.hover.text() == f"epoch 3: perplexity {run.perplexity[2]:.3f}"


def test_a_file_in_another_encoding_can_be_reopened_in_it(qtbot, window, tmp_path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(("Déjà vu, naïve café. " * 300).encode("cp1252"))
    window.corpus_panel.select(str(path), "raw")
    qtbot.waitUntil(lambda: window.corpus_panel.reopen.isVisible(), timeout=5_000)
    assert window.corpus_panel.reopen.text() == "Read it as cp1252"
    window.corpus_panel.reopen.click()
    qtbot.waitUntil(lambda: window.corpus_panel.corpus is not None, timeout=5_000)
    assert window.corpus_panel.corpus.preview(10) == "Déjà vu, n"
    assert not window.corpus_panel.message.isVisible() and not window.corpus_panel.reopen.isVisible()


def test_a_diverging_run_fails_with_the_reason_and_keeps_good_weights(qtbot, window, tmp_path) -> None:
    import torch

    window.controller.autosave_path = tmp_path / "autosave.pt"
    window.settings_panel.autosave.setValue(1)
    train_and_wait(qtbot, window)  # a good run, autosaved every epoch
    qtbot.waitUntil(lambda: not any(job.handle.running for job in window.controller._jobs), timeout=10_000)
    good = window.controller.autosave_path.read_bytes()
    window.settings_panel.set_values({"lr": 1000.0, "clip": 0.0, "epochs": 20})
    window.buttons["train"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.FAILED, timeout=10_000)
    assert window.controller.autosave_path.read_bytes() == good  # the last good checkpoint is untouched
    assert "diverged" in window.train_message.text() and "learning rate" in window.train_message.text()
    assert all(torch.isfinite(p).all() for p in window.controller.trainer.model.parameters())
    assert window.buttons["train"].isEnabled()
