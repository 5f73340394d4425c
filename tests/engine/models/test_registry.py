"""The model registry: one entry makes a new model kind appear everywhere models are listed (issue 23).

A throw-away kind, a bigram model (the next character from this one alone, no state
worth the name), is registered here and looked for in the settings' validation, the
model builder, the memory footprint, the Inside refusal, the command line's `--model`
and `bench --models`, and a real training run; the window's picker is
tests/gui/setup/test_settings_panel.py's.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from gru_studio.cli import build_parser
from gru_studio.engine import model_registry
from gru_studio.engine.analysis.inside import not_traceable
from gru_studio.engine.config import ModelConfig, validate
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.experiments.bench import default_models, ratios_among
from gru_studio.engine.model_registry import ModelSpec
from gru_studio.engine.models import build_model, describe
from gru_studio.engine.models.footprint import parameter_count
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.events import EpochEnd, Finished
from gru_studio.engine.training.trainer import create_trainer
from tests.throwaway_model import THROWAWAY, Bigram


def test_a_registered_kind_is_a_valid_setting_and_builds_its_model(throwaway: ModelSpec) -> None:
    config = ModelConfig(kind=THROWAWAY, hidden=4)
    validate(config)
    assert isinstance(build_model(config, 28), Bigram)
    assert str(describe(config)) == "bigram table over 4 (unused) hidden"
    assert not_traceable(THROWAWAY) is not None and "a bigram table has no gates" in str(not_traceable(THROWAWAY))
    # Its footprint follows its spec: one weight set, no stacking.
    assert parameter_count(config, 28) == (28 * 4 + 4 * 4 + 4) + 4 * 28 + 28
    with pytest.raises(ConfigError, match="gates"):
        validate(replace(config, gates="reset-only"))


def test_without_the_entry_the_kind_is_refused_everywhere() -> None:
    with pytest.raises(ConfigError, match="must be one of"):
        validate(ModelConfig(kind=THROWAWAY))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["train", "--model", THROWAWAY])
    assert THROWAWAY not in default_models()


def test_the_command_line_and_bench_list_a_registered_kind(throwaway: ModelSpec, capsys) -> None:
    parser = build_parser()
    args = parser.parse_args(["train", "--model", THROWAWAY])
    assert getattr(args, "ModelConfig.kind") == THROWAWAY
    assert parser.parse_args(["bench", "--models", THROWAWAY, "scratch"]).models == [THROWAWAY, "scratch"]
    assert THROWAWAY in parser.parse_args(["bench"]).models  # benched by default, as its entry asks
    assert ratios_among((THROWAWAY, "scratch")) == ((THROWAWAY, "scratch"),)
    with pytest.raises(SystemExit):
        parser.parse_args(["train", "--help"])
    assert f"{THROWAWAY}: bigram table (a test's model)" in " ".join(capsys.readouterr().out.split())


def test_a_registered_kind_trains(throwaway: ModelSpec, tiny_settings) -> None:
    corpus_config, _, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    trainer = create_trainer(corpus, corpus_config, ModelConfig(kind=THROWAWAY), replace(train_config, epochs=10))
    events = list(trainer.run())
    perplexities = [event.perplexity for event in events if isinstance(event, EpochEnd)]
    assert len(perplexities) == 10 and isinstance(events[-1], Finished)
    assert perplexities[-1] < 0.8 * perplexities[0]  # it learns the sample's character pairs


def test_every_shipped_kind_builds_and_says_what_it_is() -> None:
    for spec in model_registry.specs():
        model = spec.build(ModelConfig(kind=spec.name, hidden=4), 7)
        logits, _ = model(torch.zeros(2, 3, dtype=torch.long), model.begin_state(2))
        assert logits.shape == (6, 7), spec.name
        assert F.softmax(logits, -1).sum(-1).allclose(torch.ones(6))
        assert spec.label and spec.short and spec.note and spec.describe
        assert all(other in model_registry.KIND_NAMES for other in spec.bench_against), spec.name
    with pytest.raises(ValueError, match="registered already"):
        model_registry.register(model_registry.spec("scratch"))
