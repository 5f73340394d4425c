"""Every setting in one place: its default, its bounds and a one-line help.

The command line builds its flags from these fields and the window builds its
form and tooltips from them, so a bound or a default is changed here only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from gru_studio.engine.errors import ConfigError

TIME_MACHINE = "timemachine"
SAMPLE = "sample"
BOOK_PREFIX = "time traveller"


def setting(
    default: Any,
    help: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """A dataclass field that knows its bounds and help text.

    `low_open` makes the lower bound exclusive (a learning rate must be > 0).
    """
    meta = {"help": help, "low": low, "high": high, "low_open": low_open, "choices": choices}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class CorpusConfig:
    source: str = setting(TIME_MACHINE, "'timemachine', 'sample' (bundled) or the path of a UTF-8 text file")
    mode: str = setting(
        "letters",
        "letters: the book's (a-z and space); raw: every character kept",
        choices=("letters", "raw"),
    )
    max_tokens: int | None = setting(
        None,
        "tokens used from the start of the text; 0 = all; default 10,000 for the Time Machine, all otherwise",
        low=0,
    )
    encoding: str = setting("utf-8", "text encoding of a local file (utf-8 also accepts a BOM)")
    partition: str = setting(
        "sequential",
        "sequential: state carried across batches; random: fresh state every batch",
        choices=("sequential", "random"),
    )
    val_fraction: float = setting(
        0.0, "fraction of tokens held out at the end for validation perplexity", low=0.0, high=0.5
    )


@dataclass(frozen=True)
class ModelConfig:
    kind: str = setting(
        "scratch",
        "scratch: the book's GRU, fast; scratch-book: the book's step-by-step code (teaching reference); "
        "builtin: torch.nn.GRU",
        choices=("scratch", "scratch-book", "builtin"),
    )
    hidden: int = setting(256, "hidden units", low=1, high=4096)
    layers: int = setting(1, "stacked GRU layers (builtin only)", low=1, high=8)
    dropout: float = setting(0.0, "dropout between stacked layers (builtin only)", low=0.0, high=0.9)


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = setting(500, "passes over the training tokens", low=1, high=1_000_000)
    lr: float = setting(1.0, "learning rate", low=0.0, high=1000.0, low_open=True)
    optimizer: str = setting("sgd", "sgd (the book's) or adam", choices=("sgd", "adam"))
    batch_size: int = setting(32, "parallel sequences per batch", low=1, high=4096)
    num_steps: int = setting(35, "time steps per sequence", low=1, high=10_000)
    clip: float = setting(1.0, "gradient-norm clipping threshold theta; 0 = off", low=0.0, high=1e6)
    seed: int = setting(0, "random seed (runs are repeatable on the CPU)", low=0, high=2**31 - 1)
    device: str = setting("auto", "auto, cpu, cuda, cuda:N or mps")
    sample_every: int = setting(10, "epochs between sample predictions; 0 = never", low=0, high=1_000_000)
    prefix: str = setting(BOOK_PREFIX, "prefix of the sample predictions")
    sample_length: int = setting(50, "characters in each sample prediction", low=1, high=100_000)


def help_of(config_type: type, name: str) -> str:
    """The one-line help of a setting."""
    return _field(config_type, name).metadata["help"]


def bounds_of(config_type: type, name: str) -> tuple[float | None, float | None]:
    """The (low, high) bounds of a numeric setting; None where unbounded."""
    meta = _field(config_type, name).metadata
    return meta["low"], meta["high"]


def choices_of(config_type: type, name: str) -> tuple[str, ...] | None:
    return _field(config_type, name).metadata["choices"]


def _field(config_type: type, name: str) -> dataclasses.Field:
    for f in dataclasses.fields(config_type):
        if f.name == name:
            return f
    raise KeyError(name)


def validate(config: Any) -> None:
    """Check every field against its kind, bounds and choices.

    Raises ConfigError naming the first field that is wrong.
    """
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        meta = f.metadata
        if value is None:
            if f.default is not None:
                raise ConfigError(f.name, "a value is required")
            continue
        if meta["choices"] is not None:
            if value not in meta["choices"]:
                raise ConfigError(f.name, f"must be one of {', '.join(meta['choices'])}, not {value!r}")
            continue
        if isinstance(f.default, str) or isinstance(value, str):
            if not isinstance(value, str) or not value:
                raise ConfigError(f.name, "must not be empty")
            continue
        _check_number(f.name, value, meta)
        if str(f.type).startswith("int") and not isinstance(value, int):
            raise ConfigError(f.name, f"must be a whole number, not {value!r}")


def _check_number(name: str, value: Any, meta: dict) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(name, f"must be a number, not {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(name, "must be a finite number")
    low, high = meta["low"], meta["high"]
    if low is not None:
        if meta["low_open"] and value <= low:
            raise ConfigError(name, f"must be greater than {low:g}, got {value:g}")
        if value < low:
            raise ConfigError(name, f"must be at least {low:g}, got {value:g}")
    if high is not None and value > high:
        raise ConfigError(name, f"must be at most {high:g}, got {value:g}")


def validate_all(*configs: Any) -> None:
    for config in configs:
        validate(config)
