"""`gru-studio train`: train with a progress bar, report, optionally save."""

from __future__ import annotations

import argparse
import json
import sys

from gru_studio.cli.flags import config_from_args, flag_name
from gru_studio.cli.progress import ProgressBar, train_with_bar
from gru_studio.cli.stopping import SignalStop, say, signal_name, stop_on_signals
from gru_studio.engine import model_registry
from gru_studio.engine.config import (
    CorpusConfig,
    ModelConfig,
    TrainConfig,
    settings_of,
)
from gru_studio.engine.errors import CheckpointError, ConfigError
from gru_studio.engine.files import check_target, training_text
from gru_studio.engine.hardware import distributed
from gru_studio.engine.history.recorder import RunRecorder
from gru_studio.engine.messages import count
from gru_studio.engine.models import describe
from gru_studio.engine.text.comparable import check_comparable
from gru_studio.engine.training.events import EpochEnd, EventRoutes, Sample, ThreadsChosen
from gru_studio.engine.training.run_request import RunRequest, prepare
from gru_studio.engine.training.session import Session, check_settings

# The training settings a resume takes from the flags; every other setting is the checkpoint's.
RESUME_SETTINGS = {"epochs", "device", "sample_every", "threads", "cuda_graph"}
CONFIGS = (CorpusConfig, ModelConfig, TrainConfig)


def check_save_target(text: str, corpus_source: str | None, force: bool) -> None:
    """Fail before training, not after it, when --save could not be written or would destroy a file.

    The one check of every file written (engine/files.py: check_target): an
    existing checkpoint is replaced (that is what saving again means); any
    other existing file only with --force; the training text never.
    """
    if not text.strip():
        raise CheckpointError("--save needs a file name.")
    check_target(text, protected=[training_text(corpus_source)], force=force, checkpoint=True)


def given_settings(args: argparse.Namespace) -> list[tuple[type, str]]:
    """The settings whose flags hold something other than their default, in the flags' order.

    argparse does not say which flags were typed; a flag typed with its
    default value looks untyped here, and changes nothing anyway.
    """
    given = []
    for config_type in CONFIGS:
        for spec in settings_of(config_type):
            if getattr(args, f"{config_type.__name__}.{spec.name}") != spec.default:
                given.append((config_type, spec.name))
    return given


def check_scratch_flags(model_config: ModelConfig) -> None:
    """--layers and --dropout shape torch's layers only: refused for a scratch model rather than ignored.

    (The window disables those two fields for scratch models instead, so the
    engine's settings accept them: only the command line can be typed wrong.
    --gates for a model without the scratch GRU's gates is refused by the
    engine itself, ModelConfig.check.)"""
    if model_registry.spec(model_config.kind).stacks:
        return
    defaults = ModelConfig()
    wrong = [f"--{name}" for name in ("layers", "dropout") if getattr(model_config, name) != getattr(defaults, name)]
    if wrong:
        stacking = model_registry.kinds_where(lambda spec: spec.stacks)
        raise ConfigError(
            " and ".join(wrong),
            f"applies to --model {', '.join(stacking)} only; {model_config.kind} "
            f"({model_registry.spec(model_config.kind).label}) has one layer without dropout",
        )


class GradientLog:
    """The gradient norms of this run's epochs, as `--json` reports them.

    Per epoch: the mean norm before clipping and the share of batches clipped;
    per batch: every norm before clipping, in order (the window plots these).
    """

    def __init__(self) -> None:
        self.epochs: list[int] = []
        self.means: list[float | None] = []
        self.clipped: list[float | None] = []
        self.per_batch: list[float] = []

    def add(self, event: EpochEnd) -> None:
        self.epochs.append(event.epoch)
        self.means.append(event.grad_norm)
        self.clipped.append(event.clipped_share)
        self.per_batch.extend(event.grad_norms)

    def report(self) -> dict[str, object]:
        return {
            "grad_norm": self.means[-1] if self.means else None,  # the last epoch's, as perplexity
            "clipped_share": self.clipped[-1] if self.clipped else None,
            "gradients": {
                "epochs": self.epochs,
                "grad_norm_per_epoch": self.means,
                "clipped_share_per_epoch": self.clipped,
                "grad_norm_per_batch": self.per_batch,
            },
        }


# Settings of the machine a rank runs on, which may differ between ranks (each has its own GPU, its cores,
# its folders: the text's path; the text itself is compared by its digest).
MACHINE_SETTINGS = {"device", "threads", "source"}


def fingerprint(session: Session) -> dict[str, object]:
    """What every rank of a torchrun job must agree on: each setting, as its flag, and the text read."""
    from gru_studio.engine.training.checkpoint import text_fingerprint

    configs = (session.corpus_config, session.model_config, session.train_config)
    found: dict[str, object] = {
        f"--{flag_name(type(config), spec.name)}": getattr(config, spec.name)
        for config in configs
        for spec in settings_of(type(config))
        if spec.name not in MACHINE_SETTINGS
    }
    corpus = session.corpus
    vocabulary = "\0".join(corpus.vocab.idx_to_token)
    found[distributed.TEXT] = (text_fingerprint(corpus.tokens), vocabulary)
    return found


def warn(text: str) -> None:
    print(f"gru-studio: warning: {text}", file=sys.stderr, flush=True)


