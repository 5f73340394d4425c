"""A sweep in the window: its runs trained one after another, each through the window's one way in.

Each run is handed as a RunRequest to `start_run`, the entry point Train uses.
So every run gets what any run gets (its curve, its progress, its samples, its
record in the run history, its checks) through the one Controller and its
training thread; the panels are shown the settings of the run under way, and
when the sweep ends the swept settings go back to what they were.

The runner watches the controller's state: a run that finishes is done, one
that fails (it diverged, say) is failed and the next one starts, one that is
stopped (Skip, Cancel, or the window's Stop) is skipped. The next run starts
from the event loop, after the window has taken in the end of the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gru_studio.engine.experiments.sweep import SWEEPABLE, SweepResult, SweepRun
from gru_studio.engine.training.events import Finished, Sample
from gru_studio.engine.training.run_request import RunRequest
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.common.live_text import LiveText
from gru_studio.gui.setup.run_setup import RunSetup
from gru_studio.gui.training.controller import Controller

WAITING, TRAINING, DONE, FAILED, SKIPPED = "waiting", "training", "done", "failed", "skipped"
ENDED = (RunState.FINISHED, RunState.STOPPED, RunState.FAILED)


@dataclass
class SweepEntry:
    run: SweepRun
    state: str = WAITING
    message: LiveText = ""  # why it failed
    result: SweepResult | None = None  # its figures, once trained
    run_id: int | None = None  # in the run history


def run_values(run: SweepRun) -> dict[str, object]:
    """Every sweepable setting's value in this run, by the settings panel's names (the config fields)."""
    configs = (run.corpus_config, run.model_config, run.train_config)
    values: dict[str, object] = {}
    for config_type, field in SWEEPABLE.values():
        config = next(c for c in configs if isinstance(c, config_type))
        values[field] = getattr(config, field)
    return values


class SweepRunner(QObject):
    """Starts each run of a plan in turn through `start_run`, and follows it through the controller."""

    changed = Signal()  # an entry changed state or the sweep paused, resumed or ended
    run_started = Signal(str)  # the run's name for the plot's legend: "sweep 2/6 · lr 0.5, hidden 128"
    ended = Signal()

    def __init__(
        self,
        controller: Controller,
        setup: RunSetup,
        start_run: Callable[[RunRequest], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller, self.setup, self._start_run = controller, setup, start_run
        self.entries: list[SweepEntry] = []
        self.current: int | None = None  # the index of the entry training now
        self.paused = False
        self.active = False  # a sweep is under way (perhaps paused)
        self._stopping_as = SKIPPED  # what a stopped run is marked: always skipped, said here for clarity
        self._base: dict[str, object] = {}  # the panel's values when the sweep started
        self._kept: dict[str, object] = {}  # those of the swept settings, put back at the end
        self._failure: LiveText = ""  # the run's error, kept whole so that it is said in the present language
        self._finished: Finished | None = None
        self._sample = ""
        controller.state_changed.connect(self._on_state)
        controller.run_failed.connect(self._on_failed)
        controller.events.on(Finished, self._on_finished).on(Sample, self._on_sample)

    # -- what the user asks ------------------------------------------------------------------

    def start(self, runs: list[SweepRun]) -> None:
        if self.active or not runs:
            return
        self.entries = [SweepEntry(run) for run in runs]
        self._base = self.setup.request().values()
        # The settings some run gives another value than the panel has (a setting given one
        # value in the dialog too: `run.values` names only the varied ones). Each run writes
        # all of them, so that no run inherits the last one's.
        fields = {
            f for run in runs for f, value in run_values(run).items() if f in self._base and value != self._base[f]
        }
        self._kept = {field: self._base[field] for field in fields}
        self.active, self.paused, self.current = True, False, None
        self.changed.emit()
        self._next()

    def pause(self) -> None:
        """Hold the queue and pause the run under way; nothing new starts until resume()."""
        if self.active and not self.paused:
            self.paused = True
            self.controller.pause()
            self.changed.emit()

    def resume(self) -> None:
        if self.active and self.paused:
            self.paused = False
            if self.controller.state.can_resume:
                self.controller.resume()
            elif self.current is None:
                self._next()
            self.changed.emit()

    def skip(self) -> None:
        """Stop the run under way (it is recorded as stopped) and go on with the next."""
        if self.current is not None:
            self.controller.stop()

    def cancel(self) -> None:
        """Stop the run under way and skip every run still waiting."""
        if not self.active:
            return
        for entry in self.entries:
            if entry.state == WAITING:
                entry.state = SKIPPED
        if self.current is not None and self.controller.state.can_stop:
            self.controller.stop()  # the sweep ends when that run has
        elif self.current is None:
            self._end()
        self.changed.emit()

    @property
    def own_values(self) -> dict[str, object]:
        """While a sweep runs, the user's own values of the settings it varies (by field name), which the
        panel shows again when it ends; {} when none runs. What the window remembers at quit (issue 29)."""
        return dict(self._kept) if self.active else {}

    # -- counting ------------------------------------------------------------------------------

    def count(self, state: str) -> int:
        return sum(entry.state == state for entry in self.entries)

    # -- following the runs ----------------------------------------------------------------------

    def _next(self) -> None:
        if not self.active or self.paused or self.current is not None:
            return
        waiting = [i for i, entry in enumerate(self.entries) if entry.state == WAITING]
        if not waiting:
            self._end()
            return
        index = waiting[0]
        entry = self.entries[index]
        values = run_values(entry.run)
        self.setup.show(self.setup.request().with_values({field: values[field] for field in self._kept}))
        # The run's own settings, on the text the panel has now (a sweep never changes the text).
        request = entry.run.request(self.setup.request().corpus)
        problem = self._problem(request) if self.controller.state.can_train else ""
        if problem:
            # Checked when planned; the text or the machine changed since (the text was unloaded, say).
            entry.state, entry.message = FAILED, problem
            self.changed.emit()
            QTimer.singleShot(0, self._next)
            return
        self.current = index
        self._failure, self._finished, self._sample = "", None, ""
        entry.state = TRAINING
        if not self._start_run(request):
            entry.state, entry.message = FAILED, self._problem(request) or self._failure
            self.current = None
            QTimer.singleShot(0, self._next)
        else:
            # The window names a run by its model, text, lr and epochs: sweep runs differing in
            # another setting would read alike in the legend.
            self.run_started.emit(
                self.tr("sweep {index}/{count} · {values}").format(
                    index=entry.run.index, count=len(self.entries), values=entry.run.label()
                )
            )
        self.changed.emit()

    def _problem(self, request: RunRequest) -> LiveText:
        """Why `request` cannot train now ('' when it can): checked when planned, but the text or
        the machine may have changed since (the text was unloaded, say)."""
        return (request.problem() or "") if request.corpus is not None else self.setup.problem()

    @Slot(object)
    def _on_state(self, state: RunState) -> None:
        if self.current is not None and state in ENDED:
            # The failure's message and the Finished event come right after this state: settle then.
            QTimer.singleShot(0, self._settle)
        elif state is RunState.TRAINING and self.paused and self.current is not None:
            self.paused = False  # resumed with the window's own button
            self.changed.emit()

    @Slot(object)
    def _on_failed(self, message: LiveText) -> None:
        if self.current is not None:
            self._failure = message

    def _on_finished(self, event: Finished) -> None:
        if self.current is not None:
            self._finished = event

    def _on_sample(self, event: Sample) -> None:
        if self.current is not None:
            self._sample = event.text

    @Slot()
    def _settle(self) -> None:
        if self.current is None or self.controller.state not in ENDED:
            return
        entry = self.entries[self.current]
        state = self.controller.state
        entry.run_id = self.controller.run_id
        if state is RunState.FAILED:
            entry.state, entry.message = FAILED, self._failure
        else:
            entry.state = DONE if state is RunState.FINISHED else self._stopping_as
        session = self.controller.session
        if self._finished is not None and session is not None:
            entry.result = SweepResult.of(entry.run, session.history, self._finished, self._sample, entry.run_id)
        self.current = None
        self.changed.emit()
        self._next()

    def _end(self) -> None:
        self.active, self.paused, self.current = False, False, None
        if self._kept and self.controller.state.can_change_settings:
            self.setup.show(self.setup.request().with_values(self._kept))  # the panel as it was before the sweep
        self._kept = {}
        self.changed.emit()
        self.ended.emit()
