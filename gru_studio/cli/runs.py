"""`gru-studio runs`: list, show, export, delete, pin and unpin the recorded runs.

Reading commands open a store they cannot write read-only (SQLite's mode=ro);
commands that change it wait INTERACTIVE_WAIT_S for another process's lock,
then say in one line that it is locked. Every trouble with the store is one of
its errors (engine/history/store_errors.py), each one line, exit status 1.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gru_studio.cli.flags import run_id
from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.messages import count

if TYPE_CHECKING:  # the store (sqlite3, the user folders) is opened when the command runs, not for --help
    from gru_studio.engine.history.store import RunStore
    from gru_studio.engine.history.summary import RunSummary


def add_runs_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "runs",
        help="the recorded training runs: list, show, export, delete, pin, unpin",
        description="Every run (from the window or `train`) is recorded in runs.sqlite3 in the user's data folder.",
    )
    actions = parser.add_subparsers(dest="runs_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="one line per run, the newest first")
    listing.add_argument("--json", action="store_true", help="a JSON list instead of a table")
    show = actions.add_parser("show", help="one run: its settings and every epoch")
    show.add_argument("id", type=run_id, metavar="ID")
    show.add_argument("--json", action="store_true", help="one JSON object instead of text")
    export = actions.add_parser("export", help="the runs' epochs as CSV, one line per epoch")
    export.add_argument("ids", type=run_id, nargs="+", metavar="ID")
    export.add_argument("--csv", required=True, metavar="FILE", help="the file to write (replaced whole)")
    export.add_argument(
        "--force", action="store_true", help="replace FILE even when it is a checkpoint (never the store or a text)"
    )
    delete = actions.add_parser(
        "delete", help="forget runs and their epochs (checkpoints stay); a run still training is refused"
    )
    delete.add_argument("ids", type=run_id, nargs="+", metavar="ID")
    pin = actions.add_parser("pin", help="keep the runs' models whatever the kept models' size budget")
    pin.add_argument("ids", type=run_id, nargs="+", metavar="ID")
    unpin = actions.add_parser("unpin", help="let the size budget prune the runs' models again, the oldest first")
    unpin.add_argument("ids", type=run_id, nargs="+", metavar="ID")


READING = ("list", "show", "export")  # the commands that only read the store


def run_runs(args: argparse.Namespace) -> int:
    from gru_studio.engine.history.store import INTERACTIVE_WAIT_S, RunStore

    # A command the user waits on waits for another process's lock a little, once, then says so.
    store, notice = RunStore.open(reading=True, wait_s=INTERACTIVE_WAIT_S, retries=0)
    if notice is not None:
        print(f"gru-studio: warning: {notice}", file=sys.stderr, flush=True)
    if store is None:
        raise GruStudioError("The run store cannot be used, see the warning above.")
    with store:
        if args.runs_command == "list":
            return list_runs(store, args.json)
        if args.runs_command == "show":
            return show_run(store, args.id, args.json)
        if args.runs_command == "export":
            found = existing(store, args.ids)
            rows = store.export_csv(found, args.csv, force=args.force)
            print(f"wrote {args.csv}: {count(len(found), 'run')}, {count(rows, 'epoch')}")
            return 0
        found = existing(store, args.ids)
        if args.runs_command in ("pin", "unpin"):
            for run in found:
                store.set_pinned(run, args.runs_command == "pin")
            print(f"{args.runs_command}ned {count(len(found), 'run')}")
            return 0
        deleted = store.delete(found)
        print(f"deleted {count(deleted, 'run')}")
        return 0


def existing(store: RunStore, ids: Sequence[int]) -> list[int]:
    """The ids, once each, in order; an unknown one refuses the whole command before anything is done."""
    missing = [run_id for run_id in ids if store.get(run_id) is None]
    if missing:
        raise GruStudioError(f"No run with id {', '.join(map(str, missing))} (see gru-studio runs list).")
    return list(dict.fromkeys(ids))


def plain(text: str) -> str:
    """`text` with its control and other unprintable characters escaped as repr() writes them (ESC as
    \\x1b): a file's name is printed as it is written, never obeyed by the terminal."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def when(stamp: float | None) -> str:
    """A time as the list shows it; "-" where it is unknown (the store reads a hand-edited one as None)."""
    try:
        return "-" if stamp is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))
    except (OverflowError, OSError, ValueError):  # a clock cannot show it
        return "-"


