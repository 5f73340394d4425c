"""The y range ignores outliers (issue 30): it fits the current and ticked runs' later epochs, a run that
diverged (perplexity 470, inf or NaN) does not flatten the others, and the log scale still works."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gru_studio.engine.training.events import EpochRecord
from gru_studio.gui.training.plot_curves import robust_range
from gru_studio.gui.training.plot_panel import PlotPanel


def falling(epochs: int, end: float, start: float = 28.0) -> np.ndarray:
    """A run that learns: from about the vocabulary size down towards `end`."""
    n = np.arange(1, epochs + 1)
    return end + (start - end) / n


def history(values: np.ndarray) -> list[EpochRecord]:
    return [EpochRecord(i + 1, float(v), None, 1000.0, 0.5, 0.1 * (i + 1)) for i, v in enumerate(values)]


def y_range(panel: PlotPanel) -> tuple[float, float]:
    panel.plot.grab()  # a paint: the points reach their curves and the view fits them
    bottom, top = panel.plot.getViewBox().viewRange()[1]
    return (10**bottom, 10**top) if panel.log_scale.isChecked() else (bottom, top)


def train(panel: PlotPanel, values: np.ndarray) -> None:
    panel.begin_run("current", "scratch")
    for epoch, value in enumerate(values.tolist(), start=1):
        panel.add_point(epoch, value)


def test_the_range_leaves_out_a_diverged_run_and_the_first_epochs() -> None:
    good, other = falling(100, 1.5), falling(100, 3.0)
    low, top = robust_range([[good], [other], [np.full(100, 470.0)]])
    assert low == good.min() and 3.0 < top < 10  # not 470, nor the first epochs' 28
    assert robust_range([[good], [np.array([9.0, np.inf, np.nan, np.nan, np.nan])]]) == robust_range([[good]])
    alone = robust_range([[np.full(50, 470.0)]])  # a run alone is what there is to see, diverged or not
    assert alone is not None and alone[1] >= 470


def test_a_spike_in_a_runs_later_epochs_does_not_set_the_top() -> None:
    values = falling(200, 2.0)
    values[150] = 400.0
    assert robust_range([[values]])[1] < 10


@pytest.mark.parametrize("diverged", [470.0, math.inf, math.nan])
@pytest.mark.parametrize("log", [False, True])
def test_a_ticked_run_that_diverged_does_not_flatten_the_current_one(panel, diverged, log) -> None:
    panel.log_scale.setChecked(log)
    train(panel, falling(60, 1.5))
    panel.add_overlay(9, "diverged", "#000000", history(np.r_[falling(10, 20.0), np.full(50, diverged)]))
    panel.add_overlay(10, "fine", "#000000", history(falling(60, 2.5)))
    bottom, top = y_range(panel)
    assert bottom <= falling(60, 1.5).min() and 2.5 < top < 10  # the two runs that learned fill the plot


def test_a_run_hidden_in_the_legend_leaves_the_range_and_comes_back(panel) -> None:
    train(panel, falling(60, 1.5))
    panel.add_overlay(10, "worse", "#000000", history(falling(60, 12.0)))
    assert y_range(panel)[1] > 12
    panel.legend.entries[10].click()  # hide it
    assert not panel.overlays[10].train.isVisible()
    assert y_range(panel)[1] < 6
    panel.legend.entries[10].click()
    assert panel.overlays[10].train.isVisible() and y_range(panel)[1] > 12


def test_kept_earlier_runs_are_drawn_but_do_not_set_the_range(panel) -> None:
    panel.keep_earlier.setChecked(True)
    train(panel, np.full(40, 300.0))  # an earlier run that diverged, kept dimmed
    train(panel, falling(40, 2.0))
    assert len(panel.runs) == 2 and y_range(panel)[1] < 10


def test_on_a_short_text_a_run_worse_than_guessing_is_left_out() -> None:
    # The bundled sample: the best runs end near 13, a run at lr 40 diverged at 152 after one epoch.
    # 152 is only 12 times 13, but far worse than a uniform guess over the text's 28 characters.
    runs = [[falling(60, 13.0)], [falling(60, 16.0)], [np.array([152.0])]]
    assert robust_range(runs)[1] >= 152  # without the text's guess: nothing says 152 is wrong
    low, top = robust_range(runs, uniform=28.0)
    assert low == falling(60, 13.0).min() and top < 30
    assert robust_range([[np.array([152.0])]], uniform=28.0)[1] >= 152  # alone, it is what there is to see


def test_the_read_out_leaves_out_a_run_that_ended_before_the_mouse(panel) -> None:
    train(panel, falling(60, 1.5))
    panel.add_overlay(11, "short", "#000000", history(np.array([150.0, 140.0])))  # diverged at epoch 2
    panel.add_overlay(12, "whole", "#000000", history(falling(60, 2.5)))
    panel.plot.grab()
    view = panel.plot.getPlotItem().vb
    bottom, top = view.viewRange()[1]
    panel._on_mouse_moved(view.mapViewToScene(QPointF(30, (bottom + top) / 2)))
    text = panel.readout.text
    assert "#12 " in text and "run 1" in text and "#11 " not in text  # no value of #11's at epoch 30
    panel._on_mouse_moved(view.mapViewToScene(QPointF(2, (bottom + top) / 2)))
    assert "#11 " in panel.readout.text
