"""What the main window remembers between sessions (geometry, settings, text, plot and table views)
in its QSettings, and how it reads them back without ever failing to open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QTimer

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, usable_values
from gru_studio.gui.common.geometry import fit_to_screen
from gru_studio.gui.common.live_text import LiveText

if TYPE_CHECKING:
    from gru_studio.gui.app.main_window import MainWindow


def restore(window: MainWindow) -> LiveText:
    """Put back what was remembered; returns a note for the status bar ("" when all was usable)."""
    s = window.settings
    geometry = s.value("window/geometry")
    restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
    window.setProperty("geometryRestored", restored)
    fit_to_screen(window)
    window.plot.restore_view(s.value("plot/view"))
    window.runs.restore_view({"only_differing": s.value("runs/only_differing", "false")})
    note: LiveText = ""
    values = s.value("training/values")
    if isinstance(values, dict):
        # A stored value out of range (an edited settings file, another version)
        # keeps its default and is named; it must never stop the window opening.
        values, refused = usable_values(values, CorpusConfig, ModelConfig, TrainConfig)
        if refused:
            names = ", ".join(refused)
            note = lambda: QCoreApplication.translate(  # noqa: E731  (said again in a new language)
                "MainWindow", "Some remembered settings could not be used and are back to their defaults: {0}."
            ).format(names)
        device = values.pop("device", None)
        window.settings_panel.set_values(values)
        if device is not None:
            window.settings_panel.choose_device(str(device))
        preset = s.value("training/preset")
        if preset:
            window.settings_panel.show_preset(str(preset))
    source = s.value("corpus/source", "timemachine")
    mode = s.value("corpus/mode", "letters")
    # Load after the window exists, so that a slow load never delays its first paint.
    QTimer.singleShot(0, lambda: window.corpus_panel.select(str(source), str(mode)))
    return note


def save(window: MainWindow) -> None:
    s = window.settings
    s.setValue("window/geometry", window.saveGeometry())
    # During a sweep the panel shows the run under way, not the user's settings: quitting then saved
    # the sweep's "update gate only", while the sweep's end put "full" back in the closing window (issue 29).
    s.setValue("training/values", {**window.settings_panel.values(), **window.sweep.runner.own_values})
    s.setValue("training/preset", window.settings_panel.preset_name())
    s.setValue("corpus/source", window.corpus_panel.config.source)
    s.setValue("corpus/mode", window.corpus_panel.config.mode)
    s.setValue("plot/view", window.plot.view_state())
    s.setValue("runs/only_differing", window.runs.view_state()["only_differing"])
    s.sync()
