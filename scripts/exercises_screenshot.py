"""The window as the README's "The chapter's exercises" shows it.

    xvfb-run -a python scripts/exercises_screenshot.py docs/exercises.png

Trains the book's GRU on the Time Machine (--epochs, default 40) in a window of
1280x800, with the gradient-norm plot open under the perplexity plot, and
saves the whole window: the perplexity curve falling through the uniform and
unigram lines, every batch's gradient norm against the clip threshold θ, and
the share of batches clipped. Settings and the run history go to throwaway
folders, so the user's are untouched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from window_waits import settle, wait_until

from gru_studio.engine.training.run_state import RunState
from gru_studio.gui import create_main_window


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", default="timemachine")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))

    app = QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    window = create_main_window(settings)
    window.controller.autosave_path = Path(tempfile.mkdtemp()) / "autosave.pt"
    window.controller.runs_path = Path(tempfile.mkdtemp()) / "runs.sqlite"  # a run history of its own
    window.resize(width, height)
    window.show()
    wait_until(app, lambda: window.corpus_panel.corpus is not None or window.corpus_panel.message.isVisible(), 30)
    window.corpus_panel.select(args.corpus)
    wait_until(app, lambda: window.corpus_panel.corpus is not None, 30)
    window.settings_panel.set_values({"epochs": args.epochs, "sample_every": 10})
    window.lower_tabs.setCurrentWidget(window.gradients)
    window.buttons["train"].click()
    wait_until(app, lambda: window.controller.state is RunState.FINISHED, 600 + 30 * args.epochs)
    settle(app, 30)
    window.grab().save(str(args.out))
    print(f"saved {args.out}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
