"""Train in the real window and save a screenshot of it: `xvfb-run -a python scripts/screenshot.py OUT.png`.

Uses a throwaway settings file, so the user's remembered settings are untouched.
Pass --epochs and --corpus to change the run (defaults: 40 epochs of the Time Machine).
With --inside IN.png it also saves the Inside tab: the update gate Z over a
passage of the text, units by variance, the unit whose Z best follows the
spaces coloured over the text, and the read-out of one column. --save-model keeps the
trained model; --model opens a saved one instead of training, to remake the
pictures of a long run without running it again. --language zh_CN shows the window in
Simplified Chinese (README.zh-CN.md's picture), --size 1280x800 sets the window's size and
--tab runs shows the Runs tab under the plot instead of Generate.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from window_waits import wait_until

from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window

# The Inside view's probe: the opening of the story, in the letters-mode text.
PASSAGE = "the time traveller for so it will be convenient"
PASSAGE_LENGTH = 160
SIGNAL, ORDER = "z", "variance"
PATTERN = r"\s"  # the spaces between words (a space typed in the box would not show in the picture)
HOVER_STEP = 7  # the 'e' of "time", after "the tim"


def save_inside(app: QApplication, window, out: Path) -> None:
    """The Inside tab after the run: Z over the passage that opens the story, one unit picked, one column read."""
    view = window.inside
    corpus = window.controller.session.corpus
    start = corpus.vocab.decode(corpus.tokens[:3000]).find(PASSAGE)
    view.source.setCurrentIndex(view.source.findData("passage"))
    view.offset.setValue(max(start, 0))
    view.length.setValue(PASSAGE_LENGTH)
    view.signal.setCurrentIndex(view.signal.findData(SIGNAL))
    view.order.setCurrentIndex(view.order.findData(ORDER))
    traced: list[bool] = []
    view.traced.connect(lambda: traced.append(True))
    window.resize(1500, 1050)
    window.right_splitter.setSizes([800, 200])  # more room for the strip than for generation
    window.tabs.setCurrentWidget(view)
    view.refresh()  # queued behind the trace that showing the tab asked for, if any
    wait_until(app, lambda: traced and not view.busy, 120)
    view.pattern.setText(PATTERN)
    view.find_units()
    wait_until(app, lambda: view.units.count() > 0, 30)  # the finder matches in a process of its own
    view.select_unit(int(view.units.item(0).data(Qt.ItemDataRole.UserRole)))
    view.strip.hover_at(view.strip.scene_position(HOVER_STEP, 0))
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    window.tabs.grab().save(str(out))  # the tab alone: legible at the README's width
    print(f"saved {out}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", default="timemachine")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--inside", type=Path, help="also save the Inside view here")
    parser.add_argument("--model", type=Path, help="open this saved model instead of training one")
    parser.add_argument("--save-model", type=Path, help="save the trained model here")
    parser.add_argument("--language", default="en", help="en, zh_CN or system")
    parser.add_argument("--size", default="1400x900", help="the window's size, WIDTHxHEIGHT")
    parser.add_argument("--tab", choices=("generate", "runs"), default="generate", help="the tab shown under the plot")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))

    app = QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", args.language)  # applied by create_main_window before the window is built
    window = create_main_window(settings)
    window.controller.autosave_path = Path(tempfile.mkdtemp()) / "autosave.pt"  # not the user's
    window.resize(width, height)
    window.show()
    wait_until(app, lambda: window.corpus_panel.corpus is not None or window.corpus_panel.message.isVisible(), 30)
    window.corpus_panel.select(args.corpus)
    wait_until(app, lambda: window.corpus_panel.corpus is not None, 30)
    if args.model:
        window.files.open_model(str(args.model))
        wait_until(app, lambda: window.controller.has_model, 60)
    else:
        window.settings_panel.set_values({"epochs": args.epochs, "hidden": args.hidden, "sample_every": 10})
        window.buttons["train"].click()
        # A shared machine can be ten times slower than a quiet one.
        wait_until(app, lambda: window.controller.state is RunState.FINISHED, 600 + 30 * args.epochs)
    if args.save_model:
        saved: list[str] = []
        window.controller.model_saved.connect(saved.append)
        window.files.save_model(str(args.save_model))
        wait_until(app, lambda: saved, 60)
    window.generation.prefix.setText("the time traveller")
    window.generation.button.click()
    wait_until(app, lambda: len(window.generation.output.toPlainText()) > 150 and not window.controller.generating, 60)
    if args.tab == "runs":
        window.lower_tabs.setCurrentWidget(window.runs)
        wait_until(app, lambda: window.runs.model.rowCount() > 0, 30)
        window.runs.select(window.runs.model.run_at(0).id)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    window.grab().save(str(args.out))
    print(f"saved {args.out}")
    if args.inside:
        save_inside(app, window, args.inside)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
