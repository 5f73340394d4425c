"""`gru-studio train`: train with a progress bar, report, optionally save."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from gru_studio.cli.flags import config_from_args
from gru_studio.cli.progress import ProgressBar
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import CheckpointError
from gru_studio.engine.events import EpochEnd, Finished, Sample
from gru_studio.engine.models import describe
from gru_studio.engine.session import Session, check_settings
from gru_studio.wording import count


def check_writable_folder(path: Path) -> None:
    """Fail before training, not after it, when the checkpoint could not be written."""
    folder = path.expanduser().resolve().parent
    if not folder.is_dir():
        raise CheckpointError(f"Cannot save to {path}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK):
        raise CheckpointError(f"Cannot save to {path}: the folder {folder} is not writable.")


def run_train(args: argparse.Namespace) -> int:
    corpus_config = config_from_args(args, CorpusConfig)
    model_config = config_from_args(args, ModelConfig)
    train_config = config_from_args(args, TrainConfig)
    check_settings(corpus_config, model_config, train_config)  # every flag, before any text is read
    if args.save:
        check_writable_folder(Path(args.save))

    if args.resume:
        # The checkpoint's settings and text; only the total epochs and the device come from the flags.
        session = Session.open(args.resume, device=train_config.device)
        session.continue_to(train_config.epochs)
    else:
        session = Session.new(corpus_config, model_config, train_config)
    corpus = session.corpus

    bar = ProgressBar()
    if not args.json:
        bar.message(
            f"{describe(session.model_config)} on {session.device}; {corpus.name}: "
            f"{len(corpus.tokens):,} tokens, vocabulary of {len(corpus.vocab)}"
        )
    finished: Finished | None = None
    try:
        for event in session.train():
            if isinstance(event, EpochEnd):
                bar.update(event)
            elif isinstance(event, Sample):
                bar.message(f"epoch {event.epoch}: {event.text}")
            elif isinstance(event, Finished):
                finished = event
    finally:
        bar.close()
    assert finished is not None  # a run always ends with Finished

    sample = session.sample()
    if args.save:
        session.save(args.save)
    last = session.history[-1] if session.history else None
    report = {
        "model": session.model_config.kind,
        "device": str(session.device),
        "corpus": corpus.name,
        "vocab_size": len(corpus.vocab),
        "tokens": len(corpus.tokens),
        "epochs": finished.epoch,
        "tokens_per_s": round(finished.tokens_per_s, 1),
        "perplexity": last.perplexity if last else None,
        "val_perplexity": last.val_perplexity if last else None,
        "train_seconds": round(finished.elapsed_s, 2),
        "seed": session.train_config.seed,
        "sample": sample,
        "saved": args.save,
    }
    if args.json:
        print(json.dumps(report), flush=True)
    else:
        val = f", validation perplexity {report['val_perplexity']:.3f}" if report["val_perplexity"] else ""
        ppl = f"{report['perplexity']:.3f}" if report["perplexity"] is not None else "-"
        print(
            f"perplexity {ppl}{val}, {finished.tokens_per_s:,.0f} tokens/s "
            f"on {session.device} ({count(finished.epoch, 'epoch')}, {finished.elapsed_s:.1f} s)"
        )
        print(sample)
        if args.save:
            print(f"saved {args.save}", file=sys.stderr)
    return 0
