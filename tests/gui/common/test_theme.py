"""View ▸ Theme: System (the platform's scheme, followed live), Light and Dark, applied to the whole
window at once (palette, style sheet, every plot) and remembered. Measured on screenshots: a dark
window is dark, and its labels' text reads on their background (WCAG contrast) in both themes."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QTextEdit

from gru_studio.engine.analysis.inside import SIGNAL_RANGE
from gru_studio.gui.common import i18n, theme
from gru_studio.gui.inside.view import colour_text
from gru_studio.gui.sweep.dialog import SweepDialog
from gru_studio.gui.training.controller import Controller
from gru_studio.gui.training.gradient_plot import GradientPlot
from tests.gui.conftest import open_window, train_and_wait

DARK_MEAN_LUMA = 0.35  # the Done-when of issue 31: a dark window's screenshot averages below this
LARGE_TEXT_PX = 24  # text this tall (WCAG's "large text") may read at 3:1


@pytest.fixture(autouse=True)
def back_to_system(monkeypatch):
    """Each test leaves the application as the others expect it: the System theme on a light platform."""
    yield
    monkeypatch.undo()
    theme.manager().choose(theme.SYSTEM)


def settle(qtbot) -> None:
    qtbot.wait(50)
    QCoreApplication.processEvents()


def pixels(image: QImage) -> np.ndarray:
    """(height, width, 3) RGB bytes of an image (a copy: the converted image's buffer dies with it)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, stride * height).reshape(height, stride)
    return rows[:, : width * 3].reshape(height, width, 3).copy()


def mean_luma(image: QImage) -> float:
    """The mean brightness of a screenshot, 0 (black) .. 1 (white): Rec. 709 luma of the encoded values."""
    rgb = pixels(image).astype(np.float64) / 255.0
    return float((rgb @ np.array([0.2126, 0.7152, 0.0722])).mean())


def painted_contrast(label: QLabel) -> float:
    """The contrast of a label's text as painted: its commonest colour (the background) against the pixel
    that differs from it most (the text's own colour, in a glyph's stem)."""
    rgb = pixels(label.grab().toImage()).reshape(-1, 3)
    colours, counts = np.unique(rgb, axis=0, return_counts=True)
    background = QColor(*(int(v) for v in colours[counts.argmax()]))
    return max(theme.contrast(background, QColor(*(int(v) for v in c))) for c in colours)


def shown_labels(window) -> list[QLabel]:
    return [
        label
        for label in window.findChildren(QLabel)
        if label.isVisible() and label.text().strip() and label.width() > 4 and label.height() > 4
    ]


def test_the_wcag_contrast_ratio_is_the_standards() -> None:
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the textbook near miss
    assert theme.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_legible_keeps_a_readable_colour_and_mends_an_unreadable_one() -> None:
    assert theme.legible("#000000", "#ffffff").name() == "#000000"
    mended = theme.legible("#c0392b", theme.DARK_COLOURS.base)  # the light theme's red, on the dark base
    assert theme.contrast("#c0392b", theme.DARK_COLOURS.base) < theme.TEXT_CONTRAST
    assert theme.contrast(mended, theme.DARK_COLOURS.base) >= theme.TEXT_CONTRAST
    assert mended.red() > mended.green() and mended.red() > mended.blue()  # still a red


def test_each_themes_own_text_colours_read_on_their_backgrounds() -> None:
    for c in (theme.LIGHT_COLOURS, theme.DARK_COLOURS):
        pairs = [
            (c.window_text, c.window),
            (c.text, c.base),
            (c.placeholder, c.window),
            (c.button_text, c.button),
            (c.highlighted_text, c.highlight),
            (c.tooltip_text, c.tooltip_base),
            (c.link, c.base),
            (c.error, c.window),
            (c.error, c.base),
            (c.plot_text, c.plot_background),
        ]
        for text, background in pairs:
            assert theme.contrast(text, background) >= theme.TEXT_CONTRAST, (c.name, text, background)


@pytest.mark.parametrize("choice", [theme.DARK, theme.LIGHT])
def test_the_windows_labels_read_on_their_background(qtbot, settings, choice) -> None:
    window = open_window(qtbot, settings)
    window.resize(1280, 800)
    window.view_menu.choose(choice)
    window.controls.show_message("A message that says what went wrong.")  # the error colour, too
    settle(qtbot)
    labels = shown_labels(window)
    assert window.train_message in labels and len(labels) >= 10
    for label in labels:
        needed = 3.0 if label.fontInfo().pixelSize() >= LARGE_TEXT_PX else theme.TEXT_CONTRAST
        assert painted_contrast(label) >= needed, (label.objectName(), label.text()[:60])
    window.close()


def test_dark_makes_the_window_and_its_plots_dark(qtbot, settings) -> None:
    window = open_window(qtbot, settings)
    window.resize(1280, 800)
    settle(qtbot)
    assert mean_luma(window.grab().toImage()) > 0.6  # the light theme, on this headless platform's Unknown scheme
    window.view_menu.choose(theme.DARK)
    settle(qtbot)
    assert mean_luma(window.grab().toImage()) < DARK_MEAN_LUMA
    for plot in (window.plot.plot, window.gradients.plot):
        assert mean_luma(plot.grab().toImage()) < DARK_MEAN_LUMA
    window.tabs.setCurrentWidget(window.inside)
    settle(qtbot)
    assert mean_luma(window.inside.grab().toImage()) < DARK_MEAN_LUMA
    window.close()


def test_a_switch_restyles_plots_made_before_it_and_the_palette(qtbot, settings) -> None:
    window = open_window(qtbot, settings)
    # Every plot of the window is in the theme's one registry, so none is left behind on a switch.
    assert set(window.findChildren(pg.PlotWidget)) <= set(theme.manager().plots())
    before = window.plot.plot.backgroundBrush().color().name()
    axis = window.plot.plot.getPlotItem().getAxis("left")
    window.view_menu.choose(theme.DARK)
    settle(qtbot)
    assert before == theme.LIGHT_COLOURS.plot_background
    for plot in window.findChildren(pg.PlotWidget):
        assert plot.backgroundBrush().color().name() == theme.DARK_COLOURS.plot_background, plot.objectName()
        # Every axis's labels read on it, the colour bars' (heat strip, reach map) and the coloured ones too.
        axes = [item for item in plot.scene().items() if isinstance(item, pg.AxisItem)]
        for axis in axes:
            assert theme.contrast(axis.textPen().color(), plot.backgroundBrush().color()) >= 4.5, plot.objectName()
    assert axis.textPen().color().name() == theme.DARK_COLOURS.plot_text
    legend = window.inside.saturation.legend  # a pyqtgraph legend over a plot, its entries made before
    assert all(theme.DARK_COLOURS.plot_text[1:] in label.item.toHtml() for _, label in legend.items)
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == theme.DARK_COLOURS.window
    assert window.palette().color(QPalette.ColorRole.Base).name() == theme.DARK_COLOURS.base
    assert theme.DARK_COLOURS.error in QApplication.instance().styleSheet()
    window.view_menu.choose(theme.LIGHT)
    settle(qtbot)
    assert window.plot.plot.backgroundBrush().color().name() == theme.LIGHT_COLOURS.plot_background
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() == theme.LIGHT_COLOURS.window
    window.close()


def test_a_plot_made_on_its_own_follows_a_switch_and_its_own_colours_stay_readable(qtbot) -> None:
    gradients = GradientPlot(Controller())
    qtbot.addWidget(gradients)
    right = gradients.plot.getPlotItem().getAxis("right")
    theme.manager().choose(theme.DARK)
    assert gradients.plot.backgroundBrush().color().name() == theme.DARK_COLOURS.plot_background
    # The clipped share's axis keeps its curve's orange, made readable on the dark background.
    share = right.textPen().color()
    assert share.red() > share.blue() and theme.contrast(share, theme.DARK_COLOURS.plot_background) >= 4.5
    assert theme.contrast(gradients.clip_line.label.color, theme.DARK_COLOURS.plot_background) >= 4.5


def test_system_follows_the_platforms_scheme_live(qtbot, settings, monkeypatch) -> None:
    window = open_window(qtbot, settings)
    assert window.view_menu.actions_by_choice[theme.SYSTEM].isChecked()  # the default
    assert not theme.colours().is_dark
    # This headless platform has no scheme to change: the test plays the platform's part.
    monkeypatch.setattr(theme, "system_scheme", lambda: Qt.ColorScheme.Dark)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    settle(qtbot)
    assert theme.colours().is_dark
    assert window.plot.plot.backgroundBrush().color().name() == theme.DARK_COLOURS.plot_background
    assert mean_luma(window.grab().toImage()) < DARK_MEAN_LUMA
    # An explicit Light wins over the platform's dark, and the platform's changes are ignored then.
    window.view_menu.choose(theme.LIGHT)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.colours().is_dark
    window.view_menu.choose(theme.SYSTEM)
    assert theme.colours().is_dark
    monkeypatch.setattr(theme, "system_scheme", lambda: Qt.ColorScheme.Light)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme.colours().is_dark
    window.close()


def test_the_choice_is_remembered_across_a_relaunch(qtbot, settings) -> None:
    window = open_window(qtbot, settings)
    window.view_menu.actions_by_choice[theme.DARK].trigger()  # as the menu does
    assert settings.value(theme.SETTINGS_KEY) == theme.DARK
    window.close()
    theme.manager().choose(theme.SYSTEM)  # what a new process starts with
    again = open_window(qtbot, settings)
    assert again.view_menu.actions_by_choice[theme.DARK].isChecked()
    assert theme.colours().is_dark
    assert again.plot.plot.backgroundBrush().color().name() == theme.DARK_COLOURS.plot_background
    again.close()


def test_a_stored_oddity_reads_as_system(qtbot, settings) -> None:
    settings.setValue(theme.SETTINGS_KEY, "purple")
    window = open_window(qtbot, settings)
    assert window.view_menu.actions_by_choice[theme.SYSTEM].isChecked()
    assert theme.manager().choice == theme.SYSTEM
    window.close()


def test_the_view_menu_speaks_chinese(qtbot, settings) -> None:
    window = open_window(qtbot, settings)
    menu = window.view_menu
    assert [menu.title(), menu.theme_menu.title()] == ["&View", "&Theme"]
    try:
        window.translations.apply(i18n.CHINESE)
        qtbot.waitUntil(lambda: menu.title() != "&View")  # the change of language is a posted event
        texts = [menu.title(), menu.theme_menu.title(), *(a.text() for a in menu.actions_by_choice.values())]
        assert texts == ["视图(&V)", "主题(&T)", "跟随系统(&S)", "浅色(&L)", "深色(&D)"]
    finally:
        window.translations.apply(i18n.ENGLISH)
    qtbot.waitUntil(lambda: menu.title() == "&View")
    window.close()


@pytest.mark.parametrize("signal", ["z", "h"])  # a sequential map (viridis) and a diverging one (CET-D1)
def test_text_coloured_by_a_colour_map_reads_on_every_shade(qtbot, signal) -> None:
    edit = QTextEdit()
    qtbot.addWidget(edit)
    low, high = SIGNAL_RANGE[signal]
    values = np.linspace(low, high, 200)
    colour_text(edit, "x" * len(values), values, signal)
    cursor = QTextCursor(edit.document())
    for k in range(1, len(values) + 1):
        cursor.setPosition(k)
        fmt = cursor.charFormat()
        assert theme.contrast(fmt.foreground().color(), fmt.background().color()) >= theme.TEXT_CONTRAST, k


@pytest.mark.parametrize("choice", [theme.LIGHT, theme.DARK])
def test_the_how_far_back_tints_read_on_either_theme(qtbot, window, choice) -> None:
    window.view_menu.choose(choice)
    train_and_wait(qtbot, window)
    window.generation.prefix.setText("the time traveller")
    with qtbot.waitSignal(window.reach.measured, timeout=30_000):
        window.tabs.setCurrentWidget(window.reach)
    window.reach.show_prediction(12)
    cursor = QTextCursor(window.reach.text.document())
    tints = set()
    for k in range(1, 14):
        cursor.setPosition(k)
        fmt = cursor.charFormat()
        tints.add(fmt.background().color().name())
        assert theme.contrast(fmt.foreground().color(), fmt.background().color()) >= theme.TEXT_CONTRAST, k
    assert len(tints) > 3  # tinted by the attribution, not one colour
    # Faint tints start from the theme's own text background, not from white on a dark theme.
    faintest = min(tints, key=lambda name: theme.contrast(name, theme.colours().base))
    assert theme.contrast(faintest, theme.colours().base) < 2.0


def test_a_dialog_follows_the_theme_while_open(qtbot, settings) -> None:
    window = open_window(qtbot, settings)
    window.view_menu.choose(theme.DARK)
    dialog = SweepDialog(lambda: window.setup.request().configs(), window.setup.request().corpus, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    assert mean_luma(dialog.grab().toImage()) < DARK_MEAN_LUMA
    assert dialog.message.property("role") == "error"  # nothing typed yet: it says what is missing
    for label in [label for label in dialog.findChildren(QLabel) if label.isVisible() and label.text()]:
        assert painted_contrast(label) >= theme.TEXT_CONTRAST, label.text()
    window.view_menu.choose(theme.LIGHT)
    settle(qtbot)
    assert mean_luma(dialog.grab().toImage()) > 0.6
    assert painted_contrast(dialog.message) >= theme.TEXT_CONTRAST
    dialog.reject()
    window.close()
