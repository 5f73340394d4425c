"""The models GRU Studio trains; all share `begin_state` and `forward`.

`forward(inputs (batch, steps), state) -> (logits (steps * batch, vocab), state)`
"""

from __future__ import annotations

import copy

from torch import nn

from gru_studio.engine.config import ModelConfig
from gru_studio.engine.models.builtin import BuiltinGRU, BuiltinLSTM, BuiltinRecurrent, BuiltinRNN
from gru_studio.engine.models.fast_scratch import FastScratchGRU
from gru_studio.engine.models.rnn_scratch import FastScratchRNN
from gru_studio.engine.models.scratch import ScratchGRU

__all__ = [
    "BuiltinGRU",
    "BuiltinLSTM",
    "BuiltinRNN",
    "BuiltinRecurrent",
    "FastScratchGRU",
    "FastScratchRNN",
    "ScratchGRU",
    "build_model",
    "cpu_copy",
    "describe",
]

BUILTIN_TYPES: dict[str, type[BuiltinRecurrent]] = {
    "builtin": BuiltinGRU,
    "rnn-builtin": BuiltinRNN,
    "lstm-builtin": BuiltinLSTM,
}


def build_model(config: ModelConfig, vocab_size: int) -> nn.Module:
    """A fresh model; `scratch` and `scratch-book` draw the same initial weights for the same seed."""
    builtin = BUILTIN_TYPES.get(config.kind)
    if builtin is not None:
        return builtin(vocab_size, config.hidden, layers=config.layers, dropout=config.dropout)
    if config.kind == "rnn":
        return FastScratchRNN(vocab_size, config.hidden)
    if config.kind == "scratch-book":
        return ScratchGRU(vocab_size, config.hidden, gates=config.gates)
    return FastScratchGRU(vocab_size, config.hidden, gates=config.gates)


def describe(config: ModelConfig) -> str:
    """One line naming the model, for the command line's first line and the window's status."""
    gates = "" if config.gates == "full" else f", {config.gates} ({GATE_NOTES[config.gates]})"
    stacked = f"{config.layers} layer(s) of {config.hidden}"
    if config.kind == "builtin":
        return f"nn.GRU, {stacked} (reset gate after the product)"
    if config.kind == "rnn-builtin":
        return f"nn.RNN (tanh), {stacked}"
    if config.kind == "lstm-builtin":
        return f"nn.LSTM, {stacked}"
    if config.kind == "rnn":
        return f"RNN from scratch, {config.hidden} hidden (the book's plain RNN, fast path)"
    if config.kind == "scratch-book":
        return f"GRU from scratch, {config.hidden} hidden, the book's step-by-step code{gates}"
    return f"GRU from scratch, {config.hidden} hidden (the book's equations, fast path){gates}"


GATE_NOTES = {"reset-only": "update gate fixed at Z = 0", "update-only": "reset gate fixed at R = 1"}


def cpu_copy(model: nn.Module) -> nn.Module:
    """A detached copy on the CPU, safe to generate from while the original trains."""
    clone = copy.deepcopy(model).cpu()
    clone.requires_grad_(False)
    return clone
