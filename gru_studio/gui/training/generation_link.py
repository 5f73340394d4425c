"""What the Generate tab's button sets going: a model of its own for the generation thread, and its text."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.models.generate import prepare_prefix
from gru_studio.engine.training.events import Sample
from gru_studio.gui.setup.run_setup import RunSetup
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.generation_panel import GenerationPanel


class GenerationLink(QObject):
    """Joins the generation panel to the controller: requests out, characters, errors and samples in."""

    def __init__(self, panel: GenerationPanel, controller: Controller, setup: RunSetup) -> None:
        super().__init__(panel)
        self.panel, self.controller, self.setup = panel, controller, setup
        panel.generate_requested.connect(self._generate)
        controller.generated.connect(panel.append)
        controller.generation_failed.connect(panel.show_error)
        controller.events.on(Sample, self._on_sample)

    def _on_sample(self, event: Sample) -> None:
        self.panel.log_sample(event.epoch, event.text)

    @Slot(str, int, float, int)
    def _generate(self, prefix: str, length: int, temperature: float, top_k: int) -> None:
        session = self.controller.session
        # A model generates with the characters of its own text, whatever the panel shows now.
        request = self.setup.request()
        corpus = session.corpus if session is not None and session.has_model else request.corpus
        if corpus is None:
            self.panel.show_error(lambda: self.tr("Choose a text first: the model needs its characters."))
            return
        try:
            shown = prepare_prefix(prefix, corpus.vocab, corpus.mode)
        except GruStudioError as exc:
            self.panel.show_error(exc)
            return
        trained = self.controller.has_model or self.controller.state.is_running
        note = "" if trained else self.tr("[untrained model: random weights]") + "\n"
        source = self.controller.model_source(corpus, request.model_config, request.train_config.seed)
        self.panel.begin(shown, note)
        self.controller.generate(source, corpus, shown, length, temperature, top_k)
