"""Unexpected errors: written to a log file in the user's log folder and shown in a dialog, never lost."""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMessageBox

from gru_studio.engine.files import user_log_dir

log = logging.getLogger("gru_studio")


class CrashReporter(QObject):
    """Installs the hooks; errors from other threads reach the dialog through a queued signal."""

    reported = Signal(str)

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder: Path | None = None
        self.log_path: Path | None = None
        self._handler: logging.Handler = logging.StreamHandler(sys.stderr)
        self._fault_file = None
        # The log folder may be a file, on a read-only disk or out of space: logging
        # then goes to a temporary folder, or to the terminal, and the app still starts.
        for candidate in (folder or user_log_dir(), Path(tempfile.gettempdir()) / "gru-studio-logs"):
            try:
                candidate.mkdir(parents=True, exist_ok=True)
                handler = logging.FileHandler(candidate / "gru-studio.log", encoding="utf-8")
                # A crash inside C code (Qt, torch) leaves no Python traceback; faulthandler writes one.
                self._fault_file = open(candidate / "faults.log", "a", encoding="utf-8")  # noqa: SIM115 (kept open)
            except OSError as exc:
                print(f"gru-studio: cannot write logs in {candidate}: {exc.strerror or exc}", file=sys.stderr)
                continue
            self.folder, self.log_path, self._handler = candidate, candidate / "gru-studio.log", handler
            break
        self._handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(self._handler)
        logging.getLogger().setLevel(logging.INFO)
        if self._fault_file is not None:
            faulthandler.enable(self._fault_file)
        else:
            # To the terminal, the only place left; a windowed app may not have one either.
            with contextlib.suppress(OSError, ValueError):
                faulthandler.enable()
        self.reported.connect(self._show)
        self._previous = sys.excepthook, threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("Unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        self.reported.emit(f"{kind.__name__}: {value}")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        self.excepthook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    @Slot(str)
    def _show(self, summary: str) -> None:
        # The summary is Python's own text of the exception (a bug, not a user's mistake): it stays as it is.
        # The dialog is modal and made afresh for each error, so it needs no LanguageChange handling.
        QMessageBox.critical(
            None,
            self.tr("GRU Studio: unexpected error"),
            self.tr(
                "Something went wrong that GRU Studio did not expect:\n\n{summary}\n\nYour work so far is kept. {where}"
            ).format(summary=summary, where=self._where_details_are()),
        )

    def _where_details_are(self) -> str:
        if self.log_path is None:
            return self.tr("No log file could be written; the details went to the terminal.")
        return self.tr("Details are in {path}.").format(path=self.log_path)

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous
        faulthandler.disable()
        logging.getLogger().removeHandler(self._handler)
        self._handler.close()
        if self._fault_file is not None:
            self._fault_file.close()
