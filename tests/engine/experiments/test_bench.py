import statistics

import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.experiments.bench import run_bench
from gru_studio.engine.experiments.product_floor import batch_products
from gru_studio.engine.text.corpus import load_corpus


class TorchDispatchCounter(TorchDispatchMode):
    """Records the name of every aten operation run inside it."""

    def __init__(self, calls: list[str]) -> None:
        super().__init__()
        self.calls = calls

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.calls.append(str(func))
        return func(*args, **(kwargs or {}))


def test_bench_reports_every_model_and_ratio() -> None:
    corpus = load_corpus(CorpusConfig(source="sample"))
    lines: list[str] = []
    result = run_bench(rounds=2, epochs=1, gen_length=20, corpus=corpus, progress=lines.append)
    summary = result.summary()
    assert set(summary["models"]) == {"scratch-book", "scratch", "builtin"}
    for figures in summary["models"].values():
        assert figures["tokens_per_s_min"] <= figures["tokens_per_s_median"] <= figures["tokens_per_s_max"]
        assert figures["generate_chars_per_s_median"] > 0
        assert len(figures["threads"]) == 2 and all(n >= 1 for n in figures["threads"])  # the count each round used
    assert set(summary["ratios_median"]) == {"scratch/scratch-book", "scratch/builtin", "builtin/scratch-book"}
    assert len(result.ratios["scratch/builtin"]) == 2 and len(lines) == 8
    assert all(" thread" in line for line in lines if "products alone" not in line)
    model_lines = [line for line in lines if "products alone" not in line]
    first_round = [line.split(":")[0].split()[-1] for line in model_lines[:3]]
    second_round = [line.split(":")[0].split()[-1] for line in model_lines[3:]]
    assert first_round != second_round  # the order rotates between rounds
    assert summary["machine"]["torch"] == __import__("torch").__version__


def test_the_product_floor_is_set_against_each_rounds_own_book_speed() -> None:
    """The floor over scratch-book is taken round by round, never across rounds: a shared
    machine's load changes between rounds. Which is faster is for `gru-studio bench` to
    show, not for a test to assert: timings on a loaded machine cannot be relied on."""
    corpus = load_corpus(CorpusConfig(source="sample"))
    result = run_bench(rounds=2, epochs=1, gen_length=5, corpus=corpus, models=("scratch-book", "scratch"))
    book = result.models["scratch-book"].tokens_per_s
    assert len(result.floor) == 2 and all(speed > 0 for speed in result.floor)
    assert result.floor_over_book == pytest.approx([f / b for f, b in zip(result.floor, book, strict=True)])
    floor = result.summary()["product_floor"]
    assert floor["tokens_per_s_median"] == statistics.median(result.floor)
    assert floor["over_scratch_book_median"] == statistics.median(result.floor_over_book)


def test_the_product_floor_runs_the_fast_paths_products_in_place() -> None:
    """Timing must cover the products and nothing else: the operands are made once, outside."""
    calls: list[str] = []
    run = batch_products(batch=4, steps=3, hidden=8, vocab=5, device=torch.device("cpu"))
    with TorchDispatchCounter(calls):
        run()
    assert sorted(set(calls)) == ["aten.addmm.default", "aten.addmm_.default", "aten.mm.default"]
    assert calls.count("aten.addmm_.default") == 3 * 3  # two forward and one backward per step
    assert calls.count("aten.mm.default") == 3 + 4  # dRH per step, output layer's two, two weight gradients
