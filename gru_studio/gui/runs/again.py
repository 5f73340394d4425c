"""Training a recorded run again: its settings and its text filled in, then Train clicked.

The text may need loading first (another file, or other characters), which
happens on the corpus panel's thread; Train is clicked once it has loaded. A
setting that this version no longer accepts keeps the panel's value and is
named in the status bar. Train itself checks everything as always: a run
that cannot start says why beside the button, as a typed setting would.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QPushButton, QWidget

from gru_studio.engine.history.summary import RunSummary, settings_to_repeat
from gru_studio.engine.text.corpus import Corpus
from gru_studio.gui.common.live_text import LiveText
from gru_studio.gui.setup.corpus_panel import CorpusPanel
from gru_studio.gui.setup.settings_panel import SettingsPanel
from gru_studio.gui.training.controller import Controller

TEXT_FIELDS = ("source", "mode", "max_tokens", "encoding")  # what the loaded text depends on


class Window(Protocol):
    controller: Controller
    corpus_panel: CorpusPanel
    settings_panel: SettingsPanel
    buttons: dict[str, QPushButton]

    def tell(self, message: LiveText, timeout_ms: int = 0) -> None: ...

    def choose_device(self, name: str) -> None: ...


class TrainAgain(QObject):
    def __init__(self, window: Window, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self._waiting = False  # for the run's text to load
        window.corpus_panel.corpus_changed.connect(self._on_corpus)

    @Slot(object)
    def start(self, run: RunSummary) -> None:
        window = self.window
        if not window.controller.state.can_train:
            run_id = run.id  # a callable, so that the status bar says it again after a change of language
            window.tell(lambda: self.tr("Stop the training first, then train run #{0} again.").format(run_id), 8000)
            return
        values, corpus_values, refused = settings_to_repeat(run)
        device = values.pop("device", None)
        values.pop("threads", None)  # this machine's, as is the device when the run's is not here
        window.settings_panel.set_values(values)
        if device is not None:
            window.choose_device(str(device))
        if refused:
            names = ", ".join(refused)
            window.tell(lambda: self.tr("Not used, out of range now: {0}").format(names), 8000)
        panel = window.corpus_panel
        config = replace(panel.config, **corpus_values)
        if panel.corpus is not None and all(getattr(config, f) == getattr(panel.config, f) for f in TEXT_FIELDS):
            window.buttons["train"].click()  # does nothing when a setting stops it, which the window then shows
        else:
            self._waiting = True
            panel.load(config)

    @Slot(object)
    def _on_corpus(self, corpus: Corpus | None) -> None:
        if not self._waiting or (corpus is None and self.window.corpus_panel.loading):
            return
        self._waiting = False
        if corpus is not None:
            # After the window's own handler of this signal has enabled Train for the new text.
            QTimer.singleShot(0, self.window.buttons["train"].click)
