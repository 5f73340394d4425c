"""One model, the text and settings it trains with, and its runs: the one place a run is set up.

The command line, the window and the self-test all train through a Session:

    session = Session.new(corpus_config, model_config, train_config)  # checks, reads the text
    for event in session.train():                                      # builds the model, trains
        ...
    session.save("model.pt")

    session = Session.open("model.pt", device="cpu")                   # state: finished
    session.continue_to(1000)                                          # epochs over the model's life
    for event in session.train():
        ...

Threads. The owner (the window's GUI thread, or the command line's only
thread) calls `new`, `train`, `pause`, `resume`, `stop`, `continue_to`,
`reset` and `copier`; `open` reads files and builds a model, so the window
calls it on a worker thread. The iterator `train` returns may be consumed on
another thread: the model of a new session is built there, at its first step,
so no torch work runs on the GUI thread. The state becomes training when
`train` is called; it becomes finished, stopped or failed on the iterating
thread just before the Finished event (or the error) comes out, so whoever
handles that event reads the final state.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import numpy as np
import torch
from torch import nn

from gru_studio.engine.config import (
    SAMPLE,
    TIME_MACHINE,
    CorpusConfig,
    ModelConfig,
    TrainConfig,
    validate,
    validate_all,
)
from gru_studio.engine.errors import CorpusError, GruStudioError
from gru_studio.engine.hardware.device import resolve_device
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
from gru_studio.engine.models import cpu_copy
from gru_studio.engine.models.footprint import check_fits
from gru_studio.engine.models.generate import complete, usable_prefix
from gru_studio.engine.text.corpus import Corpus, load_corpus
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.checkpoint import Checkpoint
from gru_studio.engine.training.control import RunControl
from gru_studio.engine.training.events import EpochEnd, EpochRecord, Event, Finished
from gru_studio.engine.training.run_state import RunMachine, RunState, TransitionError
from gru_studio.engine.training.trainer import Trainer, check_run, create_trainer, resume_trainer

T = TypeVar("T")
SNAPSHOT_TIMEOUT_S = 30.0  # a batch never takes this long; past it, something is stuck


def _vocab_only(saved: Checkpoint) -> Corpus:
    """A corpus with the model's characters and no tokens: enough to generate, nothing to train on."""
    empty = np.zeros(0, dtype=np.int32)
    name = phrase(QT_TRANSLATE_NOOP("engine", "{name} (missing)"), name=Path(saved.corpus_config.source).name)
    return Corpus(name, saved.mode, saved.vocab, empty, 0)


def check_settings(corpus_config: CorpusConfig, model_config: ModelConfig, train_config: TrainConfig) -> torch.device:
    """Validate every setting and resolve the device, before any text is read or downloaded:
    a wrong device must say so, not report a download that never needed to happen."""
    validate_all(corpus_config, model_config, train_config)
    return resolve_device(train_config.device)


def check_new_run(
    corpus: Corpus, corpus_config: CorpusConfig, model_config: ModelConfig, train_config: TrainConfig
) -> TrainConfig:
    """Everything a new run on this text could refuse, checked without building anything:
    the settings, the device, the memory it needs, the text's length and the sample prefix.

    Returns the training settings with the prefix the run will use: the book's
    default prefix becomes the text's first characters when the text cannot
    spell it. The window asks this on every change, to say why Train cannot
    start before it is clicked; Session.new asks it too, so the two never differ.
    """
    device = check_settings(corpus_config, model_config, train_config)
    check_fits(model_config, train_config, len(corpus.vocab), device)
    prefix = usable_prefix(train_config.prefix, corpus.preview(), corpus.vocab, corpus.mode)
    train_config = dataclasses.replace(train_config, prefix=prefix)
    check_run(corpus, corpus_config, train_config)
    return train_config


