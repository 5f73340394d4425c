"""The perplexity plot's legend, beside the plot rather than over it, and the one-line hover read-out.

Each drawn run has one entry: a box to tick, a swatch of its colour and a short
name ("#17 scratch GRU", or the name the user gave it); the whole description
is in the entry's tooltip. Clicking an entry hides or shows the run's curves.
The legend has a fixed width and scrolls when long, so however many runs are
drawn it never covers a curve nor widens the window; a name too long for it is
elided. The read-out line above the plot asks for no width at all, for the
same reason (issue 29, item 5: hovering once widened the window by 142 px).
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

LEGEND_CHARS = 22  # the legend's width, in average characters of its font: "#123 scratch GRU" and room to spare


class ElidedLabel(QLabel):
    """A one-line label that takes the width it is given and no more: a longer text ends in "…".

    text() stays the whole text (its tooltip too); only the painting is cut.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(text, parent, **kwargs)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().height() + 2)

    def sizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height() + 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), shown)


def swatch(colour: str, dim: bool = False, size: int = 14) -> QIcon:
    """A short thick line in the run's colour, as its curve is drawn (paler for a dimmed earlier run)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen_colour = QColor(colour)
    if dim:
        pen_colour.setAlpha(0x66)
    painter.setPen(QPen(pen_colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(2, size // 2, size - 2, size // 2)
    painter.end()
    return QIcon(pixmap)


class LegendEntry(QCheckBox):
    """One run's line in the legend: ticked while its curve is shown."""

    def __init__(self, key: Hashable, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="legendEntry")
        self.key = key
        self.name = ""  # the whole short name; text() may be elided
        self.colour = ""
        self.setChecked(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def show_name(self, width: int) -> None:
        room = width - self.iconSize().width() - self.style().pixelMetric(self.style().PixelMetric.PM_IndicatorWidth)
        shown = self.fontMetrics().elidedText(self.name, Qt.TextElideMode.ElideRight, max(room - 16, 20))
        self.setText(shown.replace("&", "&&"))  # a button's "&" marks a shortcut: a name's own is doubled


class RunLegend(QScrollArea):
    """The entries, one per drawn run, in the order they were drawn; scrolls when they outgrow it."""

    toggled = Signal(object, bool)  # the run's key, whether its curves are shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="plotLegend")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFixedWidth(self.fontMetrics().averageCharWidth() * LEGEND_CHARS + 40)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        inside = QWidget(objectName="plotLegendEntries")
        self._column = QVBoxLayout(inside)
        self._column.setContentsMargins(4, 4, 4, 4)
        self._column.setSpacing(2)
        self.key_note = QLabel(objectName="legendKey", wordWrap=True)  # "dashed: validation"
        self.key_note.setStyleSheet("color: palette(placeholder-text);")
        self.key_note.hide()
        self._column.addWidget(self.key_note)
        self._column.addStretch(1)
        self.setWidget(inside)
        self.entries: dict[Hashable, LegendEntry] = {}
        self.hide()  # until a run is drawn

    def set_entry(self, key: Hashable, name: str, tooltip: str, colour: str, dim: bool = False) -> LegendEntry:
        """Add the run's entry, or say it anew (its name, description or colour changed)."""
        entry = self.entries.get(key)
        if entry is None:
            entry = LegendEntry(key)
            entry.toggled.connect(lambda shown, key=key: self.toggled.emit(key, shown))
            self._column.insertWidget(len(self.entries), entry)
            self.entries[key] = entry
        if (colour, dim) != (entry.colour, entry.property("dim")):
            entry.colour = colour
            entry.setProperty("dim", dim)
            entry.setIcon(swatch(colour, dim))
        entry.name = name
        entry.setToolTip(tooltip)
        entry.show_name(self.viewport().width())
        self.setVisible(True)
        return entry

    def rekey(self, old: Hashable, new: Hashable) -> None:
        entry = self.entries.pop(old, None)
        if entry is not None:
            entry.key = new
            entry.toggled.disconnect()
            entry.toggled.connect(lambda shown, key=new: self.toggled.emit(key, shown))
            self.entries[new] = entry

    def remove(self, key: Hashable) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            # Hidden at once: deleteLater waits for the event loop, and until then the old entry
            # would still be drawn under the one that takes its place.
            entry.hide()
            self._column.removeWidget(entry)
            entry.deleteLater()
        self.setVisible(bool(self.entries))

    def set_key_note(self, text: str) -> None:
        """What the dashed lines are, under the entries; '' hides it."""
        self.key_note.setText(text)
        self.key_note.setVisible(bool(text))

    def names(self) -> list[str]:
        """Each entry's whole short name, top to bottom."""
        return [entry.name for entry in self.entries.values()]

    def tooltips(self) -> list[str]:
        return [entry.toolTip() for entry in self.entries.values()]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for entry in self.entries.values():
            entry.show_name(self.viewport().width())
