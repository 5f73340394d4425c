"""The Runs tab: every recorded run in a sortable table; tick runs to overlay their curves.

The rows are read on a job thread (Controller.list_runs): 1,000 runs of 500
epochs take about 0.2 s to read, which the window should not stop for. The
small things (one run's history when it is ticked, a rename, a delete, one
running run's figures) are quick and happen here, each through a connection
opened for it: sqlite3 connections belong to their thread, and opening one
costs about a millisecond. Nothing is read until the tab is first shown.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

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

from gru_studio.engine.history.columns import shown
from gru_studio.engine.history.store import RunStore
from gru_studio.engine.history.summary import RunSummary
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.runs.model import TICK, RunsTableModel
from gru_studio.gui.runs.table import RunsTable
from gru_studio.gui.setup.settings_panel import short_label
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.plot_panel import OVERLAY_COLOURS

T = TypeVar("T")
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

        self._loading = False  # a list job is under way
        self._again = False  # and another was asked for meanwhile
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
        """Read every run again (on a job thread); the table is refilled when they arrive."""
        if not self._wanted:
            return  # read when the tab is first shown
        if self._loading:
            self._again = True
            return
        self._loading = self.controller.list_runs(self._on_listed, self._on_list_failed)

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
            return
        run = self._with_store(lambda store: store.get(run_id))
        if run is not None:
            self.model.update_run(run)

    def _on_listed(self, result: tuple[list[RunSummary], str | None]) -> None:
        runs, notice = result
        self._show_message(notice or "")
        self._fill(runs)
        self._loaded()

    def _on_list_failed(self, message: LiveText) -> None:
        # `message`: the store's error itself, rendered now and again after a change of language.
        self._show_message(lambda: self.tr("Runs cannot be listed: {0}").format(render(message)))
        self._loaded()

    def _loaded(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.refresh()

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
        row = self.model.row_of(run_id)
        history = self._with_store(lambda store: store.history(run_id))
        if row is None or history is None:
            self.model.set_ticked(run_id, False)
            return
        used = set(self._colours.values())
        colour = next((c for c in OVERLAY_COLOURS if c not in used), OVERLAY_COLOURS[len(used) % len(OVERLAY_COLOURS)])
        self._colours[run_id] = colour
        self.model.set_ticked(run_id, True, QColor(colour))
        run = self.model.run_at(row)
        if not history:
            self.said.emit(lambda: self.tr("Run #{0} has no epoch recorded yet: nothing to draw.").format(run_id))
        self.overlay_wanted.emit(run_id, self.overlay_label(run), colour, history)

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
        fresh = self._with_store(lambda store: store.get(run.id))
        if fresh is None:
            return
        if not fresh.checkpoint:
            self._warn(
                self.tr("No saved model"),
                self.tr(
                    "Run #{0} has no saved model: it was not saved, or a later run saved over its file "
                    "(the autosave is replaced by each run)."
                ).format(run.id),
            )
            return
        if not Path(fresh.checkpoint).is_file():
            self._warn(
                self.tr("The model file is gone"),
                self.tr("Run #{0} saved its model to {1}, which is no longer there (moved or deleted).").format(
                    run.id, fresh.checkpoint
                ),
            )
            return
        self.open_requested.emit(fresh.checkpoint)

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
        new = name.strip()
        if not self._with_store(lambda store: store.rename(run.id, new) or True):
            return
        if run.id in self._colours:  # its curve's legend name follows
            history = self._with_store(lambda store: store.history(run.id))
            if history is not None:
                renamed = replace(run, name=new)
                self.overlay_wanted.emit(run.id, self.overlay_label(renamed), self._colours[run.id], history)
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
        deleted = self._with_store(lambda store: store.delete(ids))
        if deleted is not None:
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
        ids = [run.id for run in runs]
        try:
            rows = self._with_store(lambda store: store.export_csv(ids, Path(path)))
        except OSError as exc:
            self._warn(self.tr("Nothing was written"), f"{path}: {exc.strerror or exc}")
            return
        except KeyError as gone:  # deleted meanwhile, by `gru-studio runs delete` say
            self._warn(self.tr("Nothing was written"), self.tr("Run #{0} is no longer recorded.").format(gone.args[0]))
            self.refresh()
            return
        if rows is not None:

            def wrote() -> str:
                what = self.tr("1 run") if len(ids) == 1 else self.tr("{0} runs").format(len(ids))
                return self.tr("Wrote {0}: {1}, {2} epochs").format(path, what, f"{rows:,}")

            self.said.emit(wrote)

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

    # -- the store, briefly ---------------------------------------------------------------

    def _with_store(self, action: Callable[[RunStore], T]) -> T | None:
        """Open the store, act, close it; a store that cannot be used is said here, and gives None."""
        store, notice = RunStore.open(self.controller.runs_path)
        if store is None:
            self._show_message(notice or (lambda: self.tr("The run store cannot be used.")))
            return None
        try:
            with store:
                return action(store)
        except sqlite3.Error as exc:
            reason = str(exc)  # sqlite's own words
            self._show_message(lambda: self.tr("The run store could not be read or written: {0}").format(reason))
            return None

    def _show_message(self, text: LiveText) -> None:
        """`text`: a store's notice (a Phrase), or a callable that calls tr(); said again after a switch."""
        self._message = text
        self.message.setText(render(text))
        self.message.setVisible(bool(self.message.text()))

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
