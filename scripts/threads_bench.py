"""Training speed with the automatic CPU thread count against --threads 1 and --threads 2 (issue 26).

    python scripts/threads_bench.py                          # the machine as it is: 5 rounds, scratch, 40 epochs
    python scripts/threads_bench.py --hogs 1                 # plus one busy loop started (and ended) here
    python scripts/threads_bench.py --model builtin --rounds 3 --epochs 20 --out builtin.json

Each measurement is a fresh `gru-studio train --corpus C --epochs N --device cpu
--sample-every 0 --json --no-record` process (its tokens/s is the run's, the
automatic count's measuring included). Variants run interleaved, in an order
that rotates every round, so a machine that gets busier during the bench slows
all of them alike. The 1-minute load average is printed before and after every
run; at the end, medians, and per-round ratios of the automatic count against
1 thread and against the better of the two fixed counts, with the issue's
targets: quiet, automatic >= 0.95x the better fixed count; beside one busy
loop, automatic >= 0.9x 1 thread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# (label, the train flags that choose the count)
VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("automatic", ()),
    ("1 thread", ("--threads", "1")),
    ("2 threads", ("--threads", "2")),
)


def load() -> float:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return float("nan")


def train(args: argparse.Namespace, flags: tuple[str, ...]) -> dict:
    """One `gru-studio train` run in a fresh process; its --json report plus the load around it."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "MKL_NUM_THREADS")}
    command = [
        sys.executable,
        "-m",
        "gru_studio",
        "train",
        "--corpus",
        args.corpus,
        "--model",
        args.model,
        "--epochs",
        str(args.epochs),
        "--device",
        "cpu",
        "--sample-every",
        "0",
        "--json",
        "--no-record",
        *flags,
    ]
    before = load()
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    return {
        "tokens_per_s": report["tokens_per_s"],
        "threads": report["threads"],
        "thread_switches": report.get("thread_switches", []),
        "train_seconds": report["train_seconds"],
        "load_before": before,
        "load_after": load(),
    }


def start_hogs(count: int) -> list[subprocess.Popen]:
    """Busy loops that compete for the cores, as other developers' test runs do."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop_hogs(hogs: list[subprocess.Popen]) -> None:
    for hog in hogs:
        hog.terminate()
    for hog in hogs:
        hog.wait()


def switches_text(switches: list[dict]) -> str:
    """'2 at 1/16' for each choice: the count, then the epoch/batch it was chosen at."""
    return ", ".join(f"{s['threads']} at {s['epoch']}/{s['batch']} ({s['reason']})" for s in switches) or "-"


def summary(runs: list[dict], rounds: int, hogs: int) -> dict:
    """Medians, ranges, per-round ratios and the loads, as plain values."""
    by_variant = {label: [r for r in runs if r["variant"] == label] for label, _ in VARIANTS}
    speeds = {label: [r["tokens_per_s"] for r in rs] for label, rs in by_variant.items()}
    auto_over_one, auto_over_best = [], []
    for round_ in range(rounds):
        this = {r["variant"]: r["tokens_per_s"] for r in runs if r["round"] == round_}
        auto_over_one.append(this["automatic"] / this["1 thread"])
        auto_over_best.append(this["automatic"] / max(this["1 thread"], this["2 threads"]))
    loads = [r[key] for r in runs for key in ("load_before", "load_after")]
    return {
        "cpus": os.cpu_count(),
        "hogs": hogs,
        "load_min": min(loads),
        "load_max": max(loads),
        "variants": {
            label: {
                "tokens_per_s_median": statistics.median(values),
                "tokens_per_s_min": min(values),
                "tokens_per_s_max": max(values),
            }
            for label, values in speeds.items()
        },
        "automatic_threads": [r["threads"] for r in by_variant["automatic"]],
        "automatic_switches": [max(0, len(r["thread_switches"]) - 1) for r in by_variant["automatic"]],
        "automatic_over_1_thread_median": statistics.median(auto_over_one),
        "automatic_over_better_fixed_median": statistics.median(auto_over_best),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--corpus", default="timemachine", help="as train's --corpus (default: timemachine)")
    parser.add_argument("--model", default="scratch", help="as train's --model (default: scratch)")
    parser.add_argument("--hogs", type=int, default=0, help="busy-loop processes to run alongside (default: 0)")
    parser.add_argument("--out", help="also write every run and the summary to this JSON file")
    args = parser.parse_args()

    hogs = start_hogs(args.hogs)
    runs: list[dict] = []
    try:
        time.sleep(1.0 if hogs else 0.0)  # let the busy loops get going
        for round_ in range(args.rounds):
            shift = round_ % len(VARIANTS)
            for label, flags in VARIANTS[shift:] + VARIANTS[:shift]:
                run = {"round": round_, "variant": label, **train(args, flags)}
                runs.append(run)
                switches = f", chosen: {switches_text(run['thread_switches'])}" if not flags else ""
                print(
                    f"round {round_ + 1}/{args.rounds} {label:>10}: {run['tokens_per_s']:>9,.0f} tokens/s "
                    f"with {run['threads']} (load {run['load_before']:.2f} -> {run['load_after']:.2f}){switches}",
                    flush=True,
                )
    finally:
        stop_hogs(hogs)

    result = summary(runs, args.rounds, args.hogs)
    print(
        f"\n{args.model} on {args.corpus}, {args.epochs} epochs; {result['cpus']} CPUs, {args.hogs} busy loop(s), "
        f"1-minute load {result['load_min']:.2f} to {result['load_max']:.2f}"
    )
    for label, figures in result["variants"].items():
        spread = f"{figures['tokens_per_s_min']:,.0f} to {figures['tokens_per_s_max']:,.0f}"
        print(f"{label:>10}: median {figures['tokens_per_s_median']:>9,.0f} tokens/s ({spread})")
    print(
        f"automatic trained with {result['automatic_threads']}, switches after the first choice: "
        f"{result['automatic_switches']}"
    )
    one, best = result["automatic_over_1_thread_median"], result["automatic_over_better_fixed_median"]
    print(f"automatic / 1 thread: median {one:.3f} (per round)" + ("  [target >= 0.9]" if args.hogs else ""))
    print(
        f"automatic / the better fixed count: median {best:.3f} (per round)"
        + ("" if args.hogs else "  [target >= 0.95]")
    )
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"args": vars(args), "runs": runs, "summary": result}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
