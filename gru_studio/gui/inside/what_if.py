"""What if a gate were fixed: the clamp's settings, three presets that explain themselves, and the result.

The clamp itself is the engine's (engine/analysis/clamp.py); this panel only asks
for one and says what came of it: the probe's perplexity with and without, and,
on Generate, the text the model writes with the clamp held.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.analysis.clamp import Clamp
from gru_studio.engine.errors import GruStudioError
from gru_studio.gui.common.i18n import engine_text

# (gate, value, what it means): the chapter's first exercise and its neighbours.
PRESETS = (
    ("z", 1.0, QT_TRANSLATE_NOOP("WhatIfPanel", "Z = 1: the state is kept, nothing new is written")),
    ("z", 0.0, QT_TRANSLATE_NOOP("WhatIfPanel", "Z = 0: the state is replaced by the candidate at every step")),
    ("r", 0.0, QT_TRANSLATE_NOOP("WhatIfPanel", "R = 0: the candidate ignores the past, it reads the character alone")),
)


class WhatIfPanel(QWidget):
    clamp_changed = Signal(object)  # a tuple of Clamps (empty: none), to trace with
    generate_requested = Signal(object)  # the clamps to generate with

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whatIfPanel")
        self.clamps: tuple[Clamp, ...] = ()
        self.unit = -1  # the unit selected in the strip, for "selected unit only"
        self.gate = QComboBox(objectName="clampGate")
        self.gate.addItem("Z", "z")
        self.gate.addItem("R", "r")
        self.value = QDoubleSpinBox(objectName="clampValue", minimum=0.0, maximum=1.0, singleStep=0.1, decimals=2)
        self.start = QSpinBox(objectName="clampFrom", minimum=1, maximum=5000, value=1)
        self.stop = QSpinBox(objectName="clampTo", minimum=1, maximum=5000, value=5000)
        self.only_unit = QCheckBox(objectName="clampOnlyUnit")
        self.apply = QPushButton(objectName="clampApply")
        self.clear = QPushButton(objectName="clampClear")
        self.generate = QPushButton(objectName="clampGenerate")
        self.presets = [QPushButton(objectName=f"clampPreset{i}") for i in range(len(PRESETS))]
        self.words = {name: QLabel() for name in ("hold", "at", "from", "to")}
        self.result = QLabel(objectName="clampResult", wordWrap=True)
        self.written = QLabel(objectName="clampWritten", wordWrap=True)
        grid = QGridLayout()
        w = self.words
        for column, widget in enumerate((w["hold"], self.gate, w["at"], self.value, w["from"], self.start, w["to"])):
            grid.addWidget(widget, 0, column)
        grid.addWidget(self.stop, 0, 7)
        grid.addWidget(self.only_unit, 1, 0, 1, 4)
        buttons = QHBoxLayout()
        for button in (*self.presets, self.apply, self.clear, self.generate):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(grid)
        column.addLayout(buttons)
        column.addWidget(self.result)
        column.addWidget(self.written)
        self.apply.clicked.connect(self._apply)
        self.clear.clicked.connect(self._clear)
        self.generate.clicked.connect(lambda: self.generate_requested.emit(self.clamps))
        for button, (gate, value, _) in zip(self.presets, PRESETS, strict=True):
            button.clicked.connect(lambda _=False, g=gate, v=value: self.use_preset(g, v))
        self.retranslate()

    def retranslate(self) -> None:
        w = self.words
        w["hold"].setText(self.tr("Hold"))
        w["at"].setText(self.tr("at"))
        w["from"].setText(self.tr("from character"))
        w["to"].setText(self.tr("to"))
        self.only_unit.setText(self.tr("only the unit selected in the strip"))
        self.apply.setText(self.tr("Apply"))
        self.clear.setText(self.tr("Clear"))
        self.generate.setText(self.tr("Generate"))
        self.generate.setToolTip(self.tr("Continue the probe greedily with the clamp held"))
        for button, (gate, value, meaning) in zip(self.presets, PRESETS, strict=True):
            button.setText(f"{gate.upper()} = {value:g}")
            button.setToolTip(self.tr(meaning))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def use_preset(self, gate: str, value: float) -> None:
        self.gate.setCurrentIndex(self.gate.findData(gate))
        self.value.setValue(value)
        self.start.setValue(1)
        self.stop.setValue(self.stop.maximum())
        self._apply()

    @Slot()
    def _apply(self) -> None:
        units = (self.unit,) if self.only_unit.isChecked() and self.unit >= 0 else None
        stop = None if self.stop.value() >= self.stop.maximum() else self.stop.value()  # 1-based, inclusive
        try:
            clamp = Clamp(self.gate.currentData(), self.value.value(), self.start.value() - 1, stop, units)
        except GruStudioError as exc:
            self.result.setText(engine_text(exc))
            return
        self.clamps = (clamp,)
        self.clamp_changed.emit(self.clamps)

    @Slot()
    def _clear(self) -> None:
        self.clamps = ()
        self.written.clear()
        self.clamp_changed.emit(self.clamps)

    def show_perplexities(self, clamped: float | None, free: float | None) -> None:
        """The probe's perplexity under the clamp beside the model's own; one figure when nothing is held."""
        if free is None:
            self.result.clear()
        elif not self.clamps or clamped is None:
            self.result.setText(self.tr("The probe's perplexity: {0}").format(f"{free:.3f}"))
        else:
            self.result.setText(
                self.tr("The probe's perplexity: {0} as trained, {1} with the clamp").format(
                    f"{free:.3f}", f"{clamped:.3f}"
                )
            )

    def show_written(self, text: str) -> None:
        self.written.setText(self.tr("With the clamp the model writes: {0}").format(text))
