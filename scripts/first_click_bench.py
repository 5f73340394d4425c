"""How long the GUI thread waits from the first click on, in fresh processes: `python scripts/first_click_bench.py`.

Each round starts `scripts/first_click_probe.py` as a new process (nothing
imported or warmed yet) in folders of its own, offscreen, with no network,
on the bundled sample: the window opens, Train is clicked --click-after
seconds after its first paint (6 epochs), then Generate, Save model, Open
model and Continue (to 9 epochs), each after the last has ended. A 10 ms
QTimer beats on the GUI thread all along. Printed per step: the gaps between
beats from its click to its end, pooled over the rounds (median, 99th
percentile, longest) and each round's longest; the time from launch to the
first paint; the load average before and after. docs/results.md quotes it.

With --stacks the probe also samples the other threads' Python stacks while a
beat is late, and each gap over --report-ms is printed with the lines that
held the interpreter meanwhile: that is how the first-use costs were found.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROBE = REPO / "scripts" / "first_click_probe.py"
TRAIN_EPOCHS = 6  # the probe's first run (first_click_probe.TRAIN_EPOCHS)


def isolated_env(root: Path, code: Path) -> dict[str, str]:
    """This environment, with home, settings, cache and data folders of the round's own, no network,
    and `code` (a checkout) first on the path, so its gru_studio is the one measured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRU_STUDIO_", "XDG_"))}
    for name, folder in (("HOME", "home"), ("GRU_STUDIO_HOME", "studio"), ("XDG_CONFIG_HOME", "config")):
        (root / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(root / folder)
    env["XDG_CACHE_HOME"], env["XDG_DATA_HOME"] = str(root / "cache"), str(root / "data")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(code)
    return env


def probe(*options: str, code: Path = REPO, timeout_s: float = 240.0, stderr: list[str] | None = None) -> dict:
    """One fresh process's record (see first_click_probe.py, which gets `options`); raises
    RuntimeError if it did not finish. `stderr` gets what the process wrote there."""
    with tempfile.TemporaryDirectory(prefix="first-click-") as folder:
        root = Path(folder)
        out = root / "out.json"
        env = isolated_env(root, code)
        env["FIRST_CLICK_LAUNCHED"] = repr(time.time())
        args = [sys.executable, str(PROBE), str(out), *options]
        done = subprocess.run(args, env=env, cwd=root, capture_output=True, text=True, timeout=timeout_s)
        if stderr is not None:
            stderr.append(done.stderr)
        if not out.is_file():
            raise RuntimeError(f"the probe ended with {done.returncode} and no record:\n{done.stderr[-3000:]}")
        record = json.loads(out.read_text(encoding="utf-8"))
    if record["error"]:
        raise RuntimeError(f"the probe failed: {record['error']}")
    return record


def make_model(folder: Path) -> Path:
    """A small trained model file, written by the command line, for runs that open a model first."""
    path = folder / "opened-first.pt"
    env = isolated_env(folder / "maker", REPO)
    args = [sys.executable, "-m", "gru_studio", "train", "--corpus", "sample", "--epochs", "2", "--save", str(path)]
    subprocess.run(args, env=env, cwd=folder, check=True, capture_output=True, timeout=300)
    return path


def gaps(record: dict, step: str, until: str | None = None) -> list[tuple[float, float]]:
    """(gap in ms, its start in s after the click) for the beats that fell in `step`.

    The gap that spans the click counts: the click itself runs on the GUI
    thread. `until` names a mark ("epoch 6") to end at instead of the step's end.
    """
    found = next(s for s in record["steps"] if s["name"] == step)
    start, end = found["start"], found["marks"][until] if until else found["end"]
    beats = record["beats"]
    return [((b - a) * 1000, a - start) for a, b in itertools.pairwise(beats) if b > start and a < end]


def warm_note(record: dict) -> str:
    warmup = record.get("warmup")
    if not warmup or not warmup["took"]:
        return ""
    took = sum(seconds for _, seconds in warmup["took"])
    done = f"done at {warmup['done_at']:.2f} s" if warmup["done_at"] else "not done"
    return f"warm-up {took:.2f} s of work, {done}, "


def describe(ms: list[float]) -> str:
    ms = sorted(ms)
    p99 = statistics.quantiles(ms, n=100)[98] if len(ms) > 1 else ms[0]
    over = f"{sum(g > 50 for g in ms)} over 50 ms, {sum(g > 100 for g in ms)} over 100"
    return f"median {statistics.median(ms):5.1f}  p99 {p99:6.1f}  longest {ms[-1]:6.1f} ms ({len(ms)} gaps, {over})"


def culprit(stack: list[str]) -> str:
    """The innermost line of the stack in our code, with what it called below (the cost's cause)."""
    ours = [i for i, line in enumerate(stack) if "gru_studio" in line or line.startswith(("engine/", "gui/"))]
    i = ours[0] if ours else len(stack) - 1
    below = stack[max(0, i - 3) : i]
    return " <- ".join(reversed([stack[i], *reversed(below)])) if below else stack[i]


def report_stalls(record: dict, report_ms: float) -> None:
    """Each late gap with the other threads' stacks sampled during it."""
    for step in record["steps"]:
        for gap, at in gaps(record, step["name"]):
            if gap < report_ms:
                continue
            begin, end = step["start"] + at, step["start"] + at + gap / 1000
            seen: collections.Counter[str] = collections.Counter()
            for sample in record["samples"]:
                if begin <= sample["at"] <= end:
                    for thread, stack in sample["stacks"].items():
                        if stack and "wait" not in stack[0]:  # a thread waiting on a lock or an event holds nothing
                            seen[("GUI thread: " if thread == "gui" else "") + culprit(stack)] += 1
            collected = [
                f"{(b - a) * 1000:.0f} ms (generation {g}, {who})"
                for a, b, g, who in record.get("collections", [])
                if a < end and b > begin and b - a > 0.005
            ]
            note = f"; collections: {', '.join(collected)}" if collected else ""
            print(f"  {step['name']}: {gap:.0f} ms at +{at:.2f} s{note}")
            for line, n in seen.most_common(4):
                print(f"      {n:2d}x {line}")


def summarise(label: str, records: list[dict]) -> None:
    print(f"{label}, pooled over {len(records)} rounds (each round's longest in brackets):")
    rows = [("click to epoch 6", "train", f"epoch {TRAIN_EPOCHS}")] if records[0]["steps"][0]["name"] == "train" else []
    rows += [(s["name"], s["name"], None) for s in records[0]["steps"]]
    for title, step, until in rows:
        each = [[g for g, _ in gaps(r, step, until)] for r in records]
        longest = ", ".join(f"{max(t):.0f}" for t in each)
        print(f"  {title:16s} : {describe([g for t in each for g in t])}  [{longest}]")
    if rows and rows[0][2] is not None:
        runs = sorted(r["steps"][0]["marks"][rows[0][2]] - r["steps"][0]["start"] for r in records)
        print(
            f"  click to epoch {TRAIN_EPOCHS}: median {statistics.median(runs):.2f} s, {runs[0]:.2f} - {runs[-1]:.2f}"
        )
    for what, key in (("first paint", "first_paint_s"), ("Train enabled", "ready_s")):
        times = sorted(r[key] for r in records if r.get(key) is not None)
        if times:
            print(f"  {what} after launch: median {statistics.median(times):.2f} s, {times[0]:.2f} - {times[-1]:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--click-after", type=float, default=1.0, help="seconds from the first paint to the first click"
    )
    parser.add_argument("--steps", default="train,generate,save,open,continue", help="what the user does, in order")
    parser.add_argument("--stacks", action="store_true", help="sample stacks while a beat is late (slows a little)")
    parser.add_argument("--report-ms", type=float, default=50.0, help="with --stacks, report gaps from this long")
    parser.add_argument("--wait-warmup", action="store_true", help="click only once the app's warm-up has ended")
    parser.add_argument("--no-warmup", action="store_true", help="the app's warm-up does nothing (for comparison)")
    parser.add_argument(
        "--baseline", type=Path, help="a checkout to measure too, round by round in turn (e.g. main before the fix)"
    )
    parser.add_argument(
        "--also", metavar="OPTIONS", help="measure this checkout with these probe options too, in turn (a comparison)"
    )
    parser.add_argument("--json", type=Path, help="also write every round's record here")
    args = parser.parse_args()
    options = ["--click-after", str(args.click_after), "--steps", args.steps]
    options += ["--stacks"] if args.stacks else []
    options += ["--no-warmup"] if args.no_warmup else []
    options += ["--wait-warmup"] if args.wait_warmup else []
    variants = {"this checkout": (REPO, [])}
    if args.baseline:
        variants[f"baseline {args.baseline}"] = (args.baseline, [])
    if args.also:
        variants[f"this checkout, {args.also}"] = (REPO, args.also.split())
    records: dict[str, list[dict]] = {label: [] for label in variants}
    print(f"{os.cpu_count()} CPUs; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="first-click-model-") as folder:
        if args.steps.startswith("open"):
            options += ["--model", str(make_model(Path(folder)))]
        for round_ in range(1, args.rounds + 1):
            order = list(variants.items())
            for label, (code, extra) in order if round_ % 2 else order[::-1]:  # neither always goes first
                load = os.getloadavg()[0]
                record = probe(*options, *extra, code=code)
                record["load_before"] = load
                records[label].append(record)
                longest = ", ".join(
                    f"{s['name']} {max(g for g, _ in gaps(record, s['name'])):.0f}" for s in record["steps"]
                )
                print(
                    f"round {round_} ({label}): load {load:.2f}, first paint {record['first_paint_s']:.2f} s, "
                    f"{warm_note(record)}first click at {record['steps'][0]['start']:.2f} s; longest gaps: {longest} ms"
                )
                if args.stacks:
                    report_stalls(record, args.report_ms)
    for label, found in records.items():
        summarise(label, found)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(records), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
