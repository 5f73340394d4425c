"""The what-if flags `inspect` and `generate` share: --clamp z=V / r=V over a span and some units."""

from __future__ import annotations

import argparse

from gru_studio.cli.flags import int_in
from gru_studio.engine.analysis.clamp import Clamp, parse_clamps


def add_clamp_flags(parser: argparse.ArgumentParser, positions: str) -> None:
    """`positions`: what the character positions count from, in the help's words."""
    group = parser.add_argument_group("what if a gate were fixed (GRU models)")
    group.add_argument(
        "--clamp",
        action="append",
        default=[],
        metavar="GATE=V",
        help="hold the update gate (z=V) or the reset gate (r=V) at V, between 0 and 1; repeatable",
    )
    group.add_argument(
        "--clamp-from", type=int_in(0), default=0, metavar="I", help=f"first clamped character, {positions}"
    )
    group.add_argument(
        "--clamp-to",
        type=int_in(1),
        default=None,
        metavar="J",
        help="the character after the last clamped one (default: the end)",
    )
    group.add_argument("--clamp-units", metavar="LIST", help="only these units, e.g. 0,3,5 (default: all)")


def clamps_from(args: argparse.Namespace) -> tuple[Clamp, ...]:
    return parse_clamps(args.clamp, args.clamp_from, args.clamp_to, args.clamp_units)
