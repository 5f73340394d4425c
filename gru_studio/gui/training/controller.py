"""The Qt side of a run: the engine's Session on worker threads, its changes as signals.

The run itself (its set-up, its state machine, pausing, stopping, copies of
the model) is the engine's `Session` (engine/training/session.py), shared with the
command line and the self-test. This class only moves work onto threads and
turns what comes back into signals for the window: the training loop on one
worker, generation on another, saves and opens as one-shot jobs. The window
enables its controls from `state` alone, through its queries (`can_pause`,
`can_stop`, ...).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from PySide6.QtCore import QObject, Signal, Slot
from torch import nn

from gru_studio.engine.analysis import influence, inside
from gru_studio.engine.analysis.clamp import Clamp
from gru_studio.engine.analysis.influence import Reach
from gru_studio.engine.config import ModelConfig
from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.history import kept_models
from gru_studio.engine.history.recorder import RunRecorder
from gru_studio.engine.history.store import INTERACTIVE_WAIT_S, RunStore
from gru_studio.engine.history.summary import RunSummary
from gru_studio.engine.messages import QT_TRANSLATE_NOOP
from gru_studio.engine.models import build_model, cpu_copy
from gru_studio.engine.models.generate import generate
from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.text.vocab import Vocab
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.checkpoint import Checkpoint
from gru_studio.engine.training.events import BatchEnd, EpochEnd, EventRoutes, Finished, Sample
from gru_studio.engine.training.run_request import RunRequest, prepare
from gru_studio.engine.training.run_state import RunState
from gru_studio.engine.training.session import Session
from gru_studio.engine.training.trainer import Trainer
from gru_studio.gui.common.worker import IteratorWorker, Job, WorkerHandle


class Controller(QObject):
    state_changed = Signal(object)  # RunState
    # A run's events (BatchEnd, EpochEnd, Sample, Finished) reach their handlers through
    # `events`, one table from event type to handlers, on the GUI thread in their order.
    # Errors travel as the error (or Phrase) itself, so the window renders them in its language.
    run_failed = Signal(object)  # GruStudioError | Phrase
    generated = Signal(str)  # a chunk of characters
    generation_ended = Signal()
    generation_failed = Signal(object)  # GruStudioError | Phrase
    model_saved = Signal(str)  # path
    model_save_failed = Signal(object)  # GruStudioError | Phrase | str
    model_opened = Signal(object)  # Session
    model_open_failed = Signal(object)  # GruStudioError | Phrase | str
    model_kept = Signal(str)  # the path a run's final model was kept at
    autosaved = Signal(str)  # why: "every N epochs" or "stopped"
    run_recorded = Signal(int)  # the run store's id of the run that started
    # Phrase | str: why runs are not (or not fully) recorded; emitted on the training thread
    record_notice = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: Session | None = None
        # The state as the window has been told it. The session's own state
        # turns finished on the training thread just before the Finished event
        # is sent, so the window would otherwise see 'finished' before the
        # event that says how the run ended has reached it.
        self._shown = RunState.IDLE
        self._training: WorkerHandle | None = None  # the thread of the current (or last) run
        self._generation: WorkerHandle | None = None
        self._jobs: list[Job] = []  # saves and opens under way
        self._closed = False  # set by shutdown(): no new work after it
        self.autosave_every = 0  # epochs; 0 = off
        self.autosave_path: Path | None = None
        # Each run's final model, kept under the data folder within a budget (Open model for any kept run).
        self.keep_models = True
        self.models_folder: Path | None = None  # None: the user's data folder's "models"
        self.models_budget = kept_models.BUDGET_BYTES
        self.runs_path: Path | None = None  # the run store; None: the one in the user's data folder
        self.recording = True  # record each run in the run store, as `gru-studio train` does
        self._recorder: RunRecorder | None = None  # of the current session's last run
        self._announced = False  # run_recorded was emitted for the recorder's run
        self._last_sample: str | None = None
        # The controller's own handlers come first: the state is 'finished' before anyone hears Finished.
        self.events = (
            EventRoutes()
            .on(EpochEnd, self._autosave_after)
            .on(Sample, self._keep_sample)
            .on(Finished, self._on_finished, self._autosave_after)
        )

    # -- what there is ----------------------------------------------------------

    @property
    def state(self) -> RunState:
        """The run's state, changing only as its events reach the GUI thread, in their order."""
        return self._shown

    @property
    def has_model(self) -> bool:
        return self.session is not None and self.session.has_model

    @property
    def can_train_on(self) -> bool:
        """The current model has its text, so Continue can train it."""
        return self.has_model and self.session is not None and self.session.text_missing is None

    @property
    def trainer(self) -> Trainer | None:
        """The current model's trainer; while a run is under way, read the model only through copies."""
        return self.session.trainer if self.session is not None else None

    # -- training -------------------------------------------------------------

    def run(self, request: RunRequest) -> bool:
        """Start the run `request` asks for (a new model, or the current one continued): the window's one
        way in, for Train, Continue, a sweep's runs and Train again. False when the state allows no run
        now; raises GruStudioError, before any thread starts, when the request cannot train."""
        # A continued model whose text is missing is let through: continue_to says why it cannot train.
        allowed = self.state.can_continue and self.has_model if request.continues else self.state.can_train
        if not allowed or self._closed:
            return False
        self._launch(prepare(request, self.session))
        return True

    def _launch(self, session: Session) -> None:
        events = session.train()  # the state is 'training' from here; the model is built on the worker
        # Recorded as the events pass, on the training thread, which opens the store itself. A store
        # that cannot be used says so once (record_notice) and the run trains on, unrecorded.
        self._recorder = RunRecorder(self.runs_path, warn=self.record_notice.emit) if self.recording else None
        self._announced, self._last_sample = False, None
        if self._recorder is not None:
            events = self._recorder.watch(session, events)
        # Four updates a second are smooth to watch. Each costs the GUI thread a
        # repaint, and the training thread waits for the GIL meanwhile: with
        # updates every 50 ms the fast scratch model trained in the window at 0.87
        # of its headless speed, every 250 ms at 0.95 (medians of 5 rounds).
        control = session.control
        worker = IteratorWorker(lambda: events, interval_s=0.25, coalesce=(BatchEnd,), flush_now=lambda: control.paused)
        worker.items.connect(self._on_items)
        worker.failed.connect(self._on_failed)
        self.session = session
        self._training = WorkerHandle(worker, self)
        self._training.finished.connect(self._on_thread_finished)
        self._notify()
        self._training.start()

    def pause(self) -> None:
        if self.session is not None and self.session.pause():
            self._notify()

    def resume(self) -> None:
        if self.session is not None and self.session.resume():
            self._notify()

    def stop(self) -> None:
        """Ask the loop to end at its next batch boundary; from now on Pause is refused."""
        if self.session is not None and self.session.stop():
            self._notify()

    def reset(self) -> None:
        """Forget the model; only once its run has ended."""
        if self.session is not None and self.state.can_reset:
            self.session.reset()
            self._notify()

    def _notify(self) -> None:
        self._shown = self.session.state if self.session is not None else RunState.IDLE
        self.state_changed.emit(self._shown)

    @property
    def run_id(self) -> int | None:
        """The run store's id of the current session's last run; None when it was not recorded."""
        return self._recorder.run_id if self._recorder is not None else None

    @Slot(list)
    def _on_items(self, items: list) -> None:
        if not self._announced and self.run_id is not None:
            self._announced = True  # the recorder had its id before the first event left the loop
            self.run_recorded.emit(self.run_id)
        for item in items:
            self.events.send(item)

    def _keep_sample(self, event: Sample) -> None:
        self._last_sample = event.text

    def _on_finished(self, event: Finished) -> None:
        self._record_sample()
        self._notify()  # the session is finished or stopped by the time this event exists
        self._keep_model()

    def _keep_model(self) -> None:
        """Save the run's final model as its own file, recorded with the run (engine/history/kept_models.py)."""
        recorder, source = self._recorder, self.checkpoint_source()
        if not self.keep_models or recorder is None or recorder.run_id is None or source is None or self._closed:
            return
        folder = self.models_folder or kept_models.models_folder()
        path, budget = kept_models.kept_model_path(recorder.run_id, folder), self.models_budget

        def keep() -> str:
            folder.mkdir(parents=True, exist_ok=True)
            checkpoint.save(path, source())
            recorder.set_outputs(checkpoint=path)
            kept_models.prune(folder, budget, keep=path)
            return str(path)

        self._job(keep, self.model_kept.emit, self.model_save_failed.emit)

    def _autosave_after(self, event: EpochEnd | Finished) -> None:
        reason = Session.autosave_due(event, self.autosave_every)
        if reason is not None:
            self._autosave(reason)

    @Slot(object)
    def _on_failed(self, message: object) -> None:
        self._notify()  # the session turned 'failed' as the error left the loop
        self.run_failed.emit(message)

    def _record_sample(self) -> None:
        """The run's last sample prediction, as `gru-studio train` records its final sample."""
        recorder, sample = self._recorder, self._last_sample
        if recorder is not None and recorder.run_id is not None and sample is not None and not self._closed:
            self._job(lambda: recorder.set_outputs(sample=sample), lambda _: None, lambda _: None)

    @Slot()
    def _on_thread_finished(self) -> None:
        # A worker cancelled before its loop ended leaves no Finished event behind. Only the current
        # run's thread counts: an earlier one can end after a new run has started (its recorder closes
        # the store after the last event has left), and must not stop the new run.
        if self.sender() is not self._training:
            return
        if self.session is not None and self.state.is_running:
            self.session.machine.try_to(RunState.STOPPED)
            self._notify()

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
        copy = self.session.copier(lambda trainer: cpu_copy(trainer.model)) if self.session is not None else None
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

    # -- looking inside -----------------------------------------------------------

    def trace(
        self,
        text: str,
        layer: int,
        on_result: Callable[[tuple], None],
        on_error: Callable[[str], None],
        clamps: Sequence[Clamp] = (),
    ) -> bool:
        """Trace the model's gates and states over `text` on a job thread; False when there is no model.

        `on_result` gets `(Trace, number of layers, the probe's perplexity without the clamps)`.
        The weights are copied as for generation (between two batches while a run goes on), so neither
        the training loop nor the GUI thread waits for the trace itself.
        """

        def run(model: nn.Module, vocab: Vocab, mode: str) -> tuple[inside.Trace, int, float | None]:
            shown = inside.trace(model, vocab, text, mode=mode, layer=layer, clamps=clamps)
            free = inside.trace(model, vocab, text, mode=mode, layer=layer).perplexity if clamps else shown.perplexity
            return shown, inside.num_layers(model), free

        return self._on_model_copy(run, on_result, on_error)

    def _on_model_copy(
        self, work: Callable[[nn.Module, Vocab, str], object], on_result: Callable, on_error: Callable
    ) -> bool:
        """Run `work(model, vocab, mode)` on a job thread over a CPU copy of the current model (taken
        between two batches while a run goes on); False when there is no model."""
        session = self.session
        copy = session.copier(lambda trainer: cpu_copy(trainer.model)) if session is not None else None
        if copy is None or session is None or self._closed:
            return False
        vocab, mode = session.corpus.vocab, session.corpus.mode
        self._job(lambda: work(copy(), vocab, mode), on_result, on_error)
        return True

    def generate_clamped(
        self, prefix: str, length: int, clamps: Sequence[Clamp], on_result: Callable[[str], None], on_error: Callable
    ) -> bool:
        """What the model writes after `prefix` with `clamps` held (greedy), on a job thread from a copy."""
        return self._on_model_copy(
            lambda model, vocab, mode: inside.generate_clamped(model, vocab, prefix, length, mode=mode, clamps=clamps),
            on_result,
            on_error,
        )

    def reach(self, text: str, on_result: Callable[[Reach], None], on_error: Callable[[object], None]) -> bool:
        """How far back the current model's predictions reach over `text`, on a job thread from a copy of
        the weights, as `trace` does; False when there is no model."""
        return self._on_model_copy(
            lambda model, vocab, mode: influence.reach(model, vocab, text, mode=mode), on_result, on_error
        )

    def reach_of_file(
        self, path: str, text: str, on_result: Callable[[Reach], None], on_error: Callable[[object], None]
    ) -> bool:
        """The same for a model saved in `path` (a recorded run's), read and measured on a job thread."""
        if self._closed:
            return False

        def run() -> Reach:
            saved = checkpoint.load(path, "cpu")
            return influence.reach(saved.model, saved.vocab, text, mode=saved.mode)

        self._job(run, on_result, on_error)
        return True

    # -- model files ------------------------------------------------------------

    def checkpoint_source(self) -> Callable[[], Checkpoint] | None:
        """How a worker thread gets a copy of the current model and its training state, or None."""
        return self.session.copier(Trainer.checkpoint_copy) if self.session is not None else None

    def save_model(self, path: str | Path, record: bool = True) -> bool:
        """Write the current model to `path` on a worker thread; False when there is no model.

        `record`: note the file with the run in the run history (a save the user asked for); the
        autosave does not when each run keeps its own model, which is the file the run names."""
        source = self.checkpoint_source()
        if source is None:
            return False

        recorder = self._recorder if record else None  # the run whose model this is; the file is recorded with it

        def save() -> str:
            checkpoint.save(path, source())
            if recorder is not None:
                recorder.set_outputs(checkpoint=path)
            return str(path)

        self._job(save, self.model_saved.emit, self.model_save_failed.emit)
        return True

    def open_model(self, path: str | Path, device: str) -> None:
        """Read a checkpoint and its text on a worker thread, ready to generate and to train on."""
        # Without its text a model still generates and saves: only Continue needs the text.
        self._job(lambda: Session.open(path, device=device, need_text=False), self._adopt, self.model_open_failed.emit)

    def _adopt(self, session: Session) -> None:
        if not self.state.can_open_model:
            self.model_open_failed.emit(self.tr("Stop the training first, then open the model again."))
            return
        self.session = session
        self._recorder = None  # an opened model is no run; Continue records one
        self.model_opened.emit(session)
        self._notify()  # after model_opened, so the window shows the new model first

    # -- the run store -------------------------------------------------------------

    def list_runs(self, on_result: Callable[[tuple[list[RunSummary], str | None]], None], on_error: Callable) -> bool:
        """Read every recorded run's summary on a job thread; `on_result` gets (runs, notice).

        The store opens a connection of its own there (sqlite3 connections stay on
        their thread). 1,000 runs of 500 epochs take about 0.2 s to read: not a
        pause the window should make. False after shutdown.
        """
        if self._closed:
            return False
        path = self.runs_path

        def read() -> tuple[list[RunSummary], str | None]:
            store, notice = RunStore.open(path, wait_s=INTERACTIVE_WAIT_S, retries=0)  # never 40 s for a lock
            if store is None:
                raise GruStudioError(notice or QT_TRANSLATE_NOOP("engine", "the run store cannot be opened"))
            with store:
                return store.list(), notice

        self._job(read, on_result, on_error)
        return True

    def with_store(
        self,
        action: Callable[[RunStore], object],
        on_result: Callable[[object], None],
        on_error: Callable[[object], None],
        *,
        expected: tuple[type[Exception], ...] = (sqlite3.Error,),
    ) -> bool:
        """Open the run store on a job thread, call `action(store)` there, close it; never on the GUI thread.

        `on_result` gets what `action` returned, on the GUI thread. `on_error` gets, there:
        a GruStudioError when the store cannot be opened (its notice says why), an error of
        the `expected` kinds that `action` raised (sqlite's, say) as it is, or the worker's
        "Unexpected error" Phrase for anything else (logged: a bug). False after shutdown.
        """
        if self._closed:
            return False
        path = self.runs_path

        def run() -> object:
            store, notice = RunStore.open(path, wait_s=INTERACTIVE_WAIT_S, retries=0)  # never 40 s for a lock
            if store is None:
                raise GruStudioError(notice or QT_TRANSLATE_NOOP("engine", "the run store cannot be opened"))
            with store:
                try:
                    return action(store)
                except expected as exc:
                    return _Raised(exc.with_traceback(None))  # the frames (and the store) need not travel

        def delivered(value: object) -> None:  # called by the Job's slot, on the GUI thread
            if isinstance(value, _Raised):
                on_error(value.error)
            else:
                on_result(value)

        self._job(run, delivered, on_error)
        return True

    def _job(self, task: Callable[[], object], on_result: Callable, on_error: Callable) -> None:
        self._jobs = [job for job in self._jobs if job.handle.running]  # finished ones can go now
        self._jobs.append(Job(task, on_result, on_error, self))

    def _autosave(self, reason: str) -> None:
        if self.autosave_path is not None and not self._closed:
            self.autosave_path.parent.mkdir(parents=True, exist_ok=True)
            self.save_model(self.autosave_path, record=not self.keep_models)
            self.autosaved.emit(reason)

    # -- closing --------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop everything and wait for the threads; True when all have ended in time.

        A run stopped here gets its autosave now: its own 'stopped' event would
        arrive after the window has gone, and a save started then would still
        be running when the application exits. After this nothing new starts.
        """
        ok = True
        if self._training is not None:
            was_running = self.state.is_running
            if self.session is not None:
                self.session.stop()
            ok = self._training.wait(timeout_ms)
            if ok and was_running and self.autosave_every:
                self._autosave("closed")
        self._closed = True
        for job in self._jobs:
            ok = job.handle.wait(timeout_ms) and ok
        if self._generation is not None:
            self._generation.cancel()
            ok = self._generation.wait(timeout_ms) and ok
        return ok


class _Raised:
    """An expected error of a `with_store` action, carried to the GUI thread as a result."""

    def __init__(self, error: Exception) -> None:
        self.error = error
