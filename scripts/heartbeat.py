"""How long the GUI thread keeps the user waiting while the window trains: `python scripts/heartbeat.py`.

Opens the real window (offscreen unless QT_QPA_PLATFORM says otherwise), trains
with the book's settings and times a 10 ms QTimer on the GUI thread from the
click on Train to the end of the run. Every gap over 10 ms is time in which a
click or a repaint would have waited. The test suite checks the same thing in
short (tests/gui/test_window.py, no gap over 150 ms); the figures for
docs/results.md come from here. For the Time Machine, point $GRU_STUDIO_DATA_DIR
at a folder holding timemachine.txt; without it the window trains on the sample.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from gru_studio.engine.events import Finished
from gru_studio.gui import create_main_window

BEAT_MS = 10


def measure(corpus: str, model: str, epochs: int) -> tuple[list[float], Finished, str]:
    """Gaps between beats (seconds), the run's Finished event and the name of the text it trained on."""
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("corpus/source", corpus)
    window = create_main_window(settings)
    window.show()
    wait = QEventLoop()  # the GUI thread idles in its event loop, as in the app
    if window.corpus_panel.corpus is None:
        window.corpus_panel.corpus_changed.connect(lambda loaded: loaded is not None and wait.quit())
        wait.exec()
    window.settings_panel.set_values({"kind": model, "epochs": epochs})
    finished: list[Finished] = []
    window.controller.run_finished.connect(finished.append)
    window.controller.run_finished.connect(wait.quit)
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(BEAT_MS)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start()
    window.buttons["train"].click()
    wait.exec()
    timer.stop()
    name = window.corpus_panel.corpus.name
    window.close()
    return [b - a for a, b in itertools.pairwise(beats)], finished[0], name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="timemachine", choices=["timemachine", "sample"])
    parser.add_argument("--model", default="scratch")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication(sys.argv)  # noqa: F841  (kept alive for the windows)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    longest = []
    for round_ in range(1, args.rounds + 1):
        gaps, end, name = measure(args.corpus, args.model, args.epochs)
        ms = sorted(g * 1000 for g in gaps)
        p99 = statistics.quantiles(ms, n=100)[98]
        longest.append(ms[-1])
        print(
            f"round {round_}: {name}, {args.model}, {end.epoch} epochs in {end.elapsed_s:.1f} s "
            f"({end.tokens_per_s:,.0f} tokens/s): {len(ms) + 1} beats, gap median {statistics.median(ms):.1f} ms, "
            f"99th percentile {p99:.1f} ms, longest {ms[-1]:.1f} ms, {sum(g > 150 for g in ms)} over 150 ms"
        )
    print(f"longest gap of each round: {', '.join(f'{x:.0f}' for x in longest)} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
