"""Which text to train on: the Time Machine, the bundled sample or a file; loaded off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig
from gru_studio.engine.corpus import Corpus, load_corpus
from gru_studio.engine.errors import CorpusError, EncodingError
from gru_studio.gui.forms import editor_for, set_value, value_of
from gru_studio.gui.worker import Job

OPEN_FILE = "open"
BUILT_IN = {TIME_MACHINE: "The Time Machine (H. G. Wells)", SAMPLE: "Bundled sample story"}
FILE_FILTER = "Text files (*.txt *.md *.text *.py *.csv *.json *.html);;All files (*)"
LETTERS_NOTE = (
    "As in the book, every run of other characters becomes one space and line ends are dropped, "
    "so a word at the end of a line runs into the first word of the next."
)


@dataclass(frozen=True)
class TimeMachineMissing:
    """The Time Machine could not be found or downloaded; `message` says why and how to get it."""

    message: str


class CorpusPanel(QGroupBox):
    """Emits `corpus_changed(Corpus | None)` when a load ends; shows problems where they happen."""

    corpus_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Corpus", parent)
        self.corpus: Corpus | None = None
        self.config = CorpusConfig()
        self._loading: Job | None = None
        self._pending: CorpusConfig | None = None
        # True from load() until its result or error is shown. The job's thread
        # ends a little later than that, so its running state cannot say it.
        self.loading = False
        self._ticket = 0  # which load the panel waits for; results of older ones are dropped

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
        # Shown when the Time Machine could not be had and the sample stands in for it.
        self.fallback = QWidget(objectName="corpusFallback")
        self.fallback_note = QLabel(objectName="corpusFallbackNote", wordWrap=True)
        self.retry = QPushButton("Retry download", objectName="retryDownloadButton")
        self.retry.setToolTip("Look for The Time Machine again, and download it if this computer is online")
        self.pick_file = QPushButton("Open a text file…", objectName="fallbackOpenButton")
        fallback_layout = QVBoxLayout(self.fallback)
        fallback_layout.setContentsMargins(0, 0, 0, 0)
        fallback_layout.addWidget(self.fallback_note)
        fallback_buttons = QHBoxLayout()
        fallback_buttons.addWidget(self.retry)
        fallback_buttons.addWidget(self.pick_file)
        fallback_buttons.addStretch(1)
        fallback_layout.addLayout(fallback_buttons)
        self.fallback.hide()
        self.retry.clicked.connect(lambda: self.select(TIME_MACHINE))
        self.pick_file.clicked.connect(self.open_file_dialog)
        self.preview = QPlainTextEdit(objectName="corpusPreview", readOnly=True)
        self.preview.setMaximumHeight(70)
        self.preview.setToolTip("The start of the text as the model sees it after preprocessing")
        self.preview_note = QLabel(LETTERS_NOTE, objectName="previewNote", wordWrap=True)
        self.preview_note.setStyleSheet("color: palette(placeholder-text);")

        form = QFormLayout()
        form.addRow("Text", self.picker)
        form.addRow("Characters", self.mode)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.message)
        layout.addWidget(self.reopen)
        layout.addWidget(self.fallback)
        layout.addWidget(self.preview)
        layout.addWidget(self.preview_note)

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
        self._ticket += 1
        ticket = self._ticket
        self.loading = True
        self.corpus = None
        self.info.setText("Loading…")
        self.message.hide()
        self.reopen.hide()
        if config.source != SAMPLE:
            self.fallback.hide()  # it stays up while the sample stands in for the Time Machine
        self.corpus_changed.emit(None)
        if self._busy:
            self._pending = config  # load it when the current load's thread ends
            return
        self._loading = Job(
            lambda: _load_or_encoding_error(config),
            lambda result: self._on_loaded(result) if ticket == self._ticket else None,
            lambda message: self._on_failed(message) if ticket == self._ticket else None,
            self,
        )
        self._loading.handle.finished.connect(self._on_load_finished)

    def adopt(self, corpus: Corpus, config: CorpusConfig) -> None:
        """Show a text that was loaded elsewhere (with a model opened from a file)."""
        self.config = config
        self._show_source(config.source)
        self.mode.blockSignals(True)
        set_value(self.mode, config.mode)
        self.mode.blockSignals(False)
        self._ticket += 1  # what a load under way brings back is no longer wanted
        self._pending = None
        self._on_loaded(corpus)

    def _on_loaded(self, result: Corpus | EncodingError | TimeMachineMissing) -> None:
        self.loading = False
        if isinstance(result, TimeMachineMissing):
            self._fall_back_to_sample(result.message)
            return
        if isinstance(result, EncodingError):
            self._on_failed(str(result))
            self.reopen.setText(f"Read it as {result.suggestion}")
            self.reopen.setProperty("encoding", result.suggestion)
            self.reopen.show()
            return
        corpus = result
        self.corpus = corpus
        self.message.hide()
        self.preview_note.setVisible(corpus.mode == "letters")
        self.info.setText(
            f"{corpus.num_chars:,} characters → {len(corpus.tokens):,} tokens used · vocabulary of {len(corpus.vocab)}"
        )
        self.preview.setPlainText(corpus.preview(300))
        self.corpus_changed.emit(corpus)

    def _fall_back_to_sample(self, why: str) -> None:
        """Offline, or no copy yet: train on the bundled sample at once, and say how to get the book's text."""
        self.fallback_note.setText(
            "The Time Machine is not on this computer and could not be downloaded, "
            "so the bundled sample story is loaded instead."
        )
        self.fallback_note.setToolTip(why)
        self.fallback.show()
        self.select(SAMPLE)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.loading = False
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
    def _busy(self) -> bool:
        return self._loading is not None and self._loading.handle.running

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        self._pending = None
        return self._loading is None or self._loading.handle.wait(timeout_ms)


def _load_or_encoding_error(config: CorpusConfig) -> Corpus | EncodingError | TimeMachineMissing:
    """Problems the panel can offer a way out of come back as values: the likely encoding of a
    file, or the bundled sample when the Time Machine cannot be had."""
    try:
        return load_corpus(config)
    except EncodingError as exc:
        return exc
    except CorpusError as exc:
        if config.source == TIME_MACHINE:
            return TimeMachineMissing(str(exc))
        raise
