"""Each batch's gradient norm before clipping, and the share of batches clipped per epoch (issue 15)."""

import dataclasses

import pytest

from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.events import BatchEnd, EpochEnd
from gru_studio.engine.training.trainer import create_trainer


def run(settings, **train_changes) -> tuple[list[EpochEnd], int, object]:
    corpus_config, model_config, train_config = settings
    corpus = load_corpus(corpus_config)
    trainer = create_trainer(corpus, corpus_config, model_config, dataclasses.replace(train_config, **train_changes))
    events = list(trainer.run())
    batches = max(e.batches for e in events if isinstance(e, BatchEnd))
    return [e for e in events if isinstance(e, EpochEnd)], batches, trainer


def test_every_batch_reports_its_norm_and_the_epoch_its_mean(tiny_settings) -> None:
    epochs, batches, _ = run(tiny_settings, epochs=2)
    for event in epochs:
        assert len(event.grad_norms) == batches and all(norm > 0 for norm in event.grad_norms)
        assert event.grad_norm == pytest.approx(sum(event.grad_norms) / batches)


@pytest.mark.parametrize(("clip", "share"), [(1e6, 0.0), (0.0, 0.0), (1e-9, 1.0)])
def test_the_clipped_share_counts_batches_whose_norm_was_over_theta(tiny_settings, clip: float, share: float) -> None:
    epochs, _, _ = run(tiny_settings, epochs=2, clip=clip)  # clip 0 is off: nothing is clipped
    assert [e.clipped_share for e in epochs] == [share, share]


def test_a_share_in_between_is_the_norms_over_theta(tiny_settings) -> None:
    unclipped, _, _ = run(tiny_settings, epochs=1, clip=1e6)
    norms = sorted(unclipped[0].grad_norms)
    theta = (norms[len(norms) // 2 - 1] + norms[len(norms) // 2]) / 2  # between the two middle norms
    # The first batch's norm does not depend on clipping; later ones do, so count them in the clipped run itself.
    clipped, _, _ = run(tiny_settings, epochs=1, clip=theta)
    event = clipped[0]
    assert event.clipped_share == pytest.approx(sum(n > theta for n in event.grad_norms) / len(event.grad_norms))
    assert 0 < event.clipped_share < 1


def test_the_first_batchs_norm_is_the_same_whatever_the_threshold(tiny_settings) -> None:
    # Before the first step nothing depends on θ, so the first batch's norm before clipping is the same
    # number with θ tiny (every batch clipped), huge (none) or off; a norm read after clipping would be θ.
    firsts = {clip: run(tiny_settings, epochs=1, clip=clip)[0][0].grad_norms[0] for clip in (1e-9, 1e6, 0.0)}
    assert firsts[1e-9] == firsts[1e6] == firsts[0.0] > 1e-3, firsts
