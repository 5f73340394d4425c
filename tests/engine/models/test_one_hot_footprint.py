"""Issue 28, cause 3: the memory estimate counts the one-hot inputs of the models that build them."""

from __future__ import annotations

import pytest
import torch

from gru_studio.engine import model_registry
from gru_studio.engine.config import ModelConfig, TrainConfig
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.models import footprint as memory

# The setting: a text of 50,000 distinct characters, hidden 256, batch 256, 100 steps.
VOCAB = 50_000
TRAIN = TrainConfig(batch_size=256, num_steps=100)


def test_the_models_that_build_one_hot_inputs_say_so() -> None:
    builds = set(model_registry.kinds_where(lambda spec: spec.one_hot_inputs))
    assert builds == {"scratch-book", "builtin", "rnn-builtin", "lstm-builtin"}  # the fast ones look rows up


def test_one_hot_inputs_are_counted_for_the_models_that_build_them() -> None:
    fast = memory.training_bytes(ModelConfig(kind="scratch", hidden=256), TRAIN, VOCAB)
    book = memory.training_bytes(ModelConfig(kind="scratch-book", hidden=256), TRAIN, VOCAB)
    one_hot = TRAIN.batch_size * TRAIN.num_steps * VOCAB * memory.FLOAT_BYTES
    assert book - fast >= 3 * one_hot  # the int64 one-hot (two floats' worth) and its float copy


def test_scratch_book_over_a_large_vocabulary_is_refused_up_front(monkeypatch) -> None:
    # 32 GiB available: the fast scratch GRU fits (~17 GiB), the book's code (~32 GiB) does not.
    monkeypatch.setattr(memory, "available_bytes", lambda: 32 * 2**30)
    cpu = torch.device("cpu")
    memory.check_fits(ModelConfig(kind="scratch", hidden=256), TRAIN, VOCAB, cpu)
    with pytest.raises(ConfigError, match="need about"):
        memory.check_fits(ModelConfig(kind="scratch-book", hidden=256), TRAIN, VOCAB, cpu)
    with pytest.raises(ConfigError, match="need about"):
        memory.check_fits(ModelConfig(kind="builtin", hidden=256), TRAIN, VOCAB, cpu)
