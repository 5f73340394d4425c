"""How long the perplexity plot takes to redraw after many epochs: `python scripts/plot_bench.py`.

Appends `--epochs` points to the real PlotPanel, one epoch at a time as the
window does, repainting every `--paint-every` epochs as a live window would,
then times append + repaint for the last `--last` epochs. Prints the redraw
after the very last epoch and the median of the last few (one figure alone
is at the mercy of whatever else the machine is doing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication

from gru_studio.gui.training.plot_panel import PlotPanel


def perplexity_curve(epochs: int, seed: int = 0) -> np.ndarray:
    """A training-like curve: from about 28 (a uniform guess) down towards 1, with noise."""
    rng = np.random.default_rng(seed)
    falling = 1 + 27 * np.exp(-np.arange(epochs) / (epochs / 8))
    return np.maximum(falling * (1 + 0.02 * rng.standard_normal(epochs)), 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100_000)
    parser.add_argument("--paint-every", type=int, default=1000, help="repaint after this many epochs")
    parser.add_argument("--last", type=int, default=11, help="time append + redraw for this many last epochs")
    parser.add_argument("--log", action="store_true", help="logarithmic perplexity axis")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    panel = PlotPanel()
    panel.resize(900, 500)
    panel.show()
    panel.log_scale.setChecked(args.log)
    app.processEvents()
    panel.begin_run("benchmark")
    values = perplexity_curve(args.epochs)
    timed_from = args.epochs - min(args.last, args.epochs)

    start = time.perf_counter()
    for epoch in range(1, timed_from + 1):
        panel.add_point(epoch, float(values[epoch - 1]))
        if epoch % args.paint_every == 0:
            app.processEvents()
    filling_s = time.perf_counter() - start

    redraws = []
    for epoch in range(timed_from + 1, args.epochs + 1):
        start = time.perf_counter()
        panel.add_point(epoch, float(values[epoch - 1]))
        # grab() paints synchronously, and every paint first hands new points to the curves.
        panel.plot.grab()
        redraws.append((time.perf_counter() - start) * 1000)
    drawn, _ = panel.runs[-1].train.getData()  # after clipping and downsampling
    print(
        f"{timed_from:,} epochs appended one at a time in {filling_s:.2f} s "
        f"(repainting every {args.paint_every:,}; {os.cpu_count()} CPUs)"
    )
    print(
        f"redraw after the last append: {redraws[-1]:.1f} ms; "
        f"median of the last {len(redraws)}: {statistics.median(redraws):.1f} ms "
        f"(min {min(redraws):.1f}, max {max(redraws):.1f}); "
        f"curve holds {len(panel.runs[-1].epochs):,} points, draws {len(drawn):,}"
    )


if __name__ == "__main__":
    main()
