"""The window's colour theme: System (the default: the platform's light or dark scheme, followed live),
Light or Dark.

One ThemeManager per application holds the choice and applies it everywhere at once: the application's
palette, its style sheet (resources/styles/gru-studio.qss, filled with the theme's colours), pyqtgraph's
defaults, and every plot that registered with `follow_plot` (background, axes, grid, legend, title, colour
bars). A plot registers once, when it is made; each change of theme restyles all of them, so a plot made
before a switch looks like one made after it. Widgets that colour things themselves (a text tinted by a
value) register a callback with `on_change`. Colour maps of data (viridis, CET-D1) stay as they are: they
are perceptual on either background, and the text drawn on them picks black or white by contrast.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from string import Template
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QToolTip, QWidget
from shiboken6 import isValid

from gru_studio.resources import resource_path

SYSTEM, LIGHT, DARK = "system", "light", "dark"
CHOICES = (SYSTEM, LIGHT, DARK)
SETTINGS_KEY = "view/theme"
STYLE_SHEET = "styles/gru-studio.qss"
TEXT_CONTRAST = 4.5  # WCAG AA for body text


@dataclass(frozen=True)
class Colours:
    """One theme's colours. The palette's roles first, then the plots', then the style sheet's roles."""

    name: str  # LIGHT or DARK
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    placeholder: str  # hints under fields: "palette(placeholder-text)" in the code's style sheets
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    link: str
    tooltip_base: str
    tooltip_text: str
    disabled_text: str
    light: str  # the bevel roles Fusion draws frames and handles with
    midlight: str
    mid: str
    dark: str
    shadow: str
    plot_background: str
    plot_axis: str  # axis lines and ticks; the grid is this at the grid's alpha
    plot_text: str  # tick labels, axis and colour-bar labels, legend text, titles
    legend_fill: str
    legend_border: str
    error: str  # a label with role "error" (a failed load, a refused setting)

    @property
    def is_dark(self) -> bool:
        return self.name == DARK


LIGHT_COLOURS = Colours(
    name=LIGHT,
    window="#efefef",
    window_text="#000000",
    base="#ffffff",
    alternate_base="#f5f5f5",
    text="#000000",
    placeholder="#666666",
    button="#efefef",
    button_text="#000000",
    highlight="#2a6fb0",
    highlighted_text="#ffffff",
    link="#1a5fb4",
    tooltip_base="#ffffdc",
    tooltip_text="#000000",
    disabled_text="#8a8a8a",
    light="#ffffff",
    midlight="#cacaca",
    mid="#b8b8b8",
    dark="#9f9f9f",
    shadow="#767676",
    plot_background="#ffffff",
    plot_axis="#6b6b6b",
    plot_text="#222222",
    legend_fill="#ffffffc0",
    legend_border="#dddddd",
    error="#c0392b",
)

DARK_COLOURS = Colours(
    name=DARK,
    window="#2b2b2b",
    window_text="#e6e6e6",
    base="#1e1e1e",
    alternate_base="#262626",
    text="#e6e6e6",
    placeholder="#a6a6a6",
    button="#383838",
    button_text="#e6e6e6",
    highlight="#2f6db5",
    highlighted_text="#ffffff",
    link="#7ab8ff",
    tooltip_base="#3a3a3a",
    tooltip_text="#e6e6e6",
    disabled_text="#7a7a7a",
    light="#4a4a4a",
    midlight="#404040",
    mid="#303030",
    dark="#1a1a1a",
    shadow="#000000",
    plot_background="#1e1e1e",
    plot_axis="#9a9a9a",
    plot_text="#dcdcdc",
    legend_fill="#2a2a2ac8",
    legend_border="#555555",
    error="#ff7b6b",
)

COLOURS = {LIGHT: LIGHT_COLOURS, DARK: DARK_COLOURS}


def system_scheme() -> Qt.ColorScheme:
    """The platform's colour scheme now (Unknown where it says none: offscreen, a bare X server)."""
    return QGuiApplication.styleHints().colorScheme()


# -- contrast (WCAG 2) ------------------------------------------------------------------------------


def luminance(colour: QColor | str) -> float:
    """Relative luminance, 0 (black) .. 1 (white), as WCAG defines it."""
    c = QColor(colour)

    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def contrast(a: QColor | str, b: QColor | str) -> float:
    """WCAG contrast ratio, 1 .. 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: QColor | str) -> QColor:
    """Black or white, whichever reads better on `background` (a cell of a colour map, a tinted character)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(black, background) >= contrast(white, background) else white


