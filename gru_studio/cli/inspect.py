"""`gru-studio inspect`: a checkpoint's gates and states over a text, as a heat strip PNG and/or JSON.

The parser is built here, but this module imports nothing heavy at the top:
`build_parser` runs for every command, `--version` included, so torch, the
engine's tracing and Qt are imported only when `inspect` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gru_studio.cli.clamp_flags import add_clamp_flags, clamps_from
from gru_studio.cli.flags import int_in
from gru_studio.engine.config import ModelConfig, spec_of
from gru_studio.engine.errors import GenerationError, GruStudioError

if TYPE_CHECKING:
    pass

# The command line's spelling of each signal -> the engine's name (engine.inside.SIGNALS).
SIGNAL_FLAGS = {"z": "z", "r": "r", "htilde": "h_tilde", "h": "h"}
ORDERS = ("index", "variance")


def add_inspect_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "inspect",
        help="the gates and hidden states of a checkpoint over a text (PNG and/or JSON)",
        description=(
            "Run a checkpoint over a text and keep, for every character, the update gate Z, the reset "
            "gate R, the candidate H~ and the hidden state H of each unit, with the likeliest next "
            "characters. Writes the heat strip (units x characters) as a PNG and/or the numbers as JSON."
        ),
    )
    parser.add_argument("--checkpoint", required=True, metavar="FILE", help="a file written by train --save")
    parser.add_argument("--text", required=True, help="the text to read (at most 5,000 characters)")
    parser.add_argument(
        "--signal",
        choices=list(SIGNAL_FLAGS),
        default="h",
        help="what the PNG shows: z (update gate), r (reset gate), htilde (candidate) or h (hidden state; default)",
    )
    parser.add_argument(
        "--layer",
        type=int_in(0, spec_of(ModelConfig, "layers").high - 1),
        default=0,
        help="which GRU layer, from 0 (default: 0)",
    )
    parser.add_argument(
        "--order", choices=ORDERS, default="index", help="PNG rows by unit index or by variance (default: index)"
    )
    parser.add_argument(
        "--influence",
        action="store_true",
        help=(
            "also measure how far back each prediction reaches: the JSON gains influence, attribution, reach "
            "and half_life, and --png draws the influence triangle; works for every model kind"
        ),
    )
    parser.add_argument("--png", metavar="FILE", help="write the heat strip (with --influence: the triangle) here")
    add_clamp_flags(parser, "from 0 (default: 0)")
    parser.add_argument(
        "--json",
        metavar="FILE",
        help="write text, chars, z, r, h_tilde, h (per character, per unit), h0 and top5 (per character) here",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="let --png or --json replace a checkpoint (never the one read with --checkpoint)",
    )


def check_args(args: argparse.Namespace) -> None:
    """Every mistake the flags alone show, before the checkpoint is read."""
    if args.png is None and args.json is None:
        raise GenerationError("Nothing to write: give --png FILE, --json FILE or both.")
    if not args.text.strip():
        raise GenerationError("--text is empty: give at least one character.")
    if args.layer < 0:
        raise GenerationError(f"--layer must be 0 or more, not {args.layer}.")
    from gru_studio.engine.files import check_target
    from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase

    # Never the checkpoint read; another checkpoint only with --force (engine/files.py: check_target).
    reading = phrase(QT_TRANSLATE_NOOP("engine", "the checkpoint being read"))
    for flag, name in (("--png", args.png), ("--json", args.json)):
        if name is not None:
            if not name.strip():
                raise GruStudioError(f"{flag} needs a file name.")
            check_target(name, protected=[(args.checkpoint, reading)], force=args.force)
    if args.png is not None and args.json is not None and same_file(args.png, args.json):
        # Else the second write would silently replace the first.
        raise GruStudioError(f"--png and --json name the same file ({args.png}): give each a file of its own.")


def same_file(one: str, two: str) -> bool:
    """Whether two names lead to one file: the same name, a relative and an absolute one, or a link."""
    first, second = Path(one).expanduser(), Path(two).expanduser()
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return first.samefile(second)  # hard links, or two ways into a bind mount
    except OSError:  # one of them does not exist yet: then different names are different files
        return False


# What Qt's offscreen platform (the PNG is drawn there without a display) says for every window it
# shows; it means nothing to the user of a command, and is not theirs to act on.
QT_NOISE = ("This plugin does not support propagateSizeHints()",)


def quiet_qt_noise() -> None:
    """Drop the offscreen platform's warnings named in QT_NOISE, and only those: Qt's other messages
    still reach stderr (through the handler installed before, if any).

    A message handler, not QT_LOGGING_RULES: the warning has no category of its own ("default"),
    and turning that whole category off would hide warnings that matter."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(kind: object, context: object, message: str) -> None:
        if message in QT_NOISE:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)


