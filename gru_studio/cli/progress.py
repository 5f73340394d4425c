"""A one-line progress bar on stderr, redrawn in place when stderr is a terminal."""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TYPE_CHECKING, TextIO

from gru_studio.engine.training.events import EpochEnd, EventRoutes, Finished

if TYPE_CHECKING:
    from gru_studio.cli.stopping import SignalStop
    from gru_studio.engine.history.recorder import RunRecorder
    from gru_studio.engine.training.session import Session


class ProgressBar:
    """Shows epoch, perplexity and tokens/s. On a pipe it prints a line now and then instead."""

    def __init__(self, stream: TextIO | None = None, width: int = 24, every_s: float = 0.1) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.every_s = every_s
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_draw = 0.0
        self._line = ""

    def update(self, event: EpochEnd, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < self.every_s and event.epoch < event.epochs:
            return
        self._last_draw = now
        done = int(self.width * event.epoch / event.epochs)
        val = f" val {event.val_perplexity:.3f}" if event.val_perplexity is not None else ""
        self._line = (
            f"epoch {event.epoch}/{event.epochs} [{'#' * done}{'.' * (self.width - done)}] "
            f"perplexity {event.perplexity:.3f}{val}  {event.tokens_per_s:,.0f} tokens/s"
        )
        if self.tty:
            self.stream.write("\r\x1b[2K" + self._line)
            self.stream.flush()

    def message(self, text: str) -> None:
        """A line of its own (a sample, a note), printed above the bar."""
        if self.tty:
            self.stream.write("\r\x1b[2K" + text + "\n" + self._line)
        else:
            self.stream.write(((self._line + "\n") if self._line else "") + text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self._line:
            self.stream.write("\n")
            self.stream.flush()


def train_with_bar(
    session: Session,
    recorder: RunRecorder | None,
    bar: ProgressBar,
    routes: EventRoutes | None = None,
    stopper: SignalStop | None = None,
) -> Finished:
    """Train `session` with `bar` showing each epoch (and `recorder` recording it, when given); returns
    the run's Finished. `routes` sends the events to the caller's handlers too (train's samples and
    gradient figures); the bar is added to it. With `stopper`, a signal stops the run at the next batch
    boundary (cli/stopping.py); the Finished then says "stopped"."""
    training = session.train(stopper.begin() if stopper is not None else None)
    events = training if recorder is None else recorder.watch(session, training)
    finished: list[Finished] = []
    routes = (routes if routes is not None else EventRoutes()).on(EpochEnd, bar.update).on(Finished, finished.append)
    try:
        # closing: Ctrl-C ends the recorder's generator now, so the run is marked stopped, not left running.
        with contextlib.closing(events):
            for event in events:
                routes.send(event)
    finally:
        if stopper is not None:
            stopper.end()
        # After SIGHUP the terminal is gone and a write to it fails (EIO): the bar's last newline is
        # no reason to lose the run's save, which comes next.
        try:
            bar.close()
        except OSError:
            if stopper is None or stopper.signum is None:
                raise
    assert finished  # a run always ends with Finished
    return finished[-1]
