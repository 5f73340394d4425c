"""The Runs tab: every recorded run in a sortable table; tick runs to overlay their curves.

Nothing here touches SQLite on the GUI thread: the rows are read on a job
thread (Controller.list_runs; 1,000 runs of 500 epochs take about 0.2 s), and
so is everything else (one run's history when it is ticked, the figures of the
run training now, and every action of actions.py: rename, pin, delete, export,
open), one call at a time (store_calls.py). Nothing is read until the tab is
first shown. The tests make any store opened on the GUI thread fail
(RunStore's `forbidden_thread`), and any write made there (tests/gui/runs/conftest.py).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.history.columns import shown
from gru_studio.engine.history.summary import RunSummary
from gru_studio.engine.messages import Phrase
from gru_studio.engine.training.events import EpochRecord
from gru_studio.gui.common import theme
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.common.run_colours import RunColours
from gru_studio.gui.runs.actions import RunActions
from gru_studio.gui.runs.model import TICK, RunsTableModel
from gru_studio.gui.runs.store_calls import StoreCalls, busy
from gru_studio.gui.runs.table import RunsTable
from gru_studio.gui.setup.settings_panel import short_label
from gru_studio.gui.training.controller import Controller

ROW_UPDATE_S = 1.0  # a running run's row is read again at most this often


class RunsView(QWidget):
    """The table and its actions; the window connects the signals to the plot and the panels."""

    # run id, legend name (a callable that says it in the language of the moment), colour, history (list[EpochRecord])
    overlay_wanted = Signal(int, object, str, object)
    overlay_dropped = Signal(int)  # run id
    open_requested = Signal(str)  # a run's saved model
    train_again_requested = Signal(object)  # RunSummary
    # A short note for the status bar: a callable that calls tr(), said again after a change of language.
    said = Signal(object)
    listed = Signal(int)  # the table was filled: how many runs

    def __init__(
        self, controller: Controller, parent: QWidget | None = None, colours: RunColours | None = None
    ) -> None:
        super().__init__(parent)
        # The window's one colour per drawn run, shared with the plot: a swatch is its curve's colour.
        self.run_colours = colours if colours is not None else RunColours()
        self.controller = controller
        self.model = RunsTableModel(self)
        self.table = RunsTable(self.model)

        self.count = QLabel(objectName="runsCount")
        self.only_differing = QCheckBox(objectName="onlyDifferingToggle")
        self.buttons = {
            name: QPushButton(objectName=f"runs{name.title()}Button")
            for name in ("open", "again", "rename", "delete", "export")
        }
        self.message = QLabel(objectName="runsMessage", wordWrap=True)
        theme.mark_error(self.message)
        self.message.hide()
        # What the count and the message were made from, to say again in a new language.
        self._listed: int | None = None
        self._message: LiveText = ""
        self.calls = StoreCalls(controller, self.on_store_failed)
        self.actions = RunActions(self)
        self.retranslate()

        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addWidget(self.only_differing)
        bar.addStretch(1)
        for button in self.buttons.values():
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self._wanted = False  # the tab was shown once: from then on the table follows the store
        self._row_read_at = 0.0
        self._colours: dict[int, str] = {}  # ticked run id -> its curve's colour

        self.only_differing.toggled.connect(self._apply_columns)
        self.model.tick_changed.connect(self._on_tick)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.table.customContextMenuRequested.connect(self.actions.context_menu)
        self.table.doubleClicked.connect(self._on_double_click)
        forget = QAction(self.table, shortcut=QKeySequence(QKeySequence.StandardKey.Delete))
        forget.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        forget.triggered.connect(self.delete)
        forget.setText(self.buttons["delete"].text())  # its name in Help ▸ Keyboard shortcuts
        self.table.addAction(forget)
        self.buttons["open"].clicked.connect(lambda: self.open_model())
        self.buttons["again"].clicked.connect(lambda: self.train_again())
        self.buttons["rename"].clicked.connect(lambda: self.rename())
        self.buttons["delete"].clicked.connect(lambda: self.delete())
        self.buttons["export"].clicked.connect(lambda: self.export_csv())
        self._enable()

    # -- its words -----------------------------------------------------------------------

    def view_state(self) -> dict[str, object]:
        """What the window remembers of this tab between sessions."""
        return {"only_differing": self.only_differing.isChecked()}

    def restore_view(self, state: object) -> None:
        if isinstance(state, dict):
            self.only_differing.setChecked(str(state.get("only_differing", "false")).lower() == "true")

    def retranslate(self) -> None:
        self.only_differing.setText(self.tr("Only differing columns"))
        self.only_differing.setToolTip(
            self.tr("Hide the settings that are the same in every listed run; the results always show")
        )
        for name, text in (
            ("open", self.tr("Open model")),
            ("again", self.tr("Train again")),
            ("rename", self.tr("Rename…")),
            ("delete", self.tr("Delete…")),
            ("export", self.tr("Export CSV…")),
        ):
            self.buttons[name].setText(text)
        for action in self.table.actions():  # the Delete key's, as its button says
            action.setText(self.buttons["delete"].text())
        self.buttons["open"].setToolTip(self.tr("Open the model this run saved, to generate or train on"))
        self.buttons["again"].setToolTip(self.tr("Fill in this run's settings and text, and train a new model"))
        self.buttons["delete"].setToolTip(
            self.tr("Forget the selected runs; you are asked whether their kept models go too")
        )
        self.buttons["export"].setToolTip(
            self.tr("Write the ticked runs' epochs (or the selected runs' when none is ticked) to one CSV file")
        )
        self._show_count()
        self.message.setText(render(self._message))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # The model is no widget and gets no LanguageChange: its headers and cells are said again here.
            self.model.retranslate()
            self.retranslate()
            if self.model.rowCount():
                self.table.size_columns()  # the same names are wider in Chinese
        super().changeEvent(event)

    def _show_count(self) -> None:
        runs = self._listed
        if runs is None:
            self.count.setText("")
        elif runs == 0:
            self.count.setText(self.tr("No runs yet: every run you train is recorded here."))
        else:
            self.count.setText(self.tr("1 run") if runs == 1 else self.tr("{0} runs").format(f"{runs:,}"))

    # -- reading the store ------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._wanted:
            self._wanted = True
            self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read every run again (on a job thread); the table is refilled when they arrive.

        While a listing is under way, one more waits for it (it reads what changed meanwhile);
        asked for again, that one waiting is enough.
        """
        if not self._wanted:
            return  # read when the tab is first shown
        self.calls.call("list", self.controller.list_runs, self._on_listed, self._on_list_failed)

    @Slot(int)
    def show_run(self, run_id: int) -> None:
        """A run started (or changed): list it."""
        self.refresh()

    def on_epoch(self) -> None:
        """The current run trained an epoch: its row is read again, at most once a second."""
        run_id = self.controller.run_id
        if not self._wanted or run_id is None or time.monotonic() - self._row_read_at < ROW_UPDATE_S:
            return
        self._row_read_at = time.monotonic()
        if self.model.row_of(run_id) is None:
            self.refresh()
        elif not self.calls.waiting("list"):  # a listing waiting reads the row too
            self.calls.use("row", lambda store: store.get(run_id), self._on_row_read)

    def _on_row_read(self, run: RunSummary | None) -> None:
        if run is not None:
            self.model.update_run(run)

    def _on_listed(self, result: tuple[list[RunSummary], str | None]) -> None:
        runs, notice = result
        self._show_message(notice or "")
        self._fill(runs)

    def _on_list_failed(self, message: LiveText) -> None:
        # `message`: the store's error itself, rendered now and again after a change of language.
        self._show_message(lambda: self.tr("Runs cannot be listed: {0}").format(render(message)))

    def _fill(self, runs: list[RunSummary]) -> None:
        selected = {run.id for run in self.selected_runs()}
        scroll = self.table.verticalScrollBar().value()
        self.model.set_runs(runs)
        present = {run.id for run in runs}
        for run_id in [run_id for run_id in self._colours if run_id not in present]:  # deleted elsewhere
            self.drop_overlay(run_id)
        for run_id, colour in self._colours.items():
            self.model.set_ticked(run_id, True, QColor(colour))
        self.table.select_runs(selected)
        self.table.verticalScrollBar().setValue(scroll)
        if runs:
            self.table.size_columns()  # new names, new models: a column resized by hand stays as it is
        self._apply_columns()
        self._listed = len(runs)
        self._show_count()
        self._enable()
        self.listed.emit(len(runs))

    @Slot()
    def _apply_columns(self) -> None:
        self.table.show_columns(set(shown(self.model.runs(), self.only_differing.isChecked())))

    def visible_columns(self) -> list[str]:
        """The keys of the columns shown now (the tick column aside)."""
        return self.table.visible_columns()

    def run_changed(self, run: RunSummary, history: list[EpochRecord] | None) -> None:
        """A run renamed or pinned: its row at once, and its curve's legend name when it is drawn."""
        self.model.update_run(run)
        colour = self._colours.get(run.id)
        if colour is not None and history is not None:
            self.overlay_wanted.emit(run.id, self.overlay_label(run), colour, history)

    # -- ticking -------------------------------------------------------------------------

    def tick(self, run_id: int, ticked: bool = True) -> None:
        """Tick a run's row as a click on its box would."""
        row = self.model.row_of(run_id)
        if row is not None:
            state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            self.model.setData(self.model.index(row, TICK), state.value, Qt.ItemDataRole.CheckStateRole)

    def is_drawn(self, run_id: int) -> bool:
        return run_id in self._colours

    @Slot(int, bool)
    def _on_tick(self, run_id: int, ticked: bool) -> None:
        if not ticked:
            self.drop_overlay(run_id)
            return
        if run_id == self.controller.run_id and self.controller.state.is_running:
            self.model.set_ticked(run_id, False)
            self.said.emit(
                lambda: self.tr("Run #{0} is the one training now: its curve is already drawn.").format(run_id)
            )
            return
        if self.model.row_of(run_id) is None:
            self.model.set_ticked(run_id, False)
            return
        # Its colour now, so that runs ticked one after the other get their own before their epochs arrive.
        if run_id not in self._colours:
            self._colours[run_id] = self.run_colours.take(run_id)
        colour = self._colours[run_id]
        self.model.set_ticked(run_id, True, QColor(colour))
        self.calls.use(
            "",
            lambda store: store.history(run_id),
            partial(self._on_history, run_id, colour),
            partial(self._on_history_failed, run_id, colour),
        )

    def _on_history(self, run_id: int, colour: str, history: list[EpochRecord]) -> None:
        if self._colours.get(run_id) != colour:
            return  # unticked meanwhile (or ticked again: that tick's own read draws it)
        row = self.model.row_of(run_id)
        if row is None:  # gone from the table meanwhile
            self._untick(run_id)
            return
        if not history:
            self.said.emit(lambda: self.tr("Run #{0} has no epoch recorded yet: nothing to draw.").format(run_id))
        self.overlay_wanted.emit(run_id, self.overlay_label(self.model.run_at(row)), colour, history)

    def _on_history_failed(self, run_id: int, colour: str, error: object) -> None:
        self.on_store_failed(error)
        if self._colours.get(run_id) == colour:
            self._untick(run_id)

    def _untick(self, run_id: int) -> None:
        """A tick whose curve was never drawn: no overlay to drop."""
        if self._colours.pop(run_id, None) is not None:
            self.run_colours.release(run_id)
        self.model.set_ticked(run_id, False)

    def overlay_label(self, run: RunSummary) -> Callable[[], str]:
        """How the legend names a stored run after its "#id": the name it was given, or its model's short
        name, in the language of the moment (the plot's tooltip says more)."""
        name, kind = run.name, run.model
        return lambda: name or short_label(kind)

    def drop_overlay(self, run_id: int) -> None:
        if self._colours.pop(run_id, None) is not None:
            self.model.set_ticked(run_id, False)
            self.overlay_dropped.emit(run_id)
            self.run_colours.release(run_id)

    # -- actions on runs (actions.py) ------------------------------------------------------

    def selected_runs(self) -> list[RunSummary]:
        return self.table.selected_runs()

    def select(self, run_id: int) -> None:
        self.table.select_runs({run_id}, only=True)

    def current_run(self) -> RunSummary | None:
        runs = self.selected_runs()
        return runs[0] if len(runs) == 1 else None

    @Slot()
    def _enable(self) -> None:
        one = self.current_run() is not None
        for name in ("open", "again", "rename"):
            self.buttons[name].setEnabled(one)
        self.buttons["delete"].setEnabled(bool(self.selected_runs()))
        self.buttons["export"].setEnabled(bool(self.model.ticked() or self.selected_runs()))

    def open_model(self) -> None:
        self.actions.open_model()

    def rename(self, name: str | None = None) -> None:
        self.actions.rename(name)

    def pin(self, pin: bool | None = None) -> None:
        self.actions.pin(pin)

    def delete(self) -> None:
        self.actions.delete()

    def export_csv(self, path: str | None = None) -> None:
        self.actions.export_csv(path)

    def train_again(self) -> None:
        run = self.current_run()
        if run is not None:
            if not run.settings.get("model") or not run.settings.get("train"):
                self.warn(self.tr("Cannot train again"), self.tr("Run #{0} has no settings recorded.").format(run.id))
                return
            self.train_again_requested.emit(run)

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        if index.column() != TICK:
            self.rename()

    # -- what went wrong ---------------------------------------------------------------------

    @property
    def _loading(self) -> bool:
        """Store calls are under way or waiting (the scripts wait for the list with it)."""
        return self.calls.loading

    def on_store_failed(self, error: object) -> None:
        """`error`: sqlite's, or why the store cannot be opened (an engine error, or a Phrase)."""
        if busy(error):
            # Another process writes the store now (a run training, `gru-studio runs` in a terminal):
            # nothing was changed, and the window did not wait for it.
            self._show_message(
                lambda: self.tr(
                    "The run store is busy: another GRU Studio process is writing it. Nothing was changed; "
                    "try again in a moment."
                )
            )
        elif isinstance(error, (str, Phrase, GruStudioError)):  # the store's own errors are GruStudioErrors
            self._show_message(error)
        elif isinstance(error, sqlite3.Error):
            reason = str(error)  # sqlite's own words
            self._show_message(lambda: self.tr("The run store could not be read or written: {0}").format(reason))
        else:
            self._show_message(str(error))

    def _show_message(self, text: LiveText) -> None:
        """`text`: a store's notice (a Phrase), or a callable that calls tr(); said again after a switch."""
        self._message = text
        self.message.setText(render(text))
        self.message.setVisible(bool(self.message.text()))

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
