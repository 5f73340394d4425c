"""The gradient-norm plot: every batch's gradient norm before clipping, the clip threshold θ, and
the share of each epoch's batches that clipping cut down.

Why a learner looks here: gradient clipping (the book's θ = 1) is invisible in
the perplexity curve. Here a norm above the θ line is a batch whose step was
shortened; a run whose every batch is clipped is taking fixed-length steps,
and a norm that shoots up by orders of magnitude is an explosion on its way.

The x axis is the epoch, as on the perplexity plot: batch i of n in epoch e
sits at e - 1 + i/n, so the last batch of an epoch lines up with that epoch's
perplexity. Only the current model's batches are shown (an earlier run's would
crowd them); Continue appends to them.

Long runs stay cheap. Norms arrive a whole epoch at a time and are appended in
one numpy copy into buffers that double when full. Past MAX_POINTS the
buffers are halved by keeping, of every four points, the lowest and the
highest: the envelope a plot of that many points can show anyway (no spike is
lost), at a bounded memory. The curves then draw only what is in view, one
(highest, lowest) pair per pixel column, as the perplexity plot does.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.common import theme
from gru_studio.gui.common.plot_menus import follow_language
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.plot_curves import Series
from gru_studio.gui.training.plot_legend import ElidedLabel

MAX_POINTS = 1_000_000  # batches kept whole; past this the oldest detail is merged in blocks of four
SMALLEST_NORM = 1e-12  # a zero norm (a model that learns nothing) still has a place on a log axis
NORM_COLOUR = "#2e86de"
CLIP_COLOUR = "#c0392b"
SHARE_COLOUR = "#e67e22"


class NormBuffer:
    """(x, norm) points in numpy buffers that double when full, merged down past `limit` points."""

    def __init__(self, capacity: int = 1024, limit: int = MAX_POINTS) -> None:
        self._x = np.empty(capacity)
        self._y = np.empty(capacity)
        self._size = 0
        self.limit = limit
        self.merged = 0  # how many times the points were halved

    def __len__(self) -> int:
        return self._size

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        n = len(x)
        if self._size + n > len(self._x):
            # Doubling keeps the copying to at most one per point on average; views
            # handed to a curve keep the old buffer, which nothing writes to again.
            capacity = max(2 * len(self._x), self._size + n)
            self._x, self._y = (
                np.concatenate([b[: self._size], np.empty(capacity - self._size)]) for b in (self._x, self._y)
            )
        self._x[self._size : self._size + n] = x
        self._y[self._size : self._size + n] = y
        self._size += n
        if self._size > self.limit:
            self._merge()

    def _merge(self) -> None:
        """Halve the points: of each block of four, keep the lowest and the highest, in their order."""
        blocks = self._size // 4
        whole = blocks * 4
        x = self._x[:whole].reshape(blocks, 4)
        y = self._y[:whole].reshape(blocks, 4)
        rows = np.arange(blocks)[:, None]
        picks = np.sort(np.stack([y.argmin(axis=1), y.argmax(axis=1)], axis=1), axis=1)
        merged_x, merged_y = x[rows, picks].reshape(-1), y[rows, picks].reshape(-1)
        rest_x, rest_y = self._x[whole : self._size], self._y[whole : self._size]
        self._x = np.concatenate([merged_x, rest_x, np.empty(len(self._x) - 2 * blocks - len(rest_x))])
        self._y = np.concatenate([merged_y, rest_y, np.empty(len(self._y) - 2 * blocks - len(rest_y))])
        self._size = 2 * blocks + len(rest_x)
        self.merged += 1

    @property
    def x(self) -> np.ndarray:
        return self._x[: self._size]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self._size]


class NormAxis(pg.AxisItem):
    """A log axis that writes only 1, 2 and 5 of each decade: pyqtgraph labels all nine of a
    decade, and over a decade or two they overlap into a smudge on a plot this short."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = super().tickStrings(values, scale, spacing)
        if not self.logMode:
            return strings
        kept = []
        for value, text in zip(values, strings, strict=True):
            mantissa = 10 ** (value - math.floor(value + 1e-9))
            kept.append(text if any(abs(mantissa - m) < 0.05 for m in (1, 2, 5)) else "")
        return kept


