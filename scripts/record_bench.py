"""What recording a run in the run store costs: the same run trained with and without it.

    .venv/bin/python scripts/record_bench.py [--rounds 7] [--epochs 100] [--hidden 32]

Each round trains the same small run twice, once bare and once through
RunRecorder (start, one transaction per epoch, the end), in alternating order
so that a machine that speeds up or slows down during the script affects both
alike. Times are wall clock from the first event to the last, as the user
waits for them. Prints the medians and the overhead in per cent, and the
median cost of one epoch's write measured on its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.history.recorder import RunRecorder
from gru_studio.engine.history.store import RunStore
from gru_studio.engine.training.events import EpochRecord
from gru_studio.engine.training.session import Session


def one_run(configs: tuple[CorpusConfig, ModelConfig, TrainConfig], store: Path | None) -> float:
    session = Session.new(*configs)
    events = session.train()
    if store is not None:
        events = RunRecorder(store).watch(session, events)
    started = time.perf_counter()
    for _ in events:
        pass
    return time.perf_counter() - started


def write_cost(path: Path, writes: int = 200) -> float:
    """Median seconds of one add_epoch, the per-epoch work recording adds."""
    with RunStore(path) as store:
        run_id = store.start(
            CorpusConfig(), ModelConfig(), TrainConfig(), corpus_name="bench", corpus_sha1=None, device="cpu"
        )
        times = []
        for epoch in range(1, writes + 1):
            started = time.perf_counter()
            store.add_epoch(run_id, EpochRecord(epoch, 5.0, 4.0, 1e5, 0.5, float(epoch)))
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=10_000)
    args = parser.parse_args()
    configs = (
        CorpusConfig(source="sample", max_tokens=args.max_tokens),
        ModelConfig(hidden=args.hidden),
        TrainConfig(epochs=args.epochs, batch_size=32, num_steps=35, sample_every=0, threads=1, device="cpu"),
    )
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "runs.sqlite3"
        one_run(configs, None)  # warm-up: first-use costs belong to neither side
        bare: list[float] = []
        recorded: list[float] = []
        for round_number in range(args.rounds):
            order = [None, store] if round_number % 2 == 0 else [store, None]
            for target in order:
                (bare if target is None else recorded).append(one_run(configs, target))
        per_write = write_cost(Path(folder) / "writes.sqlite3")
    b, r = statistics.median(bare), statistics.median(recorded)
    print(f"cpu cores {os.cpu_count()}, {args.rounds} rounds of {args.epochs} epochs, hidden {args.hidden}")
    print(f"bare     median {b:.3f} s  (min {min(bare):.3f}, max {max(bare):.3f})")
    print(f"recorded median {r:.3f} s  (min {min(recorded):.3f}, max {max(recorded):.3f})")
    print(f"overhead {100 * (r - b) / b:+.2f} %")
    print(f"one epoch's write: median {per_write * 1000:.3f} ms; per epoch here {b / args.epochs * 1000:.1f} ms")


if __name__ == "__main__":
    main()
