"""Screenshots of the window in a theme (Dark by default) at 1280x800: the plot, the Inside tab, the Runs tab.

    xvfb-run -a -s "-screen 0 1280x800x24" python scripts/theme_screenshot.py OUT_DIR [--theme dark]

Trains two short runs in the real window (so that the plot has curves, the Runs tab rows, and Inside a
model to look into), then saves OUT_DIR/{theme}-plot.png (the whole window, the Perplexity tab over the
Gradients tab), {theme}-inside.png and {theme}-runs.png. A throwaway settings file and run store
(GRU_STUDIO_HOME) leave the user's own untouched. Each picture's mean brightness is printed, to check
a dark one at a glance.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QScrollArea
from window_waits import settle, wait_until

from gru_studio.engine.files import HOME_ENV
from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window
from gru_studio.gui.common import theme


def brightness(image: QImage) -> float:
    """Mean Rec. 709 luma of the encoded values, 0..1 (the theme tests' measure)."""
    small = image.scaled(160, 100)
    total = 0.0
    for y in range(small.height()):
        for x in range(small.width()):
            c = small.pixelColor(x, y)
            total += 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()
    return total / (small.width() * small.height())


def save(image: QImage, path: Path) -> None:
    image.save(str(path))
    print(f"saved {path} (mean brightness {brightness(image):.2f})")


def train(app: QApplication, window, epochs: int, hidden: int) -> None:
    window.settings_panel.set_values({"epochs": epochs, "hidden": hidden, "sample_every": 10})
    window.controls.train()
    # A shared machine can be ten times slower than a quiet one.
    wait_until(app, lambda: window.controller.state is RunState.FINISHED, 600 + 30 * epochs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--theme", choices=theme.CHOICES, default=theme.DARK)
    parser.add_argument("--corpus", default="timemachine")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--size", default="1280x800", help="the window's size, WIDTHxHEIGHT")
    parser.add_argument("--language", default="en", help="en, zh_CN or system")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault(HOME_ENV, tempfile.mkdtemp())  # the run store and autosave: not the user's

    app = QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", args.language)
    settings.setValue(theme.SETTINGS_KEY, args.theme)  # as the View menu remembers it
    window = create_main_window(settings)
    window.resize(width, height)
    window.show()
    wait_until(app, lambda: window.corpus_panel.corpus is not None or window.corpus_panel.message.isVisible(), 30)
    window.corpus_panel.select(args.corpus)
    wait_until(app, lambda: window.corpus_panel.corpus is not None, 60)
    train(app, window, args.epochs, args.hidden)
    window.settings_panel.set_values({"lr": 2.0})  # a second run, different, for the plot and the table
    train(app, window, args.epochs, args.hidden)
    name = theme.manager().effective()

    window.lower_tabs.setCurrentWidget(window.gradients)
    settle(app)
    save(window.grab().toImage(), args.out_dir / f"{name}-plot.png")

    window.lower_tabs.setCurrentWidget(window.runs)
    wait_until(app, lambda: window.runs.model.rowCount() > 1, 30)
    window.runs.tick(window.runs.model.run_at(1).id, True)  # an earlier run overlaid on the plot
    window.runs.select(window.runs.model.run_at(0).id)
    settle(app)
    save(window.grab().toImage(), args.out_dir / f"{name}-runs.png")

    view = window.inside
    traced: list[bool] = []
    view.traced.connect(lambda: traced.append(True))
    window.lower_tabs.setCurrentWidget(window.generation)
    window.right_splitter.setSizes([620, 140])  # room for the strip and the text coloured under it
    window.tabs.setCurrentWidget(view)
    view.refresh()
    wait_until(app, lambda: traced and not view.busy, 120)
    view.pattern.setText(r"\s")  # the units that follow the spaces between words, one coloured over the text
    view.find_units()
    for _ in range(500):  # a search may run on a thread
        if view.units.count():
            break
        settle(app, 1)
    # The best unit found, or unit 0: the text coloured by it under the strip.
    view.select_unit(int(view.units.item(0).data(Qt.ItemDataRole.UserRole)) if view.units.count() else 0)
    settle(app)
    for area in view.findChildren(QScrollArea):  # the coloured text into view, at this small size
        area.ensureWidgetVisible(view.unit_text)
    settle(app)
    save(window.grab().toImage(), args.out_dir / f"{name}-inside.png")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
