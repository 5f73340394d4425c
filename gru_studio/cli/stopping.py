"""Ending `train` and `sweep` by a signal: Ctrl-C, `kill` (SIGTERM) and a closed terminal (SIGHUP) alike.

The first of the three, while a run trains, stops it at the next batch
boundary, as the window's Stop does: the run is recorded as stopped, `train`
saves to --save (atomically, as every save) and says where, and the command
exits with 128 + the signal's number (130, 143, 129), as a shell reports a
program a signal ended. A second signal quits at once (the run is still
recorded as stopped; a save under way leaves the earlier file whole). A signal
before the run trains ends the command at once: nothing is trained to keep. One
after the run ended (during the save) lets the save finish.

Under torchrun the handlers are not installed: a rank that stopped on its own
would leave the others waiting in a collective. torchrun itself stops the job.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from gru_studio.engine.training.control import RunControl

PROG = "gru-studio"

# The exit status the first signal of this process asked for (None: none came). main() reads it when the
# output fails after a SIGHUP (the terminal is gone), so that the status still says what ended the command.
asked_status: int | None = None


def stopping_signals() -> tuple[signal.Signals, ...]:
    """SIGINT, SIGTERM and, where there is one (not on Windows), SIGHUP."""
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    return tuple(getattr(signal, name) for name in names if hasattr(signal, name))


class Stopped(KeyboardInterrupt):
    """The command was ended by `signum` at once (before its run trained, or by a second signal).

    A KeyboardInterrupt, so that whatever lets Ctrl-C through (the run
    recorder marks the run stopped) treats SIGTERM and SIGHUP the same way."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def status(self) -> int:
        return exit_status(self.signum)

    def __str__(self) -> str:
        return signal_name(self.signum)


def exit_status(signum: int) -> int:
    return 128 + signum  # what a shell reports for a program the signal ended: 130, 143, 129


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name


def say(text: str) -> None:
    # The terminal may be gone (SIGHUP): a line that cannot be written must not end the save.
    with contextlib.suppress(OSError, ValueError):
        print(f"{PROG}: {text}", file=sys.stderr, flush=True)


class SignalStop:
    """What the handlers do, by where the command is: before a run, in it, or after it."""

    def __init__(self) -> None:
        self.signum: int | None = None  # the first signal received, once one was
        self._control: RunControl | None = None  # the run's, while it trains
        self._finishing = False  # a run has ended: its save and report must finish

    @property
    def status(self) -> int | None:
        """The exit status the signal asks for, or None when none came."""
        return exit_status(self.signum) if self.signum is not None else None

    def begin(self) -> RunControl:
        """The control of a run about to train; stopped already if a signal came since the last run."""
        self._control, self._finishing = RunControl(), False
        if self.signum is not None:
            self._control.stop()
        return self._control

    def end(self) -> None:
        """The run's loop has ended: a signal from now on waits for the save to finish."""
        self._control, self._finishing = None, True

    def handle(self, signum: int, frame: FrameType | None = None) -> None:
        global asked_status
        if self.signum is not None:
            raise Stopped(signum)  # the second: quit now
        self.signum = signum
        asked_status = exit_status(signum)
        if self._control is not None:
            self._control.stop()
            say(f"{signal_name(signum)}: stopping after this batch (again to quit at once)")
        elif not self._finishing:
            raise Stopped(signum)  # nothing trained yet: nothing to stop gracefully or to keep

    def stopped_line(self, epochs: str, saved: str | None) -> str:
        """What is said at the end of a run a signal stopped, e.g. 'stopped by SIGTERM after 3 epochs;
        saved m.pt' (`epochs` in words)."""
        where = f"; saved {saved}" if saved else ""
        return f"stopped by {signal_name(self.signum or 0)} after {epochs}{where}"


@contextlib.contextmanager
def stop_on_signals(enabled: bool = True) -> Iterator[SignalStop]:
    """Handle SIGINT, SIGTERM and SIGHUP as SignalStop says while the block runs; the previous
    handlers come back after it. Python allows handlers on the main thread only: elsewhere (and when
    not `enabled`) nothing is installed, and the signals do what they did."""
    global asked_status
    stopper, asked_status = SignalStop(), None
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield stopper
        return
    previous = {signum: signal.signal(signum, stopper.handle) for signum in stopping_signals()}
    try:
        yield stopper
    finally:
        for signum, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back; the default is the nearest.
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
