"""Every setting in one place: its default, its bounds and a one-line help.

The command line builds its flags from these fields and the window builds its
form and tooltips from them, so a bound or a default is changed here only.
`settings_of` reads each field once into a `Setting`: its kind comes from the
field's annotation (int, float, str, `| None`) and its bounds and help from
`setting()`; validation, the flags and the forms all ask that record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from gru_studio.engine import model_registry
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase
from gru_studio.engine.model_registry import DEFAULT_KIND, KIND_NAMES

TIME_MACHINE = "timemachine"
SAMPLE = "sample"
BOOK_PREFIX = "time traveller"


def setting(
    default: Any,
    help: str,  # marked with QT_TRANSLATE_NOOP: the window shows it as a tooltip, translated
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    choices: Sequence[str] | None = None,
) -> Any:
    """A dataclass field that knows its bounds and help text.

    `low_open` makes the lower bound exclusive (a learning rate must be > 0).
    """
    meta = {"help": help, "low": low, "high": high, "low_open": low_open, "choices": choices}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class CorpusConfig:
    source: str = setting(
        TIME_MACHINE, QT_TRANSLATE_NOOP("engine", "'timemachine', 'sample' (bundled) or the path of a UTF-8 text file")
    )
    mode: str = setting(
        "letters",
        QT_TRANSLATE_NOOP("engine", "letters: the book's (a-z and space); raw: every character kept"),
        choices=("letters", "raw"),
    )
    max_tokens: int | None = setting(
        None,
        QT_TRANSLATE_NOOP(
            "engine",
            "tokens used from the start of the text; 0 = all; default 10,000 for the Time Machine, all otherwise",
        ),
        low=0,
    )
    encoding: str = setting(
        "utf-8", QT_TRANSLATE_NOOP("engine", "text encoding of a local file (utf-8 also accepts a BOM)")
    )
    partition: str = setting(
        "sequential",
        QT_TRANSLATE_NOOP("engine", "sequential: state carried across batches; random: fresh state every batch"),
        choices=("sequential", "random"),
    )
    val_fraction: float = setting(
        0.0,
        QT_TRANSLATE_NOOP("engine", "fraction of tokens held out at the end for validation perplexity"),
        low=0.0,
        high=0.5,
    )


# The chapter's gate ablations, for the models whose spec says GATES applies (model_registry).
GATES = ("full", "reset-only", "update-only")


@dataclass(frozen=True)
class ModelConfig:
    kind: str = setting(
        DEFAULT_KIND,
        # The command line adds each model's own line from the registry (cli/flags.py); the window shows its note.
        QT_TRANSLATE_NOOP("engine", "which model to train"),
        choices=KIND_NAMES,
    )
    hidden: int = setting(256, QT_TRANSLATE_NOOP("engine", "hidden units"), low=1, high=4096)
    layers: int = setting(
        1, QT_TRANSLATE_NOOP("engine", "stacked layers (the PyTorch built-in models only)"), low=1, high=8
    )
    dropout: float = setting(
        0.0,
        QT_TRANSLATE_NOOP("engine", "dropout between stacked layers (the PyTorch built-in models only)"),
        low=0.0,
        high=0.9,
    )
    gates: str = setting(
        "full",
        QT_TRANSLATE_NOOP(
            "engine",
            "the scratch GRU's gates (the scratch GRUs only): full; reset-only fixes Z = 0, so H = H~; "
            "update-only fixes R = 1, so H~ reads H unreset (the book's exercise)",
        ),
        choices=GATES,
    )

    def check(self) -> None:
        """What no single field shows: gates other than full exist only in the scratch GRU.

        Refused here rather than ignored, so that a run or a checkpoint never
        claims an ablation its model does not make. (`layers` and `dropout` are
        not refused for the other models: the window disables them instead, and
        the command line refuses them itself, see cli/train.py.)
        """
        if self.gates != "full" and self.kind in KIND_NAMES and not model_registry.spec(self.kind).has_gates:
            raise ConfigError(
                "gates",
                phrase(
                    QT_TRANSLATE_NOOP("engine", "{gates} applies to the scratch GRU only ({kinds}), not to {kind}"),
                    gates=self.gates,
                    kinds=", ".join(model_registry.kinds_where(lambda spec: spec.has_gates)),
                    kind=self.kind,
                ),
            )


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = setting(500, QT_TRANSLATE_NOOP("engine", "passes over the training tokens"), low=1, high=1_000_000)
    lr: float = setting(1.0, QT_TRANSLATE_NOOP("engine", "learning rate"), low=0.0, high=1000.0, low_open=True)
    optimizer: str = setting("sgd", QT_TRANSLATE_NOOP("engine", "sgd (the book's) or adam"), choices=("sgd", "adam"))
    batch_size: int = setting(32, QT_TRANSLATE_NOOP("engine", "parallel sequences per batch"), low=1, high=4096)
    num_steps: int = setting(35, QT_TRANSLATE_NOOP("engine", "time steps per sequence"), low=1, high=10_000)
    clip: float = setting(
        1.0, QT_TRANSLATE_NOOP("engine", "gradient-norm clipping threshold theta; 0 = off"), low=0.0, high=1e6
    )
    seed: int = setting(
        0, QT_TRANSLATE_NOOP("engine", "random seed (runs are repeatable on the CPU)"), low=0, high=2**31 - 1
    )
    device: str = setting("auto", QT_TRANSLATE_NOOP("engine", "auto, cpu, cuda, cuda:N or mps"))
    threads: int = setting(
        0,
        QT_TRANSLATE_NOOP(
            "engine",
            "CPU threads for training; 0 = automatic: 1 or one per core, whichever trains faster now, measured "
            "while training (on a busy machine, more threads can make training many times slower)",
        ),
        low=0,
        high=256,
    )
    cuda_graph: str = setting(
        "auto",
        QT_TRANSLATE_NOOP(
            "engine",
            "auto: on CUDA, train the scratch GRU through a CUDA graph, kept only if its first batch equals "
            "the eager step's; off: never",
        ),
        choices=("auto", "off"),
    )
    sample_every: int = setting(
        10, QT_TRANSLATE_NOOP("engine", "epochs between sample predictions; 0 = never"), low=0, high=1_000_000
    )
    prefix: str = setting(BOOK_PREFIX, QT_TRANSLATE_NOOP("engine", "prefix of the sample predictions"))
    sample_length: int = setting(
        50, QT_TRANSLATE_NOOP("engine", "characters in each sample prediction"), low=1, high=100_000
    )


class Kind(Enum):
    """What a setting holds: each editor, flag and check is chosen by this, never by parsing type names."""

    INT = "int"
    FLOAT = "float"
    TEXT = "text"
    CHOICE = "choice"  # text, one of `choices`


# The Python type a value of each kind arrives as (from a flag, a form or a checkpoint).
VALUE_TYPES: dict[Kind, type] = {Kind.INT: int, Kind.FLOAT: float, Kind.TEXT: str, Kind.CHOICE: str}


@dataclass(frozen=True)
class Setting:
    """One field of a config dataclass, as validation, the flags and the forms see it."""

    name: str
    kind: Kind
    default: Any
    help: str
    optional: bool = False  # None is a value: "not set, use the corpus's own default"
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    choices: Sequence[str] | None = None

    @property
    def value_type(self) -> type:
        return VALUE_TYPES[self.kind]


@cache
def settings_of(config_type: type) -> tuple[Setting, ...]:
    """Every setting of a config dataclass, in field order, with its kind read from the annotations.

    The annotations are resolved once with typing.get_type_hints, so `int | None`
    is the type itself rather than a string that has to be guessed at.
    """
    hints = get_type_hints(config_type)
    return tuple(_setting(f, hints[f.name]) for f in dataclasses.fields(config_type))


def spec_of(config_type: type, name: str) -> Setting:
    for spec in settings_of(config_type):
        if spec.name == name:
            return spec
    raise KeyError(name)


def _setting(f: dataclasses.Field, hint: Any) -> Setting:
    value_type, optional = _unwrap_optional(hint)
    meta = f.metadata
    kinds = {int: Kind.INT, float: Kind.FLOAT, str: Kind.TEXT}
    # `is`, not issubclass: bool is an int, and a bool setting would need its own editor and flag.
    kind = next((k for t, k in kinds.items() if value_type is t), None)
    if kind is None:
        raise TypeError(f"setting {f.name!r}: unsupported type {hint!r}")
    if meta["choices"] is not None:
        if kind is not Kind.TEXT:
            raise TypeError(f"setting {f.name!r}: choices need a str field, not {hint!r}")
        kind = Kind.CHOICE
    return Setting(
        name=f.name,
        kind=kind,
        default=f.default,
        help=meta["help"],
        optional=optional,
        low=meta["low"],
        high=meta["high"],
        low_open=meta["low_open"],
        choices=meta["choices"],
    )


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    """(int, True) for `int | None`; (hint, False) for anything without None in it."""
    if get_origin(hint) not in (Union, UnionType):
        return hint, False
    rest = [arg for arg in get_args(hint) if arg is not type(None)]
    if len(rest) != 1:
        raise TypeError(f"unsupported setting type {hint!r}: one type, optionally | None")
    return rest[0], True


def help_of(config_type: type, name: str) -> str:
    """The one-line help of a setting."""
    return spec_of(config_type, name).help


def bounds_of(config_type: type, name: str) -> tuple[float | None, float | None]:
    """The (low, high) bounds of a numeric setting; None where unbounded."""
    spec = spec_of(config_type, name)
    return spec.low, spec.high


def choices_of(config_type: type, name: str) -> Sequence[str] | None:
    return spec_of(config_type, name).choices


def validate(config: Any) -> None:
    """Check every field against its kind, bounds and choices.

    Raises ConfigError naming the first field that is wrong.
    """
    for spec in settings_of(type(config)):
        value = getattr(config, spec.name)
        if value is None:
            if not spec.optional:
                raise ConfigError(spec.name, phrase(QT_TRANSLATE_NOOP("engine", "a value is required")))
        elif spec.kind is Kind.CHOICE:
            if value not in spec.choices:
                raise ConfigError(
                    spec.name,
                    phrase(
                        QT_TRANSLATE_NOOP("engine", "must be one of {choices}, not {value!r}"),
                        choices=", ".join(spec.choices),
                        value=value,
                    ),
                )
        elif spec.kind is Kind.TEXT:
            if not isinstance(value, str):
                raise ConfigError(
                    spec.name, phrase(QT_TRANSLATE_NOOP("engine", "must be text, not {value!r}"), value=value)
                )
            if not value:
                raise ConfigError(spec.name, phrase(QT_TRANSLATE_NOOP("engine", "must not be empty")))
        else:
            _check_number(spec, value)
    check = getattr(config, "check", None)  # settings that depend on each other (ModelConfig.check)
    if check is not None:
        check()


def _check_number(spec: Setting, value: Any) -> None:
    name = spec.name
    # bool is an int to Python, but True is never a batch size.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(name, phrase(QT_TRANSLATE_NOOP("engine", "must be a number, not {value!r}"), value=value))
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(name, phrase(QT_TRANSLATE_NOOP("engine", "must be a finite number")))
    low, high = spec.low, spec.high
    if low is not None:
        if spec.low_open and value <= low:
            raise ConfigError(
                name,
                phrase(
                    QT_TRANSLATE_NOOP("engine", "must be greater than {low:g}, got {value:g}"), low=low, value=value
                ),
            )
        if value < low:
            raise ConfigError(
                name,
                phrase(QT_TRANSLATE_NOOP("engine", "must be at least {low:g}, got {value:g}"), low=low, value=value),
            )
    if high is not None and value > high:
        raise ConfigError(
            name, phrase(QT_TRANSLATE_NOOP("engine", "must be at most {high:g}, got {value:g}"), high=high, value=value)
        )
    if spec.kind is Kind.INT and not isinstance(value, int):
        raise ConfigError(
            name, phrase(QT_TRANSLATE_NOOP("engine", "must be a whole number, not {value!r}"), value=value)
        )


def validate_all(*configs: Any) -> None:
    for config in configs:
        validate(config)


def usable_values(values: Mapping[str, Any], *config_types: type) -> tuple[dict[str, Any], list[str]]:
    """The remembered values that these settings would accept, and the names of the others.

    Values kept between sessions (the window's stored settings) can be out of
    range, of the wrong kind, or from another version: each is checked on its
    own against its setting, so one bad value costs only itself, never the start.
    Names that no setting has are passed through untouched (the caller's own keys).
    """
    usable: dict[str, Any] = {}
    refused: list[str] = []
    specs = {spec.name: (config_type, spec) for config_type in config_types for spec in settings_of(config_type)}
    for name, value in values.items():
        if name not in specs:
            usable[name] = value
            continue
        config_type, spec = specs[name]
        try:
            value = _as_kind(value, spec)
            validate(dataclasses.replace(config_type(), **{name: value}))
        except (ConfigError, TypeError, ValueError, OverflowError):
            refused.append(name)
            continue
        usable[name] = value
    return usable, refused


def _as_kind(value: Any, spec: Setting) -> Any:
    """A stored value as its setting's type: settings files may hand numbers back as text."""
    if value is None or spec.kind in (Kind.TEXT, Kind.CHOICE):
        return value
    number = float(value)
    if spec.kind is Kind.INT:
        if not number.is_integer():
            raise ValueError(f"{spec.name}: {value!r} is not a whole number")
        return int(number)
    return number
