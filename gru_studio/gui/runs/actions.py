"""What the Runs tab does to runs: open a run's model, rename, pin, delete, export; its context menu.

Every one of them reads or writes the store on a job thread (store_calls.py), and
a write that finds the store locked by another process says so in the view's
message line instead of waiting (issue 28, cause 4). A pinned run's kept model is
never pruned by the models folder's budget (issue 30).
"""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from gru_studio.engine.errors import TargetError
from gru_studio.engine.history import kept_models
from gru_studio.engine.history.store import RunStore
from gru_studio.engine.history.summary import RunSummary
from gru_studio.engine.training.events import EpochRecord
from gru_studio.gui.common import file_dialogs
from gru_studio.gui.common.i18n import engine_text
from gru_studio.gui.runs import delete_dialog
from gru_studio.gui.runs.delete_dialog import Choice, KeptModel, size_text

if TYPE_CHECKING:
    from gru_studio.gui.runs.view import RunsView


def kept_model(run: RunSummary, folder: Path) -> KeptModel | None:
    """The model the window kept for this run (its own file under the models folder), if it is there.

    On a job thread: even looking at a file can keep a window waiting on a network drive.
    A model saved anywhere else is the user's own file, never one this tab deletes.
    """
    if not run.checkpoint:
        return None
    path = Path(run.checkpoint)
    if path != kept_models.kept_model_path(run.id, folder):
        return None
    try:
        return KeptModel(run.id, str(path), path.stat().st_size) if path.is_file() else None
    except OSError:
        return None