def number(value: float | None, digits: int = 3) -> str:
    """A figure, or "-" where it is unknown (None, or NaN: a hand-edited value the store could not read)."""
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def best_text(run: RunSummary) -> str:
    if run.best_perplexity is None:
        return "-"
    kind = "val" if run.best_is_validation else "train"
    return f"{run.best_perplexity:.3f} {kind} @{run.best_epoch}"


def list_runs(store: RunStore, as_json: bool) -> int:
    runs = store.list()
    if as_json:
        print(json.dumps([run.as_dict() for run in runs]))
        return 0
    if not runs:
        print("no runs recorded yet (gru-studio train records one)")
        return 0
    # A gates sweep's runs differ in their gates alone: the column appears when the runs listed differ there.
    gates = len({str(run.settings.get("model", {}).get("gates", "full")) for run in runs}) > 1
    pins = any(run.pinned for run in runs)  # a column only once a run is pinned
    header = ("id", *(("pinned",) if pins else ()), "started", "status", "model", *(("gates",) if gates else ()),
              "corpus", "epochs", "perplexity", "best", "tokens/s", "time")  # fmt: skip
    lines = [header]
    for run in runs:
        lines.append(
            (
                str(run.id),
                *(("pinned" if run.pinned else "",) if pins else ()),
                when(run.started),
                run.status,
                f"{run.model} {'?' if run.hidden is None else run.hidden}",
                *((str(run.settings.get("model", {}).get("gates", "full")),) if gates else ()),
                run.corpus_name or "-",
                f"{run.last_epoch or 0}/{run.target_epochs or '?'}",
                number(run.perplexity),
                best_text(run),
                number(run.tokens_per_s, 0),
                "-" if run.duration_s is None else f"{run.duration_s:.1f} s",
            )
        )
    lines = [tuple(map(plain, line)) for line in lines]  # a file's name may hold ESC[2J, say
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return 0


def show_run(store: RunStore, run_id: int, as_json: bool) -> int:
    run = store.get(run_id)
    if run is None:
        raise GruStudioError(f"No run with id {run_id} (see gru-studio runs list).")
    history = store.history(run_id)
    if as_json:
        print(json.dumps({**run.as_dict(), "history": [record.as_dict() for record in history]}))
        return 0
    pinned = ", pinned" if run.pinned else ""
    print(f"run {run.id}{' ' + repr(run.name) if run.name else ''}: {plain(run.status)}{pinned}")
    print(f"  started {when(run.started)}, ended {when(run.ended)}, on {plain(str(run.device))}")
    print(f"  corpus {plain(str(run.corpus_name))} ({plain(str(run.corpus_path))}), SHA-1 {run.corpus_sha1}")
    print(f"  GRU Studio {plain(str(run.app_version))}, torch {plain(str(run.torch_version))}")
    for group, values in run.settings.items():
        print(f"  {group}: " + plain(", ".join(f"{key}={value}" for key, value in values.items())))
    print(f"  best perplexity {best_text(run)}")
    if run.error:
        print(f"  error: {plain(run.error)}")
    if run.checkpoint:
        print(f"  saved {plain(run.checkpoint)}")
    if run.sample:
        print(f"  sample: {plain(run.sample)}")
    print("  epoch  perplexity  validation  tokens/s  grad norm  elapsed")
    for r in history:
        elapsed = "-" if r.elapsed_s is None else f"{r.elapsed_s:.1f} s"
        figures = f"{number(r.perplexity):>10}  {number(r.val_perplexity):>10}  {number(r.tokens_per_s, 0):>8}"
        print(f"  {r.epoch:>5}  {figures}  {number(r.grad_norm):>9}  {elapsed}")
    return 0
