"""pyqtgraph's plot context menus in the window's language, switched with it.

pyqtgraph builds a plot's right-click menu once, when the plot is made (the
ViewBox's menu, the PlotItem's "Plot Options", the scene's "Export..."),
through QCoreApplication.translate under its own contexts. It ships no
translations and never builds the menu again, so after a change of language
the menu would stay in the language the plot was made in. `follow_language`
gives a plot an event filter that re-titles those menus in place on
LanguageChange (re-creating them would drop the state pyqtgraph keeps in them).

pyqtgraph's words are marked below under pyqtgraph's own contexts, so that
pyside6-lupdate puts them in our catalogue and Qt finds the Chinese where
pyqtgraph asks for it. Its long tooltips are not among them: they stay English.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QMenu, QWidget

translate = QCoreApplication.translate

# The ViewBox menu's entries (pyqtgraph's ViewBoxMenu), in its order.
VIEW_ALL = QT_TRANSLATE_NOOP("ViewBox", "View All")
VIEW_TITLE = QT_TRANSLATE_NOOP("ViewBox", "ViewBox options")
AXIS = QT_TRANSLATE_NOOP("ViewBox", "axis")
MOUSE_MODE = QT_TRANSLATE_NOOP("ViewBox", "Mouse Mode")
MOUSE_MODES = (QT_TRANSLATE_NOOP("ViewBox", "3 button"), QT_TRANSLATE_NOOP("ViewBox", "1 button"))
# The PlotItem's "Plot Options" and its submenus, in pyqtgraph's order.
PLOT_OPTIONS = QT_TRANSLATE_NOOP("PlotItem", "Plot Options")
PLOT_SUBMENUS = (
    QT_TRANSLATE_NOOP("PlotItem", "Transforms"),
    QT_TRANSLATE_NOOP("PlotItem", "Downsample"),
    QT_TRANSLATE_NOOP("PlotItem", "Average"),
    QT_TRANSLATE_NOOP("PlotItem", "Alpha"),
    QT_TRANSLATE_NOOP("PlotItem", "Grid"),
    QT_TRANSLATE_NOOP("PlotItem", "Points"),
)
EXPORT = QT_TRANSLATE_NOOP("GraphicsScene", "Export...")
# The labels of the forms inside those menus (pyqtgraph's Designer forms, context "Form"): their
# retranslateUi() asks for them again, so marking them here is all they need.
FORM_LABELS = (
    QT_TRANSLATE_NOOP("Form", "Link Axis:"),
    QT_TRANSLATE_NOOP("Form", "Auto"),
    QT_TRANSLATE_NOOP("Form", "Manual"),
    QT_TRANSLATE_NOOP("Form", "Invert Axis"),
    QT_TRANSLATE_NOOP("Form", "Mouse Enabled"),
    QT_TRANSLATE_NOOP("Form", "Visible Data Only"),
    QT_TRANSLATE_NOOP("Form", "Auto Pan Only"),
    QT_TRANSLATE_NOOP("Form", "Average"),
    QT_TRANSLATE_NOOP("Form", "Clip to View"),
    QT_TRANSLATE_NOOP("Form", "Max Traces:"),
    QT_TRANSLATE_NOOP("Form", "Downsample"),
    QT_TRANSLATE_NOOP("Form", "Peak"),
    QT_TRANSLATE_NOOP("Form", "Forget hidden traces"),
    QT_TRANSLATE_NOOP("Form", "Mean"),
    QT_TRANSLATE_NOOP("Form", "Subsample"),
    QT_TRANSLATE_NOOP("Form", "Log X"),
    QT_TRANSLATE_NOOP("Form", "Log Y"),
    QT_TRANSLATE_NOOP("Form", "Power Spectrum (FFT)"),
    QT_TRANSLATE_NOOP("Form", "Subtract Mean"),
    QT_TRANSLATE_NOOP("Form", "Points"),
    QT_TRANSLATE_NOOP("Form", "Show X Grid"),
    QT_TRANSLATE_NOOP("Form", "Show Y Grid"),
    QT_TRANSLATE_NOOP("Form", "Opacity"),
    QT_TRANSLATE_NOOP("Form", "Alpha"),
)


class _NoForm:
    """Stands for the form widget a Designer retranslateUi() titles; pyqtgraph does not keep it."""

    def setWindowTitle(self, title: str) -> None:
        pass


def submenus(menu: QMenu) -> list[QMenu]:
    return [action.menu() for action in menu.actions() if action.menu() is not None]


def retitle(plot: pg.PlotWidget) -> None:
    """Set the texts of a plot's context menus again, in the present language."""
    item = plot.getPlotItem()
    view = item.getViewBox()
    menu = view.menu
    if menu is not None:
        menu.setTitle(translate("ViewBox", VIEW_TITLE))
        menu.viewAll.setText(translate("ViewBox", VIEW_ALL))
        inner = submenus(menu)
        for axis, submenu in zip("XY", inner[:2], strict=False):
            submenu.setTitle(f"{axis} {translate('ViewBox', AXIS)}")
        if len(inner) > 2:
            inner[2].setTitle(translate("ViewBox", MOUSE_MODE))
        for action, text in zip(menu.mouseModes, MOUSE_MODES, strict=True):
            action.setText(translate("ViewBox", text))
        for form in menu.ctrl:
            form.retranslateUi(_NoForm())
        menu.updateState()  # retranslateUi wrote "0" into the range fields: the view's range goes back
    if item.ctrlMenu is not None:
        item.ctrlMenu.setTitle(translate("PlotItem", PLOT_OPTIONS))
        for submenu, text in zip(submenus(item.ctrlMenu), PLOT_SUBMENUS, strict=False):
            submenu.setTitle(translate("PlotItem", text))
        item.ctrl.retranslateUi(_NoForm())
    scene = plot.scene()
    if scene is not None and getattr(scene, "contextMenu", None):
        scene.contextMenu[0].setText(translate("GraphicsScene", EXPORT))


class _Follower(QObject):
    def __init__(self, plot: pg.PlotWidget) -> None:
        super().__init__(plot)
        self.plot = plot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plot and event.type() == QEvent.Type.LanguageChange:
            retitle(self.plot)
        return False  # the plot handles the event as well


def follow_language(plot: QWidget) -> None:
    """Keep `plot`'s context menus (a pg.PlotWidget's) in the window's language from now on."""
    plot.installEventFilter(_Follower(plot))
    retitle(plot)  # a plot made while a translator was being swapped starts right too
