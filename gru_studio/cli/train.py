"""`gru-studio train`: train with a progress bar, report, optionally save."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from gru_studio.cli.flags import config_from_args
from gru_studio.cli.progress import ProgressBar
from gru_studio.engine import checkpoint
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, validate_all
from gru_studio.engine.corpus import load_corpus
from gru_studio.engine.device import resolve_device
from gru_studio.engine.errors import CheckpointError
from gru_studio.engine.events import EpochEnd, Finished, Sample
from gru_studio.engine.generate import complete, usable_prefix
from gru_studio.engine.models import describe
from gru_studio.engine.trainer import create_trainer, resume_trainer
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
    # Every flag is checked before any text is read or downloaded: a wrong
    # --device must say so, not report a download that never needed to happen.
    validate_all(corpus_config, model_config, train_config)
    resolve_device(train_config.device)
    if args.save:
        check_writable_folder(Path(args.save))

    if args.resume:
        # The checkpoint's settings and text; only the total epochs and the device come from the flags.
        saved = checkpoint.load(args.resume)
        corpus = load_corpus(saved.corpus_config)
        trainer = resume_trainer(saved, corpus, train_config.epochs, train_config.device)
        corpus_config, model_config, train_config = trainer.corpus_config, trainer.model_config, trainer.config
        prefix = train_config.prefix
    else:
        corpus = load_corpus(corpus_config)
        prefix = usable_prefix(train_config.prefix, corpus.preview(), corpus.vocab, corpus.mode)
        train_config = dataclasses.replace(train_config, prefix=prefix)
        trainer = create_trainer(corpus, corpus_config, model_config, train_config)

    bar = ProgressBar()
    if not args.json:
        bar.message(
            f"{describe(model_config)} on {trainer.device}; {corpus.name}: "
            f"{len(corpus.tokens):,} tokens, vocabulary of {len(corpus.vocab)}"
        )
    finished: Finished | None = None
    try:
        for event in trainer.run():
            if isinstance(event, EpochEnd):
                bar.update(event)
            elif isinstance(event, Sample):
                bar.message(f"epoch {event.epoch}: {event.text}")
            elif isinstance(event, Finished):
                finished = event
    finally:
        bar.close()
    assert finished is not None  # run() always ends with Finished

    sample = complete(trainer.model, corpus.vocab, prefix, train_config.sample_length, mode=corpus.mode)
    if args.save:
        checkpoint.save(args.save, trainer.checkpoint())
    report = {
        "model": model_config.kind,
        "device": str(trainer.device),
        "corpus": corpus.name,
        "vocab_size": len(corpus.vocab),
        "tokens": len(corpus.tokens),
        "epochs": finished.epoch,
        "tokens_per_s": round(finished.tokens_per_s, 1),
        "perplexity": trainer.history[-1].perplexity if trainer.history else None,
        "val_perplexity": trainer.history[-1].val_perplexity if trainer.history else None,
        "train_seconds": round(finished.elapsed_s, 2),
        "seed": train_config.seed,
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
            f"on {trainer.device} ({count(finished.epoch, 'epoch')}, {finished.elapsed_s:.1f} s)"
        )
        print(sample)
        if args.save:
            print(f"saved {args.save}", file=sys.stderr)
    return 0
