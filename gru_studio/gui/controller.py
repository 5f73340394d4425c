"""The one owner of the training and generation threads, and of the run's state.

States: idle -> training <-> paused -> finished | stopped | failed, and back to
idle on Reset. The window enables its controls from `state` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from PySide6.QtCore import QObject, Signal, Slot
from torch import nn

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.control import RunControl
from gru_studio.engine.corpus import Corpus
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.events import BatchEnd, EpochEnd, Finished, Sample
from gru_studio.engine.generate import generate
from gru_studio.engine.models import build_model, cpu_copy
from gru_studio.engine.trainer import Trainer, create_trainer
from gru_studio.gui.worker import IteratorWorker, WorkerHandle

IDLE, TRAINING, PAUSED, FINISHED, STOPPED, FAILED = "idle", "training", "paused", "finished", "stopped", "failed"
RUNNING_STATES = (TRAINING, PAUSED)
SNAPSHOT_TIMEOUT_S = 30.0  # a batch never takes this long; past it, something is stuck


@dataclass
class _Run:
    """What one training run is made of; `trainer` is set on the worker thread."""

    corpus: Corpus
    control: RunControl
    handle: WorkerHandle
    trainer: Trainer | None = None


class Controller(QObject):
    state_changed = Signal(str)
    progress = Signal(object)  # BatchEnd
    epoch_ended = Signal(object)  # EpochEnd
    sampled = Signal(object)  # Sample
    run_finished = Signal(object)  # Finished
    run_failed = Signal(str)
    generated = Signal(str)  # a chunk of characters
    generation_ended = Signal()
    generation_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = IDLE
        self._run: _Run | None = None
        self._generation: WorkerHandle | None = None

    # -- training -------------------------------------------------------------

    def start(self, corpus: Corpus, corpus_config: CorpusConfig, model_config: ModelConfig, train: TrainConfig) -> None:
        if self.state in RUNNING_STATES:
            return
        control = RunControl()

        def events():
            try:
                run.trainer = create_trainer(corpus, corpus_config, model_config, train)
                yield from run.trainer.run(control)
            finally:
                control.run_tasks()

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
        self._set_state(TRAINING)
        run.handle.start()

    def pause(self) -> None:
        if self.state == TRAINING and self._run:
            self._run.control.pause()
            self._set_state(PAUSED)

    def resume(self) -> None:
        if self.state == PAUSED and self._run:
            self._run.control.resume()
            self._set_state(TRAINING)

    def stop(self) -> None:
        if self.state in RUNNING_STATES and self._run:
            self._run.control.stop()

    def reset(self) -> None:
        """Forget the model; only when nothing runs."""
        if self.state not in RUNNING_STATES:
            self._run = None
            self._set_state(IDLE)

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
            elif isinstance(item, Sample):
                self.sampled.emit(item)
            elif isinstance(item, Finished):
                self._set_state(FINISHED if item.reason == "completed" else STOPPED)
                self.run_finished.emit(item)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_state(FAILED)
        self.run_failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self.state in RUNNING_STATES:  # ended without a Finished event
            self._set_state(STOPPED)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
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
        run = self._run
        if run is not None and self.state in RUNNING_STATES:
            future = run.control.submit(lambda: _copy_of(run))
            return lambda: future.result(timeout=SNAPSHOT_TIMEOUT_S)
        if run is not None and run.trainer is not None:
            model = run.trainer.model
            return lambda: cpu_copy(model)

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

    # -- closing --------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop everything and wait for the threads; True when all have ended in time."""
        ok = True
        if self._run is not None:
            self._run.control.stop()
            ok = self._run.handle.wait(timeout_ms)
        if self._generation is not None:
            self._generation.cancel()
            ok = self._generation.wait(timeout_ms) and ok
        return ok


def _copy_of(run: _Run) -> nn.Module:
    if run.trainer is None:
        raise GenerationError("The model is still being built; try again in a moment.")
    return cpu_copy(run.trainer.model)
