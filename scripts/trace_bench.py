"""How long `engine.inside.trace` takes: `python scripts/trace_bench.py`.

Traces 2,000 characters of the bundled sample through a model of 256 hidden
units, for each model kind (and nn.GRU with two layers), and prints the median
of 5 runs after one warm-up, with the machine and its load average before and
after: the machine is shared, so the load says what the figure is worth. The
target (issue 12) is 0.5 s or less on the CPU; docs/results.md keeps the figures.
The weights are random: the work per character does not depend on their values.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from gru_studio.engine.analysis.inside import trace
from gru_studio.engine.config import CorpusConfig, ModelConfig
from gru_studio.engine.experiments.bench import machine_info
from gru_studio.engine.models import build_model
from gru_studio.engine.text.corpus import load_corpus

CASES = (("scratch", 1), ("scratch-book", 1), ("builtin", 1), ("builtin", 2))


def time_trace(kind: str, layers: int, hidden: int, chars: int, rounds: int) -> list[float]:
    """Seconds per trace of `chars` characters, one per round, after a warm-up."""
    corpus = load_corpus(CorpusConfig(source="sample", max_tokens=chars))
    text = corpus.vocab.decode(corpus.tokens[:chars])
    torch.manual_seed(0)
    model = build_model(ModelConfig(kind=kind, hidden=hidden, layers=layers), len(corpus.vocab)).eval()
    trace(model, corpus.vocab, text, mode=corpus.mode)  # warm-up: first calls allocate and pick kernels
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = trace(model, corpus.vocab, text, mode=corpus.mode)
        times.append(time.perf_counter() - started)
    assert result.steps == chars, f"the sample gave {result.steps} characters, not {chars}"
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    info = machine_info(torch.device("cpu"))
    print(f"{info['cpu']}, {info['cpu_count']} CPUs, torch {info['torch']} ({info['torch_threads']} threads)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.chars:,} characters, {args.hidden} hidden units, median of {args.rounds}")
    for kind, layers in CASES:
        times = time_trace(kind, layers, args.hidden, args.chars, args.rounds)
        label = f"{kind} ({layers} layers)" if layers > 1 else kind
        print(f"{label:22} median {statistics.median(times):.3f} s  (range {min(times):.3f} - {max(times):.3f})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
