import pytest

from gru_studio.engine.config import (
    CorpusConfig,
    ModelConfig,
    TrainConfig,
    bounds_of,
    choices_of,
    help_of,
    validate,
)
from gru_studio.engine.errors import ConfigError


def test_defaults_are_the_books_recipe() -> None:
    t, m = TrainConfig(), ModelConfig()
    assert (t.epochs, t.lr, t.batch_size, t.num_steps, t.clip, t.optimizer) == (500, 1.0, 32, 35, 1.0, "sgd")
    assert (m.kind, m.hidden) == ("scratch", 256)
    for config in (CorpusConfig(), ModelConfig(), TrainConfig()):
        validate(config)


@pytest.mark.parametrize(
    ("config", "field", "words"),
    [
        (TrainConfig(lr=-1), "lr", "greater than 0"),
        (TrainConfig(lr=0), "lr", "greater than 0"),
        (TrainConfig(lr=float("nan")), "lr", "finite"),
        (ModelConfig(hidden=0), "hidden", "at least 1"),
        (ModelConfig(hidden=5000), "hidden", "at most 4096"),
        (ModelConfig(hidden=2.5), "hidden", "whole number"),
        (ModelConfig(kind="lstm"), "kind", "one of scratch, scratch-book, builtin"),
        (TrainConfig(epochs=0), "epochs", "at least 1"),
        (TrainConfig(batch_size=True), "batch_size", "number"),
        (TrainConfig(prefix=""), "prefix", "empty"),
        (CorpusConfig(val_fraction=0.9), "val_fraction", "at most 0.5"),
        (CorpusConfig(max_tokens=-5), "max_tokens", "at least 0"),
    ],
)
def test_validate_names_the_field_and_the_problem(config: object, field: str, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate(config)
    assert info.value.field == field
    assert words in str(info.value)
    assert str(info.value).startswith(f"{field}:")


def test_metadata_is_available_to_forms_and_flags() -> None:
    assert bounds_of(ModelConfig, "hidden") == (1, 4096)
    assert choices_of(CorpusConfig, "mode") == ("letters", "raw")
    assert "learning rate" in help_of(TrainConfig, "lr")
