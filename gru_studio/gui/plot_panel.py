"""The live perplexity plot: one curve per run, earlier runs dimmed, values on hover."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gru_studio.engine.events import EpochEnd

COLOURS = ["#2e86de", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085"]
KEEP_RUNS = 6  # older runs than this are dropped from the plot


@dataclass
class RunCurves:
    label: str
    colour: str
    train: pg.PlotDataItem
    val: pg.PlotDataItem
    epochs: list[int] = field(default_factory=list)
    perplexity: list[float] = field(default_factory=list)
    val_epochs: list[int] = field(default_factory=list)
    val_perplexity: list[float] = field(default_factory=list)


class EpochAxis(pg.AxisItem):
    """An axis of whole epochs: no tick at epoch 2.5 when a run is short."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        levels = [
            (spacing, [v for v in values if float(v).is_integer()])
            for spacing, values in super().tickValues(minVal, maxVal, size)
            if spacing >= 1
        ]
        return levels or [(1.0, [float(v) for v in range(int(np.ceil(minVal)), int(maxVal) + 1)])]


class PlotPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": EpochAxis("bottom")})
        self.plot.setObjectName("perplexityPlot")
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "perplexity")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMouseEnabled(x=True, y=True)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.log_scale = QCheckBox("Log scale", objectName="logScaleToggle")
        self.log_scale.setToolTip("Show perplexity on a logarithmic axis")
        self.log_scale.toggled.connect(lambda on: self.plot.setLogMode(y=on))
        self.hover = QLabel(objectName="plotHover")
        self.hover.setStyleSheet("color: palette(placeholder-text);")
        self.runs: list[RunCurves] = []
        self._run_count = 0  # runs ever begun, for numbering and colours

        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>Perplexity</b> per epoch (lower is better; 1 is perfect)"))
        bar.addStretch(1)
        bar.addWidget(self.hover)
        bar.addWidget(self.log_scale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def begin_run(self, label: str) -> None:
        """A new curve; the earlier runs stay visible, dimmed, for comparison."""
        for run in self.runs:
            run.train.setPen(pg.mkPen(run.colour + "55", width=1.5))
            run.val.setPen(pg.mkPen(run.colour + "55", width=1.5, style=pg.QtCore.Qt.DashLine))
        while len(self.runs) >= KEEP_RUNS:
            old = self.runs.pop(0)
            for item in (old.train, old.val):
                self.plot.removeItem(item)
                self.legend.removeItem(item)
        self._run_count += 1
        colour = COLOURS[(self._run_count - 1) % len(COLOURS)]
        train = self.plot.plot([], [], pen=pg.mkPen(colour, width=2.5), name=f"run {self._run_count}: {label}")
        val = self.plot.plot([], [], pen=pg.mkPen(colour, width=2, style=pg.QtCore.Qt.DashLine))
        self.runs.append(RunCurves(label, colour, train, val))

    def add_epoch(self, event: EpochEnd) -> None:
        self.add_point(event.epoch, event.perplexity, event.val_perplexity)

    def add_point(self, epoch: int, perplexity: float, val_perplexity: float | None = None) -> None:
        if not self.runs:
            self.begin_run("")
        run = self.runs[-1]
        run.epochs.append(epoch)
        run.perplexity.append(perplexity)
        run.train.setData(np.asarray(run.epochs), np.asarray(run.perplexity))
        if val_perplexity is not None:
            if not run.val_epochs:
                self.legend.addItem(run.val, f"run {self._run_count}: validation")
            run.val_epochs.append(epoch)
            run.val_perplexity.append(val_perplexity)
            run.val.setData(np.asarray(run.val_epochs), np.asarray(run.val_perplexity))

    def clear(self) -> None:
        for run in self.runs:
            for item in (run.train, run.val):
                self.plot.removeItem(item)
                self.legend.removeItem(item)
        self.runs.clear()
        self.hover.clear()

    @property
    def run_count(self) -> int:
        return self._run_count

    def point_count(self) -> int:
        return sum(len(run.epochs) for run in self.runs)

    @Slot(QPointF)
    def _on_mouse_moved(self, position: QPointF) -> None:
        """Show the value of the current run's point nearest to the mouse's epoch."""
        if not self.runs or not self.runs[-1].epochs or not self.plot.sceneBoundingRect().contains(position):
            return
        run = self.runs[-1]
        epoch = self.plot.getPlotItem().vb.mapSceneToView(position).x()
        i = int(np.argmin(np.abs(np.asarray(run.epochs) - epoch)))
        text = f"epoch {run.epochs[i]}: perplexity {run.perplexity[i]:.3f}"
        if run.val_epochs:
            j = int(np.argmin(np.abs(np.asarray(run.val_epochs) - epoch)))
            text += f", validation {run.val_perplexity[j]:.3f}"
        self.hover.setText(text)
