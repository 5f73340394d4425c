"""Command-line flags built from the engine's config fields, so bounds and help live in one place."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

# Flags whose name reads better than the field's.
RENAMED = {("CorpusConfig", "source"): "corpus", ("ModelConfig", "kind"): "model"}


def flag_name(config_type: type, field_name: str) -> str:
    return RENAMED.get((config_type.__name__, field_name), field_name).replace("_", "-")


def add_config_flags(parser: argparse.ArgumentParser, config_type: type, title: str) -> None:
    group = parser.add_argument_group(title)
    for f in dataclasses.fields(config_type):
        name = flag_name(config_type, f.name)
        kind = _value_type(f)
        default = f.default
        shown = "" if default is None else f" (default: {default})"
        group.add_argument(
            f"--{name}",
            dest=f"{config_type.__name__}.{f.name}",
            type=kind,
            default=default,
            choices=f.metadata["choices"],
            metavar=None if f.metadata["choices"] else name.upper().replace("-", "_"),
            help=f.metadata["help"] + shown,
        )


def config_from_args(args: argparse.Namespace, config_type: type, **overrides: Any) -> Any:
    prefix = f"{config_type.__name__}."
    values = {k[len(prefix) :]: v for k, v in vars(args).items() if k.startswith(prefix)}
    values.update(overrides)
    return config_type(**values)


def _value_type(f: dataclasses.Field) -> type:
    annotation = str(f.type)
    if annotation.startswith("int"):
        return int
    if annotation.startswith("float"):
        return float
    return str