class GradientPlot(QWidget):
    """Follows the controller's runs by itself: a new model clears it, Continue appends, Reset clears."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.norms = NormBuffer()
        self.shares = Series()  # (epoch, clipped share in %)
        self.clip: float = 0.0  # θ of the run shown; 0: clipping off, no line
        self.batches = 0  # every batch received, merged or not
        self._session: object | None = None  # the model whose batches are shown
        self._last: EpochEnd | None = None
        self._stale = False

        self.plot = pg.PlotWidget(objectName="gradientPlot", axisItems={"left": NormAxis("left")})
        follow_language(self.plot)  # its right-click menu follows the window's language
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        item = self.plot.getPlotItem()
        self.curve = self.plot.plot([], [], pen=pg.mkPen(NORM_COLOUR + "b0", width=1), autoDownsampleFactor=1.0)
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.clip_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen(CLIP_COLOUR, width=1.5, style=Qt.PenStyle.DashLine),
            label="",
            # Under the line at the left: the line is often the top of the view, and the first
            # epochs' norms, falling, are seldom there.
            labelOpts={"position": 0.02, "color": CLIP_COLOUR, "anchors": [(0, 0), (0, 0)]},
        )
        self.clip_line.hide()
        # In the view's bounds: whether the norms are above or below θ is what the plot is for.
        self.plot.addItem(self.clip_line)
        # The clipped share on its own axis at the right, 0 to 100 %, in a view box laid over the plot's.
        self.share_view = pg.ViewBox(enableMouse=False)
        item.showAxis("right")
        item.scene().addItem(self.share_view)
        item.getAxis("right").linkToView(self.share_view)
        self.share_view.setXLink(item)
        self.share_view.setYRange(0, 100, padding=0.02)
        self.share_curve = pg.PlotDataItem(
            [], [], pen=pg.mkPen(SHARE_COLOUR, width=1.5), stepMode=None, autoDownsampleFactor=1.0
        )
        self.share_curve.setDownsampling(auto=True, method="peak")
        self.share_view.addItem(self.share_curve)
        item.getViewBox().sigResized.connect(self._fit_share_view)
        for side in ("left", "right"):
            item.getAxis(side).enableAutoSIPrefix(False)  # "0.05", not "50 (x0.001)"

        self.title = QLabel()
        # Asks for no width (elided): a long read-out once widened the window past 1024 px (issue 29, item 5).
        self.readout = ElidedLabel(objectName="gradientReadout")
        self.readout.setStyleSheet("color: palette(placeholder-text);")
        self.log_scale = QCheckBox(objectName="gradientLogScale", checked=True)
        self.log_scale.toggled.connect(self._set_log_scale)
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.readout, 1)
        bar.addWidget(self.log_scale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)

        self.plot.scene().sigPrepareForPaint.connect(self._update_curves)
        controller.events.on(EpochEnd, self.add_epoch)
        controller.state_changed.connect(self._on_state)
        self._set_log_scale(True)
        self.retranslate()
        theme.follow_plot(self.plot, self._restyle)

    def _restyle(self, colours: theme.Colours) -> None:
        """After the theme's common styling: the axes, labels and θ in their curves' colours, each made
        readable on the plot's background (the clip red is too dark to read on the dark theme's)."""
        right = self.plot.getPlotItem().getAxis("right")
        share = theme.legible(SHARE_COLOUR, colours.plot_background)
        right.setPen(pg.mkPen(share))
        right.setTextPen(pg.mkPen(share))
        self.clip_line.label.setColor(theme.legible(CLIP_COLOUR, colours.plot_background))
        self._axis_labels()

    def _axis_labels(self) -> None:
        background = theme.colours().plot_background
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("gradient norm"), color=theme.legible(NORM_COLOUR, background).name())
        share = theme.legible(SHARE_COLOUR, background).name()
        self.plot.setLabel("right", self.tr("batches clipped (%)"), color=share)

    # -- saying it ------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("<b>Gradient norm</b> of each batch, before clipping"))
        self.log_scale.setText(self.tr("Log scale"))
        self.log_scale.setToolTip(self.tr("Show the gradient norms on a logarithmic axis"))
        self._axis_labels()
        self.plot.setToolTip(
            self.tr(
                "Blue: each batch's gradient norm before clipping. Red: the clip threshold θ; a batch above it "
                "had its gradient scaled down to length θ. Orange: the share of each epoch's batches clipped."
            )
        )
        self._label_clip()
        self._show_readout()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _label_clip(self) -> None:
        text = self.tr("clip threshold θ = {theta}").format(theta=f"{self.clip:g}")
        self.clip_line.label.setFormat(text.replace("{", "{{").replace("}", "}}"))

    def _show_readout(self) -> None:
        event = self._last
        if event is None or not event.grad_norms:
            self.readout.setText(self.tr("no batches yet"))
            return
        clipped = round((event.clipped_share or 0.0) * len(event.grad_norms))
        self.readout.setText(
            self.tr("epoch {epoch}: {clipped} of {batches} batches clipped · median norm {median}").format(
                epoch=event.epoch,
                clipped=clipped,
                batches=len(event.grad_norms),
                median=f"{float(np.median(event.grad_norms)):.3g}",
            )
        )

    # -- the run's batches ----------------------------------------------------------------------

    @Slot(object)
    def add_epoch(self, event: EpochEnd) -> None:
        session = self.controller.session
        if session is not self._session:
            self.clear()  # a new model: the earlier one's batches would only crowd these
            self._session = session
        if session is not None:
            self._set_clip(float(session.train_config.clip))
        norms = np.asarray(event.grad_norms, dtype=float)
        if len(norms):
            n = len(norms)
            x = (event.epoch - 1) + np.arange(1, n + 1) / n
            self.norms.extend(x, np.maximum(norms, SMALLEST_NORM))
            self.batches += n
        if event.clipped_share is not None:
            self.shares.append(event.epoch, 100.0 * event.clipped_share)
        self._last = event
        self._show_readout()
        self._stale = True
        self.plot.viewport().update()  # only asks for a paint; _update_curves does the work

    def clear(self) -> None:
        self.norms = NormBuffer(limit=self.norms.limit)
        self.shares = Series()
        self.batches = 0
        self._last = None
        self._session = None
        self.curve.setData([], [])
        self.share_curve.setData([], [])
        self._show_readout()

    @Slot(object)
    def _on_state(self, state: RunState) -> None:
        if state is RunState.IDLE:  # Reset forgot the model
            self.clear()
            self._set_clip(0.0)

    def _set_clip(self, clip: float) -> None:
        if clip == self.clip and self.clip_line.isVisible() == (clip > 0):
            return
        self.clip = clip
        # θ = 0 turns clipping off, and inf never clips: neither is a line to draw.
        self.clip_line.setVisible(clip > 0 and math.isfinite(clip))
        self._place_clip()
        self._label_clip()

    def _place_clip(self) -> None:
        if self.clip > 0 and math.isfinite(self.clip):
            self.clip_line.setValue(math.log10(self.clip) if self.log_scale.isChecked() else self.clip)

    @Slot(bool)
    def _set_log_scale(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        self.plot.getPlotItem().getAxis("right").setLogMode(False, False)  # the share stays 0 to 100 %
        self._place_clip()
        self._stale = True
        self.plot.getViewBox().enableAutoRange()
        self.plot.viewport().update()

    @Slot()
    def _fit_share_view(self) -> None:
        self.share_view.setGeometry(self.plot.getPlotItem().getViewBox().sceneBoundingRect())

    @Slot()
    def _update_curves(self) -> None:
        if not self._stale:
            return
        self._stale = False
        self.curve.setData(self.norms.x, self.norms.y)
        self.share_curve.setData(self.shares.epochs, self.shares.values)
        self.plot.getViewBox().prepareForPaint()
