"""The unit finder's search for a regular expression, off the GUI thread and with a time limit.

Python's `re` backtracks without limit: `(a+)+$` over 34 a's and a "!" ran for
minutes and froze the window (issue 28). It also never releases the GIL while
it matches, so a thread would freeze the window just the same. The match
therefore runs in a separate process (engine/analysis/pattern_worker.py),
which is killed when it runs past TIME_LIMIT_MS or when a new search replaces
it. The pattern is compiled here first, so that a pattern that is not valid
is said at once, without a process.
"""

from __future__ import annotations

import json
import sys

import numpy as np
from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal, Slot

from gru_studio.engine.analysis import pattern_worker
from gru_studio.engine.analysis.inside import compile_pattern, indicator_from_spans

# Long enough for any sane pattern over the longest probe (5,000 characters, a few milliseconds
# once the process is up), short enough that a runaway one is given up on before the user wonders.
TIME_LIMIT_MS = 3000
# In the frozen bundle sys.executable is GRU Studio itself, not a Python: started with this variable
# set, its entry point (packaging/entry.py) runs the matcher and nothing else.
WORKER_VARIABLE = "GRU_STUDIO_PATTERN_WORKER"


def worker_command() -> tuple[str, list[str], bool]:
    """The program and arguments that run the matcher, and whether WORKER_VARIABLE must be set."""
    if getattr(sys, "frozen", False):
        return sys.executable, [], True
    # -I: no user site or PYTHON* variables; -S: no site, so it starts in hundredths of a second.
    return sys.executable, ["-I", "-S", str(pattern_worker.__file__)], False


class PatternSearch(QObject):
    """Emits `found(indicator)`, (steps,) 0/1 as engine.analysis.inside.pattern_indicator gives,
    `timed_out()` when the match ran past the limit, or `failed(message)` when it could not run."""

    found = Signal(object)
    timed_out = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, time_limit_ms: int = TIME_LIMIT_MS) -> None:
        super().__init__(parent)
        self.time_limit_ms = time_limit_ms
        self._process: QProcess | None = None
        self._length = 0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_time_up)

    @property
    def running(self) -> bool:
        return self._process is not None

    def search(self, text: str, pattern: str) -> None:
        """Start matching `pattern` over `text`, cancelling a search still running.

        A pattern that does not compile raises engine.errors.GenerationError at once (one line).
        """
        self.cancel()
        compile_pattern(pattern)
        process = QProcess(self)
        program, arguments, flagged = worker_command()
        process.setProgram(program)
        process.setArguments(arguments)
        if flagged:
            environment = QProcessEnvironment.systemEnvironment()
            environment.insert(WORKER_VARIABLE, "1")
            process.setProcessEnvironment(environment)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process, self._length = process, len(text)
        process.start()
        process.write(json.dumps({"pattern": pattern, "text": text}).encode("ascii"))
        process.closeWriteChannel()
        self._timer.start(self.time_limit_ms)

    def cancel(self) -> None:
        """Stop the search running, if any; it reports nothing."""
        self._timer.stop()
        process, self._process = self._process, None
        if process is not None:
            process.blockSignals(True)
            process.kill()
            process.waitForFinished(1000)  # a killed process ends at once; reaped here, not left a zombie
            process.deleteLater()

    @Slot(int, QProcess.ExitStatus)
    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        process = self._process
        if process is None or self.sender() is not process:  # a search cancelled since
            return
        self._timer.stop()
        self._process = None
        output = bytes(process.readAllStandardOutput().data())
        error = bytes(process.readAllStandardError().data()).decode("utf-8", "replace").strip()
        process.deleteLater()
        if status != QProcess.ExitStatus.NormalExit or code != 0:
            self.failed.emit(error.splitlines()[-1] if error else f"exit status {code}")
            return
        try:
            spans = [(int(start), int(end)) for start, end in json.loads(output)]
        except (ValueError, TypeError) as exc:
            self.failed.emit(str(exc))
            return
        indicator: np.ndarray = indicator_from_spans(self._length, spans)
        self.found.emit(indicator)

    @Slot(QProcess.ProcessError)
    def _on_error(self, error: QProcess.ProcessError) -> None:
        process = self._process
        if process is not None and self.sender() is process and error == QProcess.ProcessError.FailedToStart:
            self._timer.stop()
            self._process = None
            process.deleteLater()
            self.failed.emit(process.errorString())

    @Slot()
    def _on_time_up(self) -> None:
        if self._process is not None:
            self.cancel()
            self.timed_out.emit()
