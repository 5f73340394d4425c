"""Training speed with 1 and 2 torch threads and with the automatic rule, under the load there is
and under a competing CPU load started here.

    python scripts/threads_bench.py --rounds 5             # the machine as it is
    python scripts/threads_bench.py --rounds 5 --hogs 1    # plus one busy loop started (and ended) here

Each measurement is a fresh process: OMP_WAIT_POLICY is only read when
OpenMP starts, so the passive variants need their own process, and a fresh
process for every variant keeps them alike. Variants run interleaved, in an
order that rotates every round, so a machine that gets busier during the
bench slows all of them alike; the 1-minute load average is printed with every
figure, and medians (and per-round ratios against 1 thread) at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# (label, the `threads` setting (0 = the automatic rule), OMP_WAIT_POLICY or None for OpenMP's default)
VARIANTS: tuple[tuple[str, int, str | None], ...] = (
    ("1 thread", 1, None),
    ("2 threads", 2, None),
    ("2 threads, passive", 2, "PASSIVE"),
    ("automatic", 0, None),
)


def measure(threads: int, epochs: int, hidden: int) -> dict[str, float]:
    """Train a small scratch model in this process and return its speed (the child's side)."""
    import torch

    from gru_studio.engine.config import SAMPLE, CorpusConfig, ModelConfig, TrainConfig
    from gru_studio.engine.text.corpus import load_corpus
    from gru_studio.engine.training.events import Finished
    from gru_studio.engine.training.trainer import create_trainer

    if threads:
        torch.set_num_threads(threads)  # before the first torch op, as DESIGN.md asks
    corpus_config = CorpusConfig(source=SAMPLE)
    corpus = load_corpus(corpus_config)
    train_config = TrainConfig(epochs=epochs, sample_every=0, device="cpu", threads=threads)
    trainer = create_trainer(corpus, corpus_config, ModelConfig(kind="scratch", hidden=hidden), train_config)
    load_before = os.getloadavg()[0]
    finished = next(e for e in trainer.run() if isinstance(e, Finished))
    return {
        "tokens_per_s": finished.tokens_per_s,
        "threads": torch.get_num_threads(),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def run_child(threads: int, policy: str | None, epochs: int, hidden: int) -> dict[str, float]:
    env = dict(os.environ)
    env.pop("OMP_WAIT_POLICY", None)
    env.pop("OMP_NUM_THREADS", None)
    if policy is not None:
        env["OMP_WAIT_POLICY"] = policy
    command = [sys.executable, __file__, "--child", str(threads), "--epochs", str(epochs), "--hidden", str(hidden)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_hogs(count: int) -> list[subprocess.Popen]:
    """Busy loops that compete for the cores, as other developers' test runs do."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop_hogs(hogs: list[subprocess.Popen]) -> None:
    for hog in hogs:
        hog.terminate()
    for hog in hogs:
        hog.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3, help="epochs of the bundled sample per measurement")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--hogs", type=int, default=0, help="busy-loop processes to run alongside")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.epochs, args.hidden)))
        return 0

    hogs = start_hogs(args.hogs)
    speeds: dict[str, list[float]] = {label: [] for label, _, _ in VARIANTS}
    ratios: dict[str, list[float]] = {label: [] for label, _, _ in VARIANTS[1:]}
    loads: list[float] = []
    try:
        time.sleep(1.0 if hogs else 0.0)  # let the busy loops get going
        for round_ in range(args.rounds):
            shift = round_ % len(VARIANTS)
            this_round: dict[str, float] = {}
            for label, threads, policy in VARIANTS[shift:] + VARIANTS[:shift]:
                result = run_child(threads, policy, args.epochs, args.hidden)
                this_round[label] = result["tokens_per_s"]
                speeds[label].append(result["tokens_per_s"])
                loads.append(result["load_before"])
                print(
                    f"round {round_ + 1}/{args.rounds} {label:>20}: {result['tokens_per_s']:>10,.0f} tokens/s "
                    f"with {result['threads']} (load {result['load_before']:.2f} -> {result['load_after']:.2f})",
                    flush=True,
                )
            for label in ratios:
                ratios[label].append(this_round[label] / this_round["1 thread"])
    finally:
        stop_hogs(hogs)

    print(f"\n{os.cpu_count()} CPUs, {args.hogs} busy loops, 1-minute load {min(loads):.2f} to {max(loads):.2f}")
    for label, values in speeds.items():
        spread = f"{min(values):,.0f} to {max(values):,.0f}"
        print(f"{label:>20}: median {statistics.median(values):>10,.0f} tokens/s ({spread})")
    for label, values in ratios.items():
        print(f"{label:>20} / 1 thread: median {statistics.median(values):.3f} (per round)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