class Session:
    """A model (built on the first run, or read from a file), its text, its settings and its runs.

    `state` is the run's RunState; `pause`, `resume` and `stop` move it and
    the loop together, and return False when the state refuses (Pause once
    stopping, say). Make sessions with `Session.new` or `Session.open`.
    """

    def __init__(
        self,
        corpus: Corpus,
        corpus_config: CorpusConfig,
        model_config: ModelConfig,
        train_config: TrainConfig,
        device: torch.device,
        trainer: Trainer | None = None,
    ) -> None:
        self.corpus, self.device = corpus, device
        self.corpus_config, self.model_config = corpus_config, model_config
        self._train_config = train_config  # until the trainer exists; then the trainer's is the one
        self.trainer = trainer
        self.machine = RunMachine()
        self.control: RunControl | None = None  # of the current (or last) run
        self._loop_thread: int | None = None  # the thread iterating the events, while it does
        # Phrases (plain English as text; translated by the window): why an opened model cannot train,
        # its text not found, and what opening the model found worth telling (see `open`).
        self.text_missing: Phrase | None = None
        self.notes: list[Phrase] = []

    @classmethod
    def new(
        cls,
        corpus_config: CorpusConfig,
        model_config: ModelConfig,
        train_config: TrainConfig,
        *,
        corpus: Corpus | None = None,
    ) -> Session:
        """A session that trains a new model; its text is read now unless `corpus` is given.

        Everything a run could refuse is checked here, before a thread starts:
        the settings, the device, the text's length and the sample prefix. The
        book's default prefix becomes the text's first characters when the
        text cannot spell it. No model is built yet (see `train`).
        """
        device = check_settings(corpus_config, model_config, train_config)  # before the text is read
        if corpus is None:
            corpus = load_corpus(corpus_config)
        train_config = check_new_run(corpus, corpus_config, model_config, train_config)
        return cls(corpus, corpus_config, model_config, train_config, device)

    @classmethod
    def open(cls, path: str | Path, *, device: str = "cpu", need_text: bool = True) -> Session:
        """A model read from a checkpoint, with the text it was trained on, ready to generate,
        save or continue on `device`; its state is finished, at its saved epoch.

        The text is looked for where the checkpoint says, then next to it
        (checkpoint.locate_text). With `need_text=False` a text that cannot be
        read is no error: the session can generate and save, `text_missing`
        says why it cannot train, and Continue is refused with that reason.
        `notes` lists what the user should hear about the opening (the text
        missing, or changed since the model was saved), one line each.
        """
        target = resolve_device(device)  # before reading anything
        saved = checkpoint.load(path)
        notes: list[Phrase] = []
        missing: Phrase | None = None
        try:
            corpus = load_corpus(saved.corpus_config)
        except GruStudioError as exc:
            if need_text and saved.corpus_config.source in (SAMPLE, TIME_MACHINE):
                raise
            if need_text:
                raise CorpusError(
                    QT_TRANSLATE_NOOP(
                        "engine", "{error} It is the text {model} was trained on: put it back, or next to the model."
                    ),
                    error=exc.phrase,
                    model=Path(path).name,
                ) from None
            corpus = _vocab_only(saved)
            missing = phrase(
                QT_TRANSLATE_NOOP(
                    "engine", "Its text is not available ({error}), so it can generate but not train on."
                ),
                error=exc.phrase,
            )
            notes.append(missing)
        else:
            if not need_text and (corpus.vocab != saved.vocab or corpus.mode != saved.mode):
                # resume_trainer would refuse this text; the model still generates with its own characters.
                missing = phrase(
                    QT_TRANSLATE_NOOP(
                        "engine", "Its text {name} now has other characters, so it can generate but not train on."
                    ),
                    name=corpus.name,
                )
                corpus = _vocab_only(saved)
                notes.append(missing)
            elif saved.text_sha1 is not None and checkpoint.text_fingerprint(corpus.tokens) != saved.text_sha1:
                notes.append(
                    phrase(
                        QT_TRANSLATE_NOOP(
                            "engine",
                            "The text {name} has changed since this model was saved (its SHA-1 differs); "
                            "training continues on the text as it is now.",
                        ),
                        name=corpus.name,
                    )
                )
        trainer = resume_trainer(saved, corpus, max(saved.epoch, 1), device)
        session = cls(corpus, saved.corpus_config, saved.model_config, trainer.config, target, trainer)
        session.text_missing, session.notes = missing, notes
        session.machine.to(RunState.FINISHED)
        return session

    # -- what there is ------------------------------------------------------------

    @property
    def state(self) -> RunState:
        return self.machine.state

    @property
    def train_config(self) -> TrainConfig:
        return self.trainer.config if self.trainer is not None else self._train_config

    @property
    def has_model(self) -> bool:
        return self.trainer is not None

    @property
    def model(self) -> nn.Module | None:
        """The live model; while a run is under way, read it only through `copier`."""
        return self.trainer.model if self.trainer is not None else None

    @property
    def epoch(self) -> int:
        """Epochs trained over the model's whole life."""
        return self.trainer.epoch if self.trainer is not None else 0

    @property
    def history(self) -> list[EpochRecord]:
        return self.trainer.history if self.trainer is not None else []

    # -- runs ------------------------------------------------------------------------

    def continue_to(self, epochs: int, **changes: object) -> None:
        """Let the next run train the current model on until `epochs`, counted over its whole life.

        Only the number of epochs changes, and the training settings named in
        `changes` (the command line's --sample-every); an `epochs` already reached makes a
        run that ends at once. Raises TransitionError while a run is under way
        and RuntimeError when there is no model to continue.
        """
        if not self.state.can_continue:
            raise TransitionError(self.state, RunState.TRAINING)
        if self.trainer is None:
            raise RuntimeError("there is no model to continue: train one or open one first")
        if self.text_missing is not None:
            raise CorpusError(self.text_missing)  # a Phrase made in `open`: raised with its template
        config = dataclasses.replace(self.trainer.config, epochs=epochs, **changes)
        validate(config)
        self.trainer.config = config

    def train(self, control: RunControl | None = None) -> Iterator[Event]:
        """Start a run: the state is training from now on; returns the run's events to iterate.

        The first step builds the model if there is none yet (on the iterating
        thread). The events end with Finished; the state is then finished or
        stopped, or failed if the loop raised. An iterator closed early (its
        consumer cancelled) leaves the state stopped. Raises TransitionError
        when a run is already under way.
        """
        self.machine.to(RunState.TRAINING)
        self.control = control or RunControl()
        return self._events(self.control)

    def _events(self, control: RunControl) -> Iterator[Event]:
        self._loop_thread = threading.get_ident()
        try:
            if self.trainer is None:
                self.trainer = create_trainer(self.corpus, self.corpus_config, self.model_config, self._train_config)
            finished: Finished | None = None
            for event in self.trainer.run(control):
                if isinstance(event, Finished):
                    finished = event  # held back until the loop has wound down
                else:
                    yield event
            assert finished is not None  # Trainer.run always ends with Finished
            self.machine.to(RunState.FINISHED if finished.reason == "completed" else RunState.STOPPED)
            yield finished
        except GeneratorExit:
            self.machine.try_to(RunState.STOPPED)  # its consumer walked away: nothing trains on
            raise
        except BaseException:
            self.machine.try_to(RunState.FAILED)
            raise
        finally:
            self._loop_thread = None
            control.close()  # also when the model could not be built: nobody waits on a copy forever

    @staticmethod
    def autosave_due(event: EpochEnd | Finished, every: int) -> str | None:
        """Why a model should be saved after this event of its run, or None: with autosave every
        `every` epochs (0: off), at each multiple of it and when a run is stopped early."""
        if not every:
            return None
        if isinstance(event, EpochEnd):
            return f"epoch {event.epoch}" if event.epoch % every == 0 else None
        return "stopped" if event.reason == "stopped" else None

    def pause(self) -> bool:
        """Park the loop at its next batch boundary; False (nothing done) unless training."""
        if not self.machine.try_to(RunState.PAUSED):
            return False
        self._control().pause()
        return True

    def resume(self) -> bool:
        """Let a paused loop go on; False (nothing done) unless paused."""
        if not self.machine.try_to(RunState.TRAINING, only_from=RunState.PAUSED):
            return False
        self._control().resume()
        return True

    def stop(self) -> bool:
        """End the run at its next batch boundary, paused or not; False unless training or paused.
        Once stopping, Pause and Resume are refused: Stop wins."""
        if not self.machine.try_to(RunState.STOPPING):
            return False
        self._control().stop()
        return True

    def reset(self) -> None:
        """Forget the model and its history (settings and text stay); only once a run has ended."""
        self.machine.to(RunState.IDLE)
        self.trainer, self.control = None, None

    def _control(self) -> RunControl:
        assert self.control is not None  # a running state always has one
        return self.control

    # -- copies, files and text -----------------------------------------------------

    def copier(self, copy: Callable[[Trainer], T]) -> Callable[[], T] | None:
        """A callable that returns `copy(trainer)` made safely, or None when there is no model.

        While a loop runs, the copy is booked now and made on the training
        thread between two batches: call `copier` on the owner's thread, then
        the callable on any thread but the loop's (it waits for the copy).
        Once the loop has ended, or called on the loop's own thread between
        two events, the copy is made by the callable itself.
        """
        control = self.control
        if control is not None and threading.get_ident() != self._loop_thread:
            future = control.submit(lambda: copy(self._built_trainer()))
            if future is not None:
                return lambda: future.result(timeout=SNAPSHOT_TIMEOUT_S)
        trainer = self.trainer
        return (lambda: copy(trainer)) if trainer is not None else None

    def _built_trainer(self) -> Trainer:
        if self.trainer is None:
            raise GruStudioError(QT_TRANSLATE_NOOP("engine", "There is no model: the run ended before it was built."))
        return self.trainer

    def checkpoint_copy(self) -> Checkpoint:
        """A CPU copy of the model with its settings, history and training state, taken safely."""
        copy = self.copier(Trainer.checkpoint_copy)
        if copy is None:
            raise GruStudioError(QT_TRANSLATE_NOOP("engine", "There is no model to save yet: train or open one first."))
        return copy()

    def save(self, path: str | Path) -> None:
        """Write a checkpoint of the model as it is now (between two batches, if a run is under way)."""
        checkpoint.save(path, self.checkpoint_copy())

    def complete(self, prefix: str, length: int, **options: object) -> str:
        """The prefix as the model reads it, then `length` generated characters (greedy unless a
        temperature is given; see generate.generate). During a run it uses a copy of the model."""
        if self.state.is_running:
            copy = self.copier(lambda trainer: cpu_copy(trainer.model))
            model = copy() if copy is not None else None
        else:
            model = self.model
        if model is None:
            raise GruStudioError(
                QT_TRANSLATE_NOOP("engine", "There is no model to generate from yet: train or open one first.")
            )
        return complete(model, self.corpus.vocab, prefix, length, mode=self.corpus.mode, **options)

    def sample(self) -> str:
        """What the run's samples show: the configured prefix and length."""
        return self.complete(self.train_config.prefix, self.train_config.sample_length)
