# ruff: noqa: RUF001, RUF002  (the chapter's typography on purpose: sigma, the Hadamard dot, the minus sign)
"""The chapter's four equations with the numbers of one character and one unit, and a way to step through.

For the book's GRU the equations are written as the chapter writes them; for
nn.GRU in PyTorch's own form (the reset gate after the product), with one line
on how the two differ. Each line fills in the input term, the recurrent term,
the bias, their sum and what the gate (or candidate) makes of it, from the
trace's `terms` (engine/analysis/inside.py); the last line blends Z·H_{t−1} and
(1 − Z)·H̃. ◀ ▶ (and ← → in the Inside view) move one character; Play steps on
its own, at the speed set.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from gru_studio.engine.analysis.inside import Trace
from gru_studio.gui.inside.heat_strip import visible

BAR = 24  # characters of the widest top-5 bar
# Each form: (left side, the right side written out, the squashing function, the trace's signal) per line,
# and the blend. The book's, and nn.GRU's own (the reset gate after the product).
BOOK_FORM = {
    "lines": (
        ("R<sub>t</sub>", "X<sub>t</sub>W<sub>xr</sub> + H<sub>t−1</sub>W<sub>hr</sub> + b<sub>r</sub>", "σ", "r"),
        ("Z<sub>t</sub>", "X<sub>t</sub>W<sub>xz</sub> + H<sub>t−1</sub>W<sub>hz</sub> + b<sub>z</sub>", "σ", "z"),
        (
            "H̃<sub>t</sub>",
            "X<sub>t</sub>W<sub>xh</sub> + (R<sub>t</sub> ⊙ H<sub>t−1</sub>)W<sub>hh</sub> + b<sub>h</sub>",
            "tanh",
            "h_tilde",
        ),
    ),
    "blend": "H<sub>t</sub> = Z<sub>t</sub> ⊙ H<sub>t−1</sub> + (1 − Z<sub>t</sub>) ⊙ H̃<sub>t</sub>",
}
PYTORCH_FORM = {
    "lines": (
        (
            "r<sub>t</sub>",
            "W<sub>ir</sub>x<sub>t</sub> + W<sub>hr</sub>h<sub>t−1</sub> + b<sub>ir</sub> + b<sub>hr</sub>",
            "σ",
            "r",
        ),
        (
            "z<sub>t</sub>",
            "W<sub>iz</sub>x<sub>t</sub> + W<sub>hz</sub>h<sub>t−1</sub> + b<sub>iz</sub> + b<sub>hz</sub>",
            "σ",
            "z",
        ),
        (
            "n<sub>t</sub>",
            "W<sub>in</sub>x<sub>t</sub> + r<sub>t</sub> ⊙ (W<sub>hn</sub>h<sub>t−1</sub> + b<sub>hn</sub>)"
            " + b<sub>in</sub>",
            "tanh",
            "h_tilde",
        ),
    ),
    "blend": "h<sub>t</sub> = z<sub>t</sub> ⊙ h<sub>t−1</sub> + (1 − z<sub>t</sub>) ⊙ n<sub>t</sub>",
}
BOOK_NOTE = QT_TRANSLATE_NOOP(
    "EquationsPanel", "The chapter's equations, with this character's and this unit's numbers."
)
NN_GRU_NOTE = QT_TRANSLATE_NOOP(
    "EquationsPanel",
    "nn.GRU applies the reset gate after the product with W_hn, the book before it: a different "
    "model (see the README, “nn.GRU is not the book's GRU”).",
)


def number(value: float) -> str:
    return f"{value:+.3f}".replace("-", "−")


class EquationsPanel(QWidget):
    step_requested = Signal(int)  # a character to show, asked by ◀ ▶ or Play

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("equationsPanel")
        self.trace: Trace | None = None
        self.step, self.unit = -1, 0
        self.pytorch_form = False  # nn.GRU: the reset gate after the product
        self.equations = QLabel(objectName="equations", textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.equations.setOpenExternalLinks(True)
        self.equations.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.top5 = QLabel(objectName="equationsTop5", textFormat=Qt.TextFormat.RichText)
        self.back = QPushButton("◀", objectName="stepBack")
        self.forward = QPushButton("▶", objectName="stepForward")
        self.play = QPushButton(objectName="stepPlay", checkable=True)
        self.speed = QSpinBox(objectName="stepSpeed", minimum=1, maximum=60, value=4)
        self.timer = QTimer(self)
        self.back.clicked.connect(lambda: self.step_by(-1))
        self.forward.clicked.connect(lambda: self.step_by(1))
        self.play.toggled.connect(self._on_play)
        self.speed.valueChanged.connect(lambda _: self._on_play(self.play.isChecked()))
        self.timer.timeout.connect(self._tick)
        row = QHBoxLayout()
        for widget in (self.back, self.forward, self.play, self.speed):
            row.addWidget(widget)
        row.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.equations, 3)
        body.addWidget(self.top5, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addLayout(body)
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setToolTip(self.tr("The character before (←)"))
        self.forward.setToolTip(self.tr("The next character (→)"))
        self.play.setText(self.tr("Pause") if self.play.isChecked() else self.tr("Play"))
        self.play.setToolTip(self.tr("Step through the text on its own"))
        self.speed.setSuffix(self.tr(" characters/s"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- what is shown ---------------------------------------------------------------

    def show_trace(self, trace: Trace | None, pytorch_form: bool = False) -> None:
        self.trace, self.pytorch_form = trace, pytorch_form
        if trace is not None and self.step >= trace.steps:
            self.step = trace.steps - 1
        self._render()

    def show_at(self, step: int, unit: int) -> None:
        self.step, self.unit = step, max(unit, 0)
        self._render()

    def step_by(self, delta: int) -> None:
        if self.trace is None:
            return
        self.step_requested.emit(min(max(self.step + delta, 0), self.trace.steps - 1))

    @Slot(bool)
    def _on_play(self, playing: bool) -> None:
        self.play.setText(self.tr("Pause") if playing else self.tr("Play"))
        if playing:
            self.timer.start(int(1000 / self.speed.value()))
        else:
            self.timer.stop()

    @Slot()
    def _tick(self) -> None:
        if self.trace is None or self.step >= self.trace.steps - 1:
            self.play.setChecked(False)  # the end of the text
            return
        self.step_by(1)

    def _render(self) -> None:
        trace, t, j = self.trace, self.step, self.unit
        if trace is None or not 0 <= t < trace.steps or j >= trace.hidden or not trace.terms:
            self.equations.setText(
                self.tr(
                    "Click a column of the strip (a character) and a row (a unit) to see the "
                    "equations with their numbers."
                )
            )
            self.top5.clear()
            return
        self.equations.setText(self._equations(trace, t, j))
        self.top5.setText(self._top5(trace, t))

    def _line(self, trace: Trace, t: int, j: int, lhs: str, form: str, squash: str, name: str) -> str:
        parts, value = trace.terms[name], float(trace.signal(name)[t, j])
        a, b, c = float(parts["input"][t, j]), float(parts["recurrent"][t, j]), float(parts["bias"][j])
        return (
            f"<tr><td>{lhs}</td><td>= {squash}({form})</td>"
            f"<td>= {squash}({number(a)} {number(b)} {number(c)}) = {squash}({number(a + b + c)})</td>"
            f"<td>= <b>{value:.3f}</b></td></tr>"
        )

    def _equations(self, trace: Trace, t: int, j: int) -> str:
        z, h_tilde, h = (float(trace.signal(name)[t, j]) for name in ("z", "h_tilde", "h"))
        h_prev = float(trace.h[t - 1, j]) if t > 0 else float(trace.h0[j])
        form = PYTORCH_FORM if self.pytorch_form else BOOK_FORM
        lines = [self._line(trace, t, j, *line) for line in form["lines"]]
        note = self.tr(NN_GRU_NOTE) if self.pytorch_form else self.tr(BOOK_NOTE)
        kept, written = z * h_prev, (1 - z) * h_tilde
        lines.append(
            f"<tr><td colspan=2>{form['blend']}</td><td>= {z:.3f}·{number(h_prev)} + {1 - z:.3f}·{number(h_tilde)}"
            f" = {number(kept)} {number(written)}</td><td>= <b>{h:.3f}</b></td></tr>"
        )
        clamped = ", ".join(f"{c.gate.upper()} = {c.value:g}" for c in trace.clamps if c.covers(t))
        heading = self.tr("Character {number} “{char}”, unit {unit}").format(
            number=t + 1, char=html.escape(visible(trace.chars[t])), unit=j
        )
        if clamped:
            heading += " — " + self.tr("held: {0}").format(clamped)
        return f"<p><b>{heading}</b><br>{html.escape(note)}</p><table cellspacing=4>{''.join(lines)}</table>"

    def _top5(self, trace: Trace, t: int) -> str:
        rows = []
        for char, p in trace.top(t, 5):
            rows.append(f"<tt>{html.escape(visible(char))} {'█' * max(1, round(BAR * p))} {p:.2f}</tt>")
        return self.tr("Next:") + "<br>" + "<br>".join(rows)
