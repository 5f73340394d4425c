"""The Sweep tab: the queue of a sweep's runs, each with its state and figures, and its controls.

"New sweep…" opens the dialog (sweep_dialog.py); the runs then train one
after another (sweep_runner.py) while this list shows each one waiting,
training, done, failed or skipped, with its final perplexity, best validation
perplexity, speed and its id in the run history, as `gru-studio sweep` prints
them. Pause holds the queue (and pauses the run under way), Skip stops the
current run and goes on, Cancel stops it and skips the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.experiments.sweep import SweepRun, format_value
from gru_studio.engine.messages import QT_TRANSLATE_NOOP
from gru_studio.engine.training.run_request import RunRequest
from gru_studio.gui.common import theme
from gru_studio.gui.common.live_text import render
from gru_studio.gui.setup.run_setup import RunSetup
from gru_studio.gui.sweep.dialog import SweepDialog, setting_label
from gru_studio.gui.sweep.runner import DONE, FAILED, SKIPPED, TRAINING, WAITING, SweepEntry, SweepRunner
from gru_studio.gui.training.controller import Controller

STATE_WORDS = {
    WAITING: QT_TRANSLATE_NOOP("SweepQueue", "waiting"),
    TRAINING: QT_TRANSLATE_NOOP("SweepQueue", "training"),
    DONE: QT_TRANSLATE_NOOP("SweepQueue", "done"),
    FAILED: QT_TRANSLATE_NOOP("SweepQueue", "failed"),
    SKIPPED: QT_TRANSLATE_NOOP("SweepQueue", "skipped"),
}
STATE_COLOURS = {TRAINING: "#2e86de", DONE: "#27ae60", FAILED: "#c0392b", SKIPPED: "#888888"}
RUN, SETTINGS, STATE, PERPLEXITY, BEST_VAL, SPEED, RECORDED = range(7)


def state_word(state: str) -> str:
    return QCoreApplication.translate("SweepQueue", STATE_WORDS[state])


class SweepQueue(QWidget):
    """The queue view and its runner; `said` carries a line for the status bar when a sweep ends."""

    said = Signal(str)
    started = Signal()  # a sweep's runs are queued: the window shows this tab

    def __init__(
        self,
        controller: Controller,
        setup: RunSetup,
        start_run: Callable[[RunRequest], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setup = setup
        self.runner = SweepRunner(controller, setup, start_run, self)
        self.action = QAction(self)  # "Sweep…" in the window's menu
        self.action.triggered.connect(self.open_dialog)
        self.summary = QLabel(objectName="sweepSummary", wordWrap=True)
        self.table = QTableWidget(0, 7, objectName="sweepTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SETTINGS, QHeaderView.ResizeMode.Stretch)
        self.buttons = {
            name: QPushButton(objectName=f"sweep{name.title()}Button") for name in ("new", "pause", "skip", "cancel")
        }
        self.buttons["new"].clicked.connect(self.open_dialog)
        self.buttons["pause"].clicked.connect(self._pause_or_resume)
        self.buttons["skip"].clicked.connect(self.runner.skip)
        self.buttons["cancel"].clicked.connect(self.runner.cancel)
        self.runner.changed.connect(self._show)
        self.runner.ended.connect(self._on_ended)
        controller.state_changed.connect(self._show_buttons)

        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        for button in self.buttons.values():
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("S&weep…"))
        self.action.setToolTip(self.tr("Train one run per combination of the values of one or two settings"))
        self.buttons["new"].setText(self.tr("New sweep…"))
        self.buttons["new"].setToolTip(self.action.toolTip())
        self.buttons["skip"].setText(self.tr("Skip run"))
        self.buttons["skip"].setToolTip(self.tr("Stop the run under way (it is recorded as stopped) and go on"))
        self.buttons["cancel"].setText(self.tr("Cancel sweep"))
        self.buttons["cancel"].setToolTip(self.tr("Stop the run under way and skip the runs still waiting"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Run"),
                self.tr("Settings"),
                self.tr("State"),
                self.tr("Perplexity"),
                self.tr("Best validation"),
                self.tr("Tokens/s"),
                self.tr("In run history"),
            ]
        )
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- starting -------------------------------------------------------------------------------

    @Slot()
    def open_dialog(self) -> None:
        if self.runner.active:
            self.said.emit(self.tr("A sweep is under way: cancel it first to start another."))
            return
        dialog = SweepDialog(lambda: self.setup.request().configs(), self.setup.request().corpus, self.window())
        if dialog.exec():
            self.start(dialog.runs)

    def start(self, runs: list[SweepRun]) -> None:
        self.runner.start(runs)
        self.started.emit()

    # -- showing ---------------------------------------------------------------------------------

    @Slot()
    def _show(self) -> None:
        entries = self.runner.entries
        if self.table.rowCount() != len(entries):
            self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            self._show_row(row, entry)
        self._show_summary()
        self._show_buttons()

    def _show_row(self, row: int, entry: SweepEntry) -> None:
        result = entry.result
        cells = {
            RUN: str(entry.run.index),
            SETTINGS: ", ".join(
                f"{setting_label(name)} {format_value(value)}" for name, value in entry.run.values.items()
            ),
            STATE: state_word(entry.state),
            PERPLEXITY: "" if result is None or result.perplexity is None else f"{result.perplexity:.3f}",
            BEST_VAL: ""
            if result is None or result.best_val_perplexity is None
            else f"{result.best_val_perplexity:.3f}",
            SPEED: "" if result is None else f"{result.tokens_per_s:,.0f}",
            RECORDED: "" if entry.run_id is None else f"#{entry.run_id}",
        }
        for column, text in cells.items():
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, column, item)
            item.setText(text)
        state = self.table.item(row, STATE)
        state.setForeground(theme.legible(STATE_COLOURS.get(entry.state, "#555555")))  # on either theme
        tip = render(entry.message) if entry.state == FAILED else ""
        if entry.state == FAILED and not tip:
            tip = self.tr("The run could not start.")
        state.setToolTip(tip)
        if result is not None and result.sample:
            self.table.item(row, SETTINGS).setToolTip(self.tr("Sample: {text}").format(text=result.sample))

    def _show_summary(self) -> None:
        runner = self.runner
        if not runner.entries:
            self.summary.setText(
                self.tr(
                    "No sweep yet. A sweep trains one run per combination of the values of one or two "
                    "settings, one after another (Run ▸ Sweep…)."
                )
            )
            return
        done, failed, skipped = runner.count(DONE), runner.count(FAILED), runner.count(SKIPPED)
        total = len(runner.entries)
        if runner.active:
            template = (
                self.tr("Sweep paused: {done} of {total} runs done, {failed} failed, {skipped} skipped")
                if runner.paused
                else self.tr("Sweep: {done} of {total} runs done, {failed} failed, {skipped} skipped")
            )
        else:
            template = self.tr("Sweep ended: {done} of {total} runs done, {failed} failed, {skipped} skipped")
        self.summary.setText(template.format(done=done, total=total, failed=failed, skipped=skipped))

    @Slot()
    def _show_buttons(self, *_: object) -> None:
        runner = self.runner
        self.buttons["new"].setEnabled(not runner.active)
        self.action.setEnabled(not runner.active)
        self.buttons["pause"].setEnabled(runner.active)
        self.buttons["pause"].setText(self.tr("Resume") if runner.paused else self.tr("Pause"))
        self.buttons["pause"].setToolTip(
            self.tr("Go on with the sweep")
            if runner.paused
            else self.tr("Pause the run under way and start no other until Resume")
        )
        self.buttons["skip"].setEnabled(runner.current is not None)
        self.buttons["cancel"].setEnabled(runner.active)

    @Slot()
    def _pause_or_resume(self) -> None:
        if self.runner.paused:
            self.runner.resume()
        else:
            self.runner.pause()

    @Slot()
    def _on_ended(self) -> None:
        runner = self.runner
        self.said.emit(
            self.tr("Sweep ended: {done} of {total} runs done; each is in the run history.").format(
                done=runner.count(DONE), total=len(runner.entries)
            )
        )
