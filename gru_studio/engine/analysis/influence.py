"""How far back a prediction reaches: the chapter's argument for gates, measured on a model.

For a probe text x_0 … x_{n-1}, read from the zero state as `inspect` does:

    influence[t][k]   = ‖∂ log p(x_{t+1} | x_0 … x_t) / ∂H_k‖₂ for k ≤ t, 0 past t
    attribution[t][k] = gradient x input on the one-hot input of step k: ∂ log p(x_{t+1} | …) / ∂x_k[c_k]
    reach[d]          = the median over t of influence[t][t-d] / influence[t][t]
    half_life         = the median over t of the first distance d at which that ratio falls below 1 %

H_k is the state after reading character k: a scratch model's H, the top layer's H of
nn.GRU and nn.RNN, and the top layer's (H, C) of nn.LSTM. log p is the log-softmax of
the output over the whole vocabulary at the character that actually follows.

How: each model has a step function that takes any float input (ScratchGRU's `step`,
the book's equations, for both scratch GRUs; FastScratchRNN's `step`; nn's own layers
for the built-in models). Prediction t is given a copy of the probe of its own, so
that one backward pass over a batch of copies yields every row at once: copy b's
loss is log p of prediction b only, and the copies never mix. Copies go in chunks
to bound the memory, in float64 so that gradients a million times smaller than the
largest keep their digits.
"""

from __future__ import annotations

import copy
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from gru_studio.engine.analysis.inside import one_thread
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP
from gru_studio.engine.models.builtin import BuiltinLSTM, BuiltinRecurrent
from gru_studio.engine.models.generate import prepare_prefix
from gru_studio.engine.models.rnn_scratch import FastScratchRNN
from gru_studio.engine.models.scratch import BookParameters
from gru_studio.engine.text.vocab import Vocab

MAX_CHARS = 400  # the work grows with the square of the probe: 400 characters is a few seconds at most
CHUNK = 32  # predictions per backward pass: bounds the memory at CHUNK copies of the probe's states
FADED = 0.01  # the ratio below which an earlier state no longer counts (the half-life's threshold)
JSON_DECIMALS = 9


@dataclass(frozen=True)
class Reach:
    """influence, attribution (rows: predictions t = 0 … n-2; columns: k = 0 … n-1), reach and half-life."""

    text: str
    influence: np.ndarray  # (n - 1, n), float64
    attribution: np.ndarray  # (n - 1, n), float64
    reach: np.ndarray  # (n - 1,): distance d = 0 … n - 2
    half_life: float | None  # None when most predictions still listen past the start of the probe

    def __repr__(self) -> str:
        return f"Reach({len(self.text)} characters, half-life {self.half_life})"

    def to_json(self) -> dict:
        def rounded(values: np.ndarray) -> list:
            return np.round(values, JSON_DECIMALS).tolist()

        return {
            "text": self.text,
            "influence": rounded(self.influence),
            "attribution": rounded(self.attribution),
            "reach": rounded(self.reach),
            "half_life": self.half_life,
        }


@dataclass(frozen=True)
class Stepper:
    """A model as three differentiable functions of any float input, batch first."""

    step: Callable[[Tensor, Tensor], Tensor]  # (X (B, V), state) -> state
    output: Callable[[Tensor], Tensor]  # state -> logits (B, V)
    top: Callable[[Tensor], Tensor]  # a state-shaped tensor -> (B, width): the part H_k names
    begin: Callable[[int], Tensor]  # batch -> the zero state


def stepper(model: nn.Module) -> Stepper:
    """The step, output and H_k of each kind of model (see the module's docstring)."""
    if isinstance(model, (BookParameters, FastScratchRNN)):
        return Stepper(model.step, model.output, lambda state: state, lambda b: model.begin_state(b))
    if isinstance(model, BuiltinLSTM):  # state (2, layers, B, H): H first, then the memory cell C
        return Stepper(
            lambda X, state: model.run_layer(X[None], state)[1],
            lambda state: model.linear(state[0, -1]),
            lambda state: torch.cat([state[0, -1], state[1, -1]], dim=-1),
            lambda b: model.begin_state(b),
        )
    if isinstance(model, BuiltinRecurrent):  # state (layers, B, H)
        return Stepper(
            lambda X, state: model.run_layer(X[None], state)[1],
            lambda state: model.linear(state[-1]),
            lambda state: state[-1],
            lambda b: model.begin_state(b),
        )
    raise TypeError(f"influence does not know the model {type(model).__name__}")


