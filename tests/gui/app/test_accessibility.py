"""Keyboard and screen readers (issue 31): the focus chain reaches every control of every tab, in reading
order, each with an accessible name, in English and in Chinese; the runs table and the heat strip work
with the arrow keys; plots say what they show."""

from __future__ import annotations

import itertools
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGraphicsView,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.common import i18n
from gru_studio.gui.runs.model import TICK
from tests.gui.conftest import train_and_wait
from tests.gui.inside.test_inside_view import show_inside

HAN = re.compile(r"[\u4e00-\u9fff]")
# What a user works with; the line edit inside a spin box or combo box hands its focus to its owner.
# Written out here, not imported from gui/common/accessibility.py: a kind of control the product's list
# forgot would then be forgotten by this test too.
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


def in_view(widget: QWidget) -> bool:
    return widget.isVisible() and widget.isEnabled()


def controls(win: MainWindow) -> list[QWidget]:
    return controls_of(win)


def controls_of(win: QWidget) -> list[QWidget]:
    found = win.findChildren(QWidget)
    return [
        w
        for w in found
        if isinstance(w, CONTROLS)
        and not isinstance(w, (QScrollBar, QHeaderView))  # parts of a scroll area or a table, worked from it
        and w.focusProxy() is None
        and in_view(w)
    ]


def tab_stops(win: MainWindow) -> list[QWidget]:
    """The focus chain from the window, as Tab walks it: the widgets that take the focus from Tab."""
    stops, widget = [], win.nextInFocusChain()
    while widget is not win:
        tab_focus = widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        if tab_focus and widget.focusProxy() is None and in_view(widget):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for it: the name set on it, else Qt's own (a button's text); a combo box
    must carry a set one, as Qt on Linux reads its current item as its name."""
    if widget.accessibleName() or isinstance(widget, QComboBox):
        return widget.accessibleName()
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def every_tab(win: MainWindow):
    """Each page of each tab widget shown in turn (the upper and lower tabs in every pairing)."""
    upper, lower = win.tabs, win.lower_tabs
    for top, bottom in itertools.product(range(upper.count()), range(lower.count())):
        upper.setCurrentIndex(top)
        lower.setCurrentIndex(bottom)
        for inner in win.findChildren(QTabWidget):
            if inner not in (upper, lower) and inner.isVisible():
                for page in range(inner.count()):
                    inner.setCurrentIndex(page)
                    QApplication.processEvents()
                    yield f"{upper.tabText(top)} / {lower.tabText(bottom)} / {inner.tabText(page)}"
        QApplication.processEvents()
        yield f"{upper.tabText(top)} / {lower.tabText(bottom)}"


def check_every_tab(qtbot, win: MainWindow) -> int:
    qtbot.wait(50)  # the names are derived again after a change of language, once every widget has its text
    checked = 0
    for where in every_tab(win):
        stops = tab_stops(win)
        missing = [f"{type(w).__name__}({w.objectName()})" for w in controls(win) if w not in stops]
        assert not missing, f"{where}: Tab never reaches {missing}"
        nameless = [f"{type(w).__name__}({w.objectName()})" for w in stops if not spoken_name(w).strip()]
        assert not nameless, f"{where}: no accessible name for {nameless}"
        # Reading order: the text and settings, then the upper tabs, the run buttons, the lower tabs.
        order = [stops.index(w) for w in (win.corpus_panel.picker, win.tabs.tabBar(), win.buttons["train"])]
        assert order == sorted(order) and order[-1] < stops.index(win.lower_tabs.tabBar()), where
        checked += len(stops)
    return checked


def test_tab_reaches_every_control_and_each_has_a_name_in_english_and_chinese(qtbot, window) -> None:
    train_and_wait(qtbot, window)  # a model and a recorded run: the Inside view and the Runs buttons enabled
    assert check_every_tab(qtbot, window) > 300
    settings = window.settings_panel
    names = [spoken_name(w) for w in settings.findChildren(QAbstractSpinBox) if w.isVisible()]
    assert len(names) == len(set(names)) > 5  # each its own label, not the group's title for all
    assert window.settings_panel.findChild(QWidget, "hiddenInput").accessibleName() == "Hidden units"
    window.translations.apply(i18n.CHINESE)
    try:
        qtbot.waitUntil(lambda: window.buttons["train"].text() == "训练", timeout=5000)
        assert check_every_tab(qtbot, window) > 300
        assert HAN.search(window.settings_panel.findChild(QWidget, "hiddenInput").accessibleName())
        assert HAN.search(window.plot.plot.accessibleName())
    finally:
        window.translations.apply(i18n.ENGLISH)


def test_plots_say_what_they_show(qtbot, window) -> None:
    plot = window.plot.plot
    assert plot.accessibleName() == "Plot of perplexity against epoch"
    assert plot.accessibleDescription() == "x axis: epoch; y axis: perplexity; nothing drawn yet"
    train_and_wait(qtbot, window)
    last = window.controller.session.history[-1]
    window.activateWindow()
    window.settings_panel.setFocus()
    plot.setFocus()  # the description is made again when the plot takes the focus: never stale
    qtbot.waitUntil(lambda: "last point" in plot.accessibleDescription())
    assert f"last point: {last.epoch}, {last.perplexity:.4g}" in plot.accessibleDescription()


def test_the_arrow_keys_move_the_runs_table_row_and_the_heat_strip_cell(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    train_and_wait(qtbot, window)
    window.lower_tabs.setCurrentWidget(window.runs)
    table = window.runs.table
    qtbot.waitUntil(lambda: table.model().rowCount() >= 2, timeout=10_000)
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1 and table.selectionModel().isRowSelected(1)
    qtbot.keyClick(table, Qt.Key.Key_Home)  # to the row's first cell: its tick box
    qtbot.keyClick(table, Qt.Key.Key_Space)  # ticked from the keyboard: its curve goes over the plot
    assert table.currentIndex().column() == TICK and len(window.runs.model.ticked()) == 1

    show_inside(qtbot, window)
    strip, view = window.inside.strip, window.inside
    strip.plot.setFocus()
    view.select_unit(int(strip.order[0]))
    view.select_step(0)
    qtbot.keyClick(strip.plot, Qt.Key.Key_Right)
    qtbot.keyClick(strip.plot, Qt.Key.Key_Right)
    qtbot.keyClick(strip.plot, Qt.Key.Key_Down)
    assert view.step == 2 and strip.step == 2  # the equations follow the cell
    assert view.unit == int(strip.order[1]) and strip.unit == view.unit
    assert f"unit {view.unit}, character 3" in strip.plot.accessibleDescription()
    qtbot.keyClick(strip.plot, Qt.Key.Key_Left)
    qtbot.keyClick(strip.plot, Qt.Key.Key_Up)
    assert (view.step, view.unit) == (1, int(strip.order[0]))


def test_a_dialog_of_the_window_is_named_when_it_opens(qtbot, window, monkeypatch) -> None:
    """The sweep dialog (settings to vary and their values): each control named from its label."""
    named: dict[str, str] = {}

    def show(dialog: QDialog) -> int:
        dialog.show()
        dialog.activateWindow()
        first = next(w for w in controls_of(dialog) if isinstance(w, QLineEdit))
        first.setFocus()
        qtbot.waitUntil(lambda: bool(first.accessibleName()), timeout=5000)
        named.update({f"{type(w).__name__}({w.objectName()})": spoken_name(w) for w in controls_of(dialog)})
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QDialog, "exec", show)
    window.sweep.action.trigger()
    assert len(named) >= 4 and all(name.strip() for name in named.values()), named
