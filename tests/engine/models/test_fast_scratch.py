"""The fast scratch GRU computes the book's model: same outputs, same gradients, same training."""

import dataclasses

import pytest
import torch
import torch.nn.functional as F

from gru_studio.engine.models import FastScratchGRU, ScratchGRU
from gru_studio.engine.models.fast_scratch import GRUFunction, tanh_from_doubled_
from gru_studio.engine.models.generate import generate
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.text.vocab import Vocab
from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.trainer import create_trainer


def pair(vocab_size: int, hidden: int, scale: float = 0.1, dtype: torch.dtype = torch.float32):
    torch.manual_seed(0)
    book = ScratchGRU(vocab_size, hidden).to(dtype)
    with torch.no_grad():
        for p in book.parameters():
            p.normal_(0, scale)  # larger than the book's 0.01, so that every path matters
    fast = FastScratchGRU(vocab_size, hidden).to(dtype)
    fast.load_state_dict(book.state_dict())
    return book, fast


def test_it_is_only_the_books_model_with_the_books_parameters_and_seeded_weights() -> None:
    torch.manual_seed(0)
    book = ScratchGRU(28, 16)
    torch.manual_seed(0)
    fast = FastScratchGRU(28, 16)
    assert not hasattr(fast, "reset_after")  # it computes the reset gate before the product, always
    with pytest.raises(TypeError):
        FastScratchGRU(28, 16, reset_after=True)
    assert list(fast.state_dict()) == list(book.state_dict())
    for name, value in book.state_dict().items():
        torch.testing.assert_close(fast.state_dict()[name], value, rtol=0, atol=0, msg=name)


def test_tanh_from_a_sigmoid_is_tanh_and_overwrites_its_input() -> None:
    a = torch.linspace(-20, 20, 401, dtype=torch.float64)
    doubled = 2 * a
    result = tanh_from_doubled_(doubled, torch.full_like(doubled, -1.0))
    assert result.data_ptr() == doubled.data_ptr()
    torch.testing.assert_close(doubled, torch.tanh(a), rtol=0, atol=1e-15)


def outputs_and_grads(model, X, H0, Y):
    model.zero_grad()
    H0 = H0.clone().requires_grad_(True)
    logits, state = model(X, H0)
    # The loss reads the final state too, so that its gradient path is checked.
    (F.cross_entropy(logits, Y) + (state**2).sum()).backward()
    grads = {name: p.grad for name, p in model.named_parameters()}
    return logits, state, grads, H0.grad


@pytest.mark.parametrize(("dtype", "tolerance"), [(torch.float32, 1e-5), (torch.float64, 1e-12)])
def test_outputs_and_gradients_match_the_books_code(dtype, tolerance) -> None:
    book, fast = pair(28, 64, dtype=dtype)
    X = torch.randint(0, 28, (8, 12))
    H0 = torch.randn(8, 64, dtype=dtype) * 0.5
    Y = torch.randint(0, 28, (12 * 8,))
    expected, got = outputs_and_grads(book, X, H0, Y), outputs_and_grads(fast, X, H0, Y)
    for a, b in zip(expected[:2], got[:2], strict=True):
        torch.testing.assert_close(b, a, rtol=tolerance, atol=tolerance)
    for name, grad in expected[2].items():
        scale = grad.abs().max()
        assert (got[2][name] - grad).abs().max() <= tolerance * scale + tolerance, name
    torch.testing.assert_close(got[3], expected[3], rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize(("batch", "steps", "vocab", "hidden"), [(1, 1, 3, 1), (1, 5, 2, 4), (3, 1, 28, 8)])
def test_edge_shapes_match_too(batch, steps, vocab, hidden) -> None:
    """One step (the backward loop's first step is its last), one sequence, one hidden unit."""
    book, fast = pair(vocab, hidden, scale=0.3)
    X, H0 = torch.randint(0, vocab, (batch, steps)), torch.randn(batch, hidden)
    Y = torch.randint(0, vocab, (steps * batch,))
    expected, got = outputs_and_grads(book, X, H0, Y), outputs_and_grads(fast, X, H0, Y)
    torch.testing.assert_close(got[0], expected[0], rtol=1e-5, atol=1e-6)
    for name, grad in expected[2].items():
        torch.testing.assert_close(got[2][name], grad, rtol=1e-4, atol=1e-6, msg=name)
    torch.testing.assert_close(got[3], expected[3], rtol=1e-4, atol=1e-6)


def test_the_hand_written_backward_passes_gradcheck() -> None:
    torch.manual_seed(1)
    T, B, V, H = 4, 3, 5, 6
    inputs = torch.randint(0, V, (T, B))
    tensors = [
        torch.randn(B, H, dtype=torch.float64),  # H0
        torch.randn(V, 3 * H, dtype=torch.float64) * 0.5,  # W_x
        torch.randn(3 * H, dtype=torch.float64) * 0.5,  # b_x
        torch.randn(H, 2 * H, dtype=torch.float64) * 0.5,  # U_zr
        torch.randn(H, H, dtype=torch.float64) * 0.5,  # W_hh
    ]
    for t in tensors:
        t.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda *ts: GRUFunction.apply(inputs, *ts), tensors)


def test_without_gradients_the_forward_is_the_same() -> None:
    _, fast = pair(28, 32)
    X, H0 = torch.randint(0, 28, (4, 9)), torch.randn(4, 32)
    with_grad = fast(X, H0)
    with torch.no_grad():
        without = fast(X, H0)
    torch.testing.assert_close(without[0], with_grad[0].detach())
    torch.testing.assert_close(without[1], with_grad[1].detach())


def test_generation_uses_a_step_that_matches_the_model() -> None:
    vocab = Vocab(list(" etainoshrdlmucfwgypbvkxzjq"))
    book, fast = pair(len(vocab), 64)
    step = fast.stepper()
    H = torch.randn(1, 64)
    with torch.inference_mode():
        logits, H_next = step(5, H)
        expected, expected_state = book(torch.tensor([[5]]), H)
    torch.testing.assert_close(logits, expected[0])
    torch.testing.assert_close(H_next, expected_state)
    text = "".join(generate(fast, vocab, "time traveller", 200))
    assert text == "".join(generate(book, vocab, "time traveller", 200))


def test_training_follows_the_same_path_as_the_books_code(tiny_settings) -> None:
    corpus_config, model_config, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    runs = {}
    for kind in ("scratch-book", "scratch"):
        trainer = create_trainer(corpus, corpus_config, dataclasses.replace(model_config, kind=kind), train_config)
        runs[kind] = [e.perplexity for e in trainer.run() if isinstance(e, EpochEnd)]
        assert isinstance(trainer.model, FastScratchGRU if kind == "scratch" else ScratchGRU)
    assert runs["scratch"] == pytest.approx(runs["scratch-book"], rel=1e-4)
