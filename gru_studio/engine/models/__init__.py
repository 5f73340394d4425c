"""The models GRU Studio trains; all share `begin_state` and `forward`.

`forward(inputs (batch, steps), state) -> (logits (steps * batch, vocab), state)`
"""

from __future__ import annotations

import copy

from torch import nn

from gru_studio.engine.config import ModelConfig
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
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


def describe(config: ModelConfig) -> Phrase:
    """One line naming the model, for the command line's first line and the window's status.

    A Phrase: the window translates its words; "nn.GRU", "GRU" and the numbers stay as they are.
    """
    gates: Phrase | str = ""
    if config.gates != "full":
        gates = phrase(
            QT_TRANSLATE_NOOP("engine", ", {gates} ({note})"), gates=config.gates, note=GATE_NOTES[config.gates]
        )
    stacked = phrase(
        QT_TRANSLATE_NOOP("engine", "{layers} layer(s) of {hidden}"), layers=config.layers, hidden=config.hidden
    )
    if config.kind == "builtin":
        return phrase(QT_TRANSLATE_NOOP("engine", "nn.GRU, {stacked} (reset gate after the product)"), stacked=stacked)
    if config.kind == "rnn-builtin":
        return phrase(QT_TRANSLATE_NOOP("engine", "nn.RNN (tanh), {stacked}"), stacked=stacked)
    if config.kind == "lstm-builtin":
        return phrase(QT_TRANSLATE_NOOP("engine", "nn.LSTM, {stacked}"), stacked=stacked)
    if config.kind == "rnn":
        return phrase(
            QT_TRANSLATE_NOOP("engine", "RNN from scratch, {hidden} hidden (the book's plain RNN, fast path)"),
            hidden=config.hidden,
        )
    if config.kind == "scratch-book":
        return phrase(
            QT_TRANSLATE_NOOP("engine", "GRU from scratch, {hidden} hidden, the book's step-by-step code{gates}"),
            hidden=config.hidden,
            gates=gates,
        )
    return phrase(
        QT_TRANSLATE_NOOP("engine", "GRU from scratch, {hidden} hidden (the book's equations, fast path){gates}"),
        hidden=config.hidden,
        gates=gates,
    )


GATE_NOTES = {
    "reset-only": phrase(QT_TRANSLATE_NOOP("engine", "update gate fixed at Z = 0")),
    "update-only": phrase(QT_TRANSLATE_NOOP("engine", "reset gate fixed at R = 1")),
}


def cpu_copy(model: nn.Module) -> nn.Module:
    """A detached copy on the CPU, safe to generate from while the original trains."""
    clone = copy.deepcopy(model).cpu()
    clone.requires_grad_(False)
    return clone
