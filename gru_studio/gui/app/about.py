"""Help ▸ About GRU Studio."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from gru_studio import __version__


def show_about(parent: QWidget) -> None:
    # Kept under the window's context in the catalogue, where these texts have always been.
    title = QCoreApplication.translate("MainWindow", "About GRU Studio")
    text = QCoreApplication.translate(
        "MainWindow",
        "<b>GRU Studio {0}</b><p>Train gated recurrent unit language models, watch "
        "perplexity fall and see what they write. After the GRU chapter of "
        "<i>Dive into Deep Learning</i>.</p>",
    )
    QMessageBox.about(parent, title, text.format(__version__))
