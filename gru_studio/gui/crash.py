"""Unexpected errors: written to a log file in the user's log folder and shown in a dialog, never lost."""

from __future__ import annotations

import faulthandler
import logging
import sys
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
        self.folder = folder or user_log_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log_path = self.folder / "gru-studio.log"
        handler = logging.FileHandler(self.log_path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger().setLevel(logging.INFO)
        self._handler = handler
        # A crash inside C code (Qt, torch) leaves no Python traceback; faulthandler writes one.
        self._fault_file = open(self.folder / "faults.log", "a", encoding="utf-8")  # noqa: SIM115 (kept open)
        faulthandler.enable(self._fault_file)
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
        QMessageBox.critical(
            None,
            "GRU Studio: unexpected error",
            f"Something went wrong that GRU Studio did not expect:\n\n{summary}\n\n"
            f"Your work so far is kept. Details are in {self.log_path}.",
        )

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous
        faulthandler.disable()
        logging.getLogger().removeHandler(self._handler)
        self._handler.close()
        self._fault_file.close()
