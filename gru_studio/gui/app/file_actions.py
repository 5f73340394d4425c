"""Saving and opening models, autosave, and exporting the perplexity history and plot."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, QObject, QSettings, QStandardPaths, Slot
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from gru_studio.engine.config import SAMPLE, TIME_MACHINE
from gru_studio.engine.errors import TargetError
from gru_studio.engine.files import check_target, is_checkpoint, training_text, write_atomic
from gru_studio.engine.messages import Phrase
from gru_studio.engine.training.events import EpochRecord
from gru_studio.engine.training.session import Session
from gru_studio.gui.app.recent_menu import MODEL, TEXT, RecentFile, RecentFiles, RecentMenu
from gru_studio.gui.common import file_dialogs
from gru_studio.gui.common.i18n import date_time_text, engine_text
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.training.controller import Controller

# The File menu's entries, marked here and translated by FileActions.retranslate().
MENU_TEXTS = (
    QT_TRANSLATE_NOOP("FileActions", "Open &model…"),
    QT_TRANSLATE_NOOP("FileActions", "&Save model…"),
    QT_TRANSLATE_NOOP("FileActions", "Export perplexity as &CSV…"),
    QT_TRANSLATE_NOOP("FileActions", "Export plot as &PNG…"),
)
# Every field of the typed history, in its order: the gradient norm and the
# training time are what the chapter's exercises compare besides perplexity.
CSV_COLUMNS = [f.name for f in dataclasses.fields(EpochRecord)]


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


class Window(Protocol):
    """What FileActions asks of the window: intents, never its panels' widgets."""

    controller: Controller
    settings: QSettings  # the window's: where Open Recent and the dialogs' last folder are kept

    def open_file(self, path: str) -> None:
        """Open a file as File ▸ Open does: a model (*.pt) or a text to train on."""

    def tell(self, message: LiveText, timeout_ms: int = 0) -> None:
        """Show a one-line message in the status bar (0: until the next one); a callable that
        calls tr() (or an engine error) is shown again when the language changes."""

    def device_name(self) -> str:
        """The device picked for training, as the engine names it."""

    def show_opened_model(self, session: Session) -> None:
        """Show a model read from a file: its text, its settings and its curve."""

    def plot_image(self) -> QImage:
        """The perplexity plot as it is drawn now."""

    def offer(self, text: LiveText, action: LiveText, on_action: Callable[[], None]) -> None:
        """A notice the user may act on or ignore."""


