"""One stored run as lists and tables show it: its settings and the figures drawn from its epochs."""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunSummary:
    """One run as the list shows it, with everything it was started with."""

    id: int
    name: str
    status: str
    started: float  # Unix time
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

    @property
    def model(self) -> str:
        return str(self.settings.get("model", {}).get("kind", "?"))

    @property
    def hidden(self) -> int | None:
        return self.settings.get("model", {}).get("hidden")

    @property
    def target_epochs(self) -> int | None:
        return self.settings.get("train", {}).get("epochs")

    def as_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values.update(model=self.model, hidden=self.hidden, target_epochs=self.target_epochs)
        return values


def summarize(row: tuple[Any, ...], epochs: list[tuple[Any, ...]]) -> RunSummary:
    """A run's row of the runs table and its epochs' (epoch, perplexity, val_perplexity,
    tokens_per_s) rows, as the list shows the run: last and best epochs, mean speed, duration."""
    run_id, name, status, started, ended, *rest = row
    corpus_name, corpus_path, corpus_sha1, device, torch_version, app_version, settings, start_epoch = rest[:8]
    sample, checkpoint, error = rest[8:]
    with_val = [(ppl, epoch) for epoch, _, ppl, _ in epochs if ppl is not None]
    candidates = with_val or [(ppl, epoch) for epoch, ppl, _, _ in epochs]
    best = min(candidates) if candidates else None  # ties: the earlier epoch, by the tuple's order
    last = epochs[-1] if epochs else None
    end = ended if ended is not None else (time.time() if status == "running" else None)
    try:
        parsed = json.loads(settings)
    except ValueError:
        parsed = {}
    return RunSummary(
        id=run_id,
        name=name,
        status=status,
        started=started,
        ended=ended,
        corpus_name=corpus_name,
        corpus_path=corpus_path,
        corpus_sha1=corpus_sha1,
        device=device,
        torch_version=torch_version,
        app_version=app_version,
        settings=parsed,
        start_epoch=start_epoch,
        sample=sample,
        checkpoint=checkpoint,
        error=error,
        epochs=len(epochs),
        last_epoch=last[0] if last else None,
        perplexity=last[1] if last else None,
        val_perplexity=last[2] if last else None,
        best_perplexity=best[0] if best else None,
        best_epoch=best[1] if best else None,
        best_is_validation=bool(with_val),
        tokens_per_s=sum(e[3] for e in epochs) / len(epochs) if epochs else None,
        duration_s=None if end is None else max(end - started, 0.0),
    )
