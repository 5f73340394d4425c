"""The models beside the GRU: the book's plain RNN from scratch, nn.RNN and nn.LSTM (issue 15)."""

import dataclasses

import pytest
import torch
import torch.nn.functional as F

from gru_studio.engine.analysis.inside import trace
from gru_studio.engine.config import CorpusConfig, ModelConfig
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.experiments.bench import run_bench
from gru_studio.engine.models import BuiltinLSTM, BuiltinRNN, FastScratchRNN, build_model
from gru_studio.engine.models.generate import complete
from gru_studio.engine.models.rnn_scratch import RNNFunction
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import EpochEnd
from gru_studio.engine.training.trainer import create_trainer

V, H, B, T = 11, 8, 3, 5
NEW_MODELS = ["rnn", "rnn-builtin", "lstm-builtin"]


def test_the_scratch_rnn_has_the_books_parameters_and_initialisation() -> None:
    torch.manual_seed(0)
    model = FastScratchRNN(28, 256)
    assert [name for name, _ in model.named_parameters()] == ["W_xh", "W_hh", "b_h", "W_hq", "b_q"]
    weights = torch.cat([model.W_xh.flatten(), model.W_hh.flatten(), model.W_hq.flatten()])
    assert weights.std().item() == pytest.approx(0.01, rel=0.05)
    assert (model.b_h == 0).all() and (model.b_q == 0).all()


def copied_nn_rnn(scratch: FastScratchRNN) -> BuiltinRNN:
    """nn.RNN computing the same function: its weights are the book's transposed, its two biases sum to b_h."""
    builtin = BuiltinRNN(scratch.vocab_size, scratch.hidden)
    with torch.no_grad():
        builtin.rnn.weight_ih_l0.copy_(scratch.W_xh.T)
        builtin.rnn.weight_hh_l0.copy_(scratch.W_hh.T)
        builtin.rnn.bias_ih_l0.copy_(scratch.b_h * 0.25)
        builtin.rnn.bias_hh_l0.copy_(scratch.b_h * 0.75)
        builtin.linear.weight.copy_(scratch.W_hq.T)
        builtin.linear.bias.copy_(scratch.b_q)
    return builtin


