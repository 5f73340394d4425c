"""Which text to train on: the Time Machine, the bundled sample or a file; loaded off the GUI thread."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig
from gru_studio.engine.errors import EncodingError, GruStudioError
from gru_studio.engine.text.corpus import Corpus, load_corpus
from gru_studio.gui.common import file_dialogs, theme
from gru_studio.gui.common.forms import editor_for, retranslate_editor, set_value, value_of
from gru_studio.gui.common.live_text import LiveText, render
from gru_studio.gui.common.worker import Job

OPEN_FILE = "open"
# Marked for the catalogue here, translated where shown (CorpusPanel.tr: the context is the class name).
BUILT_IN = {
    TIME_MACHINE: QT_TRANSLATE_NOOP("CorpusPanel", "The Time Machine (H. G. Wells)"),
    SAMPLE: QT_TRANSLATE_NOOP("CorpusPanel", "Bundled sample story"),
}
MODE_LABELS = {
    "letters": QT_TRANSLATE_NOOP("CorpusPanel", "letters (the book's)"),
    "raw": QT_TRANSLATE_NOOP("CorpusPanel", "raw characters"),
}
# The patterns stay out of the translated names, so that no translation can break them.
TEXT_PATTERNS = "*.txt *.md *.text *.py *.csv *.json *.html"


class CorpusPanel(QGroupBox):
    """Emits `corpus_changed(Corpus | None)` when a load ends; shows problems where they happen."""

    corpus_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.corpus: Corpus | None = None
        self.config = CorpusConfig()
        self._loading: Job | None = None
        self._pending: CorpusConfig | None = None
        # True from load() until its result or error is shown. The job's thread
        # ends a little later than that, so its running state cannot say it.
        self.loading = False
        self._ticket = 0  # which load the panel waits for; results of older ones are dropped
        # What the red message was made from (an engine error, usually), so that a
        # change of language shows it in the new one.
        self._message: LiveText = ""

        self.picker = QComboBox(objectName="corpusPicker")
        for key in BUILT_IN:
            self.picker.addItem("", key)
        self.picker.addItem("", OPEN_FILE)
        self.mode = editor_for(CorpusConfig, "mode", self._mode_labels())
        self.mode.setObjectName("modePicker")
        self.info = QLabel(objectName="corpusInfo", wordWrap=True)
        self.message = QLabel(objectName="corpusMessage", wordWrap=True)
        theme.mark_error(self.message)
        self.message.hide()
        self.reopen = QPushButton(objectName="reopenEncodingButton")
        self.reopen.hide()
        self.reopen.clicked.connect(lambda: self.load(replace(self.config, encoding=self.reopen.property("encoding"))))
        self.preview = QPlainTextEdit(objectName="corpusPreview", readOnly=True)
        self.preview.setMaximumHeight(70)
        self.preview_note = QLabel(objectName="previewNote", wordWrap=True)
        self.preview_note.setStyleSheet("color: palette(placeholder-text);")

        self.picker_label, self.mode_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.picker_label, self.picker)
        form.addRow(self.mode_label, self.mode)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.message)
        layout.addWidget(self.reopen)
        layout.addWidget(self.preview)
        layout.addWidget(self.preview_note)

        self.picker.activated.connect(self._on_picked)
        self.mode.currentIndexChanged.connect(lambda: self.load(replace(self.config, mode=value_of(self.mode))))
        self.retranslate()

    def _mode_labels(self) -> dict[str, str]:
        return {key: self.tr(label) for key, label in MODE_LABELS.items()}

    def retranslate(self) -> None:
        self.setTitle(self.tr("Corpus"))
        self.picker.setToolTip(self.tr("The text the model learns from. You can also drop a text file on the window."))
        for index in range(self.picker.count()):
            key = self.picker.itemData(index)
            if key in BUILT_IN:
                self.picker.setItemText(index, self.tr(BUILT_IN[key]))
            elif key == OPEN_FILE:
                self.picker.setItemText(index, self.tr("Open a text file…"))
            # Files the user opened keep their names.
        retranslate_editor(self.mode, CorpusConfig, "mode", self._mode_labels())
        self.picker_label.setText(self.tr("Text"))
        self.mode_label.setText(self.tr("Characters"))
        self.reopen.setToolTip(self.tr("Read the file again in the encoding it most likely uses"))
        encoding = self.reopen.property("encoding")
        self.reopen.setText(self.tr("Read it as {encoding}").format(encoding=encoding) if encoding else "")
        self.preview.setToolTip(self.tr("The start of the text as the model sees it after preprocessing"))
        self.preview_note.setText(
            self.tr(
                "As in the book, every run of other characters becomes one space and line ends are dropped, "
                "so a word at the end of a line runs into the first word of the next."
            )
        )
        self.message.setText(render(self._message))
        self._show_info()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _show_info(self) -> None:
        """The line under the pickers, from the panel's state: loading, the text's counts, or nothing."""
        corpus = self.corpus
        if self.loading:
            self.info.setText(self.tr("Loading…"))
        elif corpus is not None:
            self.info.setText(
                self.tr("{chars} characters → {tokens} tokens used · vocabulary of {vocab}").format(
                    chars=f"{corpus.num_chars:,}", tokens=f"{len(corpus.tokens):,}", vocab=len(corpus.vocab)
                )
            )
        else:
            self.info.setText("")

    # -- choosing -------------------------------------------------------------

    @Slot(int)
    def _on_picked(self, index: int) -> None:
        key = self.picker.itemData(index)
        if key == OPEN_FILE:
            self.open_file_dialog()
        else:
            self.select(key)

    def open_file_dialog(self) -> None:
        text_files = self.tr("Text files ({patterns})").format(patterns=TEXT_PATTERNS)
        file_filter = text_files + ";;" + self.tr("All files (*)")
        path = file_dialogs.open_file_name(self, self.tr("Open a text file"), file_filter)
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
        self._show_info()
        self.message.hide()
        self.reopen.hide()
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

    def _on_loaded(self, result: Corpus | GruStudioError) -> None:
        self.loading = False
        if isinstance(result, GruStudioError):
            self._on_failed(result)
            if isinstance(result, EncodingError):
                self.reopen.setProperty("encoding", result.suggestion)
                self.reopen.setText(self.tr("Read it as {encoding}").format(encoding=result.suggestion))
                self.reopen.show()
            return
        corpus = result
        self.corpus = corpus
        self.message.hide()
        self.preview_note.setVisible(corpus.mode == "letters")
        self._show_info()
        self.preview.setPlainText(corpus.preview(300))
        self.corpus_changed.emit(corpus)

    def _on_failed(self, message: LiveText) -> None:
        """`message`: an engine error (kept, and shown again in a new language) or a worker's text."""
        self.loading = False
        self.preview.clear()
        self._message = message
        self.message.setText(render(message))
        self._show_info()
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


def _load_or_encoding_error(config: CorpusConfig) -> Corpus | GruStudioError:
    """The user's problems come back as values, not as the worker's English text: the panel
    renders them in the window's language, again when it changes, and offers a way out where
    there is one: the likely encoding of a file."""
    try:
        return load_corpus(config)
    except GruStudioError as exc:
        return exc