def png_renderer(influence: bool = False) -> Callable[..., None]:
    """The window's own drawing (the heat strip, or the influence triangle), offscreen; a build without
    Qt says so in one line."""
    try:
        if influence:
            from gru_studio.gui.inside.reach_map import render_png
        else:
            from gru_studio.gui.inside.heat_strip import render_png
    except ImportError as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise GruStudioError(f"--png needs the window's libraries (PySide6, pyqtgraph): {reason}") from None
    quiet_qt_noise()
    return render_png


def run_inspect(args: argparse.Namespace) -> int:
    # Flags, then the PNG's libraries, then the file: the first mistake is the one reported.
    check_args(args)
    clamps = clamps_from(args)
    render = png_renderer(args.influence) if args.png else None

    from gru_studio.engine.analysis.influence import reach
    from gru_studio.engine.analysis.inside import not_traceable, trace
    from gru_studio.engine.files import write_atomic
    from gru_studio.engine.training import checkpoint

    loaded = checkpoint.load(args.checkpoint, "cpu")  # tracing runs on the CPU whatever the model trained on
    # The gate signals are a GRU's; how far back a prediction reaches is every model's.
    gru = not_traceable(loaded.model_config.kind) is None
    if args.influence and not gru:
        if clamps:
            raise GenerationError("--clamp holds a GRU's gates; this model has none.")
        result, numbers = None, {}
    else:
        result = trace(loaded.model, loaded.vocab, args.text, mode=loaded.mode, layer=args.layer, clamps=clamps)
        numbers = result.to_json()
        if clamps:  # the probe's perplexity without the clamp too, to read what it changed
            free = trace(loaded.model, loaded.vocab, args.text, mode=loaded.mode, layer=args.layer)
            numbers["perplexity_unclamped"] = free.perplexity
    reached = reach(loaded.model, loaded.vocab, args.text, mode=loaded.mode) if args.influence else None
    if reached is not None:
        numbers = {**numbers, **reached.to_json()}
        what = f"{len(reached.text):,} characters, half-life {reached.half_life}"
    else:
        assert result is not None
        what = f"{result.steps:,} characters x {result.hidden} units, layer {result.layer}"
    if args.json:
        try:
            write_atomic(Path(args.json).expanduser(), json.dumps(numbers).encode("utf-8"))
        except OSError as exc:
            raise GruStudioError(f"Could not write --json {args.json}: {exc.strerror or exc}.") from None
        print(f"wrote {args.json} ({what})")
    if render is not None:
        path = Path(args.png).expanduser()
        before = path.stat().st_mtime_ns if path.is_file() else None
        if reached is not None:
            render(reached, path)
        else:
            render(result, SIGNAL_FLAGS[args.signal], path, args.order)
        # Qt reports a failed save only through a return value, which render_png does not pass on.
        if not path.is_file() or path.stat().st_mtime_ns == before:
            raise GruStudioError(f"Could not write --png {args.png}.")
        shown = "the influence triangle" if reached is not None else f"{args.signal}, rows by {args.order}"
        print(f"wrote {args.png} ({what}, {shown})")
    sys.stdout.flush()
    return 0
