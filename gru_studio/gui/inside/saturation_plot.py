"""Gate saturation per unit, after Karpathy, Johnson and Fei-Fei (2015), figure 3.

Each unit is a point: x is the fraction of characters at which its gate is
nearly shut (below 0.1), y the fraction at which it is nearly open (above
0.9). An update gate Z open most of the time keeps the unit's state: memory.
A reset gate R shut most of the time makes the candidate forget the past.
Points near the origin are units whose gates work in between.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gru_studio.engine.analysis.inside import Trace, saturation
from gru_studio.gui.common import theme
from gru_studio.gui.common.plot_menus import follow_language

# The legend's names are marked here and translated where shown (SaturationPlot.tr).
GATES = (
    ("z", QT_TRANSLATE_NOOP("SaturationPlot", "Z (update gate)"), "#e67e22"),
    ("r", QT_TRANSLATE_NOOP("SaturationPlot", "R (reset gate)"), "#2e86de"),
)


class SaturationPlot(QWidget):
    """Emits `unit_clicked(unit)` when a point is clicked."""

    unit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("saturationPlot")
        follow_language(self.plot)  # its right-click menu follows the window's language
        self.plot.getPlotItem().hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.04)
        # No point can lie beyond x + y = 1: a gate is not both shut and open at one step.
        self.plot.plot([0, 1], [1, 0], pen=pg.mkPen("#999999", width=1, style=pg.QtCore.Qt.DashLine))
        # Top right, where no point can be.
        self.legend = self.plot.addLegend(offset=(-5, 5))
        self.points: dict[str, pg.ScatterPlotItem] = {}
        for gate, label, colour in GATES:
            points = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(colour + "aa"))
            points.sigClicked.connect(self._on_clicked)
            self.plot.addItem(points)
            self.legend.addItem(points, label)
            self.points[gate] = points
        # The unit picked elsewhere, ringed in both series.
        self.chosen = pg.ScatterPlotItem(size=13, pen=pg.mkPen("#e74c3c", width=2), brush=None)
        self.plot.addItem(self.chosen)
        theme.follow_plot(self.plot)  # background, axes, legend: in the theme's colours
        self.fractions: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.retranslate()

    def retranslate(self) -> None:
        self.plot.setTitle(self.tr("Gate saturation, a point per unit"), size="9pt")
        # Short, so that they fit a small plot; the line under it (InsideView) says what they count.
        # (Words, not "<" and ">": pyqtgraph's labels are HTML, where "<" opens a tag and cut the label short.)
        self.plot.setLabel("bottom", self.tr("shut: below 0.1"))
        self.plot.setLabel("left", self.tr("open: above 0.9"))
        self.plot.setToolTip(
            self.tr(
                "For each unit, how often its gate is nearly shut (below 0.1) and how often nearly open (above 0.9). "
                "Z mostly open: the unit keeps its memory. R mostly shut: the candidate ignores the past."
            )
        )
        # The legend's rows are in GATES's order, each a (sample, label) pair.
        for (_, label), (_, name, _) in zip(self.legend.items, GATES, strict=True):
            label.setText(self.tr(name))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_trace(self, trace: Trace) -> None:
        for gate, points in self.points.items():
            shut, open_ = saturation(trace.signal(gate))
            self.fractions[gate] = (shut, open_)
            points.setData(x=shut, y=open_, data=np.arange(len(shut)))

    def select_unit(self, unit: int) -> None:
        if unit < 0 or not self.fractions:
            self.chosen.setData(x=[], y=[])
            return
        xs = [self.fractions[gate][0][unit] for gate, _, _ in GATES]
        ys = [self.fractions[gate][1][unit] for gate, _, _ in GATES]
        self.chosen.setData(x=xs, y=ys)

    def clear(self) -> None:
        self.fractions = {}
        for points in (*self.points.values(), self.chosen):
            points.setData(x=[], y=[])

    def _on_clicked(self, item: pg.ScatterPlotItem, spots: list, event: object) -> None:
        if len(spots):
            self.unit_clicked.emit(int(spots[0].data()))
