"""How long the Inside view's heat strip takes to redraw: `python scripts/strip_bench.py`.

Traces an untrained GRU of the book's size (256 units) over 2,000 characters
of the bundled sample, then times, on the GUI thread, a switch of signal or
row order followed by a synchronous paint of the strip (what the user waits
for after a click), and the same switch in the whole Inside view (which also
recolours the probe text by the chosen unit). The target of issue 12 is 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from gru_studio.engine.analysis.inside import SIGNALS, trace
from gru_studio.engine.config import CorpusConfig, ModelConfig
from gru_studio.engine.models import build_model
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.gui.inside.heat_strip import HeatStrip
from gru_studio.gui.inside.view import InsideView
from gru_studio.gui.training.controller import Controller


def timed(action, paint) -> float:
    start = time.perf_counter()
    action()
    paint()
    return (time.perf_counter() - start) * 1000


def summary(ms: list[float]) -> str:
    return f"median {statistics.median(ms):.1f} ms, longest {max(ms):.1f} ms over {len(ms)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    app = QApplication(sys.argv)  # noqa: F841  (kept alive for the widgets)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    corpus = load_corpus(CorpusConfig(source="sample"))
    text = corpus.vocab.decode(corpus.tokens)
    probe = (text * (args.chars // len(text) + 1))[: args.chars]
    torch.manual_seed(0)
    model = build_model(ModelConfig(hidden=args.hidden), len(corpus.vocab))
    shown = trace(model, corpus.vocab, probe, mode=corpus.mode)
    views = itertools.cycle([(signal, order) for signal in SIGNALS for order in ("index", "variance")])

    strip = HeatStrip()
    strip.resize(1000, 420)
    strip.show()
    first = timed(lambda: strip.show_trace(shown, "h", columns=100), strip.plot.viewport().repaint)
    times = [timed(lambda: strip.set_view(*next(views)), strip.plot.viewport().repaint) for _ in range(args.rounds)]
    print(f"strip, {args.chars} characters x {args.hidden} units: first drawing {first:.1f} ms")
    print(f"strip, a switch of signal or order and a paint: {summary(times)}")

    view = InsideView(Controller(), lambda: "")
    view.resize(1000, 600)
    view.show()
    times = [timed(lambda: view.show_trace(shown), view.repaint) for _ in range(args.rounds)]
    print(f"whole view, a new trace shown (strip, saturation plot, layout): {summary(times)}")
    view.select_unit(0)

    def switch() -> None:
        view.signal.setCurrentIndex((view.signal.currentIndex() + 1) % view.signal.count())

    times = [timed(switch, view.repaint) for _ in range(args.rounds)]
    print(f"whole view, a switch of signal, the text recoloured: {summary(times)}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for widget in (view, strip):
        widget.close()
        widget.deleteLater()  # freed by Qt, not by Python's collector at exit
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0


if __name__ == "__main__":
    sys.exit(main())
