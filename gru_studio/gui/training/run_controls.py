"""The row of run buttons, the progress line under it and why Train cannot start: the window's one
way into a run.

`start_run(request)` is that way in. Train hands it the panels' request, Continue
the same request continued; a sweep's runs and Train again hand it theirs. It
checks, asks the controller to train, and says `run_started` so that the plot,
the sample log and the notice can take their part. The Run menu's actions call
the same slots as the buttons and are enabled with them, from the run's state.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.text.comparable import TooShort, check_comparable
from gru_studio.engine.training.events import BatchEnd, EpochEnd, Finished, ThreadsChosen
from gru_studio.engine.training.run_request import RunRequest
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui.common import theme
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.setup.run_setup import RunSetup
from gru_studio.gui.setup.settings_panel import short_label
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.run_status import RunStatus

SHORTCUTS = {
    "train": "Ctrl+Return",
    "continue": "Ctrl+Shift+Return",
    "pause": "Ctrl+P",
    "stop": "Esc",  # not Ctrl+.: Chinese input methods switch their punctuation with it
    "reset": "Ctrl+Shift+R",
}
# Marked here, translated where shown (retranslate() and on_state()), so that a change of language rewrites them.
BUTTON_TEXT = {
    "train": QT_TRANSLATE_NOOP("RunControls", "Train"),
    "continue": QT_TRANSLATE_NOOP("RunControls", "Continue"),
    "pause": QT_TRANSLATE_NOOP("RunControls", "Pause"),
    "resume": QT_TRANSLATE_NOOP("RunControls", "Resume"),
    "stop": QT_TRANSLATE_NOOP("RunControls", "Stop"),
    "reset": QT_TRANSLATE_NOOP("RunControls", "Reset"),
}
CONTINUE_TIP = QT_TRANSLATE_NOOP("RunControls", "Train the current model on, up to the number of epochs set")
STATE_TEXT = {
    RunState.IDLE: QT_TRANSLATE_NOOP("RunControls", "Ready"),
    RunState.TRAINING: QT_TRANSLATE_NOOP("RunControls", "Training…"),
    RunState.PAUSED: QT_TRANSLATE_NOOP("RunControls", "Paused"),
    RunState.STOPPING: QT_TRANSLATE_NOOP("RunControls", "Stopping after this batch…"),
    RunState.FINISHED: QT_TRANSLATE_NOOP("RunControls", "Finished"),
    RunState.STOPPED: QT_TRANSLATE_NOOP("RunControls", "Stopped"),
    RunState.FAILED: QT_TRANSLATE_NOOP("RunControls", "Failed"),
}


class RunControls(QWidget):
    run_started = Signal(object, object)  # the RunRequest now training, and its name for the legend (a callable)
    reset_done = Signal()  # the model is gone: the curves and the sample log go too
    said = Signal(object, int)  # a status-bar message (LiveText) and how long it stays (0: until the next)

    def __init__(self, controller: Controller, setup: RunSetup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.setup = controller, setup
        self.has_curves: Callable[[], bool] = lambda: False  # Reset also clears curves of runs whose model is gone
        self.buttons = {name: QPushButton(objectName=f"{name}Button") for name in SHORTCUTS}
        self.actions_by_name = {name: QAction(self, shortcut=QKeySequence(key)) for name, key in SHORTCUTS.items()}
        self.status = RunStatus()
        self.message = QLabel(objectName="trainMessage", wordWrap=True)
        theme.mark_error(self.message)
        self._message: LiveText = ""  # what the message was made from, to say again in a new language
        # Beside the result: a text too short for its runs to compare models (the engine's rule and words,
        # as `train` and `sweep` print them), said once a run ends, until the next run or Reset (issue 29).
        self.comparable_note = QLabel(objectName="comparableNote", wordWrap=True)
        self.comparable_note.setStyleSheet("color: palette(placeholder-text);")
        self.comparable_note.hide()
        self._too_short: TooShort | None = None
        self._continue_tip = ""  # with its shortcut, from retranslate
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.status)
        column.addWidget(self.comparable_note)
        column.addWidget(self.message)
        slots = {
            "train": self.train,
            "continue": self.continue_training,
            "pause": self._pause_or_resume,
            "stop": controller.stop,
            "reset": self._reset,
        }
        for name, slot in slots.items():
            self.buttons[name].clicked.connect(slot)
            self.actions_by_name[name].triggered.connect(slot)
        controller.state_changed.connect(self.on_state)
        controller.run_failed.connect(self._on_failed)
        controller.events.on(BatchEnd, self.status.on_batch).on(EpochEnd, self.status.on_epoch)
        controller.events.on(ThreadsChosen, self.status.on_threads)
        controller.events.on(Finished, self._on_finished)
        setup.changed.connect(self.validate)
        self.retranslate()

    # -- the one way into a run -------------------------------------------------------------------

    def start_run(self, request: RunRequest) -> bool:
        """Train what `request` asks for; False, saying why beside the buttons, when it cannot start."""
        problem = self._continue_problem(request) if request.continues else self._new_problem(request)
        if problem:
            self.show_message(problem)
            return False
        trained = self.controller.session.epoch if request.continues and self.controller.session else 0
        try:
            started = self.controller.run(request)
        except GruStudioError as exc:  # what the checks cannot foresee, said where they are said
            self.show_message(exc)
            return False
        if started:
            if not request.continues:
                corpus = request.corpus
                self._too_short = (
                    check_comparable(corpus, request.corpus_config, request.train_config) if corpus else None
                )
                self.comparable_note.hide()
            self.status.begin(request.train_config.epochs, start_epoch=trained)
            self.run_started.emit(request, self.run_label(request))
        return started

    def _new_problem(self, request: RunRequest) -> LiveText:
        if request.corpus is None:
            return self.setup.problem() or (lambda: self.tr("Choose a text to train on."))
        return request.problem() or ""

    def run_label(self, request: RunRequest) -> Callable[[], str]:
        """How the plot's legend names a run; called again to say it in a new language."""
        if request.continues:
            return lambda: self.tr("continued")
        model, corpus, train = request.model_config, request.corpus, request.train_config
        return lambda: self.tr("{model}, {text}, lr {lr}, {epochs}").format(
            model=short_label(model.kind),
            text=render(corpus.name) if corpus is not None else "",
            lr=f"{train.lr:g}",
            epochs=self.epochs_text(train.epochs),
        )

    def epochs_text(self, epochs: int) -> str:
        # English says "1 epoch" but "5 epochs"; Chinese has the one form of "%n epochs".
        return self.tr("1 epoch") if epochs == 1 else self.tr("%n epochs", "", epochs)

    def _continue_problem(self, request: RunRequest) -> LiveText:
        session = self.controller.session
        epochs = request.train_config.epochs
        trained = session.epoch if session is not None else 0
        if session is None or not session.has_model or epochs <= trained:
            return lambda: self.tr("Set Epochs above {0} to continue training this model.").format(trained)
        return ""

    @Slot()
    def train(self) -> None:
        self.start_run(self.setup.request())

    @Slot()
    def continue_training(self) -> None:
        self.start_run(self.setup.request().continued())

    @Slot()
    def _pause_or_resume(self) -> None:
        if self.controller.state.can_resume:
            self.controller.resume()
        else:
            self.controller.pause()

    @Slot()
    def _reset(self) -> None:
        self.controller.reset()
        self.status.reset()
        self._too_short = None
        self.comparable_note.hide()
        self.reset_done.emit()
        self.on_state(self.controller.state)  # the curves are gone: Reset has nothing left to do

    # -- what the run says ---------------------------------------------------------------------

    def _on_finished(self, event: Finished) -> None:
        self.said.emit(lambda: self._finished_text(event), 0)
        self.status.finish(event)
        if self._too_short is not None:
            self.comparable_note.setText(render(self._too_short.note()))
            self.comparable_note.show()

    def _finished_text(self, event: Finished) -> str:
        template = self.tr("Finished after {0}") if event.reason == "completed" else self.tr("Stopped after {0}")
        text = template.format(self.epochs_text(event.epoch))
        if event.perplexity:
            text += self.tr(", perplexity {0}").format(f"{event.perplexity:.3f}")
        if event.tokens_per_s:
            text += self.tr(", {0} tokens/s overall").format(f"{event.tokens_per_s:,.0f}")
        return text

    @Slot(object)
    def _on_failed(self, message: LiveText) -> None:
        """`message`: the engine's error (or Phrase) itself, rendered now and again after a switch."""
        self.show_message(message)
        self.status.fail()
        self.said.emit(lambda: self.tr("Training failed"), 0)

    def show_message(self, text: LiveText) -> None:
        self._message = text
        self.message.setText(render(text))

    # -- enabling, from the state alone ------------------------------------------------------------

    @Slot(object)
    def on_state(self, state: RunState) -> None:
        """Every control that depends on the run asks the state, and nothing else."""
        self._enable("pause", state.can_pause or state.can_resume)
        self._enable("stop", state.can_stop)
        self._enable("continue", state.can_continue and self.controller.can_train_on)
        self._enable("reset", state.can_reset or (state is RunState.IDLE and self.has_curves()))
        self._state_texts(state)
        self.setup.setEnabled(state.can_change_settings)
        if state.is_running or state is RunState.IDLE:
            self.said.emit(lambda: self.tr(STATE_TEXT[state]), 0)
        self.validate()

    @Slot()
    def validate(self) -> None:
        """Say why Train cannot start before it is clicked, and enable it only when it can."""
        state = self.controller.state
        problem = self.setup.problem() if state.can_train else ""
        self.show_message(problem)
        self._enable("train", not problem and state.can_train)

    def _enable(self, name: str, enabled: bool) -> None:
        self.buttons[name].setEnabled(enabled)
        self.actions_by_name[name].setEnabled(enabled)

    def _state_texts(self, state: RunState) -> None:
        """The texts that depend on the state: Pause or Resume, and why Continue cannot train."""
        pause = self.tr(BUTTON_TEXT["resume" if state.can_resume else "pause"])
        self.buttons["pause"].setText(pause)
        self.actions_by_name["pause"].setText(pause)
        missing = self.controller.session.text_missing if self.controller.session is not None else None
        self.buttons["continue"].setToolTip(render(missing) if missing else self._continue_tip)

    def retranslate(self) -> None:
        for name, shortcut in SHORTCUTS.items():
            text = self.tr(BUTTON_TEXT[name])
            self.actions_by_name[name].setText(text)
            self.buttons[name].setText(text)
            hint = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            tip = self.tr(CONTINUE_TIP) if name == "continue" else text
            self.buttons[name].setToolTip(f"{tip} ({hint})")
        self._continue_tip = self.buttons["continue"].toolTip()
        self._state_texts(self.controller.state)
        self.message.setText(render(self._message))
        if self._too_short is not None:
            self.comparable_note.setText(render(self._too_short.note()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