class FileActions(QObject):
    """The File menu's model and export entries, on top of the window's controller."""

    def __init__(self, window: Window, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = window
        self.dialog_parent = parent
        self.controller = window.controller
        self.controller.autosave_path = autosave_file()
        self.controller.model_saved.connect(self._on_saved)
        self.controller.model_save_failed.connect(self._on_save_failed)
        self.controller.model_opened.connect(self._on_opened)
        self.controller.model_open_failed.connect(self._on_open_failed)
        file_dialogs.use_settings(window.settings)
        self.recent = RecentFiles(window.settings)
        self._opening = ""  # the model being opened, for Open Recent once it has opened

    def add_to(self, menu: QMenu) -> None:
        self.actions: list[QAction] = []
        for shortcut, slot in (
            ("Ctrl+Shift+O", self.open_model),
            (QKeySequence.StandardKey.Save, self.save_model),
            (None, self.export_csv),
            (None, self.export_png),
        ):
            action = QAction(self.dialog_parent)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions.append(action)
            if slot == self.open_model:
                self.recent_menu = RecentMenu(self.recent, self.open_recent, self.dialog_parent)
                menu.addMenu(self.recent_menu)
        self.retranslate()

    def retranslate(self) -> None:
        """The menu entries in the present language; the window calls it on LanguageChange
        (this object is no widget, so Qt does not send it the event)."""
        for action, text in zip(getattr(self, "actions", []), MENU_TEXTS, strict=True):
            action.setText(self.tr(text))

    def open_recent(self, entry: RecentFile) -> None:
        """File ▸ Open Recent: a model opens as Open model does, a text as Open text file does."""
        if entry.kind == MODEL:
            self.open_model(entry.path)
        elif not self.controller.state.can_change_settings:
            self.window.tell(lambda: self.tr("Stop the training before opening a text."), 5000)
        else:
            file_dialogs.remember(entry.path)
            self.window.open_file(entry.path)

    def text_opened(self, corpus: object, source: str) -> None:
        """A text has loaded (corpus None: a load began); the built-in ones are in the Text list, not here."""
        if corpus is not None and source not in (SAMPLE, TIME_MACHINE):
            self.recent.add(source, TEXT)

    def model_filter(self) -> str:
        return self.tr("GRU Studio models (*.pt);;All files (*)")

    # -- models -------------------------------------------------------------------

    @Slot()
    def save_model(self, path: str | None = None) -> None:
        if self.controller.checkpoint_source() is None:
            self.window.tell(lambda: self.tr("Nothing to save yet: train or open a model first."), 5000)
            return
        # The question about replacing a file is ours, not the dialog's: a model file
        # may be replaced after a plain yes, anything else only after a warning.
        path = path or file_dialogs.save_file_name(
            self.dialog_parent,
            self.tr("Save model"),
            "model.pt",
            self.model_filter(),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path and self._may_write_model_to(Path(path)):
            self.controller.save_model(path)

    def _training_text(self) -> list[tuple[Path | None, Phrase]]:
        session = self.controller.session
        return [training_text(session.corpus_config.source if session is not None else None)]

    def _may_write_model_to(self, path: Path) -> bool:
        """Never the text being trained on; another file that is not a model only if the user says so."""
        not_saved = self.tr("The model was not saved")
        try:
            check_target(path, protected=self._training_text(), checkpoint=True)
        except TargetError as error:
            if not error.ask:
                QMessageBox.warning(self.dialog_parent, not_saved, engine_text(error))
                return False
        if not path.exists():
            return True
        if is_checkpoint(path):
            question = self.tr("{0} holds a GRU Studio model. Replace it with this one?").format(path.name)
        else:
            question = self.tr(
                "{0} is not a GRU Studio model: it may be a text or another program's file, "
                "and it would be lost. Replace it anyway?"
            ).format(path.name)
        answer = QMessageBox.question(
            self.dialog_parent,
            self.tr("Replace the file?"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def offer_autosave(self) -> None:
        """At start-up, offer the model the last session autosaved: it is overwritten by the next run."""
        path = autosave_file()
        if not path.is_file():
            return
        saved = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime))

        def text() -> str:
            # The date in the language's own way (QLocale's default follows the language; ISO in the C locale).
            when = date_time_text(saved)
            return self.tr(
                "Your last session's model was autosaved on {0}. The next run's autosave replaces it."
            ).format(when)

        self.window.offer(text, lambda: self.tr("Open it"), lambda: self.open_model(str(path)))

    @Slot()
    def open_model(self, path: str | None = None) -> None:
        if not self.controller.state.can_open_model:
            self.window.tell(lambda: self.tr("Stop the training before opening a model."), 5000)
            return
        title = self.tr("Open model")
        path = path or file_dialogs.open_file_name(self.dialog_parent, title, self.model_filter())
        if path:
            name, self._opening = Path(path).name, path
            self.window.tell(lambda: self.tr("Opening {0}…").format(name))
            self.controller.open_model(path, self.window.device_name())

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        if Path(path) != self.controller.autosave_path:  # autosaves are quiet unless they fail
            self.recent.add(path, MODEL)
            self.window.tell(lambda: self.tr("Saved the model to {0}").format(path), 5000)

    @Slot(object)
    def _on_save_failed(self, message: LiveText) -> None:
        QMessageBox.warning(self.dialog_parent, self.tr("The model was not saved"), render(message))

    @Slot(object)
    def _on_open_failed(self, message: LiveText) -> None:
        self._opening = ""
        self.window.tell("")
        QMessageBox.warning(self.dialog_parent, self.tr("The model could not be opened"), render(message))

    @Slot(object)
    def _on_opened(self, session: Session) -> None:
        # The autosave is offered at every start already; Open Recent keeps the user's own files.
        if self._opening and Path(self._opening) != self.controller.autosave_path:
            self.recent.add(self._opening, MODEL)
        self.window.show_opened_model(session)

    # -- exports ------------------------------------------------------------------

    def history(self) -> list[EpochRecord]:
        session = self.controller.session
        return session.history if session is not None else []

    @Slot()
    def export_csv(self, path: str | None = None) -> None:
        rows = self.history()
        if not rows:
            self.window.tell(lambda: self.tr("Nothing to export yet: train or open a model first."), 5000)
            return
        path = path or file_dialogs.save_file_name(
            self.dialog_parent, self.tr("Export perplexity"), "perplexity.csv", self.tr("CSV (*.csv)")
        )
        if not path or not self._may_export_to(Path(path)):
            return
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(row.as_dict() for row in rows)
        self._write(path, text.getvalue().encode())

    @Slot()
    def export_png(self, path: str | None = None) -> None:
        title, name, kinds = self.tr("Export plot"), "perplexity.png", self.tr("PNG (*.png)")
        path = path or file_dialogs.save_file_name(self.dialog_parent, title, name, kinds)
        if not path or not self._may_export_to(Path(path)):
            return
        image = self.window.plot_image()
        fd, tmp = tempfile.mkstemp(suffix=".png", dir=Path(path).parent if Path(path).parent.is_dir() else None)
        os.close(fd)
        try:
            if not image.save(tmp, "PNG"):
                raise OSError(self.tr("the image could not be written"))
            self._write(path, Path(tmp).read_bytes())
        except OSError as exc:
            title = self.tr("The plot was not exported")
            QMessageBox.warning(self.dialog_parent, title, f"{path}: {exc.strerror or exc}")
        finally:
            Path(tmp).unlink(missing_ok=True)

    def _may_export_to(self, path: Path) -> bool:
        """The one check of every file written (engine/files.py): never the text in use, the run store,
        a folder, a device or a pipe; a model file only after a yes."""
        try:
            check_target(path, protected=self._training_text())
        except TargetError as error:
            if not error.ask:
                QMessageBox.warning(self.dialog_parent, self.tr("Nothing was written"), engine_text(error))
                return False
            answer = QMessageBox.question(
                self.dialog_parent,
                self.tr("Replace the file?"),
                self.tr("{0} holds a GRU Studio model, which would be lost. Replace it anyway?").format(path.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            return answer == QMessageBox.StandardButton.Yes
        return True

    def _write(self, path: str, data: bytes) -> None:
        try:
            write_atomic(Path(path), data)
        except OSError as exc:
            QMessageBox.warning(self.dialog_parent, self.tr("Nothing was written"), f"{path}: {exc.strerror or exc}")
            return
        self.window.tell(lambda: self.tr("Wrote {0}").format(path), 5000)
