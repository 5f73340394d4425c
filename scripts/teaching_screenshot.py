"""Pictures of the teaching views for the README, under Xvfb:
`xvfb-run -a python scripts/teaching_screenshot.py GRU.pt RNN.pt OUT_DIR`.

GRU.pt and RNN.pt are models saved by `gru-studio train --save` (the book's settings, 500
epochs of the Time Machine). Opens the GRU in the window at 1280x800 with throwaway settings,
then saves:
- reach.png: the How far back tab, the GRU's influence triangle and its reach curve with the
  RNN's drawn over it, the probe coloured for one prediction;
- equations.png: Inside the GRU with Z held at 1 from the 20th character, the Equations page.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QScrollArea
from window_waits import settle, wait_until

from gru_studio.gui import create_main_window
from gru_studio.gui.common import i18n

PROBE = "the time traveller for so it will be convenient to speak of him was expounding a recondite matter to us"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gru")
    parser.add_argument("rnn")
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="en", help="zh_CN: the window in Simplified Chinese")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(["gru-studio"])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(i18n.SETTING, args.language)
    window = create_main_window(settings)
    window.resize(1280, 800)
    window.show()
    opened: list[bool] = []
    window.controller.model_opened.connect(lambda _: opened.append(True))
    window.files.open_model(args.gru)
    wait_until(app, lambda: bool(opened), 60)
    window.generation.prefix.setText(PROBE)

    view = window.reach
    measured: list[bool] = []
    view.measured.connect(lambda: measured.append(True))
    window.right_splitter.setSizes([640, 130])  # the teaching view over generation
    window.tabs.setCurrentWidget(view)
    wait_until(app, lambda: bool(measured), 120)
    view.compare_with(args.rnn, "scratch RNN, 500 epochs")
    wait_until(app, lambda: len(view.curves.getPlotItem().listDataItems()) == 2, 120)
    view.show_prediction(40)
    settle(app)
    window.grab().save(str(args.out / "reach.png"))

    inside = window.inside
    traced: list[bool] = []
    inside.traced.connect(lambda: traced.append(True))
    window.tabs.setCurrentWidget(inside)
    wait_until(app, lambda: bool(traced) and not inside.busy, 120)
    traced.clear()
    panel = inside.what_if
    panel.gate.setCurrentIndex(panel.gate.findData("z"))  # Z = 1 from the 20th character on: the state is kept
    panel.value.setValue(1.0)
    panel.start.setValue(20)
    panel.apply.click()
    wait_until(app, lambda: bool(traced) and not inside.busy, 120)
    inside.select_unit(3)
    inside.select_step(24)
    inside.pages.setCurrentWidget(inside.equations)
    settle(app)
    bar = inside.findChild(QScrollArea).verticalScrollBar()
    bar.setValue(bar.maximum())  # the pages under the strip, in view
    settle(app)
    window.grab().save(str(args.out / "equations.png"))
    window.close()


if __name__ == "__main__":
    main()
