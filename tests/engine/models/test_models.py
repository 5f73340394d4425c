import pytest
import torch

from gru_studio.engine.config import ModelConfig
from gru_studio.engine.models import BuiltinGRU, ScratchGRU, build_model

V, H, B, T = 11, 8, 3, 5


def test_scratch_has_the_books_parameters_and_initialisation() -> None:
    torch.manual_seed(0)
    model = ScratchGRU(28, 256)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["W_xz", "W_hz", "b_z", "W_xr", "W_hr", "b_r", "W_xh", "W_hh", "b_h", "W_hq", "b_q"]
    weights = torch.cat([model.W_xz.flatten(), model.W_hh.flatten(), model.W_hq.flatten()])
    assert weights.std().item() == pytest.approx(0.01, rel=0.05)
    assert all((getattr(model, b) == 0).all() for b in ("b_z", "b_r", "b_h", "b_q"))


@pytest.mark.parametrize("kind", ["scratch", "builtin"])
def test_forward_shapes_are_time_major(kind: str) -> None:
    model = build_model(ModelConfig(kind=kind, hidden=H), V)
    X = torch.randint(0, V, (B, T))
    logits, state = model(X, model.begin_state(B))
    assert logits.shape == (T * B, V)
    assert state.shape[-2:] == (B, H)
    # Row t*B + b of the logits belongs to step t of sequence b.
    first_step, _ = model(X[:, :1], model.begin_state(B))
    torch.testing.assert_close(logits[:B], first_step)


def copy_from_nn_gru(builtin: BuiltinGRU, scratch: ScratchGRU) -> None:
    """nn.GRU stacks its gates as (reset, update, new); the book names them R, Z, H~."""
    w_ir, w_iz, w_in = builtin.rnn.weight_ih_l0.chunk(3)
    w_hr, w_hz, w_hn = builtin.rnn.weight_hh_l0.chunk(3)
    b_ir, b_iz, b_in = builtin.rnn.bias_ih_l0.chunk(3)
    b_hr, b_hz, b_hn = builtin.rnn.bias_hh_l0.chunk(3)
    with torch.no_grad():
        for name, value in {
            "W_xr": w_ir.T,
            "W_xz": w_iz.T,
            "W_xh": w_in.T,
            "W_hr": w_hr.T,
            "W_hz": w_hz.T,
            "W_hh": w_hn.T,
            "b_r": b_ir + b_hr,
            "b_z": b_iz + b_hz,
            "b_h": b_in,
            "W_hq": builtin.linear.weight.T,
            "b_q": builtin.linear.bias,
        }.items():
            getattr(scratch, name).copy_(value)
        if scratch.reset_after:
            scratch.b_hn.copy_(b_hn)
        else:  # the book has one candidate bias: give it both of nn.GRU's
            scratch.b_h.add_(b_hn)


def test_reset_after_the_product_reproduces_nn_gru_and_the_book_does_not() -> None:
    torch.manual_seed(0)
    builtin = BuiltinGRU(V, H)
    X = torch.randint(0, V, (B, T))
    state = torch.randn(1, B, H)
    expected, expected_state = builtin(X, state)

    reset_after = ScratchGRU(V, H, reset_after=True)
    copy_from_nn_gru(builtin, reset_after)
    got, got_state = reset_after(X, state[0])
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(got_state, expected_state[0], atol=1e-5, rtol=1e-5)

    book = ScratchGRU(V, H)
    copy_from_nn_gru(builtin, book)
    differs, _ = book(X, state[0])
    assert (differs - expected).abs().max().item() > 1e-3


def test_builtin_stacks_layers_with_dropout_between() -> None:
    model = build_model(ModelConfig(kind="builtin", hidden=H, layers=3, dropout=0.2), V)
    assert model.rnn.num_layers == 3 and model.rnn.dropout == 0.2
    assert model.begin_state(B).shape == (3, B, H)
