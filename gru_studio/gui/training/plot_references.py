"""What a perplexity means, drawn on the perplexity plot: the uniform and unigram lines of the text in use
(engine/analysis/reference_lines.py), and a note above the plot while a run sits on the unigram line.

Where the lines are is the text's; what they and the note say is the language's, set again by
retranslate(). Their words stay in the catalogue's PlotPanel context, the plot they belong to.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from gru_studio.engine.analysis.reference_lines import (
    STUCK_EPOCHS,
    STUCK_TOLERANCE,
    OverfitDetector,
    StuckDetector,
    uniform_perplexity,
    unigram_perplexity,
)
from gru_studio.engine.text.corpus import Corpus

COLOURS = {"uniform": "#7f8c8d", "unigram": "#b9770e"}
# Where each line's label sits along it (0: the left edge, 1: the right) and on which side.
# A fresh run starts just under the uniform line and falls through the unigram one: the
# uniform label goes under its line near the left, where the curve has already dropped away
# and the legend (top right) is not; the unigram label above its line, right of the middle,
# where the curve has usually gone below it.
LABEL_PLACES = {"uniform": (0.02, (0, 0)), "unigram": (0.6, (0, 1))}


class ReferenceMarks:
    """The two lines on `plot` and the note; `to_view` maps a perplexity to the plot's y (log10 on a log axis)."""

    def __init__(self, plot: pg.PlotWidget, to_view: Callable[[float], float]) -> None:
        self.plot, self.to_view = plot, to_view
        self.values: dict[str, float] = {}  # "uniform", "unigram" -> perplexity; empty without a text
        self.lines = {name: self._line(name, colour) for name, colour in COLOURS.items()}
        self._stuck: StuckDetector | None = None  # of the current run, against the unigram line
        self._overfit: OverfitDetector | None = None  # of the current run: validation climbing, training falling
        self._overfit_seen: tuple[float, float, int] | None = None
        self._stuck_since = 0  # the first epoch of the run's stay near the unigram line
        self.note = QLabel(objectName="plotNote", wordWrap=True)
        self.note.setStyleSheet("background: #fdf2d0; color: #5d4300; border: 1px solid #e8cf80; padding: 3px 6px;")
        self.note.hide()

    def _line(self, name: str, colour: str) -> pg.InfiniteLine:
        position, anchor = LABEL_PLACES[name]
        line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pg.mkPen(colour, width=1.2, style=Qt.PenStyle.DashDotLine),
            label="",
            labelOpts={"position": position, "color": colour, "anchors": [anchor, anchor]},
        )
        line.setZValue(-5)  # behind every curve
        line.hide()
        # In the view's bounds: a run is read against the lines, so they stay in view (a fresh
        # run starts just under the uniform one); on a log axis a run near 1 still reads well.
        self.plot.addItem(line)
        return line

    def set_corpus(self, corpus: Corpus | None, val_fraction: float = 0.0) -> None:
        """Draw the lines of this text (the part trained on, without the validation tail); None hides them."""
        self.values = {}
        if corpus is not None and len(corpus.tokens):
            train, _ = corpus.split(val_fraction)
            vocab_size = len(corpus.vocab)
            self.values = {
                "uniform": uniform_perplexity(vocab_size),
                "unigram": unigram_perplexity(train if len(train) else corpus.tokens, vocab_size),
            }
        for name, line in self.lines.items():
            line.setVisible(name in self.values)
        self.place()
        self.retranslate()

    def place(self) -> None:
        """Put the lines where their perplexities are on the plot's present y axis."""
        for name, value in self.values.items():
            self.lines[name].setValue(self.to_view(value))

    def retranslate(self) -> None:
        texts = {
            "uniform": QCoreApplication.translate("PlotPanel", "uniform guess: {value} (the vocabulary size)"),
            "unigram": QCoreApplication.translate("PlotPanel", "unigram: {value} (letter frequencies only)"),
        }
        for name, value in self.values.items():
            shown = f"{value:.0f}" if name == "uniform" else f"{value:.1f}"
            # The label formats its text again with the line's value: braces must reach it doubled.
            text = texts[name].format(value=shown).replace("{", "{{").replace("}", "}}")
            self.lines[name].label.setFormat(text)
        self._show_note()

    # -- the note ------------------------------------------------------------------------------

    def begin_run(self) -> None:
        unigram = self.values.get("unigram")
        self._stuck = StuckDetector(unigram, STUCK_TOLERANCE, STUCK_EPOCHS) if unigram else None
        self._overfit = OverfitDetector()
        self._overfit_seen = None  # (best, now, epoch of the best): said once
        self._show_note()

    def end(self) -> None:
        self._stuck = None
        self._overfit, self._overfit_seen = None, None
        self._show_note()

    def watch_validation(self, epoch: int, perplexity: float, val_perplexity: float | None) -> None:
        """Say once per run, and leave said, when validation perplexity climbs while training falls."""
        if self._overfit is None or self._overfit_seen is not None:
            return
        if self._overfit.add(epoch, perplexity, val_perplexity):
            self._overfit_seen = (self._overfit.best, float(val_perplexity or 0.0), self._overfit.best_epoch)
            self._show_note()

    def watch(self, epoch: int, perplexity: float) -> None:
        """Show the note once per run when it stays near the unigram line; take it away when the run leaves.

        A run often crosses the line slowly: the book's own GRU sits near it for
        epochs 4 to 14 before it learns more than the letter frequencies. So the
        note says "so far", and goes as soon as the curve leaves the line, rather
        than giving advice that the next epochs prove wrong.
        """
        if self._stuck is None:
            return
        was_stuck = self._stuck.stuck
        if self._stuck.add(perplexity) and not was_stuck:
            self._stuck_since = epoch - self._stuck.run_length + 1
        elif was_stuck and not self._stuck.stuck:
            self._stuck = None  # told once: this run gets no second note
        self._show_note()

    def _show_note(self) -> None:
        stuck = self._stuck is not None and self._stuck.stuck
        seen = self._overfit_seen
        if seen is not None and not stuck:
            best, now, epoch = seen
            self.note.setText(
                QCoreApplication.translate(
                    "PlotPanel",
                    "Validation perplexity has risen from {best} (epoch {epoch}) to {now} while training "
                    "perplexity keeps falling: the model is memorising the training text (overfitting). Its "
                    "best was at epoch {epoch}; fewer epochs, fewer hidden units or dropout would help.",
                ).format(best=f"{best:.2f}", now=f"{now:.2f}", epoch=epoch)
            )
            self.note.setVisible(True)
            return
        if stuck:
            self.note.setText(
                QCoreApplication.translate(
                    "PlotPanel",
                    "So far, since epoch {epoch}, within {share} % of the unigram line: the model is predicting "
                    "letter frequencies only. Early in a run that is normal; if it stays, try a larger learning "
                    "rate or more epochs.",
                ).format(epoch=self._stuck_since, share=round(STUCK_TOLERANCE * 100))
            )
        self.note.setVisible(stuck)

    @property
    def note_shown(self) -> bool:
        return not self.note.isHidden()
