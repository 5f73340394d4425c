"""The one owner of the training and generation threads, and of the run's state.

The run's states and their transitions are the engine's `RunState` table
(engine/run_state.py); every change goes through `RunMachine.to`, which refuses
one the table does not allow. The window enables its controls from the state's
queries alone (`can_pause`, `can_stop`, ...).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import torch
from PySide6.QtCore import QObject, Signal, Slot
from torch import nn

from gru_studio.engine import checkpoint
from gru_studio.engine.checkpoint import Checkpoint
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.control import RunControl
from gru_studio.engine.corpus import Corpus, load_corpus
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.events import BatchEnd, EpochEnd, Finished, Sample
from gru_studio.engine.generate import generate
from gru_studio.engine.models import build_model, cpu_copy
from gru_studio.engine.run_state import RunMachine, RunState
from gru_studio.engine.trainer import Trainer, create_trainer, resume_trainer
from gru_studio.gui.worker import IteratorWorker, Job, WorkerHandle

T = TypeVar("T")
SNAPSHOT_TIMEOUT_S = 30.0  # a batch never takes this long; past it, something is stuck


@dataclass
class _Run:
    """What one training run is made of; `trainer` is set on the worker thread."""

    corpus: Corpus
    control: RunControl
    handle: WorkerHandle | None  # None for a model opened from a file
    trainer: Trainer | None = None


class Controller(QObject):
    state_changed = Signal(object)  # RunState
    progress = Signal(object)  # BatchEnd
    epoch_ended = Signal(object)  # EpochEnd
    sampled = Signal(object)  # Sample
    run_finished = Signal(object)  # Finished
    run_failed = Signal(str)
    generated = Signal(str)  # a chunk of characters
    generation_ended = Signal()
    generation_failed = Signal(str)
    model_saved = Signal(str)  # path
    model_save_failed = Signal(str)
    model_opened = Signal(object)  # Trainer
    model_open_failed = Signal(str)
    autosaved = Signal(str)  # why: "every N epochs" or "stopped"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.machine = RunMachine()
        self._run: _Run | None = None
        self._generation: WorkerHandle | None = None
        self._jobs: list[Job] = []  # saves and opens under way
        self._closed = False  # set by shutdown(): no new work after it
        self.autosave_every = 0  # epochs; 0 = off
        self.autosave_path: Path | None = None

    # -- training -------------------------------------------------------------

    @property
    def state(self) -> RunState:
        return self.machine.state

    def start(self, corpus: Corpus, corpus_config: CorpusConfig, model_config: ModelConfig, train: TrainConfig) -> None:
        """Train a new model."""
        if self.state.can_train:
            self._launch(corpus, lambda: create_trainer(corpus, corpus_config, model_config, train))

    def continue_training(self, epochs: int) -> None:
        """Train the current model on, until `epochs` in total."""
        run = self._run
        if not self.state.can_continue or run is None or run.trainer is None:
            return
        trainer = run.trainer
        trainer.config = dataclasses.replace(trainer.config, epochs=epochs)
        self._launch(run.corpus, lambda: trainer)

    def _launch(self, corpus: Corpus, make_trainer: Callable[[], Trainer]) -> None:
        control = RunControl()

        def events():
            try:
                run.trainer = make_trainer()  # on the worker thread: building a model is torch work
                yield from run.trainer.run(control)
            finally:
                control.close()

        # Four updates a second are smooth to watch. Each costs the GUI thread a
        # repaint, and the training thread waits for the GIL meanwhile: with
        # updates every 50 ms the fast scratch model trained in the window at 0.87
        # of its headless speed, every 250 ms at 0.95 (medians of 5 rounds).
        worker = IteratorWorker(events, interval_s=0.25, coalesce=(BatchEnd,), flush_now=lambda: control.paused)
        run = _Run(corpus, control, WorkerHandle(worker, self))
        worker.items.connect(self._on_items)
        worker.failed.connect(self._on_failed)
        run.handle.finished.connect(self._on_thread_finished)
        self._run = run
        self._set_state(RunState.TRAINING)
        run.handle.start()

    def pause(self) -> None:
        if self.state.can_pause and self._run:
            self._run.control.pause()
            self._set_state(RunState.PAUSED)

    def resume(self) -> None:
        if self.state.can_resume and self._run:
            self._run.control.resume()
            self._set_state(RunState.TRAINING)

    def stop(self) -> None:
        """Ask the loop to end at its next batch boundary; Pause is refused from now on."""
        if self.state.can_stop and self._run:
            self._run.control.stop()
            self._set_state(RunState.STOPPING)

    def reset(self) -> None:
        """Forget the model; only once its run has ended."""
        if self.state.can_reset:
            self._run = None
            self._set_state(RunState.IDLE)

    @property
    def has_model(self) -> bool:
        return self._run is not None and self._run.trainer is not None

    @property
    def trainer(self) -> Trainer | None:
        return self._run.trainer if self._run else None

    @Slot(list)
    def _on_items(self, items: list) -> None:
        for item in items:
            if isinstance(item, BatchEnd):
                self.progress.emit(item)
            elif isinstance(item, EpochEnd):
                self.epoch_ended.emit(item)
                if self.autosave_every and item.epoch % self.autosave_every == 0:
                    self._autosave(f"epoch {item.epoch}")
            elif isinstance(item, Sample):
                self.sampled.emit(item)
            elif isinstance(item, Finished):
                self._set_state(RunState.FINISHED if item.reason == "completed" else RunState.STOPPED)
                self.run_finished.emit(item)
                if item.reason == "stopped" and self.autosave_every:
                    self._autosave("stopped")

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_state(RunState.FAILED)
        self.run_failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self.state.is_running:  # ended without a Finished event
            self._set_state(RunState.STOPPED)

    def _set_state(self, state: RunState) -> None:
        """Move along the table (an illegal move raises: a bug here, not a user's doing) and tell the window."""
        self.machine.to(state)
        self.state_changed.emit(state)

    # -- generation -----------------------------------------------------------

    def model_source(self, corpus: Corpus, model_config: ModelConfig, seed: int) -> Callable[[], nn.Module]:
        """How the generation thread gets a model of its own to generate from.

        During a run: a CPU copy taken on the training thread between two
        batches. After a run: a copy of the trained model. With no model yet:
        an untrained one of the current settings, so a learner can see what
        random weights write. The copy is always made on the generation
        thread: torch work on the GUI thread would start a second OpenMP
        thread team there, and on 2 cores that cut training speed to a quarter.
        """
        copy = self._copier(lambda trainer: cpu_copy(trainer.model))
        if copy is not None:
            return copy

        def untrained() -> nn.Module:
            torch.manual_seed(seed)
            return build_model(model_config, len(corpus.vocab)).requires_grad_(False)

        return untrained

    def generate(
        self, model: Callable[[], nn.Module], corpus: Corpus, prefix: str, length: int, temperature: float, top_k: int
    ) -> None:
        """Stream `length` characters after `prefix`; a running generation is cancelled first."""
        self.cancel_generation()

        def characters():
            yield from generate(
                model(), corpus.vocab, prefix, length, mode=corpus.mode, temperature=temperature, top_k=top_k
            )

        worker = IteratorWorker(characters)
        handle = WorkerHandle(worker, self)
        worker.items.connect(self._on_generated)
        worker.failed.connect(self.generation_failed)
        handle.finished.connect(self._on_generation_finished)
        self._generation = handle
        handle.start()

    @property
    def generating(self) -> bool:
        return self._generation is not None and self._generation.running

    def cancel_generation(self) -> None:
        # The handle is kept until the next generation replaces it: dropping it
        # from inside its own `finished` signal would delete it mid-emission.
        if self._generation is not None:
            self._generation.cancel()
            self._generation.wait()

    @Slot(list)
    def _on_generated(self, chars: list) -> None:
        self.generated.emit("".join(chars))

    @Slot()
    def _on_generation_finished(self) -> None:
        self.generation_ended.emit()

    # -- model files ------------------------------------------------------------

    def checkpoint_source(self) -> Callable[[], Checkpoint] | None:
        """How a worker thread gets a copy of the current model and its training state, or None."""
        return self._copier(Trainer.checkpoint_copy)

    def _copier(self, copy: Callable[[Trainer], T]) -> Callable[[], T] | None:
        """A callable for a worker thread that returns `copy(trainer)` made safely, or None without a model.

        While the loop runs, the copy is made on its thread between two batches;
        once it has ended (even if its last events are still on their way here),
        submit() says so and the copy is made on the calling worker thread.
        """
        run = self._run
        if run is None:
            return None
        future = run.control.submit(lambda: copy(_trainer_of(run)))
        if future is not None:
            return lambda: future.result(timeout=SNAPSHOT_TIMEOUT_S)
        trainer = run.trainer
        return (lambda: copy(trainer)) if trainer is not None else None

    def save_model(self, path: str | Path) -> bool:
        """Write the current model to `path` on a worker thread; False when there is no model."""
        source = self.checkpoint_source()
        if source is None:
            return False

        def save() -> str:
            checkpoint.save(path, source())
            return str(path)

        self._job(save, self.model_saved.emit, self.model_save_failed.emit)
        return True

    def open_model(self, path: str | Path, device: str) -> None:
        """Load a checkpoint and its text on a worker thread, ready to generate and to train on."""

        def open_() -> Trainer:
            saved = checkpoint.load(path)
            corpus = load_corpus(saved.corpus_config)
            return resume_trainer(saved, corpus, max(saved.epoch, 1), device)

        self._job(open_, self._adopt, self.model_open_failed.emit)

    def _adopt(self, trainer: Trainer) -> None:
        if not self.state.can_open_model:
            self.model_open_failed.emit("Stop the training first, then open the model again.")
            return
        idle = RunControl()
        idle.close()  # no loop runs this model yet: copies are made where they are needed
        self._run = _Run(trainer.corpus, idle, None, trainer)
        self.machine.to(RunState.FINISHED)
        self.model_opened.emit(trainer)
        self.state_changed.emit(RunState.FINISHED)  # after model_opened, so the window shows the new model

    def _job(self, task: Callable[[], object], on_result: Callable, on_error: Callable) -> None:
        self._jobs = [job for job in self._jobs if job.handle.running]  # finished ones can go now
        self._jobs.append(Job(task, on_result, on_error, self))

    def _autosave(self, reason: str) -> None:
        if self.autosave_path is not None and not self._closed:
            self.autosave_path.parent.mkdir(parents=True, exist_ok=True)
            self.save_model(self.autosave_path)
            self.autosaved.emit(reason)

    # -- closing --------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop everything and wait for the threads; True when all have ended in time.

        A run stopped here gets its autosave now: its own 'stopped' event would
        arrive after the window has gone, and a save started then would still
        be running when the application exits. After this nothing new starts.
        """
        ok = True
        run = self._run
        if run is not None and run.handle is not None:
            run.control.stop()
            ok = run.handle.wait(timeout_ms)
            if ok and self.state.is_running and self.autosave_every:
                self._autosave("closed")
        self._closed = True
        for job in self._jobs:
            ok = job.handle.wait(timeout_ms) and ok
        if self._generation is not None:
            self._generation.cancel()
            ok = self._generation.wait(timeout_ms) and ok
        return ok


def _trainer_of(run: _Run) -> Trainer:
    if run.trainer is None:
        raise GenerationError("The model is still being built; try again in a moment.")
    return run.trainer
