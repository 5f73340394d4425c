"""Planning a sweep: which settings can be swept, their values from text, and the grid of runs.

A sweep trains one run per combination of the values of one or two settings,
one after another, each recorded like any other run. This module only plans:
it reads "0.5,1,2" into checked values, refuses what cannot run, and lists
the runs with their settings. The command line (cli/sweep.py) and the
window's Sweep dialog run the plan, each in its own way.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gru_studio.engine.config import (
    CorpusConfig,
    Kind,
    ModelConfig,
    TrainConfig,
    spec_of,
    validate,
    validate_all,
)
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase
from gru_studio.engine.training.events import EpochRecord, Finished

if TYPE_CHECKING:  # torch and numpy come in when a run is made, not when the command line is parsed
    from gru_studio.engine.text.corpus import Corpus
    from gru_studio.engine.training.run_request import RunRequest

# The settings a sweep may vary, by the name of their command-line flag, in
# the order a grid takes them (the first varied one changes slowest).
SWEEPABLE: dict[str, tuple[type, str]] = {
    "model": (ModelConfig, "kind"),
    "gates": (ModelConfig, "gates"),
    "lr": (TrainConfig, "lr"),
    "hidden": (ModelConfig, "hidden"),
    "layers": (ModelConfig, "layers"),
    "dropout": (ModelConfig, "dropout"),
    "batch-size": (TrainConfig, "batch_size"),
    "num-steps": (TrainConfig, "num_steps"),
    "clip": (TrainConfig, "clip"),
    "optimizer": (TrainConfig, "optimizer"),
    "epochs": (TrainConfig, "epochs"),
    "seed": (TrainConfig, "seed"),
    "partition": (CorpusConfig, "partition"),
}
MAX_AXES = 2  # a table or a plot reads two settings at a time; more is a grid nobody compares
MAX_RUNS = 100  # trained one after another: past this, a typo in a list, not a plan


@dataclass(frozen=True)
class Axis:
    """One swept setting and its values, in the order given."""

    name: str  # the flag's name, e.g. "lr", "batch-size"
    values: tuple[Any, ...]

    @property
    def config_type(self) -> type:
        return SWEEPABLE[self.name][0]

    @property
    def field(self) -> str:
        return SWEEPABLE[self.name][1]


@dataclass(frozen=True)
class SweepRun:
    """One run of the grid: its number (from 1), the values of the varied settings and its full settings."""

    index: int
    values: dict[str, Any]  # flag name -> value, for each setting given several values, in axis order
    corpus_config: CorpusConfig
    model_config: ModelConfig
    train_config: TrainConfig

    def label(self) -> str:
        """'lr 0.5, hidden 128': how lists and tables name the run."""
        return ", ".join(f"{name} {format_value(value)}" for name, value in self.values.items())

    def request(self, corpus: Corpus | None = None) -> RunRequest:
        """This run as the entry point takes it; `corpus`: the text, read once for every run of the sweep."""
        from gru_studio.engine.training.run_request import RunRequest

        return RunRequest(self.corpus_config, self.model_config, self.train_config, corpus=corpus)


@dataclass(frozen=True)
class SweepResult:
    """What a sweep's table shows of one run once its loop has ended: the command line's and the window's."""

    run: SweepRun
    # "finished"; "stopped" for a run ended early (Ctrl-C, Skip, Cancel); "failed" for one that
    # raised (it diverged, say: `message` says why), as the window's queue marks it
    status: str
    epochs: int
    perplexity: float | None  # of the last epoch
    best_val_perplexity: float | None  # the lowest validation perplexity; None without a validation split
    tokens_per_s: float | None  # None for a failed run: it has no Finished to measure
    train_seconds: float | None
    sample: str
    run_id: int | None  # in the run store; None when not recorded
    message: str | None = None  # why a failed run failed

    @classmethod
    def of(
        cls, run: SweepRun, history: Sequence[EpochRecord], finished: Finished, sample: str, run_id: int | None
    ) -> SweepResult:
        return cls(
            run,
            "finished" if finished.reason == "completed" else "stopped",
            finished.epoch,
            *_perplexities(history),
            finished.tokens_per_s,
            finished.elapsed_s,
            sample,
            run_id,
        )

    @classmethod
    def failed(cls, run: SweepRun, history: Sequence[EpochRecord], message: str, run_id: int | None) -> SweepResult:
        """A run that raised instead of finishing: the epochs it completed before, and why."""
        return cls(
            run,
            "failed",
            history[-1].epoch if history else 0,
            *_perplexities(history),
            None,
            None,
            "",
            run_id,
            message,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain values, as `sweep --json` prints each run."""
        return {
            "run": self.run.index,
            "settings": self.run.values,
            "status": self.status,
            "message": self.message,
            "id": self.run_id,
            "epochs": self.epochs,
            "perplexity": self.perplexity,
            "best_val_perplexity": self.best_val_perplexity,
            "tokens_per_s": None if self.tokens_per_s is None else round(self.tokens_per_s, 1),
            "train_seconds": None if self.train_seconds is None else round(self.train_seconds, 2),
            "sample": self.sample,
        }


def _perplexities(history: Sequence[EpochRecord]) -> tuple[float | None, float | None]:
    """(the last epoch's perplexity, the lowest validation perplexity), each None when there is none."""
    vals = [record.val_perplexity for record in history if record.val_perplexity is not None]
    return (history[-1].perplexity if history else None), (min(vals) if vals else None)


def format_value(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse_values(name: str, text: str) -> tuple[Any, ...]:
    """The comma-separated values of one sweepable setting, each converted and checked against its bounds.

    Raises ConfigError naming the flag and the value at fault: an unknown
    setting, an empty item, a value of the wrong kind or out of range, a value
    given twice.
    """
    if name not in SWEEPABLE:
        raise ConfigError(
            f"--{name}",
            phrase(QT_TRANSLATE_NOOP("engine", "cannot be swept; these can: {names}"), names=", ".join(SWEEPABLE)),
        )
    config_type, field = SWEEPABLE[name]
    spec = spec_of(config_type, field)
    items = [item.strip() for item in text.split(",")]
    if any(not item for item in items):
        raise ConfigError(
            f"--{name}",
            phrase(
                QT_TRANSLATE_NOOP(
                    "engine", "has an empty value in {text!r}; separate values with commas, e.g. 0.5,1,2"
                ),
                text=text,
            ),
        )
    values = []
    for item in items:
        value = _convert(name, item, spec.kind, spec.choices)
        try:
            validate(dataclasses.replace(config_type(), **{field: value}))
        except ConfigError as exc:
            raise ConfigError(
                f"--{name}", phrase(QT_TRANSLATE_NOOP("engine", "{item}: {problem}"), item=item, problem=exc.problem)
            ) from None
        if value in values:
            raise ConfigError(f"--{name}", phrase(QT_TRANSLATE_NOOP("engine", "gives {item} twice"), item=item))
        values.append(value)
    return tuple(values)


def _convert(name: str, item: str, kind: Kind, choices: tuple[str, ...] | None) -> Any:
    if kind is Kind.CHOICE:
        if choices is not None and item not in choices:
            raise ConfigError(
                f"--{name}",
                phrase(
                    QT_TRANSLATE_NOOP("engine", "{item!r} is not one of {choices}"),
                    item=item,
                    choices=", ".join(choices),
                ),
            )
        return item
    if kind is Kind.TEXT:
        return item
    try:
        number = float(item)
    except ValueError:
        raise ConfigError(
            f"--{name}", phrase(QT_TRANSLATE_NOOP("engine", "{item!r} is not a number"), item=item)
        ) from None
    if kind is Kind.INT:
        if not (math.isfinite(number) and number.is_integer()):
            raise ConfigError(
                f"--{name}", phrase(QT_TRANSLATE_NOOP("engine", "{item!r} is not a whole number"), item=item)
            )
        return int(number)
    return number


def axes_from(texts: Mapping[str, str]) -> list[Axis]:
    """The axes of a sweep from each setting's text ("0.5,1,2"), in the order given.

    At least one setting must have two values or more, and at most MAX_AXES
    may: a setting given one value is part of every run, not an axis of its own.
    """
    axes = [Axis(name, parse_values(name, text)) for name, text in texts.items()]
    varied = [axis for axis in axes if len(axis.values) > 1]
    if not varied:
        raise ConfigError(
            "sweep",
            phrase(
                QT_TRANSLATE_NOOP(
                    "engine",
                    "nothing to sweep: give one or two settings several values, e.g. --lr 0.5,1,2 --hidden 128,256",
                )
            ),
        )
    if len(varied) > MAX_AXES:
        names = ", ".join(f"--{axis.name}" for axis in varied)
        raise ConfigError(
            "sweep",
            phrase(
                QT_TRANSLATE_NOOP("engine", "sweeps one or two settings at a time, not {count} ({names})"),
                count=len(varied),
                names=names,
            ),
        )
    return axes


def fixed_values(axes: Sequence[Axis]) -> dict[str, Any]:
    """The settings given one value each: the same in every run."""
    return {axis.name: axis.values[0] for axis in axes if len(axis.values) == 1}


def plan(
    axes: Sequence[Axis], corpus_config: CorpusConfig, model_config: ModelConfig, train_config: TrainConfig
) -> list[SweepRun]:
    """Every combination of the axes' values, first axis slowest, applied to the base settings.

    An axis of one value applies to every run; `SweepRun.values` names only the varied ones.

    Each run's settings are checked together before any run starts, so that
    a combination that cannot train (gates for nn.GRU, say) is refused now,
    not after the runs before it.
    """
    count = math.prod(len(axis.values) for axis in axes)
    if count > MAX_RUNS:
        raise ConfigError(
            "sweep",
            phrase(
                QT_TRANSLATE_NOOP("engine", "would train {count} runs; at most {most} (fewer values, or two sweeps)"),
                count=count,
                most=MAX_RUNS,
            ),
        )
    runs = []
    for index, combination in enumerate(itertools.product(*(axis.values for axis in axes)), 1):
        values = {axis.name: value for axis, value in zip(axes, combination, strict=True) if len(axis.values) > 1}
        configs = {CorpusConfig: corpus_config, ModelConfig: model_config, TrainConfig: train_config}
        for axis, value in zip(axes, combination, strict=True):
            configs[axis.config_type] = dataclasses.replace(configs[axis.config_type], **{axis.field: value})
        run = SweepRun(index, values, configs[CorpusConfig], configs[ModelConfig], configs[TrainConfig])
        try:
            validate_all(run.corpus_config, run.model_config, run.train_config)
        except ConfigError as exc:
            raise ConfigError(
                "sweep",
                phrase(
                    QT_TRANSLATE_NOOP("engine", "the run with {label} cannot train: {error}"),
                    label=run.label(),
                    error=exc.phrase,
                ),
            ) from None
        runs.append(run)
    return runs
