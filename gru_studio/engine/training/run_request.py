"""The next run, as one value: its text and settings, and whether it trains the current model on.

Every way of starting a run makes a `RunRequest` and hands it to `prepare`: the
window's Train and Continue (the settings and text panels are views of the
request), each run of a sweep, Train again on a recorded run, and the command
line's `train` and `sweep`. So a run is checked, named and started one way,
whoever asked for it, and none of them needs a window.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.training.session import Session, check_new_run

CONFIG_TYPES = (CorpusConfig, ModelConfig, TrainConfig)
# What the loaded text itself depends on: a request that changes one of these needs its text read again.
TEXT_FIELDS = ("source", "mode", "max_tokens", "encoding")
# The training settings a continued run takes from the request; the rest stay the model's. The
# threads and the CUDA graph belong to the machine the model trains on now, as its device does, not to the model.
CONTINUE_FIELDS = ("threads", "cuda_graph")


@dataclass(frozen=True)
class RunRequest:
    """What the next run trains: settings, the text they were read for, and new model or continue."""

    corpus_config: CorpusConfig = field(default_factory=CorpusConfig)
    model_config: ModelConfig = field(default_factory=ModelConfig)
    train_config: TrainConfig = field(default_factory=TrainConfig)
    corpus: Corpus | None = None  # the text, once read; None: read by `prepare` (the command line), or not yet
    continues: bool = False  # train the current model on, up to train_config.epochs in its whole life
    carried: tuple[str, ...] = CONTINUE_FIELDS  # what a continued run takes from train_config besides epochs

    # -- reading and changing it by setting name ---------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Every setting by its field name (the names the panels, the run history and sweeps use)."""
        return {f.name: getattr(config, f.name) for config in self.configs() for f in dataclasses.fields(config)}

    def configs(self) -> tuple[CorpusConfig, ModelConfig, TrainConfig]:
        return self.corpus_config, self.model_config, self.train_config

    def with_values(self, values: Mapping[str, Any]) -> RunRequest:
        """This request with the settings named in `values` changed (names no config has are ignored).

        The text is kept unless a setting it depends on (TEXT_FIELDS) changed: then it must be read again.
        """
        configs = []
        for config in self.configs():
            names = {f.name for f in dataclasses.fields(config)}
            changes = {name: value for name, value in values.items() if name in names}
            configs.append(dataclasses.replace(config, **changes) if changes else config)
        corpus_config, model_config, train_config = configs
        corpus = self.corpus if same_text(corpus_config, self.corpus_config) else None
        return dataclasses.replace(
            self, corpus_config=corpus_config, model_config=model_config, train_config=train_config, corpus=corpus
        )

    def with_text(self, corpus: Corpus | None) -> RunRequest:
        return dataclasses.replace(self, corpus=corpus)

    def continued(self) -> RunRequest:
        return dataclasses.replace(self, continues=True)

    # -- checking --------------------------------------------------------------------------------

    def check(self) -> TrainConfig:
        """What a new run on this text would refuse, checked without building anything (check_new_run).

        Returns the training settings the run will use (the sample prefix made usable). Needs the text.
        """
        if self.corpus is None:
            raise ValueError("the request has no text yet: read it first (load_corpus) or let prepare read it")
        return check_new_run(self.corpus, *self.configs())

    def problem(self) -> GruStudioError | None:
        """Why a new run of this request cannot start, or None when it can (the text must be read)."""
        try:
            self.check()
        except GruStudioError as exc:
            return exc
        return None


def same_text(a: CorpusConfig, b: CorpusConfig) -> bool:
    """Whether two text settings read the same text (batching and the validation split aside)."""
    return all(getattr(a, name) == getattr(b, name) for name in TEXT_FIELDS)


def prepare(request: RunRequest, current: Session | None = None) -> Session:
    """The session that trains the run `request` asks for: the one entry point of every run.

    A new run gets a new Session (its text read now unless the request has it), everything it
    could refuse checked before a thread starts. A continued run is `current` set to train on:
    refused (TransitionError, RuntimeError, CorpusError) as Session.continue_to refuses.
    """
    if request.continues:
        if current is None:
            raise RuntimeError("there is no model to continue: train one or open one first")
        changes = {name: getattr(request.train_config, name) for name in request.carried}
        current.continue_to(request.train_config.epochs, **changes)
        return current
    return Session.new(*request.configs(), corpus=request.corpus)
