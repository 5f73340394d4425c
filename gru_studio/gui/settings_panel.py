"""Model choice, presets, hyperparameters and the device picker."""

from __future__ import annotations

from dataclasses import asdict, fields, replace

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from gru_studio.engine.config import BUILTIN_KINDS, SCRATCH_GRU_KINDS, CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.device import list_devices
from gru_studio.gui.forms import connect_changed, editor_for, set_value, value_of

MODEL_LABELS = {
    "scratch": "GRU from scratch (the book, fast)",
    "scratch-book": "GRU from scratch (the book's step-by-step code)",
    "builtin": "nn.GRU (PyTorch built-in)",
    "rnn": "plain RNN from scratch (the book, fast)",
    "rnn-builtin": "nn.RNN (PyTorch built-in)",
    "lstm-builtin": "nn.LSTM (PyTorch built-in)",
}
SHORT_LABELS = {
    "scratch": "scratch GRU",
    "scratch-book": "scratch GRU, book code",
    "builtin": "nn.GRU",
    "rnn": "scratch RNN",
    "rnn-builtin": "nn.RNN",
    "lstm-builtin": "nn.LSTM",
}
# Marked for translation here and translated where shown (SettingsPanel.tr, whose context is the class name).
MODEL_NOTES = {
    "scratch": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The book's equations and parameters, computed with fused products and a hand-written "
        "backward pass: same results, faster.",
    ),
    "scratch-book": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The book's code as written, one small operation per line and step: the teaching "
        "reference, slower. The reset gate scales H before the product with W_hh.",
    ),
    "builtin": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "nn.GRU applies the reset gate after the product, r * (W_hn h + b_hn): a different model from the book's.",
    ),
    "rnn": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "The book's plain RNN, H = tanh(X W_xh + H W_hh + b_h): no gates, so it forgets sooner than a GRU. "
        "Inside the GRU does not apply.",
    ),
    "rnn-builtin": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "nn.RNN with tanh: the same plain RNN as PyTorch's layer, for the chapter's RNN-versus-GRU exercise. "
        "Inside the GRU does not apply.",
    ),
    "lstm-builtin": QT_TRANSLATE_NOOP(
        "SettingsPanel",
        "nn.LSTM, the next chapter's model: input, forget and output gates and a memory cell. "
        "Inside the GRU does not apply.",
    ),
}
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


PRESETS = {
    "Book: GRU from scratch": book_preset("scratch", "gates"),
    # nn.GRU can stack layers; the book's is one layer without dropout.
    "Book: nn.GRU": book_preset("builtin", "layers", "dropout"),
}
CUSTOM = "Custom"

# (config, field, label) in the order the form shows them.
MODEL_FIELDS = [
    (ModelConfig, "hidden", "Hidden units"),
    (ModelConfig, "layers", "Layers"),
    (ModelConfig, "dropout", "Dropout"),
    (ModelConfig, "gates", "Gates"),
]
TRAIN_FIELDS = [
    (TrainConfig, "epochs", "Epochs"),
    (TrainConfig, "lr", "Learning rate"),
    (TrainConfig, "optimizer", "Optimizer"),
    (TrainConfig, "batch_size", "Batch size"),
    (TrainConfig, "num_steps", "Time steps"),
    (TrainConfig, "clip", "Gradient clip θ"),
    (TrainConfig, "seed", "Seed"),
    (TrainConfig, "sample_every", "Sample every"),
    (CorpusConfig, "partition", "Batches"),
    (CorpusConfig, "val_fraction", "Validation"),
    (TrainConfig, "threads", "CPU threads"),
]


class SettingsPanel(QGroupBox):
    """Emits `changed` whenever any value changes, so the window can re-check them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Model and training", parent)
        self._applying_preset = False
        self.preset = QComboBox(objectName="presetPicker")
        self.preset.addItems([*PRESETS, CUSTOM])
        self.preset.setToolTip("Load the book's settings; editing any value makes it Custom")
        self.model = editor_for(ModelConfig, "kind", MODEL_LABELS)
        self.model.setObjectName("modelPicker")
        self.model_note = QLabel(wordWrap=True, objectName="modelNote")
        self.model_note.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self.device = QComboBox(objectName="devicePicker")
        self.device.setToolTip("Where the model trains; devices that are not available are shown greyed out")
        self._fill_devices()

        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        form.addRow("Preset", self.preset)
        form.addRow("Model", self.model)
        form.addRow(self.model_note)
        for config, name, label in MODEL_FIELDS + TRAIN_FIELDS:
            editor = editor_for(config, name, {key: self.tr(text) for key, text in CHOICE_LABELS.items()})
            self.editors[name] = editor
            form.addRow(label, editor)
            connect_changed(editor, self._on_edit)
        form.addRow("Device", self.device)
        self.autosave = QSpinBox(objectName="autosaveInput", minimum=0, maximum=1_000_000, value=50)
        self.autosave.setSpecialValueText("off")
        self.autosave.setSuffix(" epochs")
        self.autosave.setToolTip("Save the model every N epochs and when a run is stopped (to the autosave file)")
        form.addRow("Autosave every", self.autosave)
        for name, decimals in (("dropout", 2), ("val_fraction", 2), ("clip", 2)):
            self.editors[name].setDecimals(decimals)
        self.editors["val_fraction"].setSingleStep(0.05)
        self.editors["threads"].setSpecialValueText("automatic")  # 0, shown as what it means
        self.editors["val_fraction"].setToolTip(self.editors["val_fraction"].toolTip() + " (0 = none)")
        layout = QVBoxLayout(self)
        layout.addLayout(form)

        connect_changed(self.model, self._on_edit)
        self.preset.currentTextChanged.connect(self._on_preset)
        self.device.currentIndexChanged.connect(self.changed)
        self._on_preset(self.preset.currentText())

    def _fill_devices(self) -> None:
        model = QStandardItemModel(self.device)
        self.device.setModel(model)
        for info in list_devices():
            label = info.label if info.available else f"{info.label} — {info.reason}"
            self.device.addItem(label, info.name)
            item = model.item(self.device.count() - 1)
            item.setEnabled(info.available)
            item.setToolTip(info.reason or info.label)

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
        self.model_note.setText(self.tr(MODEL_NOTES[kind]))
        for name in ("layers", "dropout"):
            self.editors[name].setEnabled(kind in BUILTIN_KINDS)
        self.editors["gates"].setEnabled(kind in SCRATCH_GRU_KINDS)
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

    def model_config(self) -> ModelConfig:
        config = self._make(ModelConfig)
        # The gates editor is disabled for models without the scratch GRU's gates, and what it
        # still shows does not apply to them (the engine would refuse it): their gates are full.
        if config.kind not in SCRATCH_GRU_KINDS:
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
