"""PyTorch's own GRU (cuDNN on NVIDIA GPUs) with a linear output layer."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class BuiltinGRU(nn.Module):
    """`nn.GRU` + `nn.Linear` on one-hot inputs, as the book's concise version.

    `nn.GRU` applies the reset gate after the product with its hidden weights,
    so it is not the same function as the book's scratch GRU.
    """

    def __init__(self, vocab_size: int, hidden: int, *, layers: int = 1, dropout: float = 0.0) -> None:
        super().__init__()
        self.vocab_size, self.hidden, self.layers = vocab_size, hidden, layers
        # nn.GRU warns when dropout is set on a single layer: it would have no effect.
        self.rnn = nn.GRU(vocab_size, hidden, num_layers=layers, dropout=dropout if layers > 1 else 0.0)
        self.linear = nn.Linear(hidden, vocab_size)

    def begin_state(self, batch_size: int, device: torch.device | str = "cpu") -> torch.Tensor:
        return torch.zeros(self.layers, batch_size, self.hidden, device=device, dtype=self.linear.weight.dtype)

    def forward(self, inputs: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        X = F.one_hot(inputs.T, self.vocab_size).to(self.linear.weight.dtype)
        Y, state = self.rnn(X, state)
        return self.linear(Y.reshape(-1, Y.shape[-1])), state
