"""Side-by-side speed of the models on the book's workload (or another text), in one process.

Models are run interleaved, round after round, in a rotating order, so that a
machine that speeds up or slows down during the run affects all of them alike;
ratios are taken within each round and their median reported.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch

from gru_studio.engine import model_registry
from gru_studio.engine.config import BOOK_PREFIX, CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.experiments.product_floor import product_floor_tokens_per_s
from gru_studio.engine.messages import count
from gru_studio.engine.models.generate import generate, usable_prefix
from gru_studio.engine.text.corpus import Corpus, load_corpus
from gru_studio.engine.training.events import Finished
from gru_studio.engine.training.trainer import create_trainer


def default_models() -> tuple[str, ...]:
    """The models benched when --models is not given (the GRUs), in the registry's order."""
    return model_registry.kinds_where(lambda spec: spec.benched)


def ratios_among(models: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Each (model, other) whose speed ratio the bench reports (the registry's `bench_against`), in the
    registry's order whatever the order of `models`."""
    return tuple(
        (spec.name, other)
        for spec in model_registry.specs()
        if spec.name in models
        for other in spec.bench_against
        if other in models
    )


@dataclass
class ModelFigures:
    tokens_per_s: list[float] = field(default_factory=list)
    chars_per_s: list[float] = field(default_factory=list)
    peak_bytes: int = 0
    threads: list[int] = field(default_factory=list)  # torch's CPU threads each round trained with (at its end)


@dataclass
class BenchResult:
    machine: dict[str, object]
    workload: dict[str, object]
    models: dict[str, ModelFigures]
    ratios: dict[str, list[float]]
    # Tokens/s of scratch's matrix products alone, per round (see product_floor.py),
    # and that floor over each round's scratch-book speed: how far scratch could go.
    floor: list[float] = field(default_factory=list)
    floor_over_book: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """Medians, ranges and ratios, as plain values (what --json prints)."""
        return {
            "machine": self.machine,
            "workload": self.workload,
            "models": {
                name: {
                    "tokens_per_s_median": statistics.median(f.tokens_per_s),
                    "tokens_per_s_min": min(f.tokens_per_s),
                    "tokens_per_s_max": max(f.tokens_per_s),
                    "generate_chars_per_s_median": statistics.median(f.chars_per_s),
                    "peak_memory_mib": round(f.peak_bytes / 2**20, 1) if f.peak_bytes else None,
                    "threads": f.threads,  # per round: the count it trained with at its end, chosen by measuring
                }
                for name, f in self.models.items()
            },
            "ratios_median": {name: statistics.median(values) for name, values in self.ratios.items()},
            "product_floor": {
                "tokens_per_s_median": statistics.median(self.floor) if self.floor else None,
                "over_scratch_book_median": statistics.median(self.floor_over_book) if self.floor_over_book else None,
            },
        }


def machine_info(device: torch.device) -> dict[str, object]:
    info: dict[str, object] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cpu": _cpu_name(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "device": str(device),
    }
    if device.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(device)
    return info


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


class PeakMemory:
    """Peak memory of one stretch of work: the GPU allocator's peak, or the process's peak RSS on Linux."""

    def __init__(self, device: torch.device) -> None:
        self.device = device

    def reset(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)
        elif sys.platform.startswith("linux"):
            try:  # "5" resets the peak resident set size the kernel reports as VmHWM
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")
            except OSError:
                pass

    def peak(self) -> int:
        if self.device.type == "cuda":
            return torch.cuda.max_memory_allocated(self.device)
        try:
            with open("/proc/self/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0


def run_bench(
    device: str = "cpu",
    rounds: int = 5,
    epochs: int = 3,
    gen_length: int = 2000,
    models: tuple[str, ...] | None = None,
    corpus: Corpus | None = None,
    progress: Callable[[str], None] = lambda line: None,
    corpus_config: CorpusConfig | None = None,
) -> BenchResult:
    """Bench `models` on the text `corpus_config` names (default: the book's, its first 10,000 tokens),
    or on `corpus` when it is given already read."""
    models = models or default_models()
    pairs = ratios_among(models)
    corpus_config = corpus_config or CorpusConfig()
    corpus = corpus or load_corpus(corpus_config)
    train_config = TrainConfig(epochs=epochs, sample_every=0, device=device)
    figures = {name: ModelFigures() for name in models}
    ratios: dict[str, list[float]] = {f"{a}/{b}": [] for a, b in pairs}
    first = create_trainer(corpus, corpus_config, ModelConfig(kind=models[0]), train_config)
    memory = PeakMemory(first.device)
    floor: list[float] = []
    floor_over_book: list[float] = []
    shape = (train_config.batch_size, train_config.num_steps, ModelConfig().hidden, len(corpus.vocab))
    for round_ in range(rounds):
        speeds: dict[str, float] = {}
        order = models[round_ % len(models) :] + models[: round_ % len(models)]
        for name in order:
            memory.reset()
            trainer = create_trainer(corpus, corpus_config, ModelConfig(kind=name), train_config)
            finished = next(e for e in trainer.run() if isinstance(e, Finished))
            speeds[name] = finished.tokens_per_s
            figures[name].tokens_per_s.append(finished.tokens_per_s)
            figures[name].peak_bytes = max(figures[name].peak_bytes, memory.peak())
            figures[name].threads.append(trainer.threads or 0)
            figures[name].chars_per_s.append(generation_speed(trainer.model, corpus, gen_length))
            progress(
                f"round {round_ + 1}/{rounds} {name:>12}: {finished.tokens_per_s:>10,.0f} tokens/s "
                f"({count(trainer.threads or 0, 'thread')}), generation {figures[name].chars_per_s[-1]:>8,.0f} chars/s"
            )
        for a, b in pairs:
            ratios[f"{a}/{b}"].append(speeds[a] / speeds[b])
        floor.append(product_floor_tokens_per_s(*shape, first.device))
        book = next((name for name in speeds if model_registry.spec(name).book_reference), None)
        if book is not None:
            floor_over_book.append(floor[-1] / speeds[book])
        progress(f"round {round_ + 1}/{rounds} matrix products alone: {floor[-1]:>10,.0f} tokens/s")
    workload = {
        "corpus": corpus.name,
        "tokens": len(corpus.tokens),
        "batch_size": train_config.batch_size,
        "num_steps": train_config.num_steps,
        "hidden": ModelConfig().hidden,
        "epochs_per_round": epochs,
        "rounds": rounds,
        "generate_length": gen_length,
    }
    return BenchResult(machine_info(first.device), workload, figures, ratios, floor, floor_over_book)


def generation_speed(model: torch.nn.Module, corpus: Corpus, length: int) -> float:
    """Greedy characters per second at batch 1, streamed as the window and CLI do, from the book's
    prefix (or, for a text that cannot spell it, the text's first characters, as train does)."""
    prefix = usable_prefix(BOOK_PREFIX, corpus.preview(), corpus.vocab, corpus.mode)
    start = time.perf_counter()
    count = sum(1 for _ in generate(model, corpus.vocab, prefix, length, mode=corpus.mode))
    return count / (time.perf_counter() - start)
