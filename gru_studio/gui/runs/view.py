"""The Runs tab: every recorded run in a sortable table; tick runs to overlay their curves.

Nothing here touches SQLite on the GUI thread: the rows are read on a job
thread (Controller.list_runs; 1,000 runs of 500 epochs take about 0.2 s), and
so is everything else (one run's history when it is ticked, a rename, a
delete, an export, the figures of the run training now, a run's model file
before it is opened), each through a connection of its own
(Controller.with_store): a writer in another process can hold the file for
seconds, and the window must not wait for it. The calls go one at a time, in
the order asked, so an answer never overtakes an earlier one; a listing asked
for while one is waiting is the same listing. Nothing is read until the tab is
first shown. The tests make any store opened on the GUI thread fail
(RunStore's `forbidden_thread`).
"""

from __future__ import annotations

import sqlite3
import time
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.errors import GruStudioError, TargetError
from gru_studio.engine.history.columns import shown
from gru_studio.engine.history.store import RunStore
from gru_studio.engine.history.summary import RunSummary
from gru_studio.engine.messages import Phrase
from gru_studio.engine.training.events import EpochRecord
from gru_studio.gui.common.i18n import engine_text
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.runs.model import TICK, RunsTableModel
from gru_studio.gui.runs.table import RunsTable
from gru_studio.gui.setup.settings_panel import short_label
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.plot_panel import OVERLAY_COLOURS

ROW_UPDATE_S = 1.0  # a running run's row is read again at most this often


