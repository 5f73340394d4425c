"""The runs table beside overlaid curves, for the README: `xvfb-run -a python scripts/runs_screenshot.py OUT.png`.

Records a small learning-rate comparison in a throwaway run store (its own
$GRU_STUDIO_HOME): three runs trained headless as `gru-studio train` records
them, then one more trained in the real window at 1280x800. The Runs tab then
shows all four, only the columns that differ, the three stored runs ticked
and overlaid on the live run's curve, smoothed, with the values under the
mouse. --corpus sample gives a quicker, rougher picture.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["GRU_STUDIO_HOME"] = tempfile.mkdtemp(prefix="runs-screenshot-")  # never the user's run store

import torch  # noqa: F401, E402  (before PySide6)
from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from throwaway_window import record_runs, window_after_one_run  # noqa: E402  (beside this script)
from window_waits import settle, wait_until  # noqa: E402

# (model, learning rate) of the runs recorded before the window opens; the window trains scratch at lr 1.
STORED = [("scratch", 0.5), ("scratch", 2.0), ("builtin", 1.0)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", default="timemachine")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args()

    record_runs(STORED, args.corpus, args.epochs, args.hidden)

    app = QApplication(sys.argv)
    values = {"kind": "scratch", "epochs": args.epochs, "hidden": args.hidden, "lr": 1.0}
    window = window_after_one_run(app, args.corpus, (1280, 800), values)

    view = window.runs
    window.lower_tabs.setCurrentWidget(view)
    wait_until(app, lambda: view.model.rowCount() == len(STORED) + 1 and not view._loading, 30)
    window.right_splitter.setSizes([500, 300])  # room for the table's rows under the plot
    for run in view.model.runs():
        if run.id != window.controller.run_id:
            view.tick(run.id)
    view.only_differing.setChecked(True)
    view.select(window.controller.run_id)
    window.plot.set_smoothing(0.6)
    settle(app)
    plot = window.plot.plot
    vb = plot.getPlotItem().vb
    (left, right), (bottom, top) = vb.viewRange()
    # Hover early in the runs, where they differ most, low in the plot where the box has room.
    point = vb.mapViewToScene(QPointF(left + (right - left) * 0.14, bottom + (top - bottom) * 0.08))
    window.plot._on_mouse_moved(point)
    settle(app)
    window.grab().save(str(args.out))
    print(f"saved {args.out}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
