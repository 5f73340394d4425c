"""The chapter's equations with their numbers, and what if a gate were fixed (issue 25)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gru_studio.engine.analysis.clamp import Clamp, parse_clamps
from gru_studio.engine.analysis.inside import generate_clamped, trace
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.models import build_model
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.trainer import create_trainer

PROBE = "the time traveller for so it will be convenient to speak of him"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(CorpusConfig(source="sample"))


@pytest.fixture(scope="module")
def trained(corpus):
    trainer = create_trainer(
        corpus,
        CorpusConfig(source="sample"),
        ModelConfig(hidden=24),
        TrainConfig(epochs=15, batch_size=8, num_steps=16, sample_every=0),
    )
    list(trainer.run())
    return trainer.model


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def book_by_hand(model, indices: list[int], vocab_size: int, clamps: tuple[Clamp, ...] = ()) -> dict[str, np.ndarray]:
    """The four equations in float64, written out again, with the clamps applied as the chapter would."""
    p = {name: value.detach().double().numpy() for name, value in model.named_parameters()}
    H = np.zeros(p["W_hz"].shape[0])
    out: dict[str, list] = {"z": [], "r": [], "h_tilde": [], "h": []}
    for t, index in enumerate(indices):
        X = F.one_hot(torch.tensor(int(index)), vocab_size).double().numpy()
        Z = sigmoid(X @ p["W_xz"] + H @ p["W_hz"] + p["b_z"])
        R = sigmoid(X @ p["W_xr"] + H @ p["W_hr"] + p["b_r"])
        for clamp in clamps:
            if clamp.covers(t):
                target = Z if clamp.gate == "z" else R
                target[list(clamp.units) if clamp.units else slice(None)] = clamp.value
        H_tilde = np.tanh(X @ p["W_xh"] + (R * H) @ p["W_hh"] + p["b_h"])
        H = Z * H + (1 - Z) * H_tilde
        for name, value in (("z", Z), ("r", R), ("h_tilde", H_tilde), ("h", H)):
            out[name].append(value.copy())
    return {name: np.array(values) for name, values in out.items()}


def test_the_terms_add_up_to_the_gates_and_the_candidate(trained, corpus) -> None:
    shown = trace(trained, corpus.vocab, PROBE, mode=corpus.mode)
    for name, squash in (("z", sigmoid), ("r", sigmoid), ("h_tilde", np.tanh)):
        parts = shown.terms[name]
        assert parts["input"].shape == parts["recurrent"].shape == (len(PROBE), 24) and parts["bias"].shape == (24,)
        total = parts["input"].astype(np.float64) + parts["recurrent"] + parts["bias"]
        np.testing.assert_allclose(squash(total), shown.signal(name), atol=1e-5)
    # The input term of a one-hot character is that character's row of W_x.
    np.testing.assert_allclose(shown.terms["z"]["input"][0], trained.W_xz.detach()[corpus.vocab.encode("t")[0]])


def test_builtin_terms_are_nn_grus_own(corpus) -> None:
    torch.manual_seed(0)
    model = build_model(ModelConfig(kind="builtin", hidden=10, layers=2), len(corpus.vocab))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0, 0.8)
    for layer in (0, 1):
        shown = trace(model, corpus.vocab, PROBE, mode=corpus.mode, layer=layer)
        for name, squash in (("z", sigmoid), ("r", sigmoid), ("h_tilde", np.tanh)):
            parts = shown.terms[name]
            np.testing.assert_allclose(
                squash(parts["input"].astype(np.float64) + parts["recurrent"] + parts["bias"]),
                shown.signal(name),
                atol=1e-5,
            )


@pytest.mark.parametrize(
    "clamps",
    [
        (),
        (Clamp("z", 1.0, 10),),
        (Clamp("z", 0.0),),
        (Clamp("r", 0.0, 3, 20),),
        (Clamp("z", 0.25, 5, 30, (0, 3, 5)), Clamp("r", 0.75, 0, None, (1, 2))),
    ],
)
def test_each_clamp_agrees_with_the_books_equations_by_hand(trained, corpus, clamps) -> None:
    shown = trace(trained, corpus.vocab, PROBE, mode=corpus.mode, clamps=clamps)
    expected = book_by_hand(trained, list(corpus.vocab.encode(shown.text)), len(corpus.vocab), clamps)
    for name in ("z", "r", "h_tilde", "h"):
        np.testing.assert_allclose(shown.signal(name), expected[name], atol=1e-5, err_msg=name)


def test_the_exact_consequences_of_each_preset(trained, corpus) -> None:
    s = 10
    kept = trace(trained, corpus.vocab, PROBE, mode=corpus.mode, clamps=(Clamp("z", 1.0, s),))
    assert (kept.h[s:] == kept.h[s - 1]).all()  # Z = 1: nothing new is written from step s on
    replaced = trace(trained, corpus.vocab, PROBE, mode=corpus.mode, clamps=(Clamp("z", 0.0),))
    assert (replaced.h == replaced.h_tilde).all()  # Z = 0: the state is the candidate at every step
    forgetful = trace(trained, corpus.vocab, PROBE, mode=corpus.mode, clamps=(Clamp("r", 0.0),))
    # R = 0: the candidate reads the character alone, so each character's H~ is the same wherever it is.
    first_t = PROBE.index("t")
    for t, char in enumerate(PROBE):
        if char == "t":
            np.testing.assert_allclose(forgetful.h_tilde[t], forgetful.h_tilde[first_t], atol=1e-6)
    free = trace(trained, corpus.vocab, PROBE, mode=corpus.mode)
    assert free.perplexity is not None and replaced.perplexity is not None
    assert replaced.perplexity != free.perplexity


def test_generation_with_the_update_gate_held_open_repeats_one_character(trained, corpus) -> None:
    text = generate_clamped(trained, corpus.vocab, "the", 30, mode=corpus.mode, clamps=(Clamp("z", 1.0),))
    assert len(text) == 30 and len(set(text)) == 1  # H stays H0: the same distribution at every step
    free = generate_clamped(trained, corpus.vocab, "the", 30, mode=corpus.mode, clamps=())
    assert len(set(free)) > 1


def test_bad_clamps_are_refused_with_a_clear_message() -> None:
    assert parse_clamps(["z=1", "R=0.5"], 2, 9, "0,3") == (
        Clamp("z", 1.0, 2, 9, (0, 3)),
        Clamp("r", 0.5, 2, 9, (0, 3)),
    )
    for texts, start, stop, units, words in (
        (["q=1"], 0, None, None, "z or r"),
        (["z=2"], 0, None, None, "between 0 and 1"),
        (["z"], 0, None, None, "z=V"),
        (["z=nan"], 0, None, None, "z=V"),
        (["z=1"], 5, 5, None, "holds no character"),
        (["z=1"], 0, None, "a,b", "unit numbers"),
    ):
        with pytest.raises(GenerationError, match=words):
            parse_clamps(texts, start, stop, units)


def test_a_unit_the_model_lacks_is_refused(trained, corpus) -> None:
    with pytest.raises(GenerationError, match="no unit 99"):
        trace(trained, corpus.vocab, PROBE, mode=corpus.mode, clamps=(Clamp("z", 1.0, units=(99,)),))
