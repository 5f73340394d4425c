"""What the training loop reports: plain, immutable values that any thread may hold."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BatchEnd:
    epoch: int  # 1-based epoch this batch belongs to
    batch: int  # 1-based
    batches: int


@dataclass(frozen=True)
class EpochEnd:
    epoch: int  # 1-based, counted over the whole life of the model
    epochs: int
    perplexity: float
    val_perplexity: float | None
    tokens_per_s: float
    elapsed_s: float  # training time of this run so far, pauses excluded


@dataclass(frozen=True)
class Sample:
    epoch: int
    text: str  # prefix + greedy continuation


@dataclass(frozen=True)
class Finished:
    reason: str  # "completed" or "stopped"
    epoch: int
    perplexity: float | None
    val_perplexity: float | None
    tokens_per_s: float  # all tokens of this run / training time of this run
    elapsed_s: float


Event = BatchEnd | EpochEnd | Sample | Finished
