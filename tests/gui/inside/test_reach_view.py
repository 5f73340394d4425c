"""How far back (issue 24): the influence triangle, the reach curves and the attribution colouring, in the window."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint

from gru_studio.engine.analysis.influence import reach
from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.common import i18n
from tests.gui.conftest import train_and_wait

PROBE = "the time traveller"


def show_reach(qtbot, window: MainWindow) -> None:
    """Switch to the tab and wait for the measurement that showing it after a run asks for."""
    window.generation.prefix.setText(PROBE)
    with qtbot.waitSignal(window.reach.measured, timeout=30_000):
        window.tabs.setCurrentWidget(window.reach)


def background(window: MainWindow, k: int) -> str:
    cursor = window.reach.text.textCursor()
    cursor.setPosition(k + 1)  # the format of the character before the cursor
    return cursor.charFormat().background().color().name()


def test_the_triangle_and_the_curve_are_the_engines_numbers(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_reach(qtbot, window)
    view = window.reach
    session = window.controller.session
    expected = reach(session.model, session.corpus.vocab, PROBE, mode=session.corpus.mode)
    np.testing.assert_allclose(view.reach.influence, expected.influence, rtol=1e-9)
    image = view.map.image.image  # (k, t): col-major, as the heat strip's
    assert image.shape == (len(PROBE), len(PROBE) - 1)
    assert np.isnan(image[5, 2]) and np.isfinite(image[2, 5])  # the future is empty, the past drawn
    curves = view.curves.getPlotItem().listDataItems()
    assert len(curves) == 1 and curves[0].name().startswith("this model")
    drawn = curves[0].yData  # the values, before the log scale maps them
    np.testing.assert_allclose(drawn, np.clip(expected.reach, 1e-12, None), rtol=1e-9)


def test_pointing_at_a_prediction_colours_the_characters_that_drove_it(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_reach(qtbot, window)
    view = window.reach
    view.show_prediction(6)
    assert view.map.row.isVisible()
    assert all(background(window, k) != "#000000" for k in range(7))  # coloured: red or blue by sign
    coloured = {background(window, k) for k in range(7)}
    assert len(coloured) > 1
    assert background(window, 10) == "#000000"  # past the prediction: no format at all
    # The real mouse on the text does the same, for the character under it.
    viewport = view.text.viewport()
    rect = view.text.cursorRect(view.text.textCursor())

    def pointed() -> bool:
        qtbot.mouseMove(viewport, QPoint(rect.left() + 1, rect.center().y()))
        qtbot.wait(20)
        qtbot.mouseMove(viewport, QPoint(rect.left() + 60, rect.center().y()))
        qtbot.wait(20)
        return view.map.row.isVisible() and view.map.row.getRegion()[0] > 0

    qtbot.waitUntil(pointed, timeout=5000)
    view.show_prediction(-1)
    assert not view.map.row.isVisible()


def test_it_follows_training_and_compares_with_a_recorded_runs_saved_model(qtbot, window, tmp_path) -> None:
    view = window.reach
    window.generation.prefix.setText(PROBE)
    window.tabs.setCurrentWidget(view)
    view.every.setValue(2)
    window.settings_panel.set_values({"epochs": 4})
    measured: list[object] = []
    view.measured.connect(lambda: measured.append(view.reach))
    train_and_wait(qtbot, window)
    qtbot.waitUntil(lambda: len(measured) >= 2, timeout=30_000)  # during the run, and after it
    # Save the model: the run is recorded with its file, and the reach picker offers it.
    path = tmp_path / "m.pt"
    with qtbot.waitSignal(window.controller.model_saved, timeout=20_000):
        window.controller.save_model(path)
    with qtbot.waitSignal(view.measured, timeout=30_000):
        view.refresh()
    qtbot.waitUntil(lambda: view.runs.count() >= 2, timeout=10_000)
    view.runs.activated.emit(1)
    qtbot.waitUntil(lambda: len(view.curves.getPlotItem().listDataItems()) == 2, timeout=30_000)
    names = [item.name() for item in view.curves.getPlotItem().listDataItems()]
    assert names[1].startswith(f"#{window.controller.run_id}")


def test_it_speaks_chinese(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_reach(qtbot, window)
    window.language_menu.actions_by_choice[i18n.CHINESE].trigger()
    qtbot.waitUntil(lambda: window.reach.refresh_button.text() != "Measure", timeout=5000)
    view = window.reach
    for text in (view.refresh_button.text(), view.help.text(), view.clear_button.text()):
        assert any("\u4e00" <= c <= "\u9fff" for c in text), text
    assert window.tabs.tabText(window.tabs.indexOf(view)) != "How far back"
    window.language_menu.actions_by_choice[i18n.ENGLISH].trigger()
    qtbot.waitUntil(lambda: window.reach.refresh_button.text() == "Measure", timeout=5000)
