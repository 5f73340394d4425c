"""`gru-studio --self-test`: prove that an installed or frozen GRU Studio works, offscreen.

It opens the main window, trains a few epochs on the bundled sample through
the window's own Train button, saves and reloads a checkpoint, generates text,
and writes a JSON report. It never writes to stdout unless there is one (a
frozen windowed build has none), and never touches the user's files: its
settings, autosave and run store (the run it trains is recorded, to check
recording works, but in a throwaway store) live in a temporary folder that is
removed at the end.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import PySide6
import torch
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from gru_studio import __version__
from gru_studio.engine.hardware.device import list_devices
from gru_studio.engine.model_registry import DEFAULT_KIND
from gru_studio.engine.models.generate import complete
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window
from gru_studio.resources import resource_path

TINY = {"kind": DEFAULT_KIND, "hidden": 32, "batch_size": 8, "num_steps": 8, "epochs": 3, "sample_every": 0}


def wait_for(app: QApplication, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def seconds_since_process_start() -> float | None:
    """Wall time since this process was started (Linux), imports and the frozen unpacking included."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
        )
        return time.time() - (boot + ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def recorded(store_path: Path) -> int:
    """How many runs the self-test's own run store holds (1 when recording works)."""
    from gru_studio.engine.history.store import RunStore

    store, notice = RunStore.open(store_path)
    if store is None:
        raise RuntimeError(f"the run store could not be opened: {notice}")
    with store:
        return len(store.list())


def run_self_test(report_path: str | None = None, started: float | None = None) -> int:
    started = started if started is not None else time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    timings: dict[str, float] = {}
    report: dict[str, object] = {
        "gru_studio": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,
        "pyside6": PySide6.__version__,
        "pyqtgraph": pg.__version__,
        "numpy": np.__version__,
        "devices": [{"name": d.name, "label": d.label, "available": d.available} for d in list_devices()],
        "icon_found": resource_path("icons/gru-studio.svg").is_file(),
        "timings_s": timings,
    }
    workdir = Path(tempfile.mkdtemp(prefix="gru-studio-self-test-"))
    window = None
    try:
        app = QApplication.instance() or QApplication(sys.argv[:1])
        settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("corpus/source", "sample")
        window = create_main_window(settings)
        window.controller.autosave_path = workdir / "autosave.pt"
        window.controller.runs_path = workdir / "runs.sqlite3"  # before show(): the Runs tab reads it then
        window.controller.models_folder = workdir / "models"  # each run's kept model: the user's folder untouched
        window.show()
        wait_for(app, lambda: window.corpus_panel.corpus is not None, 30, "the bundled sample to load")
        timings["window_ready"] = time.perf_counter() - started
        since_launch = seconds_since_process_start()
        if since_launch is not None:
            timings["window_ready_since_launch"] = since_launch

        step = time.perf_counter()
        window.settings_panel.set_values(TINY)
        window.buttons["train"].click()
        wait_for(app, lambda: not window.controller.state.is_running, 120, "training")
        if window.controller.state is not RunState.FINISHED:
            raise RuntimeError(f"training failed: {window.train_message.text()}")
        timings["train"] = time.perf_counter() - step
        report["perplexity"] = window.controller.trainer.history[-1].perplexity
        report["recorded"] = recorded(workdir / "runs.sqlite3")

        step = time.perf_counter()
        path = workdir / "model.pt"
        checkpoint.save(path, window.controller.trainer.checkpoint_copy())
        loaded = checkpoint.load(path)
        timings["save_and_load"] = time.perf_counter() - step
        if loaded.epoch != TINY["epochs"]:
            raise RuntimeError(f"the reloaded checkpoint says {loaded.epoch} epochs, not {TINY['epochs']}")

        step = time.perf_counter()
        report["sample"] = complete(loaded.model, loaded.vocab, "the clock", 40, mode=loaded.mode)
        timings["generate"] = time.perf_counter() - step
        report["ok"] = True
    except Exception as exc:  # the report says what failed; the exit code says that something did
        report["ok"] = False
        report["error"] = f"{type(exc).__name__}: {exc}"
        report["traceback"] = traceback.format_exc()
    finally:
        if window is not None:
            window.close()
            # Deleted by Qt now, parents before children, not later by Python's garbage
            # collector: collected in an arbitrary order, pyqtgraph's plot menus were seen
            # to touch widgets already freed and crash the process.
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        shutil.rmtree(workdir, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    text = json.dumps(report, indent=2)
    if report_path:
        Path(report_path).write_text(text + "\n", encoding="utf-8")
    if sys.stdout is not None:
        print(text)
    return 0 if report["ok"] else 1
