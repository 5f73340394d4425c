"""The heat strip: one row per hidden unit, one column per character of the probe text.

Columns run along the text, the characters written under them; rows are the
units, by index or by variance. Colours have fixed levels from the engine's
SIGNAL_RANGE (0..1 for the gates, -1..1 for H and H̃), so that two traces,
or two signals, read alike. The image is one pyqtgraph ImageItem: a redraw of
2,000 characters by 256 units is one array handed to it (docs/results.md).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QVBoxLayout, QWidget

from gru_studio.engine.analysis.inside import SIGNAL_RANGE, Trace, variance_order
from gru_studio.gui.common import theme
from gru_studio.gui.common.plot_menus import follow_language

# Marked for the catalogue here, translated where shown (signal_label()).
SIGNAL_LABELS = {
    "z": QT_TRANSLATE_NOOP("HeatStrip", "Z: update gate"),
    "r": QT_TRANSLATE_NOOP("HeatStrip", "R: reset gate"),
    "h_tilde": QT_TRANSLATE_NOOP("HeatStrip", "H̃: candidate state"),
    "h": QT_TRANSLATE_NOOP("HeatStrip", "H: hidden state"),
}
# Diverging for the states (sign matters: blue below zero, red above), sequential for the gates.
COLOUR_MAPS = {"z": "viridis", "r": "viridis", "h_tilde": "CET-D1", "h": "CET-D1"}
# Characters that would be invisible under a column.
VISIBLE = {" ": "·", "\n": "↵", "\t": "→"}
COLUMN_PX = 9  # the narrowest column a character label fits under
HIGHLIGHT = "#e74c3c"
# The hovered column's outline: white on the gates' dark colour map, near-black on the states' light middle.
COLUMN_OUTLINE = {"z": "#ffffff", "r": "#ffffff", "h_tilde": "#222222", "h": "#222222"}
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)  # a label every n cells


def visible(char: str) -> str:
    return VISIBLE.get(char, char)


def signal_label(signal: str) -> str:
    """The name of a signal ("H: hidden state") in the window's language."""
    return QCoreApplication.translate("HeatStrip", SIGNAL_LABELS[signal])


def colour_map(signal: str) -> pg.ColorMap:
    return pg.colormap.get(COLOUR_MAPS[signal])