def open_for_resume(args: argparse.Namespace, train_config: TrainConfig) -> Session:
    """The checkpoint's session, set to train on until --epochs; says which flags it ignores."""
    session = Session.open(args.resume, device=train_config.device)
    if train_config.epochs <= session.epoch:
        raise CheckpointError(
            f"{args.resume} has already trained {count(session.epoch, 'epoch')}; "
            f"ask for more with --epochs (a total above {session.epoch})."
        )
    # Warnings only once nothing is refused: a refusal stays the one line the user reads.
    given = given_settings(args)
    ignored = [f"--{flag_name(t, name)}" for t, name in given if not (t is TrainConfig and name in RESUME_SETTINGS)]
    if ignored:
        warn(f"--resume trains with the checkpoint's settings and text; ignored: {', '.join(ignored)}.")
    for note in session.notes:
        warn(note)
    # The threads and the CUDA graph are this machine's, like the device; --sample-every only when given.
    machine = ("threads", "cuda_graph")
    carried = (*machine, "sample_every") if (TrainConfig, "sample_every") in given else machine
    return prepare(RunRequest(train_config=train_config, continues=True, carried=carried), session)


def run_train(args: argparse.Namespace) -> int:
    """Train as the flags say; a signal stops the run at a batch boundary, then saves (cli/stopping.py)."""
    with stop_on_signals(enabled=not distributed.launched()) as stopper:
        return train_and_report(args, stopper)


def train_and_report(args: argparse.Namespace, stopper: SignalStop) -> int:
    corpus_config = config_from_args(args, CorpusConfig)
    model_config = config_from_args(args, ModelConfig)
    train_config = config_from_args(args, TrainConfig)
    check_settings(corpus_config, model_config, train_config)  # every flag, before any text is read
    if args.resume is None:
        check_scratch_flags(model_config)
    if args.save is not None:
        # The target itself, before training: a folder, an empty name, a file that is not ours.
        check_save_target(args.save, None if args.resume is not None else corpus_config.source, args.force)

    if args.resume is not None:
        session = open_for_resume(args, train_config)
        if args.save is not None:  # the checkpoint's text is known only now
            check_save_target(args.save, session.corpus_config.source, args.force)
    else:
        session = prepare(RunRequest(corpus_config, model_config, train_config))
    corpus = session.corpus
    # Under torchrun, before the first batch: every rank started with the same settings and text.
    distributed.check_agreement(distributed.active(), fingerprint(session))

    bar = ProgressBar()
    if not args.json:
        bar.message(
            f"{describe(session.model_config)} on {session.device}; {corpus.name}: "
            f"{len(corpus.tokens):,} tokens, vocabulary of {len(corpus.vocab)}"
        )
    gradients = GradientLog()
    switches: list[ThreadsChosen] = []  # an automatic thread count's choices: the first, then each switch

    routes = (
        EventRoutes()
        .on(EpochEnd, gradients.add)
        .on(Sample, lambda event: bar.message(f"epoch {event.epoch}: {event.text}"))
        .on(ThreadsChosen, switches.append)
    )
    # Recording watches the events; a store that cannot be used is one warning line, never a reason to stop.
    recorder = None if args.no_record else RunRecorder(warn=warn)
    finished = train_with_bar(session, recorder, bar, routes, stopper)

    sample = session.sample()
    if args.save is not None:
        session.save(args.save)
    if recorder is not None:
        recorder.set_outputs(sample=sample, checkpoint=args.save)
    last = session.history[-1] if session.history else None
    # Said once, next to the result: a comparison of models on this text would mislead.
    short = check_comparable(corpus, session.corpus_config, session.train_config)
    report = {
        "model": session.model_config.kind,
        "device": str(session.device),
        "threads": session.trainer.threads if session.trainer else None,  # torch's CPU threads (--threads)
        # "on", "off", or why the run did not train through a CUDA graph ("no CUDA", ...: --cuda-graph)
        "cuda_graph": session.trainer.cuda_graph if session.trainer else None,
        # With automatic threads: {epoch, batch, threads, previous, reason, tokens_per_s} for each choice.
        "thread_switches": [event.as_dict() for event in switches],
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
        "processes": distributed.world_size(),  # under torchrun, each trained batch_size / processes rows
        "id": recorder.run_id if recorder is not None else None,  # in `gru-studio runs`; None when not recorded
        "gates": session.model_config.gates,
        "clip": session.train_config.clip,
        # null, or {batches_per_epoch, least_to_compare}: too short to compare models on (engine/text/comparable.py)
        "too_short_to_compare": short.as_dict() if short else None,
        "stopped_by": signal_name(stopper.signum) if stopper.signum is not None else None,  # SIGTERM, ...
        **gradients.report(),
    }
    if args.json:
        print(json.dumps(report), flush=True)
    else:
        val = f", validation perplexity {report['val_perplexity']:.3f}" if report["val_perplexity"] else ""
        ppl = f"{report['perplexity']:.3f}" if report["perplexity"] is not None else "-"
        print(
            f"perplexity {ppl}{val}, {finished.tokens_per_s:,.0f} tokens/s "
            f"on {session.device}, {count(report['threads'] or 0, 'thread')} "
            f"({count(finished.epoch, 'epoch')}, {finished.elapsed_s:.1f} s)"
        )
        print(sample)
        if args.save and stopper.signum is None:
            print(f"saved {args.save}", file=sys.stderr)
    if short is not None:
        print(f"gru-studio: note: {short.note()}", file=sys.stderr, flush=True)
    if stopper.status is not None:
        say(stopper.stopped_line(count(finished.epoch, "epoch"), args.save))
        return stopper.status
    return 0
