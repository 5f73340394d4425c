"""Minibatches of (input, target) token windows, partitioned as the book does.

Randomness comes from a numpy Generator owned by the caller, so a run is
repeatable from its seed and nothing touches Python's global `random`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch

from gru_studio.engine.errors import CorpusError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP

Batch = tuple[torch.Tensor, torch.Tensor]
ALL_ROWS = slice(None)


def min_batches(num_tokens: int, batch_size: int, num_steps: int, partition: str) -> int:
    """How many batches one epoch yields at the worst random offset."""
    if partition == "random":
        return ((num_tokens - num_steps) // num_steps) // batch_size
    return ((num_tokens - num_steps - 1) // batch_size) // num_steps


def check_enough(num_tokens: int, batch_size: int, num_steps: int, partition: str, what: str) -> None:
    """`what` names the tokens ("training text"): a Phrase, so that the window translates it."""
    if min_batches(num_tokens, batch_size, num_steps, partition) < 1:
        raise CorpusError(
            QT_TRANSLATE_NOOP(
                "engine",
                "The {what} has {tokens:,} tokens, fewer than one batch needs "
                "(about {needed:,} for batch size {batch_size} x {num_steps} steps). "
                "Use a longer text or a smaller batch size or number of steps.",
            ),
            what=what,
            tokens=num_tokens,
            needed=batch_size * num_steps + num_steps + 1,
            batch_size=batch_size,
            num_steps=num_steps,
        )


def sequential(
    tokens: np.ndarray, batch_size: int, num_steps: int, offset: int, rows: slice = ALL_ROWS
) -> Iterator[Batch]:
    """Cut the stream, from `offset` on, into `batch_size` parallel streams read `num_steps` at a time.

    Consecutive batches continue each other row by row, so the hidden state
    can be carried from one batch to the next.
    """
    usable = (len(tokens) - offset - 1) // batch_size * batch_size
    xs = torch.from_numpy(tokens[offset : offset + usable]).reshape(batch_size, -1)[rows]
    ys = torch.from_numpy(tokens[offset + 1 : offset + 1 + usable]).reshape(batch_size, -1)[rows]
    for start in range(0, xs.shape[1] // num_steps * num_steps, num_steps):
        yield xs[:, start : start + num_steps].long(), ys[:, start : start + num_steps].long()


def random_windows(
    tokens: np.ndarray,
    batch_size: int,
    num_steps: int,
    offset: int,
    rng: np.random.Generator,
    rows: slice = ALL_ROWS,
) -> Iterator[Batch]:
    """Non-overlapping windows from `offset` on, in shuffled order; each batch stands alone."""
    count = (len(tokens) - offset - 1) // num_steps
    starts = offset + rng.permutation(count) * num_steps
    steps = np.arange(num_steps)
    for first in range(0, count // batch_size * batch_size, batch_size):
        index = starts[first : first + batch_size][rows, None] + steps
        yield torch.from_numpy(tokens[index]).long(), torch.from_numpy(tokens[index + 1]).long()


def epoch_batches(
    tokens: np.ndarray,
    batch_size: int,
    num_steps: int,
    partition: str,
    rng: np.random.Generator,
    rows: slice = ALL_ROWS,
) -> tuple[int, Iterator[Batch]]:
    """(how many batches, the batches) for one epoch, with a fresh random offset as the book draws.

    `rows` keeps only those rows of each batch: a process of a distributed run
    draws the same batches as every other (the same generator) and trains on
    its share of their rows.
    """
    n = len(tokens)
    if partition == "random":
        offset = int(rng.integers(0, num_steps))
        count = (n - offset - 1) // num_steps // batch_size
        return count, random_windows(tokens, batch_size, num_steps, offset, rng, rows)
    offset = int(rng.integers(0, num_steps + 1))
    count = (n - offset - 1) // batch_size // num_steps
    return count, sequential(tokens, batch_size, num_steps, offset, rows)
