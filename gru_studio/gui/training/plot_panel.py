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

Runs ticked in the runs table are overlaid. Every drawn run has a colour of
its own, held in the window's RunColours (gui/common/run_colours.py), which
the Runs table's swatches read too; the legend sits beside the plot, one
entry a run, and hides or shows a run's curves when clicked (plot_legend.py).
The y axis fits the current and ticked runs' later epochs and leaves out a
run that diverged (plot_curves.robust_range), so one run at perplexity 470
does not flatten the others. Smoothing (TensorBoard's debiased moving average,
engine/history/smoothing.py) draws each curve smoothed over its raw points, which stay
behind it, faint; a live curve is smoothed point by point as it grows. The x
axis is the epoch or the training time (pauses excluded).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal, Slot
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
from gru_studio.gui.common import theme
from gru_studio.gui.common.plot_menus import follow_language
from gru_studio.gui.common.run_colours import LIGHT_PLOT, PALETTE, PlotStyle, RunColours
from gru_studio.gui.setup.settings_panel import short_label
from gru_studio.gui.training.plot_curves import (
    EpochAxis,
    FocusViewBox,
    RunCurves,
    Series,
    new_curve,
    robust_range,
    said,
    set_pens,
)
from gru_studio.gui.training.plot_hover import Readout, nearest
from gru_studio.gui.training.plot_legend import ElidedLabel, RunLegend
from gru_studio.gui.training.plot_references import ReferenceMarks

__all__ = ["OVERLAY_COLOURS", "PlotPanel", "RunCurves", "Series"]

# The palette under its old name, for a caller not yet on the window's RunColours (its colour is then
# only a suggestion: the plot draws each run in the colour its RunColours holds).
OVERLAY_COLOURS = list(PALETTE)

KEEP_RUNS = 6  # older runs than this are dropped from the plot
SMOOTHING_STEPS = 100  # the slider's steps from 0 to 0.99
PERPLEXITY_FLOOR = 1.0  # exp of a mean cross-entropy, which is never negative
# What an empty plot shows: from the floor to a little above a uniform guess over
# the book's 28 characters, which is where a fresh model's perplexity starts.
EMPTY_RANGE = (PERPLEXITY_FLOOR, 30.0)