class RunsView(QWidget):
    """The table and its actions; the window connects the signals to the plot and the panels."""

    overlay_wanted = Signal(int, str, str, object)  # run id, legend label, colour, history (list[EpochRecord])
    overlay_dropped = Signal(int)  # run id
    open_requested = Signal(str)  # a run's saved model
    train_again_requested = Signal(object)  # RunSummary
    # A short note for the status bar: a callable that calls tr(), said again after a change of language.
    said = Signal(object)
    listed = Signal(int)  # the table was filled: how many runs

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.message.setStyleSheet("color: #c0392b;")
        self.message.hide()
        # What the count and the message were made from, to say again in a new language.
        self._listed: int | None = None
        self._message: LiveText = ""
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

        # The store calls asked for, one at a time: (kind, how to start it, its two answers); the first
        # is under way while _busy. kind "list" (all the rows) and "row" (the training run's) are
        # asked for again and again, and are not queued twice; "" is any other call.
        self._calls: deque[tuple[str, Callable[[Callable, Callable], bool], Callable, Callable]] = deque()
        self._busy = False
        self._wanted = False  # the tab was shown once: from then on the table follows the store
        self._sized = False  # the columns were fitted to their contents
        self._row_read_at = 0.0
        self._colours: dict[int, str] = {}  # ticked run id -> its curve's colour

        self.only_differing.toggled.connect(self._apply_columns)
        self.model.tick_changed.connect(self._on_tick)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.doubleClicked.connect(self._on_double_click)
        forget = QAction(self.table, shortcut=QKeySequence(QKeySequence.StandardKey.Delete))
        forget.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        forget.triggered.connect(self.delete)
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
        self.buttons["open"].setToolTip(self.tr("Open the model this run saved, to generate or train on"))
        self.buttons["again"].setToolTip(self.tr("Fill in this run's settings and text, and train a new model"))
        self.buttons["delete"].setToolTip(self.tr("Forget the selected runs (their saved models stay)"))
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
        self._call("list", self.controller.list_runs, self._on_listed, self._on_list_failed)

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
        elif not self._waiting("list"):  # a listing waiting reads the row too
            self._use_store("row", lambda store: store.get(run_id), self._on_row_read)

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
            self._drop_overlay(run_id)
        for run_id, colour in self._colours.items():
            self.model.set_ticked(run_id, True, QColor(colour))
        self.table.select_runs(selected)
        self.table.verticalScrollBar().setValue(scroll)
        if runs and not self._sized:
            self._sized = True
            self.table.size_columns()
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

    # -- ticking -------------------------------------------------------------------------

    def tick(self, run_id: int, ticked: bool = True) -> None:
        """Tick a run's row as a click on its box would."""
        row = self.model.row_of(run_id)
        if row is not None:
            state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
            self.model.setData(self.model.index(row, TICK), state.value, Qt.ItemDataRole.CheckStateRole)

    @Slot(int, bool)
    def _on_tick(self, run_id: int, ticked: bool) -> None:
        if not ticked:
            self._drop_overlay(run_id)
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
        used = set(self._colours.values())
        colour = next((c for c in OVERLAY_COLOURS if c not in used), OVERLAY_COLOURS[len(used) % len(OVERLAY_COLOURS)])
        self._colours[run_id] = colour
        self.model.set_ticked(run_id, True, QColor(colour))
        self._use_store(
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
        self._on_store_failed(error)
        if self._colours.get(run_id) == colour:
            self._untick(run_id)

    def _untick(self, run_id: int) -> None:
        """A tick whose curve was never drawn: no overlay to drop."""
        self._colours.pop(run_id, None)
        self.model.set_ticked(run_id, False)

    def overlay_label(self, run: RunSummary) -> str:
        """How the legend names a stored run: its name, or what sets it apart at a glance."""
        if run.name:
            return run.name
        kind = short_label(run.model)
        lr = run.settings.get("train", {}).get("lr")
        if run.hidden is None or not isinstance(lr, (int, float)):
            return kind
        return self.tr("{0}, {1} units, lr {2}").format(kind, run.hidden, f"{lr:g}")

    def _drop_overlay(self, run_id: int) -> None:
        if self._colours.pop(run_id, None) is not None:
            self.model.set_ticked(run_id, False)
            self.overlay_dropped.emit(run_id)

    # -- actions on runs -------------------------------------------------------------------

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
        run = self.current_run()
        if run is None:
            return

        def look(store: RunStore) -> tuple[RunSummary | None, bool]:
            # Its saved model as the store has it now (a later run may have saved over it), and
            # whether the file is there: on a network drive even that can keep a window waiting.
            fresh = store.get(run.id)
            return fresh, bool(fresh and fresh.checkpoint and Path(fresh.checkpoint).is_file())

        self._use_store("", look, self._on_looked_at)

    def _on_looked_at(self, result: tuple[RunSummary | None, bool]) -> None:
        run, there = result
        if run is None:
            return  # deleted meanwhile
        if not run.checkpoint:
            self._warn(
                self.tr("No saved model"),
                self.tr(
                    "Run #{0} has no saved model: it was not saved, or a later run saved over its file "
                    "(the autosave is replaced by each run)."
                ).format(run.id),
            )
            return
        if not there:
            self._warn(
                self.tr("The model file is gone"),
                self.tr("Run #{0} saved its model to {1}, which is no longer there (moved or deleted).").format(
                    run.id, run.checkpoint
                ),
            )
            return
        self.open_requested.emit(run.checkpoint)

    def train_again(self) -> None:
        run = self.current_run()
        if run is not None:
            if not run.settings.get("model") or not run.settings.get("train"):
                self._warn(self.tr("Cannot train again"), self.tr("Run #{0} has no settings recorded.").format(run.id))
                return
            self.train_again_requested.emit(run)

    def rename(self, name: str | None = None) -> None:
        run = self.current_run()
        if run is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(
                self, self.tr("Rename run"), self.tr("Name of run #{0}:").format(run.id), text=run.name
            )
            if not ok:
                return
        new, ticked = name.strip(), run.id in self._colours

        def rename(store: RunStore) -> tuple[RunSummary | None, list[EpochRecord] | None]:
            store.rename(run.id, new)
            return store.get(run.id), store.history(run.id) if ticked else None

        self._use_store("", rename, self._on_renamed)

    def _on_renamed(self, result: tuple[RunSummary | None, list[EpochRecord] | None]) -> None:
        renamed, history = result
        if renamed is not None:
            # Its row at once, so that a curve drawn before the list comes back is named anew too.
            self.model.update_run(renamed)
            colour = self._colours.get(renamed.id)
            if colour is not None and history is not None:  # its curve's legend name follows
                self.overlay_wanted.emit(renamed.id, self.overlay_label(renamed), colour, history)
        self.refresh()

    def delete(self) -> None:
        runs = self.selected_runs()
        if not runs:
            return
        running = [run for run in runs if run.status == "running"]
        if running:
            self._warn(
                self.tr("Runs not deleted"),
                self.tr("Run #{0} is still training. Stop it first, then delete it.").format(running[0].id),
            )
            return
        names = ", ".join(f"#{run.id}" for run in runs[:8]) + ("…" if len(runs) > 8 else "")
        answer = QMessageBox.question(
            self,
            self.tr("Delete runs?"),
            self.tr("Forget {0} and every epoch recorded? Their saved model files stay.").format(
                self.tr("run {0}").format(names)
                if len(runs) == 1
                else self.tr("{0} runs ({1})").format(len(runs), names)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ids = [run.id for run in runs]
        self._use_store("", lambda store: store.delete(ids), partial(self._on_deleted, ids))

    def _on_deleted(self, ids: list[int], deleted: int) -> None:
        for run_id in ids:
            self._drop_overlay(run_id)
        self.said.emit(
            lambda: self.tr("Deleted 1 run.") if deleted == 1 else self.tr("Deleted {0} runs.").format(deleted)
        )
        self.refresh()

    def export_csv(self, path: str | None = None) -> None:
        runs = self.model.ticked() or self.selected_runs()
        if not runs:
            self.said.emit(lambda: self.tr("Tick (or select) the runs to export first."))
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export runs"), "runs.csv", self.tr("CSV (*.csv)"))
            if not path:
                return
        self._export([run.id for run in runs], path)

    def _export(self, ids: list[int], path: str, force: bool = False) -> None:
        """The store checks the file first (never itself nor a run's text; a model file only when forced)."""
        target = Path(path)
        self._use_store(
            "",
            lambda store: store.export_csv(ids, target, force=force),
            partial(self._on_exported, path, ids),
            partial(self._on_export_failed, path, ids),
            expected=(sqlite3.Error, OSError, KeyError, TargetError),
        )

    def _on_exported(self, path: str, ids: list[int], rows: int) -> None:
        def wrote() -> str:
            what = self.tr("1 run") if len(ids) == 1 else self.tr("{0} runs").format(len(ids))
            return self.tr("Wrote {0}: {1}, {2} epochs").format(path, what, f"{rows:,}")

        self.said.emit(wrote)

    def _on_export_failed(self, path: str, ids: list[int], error: object) -> None:
        if isinstance(error, TargetError) and error.ask:
            answer = QMessageBox.question(
                self,
                self.tr("Replace the file?"),
                self.tr("{0} holds a GRU Studio model, which would be lost. Replace it anyway?").format(
                    Path(path).name
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._export(ids, path, force=True)
        elif isinstance(error, TargetError):
            self._warn(self.tr("Nothing was written"), engine_text(error))
        elif isinstance(error, OSError):
            self._warn(self.tr("Nothing was written"), f"{path}: {error.strerror or error}")
        elif isinstance(error, KeyError):  # deleted meanwhile, by `gru-studio runs delete` say
            self._warn(self.tr("Nothing was written"), self.tr("Run #{0} is no longer recorded.").format(error.args[0]))
            self.refresh()
        else:
            self._on_store_failed(error)

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        if index.column() != TICK:
            self.rename()

    @Slot(QPoint)
    def _context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.table.selectRow(index.row())
        menu = QMenu(self)
        for name in ("open", "again", "rename", "delete", "export"):
            button = self.buttons[name]
            action = QAction(button.text(), menu)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
            menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    # -- the store, on job threads, one call at a time ---------------------------------------

    def _use_store(
        self,
        kind: str,
        action: Callable[[RunStore], object],
        on_result: Callable,
        on_error: Callable | None = None,
        *,
        expected: tuple[type[Exception], ...] = (sqlite3.Error,),
    ) -> None:
        """`action(store)` on a job thread, after the calls asked for before; `on_result` gets its
        answer on the GUI thread. A failure is said in the message line, unless `on_error` takes it."""
        start = partial(self.controller.with_store, action, expected=expected)
        self._call(kind, start, on_result, on_error or self._on_store_failed)

    def _call(
        self, kind: str, start: Callable[[Callable, Callable], bool], on_result: Callable, on_error: Callable
    ) -> None:
        if kind and self._waiting(kind):
            return  # the one waiting will read the same, or newer
        self._calls.append((kind, start, on_result, on_error))
        self._next()

    def _waiting(self, kind: str) -> bool:
        """A call of this kind waits for its turn (the one under way, first in line, does not count)."""
        return any(call[0] == kind for call in list(self._calls)[1 if self._busy else 0 :])

    def _next(self) -> None:
        while self._calls and not self._busy:
            _, start, on_result, on_error = self._calls[0]
            # The answers come through the Job's slots, on the GUI thread (Controller._job).
            self._busy = start(partial(self._answered, on_result), partial(self._answered, on_error))
            if not self._busy:  # after shutdown: nothing more is read
                self._calls.popleft()

    def _answered(self, handler: Callable[[object], None], answer: object) -> None:
        self._calls.popleft()
        self._busy = False  # the next call may go while this answer shows a dialog
        try:
            handler(answer)
        finally:
            self._next()

    @property
    def _loading(self) -> bool:
        """Store calls are under way or waiting (the scripts wait for the list with it)."""
        return bool(self._calls)

    def _on_store_failed(self, error: object) -> None:
        """`error`: sqlite's, or why the store cannot be opened (an engine error, or a Phrase)."""
        if isinstance(error, sqlite3.Error):
            reason = str(error)  # sqlite's own words
            self._show_message(lambda: self.tr("The run store could not be read or written: {0}").format(reason))
        elif isinstance(error, (str, Phrase, GruStudioError)):
            self._show_message(error)
        else:
            self._show_message(str(error))

    def _show_message(self, text: LiveText) -> None:
        """`text`: a store's notice (a Phrase), or a callable that calls tr(); said again after a switch."""
        self._message = text
        self.message.setText(render(text))
        self.message.setVisible(bool(self.message.text()))

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
