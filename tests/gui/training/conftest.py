"""Fixtures of the training wing's tests."""

from __future__ import annotations

import pytest

from gru_studio.gui.training.plot_panel import PlotPanel


@pytest.fixture
def panel(qtbot) -> PlotPanel:
    """A perplexity plot on its own, shown at 800x400 (its legend and hover need a real size)."""
    widget = PlotPanel()
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
