"""RunControl on its own: what other threads can learn about the loop it controls."""

from __future__ import annotations

import threading

from gru_studio.engine.training.control import RunControl
from tests.engine.loop_thread import wait_until


def park(control: RunControl) -> tuple[threading.Thread, list[float]]:
    """A stand-in for the training loop: one call to wait_while_paused on a thread."""
    waited: list[float] = []
    loop = threading.Thread(target=lambda: waited.append(control.wait_while_paused()))
    loop.start()
    return loop, waited


def test_parked_only_while_the_loop_waits_at_a_batch_boundary() -> None:
    control = RunControl()
    control.pause()
    # Asked to pause, but the loop has not reached a boundary yet: it may still be training.
    assert control.paused and not control.parked
    loop, waited = park(control)
    assert wait_until(lambda: control.parked)
    assert loop.is_alive()  # parked means blocked, not finished
    control.resume()
    loop.join(10)
    assert waited and waited[0] > 0 and not control.parked


def test_a_stop_unparks_and_a_loop_that_is_not_paused_never_parks() -> None:
    control = RunControl()
    control.pause()
    loop, _ = park(control)
    assert wait_until(lambda: control.parked)
    control.stop()
    loop.join(10)
    assert not loop.is_alive() and not control.parked
    running = RunControl()
    assert running.wait_while_paused() == 0.0 and not running.parked


def test_tasks_served_while_parked_keep_the_loop_parked() -> None:
    control = RunControl()
    control.pause()
    loop, _ = park(control)
    assert wait_until(lambda: control.parked)
    future = control.submit(lambda: control.parked)
    assert future is not None and future.result(timeout=10) is True  # seen from the loop's own thread
    assert control.parked and loop.is_alive()
    control.resume()
    loop.join(10)
