"""Warm-up: what the first click would pay for on its worker thread, paid in the background once the window shows.

Measured with `scripts/first_click_bench.py` (docs/results.md, "The first
click"): in a fresh process the first Train spent 0.7-2.2 s importing
`torch._dynamo` (816 modules: sympy, torch.fx's symbolic shapes, the
distributed-tensor op registrations, ...), which torch.optim imports when the
first optimizer is built. That ran on the training thread and set off two full
collections of all those new objects (17-49 and 39-112 ms at a load of 3-4.5),
which hold the interpreter, so the GUI thread waited: its longest wait from
the click was 47-137 ms (median 108 ms over 10 processes; after: 41-128 ms,
median 60 ms).

So once the window has been painted, a background thread runs `PIECES`, one
after another, and then hands what it made to `gc.freeze()`. If Train comes
first, nothing waits on the warm-up but an import the training thread needs
anyway: Python's import lock makes the training thread wait for the module
the warm-up is importing, without holding the interpreter, and then find it
loaded. The warm-up takes no lock of ours, never touches torch's random
generator (a run seeded at its start stays repeatable) and runs no torch
operation big enough to start an OpenMP thread team.
"""

from __future__ import annotations

import gc
import importlib
import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

log = logging.getLogger(__name__)

# Imported in this order. sympy first: a package of its own (about a third of the
# time) that torch._dynamo imports anyway, so the pieces are shorter and a Quit
# waits less for the piece under way. Only entry points that are safe on their
# own: importing a module from the middle of torch._dynamo's import cycle first
# raised ImportError (a circular import) in a trial.
MODULES = ("sympy", "torch._dynamo")


def import_pieces(modules: tuple[str, ...] = MODULES) -> list[tuple[str, Callable[[], object]]]:
    return [(f"import {name}", lambda name=name: importlib.import_module(name)) for name in modules]


class Warmup:
    """Runs named pieces of work on a daemon thread, one after another; `stop` ends it after the current piece.

    A piece that raises ends the warm-up quietly (logged): what it would have
    warmed is then simply paid for on first use, as before. `took` has each
    finished piece's name and seconds, for the benchmark.
    """

    def __init__(self, pieces: list[tuple[str, Callable[[], object]]]) -> None:
        self.pieces = pieces
        self.took: list[tuple[str, float]] = []
        self.done = threading.Event()
        self._stop = threading.Event()
        # A daemon: at exit, `stop` and a short `wait` let the piece under way end;
        # an import that outlasts that must not keep the app from quitting.
        self._thread = threading.Thread(target=self._run, name="gru-studio-warmup", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """True once the warm-up has ended (finished, stopped or failed), or if it never started
        (a window closed before its first paint): then there is nothing to wait for."""
        if self._thread.ident is None:
            return True
        return self.done.wait(timeout_s)

    def _run(self) -> None:
        collecting = gc.isenabled()
        # Importing hundreds of modules makes objects by the hundred thousand; with the
        # collector on, full collections walked them while the GUI thread waited.
        # What imports make lives as long as the process: it is frozen below instead.
        gc.disable()
        try:
            for name, piece in self.pieces:
                if self._stop.is_set():
                    break
                start = time.perf_counter()
                piece()
                self.took.append((name, time.perf_counter() - start))
        except Exception:  # a warm-up that fails must never take the app down
            log.warning("Warm-up stopped early; the first run pays for the rest.", exc_info=True)
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
            self.done.set()


class _FirstPaint(QObject):
    """Starts a warm-up when its widget is first painted, once the event loop is free again."""

    def __init__(self, warmup: Warmup) -> None:
        super().__init__()
        self.warmup = warmup

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.warmup.start)  # after this paint is on screen
        return False


def warm_after_first_paint(window: QObject, pieces: list[tuple[str, Callable[[], object]]] | None = None) -> Warmup:
    """A warm-up of `pieces` (the imports by default) that starts once `window` has been painted."""
    warmup = Warmup(import_pieces() if pieces is None else pieces)
    trigger = _FirstPaint(warmup)
    trigger.setParent(window)  # kept alive by the window, gone with it
    window.installEventFilter(trigger)
    return warmup