def legible(colour: QColor | str, background: QColor | str | None = None, ratio: float = TEXT_CONTRAST) -> QColor:
    """`colour` moved towards white (on a dark background) or black (on a light one) just until it reads
    as text on `background` (the theme's base by default); its hue stays, so a red status is still red."""
    back = QColor(background if background is not None else colours().base)
    toward = text_on(back)
    for step in range(11):
        c = blend(colour, toward, step / 10)
        if contrast(c, back) >= ratio:
            return c
    return toward


def blend(a: QColor | str, b: QColor | str, t: float) -> QColor:
    """The colour a fraction t of the way from a to b."""
    ca, cb = QColor(a), QColor(b)
    mix = lambda x, y: round(x + (y - x) * t)  # noqa: E731
    return QColor(mix(ca.red(), cb.red()), mix(ca.green(), cb.green()), mix(ca.blue(), cb.blue()))


# -- the palette and the style sheet ------------------------------------------------------------------


def palette(c: Colours) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.window_text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alternate_base,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.PlaceholderText: c.placeholder,
        QPalette.ColorRole.Button: c.button,
        QPalette.ColorRole.ButtonText: c.button_text,
        QPalette.ColorRole.BrightText: "#ffffff" if c.is_dark else "#000000",
        QPalette.ColorRole.Highlight: c.highlight,
        QPalette.ColorRole.HighlightedText: c.highlighted_text,
        QPalette.ColorRole.Link: c.link,
        QPalette.ColorRole.LinkVisited: c.link,
        QPalette.ColorRole.ToolTipBase: c.tooltip_base,
        QPalette.ColorRole.ToolTipText: c.tooltip_text,
        QPalette.ColorRole.Light: c.light,
        QPalette.ColorRole.Midlight: c.midlight,
        QPalette.ColorRole.Mid: c.mid,
        QPalette.ColorRole.Dark: c.dark,
        QPalette.ColorRole.Shadow: c.shadow,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.disabled_text))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(c.mid))
    return p


def style_sheet(c: Colours) -> str:
    """The application's style sheet with this theme's colours filled in ($error, $plot_background, ...)."""
    path = resource_path(STYLE_SHEET)
    if not path.is_file():
        return ""
    return Template(path.read_text(encoding="utf-8")).safe_substitute(vars(c))


def set_role(widget: QWidget, role: str) -> None:
    """Give a label a role the style sheet colours ("error", "hint"; "" for none), and show it at once."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    widget.style().unpolish(widget)  # a dynamic property is read when a widget is polished
    widget.style().polish(widget)
    widget.update()


def mark_error(widget: QWidget) -> None:
    """A message label that says what went wrong: in the theme's error colour, readable on its background."""
    set_role(widget, "error")


# -- plots ----------------------------------------------------------------------------------------------


def restyle_plot(plot: pg.PlotWidget, c: Colours) -> None:
    """Background, every axis (colour bars' too) with its grid and label, the legend and the title."""
    plot.setBackground(c.plot_background)
    for item in plot.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setPen(c.plot_axis)
            item.setTextPen(c.plot_text)
        elif isinstance(item, pg.LegendItem):
            item.setBrush(c.legend_fill)
            item.setPen(c.legend_border)
            item.setLabelTextColor(c.plot_text)
            for _sample, label in item.items:  # pyqtgraph stores the colour but draws it at the next setText
                label.setText(label.text)
    title = plot.getPlotItem().titleLabel
    if title.text:
        title.setText(title.text, color=c.plot_text)


class _Weak:
    """A callable held weakly when it is a bound method, so that registering keeps nothing alive."""

    def __init__(self, callback: Callable[..., Any]) -> None:
        self.ref: Callable[[], Callable[..., Any] | None]
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            self.ref = weakref.WeakMethod(callback)
        else:
            self.ref = lambda: callback

    def __call__(self) -> Callable[..., Any] | None:
        return self.ref()


