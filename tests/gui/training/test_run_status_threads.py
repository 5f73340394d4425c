"""The window's status says the CPU threads an automatic count chose, and each switch, in the speed's tooltip
(issue 26)."""

from __future__ import annotations

from gru_studio.engine.hardware.threads import STALLED, START
from gru_studio.engine.training.events import EpochEnd, ThreadsChosen
from gru_studio.gui.training.run_status import RunStatus
from tests.gui.catalogue import chinese_switch

FIRST = ThreadsChosen(1, 16, 2, None, START, ((1, 40_000.0), (2, 54_000.0)))
SWITCH = ThreadsChosen(7, 3, 1, 2, STALLED, ((1, 38_000.0), (2, None)))


def status_with(qtbot, *events: ThreadsChosen) -> RunStatus:
    status = RunStatus()
    qtbot.addWidget(status)
    status.begin(10)
    for event in events:
        status.on_threads(event)
    return status


def test_the_first_choice_and_each_switch_are_in_the_speeds_tooltip(qtbot) -> None:
    status = status_with(qtbot, FIRST)
    status.on_epoch(EpochEnd(1, 10, 9.0, None, 50_000.0, 0.2))
    assert status.speed.toolTip().splitlines() == [
        "Training speed of the last epoch",
        "CPU threads, chosen by measuring:",
        "epoch 1, batch 16 → 2 (first measurement; 1: 40,000 tokens/s, 2: 54,000 tokens/s)",
    ]
    status.on_threads(SWITCH)
    assert (
        status.speed.toolTip().splitlines()[-1]
        == "epoch 7, batch 3 → 1 (training stalled; 1: 38,000 tokens/s, 2: stalled)"
    )


def test_a_fixed_count_or_a_new_run_says_nothing_of_threads(qtbot) -> None:
    status = status_with(qtbot)
    status.on_epoch(EpochEnd(1, 10, 9.0, None, 50_000.0, 0.2))
    assert status.speed.toolTip() == "Training speed of the last epoch"
    status.on_threads(FIRST)
    status.begin(10)  # the next run measures anew
    assert "threads" not in status.speed.toolTip()


def test_the_tooltip_speaks_chinese(qtbot) -> None:
    status = status_with(qtbot, FIRST, SWITCH)
    with chinese_switch() as chinese:
        chinese(True)
        qtbot.waitUntil(lambda: "测量后选定" in status.speed.toolTip())  # LanguageChange arrives as an event
        tip = status.speed.toolTip()
        assert "测量后选定" in tip and "首次测量" in tip and "训练停顿" in tip and "停顿" in tip
        assert "measuring" not in tip and "stalled" not in tip and "tokens/s" not in tip