class RunActions(QObject):
    """The actions on the selected (or ticked) runs of a RunsView."""

    def __init__(self, view: RunsView) -> None:
        super().__init__(view)
        self.view = view
        self.calls = view.calls

    def models_folder(self) -> Path:
        return self.view.controller.models_folder or kept_models.models_folder()

    # -- open --------------------------------------------------------------------------

    def open_model(self) -> None:
        run = self.view.current_run()
        if run is None:
            return

        def look(store: RunStore) -> tuple[RunSummary | None, bool]:
            # Its saved model as the store has it now (a later run may have saved over it), and
            # whether the file is there: on a network drive even that can keep a window waiting.
            fresh = store.get(run.id)
            return fresh, bool(fresh and fresh.checkpoint and Path(fresh.checkpoint).is_file())

        self.calls.use("", look, self._on_looked_at)

    def _on_looked_at(self, result: tuple[RunSummary | None, bool]) -> None:
        run, there = result
        if run is None:
            return  # deleted meanwhile
        if not run.checkpoint:
            self.view.warn(
                self.tr("No saved model"),
                self.tr(
                    "Run #{0} has no saved model: it was not saved, its kept model was deleted or pruned, "
                    "or a later run saved over its file."
                ).format(run.id),
            )
            return
        if not there:
            self.view.warn(
                self.tr("The model file is gone"),
                self.tr("Run #{0} saved its model to {1}, which is no longer there (moved or deleted).").format(
                    run.id, run.checkpoint
                ),
            )
            return
        self.view.open_requested.emit(run.checkpoint)

    # -- rename ------------------------------------------------------------------------

    def rename(self, name: str | None = None) -> None:
        run = self.view.current_run()
        if run is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(
                self.view, self.tr("Rename run"), self.tr("Name of run #{0}:").format(run.id), text=run.name
            )
            if not ok:
                return
        new, ticked = name.strip(), self.view.is_drawn(run.id)

        def rename(store: RunStore) -> tuple[RunSummary | None, list[EpochRecord] | None]:
            store.rename(run.id, new)
            return store.get(run.id), store.history(run.id) if ticked else None

        self.calls.write(rename, self._on_renamed)

    def _on_renamed(self, result: tuple[RunSummary | None, list[EpochRecord] | None]) -> None:
        renamed, history = result
        if renamed is not None:
            self.view.run_changed(renamed, history)
        self.view.refresh()

    # -- pin ---------------------------------------------------------------------------

    def pin(self, pin: bool | None = None) -> None:
        """Pin the selected runs (their kept models are never pruned), or unpin them when all are pinned."""
        runs = self.view.selected_runs()
        if not runs:
            return
        if pin is None:
            pin = not all(run.pinned for run in runs)
        ids = [run.id for run in runs]

        def set_pins(store: RunStore) -> list[RunSummary]:
            for run_id in ids:
                store.set_pinned(run_id, pin)
            return [run for run in (store.get(run_id) for run_id in ids) if run is not None]

        self.calls.write(set_pins, partial(self._on_pinned, pin))

    def _on_pinned(self, pin: bool, runs: list[RunSummary]) -> None:
        for run in runs:
            self.view.run_changed(run, None)
        self.view.table.size_columns()  # room for the pin
        count = len(runs)
        if pin:
            self.view.said.emit(
                lambda: (
                    self.tr("Pinned 1 run: its kept model is never pruned.")
                    if count == 1
                    else self.tr("Pinned {0} runs: their kept models are never pruned.").format(count)
                )
            )
        else:
            self.view.said.emit(
                lambda: self.tr("Unpinned 1 run.") if count == 1 else self.tr("Unpinned {0} runs.").format(count)
            )

    # -- delete ------------------------------------------------------------------------

    def delete(self) -> None:
        runs = self.view.selected_runs()
        if not runs:
            return
        if self._refuse_running(runs):
            return
        ids, folder = [run.id for run in runs], self.models_folder()

        def look(store: RunStore) -> tuple[list[RunSummary], list[KeptModel]]:
            fresh = [run for run in (store.get(run_id) for run_id in ids) if run is not None]
            return fresh, [model for model in (kept_model(run, folder) for run in fresh) if model is not None]

        self.calls.use("", look, self._ask_delete)

    def _refuse_running(self, runs: list[RunSummary]) -> bool:
        controller = self.view.controller
        running = [
            run
            for run in runs
            if run.status == "running" or (run.id == controller.run_id and controller.state.is_running)
        ]
        if running:
            self.view.warn(
                self.tr("Runs not deleted"),
                self.tr("Run #{0} is still training. Stop it first, then delete it.").format(running[0].id),
            )
        return bool(running)

    def _ask_delete(self, result: tuple[list[RunSummary], list[KeptModel]]) -> None:
        runs, models = result
        if not runs or self._refuse_running(runs):  # gone meanwhile, or started again from a terminal
            return
        names = ", ".join(f"#{run.id}" for run in runs[:8]) + ("…" if len(runs) > 8 else "")
        what = (
            self.tr("run {0}").format(names) if len(runs) == 1 else self.tr("{0} runs ({1})").format(len(runs), names)
        )
        choice = delete_dialog.ask(self.view, what, models, len(runs))
        if choice is Choice.CANCEL:
            return
        ids, folder = [run.id for run in runs], self.models_folder()
        doomed = models if choice is Choice.RUNS_AND_MODELS else []

        def delete(store: RunStore) -> tuple[int, list[KeptModel]]:
            deleted = store.delete(ids)  # a run training again meanwhile: RunStillTrainingError, nothing deleted
            # None: pruned meanwhile. The store deletes only run-<id>.pt in the folder, never a --save file.
            return deleted, [model for model in doomed if store.delete_kept_model(model.run_id, folder) is not None]

        self.calls.write(delete, partial(self._on_deleted, ids))

    def _on_deleted(self, ids: list[int], result: tuple[int, list[KeptModel]]) -> None:
        deleted, models = result
        for run_id in ids:
            self.view.drop_overlay(run_id)
        freed = size_text(sum(model.size for model in models))
        count = len(models)

        def said() -> str:
            runs = self.tr("Deleted 1 run.") if deleted == 1 else self.tr("Deleted {0} runs.").format(deleted)
            if not count:
                return runs
            return runs + " " + self.tr("Deleted {0} kept models ({1}).").format(count, freed)

        self.view.said.emit(said)
        self.view.refresh()

    # -- export ------------------------------------------------------------------------

    def export_csv(self, path: str | None = None) -> None:
        runs = self.view.model.ticked() or self.view.selected_runs()
        if not runs:
            self.view.said.emit(lambda: self.tr("Tick (or select) the runs to export first."))
            return
        if path is None:
            path = file_dialogs.save_file_name(self.view, self.tr("Export runs"), "runs.csv", self.tr("CSV (*.csv)"))
            if not path:
                return
        self._export([run.id for run in runs], path)

    def _export(self, ids: list[int], path: str, force: bool = False) -> None:
        """The store checks the file first (never itself nor a run's text; a model file only when forced)."""
        target = Path(path)
        self.calls.use(
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

        self.view.said.emit(wrote)

    def _on_export_failed(self, path: str, ids: list[int], error: object) -> None:
        if isinstance(error, TargetError) and error.ask:
            answer = QMessageBox.question(
                self.view,
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
            self.view.warn(self.tr("Nothing was written"), engine_text(error))
        elif isinstance(error, OSError):
            self.view.warn(self.tr("Nothing was written"), f"{path}: {error.strerror or error}")
        elif isinstance(error, KeyError):  # deleted meanwhile, by `gru-studio runs delete` say
            self.view.warn(
                self.tr("Nothing was written"), self.tr("Run #{0} is no longer recorded.").format(error.args[0])
            )
            self.view.refresh()
        else:
            self.view.on_store_failed(error)

    # -- the context menu --------------------------------------------------------------

    def context_menu(self, position: QPoint) -> None:
        self.menu(position).exec(self.view.table.viewport().mapToGlobal(position))

    def menu(self, position: QPoint) -> QMenu:
        """The menu for the row at `position` (selected first, unless it is already)."""
        table = self.view.table
        index = table.indexAt(position)
        if index.isValid() and not table.selectionModel().isRowSelected(index.row(), table.rootIndex()):
            table.selectRow(index.row())
        menu = QMenu(self.view)
        buttons = self.view.buttons
        for name, act in (
            ("open", self.open_model),
            ("again", self.view.train_again),
            ("rename", lambda: self.rename()),
            ("pin", lambda: self.pin()),
            ("delete", self.delete),
            ("export", lambda: self.export_csv()),
        ):
            if name == "pin":
                runs = self.view.selected_runs()
                text = self.tr("Unpin") if runs and all(run.pinned for run in runs) else self.tr("Pin")
                action = menu.addAction(text)
                action.setToolTip(self.tr("A pinned run's kept model is never pruned"))
                action.setEnabled(bool(runs))
            else:
                action = menu.addAction(buttons[name].text())
                action.setEnabled(buttons[name].isEnabled())
            action.triggered.connect(act)
        return menu
