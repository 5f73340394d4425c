"""What the comparison screenshots share (runs_screenshot, compare_screenshot): runs recorded as
`gru-studio train` records them, then the window in throwaway settings with one run trained in it.
Both scripts point GRU_STUDIO_HOME at a temporary folder first, so the run store is a throwaway too."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from window_waits import wait_until

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.history.recorder import RunRecorder
from gru_studio.engine.training.run_state import RunState
from gru_studio.engine.training.session import Session


def record_runs(runs: list[tuple[str, float]], corpus: str, epochs: int, hidden: int) -> None:
    """Train and record each (model kind, learning rate); a run that diverges is recorded as such."""
    for kind, lr in runs:
        configs = (
            CorpusConfig(source=corpus),
            ModelConfig(kind=kind, hidden=hidden),
            TrainConfig(epochs=epochs, lr=lr, sample_every=0),
        )
        session = Session.new(*configs)
        try:
            for _ in RunRecorder().watch(session, session.train()):
                pass
        except GruStudioError as error:  # the run that diverges: recorded, with its epochs so far
            print(f"recorded {kind} lr {lr}: {error}")
            continue
        print(f"recorded {kind} lr {lr}: perplexity {session.history[-1].perplexity:.3f}")


def window_after_one_run(app: QApplication, corpus: str, size: tuple[int, int], values: dict[str, Any]) -> Any:
    """The window (English, throwaway settings and autosave) at `size`, after training one run of `values`."""
    from gru_studio.gui import create_main_window  # after the caller set GRU_STUDIO_HOME

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("corpus/source", corpus)
    settings.setValue("language", "en")
    window = create_main_window(settings)
    window.controller.autosave_path = Path(tempfile.mkdtemp()) / "autosave.pt"  # not the user's
    window.resize(*size)
    window.show()
    wait_until(app, lambda: window.corpus_panel.corpus is not None, 60)
    window.settings_panel.set_values(values)
    window.buttons["train"].click()
    wait_until(app, lambda: window.controller.state is RunState.FINISHED, 600 + 10 * int(values.get("epochs", 0)))
    return window
