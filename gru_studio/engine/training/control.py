"""Pausing, stopping and reaching into a training loop from another thread."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class RunControl:
    """Thread-safe pause and stop flags, set from any thread, read by the loop.

    Other threads can also hand the loop a task to run between two batches
    (`submit`), for example to copy the model while it is not being changed.
    Tasks also run while the loop is paused, and when the run ends.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._lock = threading.Condition()
        self._tasks: deque[tuple[Callable[[], Any], Future]] = deque()
        self._closed = False  # the loop has ended: nobody will run new tasks
        # Set while the loop is blocked in wait_while_paused. `paused` only says a
        # Pause was asked for; the batch under way still finishes after it.
        self._parked = threading.Event()

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
            self._running.set()  # a paused loop must wake up to notice
            self._lock.notify_all()

    def pause(self) -> None:
        """Park the loop at the next batch boundary; ignored once stopped: Stop wins.

        Under the lock, so that a Pause racing a Stop can never leave the loop
        parked after the Stop has woken it.
        """
        with self._lock:
            if not self._stop.is_set():
                self._running.clear()

    def resume(self) -> None:
        with self._lock:
            self._running.set()
            self._lock.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set() and not self._stop.is_set()

    @property
    def parked(self) -> bool:
        """The loop has reached a batch boundary and waits there: it trains no more until resumed.

        Read-only, for observers (tests, benchmarks) that must know a Pause has
        taken effect, not merely been asked for.
        """
        return self._parked.is_set()

    def submit(self, task: Callable[[], Any]) -> Future | None:
        """Run `task` on the training thread at the next batch boundary; returns its Future,
        or None when the loop has already ended (then nothing is training: no need)."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                return None
            self._tasks.append((task, future))
            self._lock.notify_all()
        return future

    def close(self) -> None:
        """Called by the loop as it ends: runs what was submitted, refuses what comes later."""
        with self._lock:
            self._closed = True
        self.run_tasks()

    def run_tasks(self) -> None:
        """Called by the loop between batches (and once more when the run ends)."""
        while True:
            with self._lock:
                if not self._tasks:
                    return
                task, future = self._tasks.popleft()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(task())
                except BaseException as exc:
                    future.set_exception(exc)

    def wait_while_paused(self) -> float:
        """Block while paused, serving submitted tasks; return the seconds spent waiting.

        Returns at once when stopped, paused or not: a stopped run must end, not
        wait for a Resume that nobody will press.
        """
        self.run_tasks()
        if not self.paused:
            return 0.0
        start = time.perf_counter()
        self._parked.set()
        try:
            while True:
                with self._lock:
                    self._lock.wait_for(lambda: not self.paused or bool(self._tasks))
                self.run_tasks()
                if not self.paused:
                    return time.perf_counter() - start
        finally:
            self._parked.clear()
