"""The chapter's equations with their numbers, stepping through a text, and what if a gate were fixed (issue 25)."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt

from gru_studio.gui.app.main_window import MainWindow
from gru_studio.gui.common import i18n
from tests.gui.conftest import train_and_wait

PROBE = "the time traveller"


def show_inside(qtbot, window: MainWindow) -> None:
    window.generation.prefix.setText(PROBE)
    with qtbot.waitSignal(window.inside.traced, timeout=20_000):
        window.tabs.setCurrentWidget(window.inside)


def numbers(text: str) -> list[float]:
    return [float(n.replace("−", "-")) for n in re.findall(r"[+−-]?\d+\.\d{3}", re.sub(r"<[^>]+>", " ", text))]


def test_a_click_on_the_strip_fills_in_the_books_equations_for_that_character_and_unit(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    strip = view.strip
    view.pages.setCurrentWidget(view.equations)
    strip.click_at(strip.scene_position(4, 3))  # character 5 ('t' of "time"), the unit in row 3
    unit, trace = view.unit, view.trace
    assert view.step == 4 and strip.step_box.isVisible()
    text = view.equations.equations.text()
    assert "Character 5" in text and f"unit {unit}" in text and "σ" in text and "⊙" in text
    z, r, h_tilde, h = (float(trace.signal(name)[4, unit]) for name in ("z", "r", "h_tilde", "h"))
    shown = numbers(text)
    for value in (z, r, h_tilde, h):
        assert any(abs(n - value) < 5e-4 for n in shown), value
    parts = trace.terms["z"]
    for term in (parts["input"][4, unit], parts["recurrent"][4, unit], parts["bias"][unit]):
        assert any(abs(n - term) < 5e-4 for n in shown)
    assert "Next:" in view.equations.top5.text()


def test_stepping_with_the_buttons_the_keys_and_play(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    view.select_step(2)
    view.equations.forward.click()
    assert view.step == 3
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.step == 4
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.step == 2 and "Character 3" in view.equations.equations.text()
    view.equations.back.click()
    view.equations.back.click()
    view.equations.back.click()
    assert view.step == 0  # never before the first character
    view.equations.speed.setValue(60)
    view.equations.play.setChecked(True)
    qtbot.waitUntil(lambda: view.step == len(PROBE) - 1, timeout=10_000)
    qtbot.waitUntil(lambda: not view.equations.play.isChecked(), timeout=2000)  # it stops at the end


def test_what_if_holds_the_gate_and_says_what_it_changed(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    panel = view.what_if
    view.pages.setCurrentWidget(panel)
    free = view.trace.perplexity
    with qtbot.waitSignal(view.traced, timeout=20_000):
        panel.presets[0].click()  # Z = 1: the state is kept
    trace = view.trace
    assert trace.clamps and (trace.z == 1).all()
    assert (trace.h == trace.h0).all()  # from the first character on, nothing new is ever written
    assert f"{free:.3f}" in panel.result.text() and f"{trace.perplexity:.3f}" in panel.result.text()
    assert "held: Z = 1" in view.equations.equations.text()
    with qtbot.waitSignal(view.traced, timeout=20_000):
        panel.only_unit.setChecked(True)
        view.select_unit(2)
        panel.use_preset("r", 0.0)
    trace = view.trace
    assert (trace.r[:, 2] == 0).all() and not (trace.r[:, 3] == 0).all()
    qtbot.waitUntil(lambda: panel.generate.isEnabled(), timeout=1000)
    with qtbot.waitSignal(view.traced, timeout=20_000):
        panel.only_unit.setChecked(False)
        panel.presets[0].click()
    panel.generate.click()
    qtbot.waitUntil(lambda: bool(panel.written.text()), timeout=20_000)
    written = panel.written.text().split(": ", 1)[1]
    assert len(set(written)) == 1  # Z = 1 from the start: the same character over and over
    with qtbot.waitSignal(view.traced, timeout=20_000):
        panel.clear.click()
    assert not view.trace.clamps and not (view.trace.z == 1).all()


def test_nn_gru_is_written_in_pytorchs_own_form(qtbot, window) -> None:
    window.settings_panel.set_values({"kind": "builtin"})
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    view.select_step(3)
    text = view.equations.equations.text()
    assert "n<sub>t</sub>" in text and "W<sub>hn</sub>" in text and "nn.GRU applies the reset gate after" in text
    z = float(view.trace.z[3, max(view.unit, 0)])
    assert any(abs(n - z) < 5e-4 for n in numbers(text))
    np.testing.assert_allclose(view.trace.terms["z"]["bias"].shape, (view.trace.hidden,))


def test_the_equations_and_what_if_speak_chinese(qtbot, window) -> None:
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    view.select_step(1)
    window.language_menu.actions_by_choice[i18n.CHINESE].trigger()
    qtbot.waitUntil(lambda: view.what_if.apply.text() != "Apply", timeout=5000)
    han = re.compile(r"[\u4e00-\u9fff]")
    for text in (
        view.equations.equations.text(),
        view.what_if.apply.text(),
        view.what_if.presets[0].toolTip(),
        view.pages.tabText(1),
        view.equations.play.text(),
    ):
        assert han.search(text), text
    window.language_menu.actions_by_choice[i18n.ENGLISH].trigger()
    qtbot.waitUntil(lambda: view.what_if.apply.text() == "Apply", timeout=5000)
