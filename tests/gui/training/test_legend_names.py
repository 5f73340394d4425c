"""Issue 28, cause 9: a run's name is text in the legend, never markup, and a long one is cut short."""

from __future__ import annotations

from gru_studio.engine.training.events import EpochRecord
from gru_studio.gui.training.plot_curves import LEGEND_NAME_CHARS, legend_text

HISTORY = [EpochRecord(1, 9.0, None, 1000.0, 0.5, 0.1), EpochRecord(2, 7.0, None, 1000.0, 0.5, 0.2)]


def test_a_name_with_markup_is_shown_as_its_characters(panel) -> None:
    panel.add_overlay(3, '<b>bold</b> & <img src="x">', "#1f77b4", HISTORY)
    [entry] = panel.legend.entries.values()
    # A check box draws plain text: the markup stays its characters (only elided to the legend's width).
    assert entry.name == '#3 <b>bold</b> & <img src="x">'
    assert entry.text().rstrip("…").replace("&&", "&") in entry.name  # "&&": a button's literal "&"


def test_a_huge_name_is_cut_to_a_legend_line(panel) -> None:
    width = panel.legend.width()
    panel.add_overlay(4, "x" * 100_000, "#1f77b4", HISTORY)
    [entry] = panel.legend.entries.values()
    assert entry.name == "#4 " + "x" * (LEGEND_NAME_CHARS - 1) + "…"  # the tooltip's whole name, cut
    assert entry.text().endswith("…") and panel.legend.width() == width  # shown elided: the legend keeps its width


def test_legend_text_keeps_a_short_plain_name() -> None:
    assert legend_text("lr 0.5") == "lr 0.5"
    assert legend_text("<b>") == "<b>"  # plain text: a check box draws no markup
    assert len(legend_text("y" * 61)) == LEGEND_NAME_CHARS


def test_a_removed_entry_is_not_drawn_while_it_waits_to_be_deleted(qtbot) -> None:
    """A run's entry taken away (Keep earlier runs off, a new run begins) is hidden at once: deleteLater
    waits for the event loop, and until then the old name was drawn under the new run's ("#2" over "#3")."""
    from gru_studio.gui.training.plot_legend import RunLegend

    legend = RunLegend()
    qtbot.addWidget(legend)
    legend.show()
    old = legend.set_entry(2, "#2 scratch GRU", "", "#0072b2")
    qtbot.waitUntil(old.isVisible)  # a layout shows a new child once the event loop runs
    legend.remove(2)
    legend.set_entry(3, "#3 scratch GRU", "", "#0072b2")
    assert not old.isVisible()
    assert legend.names() == ["#3 scratch GRU"]
