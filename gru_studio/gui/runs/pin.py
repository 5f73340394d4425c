"""The pin a pinned run shows beside its number: drawn here, so that no font needs an emoji for it."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

SIZE = 16
COLOUR = "#c0392b"  # a red map pin: it reads as "pinned" on light and dark rows alike


@cache
def pin_icon() -> QIcon:
    """A small push-pin: a round head and a needle (made once, after the application exists)."""
    pixmap = QPixmap(SIZE, SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#555555"), 1.6))
    painter.drawLine(QPointF(8, 8), QPointF(8, 15))  # the needle
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(COLOUR))
    painter.drawEllipse(QRectF(3, 1, 10, 8))  # the head
    painter.drawPolygon(QPolygonF([QPointF(5, 7), QPointF(11, 7), QPointF(8, 10)]))
    painter.end()
    return QIcon(pixmap)
