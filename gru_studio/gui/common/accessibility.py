"""Accessible names for every control of a window, derived once here rather than set panel by panel.

A screen reader says a control's accessible name. Qt finds one by itself only for buttons (their
text) and for fields with a buddy label; a spin box in a form would be read as its group's title
("Model and training") and a combo box as its current item. So each control without a name of its
own gets one from what a sighted user reads beside it, in this order: its form label or buddy, the
label just before it in its row, its placeholder, its tooltip, a plot's title and axes, and last the
title of the tab it is on. A plot also gets a description of what it shows (axes and curves), made
again whenever it takes the keyboard focus, so that it is never stale.

Names set by the panels themselves are left alone; derived ones carry the AUTO property and are
derived again after a change of language and when a control takes the focus (its label may have
changed since: "Unit 31, …").
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGraphicsView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QScrollBar,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

AUTO = "gruAutoAccessibleName"  # set on the names derived here, so that they are derived again
CONTROLS = (
    QAbstractButton,
    QComboBox,
    QAbstractSpinBox,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QAbstractItemView,
    QAbstractSlider,
    QTabBar,
    QGraphicsView,
)
LONGEST = 80  # a tooltip's first sentence, cut: a name is said on every visit, a description on demand


def is_control(widget: QWidget) -> bool:
    """A widget the user works with, as the focus chain should reach it (scroll bars and the line edit
    inside a spin box or combo box, a table's header, are parts of their owner, which is the control)."""
    if isinstance(widget, (QScrollBar, QHeaderView)) or widget.focusProxy() is not None:
        return False
    return isinstance(widget, CONTROLS)


def _plain(text: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)) if "<" in text else text
    text = re.sub(r"\s*\(&\w\)", "", text)  # a Chinese mnemonic, "(&F)", goes whole
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split()).rstrip(":\uff1a").strip()  # a label's colon, ASCII or full-width


def _first_sentence(text: str) -> str:
    text = _plain(text)
    cut = re.split("(?<=[.;!?])\\s|(?<=[\u3002\uff1b\uff01\uff1f])", text, maxsplit=1)[0].rstrip(".。")
    return cut if len(cut) <= LONGEST else cut[: LONGEST - 1].rsplit(" ", 1)[0] + "…"


def _layout_holding(layout: QLayout, widget: QWidget) -> QLayout | None:
    if layout.indexOf(widget) >= 0:
        return layout
    for index in range(layout.count()):
        child = layout.itemAt(index).layout()
        found = _layout_holding(child, widget) if child is not None else None
        if found is not None:
            return found
    return None


def _label_beside(widget: QWidget) -> str:
    """Its form label or buddy, else the short label (or check box) just before it in its row or column."""
    parent = widget.parentWidget()
    if parent is None:
        return ""
    for label in parent.findChildren(QLabel):
        if label.buddy() is widget and label.text():
            return _plain(label.text())
    layout = _layout_holding(parent.layout(), widget) if parent.layout() is not None else None
    if isinstance(layout, QFormLayout):
        label = layout.labelForField(widget)
        if isinstance(label, QLabel) and label.text():
            return _plain(label.text())
    if isinstance(layout, QBoxLayout):
        index = layout.indexOf(widget)
        before = layout.itemAt(index - 1).widget() if index > 0 else None
        # A caption is short and does not wrap; a wrapping label is a message, not a name.
        if isinstance(before, QLabel) and before.text() and not before.wordWrap() and len(before.text()) <= LONGEST:
            return _plain(before.text())
        if isinstance(before, QCheckBox) and before.text():
            return _plain(before.text())
    return ""