class ThemeManager(QObject):
    """The one place the theme is chosen and applied; `changed(Colours)` after each change."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choice = SYSTEM
        # Light until a theme is chosen (the window chooses the remembered one as it opens): a plot drawn
        # into a file by a command (inspect --png) looks the same on every desktop.
        self.colours = LIGHT_COLOURS
        self._applied: str | None = None  # the theme the application shows now, None before the first apply
        self._overrode_scheme = False
        self._plots: list[tuple[weakref.ref, _Weak | None]] = []
        self._callbacks: list[_Weak] = []
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def effective(self, choice: str | None = None) -> str:
        """LIGHT or DARK: what `choice` (the present one by default) shows on this platform now."""
        choice = choice or self.choice
        if choice in (LIGHT, DARK):
            return choice
        return DARK if system_scheme() == Qt.ColorScheme.Dark else LIGHT

    def choose(self, choice: str) -> None:
        """Apply `choice` (SYSTEM, LIGHT or DARK; anything else reads as SYSTEM) to the whole application."""
        self.choice = choice if choice in CHOICES else SYSTEM
        self._tell_platform()
        self.apply()

    def _tell_platform(self) -> None:
        # Qt 6.8+: an explicit choice also asks the platform for matching window frames (Windows, macOS);
        # System hands the scheme back to the platform, so that its changes reach us again.
        hints = QGuiApplication.styleHints()
        if not hasattr(hints, "setColorScheme"):
            return
        if self.choice == SYSTEM:
            if self._overrode_scheme:
                self._overrode_scheme = False
                hints.setColorScheme(Qt.ColorScheme.Unknown)
        else:
            self._overrode_scheme = True
            hints.setColorScheme(Qt.ColorScheme.Dark if self.choice == DARK else Qt.ColorScheme.Light)

    @Slot(Qt.ColorScheme)
    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == SYSTEM:
            self.apply()

    def apply(self) -> None:
        """Show the effective theme everywhere (nothing is done when it shows already)."""
        theme = self.effective()
        if theme == self._applied:
            return
        self._applied = theme
        self.colours = c = COLOURS[theme]
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if c.is_dark and app.style().name().lower() == "windowsvista":
                app.setStyle("Fusion")  # the native Windows style draws no dark palette
            app.setPalette(palette(c))
            QToolTip.setPalette(palette(c))
            app.setStyleSheet(style_sheet(c))
        pg.setConfigOptions(background=c.plot_background, foreground=c.plot_text)
        self._restyle_all()
        self.changed.emit(c)

    def follow_plot(self, plot: pg.PlotWidget, restyle: Callable[[Colours], None] | None = None) -> None:
        self._plots.append((weakref.ref(plot), _Weak(restyle) if restyle is not None else None))
        self._restyle(plot, restyle)

    def on_change(self, callback: Callable[[Colours], None]) -> None:
        self._callbacks.append(_Weak(callback))
        callback(self.colours)

    def plots(self) -> list[pg.PlotWidget]:
        """The registered plots still alive."""
        return [plot for ref, _ in self._plots if (plot := ref()) is not None and isValid(plot)]

    def _restyle(self, plot: pg.PlotWidget, restyle: Callable[[Colours], None] | None) -> None:
        restyle_plot(plot, self.colours)
        if restyle is not None:
            restyle(self.colours)  # what the plot colours its own way (an axis in its curve's colour)

    def _restyle_all(self) -> None:
        alive = []
        for ref, hook in self._plots:
            plot = ref()
            callback = hook() if hook is not None else None
            if plot is None or not isValid(plot) or (hook is not None and callback is None):
                continue  # freed: forgotten
            alive.append((ref, hook))
            self._restyle(plot, callback)
        self._plots = alive
        kept = []
        for weak in self._callbacks:
            callback = weak()
            owner = getattr(callback, "__self__", None)
            if callback is None or (isinstance(owner, QObject) and not isValid(owner)):
                continue
            kept.append(weak)
            callback(self.colours)
        self._callbacks = kept


_manager: ThemeManager | None = None


def manager() -> ThemeManager:
    """The application's ThemeManager (made on first use; a QApplication must exist)."""
    global _manager
    if _manager is None or not isValid(_manager):
        _manager = ThemeManager(QApplication.instance())
    return _manager


def colours() -> Colours:
    """The colours of the theme shown now."""
    return manager().colours


def follow_plot(plot: pg.PlotWidget, restyle: Callable[[Colours], None] | None = None) -> None:
    """Style `plot` for the present theme now and again on every change. Call it once the plot's axes,
    colour bar and legend are made. `restyle(colours)`, when given, runs after the common styling (a bound
    method is held weakly)."""
    manager().follow_plot(plot, restyle)


def on_change(callback: Callable[[Colours], None]) -> None:
    """Call `callback(colours)` now and on every change of theme (a bound method is held weakly)."""
    manager().on_change(callback)
