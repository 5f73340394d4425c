"""How long the GUI thread keeps the user waiting while the window trains: `python scripts/heartbeat.py`.

Opens the real window (offscreen unless QT_QPA_PLATFORM says otherwise), trains
with the book's settings and times a 10 ms QTimer on the GUI thread from the
click on Train to the end of the run. Every gap over 10 ms is time in which a
click or a repaint would have waited. The test suite checks the same thing in
short (tests/gui/app/test_window.py, no gap over 150 ms); the figures for
docs/results.md come from here (the Time Machine by default; --corpus sample too).

With --inside N the Inside tab is shown and traces a passage of --probe-chars
characters every N epochs during the run (on a job thread, from a copy of the
weights); the gaps that fall while a trace runs are reported apart.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSettings, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gru_studio.engine.training.events import Finished
from gru_studio.gui import create_main_window
from gru_studio.gui.app.warmup import warm_after_first_paint

BEAT_MS = 10


def watch_inside(window, every: int, chars: int, spans: list[list[float]]) -> None:
    """Trace a passage every `every` epochs in the Inside tab; `spans` gets [start, end] of each trace."""
    view = window.inside
    view.source.setCurrentIndex(view.source.findData("passage"))
    view.length.setValue(chars)
    view.every.setValue(every)
    view.auto.setChecked(True)
    window.tabs.setCurrentWidget(view)
    trace = window.controller.trace

    def timed(*args, **kwargs):  # the view asks the controller; note when each trace begins
        spans.append([time.perf_counter()])
        return trace(*args, **kwargs)

    window.controller.trace = timed
    view.traced.connect(lambda: spans[-1].append(time.perf_counter()))


def measure(corpus: str, model: str, epochs: int, inside: tuple[int, int] | None = None) -> tuple:
    """Gaps between beats (s, each with the time it ended), the Finished event, the text's name, the traces' spans."""
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("corpus/source", corpus)
    window = create_main_window(settings)
    warmup = warm_after_first_paint(window)  # as the app does (gru_studio.gui.app.launch.run_app); a no-op once warm
    window.show()
    gc.freeze()  # as the app does once its window is up
    wait = QEventLoop()  # the GUI thread idles in its event loop, as in the app
    if window.corpus_panel.corpus is None:
        window.corpus_panel.corpus_changed.connect(lambda loaded: loaded is not None and wait.quit())
        wait.exec()
    # A user's first click comes after the warm-up; scripts/first_click_bench.py times one that may not.
    while not warmup.done.is_set():
        QTest.qWait(20)
    window.settings_panel.set_values({"kind": model, "epochs": epochs})
    spans: list[list[float]] = []
    if inside is not None:
        watch_inside(window, *inside, spans)
    finished: list[Finished] = []
    window.controller.events.on(Finished, finished.append, lambda _: wait.quit())
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(BEAT_MS)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start()
    window.buttons["train"].click()
    wait.exec()
    timer.stop()
    name = window.corpus_panel.corpus.name
    while window.inside.busy:  # a trace asked for at the last epoch: let it end
        QTest.qWait(20)
    window.close()
    # Freed by Qt now: left to Python's collector, the window was freed during the next
    # round, on a worker thread, and Qt aborted ("Timers cannot be started from another thread").
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    spans = [span for span in spans if len(span) == 2]  # a trace that failed has no end
    return [(b - a, b) for a, b in itertools.pairwise(beats)], finished[0], name, spans


def during(gaps: list[tuple[float, float]], spans: list[list[float]]) -> list[float]:
    """The gaps that overlap a trace."""
    return [gap for gap, end in gaps if any(start < end and end - gap < stop for start, stop in spans)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="timemachine", choices=["timemachine", "sample"])
    parser.add_argument("--model", default="scratch")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--inside", type=int, metavar="N", help="trace in the Inside tab every N epochs")
    parser.add_argument("--probe-chars", type=int, default=2000, help="the traced passage's length")
    args = parser.parse_args()
    app = QApplication(sys.argv)  # noqa: F841  (kept alive for the windows)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    longest = []
    for round_ in range(1, args.rounds + 1):
        inside = (args.inside, args.probe_chars) if args.inside else None
        gaps, end, name, spans = measure(args.corpus, args.model, args.epochs, inside)
        ms = sorted(g * 1000 for g, _ in gaps)
        p99 = statistics.quantiles(ms, n=100)[98]
        longest.append(ms[-1])
        print(
            f"round {round_}: {name}, {args.model}, {end.epoch} epochs in {end.elapsed_s:.1f} s "
            f"({end.tokens_per_s:,.0f} tokens/s): {len(ms) + 1} beats, gap median {statistics.median(ms):.1f} ms, "
            f"99th percentile {p99:.1f} ms, longest {ms[-1]:.1f} ms, {sum(g > 150 for g in ms)} over 150 ms"
        )
        if spans:
            took = sorted(stop - start for start, stop in spans)
            tracing = sorted(g * 1000 for g in during(gaps, spans))
            print(
                f"  {len(spans)} traces of {args.probe_chars} characters, median {statistics.median(took):.2f} s each; "
                f"{len(tracing)} gaps while tracing: longest {tracing[-1]:.1f} ms, "
                f"{sum(g > 100 for g in tracing)} over 100 ms"
            )
    print(f"longest gap of each round: {', '.join(f'{x:.0f}' for x in longest)} ms")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
