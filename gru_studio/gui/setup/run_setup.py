"""The next run's RunRequest, as the text and settings panels edit and show it.

The two panels are views of one request: `request()` reads it from them and
`show()` writes one into them. Everything else in the window (Train, Continue,
a sweep, Train again, the remembered settings) asks this object, and only the
panels touch their own widgets.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.training.run_request import RunRequest, same_text
from gru_studio.engine.training.session import Session
from gru_studio.gui.common.live_text import LiveText
from gru_studio.gui.setup.corpus_panel import CorpusPanel
from gru_studio.gui.setup.settings_panel import SettingsPanel

# What the panels never take from another request: this machine's, not the run's (a file's,
# a recorded run's or a sweep's). The device is put back only where this machine has it.
MACHINE_SETTINGS = ("device", "threads")


class RunSetup(QObject):
    changed = Signal()  # the request changed: a setting edited, a text loaded or lost

    def __init__(self, corpus_panel: CorpusPanel, settings_panel: SettingsPanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.corpus_panel, self.settings_panel = corpus_panel, settings_panel
        self._then: Callable[[RunRequest], None] | None = None  # waiting for a text to load
        self._waiting_for: RunRequest | None = None
        corpus_panel.corpus_changed.connect(self._on_corpus)
        settings_panel.changed.connect(self.changed)

    def request(self) -> RunRequest:
        """The run the panels show now, with the loaded text (None while none is)."""
        corpus_config = self.settings_panel.corpus_config(self.corpus_panel.config)
        return RunRequest(
            corpus_config,
            self.settings_panel.model_config(),
            self.settings_panel.train_config(),
            corpus=self.corpus_panel.corpus,
        )

    def problem(self) -> LiveText:
        """Why a new run cannot start now ('' when it can), kept as made to be said again in a new language."""
        if self.corpus_panel.corpus is None:
            if self.corpus_panel.loading:
                return lambda: self.tr("Loading the text…")
            return lambda: self.tr("Choose a text to train on.")
        return self.request().problem() or ""

    def show(self, request: RunRequest, device: str | None = None) -> None:
        """Show `request`'s settings in the panels (this machine's device and threads stay, unless
        `device` names one it has). Its text is shown too once it is read: see `with_text`."""
        values = {name: value for name, value in request.values().items() if name not in MACHINE_SETTINGS}
        self.settings_panel.set_values(values)
        if device is not None:
            self.settings_panel.choose_device(device)

    def adopt(self, session: Session) -> None:
        """Show a model read from a file: its text (read with it) and its settings."""
        self.corpus_panel.adopt(session.corpus, session.corpus_config)
        self.show(RunRequest(session.corpus_config, session.model_config, session.train_config))

    def device_name(self) -> str:
        return self.settings_panel.device_name()

    def with_text(self, request: RunRequest, then: Callable[[RunRequest], None]) -> None:
        """Call `then` with `request` and its text: at once when the panel has that text, else once the
        corpus panel has loaded it (and shows it). A text that fails to load calls nothing: the panel
        says why, where the user looks."""
        if request.corpus is not None:
            then(request)
            return
        panel = self.corpus_panel
        if panel.corpus is not None and same_text(request.corpus_config, panel.config):
            then(request.with_text(panel.corpus))
            return
        self._waiting_for, self._then = request, then
        panel.load(request.corpus_config)

    @Slot(object)
    def _on_corpus(self, corpus: Corpus | None) -> None:
        self.changed.emit()
        if self._then is None or (corpus is None and self.corpus_panel.loading):
            return
        request, then = self._waiting_for, self._then
        self._waiting_for, self._then = None, None
        # The panel may hold another text by now (one the user picked while this one loaded).
        if corpus is not None and request is not None and same_text(request.corpus_config, self.corpus_panel.config):
            # After every other handler of this signal (the window's own check of Train) has run.
            QTimer.singleShot(0, lambda: then(request.with_text(corpus)))

    def setEnabled(self, enabled: bool) -> None:  # Qt's name, as the panels'
        self.corpus_panel.setEnabled(enabled)
        self.settings_panel.setEnabled(enabled)