class LabelAxis(pg.AxisItem):
    """An axis naming each cell (a character, a unit number), thinned out to what fits.

    Cell i spans [i, i + 1], so its label sits at i + 0.5. Only the labels of
    the cells in view are made, however long the text is.
    """

    def __init__(self, orientation: str, min_px: float) -> None:
        super().__init__(orientation)
        # The last cell's label may poke a pixel past the axis's end; pyqtgraph would drop it.
        self.setStyle(hideOverlappingLabels=False)
        self.setTextPen("#222222")  # the characters are content, not decoration: darker than pyqtgraph's grey
        self.labels: list[str] = []
        self._min_px = min_px

    def set_labels(self, labels: list[str]) -> None:
        self.labels = labels
        self.picture = None  # pyqtgraph's cached drawing of the ticks
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        minVal, maxVal = sorted((minVal, maxVal))  # an inverted axis (units top down) gives them reversed
        if not self.labels or maxVal <= minVal or size <= 0:
            return []
        px_per_cell = size / (maxVal - minVal)
        needed = self._min_px / px_per_cell  # cells per label, at the least
        every = next(n for n in NICE_STEPS if n >= needed) if needed <= NICE_STEPS[-1] else math.ceil(needed)
        first = max(0, math.floor(minVal))
        first -= first % every
        last = min(len(self.labels) - 1, math.ceil(maxVal))
        return [(float(every), [i + 0.5 for i in range(first, last + 1, every)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) else "" for v in values]


class HeatStrip(QWidget):
    """Emits `hovered(step)` as the mouse moves over a column (-1 off the image) and `unit_clicked(unit)`."""

    hovered = Signal(int)
    unit_clicked = Signal(int)
    step_clicked = Signal(int)  # the column clicked: the character the equations show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chars = LabelAxis("bottom", COLUMN_PX)
        self.units = LabelAxis("left", 14)
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": self.chars, "left": self.units})
        # Unit numbers and characters are names, not quantities: no "(x0.001)" scale when the strip is empty.
        for axis in (self.chars, self.units):
            axis.enableAutoSIPrefix(False)
        self.plot.setObjectName("heatStrip")
        follow_language(self.plot)  # its right-click menu follows the window's language
        item = self.plot.getPlotItem()
        item.hideButtons()
        # Room above the first row: its unit number is centred on the row, half of it above the image,
        # and without the margin that half was cut off (issue 29).
        item.setContentsMargins(0, 8, 0, 0)
        self.view = item.getViewBox()
        self.view.invertY(True)  # unit 0 (or the most variable unit) on top
        self.view.setMouseEnabled(x=True, y=True)
        self.image = pg.ImageItem(axisOrder="col-major")  # data[step, row]: x is the step
        item.addItem(self.image)
        self.bar = pg.ColorBarItem(values=(0.0, 1.0), width=14, interactive=False, colorMapMenu=False)
        self.bar.setImageItem(self.image, insert_in=item)
        theme.follow_plot(self.plot)  # background, axes, the colour bar's labels: in the theme's colours
        self.row_box = self._outline(HIGHLIGHT)
        self.column_box = self._outline(COLUMN_OUTLINE["h"])
        self.step_box = self._outline("#000000")  # the character the equations show
        self.step = -1
        self.trace: Trace | None = None
        self.signal = "h"
        self.order = np.arange(0)  # row -> unit
        self.values = np.zeros((0, 0), np.float32)  # (steps, rows) as drawn
        self.unit = -1  # the unit outlined, or -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self.hover_at)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.retranslate()

    def retranslate(self) -> None:
        self.plot.setLabel("left", self.tr("unit"))
        self.plot.setAccessibleName(self.tr("Heat strip: a row per unit, a column per character"))
        self.plot.setAccessibleDescription(self.tr("The arrow keys move the selected cell."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _outline(self, colour: str) -> QGraphicsRectItem:
        box = QGraphicsRectItem()
        pen = QPen(QColor(colour))
        pen.setCosmetic(True)  # the same width in pixels at any zoom
        pen.setWidth(2)
        box.setPen(pen)
        box.setZValue(10)
        box.hide()
        self.view.addItem(box)
        return box

    # -- what is drawn ------------------------------------------------------------

    def show_trace(self, trace: Trace, signal: str, order: str = "index", columns: int | None = None) -> None:
        """Draw `signal` of `trace`, rows by unit index or by variance; `columns`: how many to show at first."""
        first = self.trace is None or trace.chars != self.trace.chars
        self.trace = trace
        self.set_view(signal, order)
        if first:
            steps, units = self.values.shape
            shown = steps if columns is None else max(1, min(steps, columns))
            self.view.setLimits(xMin=0, xMax=max(steps, 1), yMin=0, yMax=max(units, 1))
            self.view.setRange(QRectF(0, 0, shown, units), padding=0)

    def set_view(self, signal: str, order: str) -> None:
        """Redraw with another signal or row order; the text and the zoom stay."""
        if self.trace is None:
            return
        values = self.trace.signal(signal)
        self.signal = signal
        self.order = variance_order(values) if order == "variance" else np.arange(values.shape[1])
        self.values = values[:, self.order]
        low, high = SIGNAL_RANGE[signal]
        self.bar.setColorMap(colour_map(signal))
        pen = self.column_box.pen()
        pen.setColor(QColor(COLUMN_OUTLINE[signal]))
        self.column_box.setPen(pen)
        self.bar.setLevels(values=(low, high))
        self.image.setImage(self.values, autoLevels=False, levels=(low, high))
        self.image.setRect(QRectF(0, 0, *self.values.shape))
        self.chars.set_labels([visible(c) for c in self.trace.chars])
        self.units.set_labels([str(unit) for unit in self.order])
        self.select_unit(self.unit)

    def fitting_columns(self) -> int:
        """How many columns fit with a character under each, at the strip's present width."""
        # A little spare: the view narrows a few pixels once the unit numbers are laid out.
        return max(1, int(self.view.width() // (COLUMN_PX + 1)))

    def select_unit(self, unit: int) -> None:
        """Outline the row of `unit` (-1: none)."""
        self.unit = unit
        rows = np.flatnonzero(self.order == unit)
        if not len(rows):
            self.row_box.hide()
            return
        self.row_box.setRect(QRectF(0, float(rows[0]), self.values.shape[0], 1))
        self.row_box.show()

    def clear(self) -> None:
        self.trace = None
        self.values = np.zeros((0, 0), np.float32)
        self.order = np.arange(0)
        self.image.clear()
        self.chars.set_labels([])
        self.units.set_labels([])
        self.row_box.hide()
        self.column_box.hide()
        self.step_box.hide()

    # -- the mouse --------------------------------------------------------------------

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(step, row) under a scene position, or None off the image."""
        if self.trace is None or not self.view.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.view.mapSceneToView(scene_pos)
        step, row = math.floor(point.x()), math.floor(point.y())
        steps, rows = self.values.shape
        return (step, row) if 0 <= step < steps and 0 <= row < rows else None

    def scene_position(self, step: int, row: int) -> QPointF:
        """The scene position of a cell's centre (for tests and for pointing at cells)."""
        return self.view.mapViewToScene(QPointF(step + 0.5, row + 0.5))

    @Slot(QPointF)
    def hover_at(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is None:
            self.column_box.hide()
            self.hovered.emit(-1)
            return
        self.column_box.setRect(QRectF(cell[0], 0, 1, self.values.shape[1]))
        self.column_box.show()
        self.hovered.emit(cell[0])

    def click_at(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is not None:
            unit = int(self.order[cell[1]])
            self.select_unit(unit)
            self.unit_clicked.emit(unit)
            self.select_step(cell[0])
            self.step_clicked.emit(cell[0])

    def select_step(self, step: int) -> None:
        """Mark column `step` as the one the equations show (-1: none), scrolled into view."""
        self.step = step
        if self.trace is None or not 0 <= step < self.values.shape[0]:
            self.step_box.hide()
            return
        self.step_box.setRect(QRectF(step, 0, 1, self.values.shape[1]))
        self.step_box.show()
        left, right = self.view.viewRange()[0]
        if not left <= step < right - 1:  # follow the cursor when stepping past the edge
            width = right - left
            self.view.setXRange(max(0.0, step - width / 2), max(0.0, step - width / 2) + width, padding=0)

    @Slot(object)
    def _on_click(self, event: object) -> None:
        self.click_at(event.scenePos())  # a pyqtgraph MouseClickEvent

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The arrow keys move the selected cell, as a click does: ← → the character, ↑ ↓ the unit's row."""
        steps, rows = self.values.shape
        key, arrows = event.key(), (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
        if self.trace is None or key not in arrows or not steps or not rows:
            super().keyPressEvent(event)
            return
        row = int(np.flatnonzero(self.order == self.unit)[0]) if self.unit in self.order else -1
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = min(max(self.step + (1 if key == Qt.Key.Key_Right else -1), 0), steps - 1)
            self.select_step(step)
            self.step_clicked.emit(step)
        else:
            row = min(max(row + (1 if key == Qt.Key.Key_Down else -1), 0), rows - 1)
            self.select_unit(int(self.order[row]))
            self.unit_clicked.emit(int(self.order[row]))
        step, row = max(self.step, 0), max(row, 0)
        self.plot.setAccessibleDescription(  # what a screen reader says of the cell now selected
            self.tr("unit {0}, character {1} ({2}): {3}").format(
                int(self.order[row]), step + 1, visible(self.trace.chars[step]), f"{self.values[step, row]:.2f}"
            )
        )


def render_png(trace: Trace, signal: str, path: str | Path, order: str = "index") -> None:
    """Draw the heat strip of a trace, all columns, into a PNG file; works without a display."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])  # noqa: F841  (kept alive while drawing)
    strip = HeatStrip()
    steps, units = trace.signal(signal).shape
    # Wide enough for a label under every column up to 400 characters; longer texts thin the labels out.
    strip.resize(min(max(steps * (COLUMN_PX + 2) + 140, 500), 4000), min(max(units * 3, 240), 1000))
    strip.plot.setTitle(signal_label(signal), color="#333333")  # a file has no picker to say what it shows
    strip.show()
    strip.show_trace(trace, signal, order)
    QApplication.processEvents()
    strip.grab().save(str(path))
    strip.close()
    # Freed by Qt now, not later by Python's collector on whatever thread runs it then.
    strip.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