def test_the_scratch_rnn_matches_nn_rnn_with_copied_weights() -> None:
    torch.manual_seed(0)
    scratch = FastScratchRNN(V, H)
    with torch.no_grad():
        for p in scratch.parameters():
            p.normal_(0, 0.5)  # larger than the book's 0.01, so that every term matters
    builtin = copied_nn_rnn(scratch)
    X, state = torch.randint(0, V, (B, T)), torch.randn(B, H) * 0.5
    got, got_state = scratch(X, state)
    expected, expected_state = builtin(X, state[None])
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(got_state, expected_state[0], atol=1e-5, rtol=1e-5)
    # And the gradients, through the hand-written backward pass.
    Y = torch.randint(0, V, (T * B,))
    F.cross_entropy(got, Y).backward()
    F.cross_entropy(expected, Y).backward()
    torch.testing.assert_close(scratch.W_hh.grad, builtin.rnn.weight_hh_l0.grad.T, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(scratch.W_xh.grad, builtin.rnn.weight_ih_l0.grad.T, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(scratch.b_h.grad, builtin.rnn.bias_hh_l0.grad, atol=1e-5, rtol=1e-4)


def test_the_scratch_rnns_hand_written_backward_passes_gradcheck() -> None:
    torch.manual_seed(1)
    steps, batch, vocab, hidden = 4, 3, 5, 6
    inputs = torch.randint(0, vocab, (steps, batch))
    tensors = [
        torch.randn(batch, hidden, dtype=torch.float64),  # H0
        torch.randn(vocab, hidden, dtype=torch.float64) * 0.5,  # W_xh
        torch.randn(hidden, dtype=torch.float64) * 0.5,  # b_h
        torch.randn(hidden, hidden, dtype=torch.float64) * 0.5,  # W_hh
    ]
    for t in tensors:
        t.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda *ts: RNNFunction.apply(inputs, *ts), tensors)


def test_the_scratch_rnn_is_the_same_with_and_without_gradients_and_steps_alike() -> None:
    torch.manual_seed(2)
    model = FastScratchRNN(V, 16)
    X, H0 = torch.randint(0, V, (2, 7)), torch.randn(2, 16)
    with_grad = model(X, H0)
    with torch.no_grad():
        without = model(X, H0)
    torch.testing.assert_close(without[0], with_grad[0].detach())
    step = model.stepper()
    with torch.inference_mode():
        logits, state = step(4, H0[:1])
        expected, expected_state = model(torch.tensor([[4]]), H0[:1])
    torch.testing.assert_close(logits, expected[0])
    torch.testing.assert_close(state, expected_state)


def test_the_lstm_carries_its_state_and_memory_cell_as_one_tensor() -> None:
    model = build_model(ModelConfig(kind="lstm-builtin", hidden=H, layers=2), V)
    assert isinstance(model, BuiltinLSTM) and model.begin_state(B).shape == (2, 2, B, H)
    X = torch.randint(0, V, (B, T))
    logits, state = model(X, model.begin_state(B))
    assert logits.shape == (T * B, V) and state.shape == (2, 2, B, H)
    # Reading the text in two halves, state carried, is reading it whole.
    first, middle = model(X[:, :2], model.begin_state(B))
    second, _ = model(X[:, 2:], middle)
    torch.testing.assert_close(torch.cat([first, second]), logits)


@pytest.mark.parametrize("kind", NEW_MODELS)
def test_each_model_trains_on_the_sample_and_perplexity_falls(tiny_settings, kind: str) -> None:
    corpus_config, model_config, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    model_config = dataclasses.replace(model_config, kind=kind, hidden=32)
    trainer = create_trainer(corpus, corpus_config, model_config, dataclasses.replace(train_config, epochs=6, lr=2.0))
    ppl = [e.perplexity for e in trainer.run() if isinstance(e, EpochEnd)]
    assert ppl[-1] < ppl[0] * 0.85


@pytest.mark.parametrize("kind", NEW_MODELS)
def test_each_model_survives_a_checkpoint_round_trip(tiny_settings, tmp_path, kind: str) -> None:
    corpus_config, model_config, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    layers = 2 if kind != "rnn" else 1
    model_config = dataclasses.replace(model_config, kind=kind, layers=layers)
    trainer = create_trainer(corpus, corpus_config, model_config, dataclasses.replace(train_config, epochs=2))
    list(trainer.run())
    path = tmp_path / f"{kind}.pt"
    checkpoint.save(path, trainer.checkpoint())
    loaded = checkpoint.load(path)
    assert loaded.model_config == model_config and type(loaded.model) is type(trainer.model)
    for name, value in trainer.model.state_dict().items():
        torch.testing.assert_close(loaded.model.state_dict()[name], value, rtol=0, atol=0, msg=name)
    assert complete(loaded.model, loaded.vocab, "time", 30) == complete(trainer.model, corpus.vocab, "time", 30)


@pytest.mark.parametrize("kind", NEW_MODELS)
def test_looking_inside_a_model_without_a_grus_gates_is_refused_in_words(tiny_settings, kind: str) -> None:
    corpus = load_corpus(tiny_settings[0])
    model = build_model(ModelConfig(kind=kind, hidden=8), len(corpus.vocab))
    with pytest.raises(GenerationError, match="Inside the GRU reads a GRU's update gate"):
        trace(model, corpus.vocab, "the time", mode=corpus.mode)


def test_bench_times_the_other_models_against_the_grus() -> None:
    corpus = load_corpus(CorpusConfig(source="sample"))
    models = ("builtin", "rnn-builtin", "lstm-builtin", "scratch", "rnn")
    summary = run_bench(rounds=1, epochs=1, gen_length=5, models=models, corpus=corpus).summary()
    assert set(summary["models"]) == set(models)
    assert set(summary["ratios_median"]) == {
        "scratch/builtin",
        "rnn/scratch",
        "rnn-builtin/builtin",
        "lstm-builtin/builtin",
    }
