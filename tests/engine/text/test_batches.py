import itertools

import numpy as np
import pytest

from gru_studio.engine.errors import CorpusError
from gru_studio.engine.text.batches import check_enough, epoch_batches, min_batches

TOKENS = np.arange(1000, dtype=np.int32)


def test_sequential_batches_continue_each_other_row_by_row() -> None:
    count, stream = epoch_batches(TOKENS, 4, 7, "sequential", np.random.default_rng(0))
    got = list(stream)
    assert len(got) == count >= min_batches(len(TOKENS), 4, 7, "sequential")
    for X, Y in got:
        assert X.shape == (4, 7) and X.dtype.is_floating_point is False
        assert (Y == X + 1).all()  # targets are the next token
    for (X0, _), (X1, _) in itertools.pairwise(got):
        assert (X1[:, 0] == X0[:, -1] + 1).all()  # each row reads on where it stopped


def test_random_windows_do_not_overlap_and_cover_the_text() -> None:
    count, stream = epoch_batches(TOKENS, 5, 10, "random", np.random.default_rng(3))
    starts = [int(x) for X, Y in stream for x in X[:, 0]]
    assert len(starts) == count * 5
    assert len(set(starts)) == len(starts)
    assert len({s % 10 for s in starts}) == 1  # one offset for the epoch
    assert sorted(starts) != starts  # shuffled


def test_same_seed_same_batches() -> None:
    a = [x for x, _ in epoch_batches(TOKENS, 4, 7, "random", np.random.default_rng(9))[1]]
    b = [x for x, _ in epoch_batches(TOKENS, 4, 7, "random", np.random.default_rng(9))[1]]
    assert all((x == y).all() for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("partition", ["sequential", "random"])
def test_a_text_shorter_than_one_batch_is_refused(partition: str) -> None:
    with pytest.raises(CorpusError, match="fewer than one batch"):
        check_enough(100, 32, 35, partition, "training text")
    check_enough(32 * 35 + 36, 32, 35, partition, "training text")
