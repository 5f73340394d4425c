import dataclasses
from dataclasses import dataclass
from typing import Optional

import pytest

from gru_studio.engine.config import (
    CorpusConfig,
    Kind,
    ModelConfig,
    TrainConfig,
    bounds_of,
    choices_of,
    help_of,
    setting,
    settings_of,
    spec_of,
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


# -- the schema: each setting's kind, read from its annotation ------------------------------

EXPECTED_KINDS = {
    CorpusConfig: {
        "source": Kind.TEXT,
        "mode": Kind.CHOICE,
        "max_tokens": Kind.INT,
        "encoding": Kind.TEXT,
        "partition": Kind.CHOICE,
        "val_fraction": Kind.FLOAT,
    },
    ModelConfig: {
        "kind": Kind.CHOICE,
        "hidden": Kind.INT,
        "layers": Kind.INT,
        "dropout": Kind.FLOAT,
        "gates": Kind.CHOICE,
    },
    TrainConfig: {
        "epochs": Kind.INT,
        "lr": Kind.FLOAT,
        "optimizer": Kind.CHOICE,
        "batch_size": Kind.INT,
        "num_steps": Kind.INT,
        "clip": Kind.FLOAT,
        "seed": Kind.INT,
        "device": Kind.TEXT,
        "threads": Kind.INT,
        "cuda_graph": Kind.CHOICE,
        "sample_every": Kind.INT,
        "prefix": Kind.TEXT,
        "sample_length": Kind.INT,
    },
}


@pytest.mark.parametrize("config_type", list(EXPECTED_KINDS))
def test_every_setting_has_the_kind_of_its_field(config_type: type) -> None:
    kinds = {spec.name: spec.kind for spec in settings_of(config_type)}
    assert kinds == EXPECTED_KINDS[config_type]
    assert [spec.name for spec in settings_of(config_type)] == [f.name for f in dataclasses.fields(config_type)]


@pytest.mark.parametrize("config_type", list(EXPECTED_KINDS))
def test_every_default_is_a_value_of_its_kind(config_type: type) -> None:
    for spec in settings_of(config_type):
        assert spec == spec_of(config_type, spec.name)
        if spec.default is None:
            assert spec.optional, spec.name
            continue
        assert type(spec.default) is spec.value_type, spec.name
        if spec.kind is Kind.CHOICE:
            assert spec.default in spec.choices
        if spec.kind in (Kind.INT, Kind.FLOAT):
            assert spec.low is not None, f"{spec.name}: a number needs a lower bound for its spin box"


def test_only_max_tokens_may_be_left_unset() -> None:
    optional = [(t.__name__, s.name) for t in EXPECTED_KINDS for s in settings_of(t) if s.optional]
    assert optional == [("CorpusConfig", "max_tokens")]
    validate(CorpusConfig(max_tokens=None))
    with pytest.raises(ConfigError, match="hidden: a value is required"):
        validate(ModelConfig(hidden=None))


def test_text_settings_refuse_other_values() -> None:
    with pytest.raises(ConfigError, match="prefix: must be text, not 5"):
        validate(TrainConfig(prefix=5))
    with pytest.raises(ConfigError, match="hidden: must be a number, not '256'"):
        validate(ModelConfig(hidden="256"))


# This module does not use `from __future__ import annotations`, so these annotations
# are the types themselves: `str(int)` is "<class 'int'>", which a check of the
# annotation's text would not have recognised as a whole number.
@dataclass(frozen=True)
class Counted:
    count: int = setting(3, "how many", low=1, high=10)
    ratio: float = setting(0.5, "how much", low=0.0, high=1.0)
    limit: Optional[int] = setting(None, "at most this many; None = no limit", low=0)  # noqa: UP045 (the old spelling)


def test_kinds_come_from_the_types_not_from_their_text() -> None:
    assert [(s.kind, s.optional) for s in settings_of(Counted)] == [
        (Kind.INT, False),
        (Kind.FLOAT, False),
        (Kind.INT, True),
    ]
    validate(Counted())
    with pytest.raises(ConfigError, match="count: must be a whole number"):
        validate(Counted(count=2.5))
    with pytest.raises(ConfigError, match="limit: must be a whole number"):
        validate(Counted(limit=1.5))


@dataclass(frozen=True)
class Flagged:
    on: bool = setting(True, "a switch")


@dataclass(frozen=True)
class Listed:
    sizes: tuple[int, ...] = setting((), "several sizes")


@dataclass(frozen=True)
class NumberChoice:
    size: int = setting(1, "one of three", choices=(1, 2, 3))


@pytest.mark.parametrize("config_type", [Flagged, Listed, NumberChoice])
def test_a_setting_of_an_unsupported_type_is_refused_by_name(config_type: type) -> None:
    # A setting no flag or editor can hold fails at once, not as a form that guesses a line edit.
    with pytest.raises(TypeError, match=r"setting '(on|sizes|size)'"):
        settings_of(config_type)


def test_usable_values_keeps_each_good_value_and_names_each_bad_one() -> None:
    from gru_studio.engine.config import usable_values

    stored = {"batch_size": 1e12, "hidden": "64", "lr": "0.5", "seed": 2.5, "kind": "lstm", "window": "kept"}
    usable, refused = usable_values(stored, ModelConfig, TrainConfig)
    assert usable == {"hidden": 64, "lr": 0.5, "window": "kept"}  # text from a settings file becomes numbers
    assert refused == ["batch_size", "seed", "kind"]
