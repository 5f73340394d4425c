"""How the Gradients tab copes with a long run: 100,000 epochs of 20 batches each, offscreen.

    QT_QPA_PLATFORM=offscreen python scripts/gradient_plot_bench.py

Prints the time to append every epoch (with a repaint every 10,000, as the
window's throttled updates make) and the mean of 10 repaints at the end.
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np
import torch  # noqa: F401  (before PySide6, as the app does)
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from gru_studio.engine.training.events import EpochEnd
from gru_studio.gui import create_main_window


def main() -> None:
    app = QApplication.instance() or QApplication([])
    # A settings file of its own (never os.devnull: QSettings saves by renaming a new file over the old).
    folder = tempfile.mkdtemp(prefix="gradient-plot-bench-")
    settings = QSettings(os.path.join(folder, "settings.ini"), QSettings.Format.IniFormat)
    window = create_main_window(settings)
    window.show()
    plot = window.gradients
    window.lower_tabs.setCurrentWidget(plot)
    app.processEvents()
    norms = tuple(np.linspace(0.2, 3.0, 20).tolist())
    started = time.perf_counter()
    for epoch in range(1, 100_001):
        plot.add_epoch(EpochEnd(epoch, 100_000, 5.0, None, 1.0, float(epoch), grad_norms=norms, clipped_share=0.5))
        if epoch % 10_000 == 0:
            plot.plot.grab()
    appending = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(10):
        plot._stale = True
        plot.plot.grab()
    repaint = (time.perf_counter() - started) / 10
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"100,000 epochs x 20 batches: {appending:.2f} s to append ({appending / 100_000 * 1e6:.0f} us an epoch)")
    drawn = len(plot.curve.getData()[0])
    print(f"a repaint: {repaint * 1000:.0f} ms; points kept {len(plot.norms):,}, drawn {drawn:,}")
    window.close()


if __name__ == "__main__":
    main()
