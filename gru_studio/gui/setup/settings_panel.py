"""Model choice, presets, hyperparameters and the device picker."""

from __future__ import annotations

from dataclasses import asdict, fields, replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from gru_studio.engine import model_registry
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.hardware.device import DeviceInfo, list_devices
from gru_studio.gui.common.forms import connect_changed, editor_for, retranslate_editor, set_value, value_of
from gru_studio.gui.common.i18n import engine_text, translate_engine

# Every label below is marked for translation here and translated where shown
# (SettingsPanel.tr, whose context is the class name). The models' words are the
# registry's (engine/model_registry.py), translated under the engine's context.
CHOICE_LABELS = {
    "sequential": QT_TRANSLATE_NOOP("SettingsPanel", "sequential (state carried)"),
    "random": QT_TRANSLATE_NOOP("SettingsPanel", "random"),
    "full": QT_TRANSLATE_NOOP("SettingsPanel", "full: update and reset gates"),
    "reset-only": QT_TRANSLATE_NOOP("SettingsPanel", "reset gate only (Z = 0)"),
    "update-only": QT_TRANSLATE_NOOP("SettingsPanel", "update gate only (R = 1)"),
}
# The settings the book's recipe fixes. Their values are the config defaults (the
# defaults are the book's), so a preset can never drift from them. The seed,
# sampling and validation split are not part of the recipe: changing them keeps
# the preset's name.
BOOK_RECIPE = ("hidden", "lr", "optimizer", "batch_size", "num_steps", "clip", "epochs")


def book_preset(kind: str, *extra: str) -> dict[str, object]:
    """The book's settings for one model; `extra` names further settings the preset resets to the defaults."""
    defaults = {**asdict(ModelConfig()), **asdict(TrainConfig())}
    return {"kind": kind, **{name: defaults[name] for name in (*BOOK_RECIPE, *extra)}}


# Keyed by their English names, which the saved settings hold; shown translated (PRESET_NAMES).
PRESETS = {
    "Book: GRU from scratch": book_preset("scratch", "gates"),
    # nn.GRU can stack layers; the book's is one layer without dropout.
    "Book: nn.GRU": book_preset("builtin", "layers", "dropout"),
}
CUSTOM = "Custom"
PRESET_NAMES = {
    "Book: GRU from scratch": QT_TRANSLATE_NOOP("SettingsPanel", "Book: GRU from scratch"),
    "Book: nn.GRU": QT_TRANSLATE_NOOP("SettingsPanel", "Book: nn.GRU"),
    CUSTOM: QT_TRANSLATE_NOOP("SettingsPanel", "Custom"),
}

# (config, field, label) in the order the form shows them.
MODEL_FIELDS = [
    (ModelConfig, "hidden", QT_TRANSLATE_NOOP("SettingsPanel", "Hidden units")),
    (ModelConfig, "layers", QT_TRANSLATE_NOOP("SettingsPanel", "Layers")),
    (ModelConfig, "dropout", QT_TRANSLATE_NOOP("SettingsPanel", "Dropout")),
    (ModelConfig, "gates", QT_TRANSLATE_NOOP("SettingsPanel", "Gates")),
]
TRAIN_FIELDS = [
    (TrainConfig, "epochs", QT_TRANSLATE_NOOP("SettingsPanel", "Epochs")),
    (TrainConfig, "lr", QT_TRANSLATE_NOOP("SettingsPanel", "Learning rate")),
    (TrainConfig, "optimizer", QT_TRANSLATE_NOOP("SettingsPanel", "Optimizer")),
    (TrainConfig, "batch_size", QT_TRANSLATE_NOOP("SettingsPanel", "Batch size")),
    (TrainConfig, "num_steps", QT_TRANSLATE_NOOP("SettingsPanel", "Time steps")),
    (TrainConfig, "clip", QT_TRANSLATE_NOOP("SettingsPanel", "Gradient clip θ")),
    (TrainConfig, "seed", QT_TRANSLATE_NOOP("SettingsPanel", "Seed")),
    (TrainConfig, "sample_every", QT_TRANSLATE_NOOP("SettingsPanel", "Sample every")),
    (CorpusConfig, "partition", QT_TRANSLATE_NOOP("SettingsPanel", "Batches")),
    (CorpusConfig, "val_fraction", QT_TRANSLATE_NOOP("SettingsPanel", "Validation")),
    (TrainConfig, "threads", QT_TRANSLATE_NOOP("SettingsPanel", "CPU threads")),
]

