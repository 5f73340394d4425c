"""How far back a prediction reaches (issue 24): influence, attribution, reach and half-life, each checked
against a second, independent computation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gru_studio.engine.analysis.influence import Reach, _half_life, _reach, reach, stepper
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.model_registry import specs
from gru_studio.engine.models import build_model
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.trainer import create_trainer

PROBE = "the time traveller for so it will be convenient"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CorpusConfig(source="sample"))


@pytest.fixture(scope="module")
def trained_gru(corpus):
    """A scratch GRU trained a little, so that its gates are no longer at their initial one half."""
    config = CorpusConfig(source="sample")
    trainer = create_trainer(
        corpus, config, ModelConfig(hidden=24), TrainConfig(epochs=15, batch_size=8, num_steps=16, sample_every=0)
    )
    list(trainer.run())
    return trainer.model


def book_equations_by_hand(model, indices: torch.Tensor, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """The chapter's four equations written out again, float64, one backward pass per prediction."""
    p = {name: value.detach().double() for name, value in model.named_parameters()}
    n = len(indices)
    X = F.one_hot(indices, vocab_size).double().requires_grad_(True)
    H = torch.zeros(1, p["W_hz"].shape[0], dtype=torch.float64)
    states, log_probs = [], []
    for k in range(n):
        x = X[k : k + 1]
        Z = torch.sigmoid(x @ p["W_xz"] + H @ p["W_hz"] + p["b_z"])
        R = torch.sigmoid(x @ p["W_xr"] + H @ p["W_hr"] + p["b_r"])
        H_tilde = torch.tanh(x @ p["W_xh"] + (R * H) @ p["W_hh"] + p["b_h"])
        H = Z * H + (1 - Z) * H_tilde
        states.append(H)
        if k < n - 1:
            logits = (H @ p["W_hq"] + p["b_q"])[0].clone()
            logits[0] = float("-inf")
            log_probs.append(torch.log_softmax(logits, -1)[indices[k + 1]])
    influence, attribution = np.zeros((n - 1, n)), np.zeros((n - 1, n))
    for t, lp in enumerate(log_probs):
        *grads, grad_x = torch.autograd.grad(lp, [*states[: t + 1], X], retain_graph=True)
        influence[t, : t + 1] = [float(g.norm()) for g in grads]
        attribution[t, : t + 1] = [float(grad_x[k, indices[k]]) for k in range(t + 1)]
    return influence, attribution


def close_where_it_counts(ours: np.ndarray, theirs: np.ndarray) -> None:
    counted = np.abs(theirs) > 1e-8
    assert counted.sum() > 100
    relative = np.abs(ours[counted] - theirs[counted]) / np.abs(theirs[counted])
    assert relative.max() < 1e-3


def test_influence_and_attribution_are_the_books_equations_differentiated(trained_gru, corpus) -> None:
    result = reach(trained_gru, corpus.vocab, PROBE, mode=corpus.mode)
    indices = torch.as_tensor(corpus.vocab.encode(result.text), dtype=torch.long)
    influence, attribution = book_equations_by_hand(trained_gru, indices, len(corpus.vocab))
    close_where_it_counts(result.influence, influence)
    close_where_it_counts(result.attribution, attribution)
    n = len(result.text)
    assert result.influence.shape == (n - 1, n)
    future = np.triu(np.ones((n - 1, n), dtype=bool), k=1)
    assert (result.influence[future] == 0).all() and (result.attribution[future] == 0).all()
    assert (np.diag(result.influence) > 0).all()


@pytest.mark.parametrize("kind", [spec.name for spec in specs()])
def test_every_kind_agrees_with_autograd_through_its_own_forward(kind: str, corpus) -> None:
    torch.manual_seed(1)
    model = build_model(ModelConfig(kind=kind, hidden=12, layers=2 if "builtin" in kind else 1), len(corpus.vocab))
    text = PROBE[:20]
    result = reach(model, corpus.vocab, text, mode=corpus.mode)
    # The second route: the model's own forward, one character at a time, as training calls it.
    model = model.double()
    indices = torch.as_tensor(corpus.vocab.encode(text), dtype=torch.long)
    state = model.begin_state(1).requires_grad_(True)
    states, log_probs = [], []
    output = stepper(model).output
    for k, index in enumerate(indices):
        logits, state = model(index.view(1, 1), state)
        states.append(state)
        # The fast models compute the logits beside the state they return: the same numbers, read
        # again from that state so that the gradient reaches it (the output layer is one product).
        torch.testing.assert_close(output(state)[0], logits[0])
        if k < len(indices) - 1:
            logits = output(state)[0].clone()
            logits[0] = float("-inf")
            log_probs.append(torch.log_softmax(logits, -1)[indices[k + 1]])
    top = stepper(model).top
    expected = np.zeros_like(result.influence)
    for t, lp in enumerate(log_probs):
        grads = torch.autograd.grad(lp, states[: t + 1], retain_graph=True)
        expected[t, : t + 1] = [float(top(g).norm()) for g in grads]
    counted = expected > 1e-8
    assert counted.sum() >= len(log_probs)
    np.testing.assert_allclose(result.influence[counted], expected[counted], rtol=1e-3)


def test_reach_and_half_life_read_the_influence_as_the_chapter_does() -> None:
    n = 30
    decay = np.zeros((n - 1, n))
    for t in range(n - 1):
        decay[t, : t + 1] = 0.5 ** np.arange(t, -1, -1.0)  # each step back halves the influence
    ratios = _reach(decay)
    np.testing.assert_allclose(ratios[:10], 0.5 ** np.arange(10))
    assert _half_life(decay) == 7  # 0.5^7 < 1 % <= 0.5^6, for every prediction that reaches that far
    # A model that never forgets within the probe has no half-life here.
    assert _half_life(np.tril(np.ones((n - 1, n)))) is None


def test_the_plain_rnn_forgets_sooner_than_the_gru_it_is_compared_with(corpus) -> None:
    torch.manual_seed(0)
    rnn = reach(build_model(ModelConfig(kind="rnn", hidden=32), len(corpus.vocab)), corpus.vocab, PROBE, mode="letters")
    torch.manual_seed(0)
    gru = reach(build_model(ModelConfig(hidden=32), len(corpus.vocab)), corpus.vocab, PROBE, mode="letters")
    # Untrained, small weights: the RNN's state shrinks by its W_hh each step, the GRU's update gate at
    # one half keeps half of it. The GRU listens farther back.
    assert rnn.half_life is not None and gru.half_life is not None and rnn.half_life < gru.half_life
    assert rnn.reach[3] < gru.reach[3]


def test_json_has_every_number_and_a_bad_probe_is_refused(corpus) -> None:
    model = build_model(ModelConfig(hidden=8), len(corpus.vocab))
    result = reach(model, corpus.vocab, "time", mode="letters")
    data = result.to_json()
    assert set(data) == {"text", "influence", "attribution", "reach", "half_life"}
    assert len(data["influence"]) == 3 and len(data["influence"][0]) == 4 and data["influence"][0][1:] == [0, 0, 0]
    assert isinstance(result, Reach) and "4 characters" in repr(result)
    with pytest.raises(GenerationError, match="2 to"):
        reach(model, corpus.vocab, "t", mode="letters")
    with pytest.raises(GenerationError, match="2 to"):
        reach(model, corpus.vocab, "time " * 100, mode="letters")
