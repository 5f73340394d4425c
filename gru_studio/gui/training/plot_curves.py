"""The plot's data: a run's points in growing numpy buffers, smoothed as they come, and its curves.

A long run costs no more to redraw than a short one: each Series doubles its
buffers when full, so an append is amortised O(1) and touches nothing else,
and the curves receive views of the buffers (not copies) once per repaint.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

from gru_studio.engine.history.smoothing import Ema


class Series:
    """(epoch, value, time) points in numpy buffers that double in size when full,
    and the values smoothed as they come (when smoothing is on)."""

    def __init__(self, capacity: int = 256) -> None:
        self._epochs = np.empty(capacity)
        self._values = np.empty(capacity)
        self._times = np.empty(capacity)
        self._smoothed = np.empty(capacity)
        self._size = 0
        self._ema: Ema | None = None  # None: no smoothing
        self.stale = False  # appended to since its curve last received the buffers

    def __len__(self) -> int:
        return self._size

    def append(self, epoch: float, value: float, time: float | None = None) -> None:
        if self._size == len(self._epochs):
            # Doubling keeps the copying to at most one per point on average.
            self._epochs, self._values, self._times, self._smoothed = (
                np.concatenate([buffer, np.empty_like(buffer)])
                for buffer in (self._epochs, self._values, self._times, self._smoothed)
            )
        self._epochs[self._size] = epoch
        self._values[self._size] = value
        self._times[self._size] = np.nan if time is None else time
        if self._ema is not None:
            self._smoothed[self._size] = self._ema.add(value)
        self._size += 1
        self.stale = True

    def extend(self, epochs: np.ndarray, values: np.ndarray, times: np.ndarray) -> None:
        """Many points at once (a stored run's history)."""
        for epoch, value, time in zip(epochs.tolist(), values.tolist(), times.tolist(), strict=True):
            self.append(epoch, value, time)

    def smooth(self, weight: float) -> None:
        """Smooth every point so far with this weight (0: off), and the later ones as they come."""
        self._ema = None
        if weight > 0:
            average = Ema(weight)
            self._smoothed[: self._size] = [average.add(value) for value in self.values.tolist()]
            self._ema = average  # holds the running average, ready for the next point
        self.stale = True

    # Views of the filled part. A view handed to a curve stays valid: later points
    # are written past its end, and growing moves on to a new buffer, leaving the
    # old one to the views that still refer to it.
    @property
    def epochs(self) -> np.ndarray:
        return self._epochs[: self._size]

    @property
    def values(self) -> np.ndarray:
        return self._values[: self._size]

    @property
    def times(self) -> np.ndarray:
        """Training time at each point, in seconds (NaN where unknown, as in older files)."""
        return self._times[: self._size]

    @property
    def smoothed(self) -> np.ndarray:
        """The values smoothed, or the values themselves with smoothing off."""
        return self._smoothed[: self._size] if self._ema is not None else self.values


# The most of a run's own name the legend shows; a longer one ends with an ellipsis.
LEGEND_NAME_CHARS = 60


def legend_text(label: str) -> str:
    """A run's name as the legend's HTML: at most LEGEND_NAME_CHARS characters of it, escaped."""
    if len(label) > LEGEND_NAME_CHARS:
        label = label[: LEGEND_NAME_CHARS - 1].rstrip() + "…"
    return html.escape(label, quote=False)


@dataclass
class RunCurves:
    number: int  # counts every run begun in this panel, so no two runs share a legend name; a stored run's id
    # What the caller called the run: text, or a function that says it in the language of the moment.
    label: str | Callable[[], str]
    colour: str
    train: pg.PlotDataItem  # the curve the legend names: the points, smoothed when smoothing is on
    val: pg.PlotDataItem
    train_raw: pg.PlotDataItem  # the raw points, faint behind the smoothed curve; empty while smoothing is off
    val_raw: pg.PlotDataItem
    train_points: Series = field(default_factory=Series)
    val_points: Series = field(default_factory=Series)
    stored: bool = False  # a run from the run store, overlaid, rather than one trained in this window
    segment_start: int = 0  # the model's epoch when the run now adding points started
    time_offset: float = 0.0  # training time before that run, added to its events' times
    store_id: int | None = None  # a window run's id in the run store, once recorded
    spanned: bool = False  # its legend name ends with the epochs it covered (once a later run began)

    @property
    def name(self) -> str:
        """The legend's name, in the window's language at the time it is asked for.

        Markup: the legend draws HTML, so the run's own name is escaped (a name
        `<b>` stays those three characters) and cut to LEGEND_NAME_CHARS (a 100 kB
        name once made the legend 759,447 px wide).
        """
        label = legend_text(self.label() if callable(self.label) else self.label)
        if self.stored:
            return f"#{self.number} {label}"
        number = QCoreApplication.translate("RunCurves", "run {0}").format(self.number)
        if self.store_id is not None:
            number += f" (#{self.store_id})"
        if not label:
            return number
        # Through the catalogue for the colon alone: Chinese writes a full-width one.
        return QCoreApplication.translate("RunCurves", "{0}: {1}").format(number, label)

    def items(self) -> tuple[pg.PlotDataItem, ...]:
        return self.train, self.val, self.train_raw, self.val_raw

    @property
    def epochs(self) -> np.ndarray:
        return self.train_points.epochs

    @property
    def perplexity(self) -> np.ndarray:
        return self.train_points.values

    @property
    def val_epochs(self) -> np.ndarray:
        return self.val_points.epochs

    @property
    def val_perplexity(self) -> np.ndarray:
        return self.val_points.values

    def curves(self) -> tuple[tuple[Series, pg.PlotDataItem, pg.PlotDataItem], ...]:
        return (self.train_points, self.train, self.train_raw), (self.val_points, self.val, self.val_raw)


class EpochAxis(pg.AxisItem):
    """An axis of whole epochs: no tick at epoch 2.5 when a run is short (in epochs mode)."""

    whole = True  # False: an ordinary axis, for the training time

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        if not self.whole:
            return super().tickValues(minVal, maxVal, size)
        levels = [
            (spacing, [v for v in values if float(v).is_integer()])
            for spacing, values in super().tickValues(minVal, maxVal, size)
            if spacing >= 1
        ]
        return levels or [(1.0, [float(v) for v in range(int(np.ceil(minVal)), int(maxVal) + 1)])]
