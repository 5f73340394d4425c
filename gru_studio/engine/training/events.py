"""What the training loop reports: plain, immutable values that any thread may hold.

Epochs are counted over the whole life of a model (a model continued from
epoch 500 reports 501, 502, …), while times and speeds are those of the run
that reports them. `run_start_epoch` ties the two together, so that anything
per epoch of this run (the time left, above all) divides by the epochs this
run has trained, not by the model's age.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar


@dataclass(frozen=True)
class BatchEnd:
    epoch: int  # 1-based epoch this batch belongs to
    batch: int  # 1-based
    batches: int


@dataclass(frozen=True)
class EpochEnd:
    epoch: int  # 1-based, counted over the whole life of the model
    epochs: int  # the epoch this run trains up to
    perplexity: float
    val_perplexity: float | None
    tokens_per_s: float  # of this epoch
    elapsed_s: float  # training time of this run so far, pauses excluded
    run_start_epoch: int = 0  # the model's epoch when this run started
    grad_norm: float | None = None  # mean over the epoch's batches, before clipping
    clipped_share: float | None = None  # share of the epoch's batches whose norm was over the clip threshold
    # Each batch's gradient norm, before clipping, in order (the window's gradient plot).
    grad_norms: tuple[float, ...] = ()

    @property
    def run_epochs_done(self) -> int:
        """Epochs trained by this run so far."""
        return self.epoch - self.run_start_epoch

    @property
    def eta_s(self) -> float:
        """Training time left until `epochs`, at this run's average pace so far."""
        return (self.epochs - self.epoch) * self.elapsed_s / max(self.run_epochs_done, 1)


@dataclass(frozen=True)
class Sample:
    epoch: int
    text: str  # prefix + greedy continuation


@dataclass(frozen=True)
class Finished:
    reason: str  # "completed" or "stopped"
    epoch: int  # the model's epoch at the end, counted over its whole life
    perplexity: float | None  # of this run's last epoch; None when it trained none
    val_perplexity: float | None
    tokens_per_s: float  # all tokens of this run / training time of this run
    elapsed_s: float
    run_start_epoch: int = 0

    @property
    def run_epochs_done(self) -> int:
        return self.epoch - self.run_start_epoch


@dataclass(frozen=True)
class ThreadsChosen:
    """An automatic CPU thread count chosen by measuring (engine/hardware/threads.py): the first, or a switch.

    From the batch after `batch` of `epoch` on, the run trains with `threads` threads.
    """

    epoch: int  # 1-based, counted over the whole life of the model
    batch: int  # 1-based, within the epoch
    threads: int
    previous: int | None  # None for the run's first choice
    reason: str  # threads.START, RECHECK, STALLED, SLOWER, FASTER or FREED
    # Each count's median speed in the measurement that chose, fewest threads first; None for
    # a count not trained with (its threads stalled).
    tokens_per_s: tuple[tuple[int, float | None], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values (`train --json`'s thread_switches)."""
        values = dataclasses.asdict(self)
        values["tokens_per_s"] = {str(count): speed for count, speed in self.tokens_per_s}
        return values


Event = BatchEnd | EpochEnd | Sample | ThreadsChosen | Finished


@dataclass(frozen=True)
class EpochRecord:
    """One line of a model's training history, kept for its whole life and saved with it."""

    epoch: int  # counted over the whole life of the model
    perplexity: float
    val_perplexity: float | None
    tokens_per_s: float
    grad_norm: float | None  # mean over the epoch's batches, before clipping; None in older checkpoints
    elapsed_s: float | None  # training time of the model up to this epoch, all runs together, pauses excluded

    def as_dict(self) -> dict[str, Any]:
        """Plain values only: checkpoints are read back with torch.load(weights_only=True)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> EpochRecord:
        """Read a saved record; fields that older versions did not write are None."""
        return cls(
            epoch=int(values["epoch"]),
            perplexity=float(values["perplexity"]),
            val_perplexity=_optional_float(values.get("val_perplexity")),
            tokens_per_s=float(values["tokens_per_s"]),
            grad_norm=_optional_float(values.get("grad_norm")),
            elapsed_s=_optional_float(values.get("elapsed_s")),
        )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


E = TypeVar("E")


class EventRoutes:
    """One table from event type to the handlers that take it, each type's in the order added.

    The window (through its Controller, on the GUI thread) and the command line route a run's
    events through one of these rather than isinstance chains, so a new event is its dataclass
    here, a yield in the trainer and one `routes.on(NewEvent, handler)` where it is shown.
    """

    def __init__(self) -> None:
        self._table: dict[type, list[Callable[[Any], None]]] = {}

    def on(self, event_type: type[E], *handlers: Callable[[E], None]) -> EventRoutes:
        self._table.setdefault(event_type, []).extend(handlers)
        return self

    def off(self, event_type: type[E], handler: Callable[[E], None]) -> None:
        """Take a handler away again (a view or a test that stops listening)."""
        self._table[event_type].remove(handler)

    def send(self, event: object) -> None:
        # A copy: a handler may add or take away handlers (a sweep's next run) while it runs.
        for handler in tuple(self._table.get(type(event), ())):
            handler(event)
