"""How far back: the chapter's argument for gates, drawn for the model on screen.

The influence triangle (how much each earlier state still moves each prediction),
the reach curve (the median of that influence over distance, log scale) of this
model and of recorded runs that saved theirs, and the probe text, whose earlier
characters take the colour of their attribution when the pointer is on a
prediction. The numbers are the engine's (engine/analysis/influence.py),
computed on a job thread from a copy of the weights, as the Inside view's trace.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.analysis.influence import FADED, Reach
from gru_studio.engine.history.summary import RunSummary
from gru_studio.gui.common import theme
from gru_studio.gui.common.forms import allow_narrow
from gru_studio.gui.common.live_text import LiveText
from gru_studio.gui.common.plot_menus import follow_language
from gru_studio.gui.inside.follow import FollowsModel
from gru_studio.gui.inside.reach_map import ReachMap
from gru_studio.gui.training.controller import Controller

HOW_TO_READ_SHORT = QT_TRANSLATE_NOOP(
    "ReachView", "Colour: how much each earlier state still moves each prediction. Point at a row to see why."
)
HOW_TO_READ = QT_TRANSLATE_NOOP(
    "ReachView",
    "Each row is one prediction, each column an earlier hidden state H_k: the colour is how much that state "
    "still moves the prediction (the gradient's size, log scale). A plain RNN fades within a few characters; "
    "a GRU's update gate lets the past through for longer. Point at a row or a character to colour the "
    "earlier characters by how much each drove that prediction (red: towards it, blue: against).",
)
NO_MODEL = QT_TRANSLATE_NOOP("ReachView", "Train a model or open one first: there is nothing to measure yet.")
TOWARD_PAST, AGAINST = "#ff3737", "#3737ff"  # the strongest tints: a positive and a negative attribution
CURVE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
MOST_COMPARED = len(CURVE_COLOURS) - 1


class ReachView(FollowsModel):
    measured = Signal()  # this model's reach is shown

    def __init__(self, controller: Controller, probe: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self._probe = controller, probe
        self.reach: Reach | None = None
        self._compared: dict[int, Reach] = {}  # run id -> its saved model's reach on the same probe
        self._names: dict[int, str] = {}
        self._busy = self._again = self._stale = False
        self._ticket = 0  # results of requests made before clear() are dropped
        self._said: LiveText = ""
        self.refresh_button = QPushButton(objectName="reachRefresh")
        self.auto = QCheckBox(objectName="reachAuto", checked=True)
        self.every = QSpinBox(objectName="reachEvery", minimum=1, maximum=10_000, value=20)
        self.runs = QComboBox(objectName="reachRuns")
        self.clear_button = QPushButton(objectName="reachClearCompared")
        self.message = QLabel(objectName="reachMessage", wordWrap=True)
        theme.mark_error(self.message)
        self.message.hide()
        self.help = QLabel(objectName="reachHelp")  # one line; the whole explanation is its tooltip
        self.help.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.map = ReachMap()
        self.curves = pg.PlotWidget(background="w", objectName="reachCurves")
        follow_language(self.curves)
        self.curves.getPlotItem().setLogMode(y=True)
        self.curves.getPlotItem().hideButtons()
        self.legend = self.curves.getPlotItem().addLegend(offset=(-10, 10))
        theme.follow_plot(self.curves)
        self.text = QTextEdit(objectName="reachText", readOnly=True)
        self.text.setMaximumHeight(70)
        self.text.setMouseTracking(True)
        self.text.viewport().setMouseTracking(True)
        self.text.viewport().installEventFilter(self)
        self._layout()
        self.refresh_button.clicked.connect(self.refresh)
        self.runs.activated.connect(self._compare_picked)
        self.clear_button.clicked.connect(self._clear_compared)
        self.map.hovered.connect(self.show_prediction)
        self.retranslate()
        self.follow(controller)

    def _layout(self) -> None:
        allow_narrow(self.runs)  # its run names may be long; the window must still fit a small screen
        bar, compare = QHBoxLayout(), QHBoxLayout()  # two rows, so that a small screen still takes the window
        for widget in (self.refresh_button, self.auto, self.every):
            bar.addWidget(widget)
        bar.addStretch(1)
        compare.addWidget(self.runs, 1)
        compare.addWidget(self.clear_button)
        for plot in (self.map, self.curves):
            plot.setMinimumSize(160, 120)  # their axes' own hints would keep the window wider than a small screen
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.map)
        split.addWidget(self.curves)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        # In a scroll area: at a small window size the view scrolls rather than push the window off the screen.
        content = QWidget()
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        QVBoxLayout(self).addWidget(scroll)
        self.layout().setContentsMargins(0, 0, 0, 0)
        content.setMinimumHeight(300)
        column = QVBoxLayout(content)
        column.addLayout(bar)
        column.addLayout(compare)
        column.addWidget(self.help)
        column.addWidget(self.message)
        column.addWidget(split, 1)
        column.addWidget(self.text)

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Measure"))
        self.refresh_button.setToolTip(self.tr("Measure how far back the model's predictions reach over the probe"))
        self.auto.setText(self.tr("during training, every"))
        self.every.setSuffix(self.tr(" epochs"))
        self.clear_button.setText(self.tr("Clear comparisons"))
        self.runs.setToolTip(self.tr("Draw the reach of a recorded run that saved its model, on the same probe"))
        self.help.setText(self.tr(HOW_TO_READ_SHORT) + " ⓘ")
        self.help.setToolTip(self.tr(HOW_TO_READ))
        item = self.curves.getPlotItem()
        item.setLabel("bottom", self.tr("characters back (distance d)"))
        item.setLabel("left", self.tr("median influence at d / at 0"))
        item.setTitle(self.tr("How far back a prediction listens"))
        self._list_runs(self._runs_listed)
        self._draw_curves()
        self._show_message()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- measuring -------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Measure the current model over the probe on a job thread; asked while one runs, it runs next."""
        if self._busy:
            self._again = True
            return
        self._stale = False
        text = self._probe()
        ticket = self._ticket
        on_result = lambda result: self._on_measured(result, ticket)  # noqa: E731  (called on the GUI thread)
        on_error = lambda message: self._on_failed(message, ticket)  # noqa: E731
        if not text.strip() or not self.controller.reach(text, on_result, on_error):
            self.say(lambda: self.tr(NO_MODEL))
            return
        self._busy = True
        self.controller.list_runs(self._list_runs, lambda _: None)

    def _on_measured(self, reach: Reach, ticket: int) -> None:
        try:
            if ticket == self._ticket:
                self.show_reach(reach)
        finally:
            self._finish()

    def _on_failed(self, message: object, ticket: int) -> None:
        if ticket == self._ticket:
            self.say(message)  # type: ignore[arg-type]
        self._finish()

    def _finish(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    def show_reach(self, reach: Reach) -> None:
        self.reach = reach
        self.say("")
        self.map.show_reach(reach)
        self.text.setPlainText(reach.text)
        self._draw_curves()
        self.measured.emit()

    def shows_something(self) -> bool:
        return self.reach is not None

    def wants_first_look(self) -> bool:
        return self.reach is None and self.controller.has_model

    def clear(self) -> None:
        self._ticket += 1
        self.reach = None
        self.map.clear()
        self.text.clear()
        self._draw_curves()

    # -- comparing with recorded runs -------------------------------------------------------

    def _list_runs(self, result: object) -> None:
        runs = result[0] if isinstance(result, tuple) else []
        self._runs_listed = result
        self.runs.clear()
        self.runs.addItem(self.tr("Compare with a recorded run…"), None)
        for run in runs:
            if run.checkpoint:
                self.runs.addItem(f"#{run.id} {run.name or run.model}", run)

    _runs_listed: object = None

    @Slot(int)
    def _compare_picked(self, index: int) -> None:
        run: RunSummary | None = self.runs.itemData(index)
        self.runs.setCurrentIndex(0)
        if run is None or run.checkpoint is None or run.id in self._compared or self.reach is None:
            return
        if len(self._compared) >= MOST_COMPARED:
            self.say(lambda: self.tr("At most {0} runs at a time: clear the comparisons first.").format(MOST_COMPARED))
            return
        self.compare_with(run.checkpoint, f"#{run.id} {run.name or run.model}", run.id)

    def compare_with(self, path: str, name: str, key: int | None = None) -> bool:
        """Draw the reach of the model saved in `path` over this model's probe, named `name` in the legend."""
        if self.reach is None:
            return False
        key = key if key is not None else -1 - len(self._compared)  # a file that is no recorded run

        def measured(result: Reach) -> None:
            self._compared[key] = result
            self._names[key] = name
            self._draw_curves()

        return self.controller.reach_of_file(path, self.reach.text, measured, self.say)

    @Slot()
    def _clear_compared(self) -> None:
        self._compared.clear()
        self._draw_curves()

    def _draw_curves(self) -> None:
        item = self.curves.getPlotItem()
        item.clear()
        self.legend.clear()
        shown = [(self.tr("this model"), self.reach)] if self.reach is not None else []
        shown += [(self._names[run_id], reach) for run_id, reach in self._compared.items()]
        for (name, reach), colour in zip(shown, CURVE_COLOURS, strict=False):
            assert reach is not None
            ratios = np.clip(reach.reach, 1e-12, None)  # log scale: a ratio of exactly 0 has no place on it
            # No half-life: most predictions still listen at the probe's first character, so say that.
            half = (
                self.tr("half-life {0}").format(f"{reach.half_life:g}")
                if reach.half_life is not None
                else self.tr("reaches past the probe's start")
            )
            item.plot(np.arange(len(ratios)), ratios, pen=pg.mkPen(colour, width=2), name=f"{name} ({half})")
        if shown:
            item.addItem(
                pg.InfiniteLine(pos=np.log10(FADED), angle=0, pen=pg.mkPen("#999999", style=Qt.PenStyle.DashLine))
            )

    # -- reading it ---------------------------------------------------------------------------

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if watched is self.text.viewport() and event.type() == QEvent.Type.MouseMove and self.reach is not None:
            position = self.text.cursorForPosition(event.position().toPoint()).position()
            self.show_prediction(position - 1 if position > 0 else -1)  # the character before the cursor
        return super().eventFilter(watched, event)

    @Slot(int)
    def show_prediction(self, t: int) -> None:
        """Colour the characters up to t by their attribution for prediction t and mark its row; -1 clears."""
        self.map.highlight(t)
        reach = self.reach
        if reach is None:
            return
        cursor = QTextCursor(self.text.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        if not 0 <= t < reach.attribution.shape[0]:
            return
        row = reach.attribution[t, : t + 1]
        scale = float(np.abs(row).max()) or 1.0
        base = theme.colours().base  # tints grow from the text's own background, light or dark
        for k, value in enumerate(row):
            colour = theme.blend(base, TOWARD_PAST if value > 0 else AGAINST, min(abs(value) / scale, 1.0))
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            fmt.setForeground(theme.text_on(colour))  # readable on every tint, on either theme
            cursor.setPosition(k)
            cursor.setPosition(k + 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)
        fmt = QTextCharFormat()
        fmt.setFontUnderline(True)  # the prediction's own position: the next character is what it predicts
        cursor.setPosition(t)
        cursor.setPosition(t + 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
