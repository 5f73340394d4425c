"""The perplexity plot keeps long runs whole and cheap, starts at perplexity 1, and names every run apart."""

from __future__ import annotations

import numpy as np
import pytest

from gru_studio.gui.training.plot_panel import PlotPanel, Series


def y_range(panel: PlotPanel) -> list[float]:
    panel.plot.grab()  # a paint: new points reach their curves and the view fits them
    return panel.plot.getViewBox().viewRange()[1]


def legend_names(panel: PlotPanel) -> list[str]:
    return panel.legend.names()


def test_growing_keeps_every_point_and_leaves_handed_out_views_alone() -> None:
    series = Series(capacity=2)
    series.append(1, 10.0)
    series.append(2, 9.0)
    before = series.values
    for epoch in range(3, 1001):
        series.append(epoch, 1.0 + 1 / epoch)
    assert len(series) == 1000
    np.testing.assert_array_equal(series.epochs, np.arange(1, 1001))
    assert series.values[-1] == 1.001
    np.testing.assert_array_equal(before, [10.0, 9.0])


def test_a_hundred_thousand_epochs_all_reach_the_curve_which_draws_far_fewer(panel) -> None:
    epochs = np.arange(1, 100_001)
    perplexity = 1 + 27 / epochs
    perplexity[70_000] = 5.0  # one spike, which the drawing must not smooth away
    panel.begin_run("long")
    for epoch, value in zip(epochs.tolist(), perplexity.tolist(), strict=True):
        panel.add_point(epoch, value)
    panel.plot.grab()
    run = panel.runs[-1]
    x, y = run.train.getOriginalDataset()
    np.testing.assert_array_equal(x, epochs)
    np.testing.assert_array_equal(y, perplexity)
    assert panel.point_count() == 100_000
    drawn_x, drawn_y = run.train.getData()  # what is drawn: the highest and lowest point of each pixel column
    assert len(drawn_x) <= 2 * panel.plot.getViewBox().width()
    assert drawn_y.max() == 28.0 and 5.0 in drawn_y


def test_points_added_between_paints_are_all_drawn_at_the_next_paint(panel) -> None:
    panel.add_point(1, 20.0, 22.0)
    panel.plot.grab()
    panel.add_point(2, 10.0, 12.0)
    panel.add_point(3, 5.0, 7.0)
    panel.plot.grab()
    run = panel.runs[-1]
    np.testing.assert_array_equal(run.train.getOriginalDataset()[1], [20.0, 10.0, 5.0])
    np.testing.assert_array_equal(run.val.getOriginalDataset()[1], [22.0, 12.0, 7.0])


@pytest.mark.parametrize("log", [False, True])
def test_an_empty_plot_shows_perplexity_from_one(panel, log) -> None:
    panel.log_scale.setChecked(log)
    bottom, top = y_range(panel)
    if log:  # the view's coordinates are log10(perplexity)
        bottom, top = 10**bottom, 10**top
    assert bottom == pytest.approx(1.0) and top >= 28
    panel.add_point(1, 3.0)
    panel.add_point(2, 2.0)
    y_range(panel)
    panel.clear()
    assert y_range(panel)[0] == pytest.approx(0.0 if log else 1.0)


@pytest.mark.parametrize("log", [False, True])
def test_with_data_the_range_never_reaches_below_one(panel, log) -> None:
    panel.log_scale.setChecked(log)
    for epoch, value in enumerate([28.0, 6.0, 1.0, 1.0], start=1):
        panel.add_point(epoch, value)
    floor = 0.0 if log else 1.0
    assert y_range(panel)[0] >= floor  # fitting the view would pad it below 1
    panel.plot.getViewBox().translateBy(y=-50)  # nor can the user drag it there
    assert y_range(panel)[0] >= floor


def test_runs_with_the_same_label_get_distinct_legend_names(panel) -> None:
    panel.keep_earlier.setChecked(True)  # earlier runs stay drawn, dimmed
    for epochs in (5, 3, 3, 4, 2, 6, 5, 1):
        panel.begin_run("scratch GRU, The Time Machine, lr 1", "scratch")
        for epoch in range(1, epochs + 1):
            panel.add_point(epoch, 10.0 / epoch + 1, 11.0 / epoch + 1)
    names = legend_names(panel)
    assert len(panel.runs) == 6 and len(names) == 6  # one entry a run: its validation curve is dashed
    assert len(set(names)) == len(names)
    assert names[0] == "run 3: scratch GRU"  # runs 1 and 2 were dropped; the model's short name, not a sentence
    tips = panel.legend.tooltips()
    assert "scratch GRU, The Time Machine, lr 1" in tips[0] and "epochs 1 to 3" in tips[0]  # the rest: on hover
    assert names[-1] == "run 8: scratch GRU"
    assert panel.legend.key_note.text() == "dashed: validation"


def test_a_run_begun_without_a_label_is_still_named(panel) -> None:
    panel.keep_earlier.setChecked(True)
    panel.add_point(1, 9.0)
    panel.add_point(2, 8.0)
    panel.begin_run("")
    assert legend_names(panel) == ["run 1", "run 2"]
