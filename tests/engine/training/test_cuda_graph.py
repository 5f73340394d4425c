"""The capturable step and the CUDA graph's check, on the CPU.

The step must be the batch the trainer always did, bit for bit (`reference_run`
below is that loop as it was before the step); the graph's capture and check
run here with a fake graph (cuda_graph.EagerBackend), which a subclass makes
disagree. Only the real torch.cuda.CUDAGraph needs a GPU (scripts/gpu_check.py).
"""

import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gru_studio.engine.text.batches import epoch_batches
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training import cuda_graph
from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.step import clip_gradients, gradient_norm
from gru_studio.engine.training.trainer import create_trainer, make_optimizer, resume_trainer


def settings(tiny_settings, partition="sequential", optimizer="sgd", kind="scratch", **train):
    corpus_config, model_config, train_config = tiny_settings
    lr = 0.02 if optimizer == "adam" else 1.0
    return (
        dataclasses.replace(corpus_config, partition=partition),
        dataclasses.replace(model_config, kind=kind),
        dataclasses.replace(train_config, optimizer=optimizer, lr=lr, threads=1, clip=0.5, **train),
    )


def trained(config, backend=None, resume_at=None):
    """(each epoch's (perplexity, gradient norms), final weights, the trainer) of a run, resumed at `resume_at`."""
    corpus_config, model_config, train_config = config
    corpus = load_corpus(corpus_config)
    epochs = train_config.epochs
    trainer = create_trainer(
        corpus, corpus_config, model_config, dataclasses.replace(train_config, epochs=resume_at or epochs)
    )
    trainer.graph_backend = backend
    ends = [e for e in trainer.run() if isinstance(e, EpochEnd)]
    if resume_at is not None:
        trainer = resume_trainer(trainer.checkpoint_copy(), corpus, epochs, "cpu")
        trainer.graph_backend = backend
        ends += [e for e in trainer.run() if isinstance(e, EpochEnd)]
    weights = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    return [(e.perplexity, e.grad_norms) for e in ends], weights, trainer


def reference_run(config):
    """The trainer's batch loop as it was before the capturable step, for one uninterrupted run."""
    corpus_config, model_config, train_config = config
    corpus = load_corpus(corpus_config)
    trainer = create_trainer(corpus, corpus_config, model_config, train_config)  # seeds and builds the same model
    model, cfg = trainer.model, train_config
    torch.set_num_threads(1)
    optimizer = make_optimizer(cfg.optimizer, model.parameters(), cfg.lr)
    rng, params, ends = np.random.default_rng(cfg.seed), list(model.parameters()), []
    torch.set_rng_state(trainer._torch_rng)
    for _ in range(cfg.epochs):
        _, stream = epoch_batches(trainer.train_tokens, cfg.batch_size, cfg.num_steps, corpus_config.partition, rng)
        state, loss_sum, norms, count = None, torch.zeros(()), [], 0
        for X, Y in stream:
            state = model.begin_state(X.shape[0]) if state is None or corpus_config.partition == "random" else state
            logits, state = model(X, state.detach())
            y = Y.T.reshape(-1)
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            norms.append(clip_gradients(params, cfg.clip) if cfg.clip > 0 else gradient_norm(params))
            optimizer.step()
            loss_sum += loss.detach() * y.numel()
            count += y.numel()
        total, *grad_norms = torch.stack([loss_sum, *norms]).tolist()
        ends.append((float(np.exp(total / count)), tuple(grad_norms)))
    return ends, {k: v.clone() for k, v in model.state_dict().items()}


def same(a, b) -> bool:
    (ends_a, weights_a), (ends_b, weights_b) = a[:2], b[:2]
    return ends_a == ends_b and all(torch.equal(weights_a[k], weights_b[k]) for k in weights_a)


