"""The influence triangle: row t is prediction t (the character after the t-th), column k an earlier state H_k.

Colour is log10 of ‖∂ log p / ∂H_k‖ on a perceptual map: bright near the diagonal (the
last few characters), fading to the left as the model forgets. Entries past t are
empty (the future cannot matter). The same drawing serves the window and
`gru-studio inspect --influence --png` (drawn offscreen).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPointF, Signal
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from gru_studio.engine.analysis.influence import Reach
from gru_studio.gui.common import theme
from gru_studio.gui.common.plot_menus import follow_language

FLOOR = -8.0  # log10 of the smallest influence drawn: below it, the map's darkest colour
MOST_TICKS = 60  # characters labelled along an axis; past that, every n-th
AXES = {
    "left": QT_TRANSLATE_NOOP("ReachMap", "prediction (the character after)"),
    "bottom": QT_TRANSLATE_NOOP("ReachMap", "earlier state H_k"),
    "bar": QT_TRANSLATE_NOOP("ReachMap", "log₁₀ influence"),
}


def log_influence(reach: Reach) -> np.ndarray:
    """(steps, rows) for the image, col-major as the heat strip's; entries past t are NaN (drawn empty)."""
    values = np.full(reach.influence.shape, np.nan)
    shown = reach.influence > 0
    values[shown] = np.maximum(np.log10(reach.influence[shown]), FLOOR)
    return values.T


def character_ticks(chars: str) -> list[tuple[float, str]]:
    every = max(1, -(-len(chars) // MOST_TICKS))
    return [(i + 0.5, "␣" if c == " " else c) for i, c in enumerate(chars) if i % every == 0]


class ReachMap(QWidget):
    """Emits `hovered(t)` for the prediction under the pointer (-1 when it leaves the map)."""

    hovered = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w", objectName="reachMap")
        follow_language(self.plot)
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.invertY(True)  # prediction 0 at the top, as a reader reads the probe
        item.setMouseEnabled(x=True, y=True)
        self.image = pg.ImageItem(axisOrder="col-major")
        item.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(FLOOR, 0), colorMap=pg.colormap.get("viridis"), interactive=False)
        self.bar.setImageItem(self.image, insert_in=item)
        theme.follow_plot(self.plot)  # background, axes, the colour bar's labels: in the theme's colours
        self.row = pg.LinearRegionItem(orientation="horizontal", movable=False, brush=(255, 80, 80, 60))
        self.row.setZValue(10)
        self.row.hide()
        item.addItem(self.row)
        self.reach: Reach | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse)
        self.retranslate()

    def retranslate(self) -> None:
        item = self.plot.getPlotItem()
        item.setLabel("left", self.tr(AXES["left"]))
        item.setLabel("bottom", self.tr(AXES["bottom"]))
        self.bar.setLabel("left", self.tr(AXES["bar"]))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_reach(self, reach: Reach) -> None:
        self.reach = reach
        self.image.setImage(log_influence(reach), levels=(FLOOR, 0))
        item = self.plot.getPlotItem()
        item.getAxis("bottom").setTicks([character_ticks(reach.text)])
        item.getAxis("left").setTicks([character_ticks(reach.text[1:])])  # row t predicts character t + 1
        self.plot.setRange(xRange=(0, len(reach.text)), yRange=(0, len(reach.text) - 1), padding=0)

    def clear(self) -> None:
        self.reach = None
        self.image.clear()
        self.row.hide()

    def highlight(self, t: int) -> None:
        """Mark prediction t's row; -1 takes the mark away."""
        if self.reach is None or not 0 <= t < self.reach.influence.shape[0]:
            self.row.hide()
            return
        self.row.setRegion((t, t + 1))
        self.row.show()

    def _on_mouse(self, position: QPointF) -> None:
        if self.reach is None or not self.plot.sceneBoundingRect().contains(position):
            self.hovered.emit(-1)
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(position)
        t, k = int(np.floor(point.y())), int(np.floor(point.x()))
        inside = 0 <= t < self.reach.influence.shape[0] and 0 <= k <= t
        self.hovered.emit(t if inside else -1)


def render_png(reach: Reach, path: str | Path) -> None:
    """The influence triangle as a PNG, drawn offscreen (`inspect --influence --png`); works without a display."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])  # noqa: F841  (kept alive while drawing)
    view = ReachMap()
    side = min(max(len(reach.text) * 8 + 160, 500), 2400)  # a few pixels a character, within reason
    view.resize(side, side - 60)
    view.show()
    view.show_reach(reach)
    QApplication.processEvents()
    view.grab().save(str(path))
    view.close()
    # Freed by Qt now, not later by Python's collector on whatever thread runs it then.
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
