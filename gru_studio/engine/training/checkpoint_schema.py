"""The shape of a checkpoint's payload, checked field by field before anything uses it.

`torch.load(weights_only=True)` keeps code out of a file, but not nonsense: a
damaged or crafted file can still hold an epoch of "ten", a history record
without a perplexity, an optimizer state for tensors the model does not have,
or weights that are NaN. Each of those used to surface later as a KeyError,
a TypeError, a traceback in sampling or a divergence blamed on the learning
rate. `check_payload` walks the whole structure once and raises SchemaError
naming the first field that is wrong, so that load can refuse the file in
one sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import torch

from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase, render
from gru_studio.engine.text.vocab import UNK

SHA1 = re.compile(r"[0-9a-f]{40}")
MODES = ("letters", "raw")
HISTORY_NUMBERS = ("perplexity", "val_perplexity", "tokens_per_s", "grad_norm", "elapsed_s")
HISTORY_REQUIRED = ("epoch", "perplexity", "tokens_per_s")  # the others came later and may be absent


class SchemaError(ValueError):
    """A field of the payload is missing, of the wrong type or out of range; `field` says which.

    Like ConfigError, `problem` is a Phrase, so that a checkpoint refused for it
    is refused in the window's language; `field` is the payload's own name.
    """

    def __init__(self, field: str, problem: Phrase, /) -> None:
        self.template = QT_TRANSLATE_NOOP("engine", "{field}: {problem}")
        self.params: dict[str, object] = {"field": field, "problem": problem}
        super().__init__(render(self.template, self.params))
        self.field, self.problem = field, problem

    @property
    def phrase(self) -> Phrase:
        return Phrase(self.template, self.params)


def check_payload(payload: Mapping[str, Any]) -> None:
    """Everything but the settings and the weights (checked against the model once it is built)."""
    _text("app_version", payload.get("app_version", ""))
    check_vocab(_required(payload, "vocab"))
    mode = _required(payload, "mode")
    if mode not in MODES:
        raise SchemaError(
            "mode",
            phrase(
                QT_TRANSLATE_NOOP("engine", "must be one of {choices}, not {value!r}"),
                choices=", ".join(MODES),
                value=mode,
            ),
        )
    for name in ("corpus_config", "model_config", "train_config"):
        _settings_dict(name, _required(payload, name))
    epoch = _whole(_required(payload, "epoch"), "epoch")
    check_history(_required(payload, "history"), epoch)
    sha1 = payload.get("text_sha1")
    if sha1 is not None and not (isinstance(sha1, str) and SHA1.fullmatch(sha1)):
        raise SchemaError("text_sha1", phrase(QT_TRANSLATE_NOOP("engine", "must be 40 hexadecimal digits")))
    if not isinstance(payload.get("state_dict"), dict):
        raise SchemaError("state_dict", phrase(QT_TRANSLATE_NOOP("engine", "is missing or not a table of tensors")))


def check_vocab(vocab: Any) -> None:
    if not isinstance(vocab, list) or not all(isinstance(t, str) for t in vocab):
        raise SchemaError("vocab", phrase(QT_TRANSLATE_NOOP("engine", "must be a list of characters")))
    if len(vocab) < 3 or vocab[0] != UNK:
        raise SchemaError(
            "vocab",
            phrase(QT_TRANSLATE_NOOP("engine", "must start with {unk} and hold at least 2 characters"), unk=UNK),
        )
    if any(len(t) != 1 for t in vocab[1:]) or len(set(vocab)) != len(vocab):
        raise SchemaError(
            "vocab", phrase(QT_TRANSLATE_NOOP("engine", "must hold distinct single characters after {unk}"), unk=UNK)
        )


def check_history(history: Any, epoch: int) -> None:
    """Records in order, one per epoch at most, ending no later than the checkpoint's epoch."""
    if not isinstance(history, list):
        raise SchemaError("history", phrase(QT_TRANSLATE_NOOP("engine", "must be a list of records")))
    previous = 0
    for i, record in enumerate(history):
        where = f"history[{i}]"
        if not isinstance(record, dict):
            raise SchemaError(where, phrase(QT_TRANSLATE_NOOP("engine", "must be a record")))
        for key in HISTORY_REQUIRED:
            if key not in record:
                raise SchemaError(f"{where}.{key}", phrase(QT_TRANSLATE_NOOP("engine", "is missing")))
        number = _whole(record["epoch"], f"{where}.epoch")
        if not previous < number <= epoch:
            raise SchemaError(
                f"{where}.epoch",
                phrase(
                    QT_TRANSLATE_NOOP("engine", "{number} is out of order (after {previous}, at most {epoch})"),
                    number=number,
                    previous=previous,
                    epoch=epoch,
                ),
            )
        previous = number
        for key in HISTORY_NUMBERS:
            value = record.get(key)
            if value is None and key not in HISTORY_REQUIRED:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise SchemaError(
                    f"{where}.{key}",
                    phrase(QT_TRANSLATE_NOOP("engine", "must be a finite number, not {value!r}"), value=value),
                )


