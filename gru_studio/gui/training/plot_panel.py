"""The live perplexity plot: the current run and the runs ticked in the Runs tab, values on hover.

Earlier runs of the window are in the run history, one tick away; "Keep earlier
runs" draws them too, dimmed, as before. Clear plot takes every curve away and
leaves the model alone (Reset is what forgets the model).

A long run costs no more to redraw than a short one. Each curve's points live
in numpy buffers that double when full, so an append is amortised O(1) and
touches nothing else; the curves receive their buffers (views, not copies)
once per repaint, and pyqtgraph then draws only the part in view, reduced to
each pixel column's highest and lowest value ('peak' downsampling, so no
spike disappears). docs/benchmarks.md has the figures for 100,000 epochs.

Two labelled horizontal lines say what a perplexity means for the text in
use (plot_references.py): the uniform guess (the vocabulary size) and the
unigram perplexity of the training text (the letter frequencies alone). A run
that stays near the unigram line gets a note above the plot, once.

Runs ticked in the runs table are overlaid, each in the colour the table
shows beside it. Smoothing (TensorBoard's debiased moving average,
engine/history/smoothing.py) draws each curve smoothed over its raw points, which stay
behind it, faint; a live curve is smoothed point by point as it grows. The x
axis is the epoch or the training time (pauses excluded).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.training.events import EpochEnd, EpochRecord
from gru_studio.gui.common.plot_menus import follow_language
from gru_studio.gui.training.plot_curves import EpochAxis, RunCurves, Series
from gru_studio.gui.training.plot_references import ReferenceMarks

__all__ = ["COLOURS", "OVERLAY_COLOURS", "PlotPanel", "RunCurves", "Series"]

COLOURS = ["#2e86de", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085"]
# Stored runs overlaid on the plot; none is the blue of a new window run.
OVERLAY_COLOURS = ["#d62728", "#9467bd", "#2ca02c", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"]
OVERLAY_COLOURS += ["#7f7f7f", "#1f3a93"]
KEEP_RUNS = 6  # older runs than this are dropped from the plot
FAINT = "40"  # the alpha of a raw curve behind its smoothed one
SMOOTHING_STEPS = 100  # the slider's steps from 0 to 0.99
PERPLEXITY_FLOOR = 1.0  # exp of a mean cross-entropy, which is never negative
# What an empty plot shows: from the floor to a little above a uniform guess over
# the book's 28 characters, which is where a fresh model's perplexity starts.
EMPTY_RANGE = (PERPLEXITY_FLOOR, 30.0)


class PlotPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = EpochAxis("bottom")
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": self.axis})
        follow_language(self.plot)  # its right-click menu follows the window's language
        self.plot.setObjectName("perplexityPlot")
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("perplexity"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMouseEnabled(x=True, y=True)
        # Top right, where falling curves leave room; a light background keeps it legible over a curve.
        self.legend = self.plot.addLegend(
            offset=(-10, 10), brush=pg.mkBrush("#ffffffc0"), pen=pg.mkPen("#dddddd"), labelTextColor="#333333"
        )
        self.log_scale = QCheckBox(self.tr("Log scale"), objectName="logScaleToggle")
        self.log_scale.setToolTip(self.tr("Show perplexity on a logarithmic axis"))
        self.log_scale.toggled.connect(self._set_log_scale)
        self.smoothing = QSlider(Qt.Orientation.Horizontal, objectName="smoothingSlider")
        self.smoothing.setRange(0, SMOOTHING_STEPS - 1)
        self.smoothing.setFixedWidth(90)
        self.smoothing.setToolTip(
            self.tr(
                "Smoothing: an exponential moving average of each curve, corrected for its start as "
                "TensorBoard does; the raw points stay behind it, faint"
            )
        )
        self.smoothing_value = QLabel("0", objectName="smoothingValue")
        self.smoothing_value.setMinimumWidth(self.smoothing_value.fontMetrics().horizontalAdvance("0.00") + 2)
        self.smoothing.valueChanged.connect(self._set_smoothing)
        self.x_axis = QComboBox(objectName="xAxisPicker")
        self.x_axis.addItem(self.tr("by epoch"), "epoch")
        self.x_axis.addItem(self.tr("by time"), "time")
        self.x_axis.setToolTip(self.tr("The x axis: the epoch, or the training time (pauses excluded)"))
        self.x_axis.currentIndexChanged.connect(self._set_x_axis)
        self.keep_earlier = QCheckBox(objectName="keepEarlierRuns")  # off: the plot shows what the user chose
        self.clear_button = QPushButton(objectName="clearPlot")
        self.clear_button.clicked.connect(self.clear_curves)
        self.hover = QLabel(objectName="plotHover")
        self.hover.setStyleSheet("color: palette(placeholder-text);")
        self.runs: list[RunCurves] = []
        self.overlays: dict[int, RunCurves] = {}  # stored runs, by id, in the order they were ticked
        self._run_count = 0  # runs ever begun, for numbering and colours
        self._weight = 0.0
        # Every drawn run's value under the mouse, in the plot: a line at the mouse's x and a box of values.
        self._cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#88888880", width=1))
        self._readout = pg.TextItem(
            anchor=(0, 0), color="#222222", fill=pg.mkBrush("#ffffffe8"), border=pg.mkPen("#bbbbbb")
        )
        for item in (self._cursor, self._readout):
            item.setZValue(100)
            item.hide()
            self.plot.addItem(item, ignoreBounds=True)
        self.marks = ReferenceMarks(self.plot, self._to_view)  # the uniform and unigram lines, and the note
        self.title = QLabel()
        # The title gives way first when the window is narrow: the controls beside it must stay whole.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.smoothing_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.hover)
        bar.addWidget(self.smoothing_label)
        bar.addWidget(self.smoothing)
        bar.addWidget(self.smoothing_value)
        bar.addWidget(self.x_axis)
        bar.addWidget(self.log_scale)
        bar.addWidget(self.keep_earlier)
        bar.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.marks.note)
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        # Every paint, grab() and export included, first hands new points to their curves.
        self.plot.scene().sigPrepareForPaint.connect(self._update_curves)
        self._set_log_scale(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("<b>Perplexity</b> (lower is better; 1 is perfect)"))
        self.smoothing_label.setText(self.tr("Smoothing"))
        self.log_scale.setText(self.tr("Log scale"))
        self.log_scale.setToolTip(self.tr("Show perplexity on a logarithmic axis"))
        self.smoothing.setToolTip(
            self.tr(
                "Smoothing: an exponential moving average of each curve, corrected for its start as "
                "TensorBoard does; the raw points stay behind it, faint"
            )
        )
        self.x_axis.setItemText(0, self.tr("by epoch"))
        self.x_axis.setItemText(1, self.tr("by time"))
        self.x_axis.setToolTip(self.tr("The x axis: the epoch, or the training time (pauses excluded)"))
        self.keep_earlier.setText(self.tr("Keep earlier runs"))
        self.keep_earlier.setToolTip(
            self.tr("Leave this window's earlier runs drawn, dimmed; otherwise tick them in the Runs tab to compare")
        )
        self.clear_button.setText(self.tr("Clear plot"))
        self.clear_button.setToolTip(self.tr("Take every curve off the plot; the model stays (Reset forgets it)"))
        self.plot.setLabel("bottom", self.tr("training time (s)") if self.by_time else self.tr("epoch"))
        self.plot.setLabel("left", self.tr("perplexity"))
        self.marks.retranslate()
        for run in self._all_runs():  # the legend, made in the language the runs began in
            self._name_in_legend(run)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- what a perplexity means: the reference lines (plot_references.py) ----------------------

    @Slot(object)
    def set_corpus(self, corpus: Corpus | None, val_fraction: float = 0.0) -> None:
        """Draw the lines of this text (the part trained on, without the validation tail); None hides them."""
        self.marks.set_corpus(corpus, val_fraction)

    @property
    def references(self) -> dict[str, float]:
        return self.marks.values

    @property
    def reference_lines(self) -> dict[str, pg.InfiniteLine]:
        return self.marks.lines

    @property
    def note(self) -> QLabel:
        return self.marks.note

    @property
    def note_shown(self) -> bool:
        return self.marks.note_shown

    # -- runs of this window ----------------------------------------------------------

    def begin_run(self, label: str | Callable[[], str]) -> None:
        """A new curve. The earlier runs leave the plot (they are in the run history, one tick away),
        or with "Keep earlier runs" stay, dimmed, the last KEEP_RUNS of them."""
        if not self.keep_earlier.isChecked():
            for run in self.runs:
                self._remove(run)
            self.runs.clear()
        for run in self.runs:
            self._set_pens(run, dim=True)
        if self.runs:
            self._name_epochs(self.runs[-1])
        while len(self.runs) >= KEEP_RUNS:
            self._remove(self.runs.pop(0))
        self._run_count += 1
        colour = COLOURS[(self._run_count - 1) % len(COLOURS)]
        run = self._new_curves(self._run_count, label, colour, stored=False)
        self.legend.addItem(run.train, run.name)
        self.runs.append(run)
        self.marks.begin_run()

    def add_epoch(self, event: EpochEnd) -> None:
        if not self.runs:
            self.begin_run("")
        run = self.runs[-1]
        if event.run_start_epoch != run.segment_start:
            # A run continued on this curve: its events count time from its own start.
            times = run.train_points.times
            run.segment_start = event.run_start_epoch
            run.time_offset = float(times[-1]) if len(times) and np.isfinite(times[-1]) else 0.0
        self.add_point(event.epoch, event.perplexity, event.val_perplexity, run.time_offset + event.elapsed_s)
        self.marks.watch(event.epoch, event.perplexity)
        self.marks.watch_validation(event.epoch, event.perplexity, event.val_perplexity)

    def add_point(
        self, epoch: int, perplexity: float, val_perplexity: float | None = None, elapsed_s: float | None = None
    ) -> None:
        if not self.runs:
            self.begin_run("")
        run = self.runs[-1]
        run.train_points.append(epoch, perplexity, elapsed_s)
        if val_perplexity is not None:
            if not len(run.val_points):
                self.legend.addItem(run.val, self.tr("run {0}: validation").format(run.number))
            run.val_points.append(epoch, val_perplexity, elapsed_s)
        # Only asks for a paint; Qt merges these requests, and _update_curves does the work.
        self.plot.viewport().update()

    @Slot(str)
    def relabel_current(self, label: str) -> None:
        """Name the current run anew (a sweep's run by the values it tries)."""
        if self.runs:
            run = self.runs[-1]
            run.label = label
            self._name_in_legend(run)

    def mark_recorded(self, run_id: int) -> None:
        """The current run is in the run store as #run_id: its legend name says so, to match the table."""
        if self.runs:
            run = self.runs[-1]
            run.store_id = run_id
            self._name_in_legend(run)

    def clear(self) -> None:
        for run in self.runs:
            self._remove(run)
        self.runs.clear()
        self.marks.end()
        self.hover.clear()
        self._hide_readout()
        if not self.overlays:
            self._show_empty_range()

    cleared = Signal()  # Clear plot: the Runs tab unticks what it had overlaid

    @Slot()
    def clear_curves(self) -> None:
        """Clear plot: every curve goes, the current run's too (its next epochs start a new one); the model stays."""
        for run_id in list(self.overlays):
            self.remove_overlay(run_id)
        self.clear()
        self.cleared.emit()

    @property
    def run_count(self) -> int:
        return self._run_count

    def point_count(self) -> int:
        return sum(len(run.train_points) for run in self.runs)

    # -- stored runs, overlaid ----------------------------------------------------------

    def add_overlay(self, run_id: int, label: str, colour: str, history: list[EpochRecord]) -> None:
        """Draw a stored run's curves (training and, dashed, validation) in `colour`, named in the legend."""
        self.remove_overlay(run_id)
        run = self._new_curves(run_id, label, colour, stored=True)
        epochs = np.array([r.epoch for r in history], dtype=float)
        times = np.array([np.nan if r.elapsed_s is None else r.elapsed_s for r in history], dtype=float)
        run.train_points.extend(epochs, np.array([r.perplexity for r in history], dtype=float), times)
        with_val = [i for i, r in enumerate(history) if r.val_perplexity is not None]
        val = np.array([history[i].val_perplexity for i in with_val], dtype=float)
        run.val_points.extend(epochs[with_val], val, times[with_val])
        for points in (run.train_points, run.val_points):
            points.smooth(self._weight)
        self.legend.addItem(run.train, run.name)
        self.overlays[run_id] = run
        self.plot.viewport().update()

    def remove_overlay(self, run_id: int) -> None:
        run = self.overlays.pop(run_id, None)
        if run is not None:
            self._remove(run)
            self._hide_readout()

    def curve_count(self) -> int:
        """Training curves drawn: this window's runs and the stored runs overlaid."""
        return len(self.runs) + len(self.overlays)

    # -- drawing -------------------------------------------------------------------------

    def _new_curves(self, number: int, label: str, colour: str, stored: bool) -> RunCurves:
        run = RunCurves(
            number,
            label,
            colour,
            train=self._curve(),
            val=self._curve(),
            train_raw=self._curve(),
            val_raw=self._curve(),
            stored=stored,
        )
        for points in (run.train_points, run.val_points):
            points.smooth(self._weight)
        self._set_pens(run, dim=False)
        return run

    def _set_pens(self, run: RunCurves, dim: bool) -> None:
        """Full colour, or dimmed for an earlier run; thinner for a stored run; the raw curves faint."""
        colour = run.colour + ("55" if dim else "")
        width = 1.5 if dim or run.stored else 2.5
        dash = pg.QtCore.Qt.DashLine
        run.train.setPen(pg.mkPen(colour, width=width))
        run.val.setPen(pg.mkPen(colour, width=1.5 if dim or run.stored else 2.0, style=dash))
        run.train_raw.setPen(pg.mkPen(run.colour + FAINT, width=1))
        run.val_raw.setPen(pg.mkPen(run.colour + FAINT, width=1, style=dash))
        for raw in (run.train_raw, run.val_raw):
            raw.setZValue(-1)  # behind every smoothed curve

    def _curve(self) -> pg.PlotDataItem:
        """An empty curve that stays cheap to draw however long the run grows.

        It draws only what is in view (which is all of it until the user zooms in),
        and at most one (highest, lowest) pair of points per pixel column: that pair
        is all a column can show, so no spike is lost. pyqtgraph's default of five
        pairs per column spent 4 ms of a 10 ms redraw at 100,000 epochs on the pen.
        """
        curve = self.plot.plot([], [], autoDownsampleFactor=1.0)
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        return curve

    def _remove(self, run: RunCurves) -> None:
        for item in run.items():
            self.plot.removeItem(item)
            self.legend.removeItem(item)

    def _name_epochs(self, run: RunCurves) -> None:
        """Add the epochs a finished run covered to its legend name: runs that differ
        only in their number of epochs would otherwise read alike apart from the number."""
        run.spanned = bool(len(run.epochs))
        self._name_in_legend(run)

    def _name_in_legend(self, run: RunCurves) -> None:
        """(Re)write a run's legend entries, in the language of the moment."""
        label = self.legend.getLabel(run.train)
        if label is None:
            return
        text = run.name
        if run.spanned and len(run.epochs):
            first, last = int(run.epochs[0]), int(run.epochs[-1])
            if first == last:
                span = self.tr("epoch {0}").format(first)
            else:
                span = self.tr("epochs {0} to {1}").format(first, last)
            text = f"{text} · {span}"
        label.setText(text)
        validation = self.legend.getLabel(run.val)
        if validation is not None and not run.stored:
            validation.setText(self.tr("run {0}: validation").format(run.number))

    def _all_runs(self) -> list[RunCurves]:
        return [*self.runs, *self.overlays.values()]

    @property
    def by_time(self) -> bool:
        return self.x_axis.currentData() == "time"

    def _xy(self, points: Series, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.by_time:
            return points.epochs, values
        known = np.isfinite(points.times)  # older files have no times: those points have no place here
        return (points.times, values) if known.all() else (points.times[known], values[known])

    @Slot()
    def _update_curves(self) -> None:
        """Give each curve its points if some arrived (or the view changed) since the last paint."""
        updated = False
        smoothing = self._weight > 0
        for run in self._all_runs():
            for points, curve, raw in run.curves():
                if points.stale:
                    curve.setData(*self._xy(points, points.smoothed))
                    if smoothing:
                        raw.setData(*self._xy(points, points.values))
                    elif raw.xData is not None and len(raw.xData):
                        raw.setData([], [])
                    points.stale = False
                    updated = True
        if updated:
            # The view box readied itself for this paint before the new points were set;
            # let it fit its range to them now, rather than one frame late.
            self.plot.getViewBox().prepareForPaint()

    def _restale(self) -> None:
        for run in self._all_runs():
            for points, _, _ in run.curves():
                points.stale = True
        self._hide_readout()
        self.plot.getViewBox().enableAutoRange()
        self.plot.viewport().update()

    @Slot(int)
    def _set_smoothing(self, step: int) -> None:
        self._weight = step / SMOOTHING_STEPS
        self.smoothing_value.setText(f"{self._weight:.2f}".rstrip("0").rstrip(".") if step else "0")
        for run in self._all_runs():
            for points, _, _ in run.curves():
                points.smooth(self._weight)
        self._restale()

    def set_smoothing(self, weight: float) -> None:
        self.smoothing.setValue(round(weight * SMOOTHING_STEPS))

    def view_state(self) -> dict[str, object]:
        """How the plot is looked at (smoothing, x axis, log scale), to remember between sessions."""
        return {"smoothing": self._weight, "x_axis": self.x_axis.currentData(), "log_scale": self.log_scale.isChecked()}

    def restore_view(self, state: object) -> None:
        """Take back a remembered view; anything odd in it (an edited settings file) is ignored."""
        if not isinstance(state, dict):
            return
        with contextlib.suppress(TypeError, ValueError):
            weight = float(state.get("smoothing", 0.0))
            self.set_smoothing(min(max(weight, 0.0), (SMOOTHING_STEPS - 1) / SMOOTHING_STEPS))
        index = self.x_axis.findData(str(state.get("x_axis", "epoch")))
        if index >= 0:
            self.x_axis.setCurrentIndex(index)
        self.log_scale.setChecked(str(state.get("log_scale", "")).lower() == "true")

    @Slot(int)
    def _set_x_axis(self, _: int) -> None:
        self.axis.whole = not self.by_time
        self.plot.setLabel("bottom", self.tr("training time (s)") if self.by_time else self.tr("epoch"))
        self._restale()

    @Slot(bool)
    def _set_log_scale(self, on: bool) -> None:
        self.plot.setLogMode(y=on)
        # The view's y coordinates are log10(perplexity) on a log axis.
        self.plot.getViewBox().setLimits(yMin=self._to_view(PERPLEXITY_FLOOR))
        self.marks.place()
        self._hide_readout()
        if not self.point_count() and not self.overlays:
            self._show_empty_range()

    def _to_view(self, perplexity: float) -> float:
        return float(np.log10(perplexity)) if self.log_scale.isChecked() else perplexity

    def _show_empty_range(self) -> None:
        view = self.plot.getViewBox()
        view.setYRange(*(self._to_view(p) for p in EMPTY_RANGE), padding=0)
        view.enableAutoRange()  # setYRange turned it off; the first points should take over

    # -- hovering ------------------------------------------------------------------------

    @Slot(QPointF)
    def _on_mouse_moved(self, position: QPointF) -> None:
        """Show the current run's point nearest to the mouse's x, and every drawn run's value there."""
        view = self.plot.getPlotItem().vb
        if not self.plot.sceneBoundingRect().contains(position) or not view.sceneBoundingRect().contains(position):
            self._hide_readout()
            return
        at = view.mapSceneToView(position)
        x = at.x()
        if self.runs and len(self.runs[-1].epochs):
            run = self.runs[-1]
            i = self._nearest(run.train_points, x)
            if i is not None:
                text = self.tr("epoch {0}: perplexity {1}").format(int(run.epochs[i]), f"{run.perplexity[i]:.3f}")
                if len(run.val_epochs):
                    j = int(np.argmin(np.abs(run.val_epochs - run.epochs[i])))
                    text += self.tr(", validation {0}").format(f"{run.val_perplexity[j]:.3f}")
                self.hover.setText(text)
        self._show_readout(x, at.y())

    def _nearest(self, points: Series, x: float) -> int | None:
        """The index of the point nearest to x on the current axis, or None."""
        xs = points.times if self.by_time else points.epochs
        if not len(xs) or not np.isfinite(xs).any():
            return None
        return int(np.nanargmin(np.abs(xs - x)))

    def _show_readout(self, x: float, y: float) -> None:
        """Every drawn run's value nearest to x, one line each, in its colour (only with stored runs shown)."""
        drawn = ([self.runs[-1]] if self.runs else []) + list(self.overlays.values())
        if not self.overlays:
            self._hide_readout()
            return
        lines = []
        for run in drawn:
            i = self._nearest(run.train_points, x)
            if i is None:
                continue
            epoch = int(run.train_points.epochs[i])
            value = run.train_points.smoothed[i]
            short = f"#{run.number}" if run.stored else self.tr("run {0}").format(run.number)
            where = self.tr("epoch {0}").format(epoch)
            lines.append(
                f'<span style="color:{run.colour}">■</span> {short}&nbsp;&nbsp;<b>{value:.3f}</b>'
                f'&nbsp;&nbsp;<span style="color:#777">{where}</span>'
            )
        if not lines:
            self._hide_readout()
            return
        self._readout.setHtml('<div style="font-size:9pt">' + "<br>".join(lines) + "</div>")
        (left, right), (bottom, top) = self.plot.getViewBox().viewRange()
        # At the mouse, as a tooltip, towards the middle of the plot so that it stays inside.
        self._readout.setAnchor((0 if x < (left + right) / 2 else 1, 0 if y > (bottom + top) / 2 else 1))
        self._readout.setPos(x, y)
        self._cursor.setPos(x)
        self._readout.show()
        self._cursor.show()

    def _hide_readout(self) -> None:
        self._readout.hide()
        self._cursor.hide()
