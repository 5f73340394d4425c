"""One stored run as lists and tables show it: its settings and the figures drawn from its epochs."""

from __future__ import annotations

import dataclasses
import json
import math
import time
from dataclasses import dataclass
from typing import Any, NamedTuple


@dataclass(frozen=True)
class RunSummary:
    """One run as the list shows it, with everything it was started with."""

    id: int
    name: str
    status: str
    started: float | None  # Unix time; None where the stored value is not one (a hand-edited row)
    ended: float | None
    corpus_name: str | None
    corpus_path: str | None
    corpus_sha1: str | None
    device: str | None
    torch_version: str | None
    app_version: str | None
    settings: dict[str, dict[str, Any]]  # {"corpus": ..., "model": ..., "train": ...}
    start_epoch: int  # the model's epoch when the run started (0 unless continued)
    sample: str | None
    checkpoint: str | None
    error: str | None
    epochs: int  # epochs this run recorded
    last_epoch: int | None  # over the model's life
    perplexity: float | None  # of the last recorded epoch
    val_perplexity: float | None
    best_perplexity: float | None  # the lowest validation perplexity, or training perplexity without validation
    best_epoch: int | None  # where it was reached (the first such epoch)
    best_is_validation: bool
    tokens_per_s: float | None  # mean over the recorded epochs
    duration_s: float | None  # wall time from start to end (or to now, while running)
    pinned: bool = False  # its kept model is never pruned (kept_models.prune)

    @property
    def model(self) -> str:
        return str(self.settings.get("model", {}).get("kind", "?"))

    @property
    def hidden(self) -> int | None:
        return whole(self.settings.get("model", {}).get("hidden"))

    @property
    def target_epochs(self) -> int | None:
        return whole(self.settings.get("train", {}).get("epochs"))

    def as_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values.update(model=self.model, hidden=self.hidden, target_epochs=self.target_epochs)
        return values


class EpochFigures(NamedTuple):
    """What a run's epochs add up to, as the store reads them (None where it has no epoch)."""

    count: int | None
    tokens_per_s: float | None  # the mean over its epochs
    last_epoch: int | None
    last_perplexity: float | None
    last_val_perplexity: float | None
    best_val_perplexity: float | None  # the lowest, and the first epoch that reached it
    best_val_epoch: int | None
    best_perplexity: float | None  # the lowest training perplexity, and its first epoch
    best_epoch: int | None


def figures_of(epochs: list[tuple[Any, ...]]) -> EpochFigures:
    """The figures of (epoch, perplexity, val_perplexity, tokens_per_s) rows in epoch order: what the
    store computes in SQL, written out in Python (for tests, and for histories held in memory)."""
    if not epochs:
        return EpochFigures(0, None, None, None, None, None, None, None, None)
    with_val = [(val, epoch) for epoch, _, val, _ in epochs if val is not None]
    best_val = min(with_val) if with_val else (None, None)  # ties: the earlier epoch, by the tuple's order
    best = min((ppl, epoch) for epoch, ppl, _, _ in epochs)
    last = epochs[-1]
    mean = sum(e[3] for e in epochs) / len(epochs)
    return EpochFigures(len(epochs), mean, last[0], last[1], last[2], *best_val, *best)


def summarize(row: tuple[Any, ...], figures: EpochFigures) -> RunSummary:
    """A run's row of the runs table and what its epochs add up to, as the list shows the run:
    last and best epochs (the lowest validation perplexity, or training perplexity without
    validation), mean speed, duration.

    Every value is checked for its kind: a row edited by hand (a date stored as text, a
    number as a word) shows that value as unknown (None), never as an error further on.
    """
    run_id, name, status, started, ended, *rest = row
    corpus_name, corpus_path, corpus_sha1, device, torch_version, app_version, settings, start_epoch = rest[:8]
    sample, checkpoint, error = rest[8:11]
    pinned = rest[11] if len(rest) > 11 else 0  # a row read before schema 3 has no pin
    figures = checked_figures(figures)
    with_val = figures.best_val_perplexity is not None
    best, best_epoch = (
        (figures.best_val_perplexity, figures.best_val_epoch)
        if with_val
        else (figures.best_perplexity, figures.best_epoch)
    )
    started, ended, status = stamp(started), stamp(ended), text(status) or "?"
    end = ended if ended is not None else (time.time() if status == "running" else None)
    try:
        parsed = json.loads(settings) if isinstance(settings, (str, bytes)) else {}
    except ValueError:
        parsed = {}
    parsed = parsed if isinstance(parsed, dict) else {}
    groups = {key: value for key, value in parsed.items() if isinstance(value, dict)}  # each group a mapping
    return RunSummary(
        id=whole(run_id) or 0,
        name=text(name) or "",
        status=status,
        started=started,
        ended=ended,
        corpus_name=text(corpus_name),
        corpus_path=text(corpus_path),
        corpus_sha1=text(corpus_sha1),
        device=text(device),
        torch_version=text(torch_version),
        app_version=text(app_version),
        settings=groups,
        start_epoch=whole(start_epoch) or 0,
        sample=text(sample),
        checkpoint=text(checkpoint),
        error=text(error),
        epochs=figures.count or 0,
        last_epoch=figures.last_epoch,
        perplexity=figures.last_perplexity,
        val_perplexity=figures.last_val_perplexity,
        best_perplexity=best,
        best_epoch=best_epoch,
        best_is_validation=with_val,
        tokens_per_s=figures.tokens_per_s,
        duration_s=None if end is None or started is None else max(end - started, 0.0),
        pinned=bool(whole(pinned)),
    )


def checked_figures(figures: EpochFigures) -> EpochFigures:
    """The figures with every value of the right kind, or None."""
    count, speed, last_epoch, last, last_val, best_val, best_val_epoch, best, best_epoch = figures
    return EpochFigures(
        whole(count),
        number(speed),
        whole(last_epoch),
        number(last),
        number(last_val),
        number(best_val),
        whole(best_val_epoch),
        number(best),
        whole(best_epoch),
    )


def number(value: Any) -> float | None:
    """A stored number as a float; None for anything else (text, a blob, None)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer past a float's range
        return None


def whole(value: Any) -> int | None:
    """A stored whole number as an int (a float with no fraction too); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def text(value: Any) -> str | None:
    """A stored text as a str: a number as its digits, a blob decoded; None stays None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def stamp(value: Any) -> float | None:
    """A stored Unix time, or None where it is none a clock could show (text, NaN, year 300,000)."""
    seconds = number(value)
    if seconds is None or not math.isfinite(seconds):
        return None
    try:
        time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        return None
    return seconds


def settings_to_repeat(run: RunSummary) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """What training a run again takes: its model and training settings (with the text's batching
    and validation split) as one flat mapping, its text's settings, and the names of stored values
    this version cannot use (out of range now, or of a kind it no longer has), left out."""
    from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, usable_values

    corpus = dict(run.settings.get("corpus", {}))
    values = {**run.settings.get("model", {}), **run.settings.get("train", {})}
    values.update({name: corpus[name] for name in ("partition", "val_fraction") if name in corpus})
    known = {f.name for config in (ModelConfig, TrainConfig, CorpusConfig) for f in dataclasses.fields(config)}
    values = {name: value for name, value in values.items() if name in known}
    values, refused = usable_values(values, CorpusConfig, ModelConfig, TrainConfig)
    corpus_values, corpus_refused = usable_values(
        {name: value for name, value in corpus.items() if name in {f.name for f in dataclasses.fields(CorpusConfig)}},
        CorpusConfig,
    )
    return values, corpus_values, refused + [name for name in corpus_refused if name not in refused]
