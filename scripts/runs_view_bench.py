"""How fast the window lists a big run history: 1,000 runs of 500 epochs by default.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/runs_view_bench.py [--runs 1000] [--epochs 500] [--rounds 5]

Fills a throwaway run store (its own $GRU_STUDIO_HOME) with finished runs whose
settings vary as a sweep's do, then measures, each round in a fresh process
state as far as Python allows (a new window, the store's pages in the OS cache):

- `RunStore.list()` alone: the SQL and the summaries;
- the window: from showing the Runs tab to the table filled (the store read on
  its job thread, the rows made, the columns sized), as a user waits for it;
- scrolling: the table scrolled from top to bottom a page at a time, each
  page repainted (`repaint()` paints at once); the median and worst page;
- sorting by a column (learning rate), both ways;
- ticking one run: its 500 epochs read and drawn on the plot.

Prints the machine's cores and load average before and after, and medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch  # noqa: F401  (before PySide6)
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.history.store import REFIGURE, RunStore


def fill(path: Path, runs: int, epochs: int) -> None:
    """A store of `runs` finished runs of `epochs` epochs each, written in bulk (one transaction)
    rather than one transaction per epoch as a run writes them: 500,000 of those would take minutes."""
    with RunStore(path) as store:
        store.start(CorpusConfig(), ModelConfig(), TrainConfig(), corpus_name="warm", corpus_sha1=None, device="cpu")
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("DELETE FROM runs")
    now = time.time()
    with db:
        for number in range(runs):
            lr = (0.25, 0.5, 1.0, 2.0)[number % 4]
            hidden = (64, 128, 256)[number // 4 % 3]
            settings = {
                "corpus": dataclasses.asdict(CorpusConfig()),
                "model": dataclasses.asdict(ModelConfig(kind=("scratch", "builtin")[number % 2], hidden=hidden)),
                "train": dataclasses.asdict(TrainConfig(lr=lr, epochs=epochs, seed=number % 5)),
            }
            started = now - (runs - number) * 120.0
            cursor = db.execute(
                "INSERT INTO runs (name, status, started, ended, pid, host, corpus_name, corpus_path, corpus_sha1, "
                "device, torch_version, app_version, settings, start_epoch) "
                "VALUES ('', 'finished', ?, ?, 1, 'bench', 'The Time Machine', '/x', NULL, 'cpu', 't', 'v', ?, 0)",
                (started, started + 90.0, json.dumps(settings)),
            )
            run_id = cursor.lastrowid
            db.executemany(
                "INSERT INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, e, 1.0 + 27.0 / e * lr, 1.1 + 27.0 / e, 9e4 + e, 0.5, 0.18 * e)
                    for e in range(1, epochs + 1)
                ],
            )
        for statement in REFIGURE:  # each run's figures, as add_epoch would have kept them
            db.execute(statement)
    db.close()


def wait_until(app: QApplication, condition, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="runs-bench-"))
    os.environ["GRU_STUDIO_HOME"] = str(home)
    from gru_studio.engine.history.store import default_path
    from gru_studio.gui import create_main_window

    print(f"cpu cores {os.cpu_count()}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started = time.perf_counter()
    fill(default_path(), args.runs, args.epochs)
    size = default_path().stat().st_size / 2**20
    print(f"filled {args.runs} runs x {args.epochs} epochs in {time.perf_counter() - started:.1f} s ({size:.0f} MiB)")

    app = QApplication.instance() or QApplication(sys.argv)
    figures: dict[str, list[float]] = {k: [] for k in ("list", "window", "page", "worst page", "sort", "tick")}
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        with RunStore() as store:
            listed = store.list()
        figures["list"].append(time.perf_counter() - t0)
        assert len(listed) == args.runs

        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("corpus/source", "sample")
        window = create_main_window(settings)
        window.resize(1280, 800)
        window.show()
        wait_until(app, lambda window=window: window.corpus_panel.corpus is not None)
        view = window.runs
        t0 = time.perf_counter()
        window.lower_tabs.setCurrentWidget(view)
        wait_until(app, lambda view=view: view.model.rowCount() == args.runs and not view._loading)
        view.table.repaint()
        figures["window"].append(time.perf_counter() - t0)

        bar = view.table.verticalScrollBar()
        pages = []
        while bar.value() < bar.maximum():
            t0 = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            view.table.viewport().repaint()
            pages.append(time.perf_counter() - t0)
        figures["page"].append(statistics.median(pages))
        figures["worst page"].append(max(pages))

        column = view.model.column_of("lr")
        t0 = time.perf_counter()
        view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
        view.table.viewport().repaint()
        figures["sort"].append((time.perf_counter() - t0) / 2)

        t0 = time.perf_counter()
        view.tick(view.model.run_at(0).id)
        window.plot.plot.repaint()
        figures["tick"].append(time.perf_counter() - t0)
        window.close()
        window.deleteLater()
        app.processEvents()

    print(f"{args.rounds} rounds, medians (range):")
    for name, values in figures.items():
        low, high = min(values) * 1000, max(values) * 1000
        print(f"  {name:<11} {statistics.median(values) * 1000:8.1f} ms  ({low:.1f} - {high:.1f})")
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
