"""The unit finder's search: off the GUI thread, with a time limit, cancelled by a new one (issue 28, cause 4)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from gru_studio.engine.analysis.inside import pattern_indicator
from gru_studio.engine.errors import GenerationError
from gru_studio.gui.inside import pattern_search
from gru_studio.gui.inside.pattern_search import PatternSearch
from tests.gui.conftest import train_and_wait

# `(a+)+$` backtracks through every way of splitting the a's before it fails at the space:
# 2**34 ways, minutes of Python's `re`, which holds the GIL throughout (issue 28's freeze).
RUNAWAY_TEXT = "a" * 34 + " the"
RUNAWAY = "(a+)+$"


@pytest.fixture
def traced_runaway(qtbot, window):
    """The window's Inside view, showing a trace of RUNAWAY_TEXT, with a short time limit."""
    train_and_wait(qtbot, window)
    window.generation.prefix.setText(RUNAWAY_TEXT)
    view = window.inside
    with qtbot.waitSignal(view.traced, timeout=20_000):
        window.tabs.setCurrentWidget(view)
    assert "".join(view.trace.chars) == RUNAWAY_TEXT
    view.search.time_limit_ms = 1500
    return view


def test_a_runaway_pattern_gives_up_with_a_message_and_the_window_answers_meanwhile(qtbot, traced_runaway) -> None:
    view = traced_runaway
    ticks: list[int] = []
    clock = QTimer(interval=50)
    clock.timeout.connect(lambda: ticks.append(1))
    clock.start()
    qtbot.keyClicks(view.pattern, RUNAWAY)
    with qtbot.waitSignal(view.search.timed_out, timeout=10_000):
        qtbot.keyClick(view.pattern, Qt.Key.Key_Return)
        assert view.search.running  # Enter returned at once: the match runs elsewhere
    clock.stop()
    # The event loop ran all along: a frozen window (the match on the GUI thread) would tick once or never.
    assert len(ticks) >= 10
    assert view.finder_message.isVisible() and view.finder_message.text().startswith("Gave up after 1.5 s")
    assert view.units.count() == 0 and not view.search.running


def test_a_new_search_cancels_the_one_running(qtbot, traced_runaway) -> None:
    view = traced_runaway
    timed_out: list[int] = []
    view.search.timed_out.connect(lambda: timed_out.append(1))
    view.pattern.setText(RUNAWAY)
    view.find_units()
    assert view.search.running
    view.pattern.setText("the")
    view.find_units()
    qtbot.waitUntil(lambda: view.units.count() > 0, timeout=10_000)
    qtbot.wait(2000)  # past the first search's time limit: it was killed, so it says nothing
    assert not timed_out and not view.finder_message.isVisible()
    # The ranking is the one of "the" over the text, as the engine marks it.
    assert view._indicator.tolist() == pattern_indicator(RUNAWAY_TEXT, "the").tolist()


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("a{99999999999}", "a repeat count is too large"),  # Python raises OverflowError, not re.error
        ("(", "missing ), unterminated subpattern"),
        ("a**", "multiple repeat"),
    ],
)
def test_a_bad_pattern_is_one_line_under_the_field(qtbot, traced_runaway, pattern: str, reason: str) -> None:
    view = traced_runaway
    view.pattern.setText(pattern)
    view.find_units()
    said = view.finder_message.text()
    assert view.finder_message.isVisible() and "not a valid regular expression" in said and reason in said
    assert "\n" not in said and not view.search.running and view.units.count() == 0


def test_a_pattern_that_matches_nothing_says_so_and_lists_no_units(qtbot, traced_runaway) -> None:
    view = traced_runaway
    view.pattern.setText("zzz")
    view.find_units()
    qtbot.waitUntil(lambda: not view.search.running, timeout=10_000)
    qtbot.waitUntil(lambda: "matches nothing" in view.finder_message.text(), timeout=10_000)
    assert view.units.count() == 0


def test_the_search_alone_reports_spans_as_the_engine_marks_them(qtbot) -> None:
    search = PatternSearch()
    text = "the cat sat on the mat"
    with qtbot.waitSignal(search.found, timeout=10_000) as found:
        search.search(text, r"\bt\w+")
    assert found.args[0].tolist() == pattern_indicator(text, r"\bt\w+").tolist()
    with pytest.raises(GenerationError):
        search.search(text, "a{99999999999}")


def test_the_frozen_bundle_runs_the_matcher_through_its_own_entry_point(qtbot, monkeypatch) -> None:
    """In the bundle sys.executable is GRU Studio, not a Python: the search starts it with WORKER_VARIABLE
    set, and packaging/entry.py then runs the matcher alone (here: that entry point, run by Python)."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert pattern_search.worker_command() == (sys.executable, [], True)
    monkeypatch.undo()
    entry = Path(__file__).resolve().parents[3] / "packaging" / "entry.py"
    monkeypatch.setattr(pattern_search, "worker_command", lambda: (sys.executable, [str(entry)], True))
    search = PatternSearch()
    text = "the cat sat on the mat"
    with qtbot.waitSignal(search.found, timeout=20_000) as found:
        search.search(text, "at")
    assert found.args[0].tolist() == pattern_indicator(text, "at").tolist()


def test_the_issues_own_case_times_out_while_the_event_loop_runs(qtbot) -> None:
    """Issue 28's case as filed: `(a+)+$` over 34 a's and a '!' (not a text the window's models can trace,
    so the search alone), which froze the window for more than 120 s."""
    search = PatternSearch(time_limit_ms=1000)
    ticks: list[int] = []
    clock = QTimer(interval=50)
    clock.timeout.connect(lambda: ticks.append(1))
    clock.start()
    with qtbot.waitSignal(search.timed_out, timeout=10_000):
        search.search("a" * 34 + "!", RUNAWAY)
    clock.stop()
    assert len(ticks) >= 8 and not search.running
