"""The models GRU Studio trains; all share `begin_state` and `forward`.

`forward(inputs (batch, steps), state) -> (logits (steps * batch, vocab), state)`
"""

from __future__ import annotations

import copy

from torch import nn

from gru_studio.engine.config import ModelConfig
from gru_studio.engine.models.builtin import BuiltinGRU
from gru_studio.engine.models.fast_scratch import FastScratchGRU
from gru_studio.engine.models.scratch import ScratchGRU

__all__ = ["BuiltinGRU", "FastScratchGRU", "ScratchGRU", "build_model", "cpu_copy", "describe"]


def build_model(config: ModelConfig, vocab_size: int) -> nn.Module:
    """A fresh model; `scratch` and `scratch-book` draw the same initial weights for the same seed."""
    if config.kind == "builtin":
        return BuiltinGRU(vocab_size, config.hidden, layers=config.layers, dropout=config.dropout)
    if config.kind == "scratch-book":
        return ScratchGRU(vocab_size, config.hidden)
    return FastScratchGRU(vocab_size, config.hidden)


def describe(config: ModelConfig) -> str:
    if config.kind == "builtin":
        return f"nn.GRU, {config.layers} layer(s) of {config.hidden} (reset gate after the product)"
    if config.kind == "scratch-book":
        return f"GRU from scratch, {config.hidden} hidden, the book's step-by-step code"
    return f"GRU from scratch, {config.hidden} hidden (the book's equations, fast path)"


def cpu_copy(model: nn.Module) -> nn.Module:
    """A detached copy on the CPU, safe to generate from while the original trains."""
    clone = copy.deepcopy(model).cpu()
    clone.requires_grad_(False)
    return clone
