"""The models GRU Studio trains; all share `begin_state` and `forward`.

`forward(inputs (batch, steps), state) -> (logits (steps * batch, vocab), state)`
"""

from __future__ import annotations

import copy

from torch import nn

from gru_studio.engine import model_registry
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


def build_model(config: ModelConfig, vocab_size: int) -> nn.Module:
    """A fresh model of the kind `config` names, as its registry entry builds it."""
    return model_registry.spec(config.kind).build(config, vocab_size)


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
    template = model_registry.spec(config.kind).describe
    return phrase(template, hidden=config.hidden, stacked=stacked, gates=gates)


GATE_NOTES = {
    "reset-only": phrase(QT_TRANSLATE_NOOP("engine", "update gate fixed at Z = 0")),
    "update-only": phrase(QT_TRANSLATE_NOOP("engine", "reset gate fixed at R = 1")),
}


def cpu_copy(model: nn.Module) -> nn.Module:
    """A detached copy on the CPU, safe to generate from while the original trains."""
    clone = copy.deepcopy(model).cpu()
    clone.requires_grad_(False)
    return clone