class PlotPanel(QWidget):
    cleared = Signal()  # Clear plot: the Runs tab unticks what it had overlaid

    def __init__(self, parent: QWidget | None = None, colours: RunColours | None = None) -> None:
        super().__init__(parent)
        # The window's one assignment of colours to runs; the Runs tab shares it (its swatches).
        self.colours = colours if colours is not None else RunColours()
        self.axis = EpochAxis("bottom")
        self.view = FocusViewBox(self._focus_range)
        self.plot = pg.PlotWidget(viewBox=self.view, axisItems={"bottom": self.axis})
        follow_language(self.plot)  # its right-click menu follows the window's language
        self.plot.setObjectName("perplexityPlot")
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("perplexity"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setMouseEnabled(x=True, y=True)
        # Beside the plot, never over a curve: one entry a run, clicked to hide or show it.
        self.legend = RunLegend()
        self.legend.toggled.connect(self._show_run)
        self.log_scale = QCheckBox(self.tr("Log scale"), objectName="logScaleToggle")
        self.log_scale.toggled.connect(self._set_log_scale)
        self.smoothing = QSlider(Qt.Orientation.Horizontal, objectName="smoothingSlider")
        self.smoothing.setRange(0, SMOOTHING_STEPS - 1)
        self.smoothing.setFixedWidth(90)
        self.smoothing_value = QLabel("0", objectName="smoothingValue")
        self.smoothing_value.setMinimumWidth(self.smoothing_value.fontMetrics().horizontalAdvance("0.00") + 2)
        self.smoothing.valueChanged.connect(self._set_smoothing)
        self.x_axis = QComboBox(objectName="xAxisPicker")
        self.x_axis.addItem(self.tr("by epoch"), "epoch")
        self.x_axis.addItem(self.tr("by time"), "time")
        self.x_axis.currentIndexChanged.connect(self._set_x_axis)
        self.keep_earlier = QCheckBox(objectName="keepEarlierRuns")  # off: the plot shows what the user chose
        self.clear_button = QPushButton(objectName="clearPlot")
        self.clear_button.clicked.connect(self.clear_curves)
        # The current run's value under the mouse: asks for no width, so hovering never widens the window.
        self.hover = ElidedLabel(objectName="plotHover")
        self.hover.setStyleSheet("color: palette(placeholder-text);")
        self.runs: list[RunCurves] = []
        self.overlays: dict[int, RunCurves] = {}  # stored runs, by id, in the order they were ticked
        self._run_count = 0  # runs ever begun, for numbering
        self._weight = 0.0
        self.readout = Readout(self.plot)  # every drawn run's value under the mouse, in the plot
        self.marks = ReferenceMarks(self.plot, self._to_view)  # the uniform and unigram lines, and the note
        self.title = QLabel()
        # The title gives way when the window is narrow (the controls beside it must stay whole), and
        # keeps its width otherwise: the read-out beside it takes what is left.
        self.title.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(1)
        self.smoothing_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addWidget(self.hover, 1)
        bar.addWidget(self.smoothing_label)
        bar.addWidget(self.smoothing)
        bar.addWidget(self.smoothing_value)
        bar.addWidget(self.x_axis)
        bar.addWidget(self.log_scale)
        bar.addWidget(self.keep_earlier)
        bar.addWidget(self.clear_button)
        drawing = QHBoxLayout()
        drawing.setSpacing(2)
        drawing.addWidget(self.plot, 1)
        drawing.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.marks.note)
        layout.addLayout(drawing, 1)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.plot.viewport().installEventFilter(self)  # the read-out leaves with the mouse
        # Every paint, grab() and export included, first hands new points to their curves.
        self.plot.scene().sigPrepareForPaint.connect(self._update_curves)
        self.set_style(LIGHT_PLOT)
        self._set_log_scale(False)
        self.retranslate()
        theme.follow_plot(self.plot, self.follow_theme)  # restyled on every change of theme (View ▸ Theme)

    def follow_theme(self, c: theme.Colours) -> None:
        """The theme's ground, axes and read-out; the runs keep their colours."""
        dark = PlotStyle(c.plot_background, c.plot_text, c.legend_fill, c.plot_text, c.legend_border, c.placeholder)
        self.set_style(dark if c.is_dark else LIGHT_PLOT)

    def set_style(self, style: PlotStyle) -> None:
        """The plot's ground, axes and read-out in these colours (a theme's; the runs keep theirs)."""
        self.style = style
        self.plot.setBackground(style.background)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(style.foreground))
            axis.setTextPen(pg.mkPen(style.foreground))
        self.readout.set_style(style)

    def retranslate(self) -> None:
        # Short, so that it is read whole beside the controls at 1280 px; the rest is in its tooltip.
        self.title.setText(self.tr("<b>Perplexity</b> (lower is better)"))
        self.title.setToolTip(
            self.tr("Perplexity: lower is better; 1 is perfect (the model is sure of every next character)")
        )
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
        self._hide_readout()  # said again in the new language when the mouse moves
        for run in self._all_runs():  # the legend, in the language of the moment
            self._name_in_legend(run)
        self._show_key_note()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self._hide_readout()
        return super().eventFilter(watched, event)

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

    def begin_run(self, label: str | Callable[[], str], model: str = "") -> None:
        """A new curve, named in the legend by the model's short name (`model`: its kind) or else `label`;
        `label` in full is its entry's tooltip. The earlier runs leave the plot (they are in the run
        history, one tick away) unless ticked there, or with "Keep earlier runs" stay, dimmed, the last
        KEEP_RUNS of them."""
        for run in list(self.runs):
            if run.ticked:  # ticked in the Runs tab: drawn as a ticked run from now on
                self.runs.remove(run)
                run.stored, run.number = True, int(run.store_id or run.number)
                self.overlays[run.number] = run
                set_pens(run, dim=False)
                self._name_in_legend(run)
            elif not self.keep_earlier.isChecked():
                self.runs.remove(run)
                self._remove(run)
        for run in self.runs:
            set_pens(run, dim=True)
            self._name_in_legend(run)
        while len(self.runs) >= KEEP_RUNS:
            self._remove(self.runs.pop(0))
        self._run_count += 1
        key = ("window", self._run_count)
        run = self._new_curves(self._run_count, label, key, stored=False)
        if model:
            run.short = lambda: short_label(model)
        self.runs.append(run)
        self._name_in_legend(run)
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
            first = not len(run.val_points)
            run.val_points.append(epoch, val_perplexity, elapsed_s)
            if first:
                self._show_key_note()
        # Only asks for a paint; Qt merges these requests, and _update_curves does the work.
        self.plot.viewport().update()

    @Slot(str)
    def relabel_current(self, label: str) -> None:
        """Name the current run anew (a sweep's run by the values it tries): its legend entry's tooltip."""
        if self.runs:
            run = self.runs[-1]
            run.label = label
            self._name_in_legend(run)

    def mark_recorded(self, run_id: int) -> None:
        """The current run is in the run store as #run_id: its legend name says so, to match the table,
        and its colour is held under that id, which the Runs table asks for."""
        if self.runs:
            run = self.runs[-1]
            run.store_id = run_id
            self.colours.rekey(run.key, run_id)
            self.legend.rekey(run.key, run_id)
            run.key = run_id
            self._name_in_legend(run)

    def clear(self) -> None:
        for run in self.runs:
            self._remove(run)
        self.runs.clear()
        self.marks.end()
        self._hide_readout()
        if not self.overlays:
            self._show_empty_range()

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

    def add_overlay(self, run_id: int, label: str | Callable[[], str], colour: str, history: list[EpochRecord]) -> None:
        """Draw a stored run's curves (training and, dashed, validation), named "#id label" in the legend.

        Its colour is the one the window's RunColours holds for run_id (the Runs table took it when the
        row was ticked, and shows it); `colour` is what the table was given, the same when they share
        it. A run of this window that is still drawn (the current one, finished) is not drawn twice:
        it stays, and stays drawn when the next run begins."""
        window_run = next((run for run in self.runs if run.store_id == run_id), None)
        if window_run is not None:
            window_run.ticked = True
            return
        self.remove_overlay(run_id)
        run = self._new_curves(run_id, label, run_id, stored=True)
        epochs = np.array([r.epoch for r in history], dtype=float)
        times = np.array([np.nan if r.elapsed_s is None else r.elapsed_s for r in history], dtype=float)
        run.train_points.extend(epochs, np.array([r.perplexity for r in history], dtype=float), times)
        with_val = [i for i, r in enumerate(history) if r.val_perplexity is not None]
        val = np.array([history[i].val_perplexity for i in with_val], dtype=float)
        run.val_points.extend(epochs[with_val], val, times[with_val])
        for points in (run.train_points, run.val_points):
            points.smooth(self._weight)
        self.overlays[run_id] = run
        self._name_in_legend(run)
        self._show_key_note()
        self.plot.viewport().update()

    def remove_overlay(self, run_id: int) -> None:
        run = self.overlays.pop(run_id, None)
        if run is not None:
            self._remove(run)
            self._hide_readout()
            return
        window_run = next((run for run in self.runs if run.store_id == run_id and run.ticked), None)
        if window_run is not None:  # unticked: drawn still while it is the current run (or kept)
            window_run.ticked = False

    def curve_count(self) -> int:
        """Training curves drawn: this window's runs and the stored runs overlaid."""
        return len(self.runs) + len(self.overlays)

    def drawn_colours(self) -> dict[str, str]:
        """Each drawn run's legend name and colour."""
        return {run.name: run.colour for run in self._all_runs()}

    # -- drawing -------------------------------------------------------------------------

    def _new_curves(self, number: int, label: str | Callable[[], str], key: Hashable, stored: bool) -> RunCurves:
        run = RunCurves(
            number,
            label,
            self.colours.take(key),
            train=new_curve(self.plot),
            val=new_curve(self.plot),
            train_raw=new_curve(self.plot),
            val_raw=new_curve(self.plot),
            stored=stored,
            key=key,
        )
        for points in (run.train_points, run.val_points):
            points.smooth(self._weight)
        set_pens(run, dim=False)
        return run

    def _remove(self, run: RunCurves) -> None:
        for item in run.items():
            self.plot.removeItem(item)
        self.legend.remove(run.key)
        self.colours.release(run.key)
        self._show_key_note()

    def _name_in_legend(self, run: RunCurves) -> None:
        """(Re)write a run's legend entry, in the language of the moment: its short name, and all
        that is known of it in the tooltip."""
        details = [run.name]
        full = said(run.label)
        if full and full != said(run.short):
            details.append(full)
        if len(run.epochs) and (run.stored or run is not self._current()):
            first, last = int(run.epochs[0]), int(run.epochs[-1])
            span = self.tr("epoch {0}").format(first) if first == last else self.tr("epochs {0} to {1}")
            details.append(span.format(first, last))
        details.append(self.tr("Click to hide or show its curves."))
        self.legend.set_entry(run.key, run.name, "\n".join(details), run.colour, run.dim)

    def _show_key_note(self) -> None:
        dashed = any(len(run.val_points) for run in self._all_runs())
        self.legend.set_key_note(self.tr("dashed: validation") if dashed else "")

    @Slot(object, bool)
    def _show_run(self, key: Hashable, shown: bool) -> None:
        """The legend's box: hide or show a run's curves (and leave it out of the y range while hidden)."""
        run = next((run for run in self._all_runs() if run.key == key), None)
        if run is None:
            return
        run.shown = shown
        for item in run.items():
            item.setVisible(shown)
        self._hide_readout()
        self.view.enableAutoRange(axis=pg.ViewBox.YAxis)

    def _current(self) -> RunCurves | None:
        return self.runs[-1] if self.runs else None

    def _all_runs(self) -> list[RunCurves]:
        return [*self.runs, *self.overlays.values()]

    def _focus(self) -> list[RunCurves]:
        """The runs the user chose to look at, shown: the current one and the ticked ones (not the dimmed)."""
        chosen = [run for run in self.runs if run.ticked or run is self._current()]
        return [run for run in [*chosen, *self.overlays.values()] if run.shown]

    def _focus_range(self) -> tuple[float, float] | None:
        """The automatic y range, in the view's coordinates: robust_range of the runs in focus."""
        curves = [[points.values for points, _, _ in run.curves()] for run in self._focus()]
        found = robust_range(curves, self.marks.values.get("uniform"))
        if found is None:
            return None
        return self._to_view(max(found[0], PERPLEXITY_FLOOR)), self._to_view(max(found[1], PERPLEXITY_FLOOR))

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
        else:
            self.view.enableAutoRange(axis=pg.ViewBox.YAxis)

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
        run = self._current()
        if run is not None and run.shown and len(run.epochs):
            i = nearest(run.train_points, x, self.by_time)
            if i is not None:
                text = self.tr("epoch {0}: perplexity {1}").format(int(run.epochs[i]), f"{run.perplexity[i]:.3f}")
                if len(run.val_epochs):
                    j = int(np.argmin(np.abs(run.val_epochs - run.epochs[i])))
                    text += self.tr(", validation {0}").format(f"{run.val_perplexity[j]:.3f}")
                self.hover.setText(text)
                self.hover.setToolTip(text)
        drawn = [run for run in ([self._current()] if self.runs else []) + list(self.overlays.values()) if run.shown]
        self.readout.show(drawn, x, at.y(), self.by_time)

    def _hide_readout(self) -> None:
        self.readout.hide()
        self.hover.clear()
        self.hover.setToolTip("")
