"""Which text to train on: the Time Machine, the bundled sample or a file; loaded off the GUI thread."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig
from gru_studio.engine.corpus import Corpus, load_corpus
from gru_studio.engine.errors import EncodingError
from gru_studio.gui.forms import editor_for, set_value, value_of
from gru_studio.gui.worker import Job

OPEN_FILE = "open"
BUILT_IN = {TIME_MACHINE: "The Time Machine (H. G. Wells)", SAMPLE: "Bundled sample story"}
FILE_FILTER = "Text files (*.txt *.md *.text *.py *.csv *.json *.html);;All files (*)"


class CorpusPanel(QGroupBox):
    """Emits `corpus_changed(Corpus | None)` when a load ends; shows problems where they happen."""

    corpus_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Corpus", parent)
        self.corpus: Corpus | None = None
        self.config = CorpusConfig()
        self._loading: Job | None = None
        self._pending: CorpusConfig | None = None

        self.picker = QComboBox(objectName="corpusPicker")
        self.picker.setToolTip("The text the model learns from. You can also drop a text file on the window.")
        for key, label in BUILT_IN.items():
            self.picker.addItem(label, key)
        self.picker.addItem("Open a text file…", OPEN_FILE)
        self.mode = editor_for(CorpusConfig, "mode", {"letters": "letters (the book's)", "raw": "raw characters"})
        self.mode.setObjectName("modePicker")
        self.info = QLabel(objectName="corpusInfo", wordWrap=True)
        self.message = QLabel(objectName="corpusMessage", wordWrap=True)
        self.message.setStyleSheet("color: #c0392b;")
        self.message.hide()
        self.reopen = QPushButton(objectName="reopenEncodingButton")
        self.reopen.setToolTip("Read the file again in the encoding it most likely uses")
        self.reopen.hide()
        self.reopen.clicked.connect(lambda: self.load(replace(self.config, encoding=self.reopen.property("encoding"))))
        self.preview = QPlainTextEdit(objectName="corpusPreview", readOnly=True)
        self.preview.setMaximumHeight(70)
        self.preview.setToolTip("The start of the text as the model sees it after preprocessing")

        form = QFormLayout()
        form.addRow("Text", self.picker)
        form.addRow("Characters", self.mode)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.message)
        layout.addWidget(self.reopen)
        layout.addWidget(self.preview)

        self.picker.activated.connect(self._on_picked)
        self.mode.currentIndexChanged.connect(lambda: self.load(replace(self.config, mode=value_of(self.mode))))

    # -- choosing -------------------------------------------------------------

    @Slot(int)
    def _on_picked(self, index: int) -> None:
        key = self.picker.itemData(index)
        if key == OPEN_FILE:
            self.open_file_dialog()
        else:
            self.select(key)

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a text file", str(Path.home()), FILE_FILTER)
        if path:
            self.select(path)
        else:
            self._show_source(self.config.source)  # back to what was chosen before

    def select(self, source: str, mode: str | None = None) -> None:
        """Load a built-in text by key, or a file by path."""
        self.load(replace(self.config, source=source, mode=mode or value_of(self.mode), encoding="utf-8"))

    def _show_source(self, source: str) -> None:
        index = self.picker.findData(source)
        if index < 0:
            self.picker.insertItem(self.picker.count() - 1, Path(source).name, source)
            index = self.picker.findData(source)
            self.picker.setItemData(index, source, 3)  # tooltip: the whole path
        self.picker.setCurrentIndex(index)

    # -- loading --------------------------------------------------------------

    def load(self, config: CorpusConfig) -> None:
        self.config = config
        self._show_source(config.source)
        self.mode.blockSignals(True)
        set_value(self.mode, config.mode)
        self.mode.blockSignals(False)
        if self.loading:
            self._pending = config  # load it when the current load ends
            return
        self.corpus = None
        self.info.setText("Loading…")
        self.message.hide()
        self.reopen.hide()
        self.corpus_changed.emit(None)
        self._loading = Job(lambda: _load_or_encoding_error(config), self._on_loaded, self._on_failed, self)
        self._loading.handle.finished.connect(self._on_load_finished)

    def adopt(self, corpus: Corpus, config: CorpusConfig) -> None:
        """Show a text that was loaded elsewhere (with a model opened from a file)."""
        self.config = config
        self._show_source(config.source)
        self.mode.blockSignals(True)
        set_value(self.mode, config.mode)
        self.mode.blockSignals(False)
        self._on_loaded(corpus)

    def _on_loaded(self, result: Corpus | EncodingError) -> None:
        if isinstance(result, EncodingError):
            self._on_failed(str(result))
            self.reopen.setText(f"Read it as {result.suggestion}")
            self.reopen.setProperty("encoding", result.suggestion)
            self.reopen.show()
            return
        corpus = result
        self.corpus = corpus
        self.message.hide()
        self.info.setText(
            f"{corpus.num_chars:,} characters → {len(corpus.tokens):,} tokens used · vocabulary of {len(corpus.vocab)}"
        )
        self.preview.setPlainText(corpus.preview(300))
        self.corpus_changed.emit(corpus)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.info.setText("")
        self.preview.clear()
        self.message.setText(message)
        self.message.show()
        self.corpus_changed.emit(None)

    @Slot()
    def _on_load_finished(self) -> None:
        if self._pending is not None:
            config, self._pending = self._pending, None
            # Later, not from inside the old handle's own signal, which load() replaces.
            QTimer.singleShot(0, lambda: self.load(config))

    @property
    def loading(self) -> bool:
        return self._loading is not None and self._loading.handle.running

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        self._pending = None
        return self._loading is None or self._loading.handle.wait(timeout_ms)


def _load_or_encoding_error(config: CorpusConfig) -> Corpus | EncodingError:
    """An encoding problem comes back as a value, so that the panel can offer the likely encoding."""
    try:
        return load_corpus(config)
    except EncodingError as exc:
        return exc
