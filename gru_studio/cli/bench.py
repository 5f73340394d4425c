"""`gru-studio bench`: the three models side by side on the book's workload."""

from __future__ import annotations

import argparse
import json
import sys

from gru_studio.engine import model_registry
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.experiments.bench import default_models, run_bench
from gru_studio.engine.messages import count
from gru_studio.engine.training.device import resolve_device


def run_benchmark(args: argparse.Namespace) -> int:
    if args.rounds < 1 or args.epochs < 1 or args.gen_length < 1:
        raise ConfigError("bench", "--rounds, --epochs and --gen-length must be at least 1")
    # run_bench reads (or downloads) the text before it builds a model on the
    # device: a device that is not there must be reported first, offline too.
    resolve_device(args.device)
    result = run_bench(
        device=args.device,
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
    print(f"{'model':>13} {'tokens/s (median)':>18} {'min':>9} {'max':>9} {'generate chars/s':>17} {'peak MiB':>9}")
    for name, figures in summary["models"].items():
        peak = figures["peak_memory_mib"]
        print(
            f"{name:>13} {figures['tokens_per_s_median']:>18,.0f} {figures['tokens_per_s_min']:>9,.0f} "
            f"{figures['tokens_per_s_max']:>9,.0f} {figures['generate_chars_per_s_median']:>17,.0f} "
            f"{peak if peak is not None else '-':>9}"
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
        help=f"time the models side by side ({', '.join(default_models())} unless --models says otherwise)",
        description="Train each model on the book's workload, interleaved over several rounds, and compare.",
    )
    bench.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N, mps or auto")
    bench.add_argument("--rounds", type=int, default=5, help="rounds; each trains every model (default: 5)")
    bench.add_argument("--epochs", type=int, default=3, help="epochs per model per round (default: 3)")
    bench.add_argument("--gen-length", type=int, default=2000, help="characters for the generation speed")
    bench.add_argument(
        "--models",
        nargs="+",
        choices=model_registry.KIND_NAMES,
        default=list(default_models()),
        help=f"which models (default: {' '.join(default_models())})",
    )
    bench.add_argument("--json", action="store_true", help="print one JSON object with the figures")
