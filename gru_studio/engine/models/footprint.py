"""How much memory a training setting needs, estimated before a run starts.

A setting that cannot fit used to be found by the CPU allocator halfway into
the first batch, as a raw "DefaultCPUAllocator: can't allocate memory"
traceback. The estimate below is refused up front when the machine plainly
lacks the memory; the trainer still catches an allocation that fails anyway.
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

from gru_studio.engine import model_registry
from gru_studio.engine.config import ModelConfig, TrainConfig
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase

FLOAT_BYTES = 4
# Floats kept per time step, per sequence, per hidden unit of each layer until
# backward runs (gates, candidate, state, their products and pre-activations).
# Measured here on one first batch of peak RSS growth minus the weights:
# 9.0 (scratch, batch 512, 35 steps, 512 hidden) and 9.3 (1024 hidden).
ACTIVATION_FACTOR = 9
# Floats per time step, per sequence, per vocabulary entry: the logits, their
# softmax and their gradient (2.4 measured with a 2,000-character vocabulary).
LOGIT_FACTOR = 3
# More floats per time step, per sequence, per vocabulary entry for a model that
# builds one-hot inputs (ModelSpec.one_hot_inputs): F.one_hot's int64 tensor (two
# floats' worth) and its float copy, kept for backward. Measured (vocabulary 8,000,
# batch 64, 50 steps, peak RSS): scratch-book 3.0 above the fast scratch GRU, nn.GRU
# 1.0 (its peak comes after the int64 tensor is freed); the larger is counted for both.
# Without it, scratch-book on a 50,000-character text was let start and ran out of memory.
ONE_HOT_FACTOR = 3
# Refuse past this share of the available memory. On Linux a run that nearly
# fits does not get a Python error when it overflows: allocations succeed
# (overcommit) and the kernel's OOM killer ends the process, or the machine
# swaps. A fifth is left for the app itself (~350 MB of torch), the text and
# the estimate's own error (within 2% of the two measurements above).
USABLE_SHARE = 0.8
# Activations kept for backward scale with the model's weight sets per layer
# (ModelSpec.gate_sets: a GRU 3, a plain RNN 1, an LSTM 4); ACTIVATION_FACTOR was measured on the GRU.


def _gate_sets(model: ModelConfig) -> int:
    return model_registry.spec(model.kind).gate_sets


def _layers(model: ModelConfig) -> int:
    return model.layers if model_registry.spec(model.kind).stacks else 1


def _one_hot(model: ModelConfig) -> int:
    return ONE_HOT_FACTOR if model_registry.spec(model.kind).one_hot_inputs else 0


def parameter_count(model: ModelConfig, vocab_size: int) -> int:
    """Weights and biases of the recurrent layers and the output layer (torch's layers have two bias vectors)."""
    hidden, biases = model.hidden, 2 if model_registry.spec(model.kind).torch_layer else 1
    count = 0
    for layer in range(_layers(model)):
        inputs = vocab_size if layer == 0 else hidden
        count += _gate_sets(model) * (inputs * hidden + hidden * hidden + biases * hidden)
    return count + hidden * vocab_size + vocab_size


def training_bytes(model: ModelConfig, train: TrainConfig, vocab_size: int) -> int:
    """About the memory one training batch needs, in bytes.

    Weights, their gradients and the epoch-start copy the trainer keeps to fall
    back on (three copies); Adam adds two moments, each copied too. Then what
    the batch keeps for backward: every step's activations, the logits, and
    the one-hot inputs of the models that build them.
    """
    params = parameter_count(model, vocab_size)
    copies = 3 + (4 if train.optimizer == "adam" else 0)
    per_gate_set = ACTIVATION_FACTOR * _gate_sets(model) // 3
    per_token = per_gate_set * _layers(model) * model.hidden + (LOGIT_FACTOR + _one_hot(model)) * vocab_size
    return FLOAT_BYTES * (copies * params + train.batch_size * train.num_steps * per_token)


def available_bytes() -> int | None:
    """Memory the system can give without swapping (Linux's MemAvailable); None where unknown."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check_fits(model: ModelConfig, train: TrainConfig, vocab_size: int, device: torch.device) -> None:
    """Refuse, before any thread starts, a setting whose estimate exceeds the memory available.

    Only on the CPU: a GPU's memory is the driver's to report, and the trainer
    catches its out-of-memory error without losing the model.
    """
    if device.type != "cpu":
        return
    available = available_bytes()
    if available is None:
        return
    needed = training_bytes(model, train, vocab_size)
    if needed > USABLE_SHARE * available:
        raise ConfigError(
            "batch_size",
            phrase(
                QT_TRANSLATE_NOOP(
                    "engine",
                    "this model and batch need about {needed} of memory to train, and {available} is "
                    "available: lower the batch size, the number of steps or the hidden units",
                ),
                needed=gib(needed),
                available=gib(available),
            ),
        )


def gib(size: int) -> Phrase:
    # A Phrase, not a number: the window may write the unit its own way (GiB stays GiB in Chinese).
    return phrase(QT_TRANSLATE_NOOP("engine", "{size:.1f} GiB"), size=size / 2**30)
