"""The Inside view says how to read it, and fits a small screen (issue 29, items 2, 5 and 6)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.gui.conftest import train_and_wait
from tests.gui.inside.test_inside_view import show_inside

SMALL = (1024, 640)


def test_each_view_has_a_line_that_says_how_to_read_it(qtbot, window) -> None:
    view = window.inside
    window.tabs.setCurrentWidget(view)
    for name in ("strip", "saturation", "finder"):
        label = view.help[name]
        assert label.isVisible() and label.wordWrap() and len(label.text().split()) >= 12, name
    assert "r:" in view.help["finder"].text() and "follows the pattern" in view.help["finder"].text()
    assert "Across" in view.help["saturation"].text() and "up:" in view.help["saturation"].text()
    # The strip's line is for the signal shown: what a high Z means, when Z is shown.
    view.signal.setCurrentIndex(view.signal.findData("z"))
    assert "high Z" in view.help["strip"].text() and "memory" in view.help["strip"].text()
    view.signal.setCurrentIndex(view.signal.findData("r"))
    assert "low R" in view.help["strip"].text()
    # The Show picker and each of its items say what the signal is.
    assert len(view.signal.toolTip().split()) > 10
    for index in range(view.signal.count()):
        assert len(str(view.signal.itemData(index, Qt.ItemDataRole.ToolTipRole)).split()) > 6


def test_the_empty_strip_has_no_scale_on_its_axes(qtbot, window) -> None:
    window.tabs.setCurrentWidget(window.inside)
    strip = window.inside.strip
    assert "x0" not in strip.units.labelString() and "x0" not in strip.chars.labelString()  # was "unit (x0.001)"


def test_layers_are_counted_from_0_as_the_command_line_counts_them(qtbot, window) -> None:
    window.settings_panel.set_values({"kind": "builtin", "layers": 2})
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view = window.inside
    assert [view.layer.itemText(i) for i in range(view.layer.count())] == ["layer 0", "layer 1"]
    assert view.trace.layer == 0  # the engine's number, as `inspect --layer 0` and its messages give it


def test_a_small_window_keeps_its_size_through_the_inside_view(qtbot, window) -> None:
    """At 1024x640 neither a trace, a long refusal nor a long message grows the window past the screen."""
    window.resize(*SMALL)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == SMALL)
    window.settings_panel.set_values({"kind": "rnn-builtin"})
    train_and_wait(qtbot, window)
    view = window.inside
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.message.isVisible())  # a plain RNN has no gates to look at: it says so
    assert view.message.wordWrap() and len(view.message.text()) > 60
    view.say("a very long message " * 40)
    qtbot.wait(500)  # the layout settles (on a busy machine, more than a frame)
    assert (window.width(), window.height()) == SMALL
    assert view.message.width() <= view.width()

    window.settings_panel.set_values({"kind": "scratch"})
    # Away from the Inside tab while it trains: a visible view traces as the run ends, maybe before
    # show_inside starts waiting for it (that race failed once); shown afterwards, it traces then.
    window.tabs.setCurrentIndex(0)
    train_and_wait(qtbot, window)
    show_inside(qtbot, window)
    view.pattern.setText("[aeiou]")
    view.find_units()
    qtbot.waitUntil(lambda: view.units.count() > 0, timeout=10_000)
    qtbot.wait(500)  # the layout settles (on a busy machine, more than a frame)
    assert (window.width(), window.height()) == SMALL


def test_opening_a_model_and_pointing_at_the_plot_keep_a_small_window_small(qtbot, window, tmp_path) -> None:
    """Issue 29: at 1024x640, opening the autosaved model and moving over the plot grew the window to 1166 px."""
    train_and_wait(qtbot, window)
    path = tmp_path / "model.pt"
    with qtbot.waitSignal(window.controller.model_saved, timeout=10_000):
        window.files.save_model(str(path))
    window.buttons["reset"].click()
    window.resize(*SMALL)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == SMALL)
    with qtbot.waitSignal(window.controller.model_opened, timeout=20_000):
        window.files.open_model(str(path))
    viewport = window.plot.plot.viewport()
    for x in range(5, viewport.width(), 25):
        qtbot.mouseMove(viewport, QPoint(x, viewport.height() // 2))
    window.tell("a long message that says a great deal " * 30)
    qtbot.wait(500)  # the layout settles (on a busy machine, more than a frame)
    assert (window.width(), window.height()) == SMALL
