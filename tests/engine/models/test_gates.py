"""The book's gate exercise: the scratch GRU with only a reset gate or only an update gate (issue 15)."""

import dataclasses

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gru_studio.engine.analysis.inside import trace
from gru_studio.engine.config import CorpusConfig, ModelConfig, validate
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.models import FastScratchGRU, ScratchGRU, build_model
from gru_studio.engine.models.fast_scratch import GRUFunction
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.trainer import create_trainer

ABLATIONS = ["reset-only", "update-only"]


@pytest.mark.parametrize("gates", ["full", *ABLATIONS])
def test_the_hand_written_backward_passes_gradcheck_for_each_gate_setting(gates: str) -> None:
    torch.manual_seed(1)
    steps, batch, vocab, hidden = 4, 3, 5, 6
    inputs = torch.randint(0, vocab, (steps, batch))
    tensors = [
        torch.randn(batch, hidden, dtype=torch.float64),  # H0
        torch.randn(vocab, 3 * hidden, dtype=torch.float64) * 0.5,  # W_x
        torch.randn(3 * hidden, dtype=torch.float64) * 0.5,  # b_x
        torch.randn(hidden, 2 * hidden, dtype=torch.float64) * 0.5,  # U_zr
        torch.randn(hidden, hidden, dtype=torch.float64) * 0.5,  # W_hh
    ]
    for t in tensors:
        t.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda *ts: GRUFunction.apply(inputs, *ts, gates), tensors)


def pair(gates: str, dtype: torch.dtype = torch.float64) -> tuple[ScratchGRU, FastScratchGRU]:
    torch.manual_seed(0)
    book = ScratchGRU(11, 8, gates=gates).to(dtype)
    with torch.no_grad():
        for p in book.parameters():
            p.normal_(0, 0.5)
    fast = FastScratchGRU(11, 8, gates=gates).to(dtype)
    fast.load_state_dict(book.state_dict())
    return book, fast


@pytest.mark.parametrize("gates", ABLATIONS)
def test_the_fast_ablation_computes_the_books_code_with_the_gate_fixed(gates: str) -> None:
    book, fast = pair(gates)
    X, H0 = torch.randint(0, 11, (3, 6)), torch.randn(3, 8, dtype=torch.float64)
    Y = torch.randint(0, 11, (18,))
    results = []
    for model in (book, fast):
        logits, state = model(X, H0)
        (F.cross_entropy(logits, Y) + state.sum()).backward()
        # The book's code never reads the fixed gate's parameters: no gradient at all, that is zero.
        grads = {n: torch.zeros_like(p) if p.grad is None else p.grad for n, p in model.named_parameters()}
        results.append((logits, grads))
    torch.testing.assert_close(results[1][0], results[0][0], rtol=1e-12, atol=1e-12)
    for name, grad in results[0][1].items():
        torch.testing.assert_close(results[1][1][name], grad, rtol=1e-10, atol=1e-12, msg=name)
    fixed = ("W_xz", "W_hz", "b_z") if gates == "reset-only" else ("W_xr", "W_hr", "b_r")
    assert all((results[1][1][name] == 0).all() for name in fixed)  # the fixed gate never touches the output


def _sample() -> CorpusConfig:
    return CorpusConfig(source="sample", max_tokens=2000)


def test_reset_only_makes_the_state_its_candidate_at_every_step() -> None:
    corpus = load_corpus(_sample())
    model = FastScratchGRU(len(corpus.vocab), 8, gates="reset-only")
    result = trace(model, corpus.vocab, "the time traveller", mode=corpus.mode)
    assert (result.z == 0).all()
    np.testing.assert_array_equal(result.h, result.h_tilde)  # H = Z ⊙ H_prev + (1 - Z) ⊙ H̃ = H̃


def test_update_only_gives_the_candidate_the_state_unreset() -> None:
    corpus = load_corpus(_sample())
    torch.manual_seed(3)
    model = FastScratchGRU(len(corpus.vocab), 8, gates="update-only")
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.5)
    result = trace(model, corpus.vocab, "the time traveller", mode=corpus.mode)
    assert (result.r == 1).all()
    H_prev = np.vstack([result.h0, result.h[:-1]])
    indices = corpus.vocab.encode(result.text)
    p = {n: v.detach().numpy() for n, v in model.named_parameters()}
    expected = np.tanh(p["W_xh"][indices] + H_prev @ p["W_hh"] + p["b_h"])  # H̃ = tanh(X W_xh + H W_hh + b_h)
    np.testing.assert_allclose(result.h_tilde, expected, atol=1e-5)
    # And the model's own forward agrees with the trace's H.
    with torch.no_grad():
        _, state = model(torch.as_tensor(indices)[None], model.begin_state(1))
    np.testing.assert_allclose(result.h[-1], state[0].numpy(), atol=1e-5)


@pytest.mark.parametrize("gates", ABLATIONS)
@pytest.mark.parametrize("kind", ["scratch", "scratch-book"])
def test_each_ablation_trains_and_survives_a_checkpoint(tiny_settings, tmp_path, kind: str, gates: str) -> None:
    corpus_config, model_config, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    model_config = dataclasses.replace(model_config, kind=kind, gates=gates, hidden=32)
    trainer = create_trainer(corpus, corpus_config, model_config, dataclasses.replace(train_config, epochs=6, lr=2.0))
    ppl = [e.perplexity for e in trainer.run() if isinstance(e, EpochEnd)]
    assert ppl[-1] < ppl[0] * 0.9
    checkpoint.save(tmp_path / "m.pt", trainer.checkpoint())
    loaded = checkpoint.load(tmp_path / "m.pt")
    assert loaded.model_config.gates == gates and loaded.model.gates == gates


@pytest.mark.parametrize("kind", ["builtin", "rnn", "rnn-builtin", "lstm-builtin"])
def test_gates_are_refused_for_models_without_the_scratch_grus_gates(kind: str) -> None:
    with pytest.raises(ConfigError, match="scratch GRU only"):
        validate(ModelConfig(kind=kind, gates="reset-only"))
    validate(ModelConfig(kind=kind))  # full is every model's
    build_model(ModelConfig(kind=kind, hidden=4), 5)


@pytest.mark.parametrize("gates", ABLATIONS)
def test_generation_steps_with_the_gate_fixed_as_the_books_code_does(gates: str) -> None:
    from gru_studio.engine.models.generate import complete
    from gru_studio.engine.text.vocab import Vocab

    vocab = Vocab(list(" etainoshrdlmucfwgypbvkxzjq"))
    torch.manual_seed(0)
    book = ScratchGRU(len(vocab), 32, gates=gates)
    with torch.no_grad():
        for p in book.parameters():
            p.normal_(0, 0.5)
    fast = FastScratchGRU(len(vocab), 32, gates=gates)
    fast.load_state_dict(book.state_dict())
    full = FastScratchGRU(len(vocab), 32)
    full.load_state_dict(book.state_dict())
    text = complete(fast, vocab, "time traveller", 80)
    assert text == complete(book, vocab, "time traveller", 80)  # the fast one-character step included
    assert text != complete(full, vocab, "time traveller", 80)  # and the gate does matter
