"""The plot's data: a run's points in growing numpy buffers, smoothed as they come, and its curves.

A long run costs no more to redraw than a short one: each Series doubles its
buffers when full, so an append is amortised O(1) and touches nothing else,
and the curves receive views of the buffers (not copies) once per repaint.
"""

from __future__ import annotations

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


# The most of a run's own name the legend keeps (the legend elides it further to its width; the
# tooltip has this much): a 100 kB name once made the old in-plot legend 759,447 px wide.
LEGEND_NAME_CHARS = 60


def legend_text(label: str) -> str:
    """A run's name for the legend: at most LEGEND_NAME_CHARS characters of it, as plain text."""
    if len(label) > LEGEND_NAME_CHARS:
        label = label[: LEGEND_NAME_CHARS - 1].rstrip() + "…"
    return label


def said(text: str | Callable[[], str]) -> str:
    return text() if callable(text) else text


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
    # The legend's short name after the number: the model's short name ("scratch GRU"), or the name
    # the user gave the run; '' for the label itself.
    short: str | Callable[[], str] = ""
    key: object = None  # what the run's colour and legend entry are held under: its store id once known
    ticked: bool = False  # a window run ticked in the Runs tab: it stays drawn when the next run begins
    shown: bool = True  # its legend entry is ticked (the user can hide a curve there)
    dim: bool = False  # an earlier run of this window, kept drawn, pale

    @property
    def name(self) -> str:
        """The legend's short name, in the window's language at the time it is asked for:
        "#17 scratch GRU" for a recorded run, "run 2: scratch GRU" for one not (yet) recorded."""
        short = legend_text(said(self.short) or said(self.label))
        if self.stored or self.store_id is not None:
            number = f"#{self.number if self.stored else self.store_id}"
            return f"{number} {short}" if short else number
        number = QCoreApplication.translate("RunCurves", "run {0}").format(self.number)
        # Through the catalogue for the colon alone: Chinese writes a full-width one.
        return QCoreApplication.translate("RunCurves", "{0}: {1}").format(number, short) if short else number

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


FAINT = "40"  # the alpha of a raw curve behind its smoothed one


def set_pens(run: RunCurves, dim: bool) -> None:
    """Full colour, or dimmed for an earlier run; thinner for a stored run; the raw curves faint."""
    colour = run.colour + ("55" if dim else "")
    width = 1.5 if dim or run.stored else 2.5
    dash = pg.QtCore.Qt.DashLine
    run.train.setPen(pg.mkPen(colour, width=width))
    run.val.setPen(pg.mkPen(colour, width=1.5 if dim or run.stored else 2.0, style=dash))
    run.train_raw.setPen(pg.mkPen(run.colour + FAINT, width=1))
    run.val_raw.setPen(pg.mkPen(run.colour + FAINT, width=1, style=dash))
    for raw in (run.train_raw, run.val_raw):
        raw.setZValue(-1)  # behind every smoothed curve
    run.dim = dim


def new_curve(plot: pg.PlotWidget) -> pg.PlotDataItem:
    """An empty curve that stays cheap to draw however long the run grows.

    It draws only what is in view (which is all of it until the user zooms in),
    and at most one (highest, lowest) pair of points per pixel column: that pair
    is all a column can show, so no spike is lost. pyqtgraph's default of five
    pairs per column spent 4 ms of a 10 ms redraw at 100,000 epochs on the pen.
    """
    curve = plot.plot([], [], autoDownsampleFactor=1.0)
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    return curve


class FocusViewBox(pg.ViewBox):
    """A view box whose automatic y range is the panel's robust one (the x range stays pyqtgraph's):
    fitting the view, the "A" button and a new point all use it."""

    def __init__(self, y_range: Callable[[], tuple[float, float] | None]) -> None:
        super().__init__()
        self._y_range = y_range

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):
        bounds = super().childrenBounds(frac=frac, orthoRange=orthoRange, items=items)
        if items is None:
            y = self._y_range()
            if y is not None:
                bounds[1] = list(y)
        return bounds


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


# The y range: what a run's "later epochs" are, how much of their top is a spike, and when a run has diverged.
LATER_SHARE = 0.75  # the last three quarters of a run: its first epochs fall from the vocabulary size
TOP_PERCENTILE = 98.0  # the highest 2 % of those points (spikes) may leave the top of the plot
DIVERGED_RATIO = 30.0  # a run whose typical later value is 30x the best run's has diverged
# ... or 1.5x the uniform guess (the vocabulary size): a model worse than guessing every character alike has
# learned nothing, and a fresh one starts at about that guess (on a short text the best run may be at 13,
# and a diverged one at 152 is then only 12 times worse).
WORSE_THAN_GUESSING = 1.5
MOST_POINTS = 20_000  # a longer run is read at every k-th point for its range: the paint stays cheap


def run_extent(series: list[np.ndarray]) -> tuple[float, float, float] | None:
    """(lowest point, typical later value, top of the later values) of one run's curves, or None when
    the run has diverged to inf or NaN (or has no point yet)."""
    lows, later = [], []
    for values in series:
        if not len(values):
            continue
        step = max(1, len(values) // MOST_POINTS)
        tail = values[int(len(values) * (1 - LATER_SHARE)) :: step] if len(values) >= 4 else values
        if not np.isfinite(tail).all():
            return None
        finite = values[np.isfinite(values)]
        lows.append(float(finite.min()))
        later.append(tail)
    if not later:
        return None
    tails = np.concatenate(later)
    return min(lows), float(np.median(tails)), float(np.percentile(tails, TOP_PERCENTILE))


def robust_range(runs: list[list[np.ndarray]], uniform: float | None = None) -> tuple[float, float] | None:
    """The perplexity range that shows these runs (each a list of its curves' values) whatever one
    outlier does: from the lowest point to the top of the later epochs, leaving out the runs that
    diverged (inf, NaN, or a typical value DIVERGED_RATIO times the best run's, or WORSE_THAN_GUESSING
    times `uniform`, the text's uniform guess, when known). None: nothing to show."""
    extents = [extent for extent in map(run_extent, runs) if extent is not None]
    if not extents:
        return None
    best = min(typical for _, typical, _ in extents)
    limit = DIVERGED_RATIO * max(best, 1.0)
    if uniform:
        limit = min(limit, max(WORSE_THAN_GUESSING * uniform, best))  # the best run is always kept
    kept = [(low, top) for low, typical, top in extents if typical <= limit]
    low, top = min(low for low, _ in kept), max(top for _, top in kept)
    return low, max(top, low * 1.05)
