"""The samples log follows the newest line during a run, unless the user scrolled up (issue 29, item 6)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget

from gru_studio.gui.training.generation_panel import GenerationPanel


def at_bottom(panel: GenerationPanel) -> bool:
    bar = panel.log.verticalScrollBar()
    return bar.maximum() > 0 and bar.value() == bar.maximum()


def test_the_log_follows_the_newest_sample_unless_scrolled_up(qtbot) -> None:
    # As in the window: the panel is one tab of several, out of sight while the Runs tab is shown.
    tabs = QTabWidget()
    panel = GenerationPanel()
    tabs.addTab(panel, "Generate")
    tabs.addTab(QLabel("runs"), "Runs")
    qtbot.addWidget(tabs)
    tabs.resize(700, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    for epoch in range(10, 200, 10):
        panel.log_sample(epoch, "the time traveller")
        qtbot.wait(5)
    assert at_bottom(panel)

    # Samples logged while the tab is out of sight are in view when it comes back.
    tabs.setCurrentIndex(1)
    for epoch in range(200, 400, 10):
        panel.log_sample(epoch, "the time traveller")
    tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: at_bottom(panel))
    assert panel.log.toPlainText().endswith("epoch 390: the time traveller")

    # Scrolled up to read an early sample: new ones do not pull the view away from it.
    bar = panel.log.verticalScrollBar()
    bar.setValue(0)
    for epoch in range(400, 500, 10):
        panel.log_sample(epoch, "the time traveller")
        qtbot.wait(5)
    assert bar.value() == 0

    # Back at the bottom, it follows again.
    bar.setValue(bar.maximum())
    panel.log_sample(500, "the time traveller")
    qtbot.wait(5)
    assert at_bottom(panel)
