"""Type a prefix, press Enter, watch the model write; the trainer's samples are logged beside it."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from gru_studio.engine.config import BOOK_PREFIX


def _monospace(widget: QWidget) -> None:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    widget.setFont(font)


class GenerationPanel(QGroupBox):
    """Emits `generate_requested` with the prefix and options; the window decides how."""

    generate_requested = Signal(str, int, float, int)  # prefix, length, temperature (0 = greedy), top-k

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Generate", parent)
        self.prefix = QLineEdit(BOOK_PREFIX, objectName="prefixInput")
        self.prefix.setPlaceholderText("Type a prefix and press Enter")
        self.prefix.setToolTip("The model reads this, then continues it")
        self.length = QSpinBox(objectName="lengthInput", minimum=1, maximum=100_000, value=200)
        self.length.setToolTip("Characters to generate")
        self.greedy = QCheckBox("Greedy", objectName="greedyToggle", checked=True)
        self.greedy.setToolTip("Always take the likeliest next character, as the book does")
        self.temperature = QDoubleSpinBox(objectName="temperatureInput", minimum=0.05, maximum=5.0, value=0.8)
        self.temperature.setSingleStep(0.1)
        self.temperature.setToolTip("Below 1: safer choices; above 1: more surprising ones")
        self.top_k = QSpinBox(objectName="topKInput", minimum=0, maximum=10_000, value=0)
        self.top_k.setSpecialValueText("all")
        self.top_k.setToolTip("Sample only from the k likeliest characters")
        self.button = QPushButton("Generate", objectName="generateButton")
        self.button.setToolTip("Generate (Enter in the prefix field)")
        self.output = QPlainTextEdit(objectName="generationOutput", readOnly=True)
        self.output.setPlaceholderText("Generated text appears here as it is written.")
        self.log = QPlainTextEdit(objectName="sampleLog", readOnly=True)
        self.log.setPlaceholderText("The trainer's sample predictions appear here every few epochs.")
        for widget in (self.output, self.log):
            _monospace(widget)
        self.message = QLabel(objectName="generationMessage", wordWrap=True)
        self.message.setStyleSheet("color: #c0392b;")

        options = QHBoxLayout()
        for label, widget in (("Length", self.length), ("Temperature", self.temperature), ("Top-k", self.top_k)):
            options.addWidget(QLabel(label))
            options.addWidget(widget)
        options.addWidget(self.greedy)
        options.addStretch(1)
        grid = QGridLayout(self)
        grid.addWidget(self.prefix, 0, 0)
        grid.addWidget(self.button, 0, 1)
        grid.addLayout(options, 1, 0, 1, 2)
        grid.addWidget(self.message, 2, 0, 1, 2)
        grid.addWidget(self.output, 3, 0, 1, 2)
        grid.addWidget(QLabel("Samples during training"), 0, 2)
        grid.addWidget(self.log, 1, 2, 3, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)

        self.prefix.returnPressed.connect(self.request)
        self.button.clicked.connect(self.request)
        self.greedy.toggled.connect(self._on_greedy)
        self._on_greedy(True)

    @Slot(bool)
    def _on_greedy(self, greedy: bool) -> None:
        self.temperature.setEnabled(not greedy)
        self.top_k.setEnabled(not greedy)

    @Slot()
    def request(self) -> None:
        temperature = 0.0 if self.greedy.isChecked() else self.temperature.value()
        top_k = 0 if self.greedy.isChecked() else self.top_k.value()
        self.generate_requested.emit(self.prefix.text(), self.length.value(), temperature, top_k)

    def begin(self, shown_prefix: str, note: str = "") -> None:
        self.message.clear()
        self.output.setPlainText(note + shown_prefix)

    def append(self, text: str) -> None:
        cursor = self.output.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.output.setTextCursor(cursor)

    def show_error(self, message: str) -> None:
        self.message.setText(message)

    def log_sample(self, epoch: int, text: str) -> None:
        # An early model often writes only spaces: say so, or the line looks as if nothing came out.
        shown = text.rstrip()
        trailing = len(text) - len(shown)
        if trailing > 1:
            shown += f" [+{trailing} spaces]"
        self.log.appendPlainText(f"epoch {epoch}: {shown}")
