"""Inside the GRU: what each hidden unit does, character by character, over a probe text.

The trace (the gates Z and R, the candidate H̃ and the state H at every step)
is computed by the engine on a job thread from a copy of the weights
(`Controller.trace`); this view only draws it. One trace runs at a time: a
request made meanwhile is remembered and run once the current one is back.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine import model_registry
from gru_studio.engine.analysis.clamp import Clamp
from gru_studio.engine.analysis.inside import SIGNAL_RANGE, Trace, not_traceable, rank_units
from gru_studio.engine.errors import GruStudioError
from gru_studio.gui.common import theme
from gru_studio.gui.common.forms import allow_narrow
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.inside.equations_panel import EquationsPanel
from gru_studio.gui.inside.follow import FollowsModel
from gru_studio.gui.inside.heat_strip import SIGNAL_LABELS, HeatStrip, colour_map, signal_label, visible
from gru_studio.gui.inside.pattern_search import PatternSearch
from gru_studio.gui.inside.saturation_plot import SaturationPlot
from gru_studio.gui.inside.what_if import WhatIfPanel
from gru_studio.gui.training.controller import Controller

# Marked for the catalogue here, translated where shown (InsideView.tr).
NO_MODEL = QT_TRANSLATE_NOOP("InsideView", "Train a model or open one first: there is nothing to look inside yet.")
HOVER_HINT = QT_TRANSLATE_NOOP(
    "InsideView",
    "Point at a column to see the character, the model's five likeliest next characters and the mean gates.",
)
EMPTY_PROBE = QT_TRANSLATE_NOOP("InsideView", "The probe text is empty: type a prefix, or pick a passage of the text.")
SOURCES = {
    "prefix": QT_TRANSLATE_NOOP("InsideView", "the prefix box's text"),
    "passage": QT_TRANSLATE_NOOP("InsideView", "a passage of the text"),
}
ORDERS = {
    "index": QT_TRANSLATE_NOOP("InsideView", "by unit number"),
    "variance": QT_TRANSLATE_NOOP("InsideView", "by variance"),
}
# How to read the strip, for the signal it shows (one line under it).
READING = {
    "z": QT_TRANSLATE_NOOP(
        "InsideView",
        "A row per unit, a column per character. A high Z (bright) means the unit keeps its old state "
        "at that character, its memory; a low Z (dark) means it takes the new candidate instead.",
    ),
    "r": QT_TRANSLATE_NOOP(
        "InsideView",
        "A row per unit, a column per character. A low R (dark) means the unit's candidate ignores the "
        "past at that character, as at a fresh start; a high R (bright) means it reads the old state in full.",
    ),
    "h_tilde": QT_TRANSLATE_NOOP(
        "InsideView",
        "A row per unit, a column per character: the candidate, the new value each unit would take if it "
        "kept nothing of its old state (red above zero, blue below).",
    ),
    "h": QT_TRANSLATE_NOOP(
        "InsideView",
        "A row per unit, a column per character: each unit's state after reading that character (red above "
        "zero, blue below). A row that keeps its colour over a stretch carries something along it.",
    ),
}
SIGNAL_TIPS = {
    "z": QT_TRANSLATE_NOOP(
        "InsideView", "The update gate: how much of its old state each unit keeps at each character (1: all of it)"
    ),
    "r": QT_TRANSLATE_NOOP(
        "InsideView", "The reset gate: how much of the old state the candidate may read (0: none, a fresh start)"
    ),
    "h_tilde": QT_TRANSLATE_NOOP(
        "InsideView", "The candidate state: the new value each unit proposes from the character and the past"
    ),
    "h": QT_TRANSLATE_NOOP(
        "InsideView", "The hidden state: what each unit holds after the character, a mix of old state and candidate"
    ),
}
TOP_UNITS = 10
SHADES = 64  # colours of the probe text: enough that neighbouring shades look alike


def colour_text(edit: QTextEdit, text: str, values: np.ndarray, signal: str) -> None:
    """Write `text` into `edit`, each character on the colour of its value (steps,) on the strip's scale.

    Values are binned into SHADES colours and each run of one colour is one
    insertion: 2,000 characters take about 10 ms this way, against about
    100 ms as HTML with a span per character.
    """
    low, high = SIGNAL_RANGE[signal]
    shade = np.clip(np.rint((values - low) / (high - low) * (SHADES - 1)), 0, SHADES - 1).astype(int)
    table = colour_map(signal).getLookupTable(0.0, 1.0, SHADES, alpha=False, mode="byte")  # (SHADES, 3)
    formats = []
    for red, green, blue in table.tolist():
        char_format = QTextCharFormat()
        char_format.setBackground(QColor(red, green, blue))
        # Black or white letters, whichever contrasts more (WCAG): readable on every shade, on either theme.
        char_format.setForeground(theme.text_on(QColor(red, green, blue)))
        formats.append(char_format)
    edit.clear()
    cursor = QTextCursor(edit.document())
    cursor.beginEditBlock()  # one layout at the end, not one per run
    cuts = [0, *(np.flatnonzero(np.diff(shade)) + 1).tolist(), len(text)]
    for start, end in itertools.pairwise(cuts):
        cursor.insertText(text[start:end], formats[shade[start]])
    cursor.endEditBlock()


class InsideView(FollowsModel):
    """The 'Inside' tab. `prefix()` gives the prefix box's text, the default probe."""

    traced = Signal()  # a trace is shown

    def __init__(self, controller: Controller, prefix: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insideView")
        self.controller = controller
        self._prefix = prefix
        self.trace: Trace | None = None
        self.unit = -1
        self._busy = False  # a trace is running
        self._again = False  # and another was asked for meanwhile
        self._stale = False  # the model changed while the view was hidden
        self._ticket = 0  # counts clear()s: a trace started before the last one is not shown
        # What the texts that depend on the state were made from, so that a change of
        # language writes them again: the red message, the hovered column, the ranking.
        self._said: LiveText = ""
        self._step = -1
        self._ranked: list[tuple[int, float]] = []
        # The finder's search runs in a process of its own (pattern_search.py); its last result is kept
        # with the text and pattern it was for, so that another signal or order ranks again without it.
        self.search = PatternSearch(self)
        self._searched: tuple[str, str] = ("", "")
        self._indicator: np.ndarray | None = None
        self._finder_said: LiveText = ""
        self._build()
        self._connect()
        self.retranslate()
        self.follow(controller)

    # -- widgets ----------------------------------------------------------------------

    def _build(self) -> None:
        self.source = QComboBox(objectName="insideSource")
        for key in SOURCES:
            self.source.addItem("", key)
        self.offset = QSpinBox(objectName="insideOffset", minimum=0, maximum=10_000_000, value=0)
        self.length = QSpinBox(objectName="insideLength", minimum=10, maximum=5000, value=200)
        self.refresh_button = QPushButton(objectName="insideRefresh")
        self.auto = QCheckBox(objectName="insideAuto")
        self.every = QSpinBox(objectName="insideEvery", minimum=1, maximum=1000, value=10)
        self.signal = QComboBox(objectName="insideSignal")
        for name in SIGNAL_LABELS:
            self.signal.addItem("", name)
        self.signal.setCurrentIndex(self.signal.findData("h"))
        self.order = QComboBox(objectName="insideOrder")
        for key in ORDERS:
            self.order.addItem("", key)
        self.layer = QComboBox(objectName="insideLayer")
        self.layer.addItem("")
        # The red message wraps (a model the view cannot trace says why at length); neither it nor the
        # one-line read-out ever widens the window: the read-out's full text is in its tooltip.
        self.message = QLabel(objectName="insideMessage", wordWrap=True)
        theme.mark_error(self.message)
        self.message.hide()
        self.readout = QLabel(objectName="insideReadout")
        for label in (self.message, self.readout):
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.strip = HeatStrip()
        self.saturation = SaturationPlot()
        self.pattern = QLineEdit(objectName="unitPattern")
        self.find = QPushButton(objectName="findUnits")
        self.units = QListWidget(objectName="unitList")
        self.unit_label = QLabel(objectName="unitLabel")
        self.unit_text = QTextEdit(objectName="unitText", readOnly=True)
        self.unit_text.setMaximumHeight(80)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.unit_text.setFont(font)
        self.units.setFont(font)  # the correlations line up
        self.equations = EquationsPanel()
        self.what_if = WhatIfPanel()
        self.clamps: tuple[Clamp, ...] = ()
        self.step = -1  # the character the equations show
        # The words between the controls, by what they say.
        self.words = {name: QLabel() for name in ("probe", "from", "length", "show", "rows", "finder")}

        for combo in (self.signal, self.order, self.source):
            allow_narrow(combo, 12)
        # Three short rows rather than two long ones: at 1024 pixels the tab is about 650 wide,
        # and a row wider than that gave the whole view a horizontal scroll bar.
        probe = QHBoxLayout()
        w = self.words
        for widget in (w["probe"], self.source, w["from"], self.offset, w["length"], self.length):
            probe.addWidget(widget)
        probe.addStretch(1)
        shown = QHBoxLayout()
        for widget in (w["show"], self.signal, w["rows"], self.order, self.layer):
            shown.addWidget(widget)
        shown.addStretch(1)
        when = QHBoxLayout()
        for widget in (self.refresh_button, self.auto, self.every):
            when.addWidget(widget)
        when.addStretch(1)
        finder = QHBoxLayout()
        finder.addWidget(self.pattern, 1)
        finder.addWidget(self.find)
        # Under each view, one line that says how to read it; they wrap rather than widen the window.
        self.finder_message = QLabel(objectName="finderMessage", wordWrap=True)
        theme.mark_error(self.finder_message)
        self.finder_message.hide()
        self.help = {
            name: QLabel(objectName=f"{name}Help", wordWrap=True) for name in ("strip", "saturation", "finder")
        }
        for label in self.help.values():
            label.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.strip, 1)
        left_layout.addWidget(self.help["strip"])
        gates = QWidget()
        gates_layout = QVBoxLayout(gates)
        gates_layout.setContentsMargins(0, 0, 0, 0)
        gates_layout.addWidget(self.saturation, 1)
        gates_layout.addWidget(self.help["saturation"])
        units = QWidget()
        units_layout = QVBoxLayout(units)
        units_layout.setContentsMargins(0, 0, 0, 0)
        units_layout.addWidget(w["finder"])
        units_layout.addLayout(finder)
        units_layout.addWidget(self.finder_message)
        units_layout.addWidget(self.units, 1)
        units_layout.addWidget(self.help["finder"])
        # The scatter above the finder, each with room enough for its axis labels and a few rows;
        # the user can move the line between them.
        side = QSplitter(Qt.Orientation.Vertical, objectName="insideSide", childrenCollapsible=False)
        side.addWidget(gates)
        side.addWidget(units)
        self.saturation.setMinimumHeight(180)  # both axis labels whole (at 120 the left one was cut)
        self.units.setMinimumHeight(60)
        side.setSizes([300, 220])
        body = self.body = QSplitter(Qt.Orientation.Horizontal, objectName="insideBody", childrenCollapsible=False)
        body.addWidget(left)
        body.addWidget(side)
        body.setStretchFactor(0, 1)
        body.setSizes([640, 320])  # the strip takes what the window gains
        body.setMinimumHeight(420)  # below that the view scrolls, rather than squeezing the plots illegible
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(probe)
        layout.addLayout(shown)
        layout.addLayout(when)
        layout.addWidget(self.message)
        layout.addWidget(self.readout)
        layout.addWidget(body, 1)
        # Under the strip: the unit's text, the chapter's equations with their numbers, and what if.
        unit_page = QWidget()
        unit_layout = QVBoxLayout(unit_page)
        unit_layout.addWidget(self.unit_label)
        unit_layout.addWidget(self.unit_text)
        self.pages = QTabWidget(objectName="insidePages")
        for page in (unit_page, self.equations, self.what_if):
            self.pages.addTab(page, "")
        layout.addWidget(self.pages)
        # On a small screen the view scrolls rather than making the whole window bigger than the screen.
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._on_source()

    def retranslate(self) -> None:
        for index in range(self.source.count()):
            self.source.setItemText(index, self.tr(SOURCES[self.source.itemData(index)]))
        self.source.setToolTip(self.tr("Trace the text in the Generate box, or a passage of the model's training text"))
        self.offset.setToolTip(self.tr("Where the passage starts, in characters from the start of the text"))
        self.length.setToolTip(self.tr("How many characters the passage has (at most 5,000)"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Trace the model over the probe text now"))
        self.auto.setText(self.tr("During training"))
        self.auto.setToolTip(self.tr("Trace again every few epochs while the model trains"))
        self.every.setPrefix(self.tr("every "))
        self.every.setSuffix(self.tr(" epochs"))
        for index in range(self.signal.count()):
            name = self.signal.itemData(index)
            self.signal.setItemText(index, signal_label(name))
            self.signal.setItemData(index, self.tr(SIGNAL_TIPS[name]), Qt.ItemDataRole.ToolTipRole)
        self.signal.setToolTip(
            self.tr(
                "Which of the four numbers the GRU computes at each character the strip colours: "
                "the update gate Z, the reset gate R, the candidate H̃ or the hidden state H"
            )
        )
        self.layer.setToolTip(
            self.tr(
                "Which stacked GRU layer to look inside, counted from 0 as the units are and as the command line "
                "counts them: layer 0 reads the characters, each next one the states of the one below"
            )
        )
        self.every.setToolTip(self.tr("How often the view traces again while the model trains"))
        self.help["saturation"].setText(
            self.tr(
                "Each point is a unit. Across: the share of characters at which its gate is nearly shut "
                "(below 0.1); up: the share at which it is nearly open (above 0.9). Z mostly open: the unit "
                "keeps its memory. R mostly shut: its candidate ignores the past."
            )
        )
        self.help["finder"].setText(
            self.tr(
                "r: how closely the unit's signal follows the pattern, from +1 (high exactly where the pattern "
                "matches) through 0 (unrelated) to -1 (low exactly there)."
            )
        )
        self._show_reading()
        self._show_finder_message()
        for index in range(self.order.count()):
            self.order.setItemText(index, self.tr(ORDERS[self.order.itemData(index)]))
        self.order.setToolTip(self.tr("Units in their own order, or the units that vary most over the text first"))
        self._name_layers()
        self.pattern.setPlaceholderText(self.tr(r"a pattern: [aeiou], \s\w (a word start), the"))
        self.pattern.setToolTip(self.tr("A regular expression over the probe text; press Enter to rank the units"))
        self.find.setText(self.tr("Find units"))
        self.units.setToolTip(
            self.tr(
                "The ten units whose signal follows the pattern best, by correlation r "
                "(+1: high exactly where the pattern matches); click one to colour the text by it"
            )
        )
        words = {
            "probe": self.tr("Probe:"),
            "from": self.tr("from character"),
            "length": self.tr("length"),
            "show": self.tr("Show"),
            "rows": self.tr("rows"),
            "finder": self.tr("Unit finder"),
        }
        for name, text in words.items():
            self.words[name].setText(text)
        for index, title in enumerate((self.tr("Unit"), self.tr("Equations"), self.tr("What if"))):
            self.pages.setTabText(index, title)
        self._show_message()
        self.show_step(self._step)
        self._show_unit_label()
        self._list_units()

    def _show_reading(self) -> None:
        """The line under the strip, for the signal it shows."""
        self.help["strip"].setText(self.tr(READING[self.signal.currentData()]))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _name_layers(self) -> None:
        # Counted from 0, as the units are and as `inspect --layer` and the engine's messages count them.
        for index in range(self.layer.count()):
            self.layer.setItemText(index, self.tr("layer {number}").format(number=index))

    def _connect(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.source.currentIndexChanged.connect(self._on_source)
        self.signal.currentIndexChanged.connect(self._redraw)
        self.signal.currentIndexChanged.connect(self._show_reading)
        self.order.currentIndexChanged.connect(self._redraw)
        self.layer.activated.connect(self.refresh)
        self.strip.hovered.connect(self.show_step)
        self.strip.unit_clicked.connect(self.select_unit)
        self.strip.step_clicked.connect(self.select_step)
        self.equations.step_requested.connect(self.select_step)
        self.what_if.clamp_changed.connect(self._on_clamps)
        self.what_if.generate_requested.connect(self._generate_clamped)
        self.saturation.unit_clicked.connect(self.select_unit)
        self.pattern.returnPressed.connect(self.find_units)
        self.find.clicked.connect(self.find_units)
        self.units.itemClicked.connect(self._on_unit_item)
        self.search.found.connect(self._on_found)
        self.search.timed_out.connect(self._on_search_timed_out)
        self.search.failed.connect(self._on_search_failed)

    # -- tracing ----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A trace is running."""
        return self._busy

    def probe_text(self) -> str:
        """The text to trace: the prefix box's, or a passage of the model's training text."""
        if self.source.currentData() == "prefix":
            return self._prefix()
        session = self.controller.session
        if session is None:
            return ""
        tokens = session.corpus.tokens
        start = self.offset.value()
        return session.corpus.vocab.decode(tokens[start : start + self.length.value()])

    @Slot()
    def refresh(self) -> None:
        """Trace the model over the probe text on a job thread; asked while one runs, it runs next."""
        if self._busy:
            self._again = True
            return
        self._stale = False
        session = self.controller.session
        reason = not_traceable(session.model_config.kind) if session is not None else None
        if reason is not None:  # an RNN or an LSTM: say so here, without a job that would only refuse
            self.clear()
            self.say(reason)
            return
        text = self.probe_text()
        if not text.strip():
            self.say(lambda: self.tr(EMPTY_PROBE))
            return
        layer = max(self.layer.currentIndex(), 0)
        ticket = self._ticket
        # Called on the GUI thread by the controller's job; the ticket drops a result that clear() made stale.
        on_result = lambda result: self._on_traced(result, ticket)  # noqa: E731
        on_error = lambda message: self._on_failed(message, ticket)  # noqa: E731
        if not self.controller.trace(text, layer, on_result, on_error, self.clamps):
            self.say(lambda: self.tr(NO_MODEL))
            return
        self._busy = True

    def _on_traced(self, result: tuple[Trace, int, float | None], ticket: int) -> None:
        try:
            if ticket == self._ticket:
                self.show_trace(*result)
        finally:  # the next request starts after this one's drawing, whatever happened to it
            self._finish_request()

    def _on_failed(self, message: str, ticket: int) -> None:
        if ticket == self._ticket:
            self.say(message)
        self._finish_request()

    def show_trace(self, trace: Trace, layers: int = 1, free_perplexity: float | None = None) -> None:
        """Draw a trace of a model with `layers` GRU layers: strip, saturation, the chosen unit, the finder's list."""
        if self.layer.count() != layers:
            chosen = min(self.layer.currentIndex(), layers - 1)
            self.layer.clear()
            self.layer.addItems([""] * layers)
            self._name_layers()
            self.layer.setCurrentIndex(chosen)
        self.layer.setEnabled(layers > 1)
        self.trace = trace
        self.say("")
        # As many columns as fit with a character under each; the rest is a drag away.
        columns = max(20, self.strip.fitting_columns())
        self.strip.show_trace(trace, self.signal.currentData(), self.order.currentData(), columns=columns)
        self.saturation.show_trace(trace)
        if self.unit >= trace.h.shape[1]:
            self.unit = -1
        self.select_unit(self.unit)
        if self.pattern.text():
            self.find_units()
        session = self.controller.session
        torch_form = session is not None and model_registry.spec(session.model_config.kind).torch_layer
        self.equations.show_trace(trace, pytorch_form=torch_form)
        self.select_step(min(self.step, trace.steps - 1) if self.step >= 0 else 0)
        self.what_if.show_perplexities(trace.perplexity, free_perplexity if trace.clamps else trace.perplexity)
        self.traced.emit()

    def _finish_request(self) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.refresh()

    def shows_something(self) -> bool:
        return self.trace is not None

    def clear(self) -> None:
        self._ticket += 1
        self.trace = None
        self.unit = -1
        self.strip.clear()
        self.saturation.clear()
        self._ranked = []
        self.search.cancel()
        self._indicator = None
        self._say_finder("")
        self.units.clear()
        self.unit_text.clear()
        self._show_unit_label()
        self.show_step(-1)

    # -- reading the trace ------------------------------------------------------------

    @Slot()
    def _on_source(self) -> None:
        passage = self.source.currentData() == "passage"
        self.offset.setEnabled(passage)
        self.length.setEnabled(passage)

    @Slot()
    def _redraw(self) -> None:
        if self.trace is None:
            return
        self.strip.set_view(self.signal.currentData(), self.order.currentData())
        self.select_unit(self.unit)
        if self.units.count():
            self.find_units()

    @Slot(int)
    def show_step(self, step: int) -> None:
        """The hover read-out for column `step` (-1: the mouse left the strip)."""
        trace = self.trace
        self._step = step
        if trace is None or not 0 <= step < len(trace.chars):
            self.readout.setText(self.tr(HOVER_HINT))
            self.readout.setToolTip(self.tr(HOVER_HINT))
            return
        likeliest = "  ".join(f"{visible(char)} {p:.2f}" for char, p in trace.top(step, 5))
        char, z, r = visible(trace.chars[step]), trace.z[step].mean(), trace.r[step].mean()
        text = self.tr("Character {number}: {char}   next: {likeliest}   mean Z {z}, mean R {r}").format(
            number=step + 1, char=char, likeliest=likeliest, z=f"{z:.2f}", r=f"{r:.2f}"
        )
        self.readout.setText(text)
        self.readout.setToolTip(text)

    @Slot(int)
    def select_step(self, step: int) -> None:
        """Show character `step` in the equations, with the strip's cursor on it (◀ ▶, ← →, a click, Play)."""
        self.step = step
        self.strip.select_step(step)
        self.equations.show_at(step, self.unit)
        self.show_step(step)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
        if event.key() in moves and self.trace is not None and not self.pattern.hasFocus():
            self.equations.step_by(moves[event.key()])
            return
        super().keyPressEvent(event)

    @Slot(object)
    def _on_clamps(self, clamps: tuple[Clamp, ...]) -> None:
        self.clamps = clamps
        self.refresh()

    @Slot(object)
    def _generate_clamped(self, clamps: tuple[Clamp, ...]) -> None:
        prefix = self.probe_text()
        if not prefix.strip() or not self.controller.generate_clamped(
            prefix, 80, clamps, self.what_if.show_written, self.say
        ):
            self.say(lambda: self.tr(NO_MODEL))

    @Slot(int)
    def select_unit(self, unit: int) -> None:
        """Colour the probe text by `unit`'s value at each character, as Karpathy's figures do."""
        self.unit = unit
        self.what_if.unit = unit
        self.equations.show_at(self.step, unit)
        self.strip.select_unit(unit)
        self.saturation.select_unit(unit)
        if self.trace is None or unit < 0:
            self.unit_text.clear()
            return
        signal = self.signal.currentData()
        colour_text(self.unit_text, "".join(self.trace.chars), self.trace.signal(signal)[:, unit], signal)
        self._show_unit_label()

    def _show_unit_label(self) -> None:
        if self.trace is None or self.unit < 0:
            self.unit_label.setText(self.tr("Click a row of the strip to colour the text by that unit."))
            return
        self.unit_label.setText(
            self.tr("Unit {unit}, {signal}: the text coloured by its value at each character").format(
                unit=self.unit, signal=signal_label(self.signal.currentData())
            )
        )

    @Slot()
    def find_units(self) -> None:
        """Rank every unit by how well its value follows 'this character matches the pattern'.

        The match runs in a process of its own with a time limit (pattern_search.py); a new search
        cancels the one running. The ranking comes when it is back (`_on_found`).
        """
        self._ranked = []
        self._list_units()
        if self.trace is None:
            self.search.cancel()
            self.say(lambda: self.tr(NO_MODEL))
            return
        text, pattern = "".join(self.trace.chars), self.pattern.text()
        if self._indicator is not None and self._searched == (text, pattern):
            self._rank(self._indicator)  # the same search: only the signal or the order changed
            return
        self._indicator = None
        self._searched = (text, pattern)
        try:
            self.search.search(text, pattern)
        except GruStudioError as exc:
            self._say_finder(exc)
            return
        self._say_finder(lambda: self.tr("Searching the probe text…"))

    @Slot(object)
    def _on_found(self, indicator: np.ndarray) -> None:
        if self.trace is None or len(indicator) != len(self.trace.chars):
            return
        self._indicator = indicator
        self._rank(indicator)

    def _rank(self, indicator: np.ndarray) -> None:
        assert self.trace is not None
        if not indicator.any():  # every unit would get r = 0: a list of them would only mislead
            self._say_finder(lambda: self.tr("The pattern matches nothing in the probe text."))
            return
        ranked = rank_units(self.trace.signal(self.signal.currentData()), indicator, top=TOP_UNITS)
        self._say_finder("")
        self._ranked = [(int(unit), float(r)) for unit, r in ranked]
        self._list_units()

    @Slot()
    def _on_search_timed_out(self) -> None:
        self._searched = ("", "")
        seconds = f"{self.search.time_limit_ms / 1000:g}"
        self._say_finder(
            lambda: self.tr(
                "Gave up after {seconds} s: this pattern backtracks too much over the probe text. "
                "Try a simpler one (no nested repeats such as (a+)+)."
            ).format(seconds=seconds)
        )

    @Slot(str)
    def _on_search_failed(self, reason: str) -> None:
        self._searched = ("", "")
        self._say_finder(lambda: self.tr("The search could not run: {reason}").format(reason=reason))

    def _say_finder(self, message: LiveText) -> None:
        """One line under the pattern field: what the finder is doing, or why it found nothing."""
        self._finder_said = message
        self._show_finder_message()

    def _show_finder_message(self) -> None:
        text = render(self._finder_said)
        self.finder_message.setText(text)
        self.finder_message.setVisible(bool(text))

    def _list_units(self) -> None:
        """The finder's list, from the ranking kept in `_ranked`."""
        self.units.clear()
        for unit, r in self._ranked:
            item = QListWidgetItem(self.tr("unit {unit}   r = {r}").format(unit=f"{unit:>4}", r=f"{r:+.2f}"))
            item.setData(Qt.ItemDataRole.UserRole, unit)
            self.units.addItem(item)

    @Slot(QListWidgetItem)
    def _on_unit_item(self, item: QListWidgetItem) -> None:
        self.select_unit(int(item.data(Qt.ItemDataRole.UserRole)))
