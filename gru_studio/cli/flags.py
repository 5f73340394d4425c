"""Command-line flags built from the engine's settings schema, so kinds, bounds and help live in one place."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection, Mapping
from typing import Any

from gru_studio.engine import model_registry
from gru_studio.engine.config import Kind, settings_of

# The largest whole number any integer flag takes: SQLite's INTEGER, numpy's and torch's int64. Beyond it
# a number ends in an OverflowError deep inside (a run id in a query, a count in a tensor's shape).
INT64_MAX = 2**63 - 1
SHOWN_DIGITS = 24  # a number longer than this is shortened in a message: 4,000 digits are no help


def int_in(low: int | None = 0, high: int | None = INT64_MAX) -> Callable[[str], int]:
    """An argparse `type=` for a whole number from `low` to `high` (None: that side unbounded, but
    never past int64), so that a number out of range is refused as the flags are parsed, in argparse's
    one line ("argument --seed: must be at most 2147483647, got 99999999999999999999999"), exit 2.

    Every integer flag of every command uses it; `run_id` below is the one for run ids."""
    top = INT64_MAX if high is None else min(int(high), INT64_MAX)
    bottom = -INT64_MAX - 1 if low is None else int(low)

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also Python's limit on the digits of an int: still not a number we take
            raise argparse.ArgumentTypeError(f"invalid int value: {_shown(text)!r}") from None
        if value < bottom:
            raise argparse.ArgumentTypeError(f"must be at least {bottom}, got {_shown(str(value))}")
        if value > top:
            raise argparse.ArgumentTypeError(f"must be at most {top}, got {_shown(str(value))}")
        return value

    whole_number.__name__ = "int"  # argparse names the type by it in its own messages
    return whole_number


# A run's id in the run store (`runs show`, `runs delete`, ...): an SQLite INTEGER PRIMARY KEY, from 1.
run_id = int_in(1, INT64_MAX)


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_DIGITS else f"{text[:SHOWN_DIGITS]}… ({len(text)} characters)"


# Flags whose name reads better than the field's.
RENAMED = {("CorpusConfig", "source"): "corpus", ("ModelConfig", "kind"): "model"}


def flag_name(config_type: type, field_name: str) -> str:
    return RENAMED.get((config_type.__name__, field_name), field_name).replace("_", "-")


def add_config_flags(
    parser: argparse.ArgumentParser, config_type: type, title: str, skip: Collection[str] = ()
) -> None:
    """One flag per setting of `config_type`, but those named in `skip` (flags a command defines its own way)."""
    group = parser.add_argument_group(title)
    for spec in settings_of(config_type):
        name = flag_name(config_type, spec.name)
        if name in skip:
            continue
        group.add_argument(
            f"--{name}",
            dest=f"{config_type.__name__}.{spec.name}",
            # Whole numbers are range-checked as they are parsed; the settings' own check (check_settings)
            # still checks every value, the window's too.
            type=int_in(spec.low, spec.high) if spec.kind is Kind.INT else spec.value_type,
            default=spec.default,
            choices=spec.choices,
            metavar=None if spec.choices else name.upper().replace("-", "_"),
            help=spec.help + _each_model(spec.choices) + _default_and_range(spec.default, vars(spec)),
        )


def _each_model(choices: object) -> str:
    """For `--model`: each registered model's name and picker label, so that --help lists them all."""
    if choices is not model_registry.KIND_NAMES:
        return ""
    return ": " + "; ".join(f"{spec.name}: {spec.label}" for spec in model_registry.specs())


def describe_range(meta: Mapping[str, Any]) -> str:
    """The bounds of a numeric setting in words, e.g. '1 to 4096' or '> 0, at most 1000'; '' if unbounded."""
    low, high = meta.get("low"), meta.get("high")
    if low is None and high is None:
        return ""
    if low is None:
        return f"at most {_number(high)}"
    if meta.get("low_open"):
        lower = f"> {_number(low)}"
        return lower if high is None else f"{lower}, at most {_number(high)}"
    if high is None:
        return f"{_number(low)} or more"
    return f"{_number(low)} to {_number(high)}"


def _default_and_range(default: Any, meta: Mapping[str, Any]) -> str:
    """' (default: 256; 1 to 4096)', leaving out whichever part the setting lacks."""
    parts = [] if default is None else [f"default: {default}"]
    bounds = describe_range(meta)
    if bounds:
        parts.append(bounds)
    return f" ({'; '.join(parts)})" if parts else ""


def _number(value: float) -> str:
    # Whole bounds are written as a user would type them: 1000000, not 1e+06 or 1,000,000.
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def config_from_args(args: argparse.Namespace, config_type: type, **overrides: Any) -> Any:
    prefix = f"{config_type.__name__}."
    values = {k[len(prefix) :]: v for k, v in vars(args).items() if k.startswith(prefix)}
    values.update(overrides)
    return config_type(**values)
