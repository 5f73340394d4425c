"""The uniform and unigram lines of the perplexity plot, and the stuck-at-unigram note (issue 15)."""

import math

import numpy as np
import pytest

from gru_studio.engine.analysis.reference_lines import (
    STUCK_NOTE,
    StuckDetector,
    stuck_at_unigram,
    uniform_perplexity,
    unigram_perplexity,
)
from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.text.corpus import load_corpus


def test_the_unigram_line_is_exp_of_the_entropy_of_a_known_text() -> None:
    # "aab": p(a) = 2/3, p(b) = 1/3; entropy -(2/3 ln 2/3 + 1/3 ln 1/3) nats.
    entropy = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert unigram_perplexity(np.array([1, 1, 2]), vocab_size=4) == pytest.approx(math.exp(entropy))
    # Equal frequencies: the unigram model is the uniform guess over the characters that occur.
    assert unigram_perplexity(np.array([0, 1, 2, 3] * 5)) == pytest.approx(4.0)
    assert unigram_perplexity(np.array([7, 7, 7])) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        unigram_perplexity(np.array([], dtype=np.int64))


def test_on_the_bundled_sample_the_unigram_line_lies_below_the_uniform_one() -> None:
    corpus = load_corpus(CorpusConfig(source="sample"))
    unigram = unigram_perplexity(corpus.tokens, len(corpus.vocab))
    assert uniform_perplexity(len(corpus.vocab)) == len(corpus.vocab) == 28
    assert 12 < unigram < 20  # English letters and space: about 17


def test_the_note_comes_after_ten_epochs_within_five_percent_and_goes_when_the_run_leaves() -> None:
    detector = StuckDetector(unigram=17.0)
    for epoch in range(1, 10):
        assert not detector.add(17.0 * (1.04 if epoch % 2 else 0.96))
    assert detector.note is None
    assert detector.add(17.5) and detector.note == STUCK_NOTE  # the tenth epoch in the band
    assert not detector.add(15.0)  # it learns more than the frequencies: the note goes
    assert detector.note is None


def test_an_epoch_outside_the_band_starts_the_count_again() -> None:
    history = [17.0] * 9 + [18.0] + [17.0] * 9  # 18 is 5.9 % above
    assert not stuck_at_unigram(history, 17.0)
    assert stuck_at_unigram([*history, 17.8], 17.0)  # 17.8 is 4.7 % above: the tenth in a row
    assert not stuck_at_unigram([28.0] * 50, 17.0)  # the uniform line is not the unigram one
