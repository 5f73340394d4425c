"""`gru-studio sweep`: train one run per combination of one or two settings' values, then compare them.

    gru-studio sweep --lr 0.5,1,2 --hidden 128,256 --epochs 100 [--json]

The runs train one after another, headless, each recorded in the run store as
`train` records it. A run that fails (it diverged, say) is a failed row, as in
the window's Sweep tab, and the next run trains: a sweep exists to try values
some of which fail. The exit status is 0 when the sweep ran, whatever its runs
did (each run's status is in the table and the JSON); 1 when the settings were
refused before any run trained; 130, 143 or 129 after Ctrl-C, SIGTERM or SIGHUP. The plan (values, grid,
checks) is engine/experiments/sweep.py's, so the window's Sweep dialog plans
the same way. The parser is built here with only light imports: `build_parser`
runs for every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from gru_studio.cli.flags import add_config_flags, config_from_args
from gru_studio.cli.stopping import SignalStop, stop_on_signals
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, help_of
from gru_studio.engine.experiments.sweep import (
    SWEEPABLE,
    SweepResult,
    SweepRun,
    axes_from,
    fixed_values,
    format_value,
    plan,
)

if TYPE_CHECKING:  # the rule's module is imported when the sweep runs, not for --help
    from gru_studio.engine.text.comparable import TooShort

SAMPLE_COLUMN = 40  # characters of each run's sample in the table; --json has them whole


def add_sweep_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "sweep",
        help="train one run per combination of one or two settings' values and compare them",
        description=(
            "Train one run per combination of the values of one or two settings, one after another, "
            "each recorded in the run store (see runs), and print a table: settings, final perplexity, "
            "best validation perplexity, tokens/s and a sample. A run that fails (it diverged, say) is "
            "marked failed, with why, and the next run trains; the exit status is 0 when the sweep ran, "
            "whatever its runs did. Example: gru-studio sweep --lr 0.5,1,2 --hidden 128,256 --epochs 100"
        ),
    )
    swept = parser.add_argument_group("swept settings (comma-separated values; one or two settings with several)")
    for name, (config_type, setting) in SWEEPABLE.items():
        swept.add_argument(
            f"--{name}",
            dest=f"sweep.{name}",
            metavar="V[,V...]",
            help=f"{help_of(config_type, setting)} (default: {getattr(config_type(), setting)})",
        )
    add_config_flags(parser, CorpusConfig, "corpus", skip=SWEEPABLE)
    add_config_flags(parser, ModelConfig, "model", skip=SWEEPABLE)
    add_config_flags(parser, TrainConfig, "training", skip=SWEEPABLE)
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON object with every run at the end")
    out.add_argument("--no-record", action="store_true", help="do not record the runs in the run store")


def run_sweep(args: argparse.Namespace) -> int:
    from gru_studio.cli.train import check_scratch_flags, warn
    from gru_studio.engine.training.session import check_settings

    texts = {name: getattr(args, f"sweep.{name}") for name in SWEEPABLE if getattr(args, f"sweep.{name}") is not None}
    axes = axes_from(texts)
    runs = plan(
        axes,
        config_from_args(args, CorpusConfig),
        config_from_args(args, ModelConfig),
        config_from_args(args, TrainConfig),
    )
    # Every run's settings, before any text is read or any run trains: a mistake costs nothing.
    for run in runs:
        check_settings(run.corpus_config, run.model_config, run.train_config)
        check_scratch_flags(run.model_config)

    from gru_studio.engine.text.comparable import check_comparable
    from gru_studio.engine.text.corpus import load_corpus

    corpus = load_corpus(runs[0].corpus_config)  # the swept settings never change the text itself
    results: list[SweepResult] = []
    status = 0  # failed runs are rows of the result, not a failure of the sweep
    fixed = ", ".join(f"{name} {format_value(value)}" for name, value in fixed_values(axes).items())
    if fixed and not args.json:
        print(f"every run: {fixed}", file=sys.stderr, flush=True)
    # A signal (Ctrl-C, SIGTERM, SIGHUP) stops the run under way at its next batch boundary, recorded as
    # stopped; no later run starts; the table shows the runs that ended (cli/stopping.py).
    with stop_on_signals() as stopper:
        try:
            for run in runs:
                if stopper.status is not None:  # a signal stopped the last run: the next one does not start
                    break
                if not args.json:
                    print(f"run {run.index}/{len(runs)}: {run.label()}", file=sys.stderr, flush=True)
                result = train_one(run, corpus, record=not args.no_record, warn=warn, stopper=stopper)
                results.append(result)
                if result.status == "failed" and not args.json:
                    print(f"run {run.index}/{len(runs)} failed: {result.message}", file=sys.stderr, flush=True)
        except KeyboardInterrupt as exc:  # a second signal: the run under way is recorded as stopped
            status = getattr(exc, "status", 130)
        status = stopper.status or status
    # Said once, next to the result, as train says it: a comparison of models on this text would mislead.
    short = next(filter(None, (check_comparable(corpus, run.corpus_config, run.train_config) for run in runs)), None)
    report(results, runs, args.json, status != 0, short)
    return status


def train_one(run: SweepRun, corpus: Any, *, record: bool, warn: Any, stopper: SignalStop | None = None) -> SweepResult:
    """Train one run of the sweep as `train` does, recording it; returns its figures.

    A run that fails (it diverged, ran out of memory) is returned as failed, with its
    error's words, as the window's sweep marks it (the recorder has recorded it as
    diverged or crashed); an error that is not GRU Studio's own is a bug, and ends the sweep.
    """
    from gru_studio.cli.progress import ProgressBar, train_with_bar
    from gru_studio.engine.errors import GruStudioError
    from gru_studio.engine.history.recorder import RunRecorder
    from gru_studio.engine.training.run_request import prepare

    session, recorder = None, None
    try:
        session = prepare(run.request(corpus))
        recorder = RunRecorder(warn=warn) if record else None
        finished = train_with_bar(session, recorder, ProgressBar(), stopper=stopper)
    except GruStudioError as exc:
        history = session.history if session is not None else []
        return SweepResult.failed(run, history, str(exc), recorder.run_id if recorder is not None else None)
    sample = session.sample()
    if recorder is not None:
        recorder.set_outputs(sample=sample)
    return SweepResult.of(run, session.history, finished, sample, recorder.run_id if recorder is not None else None)


def report(
    results: list[SweepResult], runs: list[SweepRun], as_json: bool, interrupted: bool, short: TooShort | None = None
) -> None:
    failed = sum(r.status == "failed" for r in results)
    if as_json:
        runs_out = [r.as_dict() for r in results]
        too_short = short.as_dict() if short else None
        print(
            json.dumps(
                {
                    "runs": runs_out,
                    "planned": len(runs),
                    "failed": failed,
                    "interrupted": interrupted,
                    "too_short_to_compare": too_short,
                }
            )
        )
        return
    if short is not None:
        print(f"gru-studio: note: {short.note()}", file=sys.stderr, flush=True)
    if interrupted:
        print(f"\ngru-studio: sweep interrupted: {len(results)} of {len(runs)} runs ended", file=sys.stderr)
    if not results:
        return
    names = list(runs[0].values)
    head = [*names, "status", "perplexity", "best val", "tokens/s", "run id", "sample"]
    rows = [
        [
            *(format_value(r.run.values[name]) for name in names),
            r.status,
            _number(r.perplexity),
            _number(r.best_val_perplexity),
            "-" if r.tokens_per_s is None else f"{r.tokens_per_s:,.0f}",
            "-" if r.run_id is None else str(r.run_id),
            _shorten(r.sample) if r.status != "failed" else "-",
        ]
        for r in results
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        cells = [cell.rjust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
    if failed:
        print(f"gru-studio: {failed} of {len(results)} runs failed", file=sys.stderr)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _shorten(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= SAMPLE_COLUMN else text[: SAMPLE_COLUMN - 1] + "…"