def check_weights(state_dict: Mapping[str, Any], expected: Mapping[str, torch.Tensor]) -> None:
    """The saved tensors against the freshly built model's: same names, shapes and finite values."""
    missing = sorted(set(expected) - set(state_dict))
    extra = sorted(set(state_dict) - set(expected))
    if missing:
        raise SchemaError(
            "state_dict", phrase(QT_TRANSLATE_NOOP("engine", "lacks tensor(s) {names}"), names=", ".join(missing))
        )
    if extra:
        raise SchemaError(
            "state_dict", phrase(QT_TRANSLATE_NOOP("engine", "has unknown tensor(s) {names}"), names=", ".join(extra))
        )
    for name, want in expected.items():
        check_tensor(
            phrase(QT_TRANSLATE_NOOP("engine", "weight {name}"), name=name),
            state_dict[name],
            tuple(want.shape),
            want.dtype,
        )


def check_tensor(field: str, value: Any, shape: tuple[int, ...] | None, dtype: torch.dtype | None = None) -> None:
    if not isinstance(value, torch.Tensor):
        raise SchemaError(
            field, phrase(QT_TRANSLATE_NOOP("engine", "must be a tensor, not {kind}"), kind=type(value).__name__)
        )
    if shape is not None and tuple(value.shape) != shape:
        raise SchemaError(
            field,
            phrase(
                QT_TRANSLATE_NOOP("engine", "has shape {shape}, expected {expected}"),
                shape=tuple(value.shape),
                expected=shape,
            ),
        )
    if dtype is not None and value.dtype != dtype:
        raise SchemaError(
            field,
            phrase(QT_TRANSLATE_NOOP("engine", "is {dtype}, expected {expected}"), dtype=value.dtype, expected=dtype),
        )
    if value.is_floating_point() and not bool(torch.isfinite(value).all()):
        bad = int((~torch.isfinite(value)).sum())
        raise SchemaError(
            field,
            phrase(
                QT_TRANSLATE_NOOP("engine", "holds {bad} NaN or infinite value(s) of {count}"),
                bad=bad,
                count=value.numel(),
            ),
        )


def check_training(training: Any, params: list[torch.nn.Parameter], optimizer_name: str) -> None:
    """The optimizer and RNG states a resume restores; None (an older file) is allowed."""
    if training is None:
        return
    if not isinstance(training, dict):
        raise SchemaError("training", phrase(QT_TRANSLATE_NOOP("engine", "must be a table of states")))
    for key in ("optimizer", "numpy_rng", "torch_rng"):
        _required(training, key, "training.")
    check_optimizer(training["optimizer"], params, optimizer_name)
    check_numpy_rng(training["numpy_rng"])
    rng = training["torch_rng"]
    expected = torch.get_rng_state()  # the CPU generator's state: a fixed-size byte tensor
    check_tensor("training.torch_rng", rng, tuple(expected.shape), expected.dtype)
    ranks = training.get("torch_rng_ranks")  # each process's, after a run under torchrun
    if ranks is not None:
        if not isinstance(ranks, list) or not ranks:
            raise SchemaError(
                "training.torch_rng_ranks", phrase(QT_TRANSLATE_NOOP("engine", "must be a list of generator states"))
            )
        for rank, state in enumerate(ranks):
            check_tensor(f"training.torch_rng_ranks[{rank}]", state, tuple(expected.shape), expected.dtype)


