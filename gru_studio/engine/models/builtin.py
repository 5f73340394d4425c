"""PyTorch's own recurrent layers (cuDNN on NVIDIA GPUs) with a linear output layer.

`BuiltinGRU` is the book's concise GRU; `BuiltinRNN` (nn.RNN, tanh) and
`BuiltinLSTM` (nn.LSTM) are there for the chapter's exercise and the next
chapter's comparison. All three read one-hot inputs and share `forward`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gru_studio.engine.config import ModelConfig


class BuiltinRecurrent(nn.Module):
    """A torch.nn recurrent layer (`layer_type`) + `nn.Linear` on one-hot inputs, as the book's concise version."""

    layer_type: type[nn.RNNBase] = nn.GRU

    def __init__(self, vocab_size: int, hidden: int, *, layers: int = 1, dropout: float = 0.0) -> None:
        super().__init__()
        self.vocab_size, self.hidden, self.layers = vocab_size, hidden, layers
        # torch warns when dropout is set on a single layer: it would have no effect.
        self.rnn = self.layer_type(vocab_size, hidden, num_layers=layers, dropout=dropout if layers > 1 else 0.0)
        self.linear = nn.Linear(hidden, vocab_size)

    @classmethod
    def from_config(cls, config: ModelConfig, vocab_size: int) -> BuiltinRecurrent:
        return cls(vocab_size, config.hidden, layers=config.layers, dropout=config.dropout)

    def begin_state(self, batch_size: int, device: torch.device | str = "cpu") -> torch.Tensor:
        return torch.zeros(self.layers, batch_size, self.hidden, device=device, dtype=self.linear.weight.dtype)

    def run_layer(self, X: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.rnn(X, state)

    def forward(self, inputs: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        X = F.one_hot(inputs.T, self.vocab_size).to(self.linear.weight.dtype)  # (T, B, V)
        Y, state = self.run_layer(X, state)  # (T, B, H)
        return self.linear(Y.reshape(-1, Y.shape[-1])), state


class BuiltinGRU(BuiltinRecurrent):
    """`nn.GRU` + `nn.Linear`.

    `nn.GRU` applies the reset gate after the product with its hidden weights,
    so it is not the same function as the book's scratch GRU.
    """

    layer_type = nn.GRU


class BuiltinRNN(BuiltinRecurrent):
    """`nn.RNN` (tanh) + `nn.Linear`: the book's plain RNN, concise; H' = tanh(X W_ih^T + b_ih + H W_hh^T + b_hh).

    The same function as the scratch `rnn` with W_xh = W_ih^T, W_hh = W_hh^T and
    b_h = b_ih + b_hh; only the initialisation differs (torch draws from U(-1/√h, 1/√h)).
    """

    layer_type = nn.RNN


class BuiltinLSTM(BuiltinRecurrent):
    """`nn.LSTM` + `nn.Linear`: the next chapter's model, for comparison.

    An LSTM carries two states, H and the memory cell C. They travel as one
    tensor (2, layers, batch, hidden), H first, so that every caller keeps
    treating a state as one tensor (detached between batches, copied into a
    CUDA graph's static buffer); splitting and stacking costs one small copy
    per batch.
    """

    layer_type = nn.LSTM

    def begin_state(self, batch_size: int, device: torch.device | str = "cpu") -> torch.Tensor:
        return torch.zeros(2, self.layers, batch_size, self.hidden, device=device, dtype=self.linear.weight.dtype)

    def run_layer(self, X: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        Y, (H, C) = self.rnn(X, (state[0], state[1]))
        return Y, torch.stack([H, C])
