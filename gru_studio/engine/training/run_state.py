"""The life of a training run as one explicit state machine.

Every control that depends on the run (Train, Continue, Pause/Resume, Stop,
Reset, the settings, Open, drag-and-drop) asks a `RunState` query instead of
comparing strings, and every change of state goes through `RunMachine.to`,
which refuses a change the table below does not allow.

    idle ──train──▶ training ◀──pause / resume──▶ paused
    training, paused ──stop──▶ stopping
    training, paused, stopping ──the loop ends──▶ finished | stopped | failed
    finished, stopped, failed ──train or continue──▶ training
    finished, stopped, failed ──reset──▶ idle
    idle, finished, stopped, failed ──open a model──▶ finished

A model opened from a file counts as a finished run: it can be continued,
saved and generated from.

Paused and stopping may also end as finished or stopped: a pause or a stop
asked for after the loop's last batch is never seen by the loop, which simply
ends. Stopping may not be paused: Stop wins, so a run being stopped never
parks waiting for a Resume.
"""

from __future__ import annotations

import enum
import threading


class RunState(enum.Enum):
    """Where a run stands. The values are the names shown in logs and signals."""

    IDLE = "idle"  # no model yet (or it was reset)
    TRAINING = "training"
    PAUSED = "paused"
    STOPPING = "stopping"  # stop asked for; the loop ends at the next batch boundary
    FINISHED = "finished"  # trained to the epochs asked for, or opened from a file
    STOPPED = "stopped"  # ended early by Stop
    FAILED = "failed"  # the loop raised: diverged, out of memory, a bug

    def allows(self, new: RunState) -> bool:
        """Whether the table allows going from this state to `new`."""
        return new in TRANSITIONS[self]

    @property
    def is_running(self) -> bool:
        """A loop is under way (perhaps parked or winding down): settings and model are in use."""
        return self in _RUNNING

    @property
    def can_train(self) -> bool:
        """A new run (a new model from the current settings) may start."""
        return not self.is_running

    @property
    def can_continue(self) -> bool:
        """The current model, if there is one, may train on.

        After a failure too: a diverged run keeps the weights from before the
        epoch that diverged, and an out-of-memory run keeps its model.
        """
        return self in _ENDED

    @property
    def can_pause(self) -> bool:
        return self is RunState.TRAINING

    @property
    def can_resume(self) -> bool:
        return self is RunState.PAUSED

    @property
    def can_stop(self) -> bool:
        """Stop is offered while training or paused; once stopping, asking again does nothing."""
        return self in (RunState.TRAINING, RunState.PAUSED)

    @property
    def can_reset(self) -> bool:
        """The model may be forgotten: only once a run has ended, never under a running loop."""
        return self in _ENDED

    @property
    def can_change_settings(self) -> bool:
        """The text and the settings may be edited (they belong to the next run)."""
        return not self.is_running

    @property
    def can_open_model(self) -> bool:
        """A model file may be opened (or a file dropped) to replace the current model."""
        return not self.is_running


_RUNNING = frozenset({RunState.TRAINING, RunState.PAUSED, RunState.STOPPING})
_ENDED = frozenset({RunState.FINISHED, RunState.STOPPED, RunState.FAILED})

TRANSITIONS: dict[RunState, frozenset[RunState]] = {
    RunState.IDLE: frozenset({RunState.TRAINING, RunState.FINISHED}),
    RunState.TRAINING: frozenset({RunState.PAUSED, RunState.STOPPING} | _ENDED),
    RunState.PAUSED: frozenset({RunState.TRAINING, RunState.STOPPING} | _ENDED),
    RunState.STOPPING: _ENDED,  # however the loop ends, whatever was asked last
    # Ended: train again (continue, or a new run), reset, or open a model.
    RunState.FINISHED: frozenset({RunState.TRAINING, RunState.IDLE, RunState.FINISHED}),
    RunState.STOPPED: frozenset({RunState.TRAINING, RunState.IDLE, RunState.FINISHED}),
    RunState.FAILED: frozenset({RunState.TRAINING, RunState.IDLE, RunState.FINISHED}),
}


class TransitionError(RuntimeError):
    """A change of state the table does not allow: a bug in the caller, not a user's mistake."""

    def __init__(self, old: RunState, new: RunState) -> None:
        super().__init__(f"a run cannot go from {old.value} to {new.value}")
        self.old, self.new = old, new


class RunMachine:
    """Holds the current RunState and changes it only along the table.

    Safe to share between threads: the owner (the window, the command line)
    asks for pause, resume and stop while the training thread reports the end
    of the loop, and the check and the change happen under one lock, so a
    request that has just become illegal is refused rather than applied.
    """

    def __init__(self, state: RunState = RunState.IDLE) -> None:
        self._state = state
        self._lock = threading.Lock()

    @property
    def state(self) -> RunState:
        return self._state

    def to(self, new: RunState) -> RunState:
        """Move to `new`; returns the state left. Raises TransitionError when the table forbids it."""
        with self._lock:
            old = self._state
            if not old.allows(new):
                raise TransitionError(old, new)
            self._state = new
            return old

    def try_to(self, new: RunState, *, only_from: RunState | None = None) -> bool:
        """Move to `new` if allowed now (and if the state is `only_from`, when given);
        False, and no change, otherwise.

        For requests that race with the loop: a Pause clicked just as the run
        finished is refused, not an error. `only_from` tells a Resume
        (paused -> training) from a new run (finished -> training).
        """
        with self._lock:
            if not self._state.allows(new) or only_from not in (None, self._state):
                return False
            self._state = new
            return True

    def __repr__(self) -> str:
        return f"RunMachine({self._state})"
