"""The gradient-norm plot: one point per batch before clipping, the clip threshold θ as a line, the share
of each epoch's batches clipped, and long runs kept cheap (issue 15, the window's half)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.training.gradient_plot import GradientPlot, NormBuffer
from tests.gui.conftest import train_and_wait


def collect(window) -> list[EpochEnd]:
    events: list[EpochEnd] = []
    window.controller.events.on(EpochEnd, events.append)
    return events


def test_every_batch_gets_its_point_and_the_threshold_its_line(qtbot, window) -> None:
    window.settings_panel.set_values({"clip": 0.5})
    events = collect(window)
    train_and_wait(qtbot, window)
    plot: GradientPlot = window.gradients
    norms = [norm for event in events for norm in event.grad_norms]
    assert len(norms) > len(events)  # several batches an epoch
    assert plot.batches == len(norms) == len(plot.norms)
    np.testing.assert_allclose(plot.norms.y, norms)  # before clipping: the trainer's figures as they are
    # Batch i of n in epoch e at e - 1 + i/n: each epoch's last batch on its epoch.
    last = np.cumsum([len(event.grad_norms) for event in events]) - 1
    np.testing.assert_allclose(plot.norms.x[last], [event.epoch for event in events])
    assert plot.norms.x.min() > 0 and np.all(np.diff(plot.norms.x) > 0)

    window.plot.grab()
    plot.plot.grab()  # a paint hands the points to the curve
    x, _ = plot.curve.getOriginalDataset()
    assert len(x) == len(norms)
    assert plot.clip == 0.5 and plot.clip_line.isVisible()
    assert plot.clip_line.value() == pytest.approx(math.log10(0.5))  # the axis is logarithmic by default
    plot.log_scale.setChecked(False)
    assert plot.clip_line.value() == pytest.approx(0.5)
    assert "0.5" in plot.clip_line.label.toPlainText()

    # The share of each epoch's batches over θ, as the trainer counted it, in percent.
    np.testing.assert_allclose(plot.shares.values, [100 * event.clipped_share for event in events])
    expected = [100 * np.mean(np.array(event.grad_norms) > 0.5) for event in events]
    np.testing.assert_allclose(plot.shares.values, expected)
    clipped = round(events[-1].clipped_share * len(events[-1].grad_norms))
    assert f"{clipped} of {len(events[-1].grad_norms)} batches clipped" in plot.readout.text()


def test_no_line_without_clipping_a_new_run_starts_afresh_and_reset_clears(qtbot, window) -> None:
    window.settings_panel.set_values({"clip": 0.0, "epochs": 2})
    train_and_wait(qtbot, window)
    plot = window.gradients
    assert not plot.clip_line.isVisible()
    first = plot.batches
    assert first > 0
    window.settings_panel.set_values({"clip": 1.0})
    train_and_wait(qtbot, window)
    assert plot.batches == first  # the second model's batches only, not both runs'
    assert plot.clip_line.isVisible() and plot.clip == 1.0
    window.buttons["reset"].click()
    assert window.controller.state is RunState.IDLE
    assert plot.batches == 0 and len(plot.norms) == 0 and not plot.clip_line.isVisible()


def test_the_buffer_keeps_its_size_and_every_spike_past_its_limit() -> None:
    buffer = NormBuffer(capacity=8, limit=1000)
    rng = np.random.default_rng(0)
    for start in range(0, 5000, 50):
        x = np.arange(start, start + 50, dtype=float)
        buffer.extend(x, rng.uniform(0.5, 1.5, 50))
    buffer.extend(np.array([5000.0]), np.array([1e6]))  # a spike
    buffer.extend(np.array([5001.0]), np.array([1e-9]))  # and a dip
    assert len(buffer) <= 1000 and buffer.merged > 0
    assert buffer.y.max() == 1e6 and buffer.y.min() == 1e-9
    assert np.all(np.diff(buffer.x) > 0)  # still in order


def test_a_hundred_thousand_epochs_stay_bounded(qtbot, window) -> None:
    """100,000 epochs of 20 batches: the kept points stay bounded and the drawn ones about a pair per
    pixel column. (How long that takes is measured outside the suite; see docs/results.md.)"""
    plot = window.gradients
    window.lower_tabs.setCurrentWidget(plot)
    norms = tuple(np.linspace(0.2, 3.0, 20).tolist())
    for epoch in range(1, 100_001):
        plot.add_epoch(EpochEnd(epoch, 100_000, 5.0, None, 1.0, float(epoch), grad_norms=norms, clipped_share=0.5))
        if epoch % 10_000 == 0:
            plot.plot.grab()  # a repaint now and then, as the window's throttled updates make
    assert plot.batches == 2_000_000 and len(plot.norms) <= 1_000_000
    x, _ = plot.curve.getData()
    assert len(x) <= 4 * plot.plot.getViewBox().width()  # drawn: about a pair of points per pixel column
