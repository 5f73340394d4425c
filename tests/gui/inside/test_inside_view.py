"""The Inside view: a trace on a worker thread, hover, click, saturation and the unit finder."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QPoint, Qt

from gru_studio.engine.analysis.inside import SIGNAL_RANGE, Trace, trace
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.inside.heat_strip import HeatStrip, render_png
from tests.gui.conftest import TINY, train_and_wait

PROBE = "the time traveller"


def show_inside(qtbot, window: MainWindow) -> None:
    """Switch to the Inside tab and wait for the trace that showing it after a run asks for."""
    window.generation.prefix.setText(PROBE)
    with qtbot.waitSignal(window.inside.traced, timeout=20_000):
        window.tabs.setCurrentWidget(window.inside)
    assert window.inside.trace is not None


def widget_point(strip: HeatStrip, step: int, row: int) -> QPoint:
    return strip.plot.mapFromScene(strip.scene_position(step, row))


def test_hover_and_click_show_what_the_model_does(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    shown = view.trace
    assert "".join(shown.chars) == PROBE and shown.h.shape == (len(PROBE), TINY["hidden"])
    assert view.strip.image.image.shape == (len(PROBE), TINY["hidden"])
    assert tuple(view.strip.bar.levels()) == SIGNAL_RANGE["h"]  # fixed, not fitted to the data

    # Hover column 4 ('t' of "time") with the real mouse, as a person moves it: from elsewhere on the
    # strip, with the events handled in between (two moves sent back to back reach the scene as one,
    # and a lone first move sometimes not at all), the cell's position taken again at each try.
    viewport = view.strip.plot.viewport()

    def hovered() -> bool:
        qtbot.mouseMove(viewport, QPoint(1, 1))
        qtbot.wait(20)
        qtbot.mouseMove(viewport, widget_point(view.strip, 4, 3))
        qtbot.wait(20)
        return view.readout.text().startswith("Character 5: t")

    qtbot.waitUntil(hovered)
    readout = view.readout.text()
    probabilities = re.findall(r"\b[01]\.\d\d\b", readout.split("next:")[1].split("mean")[0])
    assert len(probabilities) == 5
    assert [f"{p:.2f}" for _, p in shown.top(4)] == probabilities
    assert f"mean Z {shown.z[4].mean():.2f}, mean R {shown.r[4].mean():.2f}" in readout

    # Click row 7 (unit 7 in index order): the probe text is coloured by that unit.
    qtbot.mouseClick(view.strip.plot.viewport(), Qt.MouseButton.LeftButton, pos=widget_point(view.strip, 2, 7))
    qtbot.waitUntil(lambda: view.unit == 7)
    assert view.unit_label.text().startswith("Unit 7,")
    assert view.unit_text.toPlainText().strip() == PROBE
    colours = set(re.findall(r"background-color:(#[0-9a-f]{6})", view.unit_text.toHtml()))
    assert len(colours) > 1  # one colour per value, not one for the whole text

    # Sorted by variance, the clicked unit keeps its outline, on another row.
    view.order.setCurrentIndex(view.order.findData("variance"))
    row = int(np.flatnonzero(view.strip.order == 7)[0])
    assert view.strip.row_box.isVisible() and view.strip.row_box.rect().top() == row
    assert view.strip.units.labels[row] == "7"

    # The saturation plot has one Z and one R point per unit, inside the unit square.
    for gate in ("z", "r"):
        x, y = view.saturation.points[gate].getData()
        assert len(x) == TINY["hidden"] and np.all((x >= 0) & (y >= 0) & (x + y <= 1))


def test_unit_finder_ranks_units_and_refuses_a_bad_pattern(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    qtbot.keyClicks(view.pattern, "[aeiou]")
    qtbot.keyClick(view.pattern, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.units.count() > 0, timeout=10_000)  # matched in a process of its own
    rows = [view.units.item(i).text() for i in range(view.units.count())]
    assert len(rows) == 10 and all(re.fullmatch(r"unit +\d+ +r = [+-]\d\.\d\d", row) for row in rows)
    correlations = [float(row.split("= ")[1]) for row in rows]
    assert correlations == sorted(correlations, reverse=True)
    first = view.units.item(0)
    view.units.itemClicked.emit(first)
    assert view.unit == int(rows[0].split()[1]) and view.unit_label.text().startswith(f"Unit {view.unit},")

    # A bad pattern is said at once, under the field, in one line.
    view.pattern.setText("[aeiou")
    view.find.click()
    assert "not a valid regular expression" in view.finder_message.text() and view.finder_message.isVisible()
    assert "\n" not in view.finder_message.text() and view.units.count() == 0


def test_messages_without_a_model_and_for_unknown_characters(qtbot, window) -> None:
    view = window.inside
    window.tabs.setCurrentWidget(view)
    view.refresh_button.click()
    assert view.message.text().startswith("Train a model or open one first")

    train_and_wait(qtbot, window)
    window.generation.prefix.setText("naïve")  # letters mode keeps non-ASCII letters, which the sample lacks
    with qtbot.waitSignal(view.message_shown, timeout=20_000) as said:
        view.refresh_button.click()
    assert "never saw" in said.args[0] and "\n" not in said.args[0]


def test_refresh_every_n_epochs_during_training_and_a_model_from_a_file(qtbot, window, tmp_path) -> None:
    view = window.inside
    window.tabs.setCurrentWidget(view)
    view.auto.setChecked(True)
    view.every.setValue(2)
    traced: list[int] = []
    view.traced.connect(lambda: traced.append(1))
    window.settings_panel.set_values({"epochs": 6})
    train_and_wait(qtbot, window)
    qtbot.waitUntil(lambda: not view.busy)
    assert len(traced) >= 2  # during training (epochs 2, 4, 6 unless one was still running) and at the end

    path = tmp_path / "model.pt"
    with qtbot.waitSignal(window.controller.model_saved, timeout=10_000):
        window.files.save_model(str(path))
    window.buttons["reset"].click()
    qtbot.waitUntil(lambda: window.controller.state is RunState.IDLE)
    assert view.trace is None  # the model it showed is gone
    with qtbot.waitSignal(view.traced, timeout=20_000):
        window.files.open_model(str(path))
    assert view.trace is not None and view.trace.h.shape[1] == TINY["hidden"]


def test_render_png_draws_a_trace_to_a_file(qtbot, window, tmp_path) -> None:
    train_and_wait(qtbot, window)
    session = window.controller.session
    shown = trace(session.model, session.corpus.vocab, PROBE, mode=session.corpus.mode)
    assert isinstance(shown, Trace)
    path = tmp_path / "strip.png"
    render_png(shown, "z", path, order="variance")
    assert path.stat().st_size > 1000


def test_a_two_layer_model_offers_both_layers(qtbot, window) -> None:
    window.settings_panel.set_values({"kind": "builtin", "layers": 2})
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    assert view.layer.count() == 2 and view.layer.isEnabled() and view.trace.layer == 0
    with qtbot.waitSignal(view.traced, timeout=20_000):
        view.layer.setCurrentIndex(1)
        view.layer.activated.emit(1)  # what a pick from the list sends
    assert view.trace.layer == 1
