"""One colour per drawn run, for the whole window: the plot's curves and the Runs table's swatches.

The palette is colour-blind safe: Okabe and Ito's eight colours (2008) without
their black (the axes' colour) and their yellow (too pale on a white plot),
then six of Paul Tol's "muted" colours that stay apart from those, the lighter ones first (the
darker read less well on a Dark theme's plot, so they come only with the tenth run drawn). Past these
twelve, further runs get hues spread by the golden angle: still each its own,
if no longer chosen for colour blindness.

RunColours hands out the colours. Whoever draws or shows a run takes its
colour and releases it when done: the plot for each curve it draws, the Runs
table for each ticked row. A run keeps its colour for as long as anyone holds
it, so the table's swatch and the curve are the same colour by construction,
and no two runs held at the same time share one. A run released and taken
again gets its old colour back when that one is still free.
"""

from __future__ import annotations

import colorsys
from collections.abc import Hashable
from dataclasses import dataclass

OKABE_ITO = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
# Paul Tol's muted colours, the lighter first: the darker ones read less well on a dark plot.
TOL_MUTED = ("#999933", "#44aa99", "#aa4499", "#882255", "#117733", "#332288")
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED  # lower case, as QColor.name() writes a colour
GOLDEN_ANGLE = 0.381966  # of a turn: successive hues fall as far apart as they can


def extra_colour(n: int) -> str:
    """The n-th colour past the palette (n from 0): a hue of its own, dark enough for a white plot."""
    red, green, blue = colorsys.hsv_to_rgb((0.13 + n * GOLDEN_ANGLE) % 1.0, 0.75, 0.7 if n % 2 else 0.55)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"  # as QColor.name() writes it


class RunColours:
    """Which run holds which colour. Keys: a run's id in the run store, or any other hashable
    that names a run not recorded (yet): the plot's ("window", n) for its n-th run."""

    def __init__(self, palette: tuple[str, ...] = PALETTE) -> None:
        self.palette = palette
        self._held: dict[Hashable, str] = {}
        self._holders: dict[Hashable, int] = {}
        self._last: dict[Hashable, str] = {}  # the colour a run had, to give back if still free

    def take(self, key: Hashable) -> str:
        """The run's colour, held once more: the one it holds, its last one if free, or the first free."""
        colour = self._held.get(key)
        if colour is None:
            used = set(self._held.values())
            last = self._last.get(key)
            colour = last if last is not None and last not in used else self._free(used)
            self._held[key] = self._last[key] = colour
        self._holders[key] = self._holders.get(key, 0) + 1
        return colour

    def release(self, key: Hashable) -> None:
        """One holder lets go; the colour is free again when none is left."""
        count = self._holders.get(key, 0) - 1
        if count > 0:
            self._holders[key] = count
            return
        self._holders.pop(key, None)
        self._held.pop(key, None)

    def rekey(self, old: Hashable, new: Hashable) -> None:
        """A run gets its lasting name (a window run, once recorded, its store id): it keeps its colour."""
        if old == new or old not in self._held:
            return
        colour, count = self._held.pop(old), self._holders.pop(old)
        self._held.setdefault(new, colour)  # were both held (never in the window), `new` keeps its own
        self._last[new] = self._held[new]
        self._holders[new] = self._holders.get(new, 0) + count

    def colour_of(self, key: Hashable) -> str | None:
        return self._held.get(key)

    def held(self) -> dict[Hashable, str]:
        """Every run holding a colour now, and its colour."""
        return dict(self._held)

    def _free(self, used: set[str]) -> str:
        for colour in self.palette:
            if colour not in used:
                return colour
        n = 0
        while extra_colour(n) in used:
            n += 1
        return extra_colour(n)


@dataclass(frozen=True)
class PlotStyle:
    """The perplexity plot's own colours, in one place so that a theme can restyle the plot
    (PlotPanel.set_style): its ground, axes and grid, and the hover read-out's box."""

    background: str = "#ffffff"
    foreground: str = "#333333"  # the axes, their labels and ticks
    readout_fill: str = "#ffffffe8"
    readout_text: str = "#222222"
    readout_border: str = "#bbbbbb"
    readout_muted: str = "#777777"  # the epoch beside each value
    cursor: str = "#88888880"  # the line at the mouse's x


LIGHT_PLOT = PlotStyle()
