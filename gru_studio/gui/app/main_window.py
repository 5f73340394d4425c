"""The GRU Studio window: composes the wings' views and wires them to the controller, nothing more.

The next run lives in RunSetup (the panels are its views), the way into a run in RunControls; a
run's events reach their views through the controller's table (`controller.events.on`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.training.events import EpochEnd, Finished
from gru_studio.engine.training.run_request import RunRequest
from gru_studio.engine.training.session import Session
from gru_studio.gui.app import window_settings
from gru_studio.gui.app.file_actions import FileActions
from gru_studio.gui.app.help_menu import HelpMenu
from gru_studio.gui.app.status_line import StatusLine
from gru_studio.gui.app.view_menu import ViewMenu
from gru_studio.gui.common.accessibility import name_controls
from gru_studio.gui.common.forms import allow_narrow
from gru_studio.gui.common.i18n import CHINESE, Translations, engine_text
from gru_studio.gui.common.language_menu import LanguageMenu
from gru_studio.gui.common.live_text import LiveText
from gru_studio.gui.common.notice import Notice
from gru_studio.gui.inside.reach_view import ReachView
from gru_studio.gui.inside.view import InsideView
from gru_studio.gui.runs.again import TrainAgain
from gru_studio.gui.runs.view import RunsView
from gru_studio.gui.setup.corpus_panel import CorpusPanel
from gru_studio.gui.setup.run_setup import RunSetup
from gru_studio.gui.setup.settings_panel import SettingsPanel, short_label
from gru_studio.gui.sweep.queue import SweepQueue
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.generation_link import GenerationLink
from gru_studio.gui.training.generation_panel import GenerationPanel
from gru_studio.gui.training.gradient_plot import GradientPlot
from gru_studio.gui.training.plot_panel import PlotPanel
from gru_studio.gui.training.run_controls import RunControls


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, translations: Translations | None = None) -> None:
        super().__init__()
        self.settings = settings
        # create_main_window applies the remembered language before building the window, so
        # that its first paint is already in it; the Language menu switches it later.
        self.translations = translations if translations is not None else Translations(settings)
        self.translations.setParent(self)
        self.setWindowTitle("GRU Studio")
        self.setAcceptDrops(True)
        self.controller = c = Controller(self)
        self.corpus_panel, self.settings_panel = CorpusPanel(), SettingsPanel()
        self.setup = RunSetup(self.corpus_panel, self.settings_panel, self)
        self.controls = RunControls(c, self.setup)
        self.buttons, self.status, self.train_message = (
            self.controls.buttons,
            self.controls.status,
            self.controls.message,
        )
        self.plot, self.generation, self.notice = PlotPanel(), GenerationPanel(), Notice()
        self.inside = InsideView(c, self.generation.prefix.text)
        self.reach = ReachView(c, self.inside.probe_text)
        self.runs, self.gradients = RunsView(c, colours=self.plot.colours), GradientPlot(c)
        self.sweep = SweepQueue(c, self.setup, self.start_run)
        self.status_line = StatusLine(self.statusBar())
        self.files = FileActions(self, self)
        self.again = TrainAgain(c, self.setup, self.start_run, self.tell, self)
        GenerationLink(self.generation, c, self.setup)
        self._layout()
        self._menus()
        self.retranslate()
        self._connect()
        startup_note = window_settings.restore(self)
        self.controls.on_state(c.state)
        if startup_note:
            self.tell(startup_note)
        self.files.offer_autosave()
        name_controls(self)  # accessible names from labels, now and after each change of language
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

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.addWidget(self.notice)
        # The plot and the Inside view share the space: one look at a time.
        self.tabs = QTabWidget(objectName="plotTabs")
        for page in (self.plot, self.inside, self.reach):
            self.tabs.addTab(page, "")  # titled in retranslate()
        top_layout.addWidget(self.tabs, 1)
        top_layout.addWidget(self.controls)

        # Generation and the recorded runs share the lower part: the runs table sits under the
        # plot it overlays curves on, and the gradients beside the perplexity, both in view.
        self.lower_tabs = QTabWidget(objectName="lowerTabs")
        for page in (self.generation, self.runs, self.gradients, self.sweep):
            self.lower_tabs.addTab(page, "")
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
        self.open_action = QAction(self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.corpus_panel.open_file_dialog)
        file_menu.addAction(self.open_action)
        self.files.add_to(file_menu)
        file_menu.addSeparator()
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        self.run_menu = self.menuBar().addMenu("")
        self.run_actions = self.controls.actions_by_name  # the same slots as the buttons, enabled with them
        self.run_menu.addActions(list(self.run_actions.values()))
        self.run_menu.addSeparator()
        self.run_menu.addAction(self.sweep.action)
        self.view_menu = ViewMenu.add_to(self.menuBar(), self.settings)
        self.language_menu = LanguageMenu(self.translations, self, note=self.tell)
        self.menuBar().addMenu(self.language_menu)
        self.help_menu = HelpMenu(self)  # Keyboard shortcuts and About; it retranslates itself
        self.menuBar().addMenu(self.help_menu)

    def retranslate(self) -> None:
        """Every text of the window's own in the present language; the parts do theirs themselves."""
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open text file…"))
        self.quit_action.setText(self.tr("&Quit"))
        self.files.retranslate()
        self.run_menu.setTitle(self.tr("&Run"))
        for tabs, page, title in (
            (self.tabs, self.plot, self.tr("Perplexity")),
            (self.tabs, self.inside, self.tr("Inside the GRU")),
            (self.tabs, self.reach, self.tr("How far back")),
            (self.lower_tabs, self.generation, self.tr("Generate")),
            (self.lower_tabs, self.runs, self.tr("Runs")),
            (self.lower_tabs, self.gradients, self.tr("Gradients")),
            (self.lower_tabs, self.sweep, self.tr("Sweep")),
        ):
            tabs.setTabText(tabs.indexOf(page), title)
        self.status_line.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _connect(self) -> None:
        c, runs, plot = self.controller, self.runs, self.plot
        self.controls.has_curves = lambda: plot.runs != []
        self.controls.said.connect(self.status_line.tell)
        self.controls.run_started.connect(self._on_run_started)
        self.controls.reset_done.connect(lambda: (self.plot.clear(), self.generation.log.clear()))
        # Where each of a run's events goes, after the controller's and the controls' own handlers.
        c.events.on(EpochEnd, plot.add_epoch, lambda _: runs.on_epoch()).on(Finished, lambda _: runs.refresh())
        c.run_failed.connect(lambda _: runs.refresh())
        autosave = self.settings_panel.autosave
        autosave.valueChanged.connect(lambda n: setattr(c, "autosave_every", n))
        c.autosave_every = autosave.value()
        c.run_recorded.connect(runs.show_run)
        c.run_recorded.connect(plot.mark_recorded)
        c.record_notice.connect(self._on_record_notice)
        plot.cleared.connect(lambda: [runs.tick(run.id, False) for run in runs.model.ticked()])  # Clear plot
        runs.overlay_wanted.connect(plot.add_overlay)
        runs.overlay_dropped.connect(plot.remove_overlay)
        runs.open_requested.connect(self.files.open_model)
        runs.train_again_requested.connect(self.again.start)
        runs.said.connect(lambda text: self.tell(text, 8000))
        self.corpus_panel.corpus_changed.connect(plot.set_corpus)
        self.corpus_panel.corpus_changed.connect(lambda c: self.files.text_opened(c, self.corpus_panel.config.source))
        self.sweep.said.connect(lambda text: self.tell(text, 8000))
        self.sweep.started.connect(lambda: self.lower_tabs.setCurrentWidget(self.sweep))
        self.sweep.runner.run_started.connect(plot.relabel_current)

    # -- runs ---------------------------------------------------------------------

    def start_run(self, request: RunRequest) -> bool:
        """The window's one way into a run, for Train, Continue, sweeps and Train again (RunControls)."""
        return self.controls.start_run(request)

    @Slot(object, object)
    def _on_run_started(self, request: RunRequest, label: Callable[[], str]) -> None:
        if request.continues:
            if not self.plot.runs:
                self.plot.begin_run(label, request.model_config.kind)
            return
        self.plot.begin_run(label, request.model_config.kind)  # the legend says it again in a new language
        # A line of the sample log: written once, in the language of the moment, as the samples are.
        self.generation.log.appendPlainText(self.tr("— run {0}: {1} —").format(self.plot.run_count, label()))
        self.notice.hide()  # an offer from before this run is stale now

    @Slot(object)
    def _on_record_notice(self, text: object) -> None:
        # Training goes on unrecorded: a note, not an error. `text`: the store's Phrase, kept to render again.
        self.tell(lambda: self.tr("This run is not recorded in the run history: {0}").format(engine_text(text)), 15_000)

    # -- what FileActions asks of the window ----------------------------------------

    def tell(self, message: LiveText, timeout_ms: int = 0) -> None:
        """A status-bar message; a callable that calls tr() or an engine error is said again after a switch."""
        self.status_line.tell(message, timeout_ms)

    def device_name(self) -> str:
        return self.setup.device_name()

    def plot_image(self) -> QImage:
        return self.plot.plot.grab().toImage()

    def offer(self, text: LiveText, action: LiveText, on_action: Callable[[], None]) -> None:
        self.notice.offer(text, action, on_action)

    def show_opened_model(self, session: Session) -> None:
        """A model read from a file: its text and settings in the panels, its history as a new curve."""
        self.notice.hide()
        self.setup.adopt(session)
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
        return self.tr("Opened a model trained {0}{1}.").format(self.controls.epochs_text(session.epoch), ppl) + notes

    # -- settings, drops and closing ----------------------------------------------

    def save_settings(self) -> None:
        window_settings.save(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and self.controller.state.can_change_settings:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.open_file(event.mimeData().urls()[0].toLocalFile())
        event.acceptProposedAction()

    def open_file(self, path: str) -> None:
        """A model (*.pt) opens as File ▸ Open model does; any other file is read as a text to train on."""
        if path.lower().endswith(".pt"):
            self.files.open_model(path)
        else:
            self.corpus_panel.select(path)

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
