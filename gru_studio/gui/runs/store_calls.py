"""The Runs tab's calls on the run store: on job threads, one at a time, in the order asked.

Nothing here touches SQLite on the GUI thread, writes included: a rename, a
delete, a pin, an export and the look at a run's model before it is opened all
run on a job thread (Controller.with_store), each through a connection of its
own. The calls go one at a time, so an answer never overtakes an earlier one; a
listing asked for while one is waiting is the same listing.

A store that another process holds locked (a trainer's epoch, `gru-studio runs
delete` in a terminal) is not waited for: a write that finds it busy gives up
at once and the view says so ("the run store is busy … try again"), where it
used to wait 10 s four times over (issue 28, cause 4).
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable
from functools import partial

from gru_studio.engine.history.store import RunStore
from gru_studio.engine.history.store_errors import StoreLockedError
from gru_studio.gui.training.controller import Controller

# How long a write from the window waits for another process's transaction: long enough for one
# epoch's row (milliseconds), far too short to be noticed as a wait.
WINDOW_WAIT_S = 0.25

Start = Callable[[Callable, Callable], bool]


class StoreBusyError(Exception):
    """Another process holds the store's write lock: said as a note, never waited for."""


def busy(error: object) -> bool:
    """A store that another process holds locked, as sqlite (or the store) says it."""
    if isinstance(error, (StoreBusyError, StoreLockedError)):  # ours, or the store's after its own wait
        return True
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class StoreCalls:
    """A queue of store calls: (kind, how to start it, its two answers); the first is under way while busy.

    kind "list" (all the rows) and "row" (the training run's) are asked for again and again and
    are not queued twice; "" is any other call.
    """

    def __init__(self, controller: Controller, on_failure: Callable[[object], None]) -> None:
        self.controller = controller
        self.on_failure = on_failure
        self._calls: deque[tuple[str, Start, Callable, Callable]] = deque()
        self._busy = False

    def use(
        self,
        kind: str,
        action: Callable[[RunStore], object],
        on_result: Callable,
        on_error: Callable | None = None,
        *,
        expected: tuple[type[Exception], ...] = (sqlite3.Error,),
    ) -> None:
        """`action(store)` on a job thread, after the calls asked for before; `on_result` gets its
        answer on the GUI thread. A failure goes to `on_error`, or to the view's message line."""
        start = partial(self.controller.with_store, action, expected=(*expected, StoreBusyError))
        self.call(kind, start, on_result, on_error or self.on_failure)

    def write(
        self,
        action: Callable[[RunStore], object],
        on_result: Callable,
        on_error: Callable | None = None,
        *,
        expected: tuple[type[Exception], ...] = (sqlite3.Error,),
    ) -> None:
        """As `use`, for a call that writes: a store locked by another process is a StoreBusyError, at once."""
        self.use("", partial(without_waiting, action), on_result, on_error, expected=expected)

    def call(self, kind: str, start: Start, on_result: Callable, on_error: Callable) -> None:
        if kind and self.waiting(kind):
            return  # the one waiting will read the same, or newer
        self._calls.append((kind, start, on_result, on_error))
        self._next()

    def waiting(self, kind: str) -> bool:
        """A call of this kind waits for its turn (the one under way, first in line, does not count)."""
        return any(call[0] == kind for call in list(self._calls)[1 if self._busy else 0 :])

    @property
    def loading(self) -> bool:
        """Store calls are under way or waiting."""
        return bool(self._calls)

    def _next(self) -> None:
        while self._calls and not self._busy:
            _, start, on_result, on_error = self._calls[0]
            # The answers come through the Job's slots, on the GUI thread (Controller._job).
            self._busy = start(partial(self._answered, on_result), partial(self._answered, on_error))
            if not self._busy:  # after shutdown: nothing more is read
                self._calls.popleft()

    def _answered(self, handler: Callable[[object], None], answer: object) -> None:
        self._calls.popleft()
        self._busy = False  # the next call may go while this answer shows a dialog
        try:
            handler(answer)
        finally:
            self._next()


def without_waiting(action: Callable[[RunStore], object], store: RunStore) -> object:
    """`action(store)`, unless another process holds the store's write lock: then StoreBusyError at once.

    A connection of its own asks for the lock, waiting WINDOW_WAIT_S at most, and lets it go: the
    store's own connection would wait its busy timeout four times over. A writer that comes in
    between the two is waited for as before, on this job thread.
    """
    probe = sqlite3.connect(store.path, timeout=WINDOW_WAIT_S, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if busy(exc):
            raise StoreBusyError(str(exc)) from None
        raise
    finally:
        probe.close()
    try:
        return action(store)
    except sqlite3.OperationalError as exc:
        if busy(exc):
            raise StoreBusyError(str(exc)) from None
        raise
