"""`gru-studio generate`: stream a continuation of a prefix from a checkpoint."""

from __future__ import annotations

import argparse
import math
import sys

from gru_studio.cli.clamp_flags import clamps_from
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.hardware.device import resolve_device
from gru_studio.engine.models.generate import generate, prepare_prefix
from gru_studio.engine.training import checkpoint


def check_flags(args: argparse.Namespace) -> None:
    """Refuse a bad number before the checkpoint is read.

    generate() checks these too, but only when the first character is asked
    for: by then the prefix is already printed. NaN and infinity pass a `< 0`
    test and end in torch's own error inside sampling, so they are refused here.
    """
    if args.length < 0:
        raise GenerationError("--length must be zero or more.")
    if not math.isfinite(args.temperature) or args.temperature < 0:
        raise GenerationError(f"--temperature must be zero (greedy) or a positive number, not {args.temperature:g}.")
    if args.top_k < 0:
        raise GenerationError("--top-k must be zero (all characters) or more.")


def run_generate(args: argparse.Namespace) -> int:
    # Flags, then the device, then the file: the first mistake is the one reported.
    check_flags(args)
    clamps = clamps_from(args)
    if clamps and (args.temperature or args.top_k):
        raise GenerationError("--clamp generates greedily (the book's way): leave out --temperature and --top-k.")
    device = resolve_device(args.device)
    loaded = checkpoint.load(args.checkpoint, device)
    prefix = prepare_prefix(args.prefix, loaded.vocab, loaded.mode)
    if clamps:
        from gru_studio.engine.analysis.inside import generate_clamped

        model = loaded.model.cpu()  # the clamped recurrence is the Inside trace's, on the CPU
        text = generate_clamped(model, loaded.vocab, prefix, args.length, mode=loaded.mode, clamps=clamps)
        sys.stdout.write(prefix + text + "\n")
        return 0
    sys.stdout.write(prefix)
    sys.stdout.flush()
    for char in generate(
        loaded.model,
        loaded.vocab,
        prefix,
        args.length,
        mode=loaded.mode,
        temperature=args.temperature,
        top_k=args.top_k,
        seed=args.seed,
    ):
        sys.stdout.write(char)
        sys.stdout.flush()
    sys.stdout.write("\n")
    return 0
