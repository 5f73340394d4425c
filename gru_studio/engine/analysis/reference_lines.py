"""What a perplexity means, as lines to compare a run with, and a note when a run stays on one.

Two models that need no training set the scale of the perplexity plot:

- the uniform guess gives every token of the vocabulary the same probability:
  its perplexity is the vocabulary size;
- the unigram model predicts each character by its frequency in the training
  text alone: its perplexity is exp of the entropy of those frequencies
  (about 17-18 for English letters and space).

A run that sits on the unigram line has learnt the letter frequencies and
nothing of what came before: usually a learning rate too small or too few
epochs. `StuckDetector` says so once the run has stayed within 5 % of that line
for 10 epochs in a row. Pure numpy, no Qt, no torch: the window and the
command line both use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase

STUCK_TOLERANCE = 0.05  # within 5 % of the unigram perplexity, above or below
STUCK_EPOCHS = 10  # for this many epochs in a row
# A Phrase: the window shows it translated, the command line as it reads here.
STUCK_NOTE = phrase(
    QT_TRANSLATE_NOOP("engine", "predicting letter frequencies only: try a larger learning rate or more epochs")
)


def uniform_perplexity(vocab_size: int) -> float:
    """The perplexity of guessing every token of the vocabulary alike: the vocabulary size."""
    if vocab_size < 1:
        raise ValueError(f"a vocabulary has at least one token, not {vocab_size}")
    return float(vocab_size)


def unigram_perplexity(tokens: np.ndarray, vocab_size: int | None = None) -> float:
    """exp of the entropy (in nats) of the token frequencies in `tokens` (indices into the vocabulary).

    The best perplexity a model can reach on this text knowing only how often
    each character occurs. Tokens that never occur add nothing (0 log 0 = 0).
    """
    tokens = np.asarray(tokens).reshape(-1)
    if tokens.size == 0:
        raise ValueError("no tokens: the unigram perplexity of an empty text is not defined")
    counts = np.bincount(tokens.astype(np.int64, copy=False), minlength=vocab_size or 0)
    p = counts[counts > 0] / tokens.size
    return float(np.exp(-(p * np.log(p)).sum()))


def near(perplexity: float, line: float, tolerance: float = STUCK_TOLERANCE) -> bool:
    """Whether `perplexity` lies within `tolerance` (a share) of `line`, on either side."""
    return abs(perplexity - line) <= tolerance * line


@dataclass
class StuckDetector:
    """Counts the epochs in a row a run's perplexity stays near the unigram line.

    Feed it each epoch's perplexity with `add`; `stuck` is True from the
    `epochs`-th epoch in a row within `tolerance` of `unigram`, and False again
    as soon as one epoch leaves the band (the note goes away once the run
    learns more than the letter frequencies).
    """

    unigram: float
    tolerance: float = STUCK_TOLERANCE
    epochs: int = STUCK_EPOCHS
    run_length: int = field(default=0, init=False)  # epochs in a row near the line, up to the last one

    def add(self, perplexity: float) -> bool:
        """Take one epoch's perplexity; returns `stuck` after it."""
        self.run_length = self.run_length + 1 if near(perplexity, self.unigram, self.tolerance) else 0
        return self.stuck

    @property
    def stuck(self) -> bool:
        return self.run_length >= self.epochs

    @property
    def note(self) -> Phrase | None:
        """The note to show while stuck, else None."""
        return STUCK_NOTE if self.stuck else None


def stuck_at_unigram(
    perplexities: Iterable[float], unigram: float, tolerance: float = STUCK_TOLERANCE, epochs: int = STUCK_EPOCHS
) -> bool:
    """Whether the last `epochs` perplexities all lie within `tolerance` of `unigram` (a whole history at once)."""
    detector = StuckDetector(unigram, tolerance, epochs)
    for perplexity in perplexities:
        detector.add(perplexity)
    return detector.stuck


# Overfitting: validation perplexity this many times its best so far, for this many epochs in a
# row, while the training perplexity is below that best (the model fits the training text ever
# better and the held-out text ever worse). A newcomer's run climbed from about 7 to 61 while
# training reached 1.05, and nothing said so; 1.5x for 3 epochs ignores the noise of a small split.
OVERFIT_RATIO = 1.5
OVERFIT_EPOCHS = 3


@dataclass
class OverfitDetector:
    """Fed each epoch's training and validation perplexity; says when the model memorises its text."""

    ratio: float = OVERFIT_RATIO
    epochs: int = OVERFIT_EPOCHS
    best: float = float("inf")  # the lowest validation perplexity so far
    best_epoch: int = 0
    run_length: int = field(default=0, init=False)

    def add(self, epoch: int, perplexity: float, val_perplexity: float | None) -> bool:
        if val_perplexity is None:
            return self.overfitting
        if val_perplexity < self.best:
            self.best, self.best_epoch, self.run_length = val_perplexity, epoch, 0
        elif val_perplexity > self.ratio * self.best and perplexity < self.best:
            self.run_length += 1
        else:
            self.run_length = 0
        return self.overfitting

    @property
    def overfitting(self) -> bool:
        return self.run_length >= self.epochs
