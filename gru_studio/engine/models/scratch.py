"""The book's GRU, written out: update gate, reset gate, candidate, hidden state.

This is the teaching reference: one small tensor operation per line, one time
step at a time, with the book's parameter names and initialisation.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gru_studio.engine.config import GATES, ModelConfig


def _normal(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.randn(*shape) * 0.01)


def _zeros(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.zeros(*shape))


class BookParameters(nn.Module):
    """The book's GRU parameters and initialisation, and its zero initial state.

    Both from-scratch models build on this, so that they have the same
    parameter names, load each other's weights, and draw the same initial
    weights for the same seed.

    `gates` is the book's exercise: "full" is the GRU; "reset-only" fixes the
    update gate Z = 0, so H = H̃ (a GRU without its update gate); "update-only"
    fixes the reset gate R = 1, so H̃ reads H unreset. The fixed gate's
    parameters stay (a checkpoint has the same tensors whatever the gates)
    and get a zero gradient: they never touch the output.
    """

    def __init__(self, vocab_size: int, hidden: int, *, gates: str = "full") -> None:
        super().__init__()
        if gates not in GATES:
            raise ValueError(f"gates must be one of {', '.join(GATES)}, not {gates!r}")
        self.vocab_size, self.hidden, self.gates = vocab_size, hidden, gates
        V, H = vocab_size, hidden
        self.W_xz, self.W_hz, self.b_z = _normal(V, H), _normal(H, H), _zeros(H)  # update gate
        self.W_xr, self.W_hr, self.b_r = _normal(V, H), _normal(H, H), _zeros(H)  # reset gate
        self.W_xh, self.W_hh, self.b_h = _normal(V, H), _normal(H, H), _zeros(H)  # candidate
        self.W_hq, self.b_q = _normal(H, V), _zeros(V)  # output layer

    @classmethod
    def from_config(cls, config: ModelConfig, vocab_size: int) -> BookParameters:
        """`scratch` and `scratch-book` draw the same initial weights for the same seed."""
        return cls(vocab_size, config.hidden, gates=config.gates)

    def begin_state(self, batch_size: int, device: torch.device | str = "cpu") -> torch.Tensor:
        return torch.zeros(batch_size, self.hidden, device=device, dtype=self.W_hq.dtype)

    def gates_of(self, X: torch.Tensor, H: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The update gate Z and reset gate R of one step (X (batch, vocab) one-hot, H (batch, hidden))."""
        Z = torch.sigmoid(X @ self.W_xz + H @ self.W_hz + self.b_z)
        R = torch.sigmoid(X @ self.W_xr + H @ self.W_hr + self.b_r)
        if self.gates == "reset-only":
            Z = torch.zeros_like(Z)  # no update gate: H = H̃
        elif self.gates == "update-only":
            R = torch.ones_like(R)  # no reset gate: H̃ reads all of H
        return Z, R

    def step(self, X: torch.Tensor, H: torch.Tensor) -> torch.Tensor:
        """One time step of the book's equations, the reset gate before the product with W_hh.

        The fast model computes the same in fused form; this form is also what the analysis
        (Inside's influence) differentiates, since X may be any float tensor."""
        Z, R = self.gates_of(X, H)
        H_tilde = torch.tanh(X @ self.W_xh + (R * H) @ self.W_hh + self.b_h)
        return Z * H + (1 - Z) * H_tilde

    def output(self, H: torch.Tensor) -> torch.Tensor:
        """Y = H W_hq + b_q: the next character's logits from the state."""
        return H @ self.W_hq + self.b_q


class ScratchGRU(BookParameters):
    """GRU language model from scratch, as in "Dive into Deep Learning".

    `reset_after=False` is the book's model: the reset gate scales the hidden
    state *before* the product with W_hh. `reset_after=True` applies it after
    the product, with a bias of its own inside (b_hn), which is what
    torch.nn.GRU computes; the two are different models.
    """

    def __init__(self, vocab_size: int, hidden: int, *, reset_after: bool = False, gates: str = "full") -> None:
        super().__init__(vocab_size, hidden, gates=gates)
        self.reset_after = reset_after
        if reset_after:
            self.b_hn = _zeros(hidden)  # nn.GRU's bias inside the product that the reset gate scales

    def step(self, X: torch.Tensor, H: torch.Tensor) -> torch.Tensor:
        if not self.reset_after:
            return super().step(X, H)
        Z, R = self.gates_of(X, H)
        H_tilde = torch.tanh(X @ self.W_xh + self.b_h + R * (H @ self.W_hh + self.b_hn))
        return Z * H + (1 - Z) * H_tilde

    def forward(self, inputs: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """inputs (batch, steps) of indices -> logits (steps * batch, vocab), time-major."""
        X = F.one_hot(inputs.T, self.vocab_size).to(self.W_xz.dtype)
        H = state
        outputs = []
        for X_t in X:
            H = self.step(X_t, H)
            outputs.append(self.output(H))
        return torch.cat(outputs, dim=0), H