@pytest.mark.parametrize(
    ("partition", "optimizer", "kind"),
    [("sequential", "sgd", "scratch"), ("random", "sgd", "scratch"), ("sequential", "adam", "scratch"),
     ("random", "adam", "builtin")],
)  # fmt: skip
def test_the_step_is_the_old_batch_loop_bit_for_bit(tiny_settings, partition, optimizer, kind) -> None:
    config = settings(tiny_settings, partition, optimizer, kind)
    assert same(trained(config), reference_run(config))


@pytest.mark.parametrize("partition", ["sequential", "random"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_resumed_run_equals_a_straight_one_bit_for_bit(tiny_settings, partition, optimizer) -> None:
    config = settings(tiny_settings, partition, optimizer, epochs=4)
    assert same(trained(config, resume_at=2), trained(config))


def test_auto_on_the_cpu_trains_eagerly_and_says_why(tiny_settings) -> None:
    *_, trainer = trained(settings(tiny_settings))
    assert trainer.cuda_graph == cuda_graph.NO_CUDA
    *_, off = trained(settings(tiny_settings, cuda_graph="off"))
    assert off.cuda_graph == cuda_graph.OFF


@pytest.mark.parametrize(
    ("partition", "optimizer", "resume_at"), [("sequential", "sgd", None), ("random", "adam", None),
                                              ("sequential", "adam", 2)]
)  # fmt: skip
def test_a_graph_that_agrees_is_kept_and_trains_the_same(tiny_settings, partition, optimizer, resume_at) -> None:
    # The fake graph runs the step itself: capture, the warm-up put back, the check and the replays
    # must then give exactly the eager run (the warm-up trained three batches that must leave no trace).
    config = settings(tiny_settings, partition, optimizer, epochs=4)
    graphed = trained(config, cuda_graph.EagerBackend(), resume_at)
    assert graphed[2].cuda_graph == cuda_graph.ON
    assert same(graphed, trained(config))


class Disagreeing(cuda_graph.EagerBackend):
    """A graph whose replays report another loss: the check must refuse it."""

    def capture(self, fn):
        replay, out = super().capture(fn)

        def wrong() -> None:
            replay()
            out.mul_(1.001)

        return wrong, out


class Failing(cuda_graph.EagerBackend):
    def capture(self, fn):
        raise RuntimeError("operation not permitted when stream is capturing\nmore lines")


@pytest.mark.parametrize("backend", [Disagreeing(), Failing()])
def test_a_graph_that_disagrees_or_fails_falls_back_to_the_eager_step(tiny_settings, backend, caplog) -> None:
    config = settings(tiny_settings, "sequential", "adam", epochs=2)
    with caplog.at_level("WARNING", logger="gru_studio.engine.training.cuda_graph"):
        graphed = trained(config, backend)
    status = graphed[2].cuda_graph
    if isinstance(backend, Disagreeing):
        assert status.startswith("graph and eager step disagree (")
    else:
        assert status == "capture failed: RuntimeError: operation not permitted when stream is capturing"
    assert [r.getMessage() for r in caplog.records] == [f"CUDA graph off, training eagerly: {status}"]
    assert same(graphed, trained(config))  # the batch it was checked on is trained again, eagerly


def test_only_the_scratch_model_is_graphed(tiny_settings) -> None:
    *_, trainer = trained(settings(tiny_settings, kind="builtin"), cuda_graph.EagerBackend())
    assert trainer.cuda_graph == cuda_graph.NOT_SCRATCH


def test_every_run_captures_its_own_graph(tiny_settings) -> None:
    captures = []

    class Counting(cuda_graph.EagerBackend):
        def capture(self, fn):
            captures.append(fn)
            return super().capture(fn)

    config = settings(tiny_settings, epochs=2)
    *_, trainer = trained(config, Counting())
    trainer.config = dataclasses.replace(trainer.config, epochs=3)
    list(trainer.run())
    assert len(captures) == 2 and trainer.cuda_graph == cuda_graph.ON
