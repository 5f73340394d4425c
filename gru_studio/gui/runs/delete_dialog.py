"""The question before runs are deleted, and whether their kept models go with them.

A run the window trained keeps its final model under the data folder (engine/history/kept_models.py).
Deleting the run leaves that file reachable only through File ▸ Open, so the question offers to
delete it too, and says how big it is. The default button keeps it: a model is the one thing a
run made that cannot be had again without training again (minutes, or hours), deleting it cannot
be undone, and a file kept by mistake costs little: it counts in the models folder's size budget
and is pruned, oldest first, when room is needed. A user who deletes runs to free space sees the
size and picks the other button. A model saved elsewhere (`train --save`, File ▸ Save) is the
user's own file and is never offered for deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


class Choice(Enum):
    CANCEL = "cancel"
    RUNS = "runs"  # the runs, their models kept
    RUNS_AND_MODELS = "runs and models"


@dataclass(frozen=True)
class KeptModel:
    run_id: int
    path: str
    size: int  # bytes


def size_text(size: int) -> str:
    """A file's size as people read it: 940 kB, 13.2 MB, 1.4 GB."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}" if size < 100 * scale else f"{size / scale:.0f} {unit}"
    return QCoreApplication.translate("DeleteQuestion", "{0} bytes").format(size)


class DeleteQuestion(QMessageBox):
    """Delete the runs and their models, delete the runs and keep the models, or nothing (the Escape key)."""

    def __init__(self, parent: QWidget | None, what: str, models: list[KeptModel], runs: int = 1) -> None:
        super().__init__(parent)
        self.setObjectName("deleteRunsQuestion")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Delete runs?"))
        total = size_text(sum(model.size for model in models))
        if len(models) == 1:
            models_text = self.tr("Run #{0} kept its model ({1}). Delete the model file too?").format(
                models[0].run_id, total
            )
        else:
            models_text = self.tr("{0} of them kept their models ({1} in all). Delete the model files too?").format(
                len(models), total
            )
        self.setText(self.tr("Forget {0} and every epoch recorded?").format(what) + "\n\n" + models_text)
        self.setInformativeText(
            self.tr(
                "A model kept is opened from its run; after the run is gone, only File ▸ Open finds it. "
                "Kept models are pruned, oldest first, when the models folder outgrows its budget."
            )
        )
        self.setDetailedText("\n".join(f"#{model.run_id}: {model.path} ({size_text(model.size)})" for model in models))
        one = runs == 1  # then one model too
        both = self.tr("Delete run and model") if one else self.tr("Delete runs and models")
        runs_only = self.tr("Delete run, keep model") if one else self.tr("Delete runs, keep models")
        self.both = self.addButton(both, QMessageBox.ButtonRole.DestructiveRole)
        self.runs_only = self.addButton(runs_only, QMessageBox.ButtonRole.AcceptRole)
        self.cancel = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.runs_only)  # the file stays unless asked for: see the module's note
        self.setEscapeButton(self.cancel)

    def choice(self) -> Choice:
        clicked = self.clickedButton()
        if clicked is self.both:
            return Choice.RUNS_AND_MODELS
        if clicked is self.runs_only:
            return Choice.RUNS
        return Choice.CANCEL


def ask(parent: QWidget | None, what: str, models: list[KeptModel], runs: int = 1) -> Choice:
    """Ask before deleting; with no kept model, the plain yes-or-no question (No the default)."""
    if not models:
        answer = QMessageBox.question(
            parent,
            QCoreApplication.translate("DeleteQuestion", "Delete runs?"),
            QCoreApplication.translate(
                "DeleteQuestion", "Forget {0} and every epoch recorded? Their saved model files stay."
            ).format(what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return Choice.RUNS if answer == QMessageBox.StandardButton.Yes else Choice.CANCEL
    box = DeleteQuestion(parent, what, models, runs)
    box.exec()
    return box.choice()
