"""The live perplexity plot: one curve per run, earlier runs dimmed, values on hover.

A long run costs no more to redraw than a short one. Each curve's points live
in numpy buffers that double when full, so an append is amortised O(1) and
touches nothing else; the curves receive their buffers (views, not copies)
once per repaint, and pyqtgraph then draws only the part in view, reduced to
each pixel column's highest and lowest value ('peak' downsampling, so no
spike disappears). docs/benchmarks.md has the figures for 100,000 epochs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Slot
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gru_studio.engine.events import EpochEnd

COLOURS = ["#2e86de", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085"]
KEEP_RUNS = 6  # older runs than this are dropped from the plot
PERPLEXITY_FLOOR = 1.0  # exp of a mean cross-entropy, which is never negative
# What an empty plot shows: from the floor to a little above a uniform guess over
# the book's 28 characters, which is where a fresh model's perplexity starts.
EMPTY_RANGE = (PERPLEXITY_FLOOR, 30.0)


class Series:
    """(epoch, value) points in numpy buffers that double in size when full."""

    def __init__(self, capacity: int = 256) -> None:
        self._epochs = np.empty(capacity)
        self._values = np.empty(capacity)
        self._size = 0
        self.stale = False  # appended to since its curve last received the buffers

    def __len__(self) -> int:
        return self._size

    def append(self, epoch: float, value: float) -> None:
        if self._size == len(self._epochs):
            # Doubling keeps the copying to at most one per point on average.
            self._epochs = np.concatenate([self._epochs, np.empty_like(self._epochs)])
            self._values = np.concatenate([self._values, np.empty_like(self._values)])
        self._epochs[self._size] = epoch
        self._values[self._size] = value
        self._size += 1
        self.stale = True

    # Views of the filled part. A view handed to a curve stays valid: later points
    # are written past its end, and growing moves on to a new buffer, leaving the
    # old one to the views that still refer to it.
    @property
    def epochs(self) -> np.ndarray:
        return self._epochs[: self._size]

    @property
    def values(self) -> np.ndarray:
        return self._values[: self._size]


@dataclass
class RunCurves:
    number: int  # counts every run begun in this panel, so no two runs share a legend name
    label: str  # what the caller called the run
    colour: str
    train: pg.PlotDataItem
    val: pg.PlotDataItem
    train_points: Series = field(default_factory=Series)
    val_points: Series = field(default_factory=Series)

    @property
    def name(self) -> str:
        return f"run {self.number}: {self.label}" if self.label else f"run {self.number}"

    @property
    def epochs(self) -> np.ndarray:
        return self.train_points.epochs

    @property
    def perplexity(self) -> np.ndarray:
        return self.train_points.values

    @property
    def val_epochs(self) -> np.ndarray:
        return self.val_points.epochs

    @property
    def val_perplexity(self) -> np.ndarray:
        return self.val_points.values

    def curves(self) -> tuple[tuple[Series, pg.PlotDataItem], ...]:
        return (self.train_points, self.train), (self.val_points, self.val)


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
        self.log_scale.toggled.connect(self._set_log_scale)
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
        # Every paint, grab() and export included, first hands new points to their curves.
        self.plot.scene().sigPrepareForPaint.connect(self._update_curves)
        self._set_log_scale(False)

    def begin_run(self, label: str) -> None:
        """A new curve; the earlier runs stay visible, dimmed, for comparison."""
        for run in self.runs:
            run.train.setPen(pg.mkPen(run.colour + "55", width=1.5))
            run.val.setPen(pg.mkPen(run.colour + "55", width=1.5, style=pg.QtCore.Qt.DashLine))
        if self.runs:
            self._name_epochs(self.runs[-1])
        while len(self.runs) >= KEEP_RUNS:
            self._remove(self.runs.pop(0))
        self._run_count += 1
        colour = COLOURS[(self._run_count - 1) % len(COLOURS)]
        train = self._curve(pg.mkPen(colour, width=2.5))
        val = self._curve(pg.mkPen(colour, width=2, style=pg.QtCore.Qt.DashLine))
        run = RunCurves(self._run_count, label, colour, train, val)
        self.legend.addItem(train, run.name)
        self.runs.append(run)

    def add_epoch(self, event: EpochEnd) -> None:
        self.add_point(event.epoch, event.perplexity, event.val_perplexity)

    def add_point(self, epoch: int, perplexity: float, val_perplexity: float | None = None) -> None:
        if not self.runs:
            self.begin_run("")
        run = self.runs[-1]
        run.train_points.append(epoch, perplexity)
        if val_perplexity is not None:
            if not len(run.val_points):
                self.legend.addItem(run.val, f"run {run.number}: validation")
            run.val_points.append(epoch, val_perplexity)
        # Only asks for a paint; Qt merges these requests, and _update_curves does the work.
        self.plot.viewport().update()

    def clear(self) -> None:
        for run in self.runs:
            self._remove(run)
        self.runs.clear()
        self.hover.clear()
        self._show_empty_range()

    @property
    def run_count(self) -> int:
        return self._run_count

    def point_count(self) -> int:
        return sum(len(run.train_points) for run in self.runs)

    def _curve(self, pen: QPen) -> pg.PlotDataItem:
        """An empty curve that stays cheap to draw however long the run grows.

        It draws only what is in view (which is all of it until the user zooms in),
        and at most one (highest, lowest) pair of points per pixel column: that pair
        is all a column can show, so no spike is lost. pyqtgraph's default of five
        pairs per column spent 4 ms of a 10 ms redraw at 100,000 epochs on the pen.
        """
        curve = self.plot.plot([], [], pen=pen, autoDownsampleFactor=1.0)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        return curve

    def _remove(self, run: RunCurves) -> None:
        for item in (run.train, run.val):
            self.plot.removeItem(item)
            self.legend.removeItem(item)

    def _name_epochs(self, run: RunCurves) -> None:
        """Add the epochs a finished run covered to its legend name: runs that differ
        only in their number of epochs would otherwise read alike apart from the number."""
        label = self.legend.getLabel(run.train)
        if label is None or not len(run.epochs):
            return
        first, last = int(run.epochs[0]), int(run.epochs[-1])
        label.setText(f"{run.name} · " + (f"epoch {first}" if first == last else f"epochs {first} to {last}"))

    @Slot()
    def _update_curves(self) -> None:
        """Give each curve its points if some arrived since the last paint."""
        updated = False
        for run in self.runs:
            for points, curve in run.curves():
                if points.stale:
                    curve.setData(points.epochs, points.values)
                    points.stale = False
                    updated = True
        if updated:
            # The view box readied itself for this paint before the new points were set;
            # let it fit its range to them now, rather than one frame late.
            self.plot.getViewBox().prepareForPaint()

    @Slot(bool)
    def _set_log_scale(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        # The view's y coordinates are log10(perplexity) on a log axis.
        self.plot.getViewBox().setLimits(yMin=self._to_view(PERPLEXITY_FLOOR))
        if not self.point_count():
            self._show_empty_range()

    def _to_view(self, perplexity: float) -> float:
        return float(np.log10(perplexity)) if self.log_scale.isChecked() else perplexity

    def _show_empty_range(self) -> None:
        view = self.plot.getViewBox()
        view.setYRange(*(self._to_view(p) for p in EMPTY_RANGE), padding=0)
        view.enableAutoRange()  # setYRange turned it off; the first points should take over

    @Slot(QPointF)
    def _on_mouse_moved(self, position: QPointF) -> None:
        """Show the value of the current run's point nearest to the mouse's epoch."""
        if not self.runs or not len(self.runs[-1].epochs) or not self.plot.sceneBoundingRect().contains(position):
            return
        run = self.runs[-1]
        epoch = self.plot.getPlotItem().vb.mapSceneToView(position).x()
        i = int(np.argmin(np.abs(run.epochs - epoch)))
        text = f"epoch {int(run.epochs[i])}: perplexity {run.perplexity[i]:.3f}"
        if len(run.val_epochs):
            j = int(np.argmin(np.abs(run.val_epochs - epoch)))
            text += f", validation {run.val_perplexity[j]:.3f}"
        self.hover.setText(text)
