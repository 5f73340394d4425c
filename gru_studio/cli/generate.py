"""`gru-studio generate`: stream a continuation of a prefix from a checkpoint."""

from __future__ import annotations

import argparse
import sys

from gru_studio.engine import checkpoint
from gru_studio.engine.device import resolve_device
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.generate import generate, prepare_prefix


def run_generate(args: argparse.Namespace) -> int:
    if args.length < 0:
        raise GenerationError("--length must be zero or more.")
    device = resolve_device(args.device)
    loaded = checkpoint.load(args.checkpoint, device)
    prefix = prepare_prefix(args.prefix, loaded.vocab, loaded.mode)
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