def reach(model: nn.Module, vocab: Vocab, text: str, *, mode: str, max_chars: int = MAX_CHARS) -> Reach:
    """Influence, attribution, reach and half-life of `model` over `text` (see the module's docstring).

    The model is only read: the work runs on a float64 copy, on the CPU. A text the
    model cannot read raises GenerationError as a generation prefix does; so does one
    of fewer than 2 characters (no prediction has a character to predict) or more
    than `max_chars`.
    """
    text = prepare_prefix(text, vocab, mode)
    if len(text) < 2 or len(text) > max_chars:
        raise GenerationError(
            QT_TRANSLATE_NOOP(
                "engine", "The text has {count:,} characters; influence needs 2 to {most:,} (each predicts the next)."
            ),
            count=len(text),
            most=max_chars,
        )
    indices = torch.as_tensor(vocab.encode(text), dtype=torch.long)
    with torch.enable_grad(), one_thread():
        influence, attribution = _gradients(_double_copy(model), indices, len(vocab))
    ratios = _reach(influence)
    return Reach(text, influence, attribution, ratios, _half_life(influence))


def _double_copy(model: nn.Module) -> nn.Module:
    clone = copy.deepcopy(model).cpu().double()
    clone.eval()  # dropout between stacked layers is a training-time thing
    clone.requires_grad_(False)  # gradients with respect to states and inputs only
    return clone


def _gradients(model: nn.Module, indices: Tensor, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(indices)
    influence = np.zeros((n - 1, n))
    attribution = np.zeros((n - 1, n))
    parts = stepper(model)
    for first in range(0, n - 1, CHUNK):
        rows = list(range(first, min(first + CHUNK, n - 1)))  # predictions t of this chunk
        last = rows[-1]  # copies run only as far as their last prediction needs
        X = F.one_hot(indices[: last + 1], vocab_size).double()[:, None, :].repeat(1, len(rows), 1)
        X.requires_grad_(True)  # (steps, copies, vocab)
        state = parts.begin(len(rows))
        states, loss = [], torch.zeros((), dtype=torch.float64)
        for k in range(last + 1):
            state = parts.step(X[k], state)
            state.retain_grad()
            states.append(state)
            here = [i for i, t in enumerate(rows) if t == k]  # the copy that predicts x_{k+1} from here
            if here:
                logits = parts.output(state)[here[0]]
                logits = logits.clone()
                logits[0] = float("-inf")  # never <unk>, as generation and the Inside trace
                loss = loss + torch.log_softmax(logits, dim=-1)[indices[k + 1]]
        loss.backward()
        norms = torch.stack([torch.linalg.vector_norm(parts.top(s.grad), dim=-1) for s in states])  # (steps, copies)
        inputs = X.grad.gather(2, indices[: last + 1, None, None].expand(-1, len(rows), 1))[..., 0]  # (steps, copies)
        for i, t in enumerate(rows):  # past t nothing is written: the future cannot matter, its entries stay 0
            influence[t, : t + 1] = norms[: t + 1, i].numpy()
            attribution[t, : t + 1] = inputs[: t + 1, i].numpy()
    return influence, attribution


def _reach(influence: np.ndarray) -> np.ndarray:
    rows = influence.shape[0]
    out = np.zeros(rows)
    for d in range(rows):
        ratios = [influence[t, t - d] / influence[t, t] for t in range(d, rows) if influence[t, t] > 0]
        out[d] = statistics.median(ratios) if ratios else 0.0
    return out


def _half_life(influence: np.ndarray) -> float | None:
    """The median over predictions of the first distance whose ratio falls below FADED; a prediction that
    never falls below it within the probe counts as farther than any (so too many of those give None)."""
    firsts: list[float] = []
    for t in range(influence.shape[0]):
        if influence[t, t] <= 0:
            continue
        ratios = influence[t, t::-1] / influence[t, t]  # distance 0 … t
        below = np.nonzero(ratios < FADED)[0]
        firsts.append(float(below[0]) if len(below) else float("inf"))
    if not firsts:
        return None
    middle = statistics.median(firsts)
    return None if middle == float("inf") else middle
