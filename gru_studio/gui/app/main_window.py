"""The GRU Studio window: composes the panels and wires them to the controller."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gru_studio import __version__
from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.models.generate import prepare_prefix
from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.training.events import EpochEnd, Finished, Sample
from gru_studio.engine.training.run_state import RunState
from gru_studio.engine.training.session import Session, check_new_run
from gru_studio.gui.app import window_settings
from gru_studio.gui.app.file_actions import FileActions
from gru_studio.gui.common.forms import allow_narrow
from gru_studio.gui.common.i18n import CHINESE, Translations, engine_text
from gru_studio.gui.common.language_menu import LanguageMenu
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.common.notice import Notice
from gru_studio.gui.inside.view import InsideView
from gru_studio.gui.runs.again import TrainAgain
from gru_studio.gui.runs.view import RunsView
from gru_studio.gui.setup.corpus_panel import CorpusPanel
from gru_studio.gui.setup.settings_panel import SettingsPanel, short_label
from gru_studio.gui.sweep.queue import SweepQueue
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.generation_panel import GenerationPanel
from gru_studio.gui.training.gradient_plot import GradientPlot
from gru_studio.gui.training.plot_panel import PlotPanel
from gru_studio.gui.training.run_status import RunStatus

SHORTCUTS = {
    "train": "Ctrl+Return",
    "continue": "Ctrl+Shift+Return",
    "pause": "Ctrl+P",
    "stop": "Ctrl+.",
    "reset": "Ctrl+Shift+R",
}
# Marked here, translated where shown (retranslate() and _on_state()), so that a change of language rewrites them.
BUTTON_TEXT = {
    "train": QT_TRANSLATE_NOOP("MainWindow", "Train"),
    "continue": QT_TRANSLATE_NOOP("MainWindow", "Continue"),
    "pause": QT_TRANSLATE_NOOP("MainWindow", "Pause"),
    "resume": QT_TRANSLATE_NOOP("MainWindow", "Resume"),
    "stop": QT_TRANSLATE_NOOP("MainWindow", "Stop"),
    "reset": QT_TRANSLATE_NOOP("MainWindow", "Reset"),
}
CONTINUE_TIP = QT_TRANSLATE_NOOP("MainWindow", "Train the current model on, up to the number of epochs set")
STATE_TEXT = {
    RunState.IDLE: QT_TRANSLATE_NOOP("MainWindow", "Ready"),
    RunState.TRAINING: QT_TRANSLATE_NOOP("MainWindow", "Training…"),
    RunState.PAUSED: QT_TRANSLATE_NOOP("MainWindow", "Paused"),
    RunState.STOPPING: QT_TRANSLATE_NOOP("MainWindow", "Stopping after this batch…"),
    RunState.FINISHED: QT_TRANSLATE_NOOP("MainWindow", "Finished"),
    RunState.STOPPED: QT_TRANSLATE_NOOP("MainWindow", "Stopped"),
    RunState.FAILED: QT_TRANSLATE_NOOP("MainWindow", "Failed"),
}


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, translations: Translations | None = None) -> None:
        super().__init__()
        self.settings = settings
        # create_main_window applies the remembered language before building the window, so
        # that its first paint is already in it; the Language menu switches it later.
        self.translations = translations if translations is not None else Translations(settings)
        self.translations.setParent(self)
        # What the status bar and the message under the buttons were made from, to say again
        # in a new language (a callable that calls tr(), an engine error, or plain text).
        self._status: tuple[LiveText, int] = ("", 0)
        self._status_shown = ""
        self._train_text: LiveText = ""
        self.setWindowTitle("GRU Studio")
        self.setAcceptDrops(True)
        self.controller = Controller(self)
        self.corpus_panel = CorpusPanel()
        self.settings_panel = SettingsPanel()
        self.plot = PlotPanel()
        self.status = RunStatus()
        self.generation = GenerationPanel()
        self.inside = InsideView(self.controller, self.generation.prefix.text)
        self.runs = RunsView(self.controller)
        self.gradients = GradientPlot(self.controller)
        panel = self.settings_panel  # a sweep starts each run as Train does, from the panel's settings
        corpus = lambda: self.corpus_panel.corpus  # noqa: E731
        self.sweep = SweepQueue(
            self.controller, panel.values, panel.set_values, self._train, self.problem, self.configs, corpus
        )
        self.buttons = {name: QPushButton(objectName=f"{name}Button") for name in SHORTCUTS}
        self.notice = Notice()
        self.train_message = QLabel(objectName="trainMessage", wordWrap=True)
        self.train_message.setStyleSheet("color: #c0392b;")
        self.files = FileActions(self, self)
        self.again = TrainAgain(self, self)
        self._continue_tip = ""  # with its shortcut, from retranslate
        self._layout()
        self._menus()
        self.retranslate()
        self._connect()
        startup_note = window_settings.restore(self)
        self._on_state(self.controller.state)
        if startup_note:
            self.tell(startup_note)
        self.files.offer_autosave()
        if self.translations.language == CHINESE:
            self.language_menu.check_font()  # a remembered Chinese on a system that cannot draw it

    # -- composition ------------------------------------------------------------

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.corpus_panel)
        column.addWidget(self.settings_panel)
        column.addStretch(1)
        for combo in left.findChildren(QComboBox):
            allow_narrow(combo)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(340)

        controls = QHBoxLayout()
        for button in self.buttons.values():
            controls.addWidget(button)
        controls.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.addWidget(self.notice)
        # The plot and the Inside view share the space: one look at a time.
        self.tabs = QTabWidget(objectName="plotTabs")
        self.tabs.addTab(self.plot, "")  # titled in retranslate()
        self.tabs.addTab(self.inside, "")
        top_layout.addWidget(self.tabs, 1)
        top_layout.addLayout(controls)
        top_layout.addWidget(self.status)
        top_layout.addWidget(self.train_message)

        # Generation and the recorded runs share the lower part: the runs table sits under the
        # plot it overlays curves on, so both are in view together.
        self.lower_tabs = QTabWidget(objectName="lowerTabs")
        self.lower_tabs.addTab(self.generation, "")
        self.lower_tabs.addTab(self.runs, "")
        self.lower_tabs.addTab(self.gradients, "")  # beside the perplexity plot above, both in view
        self.lower_tabs.addTab(self.sweep, "")
        right = self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(self.lower_tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        # Room for the longest labels at the default size; the settings can still
        # shrink with the window, and the plot takes what is left.
        self.splitter.setSizes([430, 850])
        self.setCentralWidget(self.splitter)

    def _menus(self) -> None:
        # Texts are set in retranslate(), here and again on every change of language.
        self.file_menu = file_menu = self.menuBar().addMenu("")
        self.open_action = open_action = QAction(self, shortcut=QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.corpus_panel.open_file_dialog)
        file_menu.addAction(open_action)
        self.files.add_to(file_menu)
        file_menu.addSeparator()
        self.quit_action = quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.run_menu = run_menu = self.menuBar().addMenu("")
        self.run_actions: dict[str, QAction] = {}
        for name, shortcut in SHORTCUTS.items():
            action = QAction(self, shortcut=QKeySequence(shortcut))
            action.triggered.connect(self.buttons[name].click)  # click() does nothing while the button is disabled
            run_menu.addAction(action)
            self.run_actions[name] = action
        run_menu.addSeparator()
        run_menu.addAction(self.sweep.action)
        self.language_menu = LanguageMenu(self.translations, self, note=self._font_note)
        self.menuBar().addMenu(self.language_menu)
        self.help_menu = help_menu = self.menuBar().addMenu("")
        self.about_action = about = QAction(self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def retranslate(self) -> None:
        """Every text of the window's own in the present language; the panels do theirs themselves."""
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open text file…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.files.retranslate()
        self.run_menu.setTitle(self.tr("&Run"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About GRU Studio"))
        for name, shortcut in SHORTCUTS.items():
            text = self.tr(BUTTON_TEXT[name])
            self.run_actions[name].setText(text)
            self.buttons[name].setText(text)
            hint = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            tip = self.tr(CONTINUE_TIP) if name == "continue" else text
            self.buttons[name].setToolTip(f"{tip} ({hint})")
        self._continue_tip = self.buttons["continue"].toolTip()
        for tabs, page, title in (
            (self.tabs, self.plot, self.tr("Perplexity")),
            (self.tabs, self.inside, self.tr("Inside the GRU")),
            (self.lower_tabs, self.generation, self.tr("Generate")),
            (self.lower_tabs, self.runs, self.tr("Runs")),
            (self.lower_tabs, self.gradients, self.tr("Gradients")),
            (self.lower_tabs, self.sweep, self.tr("Sweep")),
        ):
            tabs.setTabText(tabs.indexOf(page), title)
        self._state_texts(self.controller.state)
        self.train_message.setText(render(self._train_text))
        text, timeout_ms = self._status
        # Said again only while it is still shown: a message that timed out stays gone.
        if self._status_shown and self.statusBar().currentMessage() == self._status_shown:
            self._show_status(text, timeout_ms)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _font_note(self, text: str) -> None:
        self.tell(text)

    def _connect(self) -> None:
        c = self.controller
        self.buttons["train"].clicked.connect(self._train)
        self.buttons["continue"].clicked.connect(self._continue)
        self.buttons["pause"].clicked.connect(self._pause_or_resume)
        self.buttons["stop"].clicked.connect(c.stop)
        self.buttons["reset"].clicked.connect(self._reset)
        c.state_changed.connect(self._on_state)
        c.progress.connect(self.status.on_batch)
        c.epoch_ended.connect(self._on_epoch)
        c.sampled.connect(self._on_sample)
        c.run_finished.connect(self._on_finished)
        c.epoch_ended.connect(self.inside.on_epoch)
        c.run_finished.connect(self.inside.on_model_changed)
        c.model_opened.connect(self.inside.on_model_changed)
        c.state_changed.connect(self.inside.on_state)
        c.run_failed.connect(self._on_failed)
        c.generated.connect(self.generation.append)
        c.generation_failed.connect(self.generation.show_error)
        autosave = self.settings_panel.autosave
        autosave.valueChanged.connect(lambda n: setattr(c, "autosave_every", n))
        c.autosave_every = autosave.value()
        self.corpus_panel.corpus_changed.connect(self._validate)
        self.settings_panel.changed.connect(self._validate)
        self.generation.generate_requested.connect(self._generate)
        c.run_recorded.connect(self.runs.show_run)
        c.run_recorded.connect(self.plot.mark_recorded)
        c.record_notice.connect(self._on_record_notice)
        self.runs.overlay_wanted.connect(self.plot.add_overlay)
        self.runs.overlay_dropped.connect(self.plot.remove_overlay)
        self.runs.open_requested.connect(self._open_run_model)
        self.runs.train_again_requested.connect(self.again.start)
        self.runs.said.connect(self._say)
        self.corpus_panel.corpus_changed.connect(self.plot.set_corpus)
        self.sweep.said.connect(self._say)
        self.sweep.started.connect(lambda: self.lower_tabs.setCurrentWidget(self.sweep))
        self.sweep.runner.run_started.connect(self.plot.relabel_current)

    # -- training ---------------------------------------------------------------

    def configs(self) -> tuple:
        corpus_config = self.settings_panel.corpus_config(self.corpus_panel.config)
        return corpus_config, self.settings_panel.model_config(), self.settings_panel.train_config()

    def problem(self) -> LiveText:
        """Why Train cannot start now (kept as made, to be said again in a new language), or '' when it can."""
        corpus = self.corpus_panel.corpus
        if corpus is None:
            if self.corpus_panel.loading:
                return lambda: self.tr("Loading the text…")
            return lambda: self.tr("Choose a text to train on.")
        corpus_config, model_config, train_config = self.configs()
        try:
            check_new_run(corpus, corpus_config, model_config, train_config)  # what Train would refuse
        except GruStudioError as exc:
            return exc
        return ""

    def _show_train_message(self, text: LiveText) -> None:
        self._train_text = text
        self.train_message.setText(render(text))

    def _epochs_text(self, epochs: int) -> str:
        # English says "1 epoch" but "5 epochs"; Chinese has the one form of "%n epochs".
        return self.tr("1 epoch") if epochs == 1 else self.tr("%n epochs", "", epochs)

    @Slot()
    def _validate(self) -> None:
        state = self.controller.state
        problem = self.problem() if state.can_train else ""
        self._show_train_message(problem)
        self.buttons["train"].setEnabled(not problem and state.can_train)

    @Slot()
    def _train(self) -> None:
        if self.problem():
            return
        corpus: Corpus = self.corpus_panel.corpus
        corpus_config, model_config, train_config = self.configs()
        try:
            self.controller.start(corpus, corpus_config, model_config, train_config)
        except GruStudioError as exc:  # what problem() cannot foresee, said where it always is
            self._show_train_message(exc)
            return

        def label() -> str:  # the legend says it again in a new language
            return self.tr("{model}, {text}, lr {lr}, {epochs}").format(
                model=short_label(model_config.kind),
                text=engine_text(corpus.name),
                lr=f"{train_config.lr:g}",
                epochs=self._epochs_text(train_config.epochs),
            )

        self.plot.begin_run(label)
        self.status.begin(train_config.epochs)
        # A line of the sample log: written once, in the language of the moment, as the samples are.
        self.generation.log.appendPlainText(self.tr("— run {0}: {1} —").format(self.plot.run_count, label()))
        self.notice.hide()  # an offer from before this run is stale now

    @Slot()
    def _continue(self) -> None:
        session = self.controller.session
        epochs = self.settings_panel.train_config().epochs
        trained = session.epoch if session is not None else 0
        if session is None or not session.has_model or epochs <= trained:
            self._show_train_message(
                lambda: self.tr("Set Epochs above {0} to continue training this model.").format(trained)
            )
            return
        try:
            self.controller.continue_training(epochs, self.settings_panel.train_config().threads)
        except GruStudioError as exc:
            self._show_train_message(exc)
            return
        if not self.plot.runs:
            self.plot.begin_run(lambda: self.tr("continued"))
        self.status.begin(epochs, start_epoch=trained)

    @Slot()
    def _pause_or_resume(self) -> None:
        if self.controller.state.can_resume:
            self.controller.resume()
        else:
            self.controller.pause()

    @Slot()
    def _reset(self) -> None:
        self.controller.reset()
        self.plot.clear()
        self.status.reset()
        self.generation.log.clear()
        self._on_state(self.controller.state)  # the curves are gone: Reset has nothing left to do

    @Slot(object)
    def _on_epoch(self, event: EpochEnd) -> None:
        self.plot.add_epoch(event)
        self.status.on_epoch(event)
        self.runs.on_epoch()

    @Slot(object)
    def _on_sample(self, event: Sample) -> None:
        self.generation.log_sample(event.epoch, event.text)

    @Slot(object)
    def _on_finished(self, event: Finished) -> None:
        self._show_status(lambda: self._finished_text(event))
        self.status.finish(event)
        self.runs.refresh()  # the run's row: finished or stopped, its last figures

    def _finished_text(self, event: Finished) -> str:
        template = self.tr("Finished after {0}") if event.reason == "completed" else self.tr("Stopped after {0}")
        text = template.format(self._epochs_text(event.epoch))
        if event.perplexity:
            text += self.tr(", perplexity {0}").format(f"{event.perplexity:.3f}")
        if event.tokens_per_s:
            text += self.tr(", {0} tokens/s on average").format(f"{event.tokens_per_s:,.0f}")
        return text

    @Slot(object)
    def _on_failed(self, message: LiveText) -> None:
        """`message`: the engine's error (or Phrase) itself, rendered now and again after a switch."""
        self._show_train_message(message)
        self.status.fail()
        self._show_status(lambda: self.tr("Training failed"))
        self.runs.refresh()

    @Slot(object)
    def _on_state(self, state: RunState) -> None:
        """Every control that depends on the run asks the state, and nothing else."""
        self.buttons["pause"].setEnabled(state.can_pause or state.can_resume)
        self.buttons["stop"].setEnabled(state.can_stop)
        self.buttons["continue"].setEnabled(state.can_continue and self.controller.can_train_on)
        self._state_texts(state)
        # Reset also clears the curves of runs whose model is gone (a run that failed while building).
        self.buttons["reset"].setEnabled(state.can_reset or (state is RunState.IDLE and self.plot.runs != []))
        self.corpus_panel.setEnabled(state.can_change_settings)
        self.settings_panel.setEnabled(state.can_change_settings)
        if state.is_running or state is RunState.IDLE:
            self._show_status(lambda: self.tr(STATE_TEXT[state]))
        self._validate()

    def _state_texts(self, state: RunState) -> None:
        """The texts that depend on the state: Pause or Resume, and why Continue cannot train."""
        self.buttons["pause"].setText(self.tr(BUTTON_TEXT["resume" if state.can_resume else "pause"]))
        missing = self.controller.session.text_missing if self.controller.session is not None else None
        self.buttons["continue"].setToolTip(engine_text(missing) if missing else self._continue_tip)

    # -- recorded runs ----------------------------------------------------------------

    @Slot(object)
    def _on_record_notice(self, text: object) -> None:
        # Training goes on unrecorded: a note, not an error. `text`: the store's Phrase, kept to render again.
        self.tell(lambda: self.tr("This run is not recorded in the run history: {0}").format(engine_text(text)), 15_000)

    @Slot(object)
    def _say(self, text: LiveText) -> None:
        self.tell(text, 8000)

    @Slot(str)
    def _open_run_model(self, path: str) -> None:
        self.files.open_model(path)

    # -- generation ---------------------------------------------------------------

    @Slot(str, int, float, int)
    def _generate(self, prefix: str, length: int, temperature: float, top_k: int) -> None:
        session = self.controller.session
        # A model generates with the characters of its own text, whatever the panel shows now.
        corpus = session.corpus if session is not None and session.has_model else self.corpus_panel.corpus
        if corpus is None:
            self.generation.show_error(lambda: self.tr("Choose a text first: the model needs its characters."))
            return
        try:
            shown = prepare_prefix(prefix, corpus.vocab, corpus.mode)
        except GruStudioError as exc:
            self.generation.show_error(exc)
            return
        _, model_config, train_config = self.configs()
        trained = self.controller.has_model or self.controller.state.is_running
        note = "" if trained else self.tr("[untrained model: random weights]") + "\n"
        source = self.controller.model_source(corpus, model_config, train_config.seed)
        self.generation.begin(shown, note)
        self.controller.generate(source, corpus, shown, length, temperature, top_k)

    # -- what FileActions asks of the window ----------------------------------------

    def tell(self, message: LiveText, timeout_ms: int = 0) -> None:
        """A status-bar message; a callable that calls tr() or an engine error is said again after a switch."""
        self._show_status(message, timeout_ms)

    def _show_status(self, message: LiveText, timeout_ms: int = 0) -> None:
        self._status = (message, timeout_ms)
        self._status_shown = render(message) if message else ""
        if self._status_shown:
            self.statusBar().showMessage(self._status_shown, timeout_ms)
        else:
            self.statusBar().clearMessage()

    def device_name(self) -> str:
        return str(self.settings_panel.device.currentData())

    def plot_image(self) -> QImage:
        return self.plot.plot.grab().toImage()

    def offer(self, text: LiveText, action: LiveText, on_action: Callable[[], None]) -> None:
        self.notice.offer(text, action, on_action)

    def show_opened_model(self, session: Session) -> None:
        """A model read from a file: its text and settings in the panels, its history as a new curve."""
        self.notice.hide()
        self.corpus_panel.adopt(session.corpus, session.corpus_config)
        values = {**vars(session.model_config), **vars(session.train_config)}
        # The device and threads picked here stay: they belong to this machine, not to the file.
        values.pop("device", None)
        values.pop("threads", None)
        self.settings_panel.set_values(values)
        self.plot.begin_run(
            lambda: self.tr("opened: {0}, {1}").format(
                short_label(session.model_config.kind), engine_text(session.corpus.name)
            )
        )
        for record in session.history:
            self.plot.add_point(record.epoch, record.perplexity, record.val_perplexity)
        self.tell(lambda: self._opened_text(session))

    def _opened_text(self, session: Session) -> str:
        last = session.history[-1].perplexity if session.history else None
        ppl = self.tr(", perplexity {0}").format(f"{last:.3f}") if last else ""
        notes = "".join(f" {engine_text(note)}" for note in session.notes)  # a missing or changed text
        return self.tr("Opened a model trained {0}{1}.").format(self._epochs_text(session.epoch), ppl) + notes

    # -- settings, drops and closing ----------------------------------------------

    def choose_device(self, name: str) -> None:
        picker = self.settings_panel.device
        index = picker.findData(name)
        if index >= 0 and picker.model().item(index).isEnabled():
            picker.setCurrentIndex(index)

    def save_settings(self) -> None:
        window_settings.save(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and self.controller.state.can_change_settings:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.corpus_panel.select(event.mimeData().urls()[0].toLocalFile())
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible():
            self.save_settings()
        training_done = self.controller.shutdown(timeout_ms=2000 if self.isVisible() else 100)
        if not (training_done and self.corpus_panel.shutdown(timeout_ms=200)):
            # A load (a large file, a slow download) or a save cannot be
            # interrupted, and destroying its thread would abort the process:
            # vanish now, and close for real once the work has ended.
            self.hide()
            QTimer.singleShot(100, self.close)
            event.ignore()
            return
        event.accept()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About GRU Studio"),
            self.tr(
                "<b>GRU Studio {0}</b><p>Train gated recurrent unit language models, watch "
                "perplexity fall and see what they write. After the GRU chapter of "
                "<i>Dive into Deep Learning</i>.</p>"
            ).format(__version__),
        )
