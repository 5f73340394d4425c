"""Running an iterator on a QThread and handing its items to the GUI thread in batches.

One worker type serves training (an iterator of trainer events), generation
(an iterator of characters) and corpus loading (an iterator of one corpus).
Items go out as lists, at most one signal every `interval_s`, so a fast loop
never floods the GUI thread's event queue.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase

log = logging.getLogger(__name__)

# Every thread started here, so that tests (and closeEvent) can check none is left running.
live_threads: weakref.WeakSet[QThread] = weakref.WeakSet()


class IteratorWorker(QObject):
    """Iterates `make_iterator()` on its own thread; emits `items(list)`, then `failed(...)` or nothing, then `done`.

    `failed` carries the error itself (a GruStudioError) or a Phrase, never its English
    text: the window renders it with engine_text, and again when the language changes.
    """

    items = Signal(list)
    failed = Signal(object)  # GruStudioError | Phrase
    done = Signal()

    def __init__(
        self,
        make_iterator: Callable[[], Iterator[object]],
        *,
        interval_s: float = 0.05,
        coalesce: tuple[type, ...] = (),
        flush_now: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__()
        self._make_iterator = make_iterator
        self._interval_s = interval_s
        self._coalesce = coalesce  # of these types only the latest is worth sending
        self._flush_now = flush_now
        self.cancelled = threading.Event()

    @Slot()
    def run(self) -> None:
        buffer: list[object] = []
        last_flush = 0.0
        try:
            for item in self._make_iterator():
                if self.cancelled.is_set():
                    break
                if buffer and isinstance(item, self._coalesce) and type(buffer[-1]) is type(item):
                    buffer[-1] = item
                else:
                    buffer.append(item)
                now = time.monotonic()
                if now - last_flush >= self._interval_s or self._flush_now():
                    self.items.emit(buffer)
                    buffer, last_flush = [], now
            if buffer:
                self.items.emit(buffer)
        except GruStudioError as exc:
            # The label that shows it keeps it; its frames (and the tensors they hold) need not live as long.
            self.failed.emit(exc.with_traceback(None))
        except Exception as exc:  # a bug: report it where the user looks, log the details
            log.error("Unexpected error in a worker thread:\n%s", traceback.format_exc())
            # Python's own text of the bug stays as it is; only the words around it are translated.
            error = f"{type(exc).__name__}: {exc}"
            self.failed.emit(phrase(QT_TRANSLATE_NOOP("engine", "Unexpected error: {error}"), error=error))
        finally:
            self.done.emit()


class WorkerHandle(QObject):
    """Owns one IteratorWorker and its QThread, and cleans both up when the work ends."""

    finished = Signal()

    def __init__(self, worker: IteratorWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(type(worker).__name__)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        # The handle lives in the GUI thread, so this slot runs there (queued),
        # never on the worker thread that emitted `done`.
        worker.done.connect(self._on_done)
        live_threads.add(self.thread)

    def start(self) -> None:
        self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def cancel(self) -> None:
        self.worker.cancelled.set()

    def wait(self, timeout_ms: int = 2000) -> bool:
        """Ask the thread to end and wait for it; True when it has."""
        self.thread.quit()
        return self.thread.wait(timeout_ms)

    @Slot()
    def _on_done(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.finished.emit()


class Job(QObject):
    """One task on a thread of its own; its result or error is delivered on the GUI thread.

    The callbacks are called from slots of this object, which lives in the GUI
    thread: connecting the worker's signals to plain functions would run them
    on the worker thread instead.
    """

    def __init__(
        self,
        task: Callable[[], object],
        on_result: Callable[[object], None],
        on_error: Callable[[object], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_result, self._on_error = on_result, on_error
        worker = IteratorWorker(lambda: iter([task()]))  # task() runs on the worker thread
        worker.items.connect(self._result)
        worker.failed.connect(self._error)
        self.handle = WorkerHandle(worker, self)
        self.handle.start()

    @Slot(list)
    def _result(self, items: list) -> None:
        self._on_result(items[0])

    @Slot(object)
    def _error(self, message: object) -> None:
        self._on_error(message)
