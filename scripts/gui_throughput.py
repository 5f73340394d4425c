"""Training speed in the window against the same run headless, interleaved: `python scripts/gui_throughput.py`.

Both sides train the same settings in this one process (book settings on the
Time Machine, fewer epochs); the window side goes through the QThread worker,
the signals and the live plot. Prints tokens/s of each round and the median ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.events import Finished
from gru_studio.engine.training.trainer import create_trainer
from gru_studio.gui import create_main_window


def headless(model: str, epochs: int) -> float:
    """On a plain thread of its own, like the window's worker: torch on the main thread
    would leave an OpenMP thread team there that slows every other thread's training."""
    result: list[Finished] = []

    def train() -> None:
        corpus_config = CorpusConfig()
        trainer = create_trainer(
            load_corpus(corpus_config), corpus_config, ModelConfig(kind=model), TrainConfig(epochs=epochs)
        )
        result.extend(e for e in trainer.run() if isinstance(e, Finished))

    thread = threading.Thread(target=train)
    thread.start()
    thread.join()
    return result[0].tokens_per_s


def in_window(app: QApplication, model: str, epochs: int) -> float:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    window = create_main_window(settings)
    window.show()
    wait = QEventLoop()  # the GUI thread idles in its event loop, as in the app
    window.corpus_panel.corpus_changed.connect(lambda corpus: corpus is not None and wait.quit())
    wait.exec()
    window.settings_panel.set_values({"kind": model, "epochs": epochs})
    result: list[Finished] = []
    window.controller.events.on(Finished, result.append, lambda _: wait.quit())
    window.buttons["train"].click()
    wait.exec()
    window.close()
    return result[0].tokens_per_s


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="scratch")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    ratios, plain, windowed = [], [], []
    for round_ in range(1, args.rounds + 1):
        a = headless(args.model, args.epochs)
        b = in_window(app, args.model, args.epochs)
        plain.append(a)
        windowed.append(b)
        ratios.append(b / a)
        print(f"round {round_}: headless {a:,.0f} tokens/s, window {b:,.0f} tokens/s, ratio {b / a:.3f}")
    print(
        f"median: headless {statistics.median(plain):,.0f}, window {statistics.median(windowed):,.0f} tokens/s, "
        f"window/headless {statistics.median(ratios):.3f} ({args.model}, {args.epochs} epochs, {os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
