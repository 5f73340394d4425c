"""The rule that says a text is too short to compare models on (engine/text/comparable.py)."""

from __future__ import annotations

import dataclasses

from gru_studio.engine.config import CorpusConfig, TrainConfig
from gru_studio.engine.text.comparable import LEAST_BATCHES_TO_COMPARE, check_comparable, too_short_to_compare
from gru_studio.engine.text.corpus import load_corpus


def test_the_threshold_is_the_rule() -> None:
    assert too_short_to_compare(LEAST_BATCHES_TO_COMPARE) is None
    short = too_short_to_compare(LEAST_BATCHES_TO_COMPARE - 1)
    assert short is not None and short.as_dict() == {
        "batches_per_epoch": LEAST_BATCHES_TO_COMPARE - 1,
        "least_to_compare": LEAST_BATCHES_TO_COMPARE,
    }


def test_the_bundled_sample_is_too_short_at_the_books_settings() -> None:
    config = CorpusConfig(source="sample")
    short = check_comparable(load_corpus(config), config, TrainConfig())
    assert short is not None and short.batches == 3
    note = str(short.note())
    assert "too short to compare models" in note and "3 batch(es) an epoch" in note and "\n" not in note


def test_the_books_own_workload_is_long_enough() -> None:
    config = CorpusConfig()  # the Time Machine's first 10,000 tokens: 8 batches of 32 x 35
    assert check_comparable(load_corpus(config), config, TrainConfig()) is None


def test_only_the_training_part_counts_at_the_runs_own_batch_shape() -> None:
    config = CorpusConfig(max_tokens=0)  # the whole book: 152 batches of 32 x 35
    corpus = load_corpus(config)
    assert check_comparable(corpus, config, TrainConfig()) is None
    # Held out for validation, the tail is not trained on; and a bigger batch makes fewer of them.
    most_held_out = dataclasses.replace(config, val_fraction=0.5)
    huge_batches = TrainConfig(batch_size=1024, num_steps=35)
    short = check_comparable(corpus, most_held_out, huge_batches)
    assert short is not None and short.batches == (85_290 - 35 - 1) // 1024 // 35