# The window's tooltips: what each setting does, in words, with the book's usual value where it has one.
# The engine's help is the command line's (terse, with its flags' notation); these say more than the label.
WINDOW_HELP = {
    "hidden": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How many numbers the model keeps as its memory of the text so far. More units can learn more, "
        "but train more slowly (the book uses 256).",
    ),
    "layers": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How many GRU layers are stacked, each reading the states of the one below "
        "(the PyTorch built-in models only; the book uses 1).",
    ),
    "dropout": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The share of each layer's outputs set to zero at random while training, between stacked layers: "
        "it fights memorising, and does nothing with one layer.",
    ),
    "gates": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "Which of the GRU's two gates work (the scratch GRUs only). Full: both, as in the book. "
        "Reset gate only: the update gate is held shut, so each unit takes its new candidate at every "
        "character and keeps nothing of its old state by itself. Update gate only: the reset gate is held "
        "open, so the candidate always sees the whole old state (the book's exercise).",
    ),
    "epochs": QT_TRANSLATE_NOOP(
        "SettingsPanel", "How many times training goes through the whole training text (the book uses 500)."
    ),
    "lr": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How big a step the optimizer takes after each batch. Too big and the perplexity jumps or explodes; "
        "too small and it falls slowly. The book uses 1 with SGD; Adam wants about 0.01.",
    ),
    "optimizer": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How the gradients change the weights: SGD steps straight down the gradient (the book's); "
        "Adam adapts each weight's step size and wants a much smaller learning rate.",
    ),
    "batch_size": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How many passages of the text are trained on side by side in one step (the book uses 32). "
        "A short text gives few batches an epoch at a large batch size.",
    ),
    "num_steps": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How many characters each passage has: how far back the gradient reaches (the book uses 35).",
    ),
    "clip": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The largest length the gradient may have before a step; a longer one is scaled down to it, "
        "so one bad batch cannot throw the weights far. 0 turns clipping off (the book uses 1).",
    ),
    "seed": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The starting point of the random numbers (first weights, batch order): the same seed and settings "
        "train the same model again on the CPU.",
    ),
    "sample_every": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "Every how many epochs the model writes a sample from the prefix, shown under Generate; off: never.",
    ),
    "partition": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How the text is cut into batches. Sequential: each batch continues where the last one stopped, "
        "and the model's state is carried over. Random: passages from anywhere, each starting afresh.",
    ),
    "val_fraction": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The share of the text, at its end, kept out of training to measure the validation perplexity: "
        "how well the model does on text it never learned from. 0: none.",
    ),
    "threads": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "How many CPU cores training uses. Automatic tries 1 and one per core while training and keeps the "
        "faster; on a busy machine more threads can be much slower.",
    ),
}


def short_label(kind: str) -> str:
    """A model's short name ("scratch GRU") in the window's language; an unknown kind as it is."""
    return translate_engine(model_registry.spec(kind).short) if kind in model_registry.KIND_NAMES else kind


def model_note(kind: str) -> str:
    """What the picker says under the list about one model, in the window's language."""
    return translate_engine(model_registry.spec(kind).note)


class PresetPicker(QComboBox):
    """The preset combo box, whose items show translated names but whose text is the preset's key.

    currentText() and setCurrentText() speak the key (the English name in
    PRESETS, or CUSTOM): that is what the window saves in its settings and
    sets back, and it must not change with the language shown.
    """

    def currentText(self) -> str:  # Qt's name, overridden for Python callers
        return str(self.currentData() or "")

    def setCurrentText(self, text: str) -> None:  # Qt's name, overridden for Python callers
        index = self.findData(text)
        if index >= 0:
            self.setCurrentIndex(index)