def _page_title(widget: QWidget) -> str:
    """The title of the tab (or group box) the widget is on."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QGroupBox) and parent.title():
            return _plain(parent.title())
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            return _plain(tabs.tabText(tabs.indexOf(child)))
        child, parent = parent, parent.parentWidget()
    return ""


def _plot_item(widget: QWidget) -> object | None:
    get = getattr(widget, "getPlotItem", None)
    return get() if callable(get) else None


def _axis_label(item: object, side: str) -> str:
    axis = item.getAxis(side) if side in item.axes else None
    return _plain(axis.labelText) if axis is not None and axis.isVisible() and axis.labelText else ""


def plot_name(widget: QWidget) -> str:
    item = _plot_item(widget)
    if item is None:
        return ""
    title = _plain(item.titleLabel.text) if item.titleLabel.isVisible() else ""
    left, bottom = _axis_label(item, "left"), _axis_label(item, "bottom")
    if title:
        return title
    if left and bottom:
        return QCoreApplication.translate("Accessibility", "Plot of {0} against {1}").format(left, bottom)
    return QCoreApplication.translate("Accessibility", "Plot of {0}").format(left or bottom) if left or bottom else ""


def plot_description(widget: QWidget) -> str:
    """What a plot shows: its axes and, where it has a legend, its curves."""
    item = _plot_item(widget)
    if item is None:
        return ""
    parts = []
    for side, words in (
        ("bottom", QCoreApplication.translate("Accessibility", "x axis: {0}")),
        ("left", QCoreApplication.translate("Accessibility", "y axis: {0}")),
    ):
        label = _axis_label(item, side)
        if label:
            parts.append(words.format(label))
    legend = getattr(item, "legend", None)
    names = [_plain(label.text) for _, label in getattr(legend, "items", []) if _plain(label.text)]
    drawn = [c for c in item.listDataItems() if getattr(c, "xData", None) is not None and len(c.xData) > 0]
    if names:
        parts.append(QCoreApplication.translate("Accessibility", "curves: {0}").format(", ".join(names)))
    elif drawn:
        parts.append(QCoreApplication.translate("Accessibility", "curves drawn: {0}").format(len(drawn)))
    if drawn:  # where the newest curve ends: the number a sighted user looks at first
        x, y = drawn[-1].xData[-1], drawn[-1].yData[-1]
        parts.append(QCoreApplication.translate("Accessibility", "last point: {0}, {1}").format(f"{x:g}", f"{y:.4g}"))
    else:
        parts.append(QCoreApplication.translate("Accessibility", "nothing drawn yet"))
    tip = _first_sentence(widget.toolTip()) if widget.toolTip() else ""
    return "; ".join([*parts, tip] if tip else parts)


def names_itself(widget: QWidget) -> bool:
    """Qt reads these by their text as it is now (a button's, the current tab's): a name set here
    would go stale when Pause becomes Resume."""
    return (isinstance(widget, QAbstractButton) and bool(widget.text())) or (
        isinstance(widget, QTabBar) and widget.count() > 0
    )


def accessible_name(widget: QWidget) -> str:
    """The name a screen reader says for the control (a combo box's Qt reads as its current item on
    Linux, with the label as a relation: the name set here is the one to check)."""
    if widget.accessibleName() or isinstance(widget, QComboBox):
        return widget.accessibleName()
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def derive_name(widget: QWidget) -> str:
    """The name a user would give the control from what is written around it."""
    found = _label_beside(widget)
    if not found and isinstance(widget, QGraphicsView):
        found = plot_name(widget)
    if not found and isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)) and widget.placeholderText():
        found = _first_sentence(widget.placeholderText())
    if not found and widget.toolTip():
        found = _first_sentence(widget.toolTip())
    if found and isinstance(widget, QAbstractSpinBox) and (widget.prefix() or widget.suffix()):
        found = f"{found} ({_plain(widget.prefix() + '…' + widget.suffix())})"  # "During training (every … epochs)"
    return found or _page_title(widget)


def name_widget(widget: QWidget) -> None:
    """Give a control a derived name (and a plot its description), unless its panel named it."""
    if names_itself(widget) or (widget.accessibleName() and not widget.property(AUTO)):
        return
    name = derive_name(widget)
    if name and name != widget.accessibleName():
        widget.setAccessibleName(name)
    widget.setProperty(AUTO, True)
    own_description = widget.accessibleDescription() and not widget.property(AUTO + "Description")
    if isinstance(widget, QGraphicsView) and _plot_item(widget) is not None and not own_description:
        widget.setAccessibleDescription(plot_description(widget))
        widget.setProperty(AUTO + "Description", True)


def name_all(root: QWidget) -> None:
    for widget in [root, *root.findChildren(QWidget)]:
        if is_control(widget):
            name_widget(widget)
        elif isinstance(widget, QScrollArea) and widget.widget() is not None and _holds_controls(widget.widget()):
            # A panel of controls that scrolls is no stop of its own: Tab goes to its controls, and the
            # scroll area brings each one into view as it takes the focus. (One of text only stays a stop,
            # to be scrolled with the arrow keys, and named like a control.)
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        elif isinstance(widget, QScrollArea) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            name_widget(widget)


def _holds_controls(content: QWidget) -> bool:
    return any(is_control(child) for child in content.findChildren(QWidget))


class _Namer(QObject):
    """Names the window's controls again after a change of language, when shown, and on focus."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._pending = False
        window.installEventFilter(self)
        QApplication.instance().focusChanged.connect(self._on_focus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.LanguageChange, QEvent.Type.Show):
            self.later()
        return False

    def later(self) -> None:
        # After every widget has had the LanguageChange event and set its new texts.
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._run)  # self, the window's child, as context: never after it has gone

    def _run(self) -> None:
        self._pending = False
        name_all(self.window)

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        while new is not None and new.focusProxy() is not None:
            new = new.focusProxy()
        if new is None:
            return
        top = new.window()
        owner = top.parentWidget().window() if top.parentWidget() is not None else None
        if top is not self.window and owner is self.window and not top.property(AUTO):
            top.setProperty(AUTO, True)  # a dialog of the window's (a sweep, a question): named once, when it opens
            name_all(top)
        if self.window in (top, owner) and is_control(new):
            name_widget(new)


def name_controls(window: QWidget) -> None:
    """Name every control of `window` now, and keep the derived names current."""
    name_all(window)
    _Namer(window)
