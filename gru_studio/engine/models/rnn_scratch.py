"""The book's plain RNN from scratch (its RNN chapter), computed with the scratch GRU's fast techniques.

The model: one-hot inputs, parameters `W_xh, W_hh, b_h, W_hq, b_q`, weights
drawn from N(0, 0.01²), biases zero, and per step

    H = tanh(X W_xh + H W_hh + b_h)
    Y = H W_hq + b_q

What it borrows from fast_scratch.py, for the same reasons measured there:
the input terms are a row lookup, not a product; each step adds its product
onto them in place; tanh comes from a sigmoid of the doubled argument; the
output layer runs once over all steps; and the backward pass through time is
written by hand (RNNFunction.backward), with each weight gradient one matrix
product over all steps.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn

from gru_studio.engine.config import ModelConfig
from gru_studio.engine.models.fast_scratch import tanh_from_doubled_

_tanh_backward = torch.ops.aten.tanh_backward


def _normal(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.randn(*shape) * 0.01)


def _zeros(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.zeros(*shape))


def rnn_recurrence(inputs: Tensor, H0: Tensor, W_xh: Tensor, b_h: Tensor, W_hh: Tensor) -> Tensor:
    """Run the RNN over T steps of `inputs` (T, B); returns (T + 1, B, H): H0, then each step's state.

    Each step's state is computed where it is stored: its doubled input term
    is looked up into place, the doubled product added onto it, and the tanh
    taken over it (see tanh_from_doubled_), so no step allocates.
    """
    steps, batch = inputs.shape
    hidden = W_hh.shape[0]
    states = H0.new_empty(steps + 1, batch, hidden)
    states[0] = H0
    table = (W_xh + b_h) * 2  # row x is 2 (X W_xh + b_h) for the one-hot X of character x
    torch.index_select(table, 0, inputs.reshape(-1), out=states[1:].view(steps * batch, hidden))
    W_hh_doubled, minus_one = W_hh * 2, H0.new_full((batch, hidden), -1.0)
    H_t = states.unbind(0)  # one call makes every step's view
    for t in range(steps):
        tanh_from_doubled_(H_t[t + 1].addmm_(H_t[t], W_hh_doubled), minus_one)  # H' = tanh(X W_xh + H W_hh + b_h)
    return states


class RNNFunction(torch.autograd.Function):
    """The recurrence with a hand-written backward pass through time."""

    @staticmethod
    def forward(ctx, inputs: Tensor, H0: Tensor, W_xh: Tensor, b_h: Tensor, W_hh: Tensor) -> Tensor:
        states = rnn_recurrence(inputs, H0, W_xh, b_h, W_hh)
        ctx.save_for_backward(inputs, states, W_hh)
        ctx.vocab_size = W_xh.shape[0]
        return states[1:]

    @staticmethod
    def backward(ctx, dHs: Tensor) -> tuple[Tensor | None, ...]:
        inputs, states, W_hh = ctx.saved_tensors
        steps, batch, hidden = dHs.shape
        W_hh_T = W_hh.t().contiguous()
        d_pre_all = dHs.new_empty(steps, batch, hidden)  # gradient of each step's pre-activation (inside tanh)
        d_pre_t, H_t, dHs_t = d_pre_all.unbind(0), states.unbind(0), dHs.unbind(0)
        # Step t maps H_t (its input state) to H_{t+1} = tanh(a_t); dH is the gradient of H_{t+1}.
        dH = dHs_t[-1]
        for t in range(steps - 1, -1, -1):
            d_pre = _tanh_backward.grad_input(dH, H_t[t + 1], grad_input=d_pre_t[t])  # da = dH ⊙ (1 - H'²)
            # dH_prev = dY_prev + da W_hh^T (the outputs' share, then the recurrence's)
            dH = torch.addmm(dHs_t[t - 1], d_pre, W_hh_T) if t > 0 else d_pre @ W_hh_T
        rows = steps * batch
        d_pre_flat = d_pre_all.view(rows, hidden)
        dW_hh = states[:-1].reshape(rows, hidden).t() @ d_pre_flat  # Σ_t H_t^T da_t
        # The input weights were looked up by index, so their gradient is added back by index.
        dW_xh = d_pre_flat.new_zeros(ctx.vocab_size, hidden).index_add_(0, inputs.reshape(-1), d_pre_flat)
        return None, dH, dW_xh, dW_xh.sum(0), dW_hh


class FastScratchRNN(nn.Module):
    """The book's RNN from scratch: its parameters, names and initialisation, trained fast."""

    def __init__(self, vocab_size: int, hidden: int) -> None:
        super().__init__()
        self.vocab_size, self.hidden = vocab_size, hidden
        V, H = vocab_size, hidden
        self.W_xh, self.W_hh, self.b_h = _normal(V, H), _normal(H, H), _zeros(H)  # hidden layer
        self.W_hq, self.b_q = _normal(H, V), _zeros(V)  # output layer

    @classmethod
    def from_config(cls, config: ModelConfig, vocab_size: int) -> FastScratchRNN:
        return cls(vocab_size, config.hidden)

    def begin_state(self, batch_size: int, device: torch.device | str = "cpu") -> Tensor:
        return torch.zeros(batch_size, self.hidden, device=device, dtype=self.W_hq.dtype)

    def step(self, X: Tensor, H: Tensor) -> Tensor:
        """One time step, H' = tanh(X W_xh + H W_hh + b_h), for any float X (batch, vocab): what the
        analysis differentiates (the training path is the fused RNNFunction below)."""
        return torch.tanh(X @ self.W_xh + H @ self.W_hh + self.b_h)

    def output(self, H: Tensor) -> Tensor:
        return H @ self.W_hq + self.b_q

    def forward(self, inputs: Tensor, state: Tensor) -> tuple[Tensor, Tensor]:
        """inputs (batch, steps) of indices -> logits (steps * batch, vocab), time-major like the book's."""
        steps_first = inputs.t()
        if torch.is_grad_enabled():
            Hs = RNNFunction.apply(steps_first, state, self.W_xh, self.b_h, self.W_hh)
        else:  # validation and generation: no graph, nothing kept for a backward pass
            Hs = rnn_recurrence(steps_first, state, self.W_xh, self.b_h, self.W_hh)[1:]
        logits = torch.addmm(self.b_q, Hs.reshape(-1, self.hidden), self.W_hq)  # Y = H W_hq + b_q, all steps
        return logits, Hs[-1]

    def stepper(self) -> Callable[[int, Tensor], tuple[Tensor, Tensor]]:
        """One-character steps for generation; call under torch.inference_mode()."""
        with torch.inference_mode():
            table = (self.W_xh + self.b_h).detach()[:, None, :]  # row i: character i's input term, (1, H)
            W_hh, W_hq, b_q = self.W_hh.detach(), self.W_hq.detach(), self.b_q.detach()

        def step(index: int, H: Tensor) -> tuple[Tensor, Tensor]:
            H = torch.tanh(torch.addmm(table[index], H, W_hh))  # H' = tanh(X W_xh + H W_hh + b_h)
            return torch.addmm(b_q, H, W_hq)[0], H

        return step