def check_optimizer(state: Any, params: list[torch.nn.Parameter], optimizer_name: str) -> None:
    """A state_dict of one parameter group over exactly the model's parameters, each state tensor
    shaped like its parameter (momentum, Adam's moments) or a scalar (Adam's step)."""
    if not isinstance(state, dict) or not isinstance(state.get("state"), dict):
        raise SchemaError(
            "training.optimizer", phrase(QT_TRANSLATE_NOOP("engine", "must hold 'state' and 'param_groups'"))
        )
    groups = state.get("param_groups")
    if not isinstance(groups, list) or len(groups) != 1 or not isinstance(groups[0], dict):
        raise SchemaError("training.optimizer.param_groups", phrase(QT_TRANSLATE_NOOP("engine", "must be one group")))
    group = groups[0]
    if group.get("params") != list(range(len(params))):
        raise SchemaError(
            "training.optimizer.param_groups[0].params",
            phrase(QT_TRANSLATE_NOOP("engine", "must number the model's {count}"), count=len(params)),
        )
    lr = group.get("lr")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not (math.isfinite(lr) and lr > 0):
        raise SchemaError(
            "training.optimizer.param_groups[0].lr",
            phrase(QT_TRANSLATE_NOOP("engine", "must be a positive number, not {value!r}"), value=lr),
        )
    if ("betas" if optimizer_name == "adam" else "momentum") not in group:
        raise SchemaError(
            "training.optimizer",
            phrase(
                QT_TRANSLATE_NOOP("engine", "is not the state of {optimizer}, the run's optimizer"),
                optimizer=optimizer_name,
            ),
        )
    for index, entry in state["state"].items():
        where = f"training.optimizer.state[{index}]"
        if not isinstance(index, int) or not 0 <= index < len(params):
            raise SchemaError(where, phrase(QT_TRANSLATE_NOOP("engine", "names no parameter of the model")))
        if not isinstance(entry, dict):
            raise SchemaError(where, phrase(QT_TRANSLATE_NOOP("engine", "must be a table of tensors")))
        for key, value in entry.items():
            if value is None:  # SGD keeps momentum_buffer=None when momentum is 0
                continue
            shape = () if key == "step" else tuple(params[index].shape)
            check_tensor(f"{where}.{key}", value, shape)


def check_numpy_rng(state: Any) -> None:
    try:
        np.random.default_rng().bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise SchemaError(
            "training.numpy_rng",
            phrase(QT_TRANSLATE_NOOP("engine", "is not a generator state ({error})"), error=str(exc)),
        ) from None


def _settings_dict(field: str, value: Any) -> None:
    # The values' kinds and bounds are checked by config.validate once the dataclass exists.
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise SchemaError(field, phrase(QT_TRANSLATE_NOOP("engine", "must be a table of settings")))


def _required(table: Mapping[str, Any], key: str, prefix: str = "") -> Any:
    if key not in table:
        raise SchemaError(f"{prefix}{key}", phrase(QT_TRANSLATE_NOOP("engine", "is missing")))
    return table[key]


def _whole(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SchemaError(
            field, phrase(QT_TRANSLATE_NOOP("engine", "must be a whole number, 0 or more, not {value!r}"), value=value)
        )
    return value


def _text(field: str, value: Any) -> None:
    if not isinstance(value, str):
        raise SchemaError(field, phrase(QT_TRANSLATE_NOOP("engine", "must be text, not {value!r}"), value=value))
