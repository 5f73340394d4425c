"""Driving a training loop on a thread of its own, as the window does, and acting on it from here."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from gru_studio.engine.training.control import RunControl


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    """Poll `condition` until it holds; False if it still does not after `timeout_s`.

    The engine's tests have no Qt event loop, hence no qtbot.waitUntil: this is
    the same check, and it returns as soon as the condition holds.
    """
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def act_after_first_event(events: Iterator[object], control: RunControl, act: Callable[[], None]) -> tuple[list, bool]:
    """Iterate `events` on a thread; once the first event is out, run `act` on this thread
    while the loop waits, then let the loop go on.

    Returns the events and whether the loop was still running 10 s later (parked).
    A parked loop is then resumed, so that a failing test ends instead of hanging the suite.
    """
    seen: list = []
    first, acted = threading.Event(), threading.Event()

    def consume() -> None:
        for event in events:
            seen.append(event)
            if len(seen) == 1:
                first.set()
                acted.wait(10)

    worker = threading.Thread(target=consume)
    worker.start()
    try:
        assert first.wait(10), "the loop never produced an event"
        act()
    finally:
        acted.set()
    worker.join(10)
    parked = worker.is_alive()
    control.resume()
    worker.join(10)
    return seen, parked
