"""The perplexity plot comparing six ticked runs, in English and in Chinese (issue 30's screenshots):
`xvfb-run -a -s "-screen 0 1280x800x24" python scripts/compare_screenshot.py OUT_DIR`.

Records six runs in a throwaway run store (its own $GRU_STUDIO_HOME), as `gru-studio train` records
them: four models at the book's learning rate, the scratch GRU at a smaller one, and one at a learning
rate that diverges. The window (1280x800) then trains one more run, the six are ticked in the Runs tab,
and the mouse rests over the plot. Saves OUT_DIR/compare-en.png and OUT_DIR/compare-zh_CN.png
(--size 1024x640 for a smaller window).
The defaults take about a minute on the bundled sample; --corpus timemachine --epochs 100 gives the
book's text (slower).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["GRU_STUDIO_HOME"] = tempfile.mkdtemp(prefix="compare-screenshot-")  # never the user's run store

import torch  # noqa: F401, E402  (before PySide6)
from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from throwaway_window import record_runs, window_after_one_run  # noqa: E402  (beside this script)
from window_waits import settle, wait_until  # noqa: E402

# (model, learning rate) of the six runs recorded before the window opens; lr 40 diverges.
STORED = [("scratch", 1.0), ("builtin", 1.0), ("rnn", 1.0), ("lstm-builtin", 1.0), ("scratch", 0.3), ("scratch", 40.0)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--corpus", default="sample")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--size", default="1280x800", help="the window's size, WIDTHxHEIGHT")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    record_runs(STORED, args.corpus, args.epochs, args.hidden)

    from gru_studio.gui.common.i18n import CHINESE

    app = QApplication(sys.argv)
    size = tuple(int(n) for n in args.size.split("x"))
    values = {"kind": "scratch", "epochs": args.epochs, "hidden": args.hidden, "lr": 1.5}
    window = window_after_one_run(app, args.corpus, size, values)

    view = window.runs
    window.lower_tabs.setCurrentWidget(view)
    wait_until(app, lambda: view.model.rowCount() == len(STORED) + 1, 30)
    window.right_splitter.setSizes([520, 280])
    for run in view.model.runs():
        if run.id != window.controller.run_id:
            view.tick(run.id)
    wait_until(app, lambda: len(window.plot.overlays) == len(STORED), 30)
    for language, name in (("en", "compare-en.png"), (CHINESE, "compare-zh_CN.png")):
        window.translations.apply(language)
        settle(app)
        vb = window.plot.plot.getPlotItem().vb
        (left, right), (bottom, top) = vb.viewRange()
        # The mouse over the middle of the runs, low in the plot where the box has room.
        window.plot._on_mouse_moved(
            vb.mapViewToScene(QPointF(left + (right - left) * 0.45, bottom + (top - bottom) * 0.3))
        )
        settle(app)
        window.grab().save(str(args.out_dir / name))
        print(f"saved {args.out_dir / name} ({window.width()}x{window.height()})")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
