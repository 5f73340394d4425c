"""The `gru-studio` command: the window by default, headless subcommands otherwise."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from gru_studio import __version__
from gru_studio.cli.bench import add_bench_parser
from gru_studio.cli.clamp_flags import add_clamp_flags
from gru_studio.cli.flags import add_config_flags, describe_range, int_in
from gru_studio.cli.inspect import add_inspect_parser
from gru_studio.cli.runs import add_runs_parser
from gru_studio.cli.sweep import add_sweep_parser
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, help_of, spec_of
from gru_studio.engine.errors import GruStudioError

PROG = "gru-studio"


class Parser(argparse.ArgumentParser):
    """An argparse parser that reports a bad flag in one line, without the usage block."""

    commands: dict[str, argparse.ArgumentParser]  # the subcommands' parsers (build_parser sets it)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        # argparse's own ignores a write that fails; a reader gone must reach main() (status 141) here too.
        if message:
            (file or sys.stderr).write(message)

    def parse_args(self, args: Sequence[str] | None = None, namespace: object = None) -> argparse.Namespace:  # type: ignore[override]
        """As argparse's, but a flag no parser knows is reported by the subcommand it was typed for,
        so that the message points at that command's --help, which lists the flags it does take."""
        parsed, extras = self.parse_known_args(args, namespace)  # type: ignore[arg-type]
        if extras:
            commands = getattr(self, "commands", {})
            (commands.get(getattr(parsed, "command", None)) or self).error(
                f"unrecognized arguments: {' '.join(extras)}"
            )
        return parsed


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="Train and explore GRU language models. With no command: the window.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window offscreen, train, save, reload, generate; exit 0 if all worked",
    )
    parser.add_argument("--report", metavar="FILE", help="with --self-test: write the JSON report here")
    # nargs="?": the desktop entry's "--open %f" loses its file when started from the menu.
    parser.add_argument("--open", nargs="?", metavar="FILE", help="open the window with this model (.pt) or text file")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="Linux: add GRU Studio to the applications menu and open models with it (no root needed)",
    )
    desktop.add_argument(
        "--uninstall-desktop-entry", action="store_true", help="Linux: take that menu entry away again"
    )
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")

    train = sub.add_parser("train", help="train a model without a window", description="Train a GRU language model.")
    add_config_flags(train, CorpusConfig, "corpus")
    add_config_flags(train, ModelConfig, "model")
    add_config_flags(train, TrainConfig, "training")
    out = train.add_argument_group("output")
    out.add_argument("--save", metavar="FILE", help="write a checkpoint here when training ends")
    out.add_argument(
        "--resume", metavar="FILE", help="continue a checkpoint (its settings and text) until --epochs in total"
    )
    out.add_argument("--json", action="store_true", help="print one JSON line with the results at the end")
    out.add_argument(
        "--force",
        action="store_true",
        help="let --save replace an existing file that is not a GRU Studio checkpoint (never the training text)",
    )
    out.add_argument("--no-record", action="store_true", help="do not record this run in the run store (see runs)")

    gen = sub.add_parser(
        "generate", help="generate text from a checkpoint", description="Generate text from a checkpoint."
    )
    gen.add_argument("--checkpoint", required=True, metavar="FILE", help="a file written by train --save")
    gen.add_argument("--prefix", default="time traveller", help="text to continue (default: time traveller)")
    gen.add_argument("--length", type=int_in(0), default=100, help="characters to generate (default: 100; 0 or more)")
    gen.add_argument(
        "--temperature", type=float, default=0.0, help="0 = greedy (the book), higher = more varied (default: 0)"
    )
    gen.add_argument(
        "--top-k", type=int_in(0), default=0, help="sample only from the k likeliest characters; 0 = all (default: 0)"
    )
    # The range of train's --seed: one a run was trained with can be given here too.
    seed = spec_of(TrainConfig, "seed")
    gen.add_argument(
        "--seed",
        type=int_in(seed.low, seed.high),
        default=None,
        help=f"seed for sampling ({describe_range(vars(seed))})",
    )
    add_clamp_flags(gen, "counted from the prefix's first, generated ones included (default: 0)")
    # The same default as train's --device, so a model trained with no flags generates with none.
    gen.add_argument(
        "--device",
        default=TrainConfig.device,
        help=f"{help_of(TrainConfig, 'device')} (default: {TrainConfig.device}: a GPU if there is one, else the CPU)",
    )
    add_bench_parser(sub)
    add_inspect_parser(sub)
    add_runs_parser(sub)
    add_sweep_parser(sub)
    parser.commands = dict(sub.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command `argv` names (default: sys.argv); returns the exit status.

    0: done; 1: an error the user can act on (one line on stderr); 2: flags
    that do not parse; 130: interrupted (Ctrl-C); 141 (128 + SIGPIPE, what a
    shell reports for a program a closed pipe stopped): the reader of the
    output went away, as in `gru-studio runs list | head -1`. The command then
    ends at once and quietly, with no traceback and no "Exception ignored"
    line at exit. Output that cannot be written (`> /dev/full`) is one line
    and status 1; characters the output's encoding lacks (PYTHONIOENCODING=ascii)
    are printed as replacement characters. All three are handled here, once,
    for every command.
    """
    replace_unencodable()
    try:
        try:
            return _main(argv)
        finally:
            # Here, not at interpreter exit, so that a reader gone is caught below.
            if sys.stdout is not None:  # None in a windowed program on Windows
                sys.stdout.flush()
    except BrokenPipeError:
        return reader_gone()
    except OSError as exc:
        if exc.errno not in OUTPUT_ERRNOS:
            raise
        silence_stdout()
        with contextlib.suppress(OSError):  # stderr on the same full disk: the status says it still
            print(f"{PROG}: error: the output could not be written: {reason_of(exc)}", file=sys.stderr)
        from gru_studio.cli import stopping  # light: the signal that stopped a run, if one did

        return stopping.asked_status or 1  # after SIGHUP the terminal is gone: 129 says why


# What a write to stdout fails with when the output is full or broken, rather than gone. Only the
# output's errors reach main(): every file GRU Studio writes itself (a checkpoint, a store, a PNG, a
# JSON file) reports its own failures in words that name that file.
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def replace_unencodable() -> None:
    """Print what the output's encoding cannot hold as '?' (stderr: as escapes, Python's way there)
    instead of ending in a UnicodeEncodeError: a run named 'Über' under PYTHONIOENCODING=ascii."""
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        with contextlib.suppress(AttributeError, ValueError, OSError):  # not a TextIOWrapper, or closed
            if stream.errors == "strict":
                stream.reconfigure(errors=errors)


def reason_of(exc: OSError) -> str:
    """'no space left on device': the system's words, as a sentence goes on after a colon."""
    words = exc.strerror or str(exc)
    return words[:1].lower() + words[1:]


