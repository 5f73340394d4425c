"""`gru-studio bench`: the models side by side on the book's workload, or on the text --corpus names.

The parser is built with light imports only (`build_parser` runs for every
command, --help included); torch comes in when the bench runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from gru_studio.cli.flags import add_config_flags, config_from_args, flag_name, int_in
from gru_studio.engine import model_registry
from gru_studio.engine.config import CorpusConfig, TrainConfig, spec_of, validate_all
from gru_studio.engine.errors import ConfigError, CorpusError
from gru_studio.engine.messages import count

if TYPE_CHECKING:
    from gru_studio.engine.text.corpus import Corpus

# Bounds of bench's own whole-number flags: far past any useful bench, short of an overflow.
MOST_ROUNDS = 1000
MOST_GENERATED = 1_000_000


def benched_by_default() -> tuple[str, ...]:
    """The models benched when --models is not given (engine/experiments/bench.default_models, without torch)."""
    return model_registry.kinds_where(lambda spec: spec.benched)


def load_benchable(corpus_config: CorpusConfig) -> Corpus:
    """The text, refused in words that fit `bench`: it trains at the book's batch size and steps,
    which (unlike train's) no flag changes."""
    from gru_studio.engine.text.batches import min_batches
    from gru_studio.engine.text.corpus import load_corpus

    corpus = load_corpus(corpus_config)
    book = TrainConfig()
    if min_batches(len(corpus.tokens), book.batch_size, book.num_steps, corpus_config.partition) < 1:
        more = " (or more of it: --max-tokens 0 uses all)" if corpus_config.max_tokens else ""
        raise CorpusError(
            f"{corpus.name} gives {len(corpus.tokens):,} tokens, fewer than one batch of the book's workload "
            f"needs (about {book.batch_size * book.num_steps + book.num_steps + 1:,} for batch size "
            f"{book.batch_size} x {book.num_steps} steps, which bench does not change). Bench a longer text{more}."
        )
    return corpus


def run_benchmark(args: argparse.Namespace) -> int:
    from gru_studio.engine.experiments.bench import run_bench
    from gru_studio.engine.hardware.device import resolve_device

    if args.rounds < 1 or args.epochs < 1 or args.gen_length < 1:
        raise ConfigError("bench", "--rounds, --epochs and --gen-length must be at least 1")
    corpus_config = config_from_args(args, CorpusConfig)
    validate_all(corpus_config)
    # The text is read before a model is built on the device: a device that
    # is not there must be reported first.
    resolve_device(args.device)
    result = run_bench(
        device=args.device,
        corpus_config=corpus_config,
        corpus=load_benchable(corpus_config),
        rounds=args.rounds,
        epochs=args.epochs,
        gen_length=args.gen_length,
        models=tuple(args.models),
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    summary = result.summary()
    if args.json:
        print(json.dumps(summary))
        return 0
    machine, workload = summary["machine"], summary["workload"]
    print(
        f"{machine['cpu']}, {machine['cpu_count']} CPUs, torch {machine['torch']} "
        f"({machine['torch_threads']} threads), device {machine['device']}"
        + (f" ({machine['gpu']})" if "gpu" in machine else "")
    )
    print(
        f"{workload['corpus']}, {workload['tokens']:,} tokens, batch {workload['batch_size']} x "
        f"{workload['num_steps']} steps, {workload['hidden']} hidden; "
        f"{count(workload['rounds'], 'round')} of {count(workload['epochs_per_round'], 'epoch')}"
    )
    print(
        f"{'model':>13} {'tokens/s (median)':>18} {'min':>9} {'max':>9} {'generate chars/s':>17} {'peak MiB':>9} "
        f"{'threads':>8}"
    )
    for name, figures in summary["models"].items():
        peak = figures["peak_memory_mib"]
        used = ",".join(str(n) for n in sorted(set(figures["threads"])))  # the counts its rounds trained with
        print(
            f"{name:>13} {figures['tokens_per_s_median']:>18,.0f} {figures['tokens_per_s_min']:>9,.0f} "
            f"{figures['tokens_per_s_max']:>9,.0f} {figures['generate_chars_per_s_median']:>17,.0f} "
            f"{peak if peak is not None else '-':>9} {used:>8}"
        )
    for name, value in summary["ratios_median"].items():
        print(f"{name}: {value:.2f}x (median of per-round ratios)")
    floor = summary["product_floor"]
    print(f"scratch's matrix products alone: {floor['tokens_per_s_median']:,.0f} tokens/s", end="")
    if floor["over_scratch_book_median"] is not None:
        book = next(spec.name for spec in model_registry.specs() if spec.book_reference)
        print(f", {floor['over_scratch_book_median']:.2f}x {book}: the most any scratch could reach here")
    else:
        print()
    return 0


def add_bench_parser(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser(
        "bench",
        help=f"time the models side by side ({', '.join(benched_by_default())} unless --models says otherwise)",
        description=(
            "Train each model on the book's workload (or on the text --corpus names), "
            "interleaved over several rounds, and compare."
        ),
    )
    bench.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N, mps or auto")
    bench.add_argument(
        "--rounds", type=int_in(1, MOST_ROUNDS), default=5, help="rounds; each trains every model (default: 5)"
    )
    bench.add_argument(
        "--epochs",
        type=int_in(1, spec_of(TrainConfig, "epochs").high),
        default=3,
        help="epochs per model per round (default: 3)",
    )
    bench.add_argument(
        "--gen-length", type=int_in(1, MOST_GENERATED), default=2000, help="characters for the generation speed"
    )
    bench.add_argument(
        "--models",
        nargs="+",
        choices=model_registry.KIND_NAMES,
        default=list(benched_by_default()),
        help=f"which models (default: {' '.join(benched_by_default())})",
    )
    bench.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    # The text and how it is read, as train takes them; no validation text: bench times training alone.
    add_config_flags(bench, CorpusConfig, "corpus", skip={flag_name(CorpusConfig, "val_fraction")})