class SettingsPanel(QGroupBox):
    """Emits `changed` whenever any value changes, so the window can re-check them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._applying_preset = False
        self.preset = PresetPicker(objectName="presetPicker")
        for key in PRESET_NAMES:
            self.preset.addItem(key, key)
        self.model = editor_for(ModelConfig, "kind", self._model_labels())
        self.model.setObjectName("modelPicker")
        self.model_note = QLabel(wordWrap=True, objectName="modelNote")
        self.model_note.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self.device = QComboBox(objectName="devicePicker")
        self._devices: list[DeviceInfo] = []
        self._fill_devices()

        self.editors: dict[str, QWidget] = {}
        # The form's row labels by setting name ("preset", "kind", "device" and "autosave" besides the fields).
        self.labels: dict[str, QLabel] = {name: QLabel() for name in ("preset", "kind", "device", "autosave")}
        form = QFormLayout()
        form.addRow(self.labels["preset"], self.preset)
        form.addRow(self.labels["kind"], self.model)
        form.addRow(self.model_note)
        for config, name, _ in MODEL_FIELDS + TRAIN_FIELDS:
            editor = editor_for(config, name, self._choice_labels())
            self.editors[name] = editor
            self.labels[name] = QLabel()
            form.addRow(self.labels[name], editor)
            connect_changed(editor, self._on_edit)
        form.addRow(self.labels["device"], self.device)
        self.autosave = QSpinBox(objectName="autosaveInput", minimum=0, maximum=1_000_000, value=50)
        form.addRow(self.labels["autosave"], self.autosave)
        for name, decimals in (("dropout", 2), ("val_fraction", 2), ("clip", 2)):
            self.editors[name].setDecimals(decimals)
        self.editors["val_fraction"].setSingleStep(0.05)
        layout = QVBoxLayout(self)
        layout.addLayout(form)

        connect_changed(self.model, self._on_edit)
        self.preset.currentIndexChanged.connect(lambda: self._on_preset(self.preset.currentText()))
        self.device.currentIndexChanged.connect(self.changed)
        self._on_preset(self.preset.currentText())
        self.retranslate()

    def _model_labels(self) -> dict[str, str]:
        return {spec.name: translate_engine(spec.label) for spec in model_registry.specs()}

    def _choice_labels(self) -> dict[str, str]:
        return {key: self.tr(label) for key, label in CHOICE_LABELS.items()}

    def retranslate(self) -> None:
        self.setTitle(self.tr("Model and training"))
        for index in range(self.preset.count()):
            self.preset.setItemText(index, self.tr(PRESET_NAMES[self.preset.itemData(index)]))
        self.preset.setToolTip(self.tr("Load the book's settings; editing any value makes it Custom"))
        retranslate_editor(self.model, ModelConfig, "kind", self._model_labels())
        self.model_note.setText(model_note(value_of(self.model)))
        self.device.setToolTip(self.tr("Where the model trains; devices that are not available are shown greyed out"))
        self._label_devices()
        for config, name, label in MODEL_FIELDS + TRAIN_FIELDS:
            retranslate_editor(self.editors[name], config, name, self._choice_labels())
            self.labels[name].setText(self.tr(label))
            # The window's words, on the label as well as the field: either may be where the mouse rests.
            for widget in (self.editors[name], self.labels[name]):
                widget.setToolTip(self.tr(WINDOW_HELP[name]))
        self.labels["preset"].setText(self.tr("Preset"))
        self.labels["kind"].setText(self.tr("Model"))
        self.labels["device"].setText(self.tr("Device"))
        self.labels["autosave"].setText(self.tr("Autosave every"))
        self.editors["threads"].setSpecialValueText(self.tr("automatic"))  # 0, shown as what it means
        self.model.setToolTip(self.tr("Which network to train; the note under it says how the models differ"))
        self.autosave.setSpecialValueText(self.tr("off"))
        self.autosave.setSuffix(self.tr(" epochs"))
        self.autosave.setToolTip(
            self.tr(
                "Save the model every N epochs and when a run is stopped, to the autosave file, "
                "so that a crash or a closed window loses little; off: never"
            )
        )
        for name, widget in (("preset", self.preset), ("kind", self.model), ("device", self.device)):
            self.labels[name].setToolTip(widget.toolTip())
        self.labels["autosave"].setToolTip(self.autosave.toolTip())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _fill_devices(self) -> None:
        model = QStandardItemModel(self.device)
        self.device.setModel(model)
        # Kept, so that a change of language relabels the devices without looking for them again.
        self._devices = list_devices()
        for info in self._devices:
            self.device.addItem("", info.name)
            model.item(self.device.count() - 1).setEnabled(info.available)
        self._label_devices()

    def _label_devices(self) -> None:
        """The devices' names and, for those not available, why (the engine's words, in the window's language)."""
        model = self.device.model()
        for index, info in enumerate(self._devices):
            label, reason = engine_text(info.label), engine_text(info.reason) if info.reason else ""
            self.device.setItemText(index, label if info.available else f"{label} — {reason}")
            model.item(index).setToolTip(reason or label)

    @Slot(str)
    def _on_preset(self, name: str) -> None:
        values = PRESETS.get(name)
        if values:
            self._applying_preset = True
            self.set_values(values)
            self._applying_preset = False
        self._on_edit()

    @Slot()
    def _on_edit(self) -> None:
        kind = value_of(self.model)
        self.model_note.setText(model_note(kind))
        applies = model_registry.spec(kind).applies
        for name in (model_registry.LAYERS, model_registry.DROPOUT, model_registry.GATES):
            self.editors[name].setEnabled(name in applies)
        if not self._applying_preset and self.preset.currentText() != CUSTOM:
            values = PRESETS[self.preset.currentText()]
            if any(self.values().get(k) != v for k, v in values.items()):
                self.preset.blockSignals(True)
                self.preset.setCurrentText(CUSTOM)
                self.preset.blockSignals(False)
        self.changed.emit()

    def values(self) -> dict[str, object]:
        values = {name: value_of(editor) for name, editor in self.editors.items()}
        values["kind"] = value_of(self.model)
        values["device"] = value_of(self.device)
        return values

    def set_values(self, values: dict[str, object]) -> None:
        for name, value in values.items():
            editor = {"kind": self.model, "device": self.device}.get(name) or self.editors.get(name)
            if editor is not None:
                set_value(editor, value)

    def device_name(self) -> str:
        """The device picked for training, as the engine names it."""
        return str(self.device.currentData())

    def choose_device(self, name: str) -> None:
        """Pick `name` where this machine has it; otherwise the pick stays as it is."""
        index = self.device.findData(name)
        if index >= 0 and self.device.model().item(index).isEnabled():
            self.device.setCurrentIndex(index)

    def preset_name(self) -> str:
        """The preset's key (its English name, or CUSTOM), as the window's settings keep it."""
        return self.preset.currentText()

    def show_preset(self, name: str) -> None:
        """Show a remembered preset's name without applying its values (those are restored themselves)."""
        self.preset.blockSignals(True)
        self.preset.setCurrentText(name)
        self.preset.blockSignals(False)

    def model_config(self) -> ModelConfig:
        config = self._make(ModelConfig)
        # The gates editor is disabled for models without the scratch GRU's gates, and what it
        # still shows does not apply to them (the engine would refuse it): their gates are full.
        if not model_registry.spec(config.kind).has_gates:
            config = replace(config, gates="full")
        return config

    def train_config(self) -> TrainConfig:
        return self._make(TrainConfig)

    def corpus_config(self, base: CorpusConfig) -> CorpusConfig:
        return replace(
            base, partition=self.editors["partition"].currentData(), val_fraction=self.editors["val_fraction"].value()
        )

    def _make(self, config_type: type) -> object:
        values = self.values()
        return config_type(**{f.name: values[f.name] for f in fields(config_type) if f.name in values})
