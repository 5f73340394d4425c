"""Train in the real window and save a screenshot of it: `xvfb-run -a python scripts/screenshot.py OUT.png`.

Uses a throwaway settings file, so the user's remembered settings are untouched.
Pass --epochs and --corpus to change the run (defaults: 40 epochs of the Time Machine).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gru_studio.engine.run_state import RunState
from gru_studio.gui import create_main_window


def wait_until(app: QApplication, condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the window")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", default="timemachine")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--hidden", type=int, default=256)
    args = parser.parse_args()

    app = QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(settings)
    window.controller.autosave_path = Path(tempfile.mkdtemp()) / "autosave.pt"  # not the user's
    window.resize(1400, 900)
    window.show()
    wait_until(app, lambda: window.corpus_panel.corpus is not None or window.corpus_panel.message.isVisible(), 30)
    window.corpus_panel.select(args.corpus)
    wait_until(app, lambda: window.corpus_panel.corpus is not None, 30)
    window.settings_panel.set_values({"epochs": args.epochs, "hidden": args.hidden, "sample_every": 10})
    window.buttons["train"].click()
    wait_until(app, lambda: window.controller.state is RunState.FINISHED, 600)
    window.generation.prefix.setText("the time traveller")
    window.generation.button.click()
    wait_until(app, lambda: len(window.generation.output.toPlainText()) > 150 and not window.controller.generating, 60)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    window.grab().save(str(args.out))
    print(f"saved {args.out}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
