"""Command-line flags built from the engine's settings schema, so kinds, bounds and help live in one place."""

from __future__ import annotations

import argparse
from collections.abc import Collection, Mapping
from typing import Any

from gru_studio.engine import model_registry
from gru_studio.engine.config import settings_of

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
            type=spec.value_type,
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