def silence_stdout() -> None:
    """Send stdout to devnull, so that the flush at exit does not fail (and print) a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError, AttributeError):  # not a file: a test's capture, or None
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


READER_GONE = 141  # 128 + SIGPIPE


def reader_gone() -> int:
    """The standard way out (Python's docs, "Note on SIGPIPE"): what is still buffered goes to
    devnull, so that the flush at exit cannot fail again; then the exit status says so."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):  # stderr too: `2>&1 | head` closes it as well
        with contextlib.suppress(OSError, ValueError, AttributeError):  # not a file: a test's capture, or None
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return READER_GONE


def _main(argv: Sequence[str] | None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    try:
        if args.self_test:
            from gru_studio.gui.app.selftest import run_self_test

            return run_self_test(args.report, started)
        if args.install_desktop_entry or args.uninstall_desktop_entry:
            from gru_studio.cli.desktop import run_desktop_entry

            return run_desktop_entry(remove=args.uninstall_desktop_entry)
        if args.command == "train":
            from gru_studio.cli.train_ranks import run_train_ranks

            return run_train_ranks(args)
        if args.command == "bench":
            from gru_studio.cli.bench import run_benchmark

            return run_benchmark(args)
        if args.command == "generate":
            from gru_studio.cli.generate import run_generate

            return run_generate(args)
        if args.command == "inspect":
            from gru_studio.cli.inspect import run_inspect

            return run_inspect(args)
        if args.command == "runs":
            from gru_studio.cli.runs import run_runs

            return run_runs(args)
        if args.command == "sweep":
            from gru_studio.cli.sweep import run_sweep

            return run_sweep(args)
        from gru_studio.gui.app.launch import run_app

        return run_app(open_path=args.open)
    except GruStudioError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        # Ctrl-C, or SIGTERM / SIGHUP during train and sweep (cli/stopping.py): 128 + the signal's number.
        status = getattr(exc, "status", 130)
        ended = "interrupted" if status == 130 else f"stopped by {exc}"
        with contextlib.suppress(OSError):  # SIGHUP: the terminal may be gone
            print(f"\n{PROG}: {ended}", file=sys.stderr)
        return status
