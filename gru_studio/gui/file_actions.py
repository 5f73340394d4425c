"""Saving and opening models, autosave, and exporting the perplexity history and plot."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QObject, QStandardPaths, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from gru_studio.engine.events import EpochRecord
from gru_studio.engine.files import write_atomic
from gru_studio.engine.trainer import Trainer
from gru_studio.wording import count

if TYPE_CHECKING:
    from gru_studio.gui.main_window import MainWindow

MODEL_FILTER = "GRU Studio models (*.pt);;All files (*)"


def autosave_file() -> Path:
    # The engine finds the user's folders, for the window and the command line alike.
    import shutil

    from gru_studio.engine.files import HOME_ENV, user_data_dir

    path = user_data_dir() / "autosave.pt"
    # The autosave used to live in Qt's AppDataLocation ("GRU Studio/GRU Studio"): move it
    # once, so that the first start after an update still offers the last session's model.
    # A $GRU_STUDIO_HOME is a separate profile and leaves the usual one alone.
    old = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)) / "autosave.pt"
    if old.is_file() and not path.exists() and not os.environ.get(HOME_ENV):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, path)
        except OSError:
            return old  # not movable: keep autosaving beside it rather than hide it
    return path


class FileActions(QObject):
    """The File menu's model and export entries, wired to the window's controller."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        c = window.controller
        c.autosave_path = autosave_file()
        c.model_saved.connect(self._on_saved)
        c.model_save_failed.connect(self._on_save_failed)
        c.model_opened.connect(self._on_opened)
        c.model_open_failed.connect(self._on_open_failed)
        autosave = window.settings_panel.autosave
        autosave.valueChanged.connect(lambda n: setattr(c, "autosave_every", n))
        c.autosave_every = autosave.value()

    def add_to(self, menu: QMenu) -> None:
        for text, shortcut, slot in (
            ("Open &model…", "Ctrl+Shift+O", self.open_model),
            ("&Save model…", QKeySequence.StandardKey.Save, self.save_model),
            ("Export perplexity as &CSV…", None, self.export_csv),
            ("Export plot as &PNG…", None, self.export_png),
        ):
            action = QAction(text, self.window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)

    # -- models -------------------------------------------------------------------

    @Slot()
    def save_model(self, path: str | None = None) -> None:
        if self.window.controller.checkpoint_source() is None:
            self.window.statusBar().showMessage("Nothing to save yet: train or open a model first.", 5000)
            return
        path = path or QFileDialog.getSaveFileName(self.window, "Save model", "model.pt", MODEL_FILTER)[0]
        if path:
            self.window.controller.save_model(path)

    def offer_autosave(self) -> None:
        """At start-up, offer the model the last session autosaved: it is overwritten by the next run."""
        path = autosave_file()
        if not path.is_file():
            return
        when = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime)).toString("d MMM yyyy, HH:mm")
        self.window.notice.offer(
            f"Your last session's model was autosaved on {when}. The next run's autosave replaces it.",
            "Open it",
            lambda: self.open_model(str(path)),
        )

    @Slot()
    def open_model(self, path: str | None = None) -> None:
        if not self.window.controller.state.can_open_model:
            self.window.statusBar().showMessage("Stop the training before opening a model.", 5000)
            return
        path = path or QFileDialog.getOpenFileName(self.window, "Open model", "", MODEL_FILTER)[0]
        if path:
            self.window.statusBar().showMessage(f"Opening {Path(path).name}…", 0)
            self.window.controller.open_model(path, str(self.window.settings_panel.device.currentData()))

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        if Path(path) != self.window.controller.autosave_path:  # autosaves are quiet unless they fail
            self.window.statusBar().showMessage(f"Saved the model to {path}", 5000)

    @Slot(str)
    def _on_save_failed(self, message: str) -> None:
        QMessageBox.warning(self.window, "The model was not saved", message)

    @Slot(str)
    def _on_open_failed(self, message: str) -> None:
        self.window.statusBar().clearMessage()
        QMessageBox.warning(self.window, "The model could not be opened", message)

    @Slot(object)
    def _on_opened(self, trainer: Trainer) -> None:
        w = self.window
        w.notice.hide()
        w.corpus_panel.adopt(trainer.corpus, trainer.corpus_config)
        values = {**vars(trainer.model_config), **vars(trainer.config)}
        values.pop("device", None)
        w.settings_panel.set_values(values)
        w.plot.begin_run(f"opened: {trainer.model_config.kind}, {trainer.corpus.name}")
        for point in trainer.history:
            w.plot.add_point(point.epoch, point.perplexity, point.val_perplexity)
        last = trainer.history[-1].perplexity if trainer.history else None
        w.statusBar().showMessage(
            f"Opened a model trained {count(trainer.epoch, 'epoch')}" + (f", perplexity {last:.3f}" if last else ""), 0
        )

    # -- exports ------------------------------------------------------------------

    def history(self) -> list[EpochRecord]:
        trainer = self.window.controller.trainer
        return trainer.history if trainer is not None else []

    @Slot()
    def export_csv(self, path: str | None = None) -> None:
        rows = self.history()
        if not rows:
            self.window.statusBar().showMessage("Nothing to export yet: train or open a model first.", 5000)
            return
        path = path or QFileDialog.getSaveFileName(self.window, "Export perplexity", "perplexity.csv", "CSV (*.csv)")[0]
        if not path:
            return
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=["epoch", "perplexity", "val_perplexity", "tokens_per_s"])
        writer.writeheader()
        writer.writerows({k: getattr(row, k) for k in writer.fieldnames} for row in rows)
        self._write(path, text.getvalue().encode())

    @Slot()
    def export_png(self, path: str | None = None) -> None:
        path = path or QFileDialog.getSaveFileName(self.window, "Export plot", "perplexity.png", "PNG (*.png)")[0]
        if not path:
            return
        image = self.window.plot.plot.grab()
        fd, tmp = tempfile.mkstemp(suffix=".png", dir=Path(path).parent if Path(path).parent.is_dir() else None)
        os.close(fd)
        try:
            if not image.save(tmp, "PNG"):
                raise OSError("the image could not be written")
            self._write(path, Path(tmp).read_bytes())
        except OSError as exc:
            QMessageBox.warning(self.window, "The plot was not exported", f"{path}: {exc.strerror or exc}")
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _write(self, path: str, data: bytes) -> None:
        try:
            write_atomic(Path(path), data)
        except OSError as exc:
            QMessageBox.warning(self.window, "Nothing was written", f"{path}: {exc.strerror or exc}")
            return
        self.window.statusBar().showMessage(f"Wrote {path}", 5000)
