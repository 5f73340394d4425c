"""What the perplexity plot says under the mouse: a line at the mouse's x and, with more than one
run drawn, a box of every drawn run's value there, each in its run's colour and short name.

Both are items of the plot's scene, so they can never resize a widget; they go as soon as the
mouse leaves the plot (or its view box), and are said anew, in the language of the moment,
when it comes back.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from gru_studio.gui.common.run_colours import LIGHT_PLOT, PlotStyle
from gru_studio.gui.training.plot_curves import RunCurves, Series

NEAR_SHARE = 0.03  # a run's point counts as under the mouse within 3 % of the plot's width (or one epoch)


def nearest(points: Series, x: float, by_time: bool, within: float = np.inf) -> int | None:
    """The index of the point nearest to x on the current axis, or None (none there, or none `within`)."""
    xs = points.times if by_time else points.epochs
    if not len(xs) or not np.isfinite(xs).any():
        return None
    i = int(np.nanargmin(np.abs(xs - x)))
    return i if abs(xs[i] - x) <= within else None


class Readout:
    """The cursor line and the box of values, on `plot`."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.style = LIGHT_PLOT
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.box = pg.TextItem(anchor=(0, 0))
        for item in (self.cursor, self.box):
            item.setZValue(100)
            item.hide()
            plot.addItem(item, ignoreBounds=True)
        self.set_style(LIGHT_PLOT)

    def set_style(self, style: PlotStyle) -> None:
        self.style = style
        self.cursor.setPen(pg.mkPen(style.cursor, width=1))
        self.box.setColor(style.readout_text)
        self.box.fill = pg.mkBrush(style.readout_fill)
        self.box.border = pg.mkPen(style.readout_border)

    def show(self, runs: list[RunCurves], x: float, y: float, by_time: bool) -> None:
        """Every run's value nearest to x, one line each, in its colour; nothing with fewer than two runs."""
        lines = []
        (left, right), (bottom, top) = self.plot.getViewBox().viewRange()
        # A run that ended (or diverged) well before x has no value there: it is left out, not shown
        # with its last epoch's.
        within = max(NEAR_SHARE * (right - left), 0.0 if by_time else 1.0)
        for run in runs if len(runs) > 1 else []:
            i = nearest(run.train_points, x, by_time, within)
            if i is None:
                continue
            value = run.train_points.smoothed[i]
            where = QCoreApplication.translate("PlotPanel", "epoch {0}").format(int(run.train_points.epochs[i]))
            lines.append(
                f'<span style="color:{run.colour}">■</span> {html.escape(run.name)}&nbsp;&nbsp;<b>{value:.3f}</b>'
                f'&nbsp;&nbsp;<span style="color:{self.style.readout_muted}">{where}</span>'
            )
        if not lines:
            self.hide()
            return
        self.box.setHtml('<div style="font-size:9pt">' + "<br>".join(lines) + "</div>")
        # At the mouse, as a tooltip, towards the middle of the plot so that it stays inside.
        self.box.setAnchor((0 if x < (left + right) / 2 else 1, 0 if y > (bottom + top) / 2 else 1))
        self.box.setPos(x, y)
        self.cursor.setPos(x)
        self.box.show()
        self.cursor.show()

    def hide(self) -> None:
        self.box.hide()
        self.cursor.hide()
        self.box.setHtml("")  # nothing left in a language the window has left

    @property
    def text(self) -> str:
        return self.box.textItem.toPlainText()
