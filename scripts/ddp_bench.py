"""Training throughput of 1 process against N under torchrun, for docs/benchmarks.md.

    python scripts/ddp_bench.py --processes 2 --epochs 10 --repeats 3 [--device cpu] [-- extra train flags]

Each configuration runs `gru-studio train --json` as its own command (torchrun
for N processes) and reports the median of the run's own tokens/s (training
time only, start-up excluded) and the final perplexity, which must agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys


def run(command: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("extra", nargs="*", help="more train flags, after --")
    args = parser.parse_args()
    train = ["-m", "gru_studio", "train", "--json", "--no-record", "--epochs", str(args.epochs)]
    train += ["--device", args.device, *args.extra]
    env = dict(os.environ)
    env.pop("WORLD_SIZE", None)
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    configs = {
        "1 process, 1 thread": [sys.executable, *train, "--threads", "1"],
        f"1 process, {args.processes} threads": [sys.executable, *train, "--threads", str(args.processes)],
        f"{args.processes} processes, 1 thread each": [*torchrun, f"--nproc-per-node={args.processes}", *train],
    }
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| configuration | tokens/s (median) | runs | final perplexity |")
    print("|---|---|---|---|")
    for name, command in configs.items():
        reports = [run(command, env) for _ in range(args.repeats)]
        rates = [r["tokens_per_s"] for r in reports]
        print(
            f"| {name} | {statistics.median(rates):,.0f} | {', '.join(f'{r:,.0f}' for r in rates)} "
            f"| {reports[-1]['perplexity']:.4f} |",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
