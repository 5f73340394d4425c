"""Whether a text is long enough for its runs to compare models.

On a text of few batches an epoch every model soon learns the text by heart,
and which one gets there first within the epochs asked for says more about
how quickly it memorises than about which model is better. Measured with the
book's settings (500 epochs, batch size 32 x 35 steps, 256 hidden units, SGD
at lr 1, clip 1; nn.GRU against nn.RNN, CPU; the first b x 1,120 + 36 tokens
of the Time Machine, and the bundled sample), final training perplexity,
seeds 0 and 1:

    batches an epoch   tokens   nn.GRU        nn.RNN        lower
    1                  1,156    6.41  6.14    1.30  1.30    RNN
    2                  2,276    2.18  2.04    1.14  1.13    RNN
    3 (the sample)     3,695    1.19  1.20    1.08  1.08    RNN
    3                  3,396    1.16  1.16    1.10  1.09    RNN
    4                  4,516    1.10  1.09    1.08  1.07    RNN
    6                  6,756    1.05  1.06    1.05  1.05    a tie
    7                  7,876    1.05  1.04    1.22  1.20    GRU
    8 (the book's)     8,996    1.04  1.04    1.25  1.24    GRU

The chapter's lesson (the GRU beats the plain RNN) shows from 7 batches an
epoch on; below that the RNN "wins" (or ties), as it did on the bundled
sample. So fewer than 7 is too short; the book's own workload (10,000 tokens,
8 batches at the worst offset) is not. The rule counts the
training tokens' batches at the run's own batch size and steps, the way an
epoch does (the worst random offset), so the command line and the window say
the same thing for the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
from gru_studio.engine.text.batches import min_batches

if TYPE_CHECKING:
    from gru_studio.engine.config import CorpusConfig, TrainConfig
    from gru_studio.engine.text.corpus import Corpus

LEAST_BATCHES_TO_COMPARE = 7  # from the measurement above


@dataclass(frozen=True)
class TooShort:
    """A text too short to compare models on: its batches an epoch, and the fewest that can."""

    batches: int
    least: int = LEAST_BATCHES_TO_COMPARE

    def note(self) -> Phrase:
        return phrase(
            QT_TRANSLATE_NOOP(
                "engine",
                "This text is too short to compare models: {batches} batch(es) an epoch, fewer than {least}. "
                "On so few every model learns it by heart, and the one that does so first wins, "
                "not the better one. Compare them on a longer text.",
            ),
            batches=self.batches,
            least=self.least,
        )

    def as_dict(self) -> dict[str, int]:
        return {"batches_per_epoch": self.batches, "least_to_compare": self.least}


def too_short_to_compare(batches: int) -> TooShort | None:
    """A TooShort when `batches` an epoch are too few for a comparison of models, else None."""
    return TooShort(batches) if batches < LEAST_BATCHES_TO_COMPARE else None


def check_comparable(corpus: Corpus, corpus_config: CorpusConfig, train_config: TrainConfig) -> TooShort | None:
    """The rule for a run of these settings on this text (its training part, validation held out)."""
    train_tokens, _ = corpus.split(corpus_config.val_fraction)
    batches = min_batches(len(train_tokens), train_config.batch_size, train_config.num_steps, corpus_config.partition)
    return too_short_to_compare(batches)
