"""The Sweep… dialog: one or two settings, each with its values, checked as they are typed.

The parsing, the grid and every check are engine/experiments/sweep.py's, as for
`gru-studio sweep`: the same text gives the same runs and the same problems,
shown under the fields rather than after a click, and named by the setting's
label ("Learning rate 0: must be greater than 0") where the command line names
its flag ("--lr: 0: must be greater than 0"). The settings not swept are the panel's; each planned run is also
checked as Train checks one (check_new_run: the device, the memory, the
text), so that no run of the queue fails on a setting the dialog could see.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import ConfigError, GruStudioError
from gru_studio.engine.experiments.sweep import SWEEPABLE, SweepRun, axes_from, format_value, plan
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase
from gru_studio.engine.text.comparable import check_comparable
from gru_studio.engine.text.corpus import Corpus
from gru_studio.engine.training.session import check_new_run
from gru_studio.gui.common import theme
from gru_studio.gui.common.i18n import engine_text

Configs = tuple[CorpusConfig, ModelConfig, TrainConfig]
CONTEXT = "SweepDialog"
# Each sweepable setting as the settings panel names it (the flag's name is the key).
SETTING_LABELS = {
    "model": QT_TRANSLATE_NOOP("SweepDialog", "Model"),
    "gates": QT_TRANSLATE_NOOP("SweepDialog", "Gates"),
    "lr": QT_TRANSLATE_NOOP("SweepDialog", "Learning rate"),
    "hidden": QT_TRANSLATE_NOOP("SweepDialog", "Hidden units"),
    "layers": QT_TRANSLATE_NOOP("SweepDialog", "Layers"),
    "dropout": QT_TRANSLATE_NOOP("SweepDialog", "Dropout"),
    "batch-size": QT_TRANSLATE_NOOP("SweepDialog", "Batch size"),
    "num-steps": QT_TRANSLATE_NOOP("SweepDialog", "Time steps"),
    "clip": QT_TRANSLATE_NOOP("SweepDialog", "Gradient clip θ"),
    "optimizer": QT_TRANSLATE_NOOP("SweepDialog", "Optimizer"),
    "epochs": QT_TRANSLATE_NOOP("SweepDialog", "Epochs"),
    "seed": QT_TRANSLATE_NOOP("SweepDialog", "Seed"),
    "partition": QT_TRANSLATE_NOOP("SweepDialog", "Batches"),
}
NONE = ""  # the second row's "no second setting"
# A setting as the engine's checks name it (its field, "batch_size") -> as the dialog does (its flag).
FLAG_OF_FIELD = {field: name for name, (_, field) in SWEEPABLE.items()}


def setting_label(name: str) -> str:
    """A sweepable setting's name in the window's language."""
    return QCoreApplication.translate(CONTEXT, SETTING_LABELS[name])


def current_value(name: str, configs: Configs) -> str:
    config_type, field = SWEEPABLE[name]
    config = next(c for c in configs if isinstance(c, config_type))
    return format_value(getattr(config, field))


class SweepDialog(QDialog):
    """Asks for the sweep; `runs` holds the checked plan once accepted."""

    def __init__(self, configs: Callable[[], Configs], corpus: Corpus | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepDialog")
        self._configs = configs
        self._corpus = corpus
        self.runs: list[SweepRun] = []
        self.intro = QLabel(wordWrap=True)
        self.settings = [QComboBox(objectName=f"sweepSetting{i}") for i in (1, 2)]
        self.values = [QLineEdit(objectName=f"sweepValues{i}") for i in (1, 2)]
        self.now = [QLabel(objectName=f"sweepNow{i}") for i in (1, 2)]
        self.row_labels = [QLabel(), QLabel()]
        self.message = QLabel(objectName="sweepMessage", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setObjectName("startSweepButton")
        self._problem = ""  # the engine's message for what is typed now; '' when it plans

        self.settings[1].addItem("", NONE)
        for combo in self.settings:
            for name in SWEEPABLE:
                combo.addItem("", name)
        self.settings[0].setCurrentIndex(self.settings[0].findData("lr"))
        self.settings[1].setCurrentIndex(self.settings[1].findData("hidden"))

        grid = QGridLayout()
        for row in range(2):
            grid.addWidget(self.row_labels[row], row, 0)
            grid.addWidget(self.settings[row], row, 1)
            grid.addWidget(self.values[row], row, 2)
            grid.addWidget(self.now[row], row, 3)
            self.settings[row].currentIndexChanged.connect(self._check)
            self.values[row].textChanged.connect(self._check)
        grid.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(580, 0)  # as tall as its contents
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sweep"))
        self.intro.setText(
            self.tr(
                "Train one run for each combination of the values of one or two settings, one after another. "
                "Every other setting is the panel's; every run is recorded in the run history."
            )
        )
        self.row_labels[0].setText(self.tr("Sweep"))
        self.row_labels[1].setText(self.tr("and"))
        for number, (setting, values) in enumerate(zip(self.settings, self.values, strict=True), start=1):
            setting.setAccessibleName(self.tr("Setting {0} to vary").format(number))  # for screen readers
            values.setAccessibleName(self.tr("Values of setting {0}").format(number))
        self.settings[1].setItemText(0, self.tr("(nothing else)"))
        for combo in self.settings:
            for index in range(combo.count()):
                name = combo.itemData(index)
                if name != NONE:
                    combo.setItemText(index, setting_label(name))
        for edit in self.values:
            edit.setPlaceholderText(self.tr("values, separated by commas: 0.5, 1, 2, 4"))
            edit.setToolTip(self.tr("The values of this setting to train with, separated by commas"))
        self.start_button.setText(self.tr("Start sweep"))
        self._check()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def texts(self) -> dict[str, str]:
        """Each chosen setting and its typed values, as `axes_from` takes them (a setting chosen twice: once)."""
        texts: dict[str, str] = {}
        for combo, edit in zip(self.settings, self.values, strict=True):
            name = combo.currentData()
            if name != NONE and name not in texts:
                texts[name] = edit.text()
        return texts

    @Slot()
    def _check(self) -> None:
        """Plan what is typed; say why it cannot run, or how many runs it makes."""
        configs = self._configs()
        for combo, edit, now in zip(self.settings, self.values, self.now, strict=True):
            name = combo.currentData()
            edit.setEnabled(name != NONE)
            now.setText("" if name == NONE else self.tr("now {value}").format(value=current_value(name, configs)))
        self.runs, self._problem = [], ""
        names = [combo.currentData() for combo in self.settings]
        texts = self.texts()
        if names[0] == names[1]:
            self._problem = self.tr("Choose two different settings, or nothing for the second.")
        elif not any(text.strip() for text in texts.values()):
            self._problem = self.tr("Type the values to try, separated by commas.")
        elif self._corpus is None:
            self._problem = self.tr("Choose a text to train on first.")
        else:
            try:
                runs = plan(axes_from({n: t for n, t in texts.items() if t.strip()}), *configs)
                for run in runs:  # what Train would refuse for any one of them, before the first starts
                    check_new_run(self._corpus, run.corpus_config, run.model_config, run.train_config)
                self.runs = runs
            except GruStudioError as exc:
                self._problem = self._in_words(exc)
        if self._problem:
            theme.set_role(self.message, "error")
            self.message.setText(self._problem)
        else:
            theme.set_role(self.message, "hint")
            planned = self.tr("{count} runs, trained one after another: {first} … {last}").format(
                count=len(self.runs), first=self.runs[0].label(), last=self.runs[-1].label()
            )
            # A sweep compares runs: on a text of few batches an epoch the comparison misleads (the
            # engine's rule and words, as `gru-studio sweep` says them), so it is said once, here.
            short = self._too_short()
            self.message.setText(planned + ("\n\n" + short if short else ""))
        self.start_button.setEnabled(not self._problem)

    def _too_short(self) -> str:
        """The engine's note when the text is too short for these runs to compare models; '' otherwise."""
        if self._corpus is None:
            return ""
        checks = (check_comparable(self._corpus, run.corpus_config, run.train_config) for run in self.runs)
        short = next(filter(None, checks), None)
        return engine_text(short.note()) if short is not None else ""

    def _in_words(self, exc: GruStudioError) -> str:
        """The engine's message with the setting's label where the command line's says its flag."""
        if not isinstance(exc, ConfigError):
            return engine_text(exc)
        problem = exc.problem
        name = exc.field.removeprefix("--")
        name = name if name in SETTING_LABELS else FLAG_OF_FIELD.get(name, "")
        if name:
            if isinstance(problem, Phrase) and set(problem.params) == {"item", "problem"}:  # "0: must be > 0"
                return self.tr("{setting} {value}: {problem}").format(
                    setting=setting_label(name),
                    value=problem.params["item"],
                    problem=engine_text(problem.params["problem"]),
                )
            return self.tr("{setting}: {problem}").format(setting=setting_label(name), problem=engine_text(problem))
        if isinstance(problem, Phrase) and problem.template.startswith("nothing to sweep"):  # its example is flags
            return self.tr("Nothing to sweep yet: give one of the settings two values or more, separated by commas.")
        return engine_text(exc)

    @property
    def problem(self) -> str:
        return self._problem

    def accept(self) -> None:
        self._check()  # the panel may have changed since the last keystroke
        if not self._problem:
            super().accept()
