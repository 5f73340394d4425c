"""The perplexity plot in the window (issue 30, and issue 29 items 5 and 6): after several models and a
sweep it shows the current run and the ticked ones, each in a colour of its own, the legend beside the
plot and never over it; hovering never widens the window and the read-out leaves with the mouse; the
legend and the read-out speak Chinese."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QRect
from PySide6.QtWidgets import QApplication

from gru_studio.gui.app.main_window import MainWindow
from tests.gui.app.test_translation_panels import HAN
from tests.gui.catalogue import chinese_switch
from tests.gui.conftest import train_and_wait
from tests.gui.runs.test_runs_view import show_runs, tick
from tests.gui.sweep.test_sweep_window import dialog_for, wait_for_end

MODELS = ("scratch", "builtin", "rnn", "lstm-builtin")


@pytest.fixture
def chinese():
    with chinese_switch() as switch:
        yield switch


def in_window(win: MainWindow, widget) -> QRect:
    return QRect(widget.mapTo(win, widget.rect().topLeft()), widget.size())


def view_box_rect(win: MainWindow) -> QRect:
    """The plot's view box (where the curves are drawn), in the window's coordinates."""
    plot = win.plot.plot
    scene_rect = plot.getPlotItem().vb.sceneBoundingRect()
    corner = plot.mapFromScene(scene_rect.topLeft())
    return QRect(plot.mapTo(win, corner), scene_rect.size().toSize())


def hover(win: MainWindow, epoch: float) -> None:
    """The mouse over the plot at this epoch, halfway up."""
    QApplication.processEvents()  # a change of language reaches the panel first
    win.plot.plot.grab()  # a paint: the view has fitted the curves
    view = win.plot.plot.getPlotItem().vb
    bottom, top = view.viewRange()[1]
    win.plot._on_mouse_moved(view.mapViewToScene(QPointF(epoch, (bottom + top) / 2)))
    QApplication.processEvents()


def drawn_colours(win: MainWindow) -> list[str]:
    return [run.colour for run in [*win.plot.runs, *win.plot.overlays.values()]]


def train_four_models_and_a_sweep(qtbot, win: MainWindow) -> list[int]:
    ids = []
    for kind in MODELS:
        win.settings_panel.set_values({"kind": kind, "epochs": 3})
        train_and_wait(qtbot, win)
        ids.append(win.controller.run_id)
    win.settings_panel.set_values({"kind": "scratch"})
    dialog = dialog_for(qtbot, win, ("lr", "0.5, 1, 2"), ("epochs", "3"))
    win.sweep.start(dialog.runs)
    wait_for_end(qtbot, win)
    ids += [entry.run_id for entry in win.sweep.runner.entries]
    assert len(set(ids)) == 7 and None not in ids
    return ids


def test_after_four_models_and_a_sweep_the_plot_shows_the_current_run_and_the_ticked_ones(qtbot, window) -> None:
    ids = train_four_models_and_a_sweep(qtbot, window)
    plot = window.plot
    assert window.plot.run_count == 7
    assert len(plot.runs) == 1 and plot.runs[0].store_id == ids[-1] and not plot.overlays  # the current run only
    show_runs(qtbot, window)
    for run_id in (ids[0], ids[2], ids[4]):  # the scratch GRU, the RNN, the sweep's first
        tick(qtbot, window, run_id)
    assert sorted(plot.overlays) == sorted([ids[0], ids[2], ids[4]]) and len(plot.runs) == 1
    colours = drawn_colours(window)
    assert len(colours) == 4 and len(set(colours)) == 4  # no two drawn curves share a colour
    model = window.runs.model
    for run_id in (ids[0], ids[2], ids[4]):  # the table's swatch is the curve's colour
        swatch = model.index(model.row_of(run_id), 0).data(0x1)  # Qt.DecorationRole
        assert swatch.name() == plot.overlays[run_id].colour
    names = plot.legend.names()
    # Short and unique: "#id model", the current run first, then the ticked ones in the order ticked.
    assert names == [
        f"#{ids[-1]} scratch GRU",
        f"#{ids[0]} scratch GRU",
        f"#{ids[2]} scratch RNN",
        f"#{ids[4]} scratch GRU",
    ]
    assert any("sweep 3/3" in tip for tip in plot.legend.tooltips())  # the whole story: in the tooltip
    # The legend beside the plot, never over its curves.
    window.resize(1280, 800)
    QApplication.processEvents()
    assert plot.legend.isVisible()
    assert not in_window(window, plot.legend).intersects(view_box_rect(window))
    # The next run: the ticked ones stay, in their colours; the one that was current leaves.
    before = {run_id: plot.overlays[run_id].colour for run_id in plot.overlays}
    train_and_wait(qtbot, window)
    assert {run_id: plot.overlays[run_id].colour for run_id in plot.overlays} == before
    assert len(plot.runs) == 1 and len(set(drawn_colours(window))) == 4


def test_hovering_with_long_names_never_widens_the_window(qtbot, window) -> None:
    window.resize(1024, 640)
    QApplication.processEvents()
    width = window.width()
    window.settings_panel.set_values({"val_fraction": 0.2})
    train_and_wait(qtbot, window)
    plot = window.plot
    long = "a run with a name far longer than any legend or header could show at this size " * 3
    for run_id in (901, 902):
        plot.add_overlay(run_id, long, "#000000", window.controller.session.history)
    plot.relabel_current(long)
    for epoch in np.linspace(1, 5, 9):
        hover(window, epoch)
    assert plot.hover.text().startswith("epoch ") and plot.readout.box.isVisible()
    QApplication.processEvents()
    assert window.width() == width == 1024
    assert plot.minimumSizeHint().width() < 700  # nothing in the panel asks for more than its share


def test_the_read_out_leaves_with_the_mouse(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    plot = window.plot
    plot.add_overlay(903, "other", "#000000", window.controller.session.history)
    hover(window, 3)
    assert plot.readout.box.isVisible() and plot.readout.cursor.isVisible() and plot.hover.text()
    QApplication.sendEvent(plot.plot.viewport(), QEvent(QEvent.Type.Leave))
    assert not plot.readout.box.isVisible() and not plot.readout.cursor.isVisible() and plot.hover.text() == ""


def test_the_legend_and_the_read_out_speak_chinese_for_ticked_and_sweep_runs(qtbot, window, chinese) -> None:
    window.settings_panel.set_values({"epochs": 3})
    dialog = dialog_for(qtbot, window, ("lr", "0.5, 2"))
    window.sweep.start(dialog.runs)
    wait_for_end(qtbot, window)
    first = window.sweep.runner.entries[0].run_id
    show_runs(qtbot, window)
    tick(qtbot, window, first)
    plot = window.plot
    chinese(True)
    hover(window, 2)
    for name in plot.legend.names():  # "#12 从零实现的 GRU": the model's name in the window's language
        assert HAN.search(name), name
    text = plot.readout.text
    assert HAN.search(plot.hover.text()) and text and "epoch" not in text and HAN.search(text)
    chinese(False)
    hover(window, 2)
    assert "scratch GRU" in plot.legend.names()[0] and "epoch" in plot.readout.text
