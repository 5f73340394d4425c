"""Type a prefix, press Enter, watch the model write; the trainer's samples are logged beside it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
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
from gru_studio.gui.common import theme
from gru_studio.gui.common.live_text import LiveText, render


def _monospace(widget: QWidget) -> None:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    widget.setFont(font)


class GenerationPanel(QGroupBox):
    """Emits `generate_requested` with the prefix and options; the window decides how."""

    generate_requested = Signal(str, int, float, int)  # prefix, length, temperature (0 = greedy), top-k

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefix = QLineEdit(BOOK_PREFIX, objectName="prefixInput")
        self.length = QSpinBox(objectName="lengthInput", minimum=1, maximum=100_000, value=200)
        self.greedy = QCheckBox(objectName="greedyToggle", checked=True)
        self.temperature = QDoubleSpinBox(objectName="temperatureInput", minimum=0.05, maximum=5.0, value=0.8)
        self.temperature.setSingleStep(0.1)
        self.top_k = QSpinBox(objectName="topKInput", minimum=0, maximum=10_000, value=0)
        self.button = QPushButton(objectName="generateButton")
        self.output = QPlainTextEdit(objectName="generationOutput", readOnly=True)
        self.log = QPlainTextEdit(objectName="sampleLog", readOnly=True)
        for widget in (self.output, self.log):
            _monospace(widget)
        # The log follows its newest line unless the user scrolled up to read an older one. Qt's own
        # following works only while the view is laid out at the bottom; a log filled out of sight (another
        # tab shown) or before its first layout stayed at the top (issue 29: epochs 10-40 shown at 271).
        self._follow = True
        bar = self.log.verticalScrollBar()
        bar.valueChanged.connect(self._on_log_scrolled)
        bar.rangeChanged.connect(self._on_log_grown)
        self.message = QLabel(objectName="generationMessage", wordWrap=True)
        theme.mark_error(self.message)
        self._message: LiveText = ""  # what the message was made from, rendered again on a change of language
        self.length_label, self.temperature_label, self.top_k_label = QLabel(), QLabel(), QLabel()
        # What the decoding choice means, always in view beside it: readers ask why greedy
        # output never changes, and why sampled output does.
        self.decoding_hint = QLabel(objectName="decodingHint", wordWrap=True)
        self.decoding_hint.setStyleSheet("color: palette(placeholder-text);")
        self.samples_label = QLabel()

        options = QHBoxLayout()
        for label, widget in (
            (self.length_label, self.length),
            (self.temperature_label, self.temperature),
            (self.top_k_label, self.top_k),
        ):
            options.addWidget(label)
            options.addWidget(widget)
        options.addWidget(self.greedy)
        options.addStretch(1)
        grid = QGridLayout(self)
        grid.addWidget(self.prefix, 0, 0)
        grid.addWidget(self.button, 0, 1)
        grid.addLayout(options, 1, 0, 1, 2)
        grid.addWidget(self.decoding_hint, 2, 0, 1, 2)
        grid.addWidget(self.message, 3, 0, 1, 2)
        grid.addWidget(self.output, 4, 0, 1, 2)
        grid.addWidget(self.samples_label, 0, 2)
        grid.addWidget(self.log, 1, 2, 4, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)

        self.prefix.returnPressed.connect(self.request)
        self.button.clicked.connect(self.request)
        self.greedy.toggled.connect(self._on_greedy)
        self._on_greedy(True)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Generate"))
        self.prefix.setPlaceholderText(self.tr("Type a prefix and press Enter"))
        self.prefix.setToolTip(self.tr("The model reads this, then continues it"))
        self.length.setToolTip(self.tr("Characters to generate"))
        self.greedy.setText(self.tr("Greedy"))
        self.greedy.setToolTip(self.tr("Always take the likeliest next character, as the book does"))
        self.temperature.setToolTip(self.tr("Below 1: safer choices; above 1: more surprising ones"))
        self.top_k.setSpecialValueText(self.tr("all"))
        self.top_k.setToolTip(self.tr("Sample only from the k likeliest characters"))
        self.button.setText(self.tr("Generate"))
        self.button.setToolTip(self.tr("Generate (Enter in the prefix field)"))
        self.output.setPlaceholderText(self.tr("Generated text appears here as it is written."))
        self.log.setPlaceholderText(self.tr("The trainer's sample predictions appear here every few epochs."))
        self.length_label.setText(self.tr("Length"))
        self.temperature_label.setText(self.tr("Temperature"))
        self.top_k_label.setText(self.tr("Top-k"))
        self.samples_label.setText(self.tr("Samples during training"))
        self.message.setText(render(self._message))
        self._show_decoding_hint()

    def _show_decoding_hint(self) -> None:
        if self.greedy.isChecked():
            self.decoding_hint.setText(
                self.tr("Greedy: always the likeliest character, so the same prefix always gives the same text.")
            )
        else:
            self.decoding_hint.setText(
                self.tr(
                    "Sampled: each character drawn at random by its probability, with a fresh random seed each "
                    "try, so the text changes every time; temperature and top-k shape the draw."
                )
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @Slot(bool)
    def _on_greedy(self, greedy: bool) -> None:
        self.temperature.setEnabled(not greedy)
        self.top_k.setEnabled(not greedy)
        self._show_decoding_hint()

    @Slot()
    def request(self) -> None:
        temperature = 0.0 if self.greedy.isChecked() else self.temperature.value()
        top_k = 0 if self.greedy.isChecked() else self.top_k.value()
        self.generate_requested.emit(self.prefix.text(), self.length.value(), temperature, top_k)

    def begin(self, shown_prefix: str, note: str = "") -> None:
        self.show_error("")
        self.output.setPlainText(note + shown_prefix)

    def append(self, text: str) -> None:
        cursor = self.output.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.output.setTextCursor(cursor)

    def show_error(self, message: LiveText) -> None:
        """An engine error (or a callable that calls tr()) is kept and shown again in a new language."""
        self._message = message
        self.message.setText(render(message))

    @Slot(int)
    def _on_log_scrolled(self, value: int) -> None:
        self._follow = value >= self.log.verticalScrollBar().maximum()

    @Slot(int, int)
    def _on_log_grown(self, _low: int, high: int) -> None:
        if self._follow:
            self.log.verticalScrollBar().setValue(high)

    def log_sample(self, epoch: int, text: str) -> None:
        # An early model often writes only spaces: say so, or the line looks as if nothing came out.
        shown = text.rstrip()
        trailing = len(text) - len(shown)
        if trailing > 1:
            shown += " " + self.tr("[+{count} spaces]").format(count=trailing)
        # Lines already in the log stay in the language they were written in: the log is a record.
        self.log.appendPlainText(self.tr("epoch {epoch}: {text}").format(epoch=epoch, text=shown))
