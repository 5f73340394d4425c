"""Inside the GRU: the gates, candidate and hidden state of every character of a text.

`trace(model, vocab, text, mode=...)` runs a trained model over a probe text
and keeps, for each character, what its GRU layer computed:

    Z   the update gate       (steps, hidden), in [0, 1]
    R   the reset gate        (steps, hidden), in [0, 1]
    H̃   the candidate state   (steps, hidden), in [-1, 1]
    H   the hidden state      (steps, hidden), in [-1, 1], H = Z ⊙ H_prev + (1 - Z) ⊙ H̃

and the next-character probabilities after each character. The helpers
below it (`saturation`, `variance_order`, `pattern_indicator`, `rank_units`)
are the numbers the window's Inside view and `gru-studio inspect` show.

The recurrence is computed here from the model's parameters, not by calling
its `forward`, because `forward` keeps only H. The tests check that the H
recomputed here is the model's own, step by step, for all three models.

- scratch and scratch-book share the book's parameters (`W_xz ... b_q`), so one
  function serves both: the book's equations, the reset gate before the
  product with W_hh.
- builtin is `nn.GRU`, whose weights stack its gates in the order r, z, n and
  which applies the reset gate after the product: n = tanh(W_in x + b_in +
  r ⊙ (W_hn h + b_hn)), h' = (1 - z) ⊙ n + z ⊙ h. Its z is the book's Z and its
  n the book's H̃, so the four signals mean the same for every model. Layers
  are recomputed bottom up; the input of layer k is the H of layer k - 1
  (dropout between layers is a training-time thing and is not applied).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn

from gru_studio.engine import model_registry
from gru_studio.engine.analysis.clamp import Clamp
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
from gru_studio.engine.models.builtin import BuiltinGRU
from gru_studio.engine.models.generate import prepare_prefix
from gru_studio.engine.models.scratch import BookParameters
from gru_studio.engine.text.vocab import Vocab

SIGNALS = ("z", "r", "h_tilde", "h")  # the command line spells h_tilde "htilde"
# The range each signal can take: the window's colour scale is fixed to it, so
# that two probes (or two units) compare by colour.
SIGNAL_RANGE = {"z": (0.0, 1.0), "r": (0.0, 1.0), "h_tilde": (-1.0, 1.0), "h": (-1.0, 1.0)}
MAX_CHARS = 5000
JSON_DECIMALS = 6  # float32 carries about 7 significant digits; 6 decimals keep the file half as long


@dataclass(frozen=True, eq=False)  # eq=False: comparing numpy arrays with == gives arrays, not a bool
class Trace:
    """What one GRU layer computed for each character of a text.

    `probs` row t is the model's distribution over the character that follows
    character t, computed as `generate` samples from it at temperature 1: the
    output layer's logits with `<unk>` (index 0) left out, so `probs[:, 0]` is
    0 and the other columns sum to 1. Generation never emits `<unk>`, so a
    probability given to it would be a choice the model can never make.
    """

    text: str  # the probe as the model reads it (after the letters-mode treatment)
    chars: list[str]  # one per step
    z: np.ndarray  # (steps, hidden) float32
    r: np.ndarray  # (steps, hidden) float32
    h_tilde: np.ndarray  # (steps, hidden) float32
    h: np.ndarray  # (steps, hidden) float32
    h0: np.ndarray  # (hidden,) the state before the first character
    probs: np.ndarray  # (steps, vocab) next-character probabilities after each step
    tokens: list[str]  # vocab index -> character
    layer: int
    # Each gate's and the candidate's parts before the nonlinearity, per character and unit:
    # {"z": {"input", "recurrent", "bias"}, "r": ..., "h_tilde": ...}; sigma(input + recurrent + bias)
    # is z and r where no clamp holds them, tanh(...) is h_tilde. The bias is one value per unit.
    terms: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    clamps: tuple[Clamp, ...] = ()
    perplexity: float | None = None  # of the probe's own next characters; None for a single character

    def __repr__(self) -> str:  # the arrays would fill a screen
        return f"Trace({self.text[:40]!r}, steps={self.steps}, hidden={self.hidden}, layer={self.layer})"

    @property
    def steps(self) -> int:
        return len(self.chars)

    @property
    def hidden(self) -> int:
        return int(self.h.shape[1])

    def signal(self, name: str) -> np.ndarray:
        """One of SIGNALS, as a (steps, hidden) array."""
        if name not in SIGNALS:
            raise GenerationError(
                QT_TRANSLATE_NOOP("engine", "There is no signal {name!r}; the signals are {signals}."),
                name=name,
                signals=", ".join(SIGNALS),
            )
        return getattr(self, name)

    def top(self, step: int, k: int = 5) -> list[tuple[str, float]]:
        """The k likeliest next characters after character `step`, likeliest first; never `<unk>`."""
        row = self.probs[step]  # (vocab,)
        # A stable sort on the negated row keeps equal probabilities in vocabulary order.
        order = [int(i) for i in np.argsort(-row, kind="stable") if i != 0][:k]
        return [(self.tokens[i], float(row[i])) for i in order]

    def to_json(self, k: int = 5) -> dict:
        """The command line's JSON: text, chars, z, r, h_tilde, h, h0, top5 (and layer).

        Each signal is a list per character of a list per unit, rounded to
        JSON_DECIMALS; top5 is, per character, a list of [char, probability].
        """

        def rounded(values: np.ndarray) -> list:
            return np.round(values.astype(np.float64), JSON_DECIMALS).tolist()

        return {
            "text": self.text,
            "chars": list(self.chars),
            "layer": self.layer,
            **{name: rounded(self.signal(name)) for name in SIGNALS},
            "h0": rounded(self.h0),
            "top5": [[[c, round(p, JSON_DECIMALS)] for c, p in self.top(t, k)] for t in range(self.steps)],
            "terms": {
                name: {part: rounded(values) for part, values in parts.items()} for name, parts in self.terms.items()
            },
            "perplexity": self.perplexity,
            "clamps": [clamp.describe() for clamp in self.clamps],
        }


def not_traceable(kind: str) -> Phrase | None:
    """Why a model of this kind cannot be looked inside, as a sentence for the window or the command
    line; None for a GRU. The window asks it before tracing, so its tab says so without starting a job."""
    known = kind in model_registry.KIND_NAMES
    if known and model_registry.spec(kind).readable_inside:
        return None
    lacks = (
        phrase(model_registry.spec(kind).not_a_gru or "")
        if known
        else phrase(QT_TRANSLATE_NOOP("engine", "{kind} is not a GRU"), kind=kind)
    )
    return phrase(
        QT_TRANSLATE_NOOP(
            "engine",
            "Inside the GRU reads a GRU's update gate Z, reset gate R and candidate H~, and {lacks}: "
            "train or open a GRU ({kinds}) to look inside.",
        ),
        lacks=lacks,
        kinds=", ".join(model_registry.kinds_where(lambda spec: spec.readable_inside)),
    )


def _kind_of(model: nn.Module) -> str:
    """The registered kind a model that is not a GRU was built as (`trace` is handed a model, not its settings)."""
    others = (spec for spec in model_registry.specs() if not spec.readable_inside)
    return next((spec.name for spec in others if isinstance(model, spec.load_class())), type(model).__name__)


def _refuse_if_not_a_gru(model: nn.Module) -> None:
    if isinstance(model, (BuiltinGRU, BookParameters)):
        return
    kind = _kind_of(model)
    # not_traceable is None only for a GRU kind, which a model of another class cannot be.
    raise GenerationError(
        not_traceable(kind) or phrase(QT_TRANSLATE_NOOP("engine", "{kind} cannot be traced"), kind=kind)
    )


def num_layers(model: nn.Module) -> int:
    """How many GRU layers `model` has: nn.GRU may stack several, the scratch models have one."""
    if isinstance(model, BuiltinGRU):
        return int(model.rnn.num_layers)
    return 1


def trace(
    model: nn.Module,
    vocab: Vocab,
    text: str,
    *,
    mode: str,
    layer: int = 0,
    max_chars: int = MAX_CHARS,
    clamps: Sequence[Clamp] = (),
) -> Trace:
    """Run `model` over `text` and keep layer `layer`'s Z, R, H̃ and H for every character.

    `mode` is the corpus's preprocessing mode: in "letters" the text gets the
    training text's treatment first, as a generation prefix does. Empty text
    and characters the model never saw raise the same GenerationError as
    `generate`'s prefix; so do a text longer than `max_chars` and a layer the
    model does not have.

    The model is only read: its parameters are copied to the CPU as float32
    (no copy at all when they already are), nothing is written to them, its
    train/eval mode is not touched and `forward` is not called, so tracing a
    model another thread is reading is safe. The work runs on the CPU under
    torch.inference_mode, on one thread (see `one_thread`). `clamps` hold Z or R
    at a value over a span of characters (analysis/clamp.py), inside the recurrence.
    """
    _refuse_if_not_a_gru(model)
    text = prepare_prefix(text, vocab, mode)
    if len(text) > max_chars:
        raise GenerationError(
            QT_TRANSLATE_NOOP("engine", "The text has {count:,} characters; at most {most:,} can be traced."),
            count=len(text),
            most=max_chars,
        )
    layers = num_layers(model)
    if not 0 <= layer < layers:
        if layers == 1:
            have = phrase(QT_TRANSLATE_NOOP("engine", "layer 0"))
        else:
            have = phrase(QT_TRANSLATE_NOOP("engine", "layers 0 to {last}"), last=layers - 1)
        raise GenerationError(
            QT_TRANSLATE_NOOP("engine", "There is no layer {layer}: this model has {have}."), layer=layer, have=have
        )
    for clamp in clamps:
        clamp.check_units(model_hidden(model))
    with torch.inference_mode(), one_thread():
        indices = torch.as_tensor(vocab.encode(text), dtype=torch.long)  # (steps,)
        if isinstance(model, BuiltinGRU):
            signals, terms, logits = _trace_builtin(model, indices, layer, clamps)
        elif isinstance(model, BookParameters):
            signals, terms, logits = _trace_book(model, indices, clamps)
        else:  # unreachable: _refuse_if_not_a_gru let only these two through
            raise TypeError(f"trace does not know the model {type(model).__name__}")
        logits[:, 0] = float("-inf")  # never <unk>, as generate (see Trace)
        probs = torch.softmax(logits, dim=-1)  # (steps, vocab)
        z, r, h_tilde, h, h0 = (_numpy(x) for x in signals)
        parts = {name: {part: _numpy(values) for part, values in by_part.items()} for name, by_part in terms.items()}
        perplexity = _perplexity(probs, indices)
    tokens = list(vocab.idx_to_token)
    return Trace(text, list(text), z, r, h_tilde, h, h0, _numpy(probs), tokens, layer, parts, tuple(clamps), perplexity)


def model_hidden(model: nn.Module) -> int:
    return int(model.hidden)


def _perplexity(probs: Tensor, indices: Tensor) -> float | None:
    """exp of the mean surprise at each character the probe goes on with; None with nothing to predict."""
    if len(indices) < 2:
        return None
    chosen = probs[torch.arange(len(indices) - 1), indices[1:]].double()
    return float(torch.exp(-torch.log(chosen.clamp_min(1e-300)).mean()))


def _clamp(gate: str, values: Tensor, step: int, clamps: Sequence[Clamp]) -> None:
    """Hold `values` (one step's Z or R, (hidden,)) where a clamp says, in place."""
    for clamp in clamps:
        if clamp.gate == gate and clamp.covers(step):
            if clamp.units is None:
                values.fill_(clamp.value)
            else:
                values[list(clamp.units)] = clamp.value


def generate_clamped(
    model: nn.Module, vocab: Vocab, prefix: str, length: int, *, mode: str, clamps: Sequence[Clamp], layer: int = 0
) -> str:
    """Greedy continuation of `prefix` with `clamps` held (positions count from the prefix's first character,
    the generated ones included): each next character is the likeliest under the clamped recurrence."""
    text = prepare_prefix(prefix, vocab, mode)
    start = len(text)
    for _ in range(length):
        probs = trace(model, vocab, text, mode=mode, layer=layer, clamps=clamps).probs[-1]
        text += vocab.idx_to_token[int(np.argmax(probs))]  # probs[0] (<unk>) is 0: never chosen
    return text[start:]


@contextmanager
def one_thread() -> Iterator[None]:
    """Torch on one thread for the calling thread while the trace runs, then as it was.

    Each step works on vectors of a few hundred numbers, too little to share.
    The whole-text operations around the loop (lookups, the output layer,
    softmax) would each wait for a second OpenMP thread, and on the busy
    2-core machine those waits made a trace of 2,000 characters take 0.5 to
    1.2 s instead of 0.1 s (load 8 to 10). In the window it also keeps the
    tracing thread from starting an OpenMP thread team of its own beside the
    training thread's (docs/architecture.md, "Copies of a live model").

    torch.set_num_threads changes the OpenMP and MKL setting of the calling
    thread only; threads that already ran torch keep theirs. It also sets the
    count that a thread running torch for the first time starts with: a
    thread whose first torch call falls inside a trace (0.1 s) keeps one
    thread for good. A caller that starts threads while tracing may call
    torch.set_num_threads in them.
    """
    before = torch.get_num_threads()
    if before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


Signals = tuple[Tensor, Tensor, Tensor, Tensor, Tensor]  # Z, R, H̃, H (steps, hidden) each; H0 (hidden,)
Terms = dict[str, dict[str, Tensor]]  # signal -> input, recurrent (steps, hidden) and bias (hidden,)


def _cpu(weight: Tensor) -> Tensor:
    return weight.detach().to("cpu", torch.float32)


def _numpy(values: Tensor) -> np.ndarray:
    return np.ascontiguousarray(values.numpy(), dtype=np.float32)


def _trace_book(model: BookParameters, indices: Tensor, clamps: Sequence[Clamp] = ()) -> tuple[Signals, Terms, Tensor]:
    """The book's equations with the model's own parameters, one step per character.

        Z = sigmoid(X W_xz + H W_hz + b_z)
        R = sigmoid(X W_xr + H W_hr + b_r)
        H̃ = tanh(X W_xh + (R ⊙ H) W_hh + b_h)
        H' = Z ⊙ H + (1 - Z) ⊙ H̃

    A ScratchGRU built with `reset_after=True` (nn.GRU's placement of the reset
    gate, with its own bias b_hn) is followed too: tanh(X W_xh + b_h + R ⊙ (H W_hh + b_hn)).
    So are the ablations (`model.gates`): the fixed gate is 0 (Z) or 1 (R) at
    every step, as the model computes it; `clamps` then hold Z or R where they say.
    Each step's recurrent terms (H W_hz, H W_hr, (R ⊙ H) W_hh) are kept for `Trace.terms`.
    """
    p = {name: _cpu(value) for name, value in model.named_parameters()}
    hidden = model.hidden
    # X is one-hot, so X W is a row of W: every step's input terms in one lookup.
    # Z and R share a buffer so that each step makes one product for both gates.
    gates = torch.cat([p["W_xz"] + p["b_z"], p["W_xr"] + p["b_r"]], dim=1)[indices]  # (steps, 2 hidden)
    cand = (p["W_xh"] + p["b_h"])[indices]  # (steps, hidden)
    W_hzr_T = torch.cat([p["W_hz"], p["W_hr"]], dim=1).T.contiguous()  # (2 hidden, hidden): addmv wants mat @ vec
    W_hh_T = p["W_hh"].T.contiguous()  # (hidden, hidden)
    b_hn = p.get("b_hn")  # only with reset_after
    H0 = _cpu(model.begin_state(1, "cpu"))[0]  # (hidden,)
    steps = len(indices)
    states = H0.new_empty(steps + 1, hidden)  # (steps + 1, hidden): H0, then each step's H
    states[0] = H0
    recurrent = H0.new_empty(steps, 3 * hidden)  # per step: H W_hz | H W_hr | the candidate's recurrent term
    fix_update, fix_reset = model.gates == "reset-only", model.gates == "update-only"
    # Rows are taken one step at a time, not unbound up front: a tuple of a view
    # per step keeps thousands of tensors alive, and their number set off full
    # garbage collections that held the GIL (and the window) for 90-160 ms.
    for t in range(steps):
        H = states[t]
        torch.mv(W_hzr_T, H, out=recurrent[t, : 2 * hidden])
        ZR = gates[t].add_(recurrent[t, : 2 * hidden]).sigmoid_()  # Z | R, in place of their input terms
        Z, R = ZR[:hidden], ZR[hidden:]
        if fix_update:
            Z.zero_()  # reset-only: Z = 0, H' = H̃
        elif fix_reset:
            R.fill_(1.0)  # update-only: R = 1
        _clamp("z", Z, t, clamps)
        _clamp("r", R, t, clamps)
        if b_hn is None:  # the book: H̃ = tanh(X W_xh + (R ⊙ H) W_hh + b_h)
            torch.mv(W_hh_T, R * H, out=recurrent[t, 2 * hidden :])
        else:  # reset after the product
            torch.mul(R, torch.addmv(b_hn, W_hh_T, H), out=recurrent[t, 2 * hidden :])
        H_tilde = cand[t].add_(recurrent[t, 2 * hidden :]).tanh_()
        torch.lerp(H_tilde, H, Z, out=states[t + 1])  # H' = H̃ + Z ⊙ (H - H̃) = Z ⊙ H + (1 - Z) ⊙ H̃
    Hs = states[1:]  # (steps, hidden)
    logits = torch.addmm(p["b_q"], Hs, p["W_hq"])  # (steps, vocab): Y = H W_hq + b_q
    terms = {
        name: {
            "input": p[f"W_x{g}"][indices],
            "recurrent": recurrent[:, i * hidden : (i + 1) * hidden],
            "bias": p[f"b_{g}"],
        }
        for i, (name, g) in enumerate((("z", "z"), ("r", "r"), ("h_tilde", "h")))
    }
    return (gates[:, :hidden], gates[:, hidden:], cand, Hs, H0), terms, logits


def _trace_builtin(
    model: BuiltinGRU, indices: Tensor, layer: int, clamps: Sequence[Clamp] = ()
) -> tuple[Signals, Terms, Tensor]:
    """nn.GRU recomputed from its weights, layer by layer; `layer`'s gates (and terms) are kept, and the
    clamps hold `layer`'s gates.

    Every layer runs, not only up to `layer`: the probabilities come from the
    top layer's H through the linear output layer.
    """
    rnn, hidden = model.rnn, model.hidden
    H0_all = _cpu(model.begin_state(1, "cpu"))[:, 0]  # (layers, hidden)
    inputs: Tensor | None = None  # the H of the layer below; None for layer 0, whose input is one-hot
    kept: Signals | None = None
    kept_terms: Terms = {}
    for k in range(rnn.num_layers):
        W_ih, W_hh = _cpu(getattr(rnn, f"weight_ih_l{k}")), _cpu(getattr(rnn, f"weight_hh_l{k}"))  # (3h, in), (3h, h)
        b_ih, b_hh = (_bias(rnn, f"{name}_l{k}", 3 * hidden) for name in ("bias_ih", "bias_hh"))  # (3 hidden,)
        # Layer 0's input is one-hot: W_ih x is column x of W_ih, so a lookup, not a product.
        terms = (W_ih.T + b_ih)[indices] if inputs is None else torch.addmm(b_ih, inputs, W_ih.T)  # (steps, 3h)
        inputs_only = terms - b_ih  # W_ih x: the input term of each gate, before the biases
        here = clamps if k == layer else ()
        Z, R, N, Hs, recurrent = _gru_layer(terms, W_hh, b_hh, H0_all[k], here)
        if k == layer:
            kept = (Z, R, N, Hs, H0_all[k])
            r, z, n = (slice(i * hidden, (i + 1) * hidden) for i in range(3))
            # nn.GRU's own form: z and r add both biases; the candidate's b_hn sits inside the reset product.
            kept_terms = {
                "z": {"input": inputs_only[:, z], "recurrent": recurrent[:, z], "bias": b_ih[z] + b_hh[z]},
                "r": {"input": inputs_only[:, r], "recurrent": recurrent[:, r], "bias": b_ih[r] + b_hh[r]},
                "h_tilde": {"input": inputs_only[:, n], "recurrent": recurrent[:, n], "bias": b_ih[n]},
            }
        inputs = Hs
    assert kept is not None and inputs is not None  # trace checked that the layer exists
    logits = torch.addmm(_cpu(model.linear.bias), inputs, _cpu(model.linear.weight).T)  # (steps, vocab)
    return kept, kept_terms, logits


def _bias(rnn: nn.GRU, name: str, size: int) -> Tensor:
    """A bias of nn.GRU, or zeros when it was built with bias=False."""
    value = getattr(rnn, name, None)
    return _cpu(value) if value is not None else torch.zeros(size)


def _gru_layer(
    terms: Tensor, W_hh: Tensor, b_hh: Tensor, H0: Tensor, clamps: Sequence[Clamp] = ()
) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor]:
    """One nn.GRU layer over all steps; `terms` (steps, 3 hidden) holds W_ih x + b_ih in the order r, z, n.

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        h' = (1 - z) ⊙ n + z ⊙ h

    `terms` is overwritten with r | z | n, which are returned as views of it, with H (steps, hidden)
    and each step's recurrent terms (W_hr h | W_hz h | r ⊙ (W_hn h + b_hn)), (steps, 3 hidden).
    """
    steps, hidden = terms.shape[0], W_hh.shape[1]
    states = H0.new_empty(steps + 1, hidden)  # (steps + 1, hidden): H0, then each step's H
    states[0] = H0
    recurrent = H0.new_empty(steps, 3 * hidden)
    for t in range(steps):  # a row at a time, as in _trace_book: no tuple of views kept alive
        H = states[t]
        hidden_terms = torch.addmv(b_hh, W_hh, H)  # (3 hidden,): W_h* h + b_h* for r, z and n
        gates = terms[t]
        RZ = gates[: 2 * hidden].add_(hidden_terms[: 2 * hidden]).sigmoid_()  # r | z
        R, Z = RZ[:hidden], RZ[hidden:]
        _clamp("z", Z, t, clamps)
        _clamp("r", R, t, clamps)
        torch.sub(hidden_terms[: 2 * hidden], b_hh[: 2 * hidden], out=recurrent[t, : 2 * hidden])  # W_hr h | W_hz h
        torch.mul(R, hidden_terms[2 * hidden :], out=recurrent[t, 2 * hidden :])  # r ⊙ (W_hn h + b_hn)
        N = gates[2 * hidden :].add_(recurrent[t, 2 * hidden :]).tanh_()  # reset after the product
        torch.lerp(N, H, Z, out=states[t + 1])  # h' = n + z ⊙ (h - n) = (1 - z) ⊙ n + z ⊙ h
    return terms[:, hidden : 2 * hidden], terms[:, :hidden], terms[:, 2 * hidden :], states[1:], recurrent


def saturation(values: np.ndarray, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per unit of `values` (steps, hidden): the fraction of steps below `low`, and above `high`.

    For a gate, a unit that sits near 0 or 1 most of the time acts as a switch
    (Z near 1 keeps its memory, near 0 overwrites it); one in between blends.
    """
    if values.shape[0] == 0:
        zeros = np.zeros(values.shape[1], dtype=np.float64)
        return zeros, zeros.copy()
    return (values < low).mean(axis=0), (values > high).mean(axis=0)  # (hidden,) each


def variance_order(values: np.ndarray) -> np.ndarray:
    """Unit indices of `values` (steps, hidden), the one that varies most over the text first.

    Equal variances keep index order, so the order is the same from run to run.
    """
    variance = values.astype(np.float64).var(axis=0)  # (hidden,)
    return np.argsort(-variance, kind="stable")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled regular expression, or a GenerationError that says in one line what is wrong with it.

    Besides `re.error`, Python raises OverflowError for a repeat count past its
    limit (`a{99999999999}`) and RecursionError for a pattern nested too deep:
    each is the user's typing, so each is a message, never a traceback.
    """
    if not pattern:
        raise GenerationError(
            QT_TRANSLATE_NOOP("engine", "The pattern is empty: type a regular expression, such as 'the' or '[aeiou]'.")
        )
    reason: str | Phrase
    try:
        return re.compile(pattern)
    except re.error as exc:
        reason = exc.msg  # Python's own words for what is wrong
    except OverflowError:
        reason = phrase(QT_TRANSLATE_NOOP("engine", "a repeat count is too large"))
    except RecursionError:
        reason = phrase(QT_TRANSLATE_NOOP("engine", "it is nested too deeply"))
    raise GenerationError(
        QT_TRANSLATE_NOOP("engine", "The pattern {pattern!r} is not a valid regular expression: {reason}."),
        pattern=pattern,
        reason=reason,
    )


def indicator_from_spans(length: int, spans: list[tuple[int, int]]) -> np.ndarray:
    """(length,) float 0/1: 1 on every character inside one of the matches' (start, end) spans."""
    indicator = np.zeros(length, dtype=np.float64)  # (steps,)
    for start, end in spans:
        indicator[start:end] = 1.0
    return indicator


def pattern_indicator(text: str, pattern: str) -> np.ndarray:
    """(len(text),) float 0/1: 1 where the character lies inside a match of the regular expression.

    Matches are Python's `re.finditer`, so they do not overlap; a match of no
    characters (`^`, `x*` where there is no x) marks nothing. This runs the
    match where it is called, with no time limit: the window runs it in a
    separate process instead (gui/inside/pattern_search.py), since a pattern
    like `(a+)+$` can backtrack for minutes and `re` never lets go of the GIL.
    """
    compiled = compile_pattern(pattern)
    return indicator_from_spans(len(text), [match.span() for match in compiled.finditer(text)])


def rank_units(values: np.ndarray, indicator: np.ndarray, top: int = 10) -> list[tuple[int, float]]:
    """The `top` units whose values (steps, hidden) follow `indicator` (steps,) best.

    Ranked by Pearson correlation over the steps, highest first (a unit that
    turns off inside the pattern correlates negatively and ranks last).
    A unit, or an indicator, that never changes has no correlation to speak
    of: it gets 0, never NaN. Ties keep index order.
    """
    values = values.astype(np.float64)
    indicator = np.asarray(indicator, dtype=np.float64)
    if values.shape[0] != indicator.shape[0]:
        raise ValueError(f"{values.shape[0]} steps of values but {indicator.shape[0]} of indicator")
    centred = values - values.mean(axis=0)  # (steps, hidden)
    target = indicator - indicator.mean()  # (steps,)
    denominator = np.sqrt((centred**2).sum(axis=0) * (target**2).sum())  # (hidden,)
    # Constant is tested exactly (ptp), not with a tolerance on the denominator:
    # a constant float32 column's mean can be off by a rounding error, which would
    # otherwise leave tiny deviations that correlate perfectly with anything.
    correlation = np.zeros(values.shape[1], dtype=np.float64)  # (hidden,)
    if values.shape[0] == 0:
        return [(int(i), 0.0) for i in range(min(top, values.shape[1]))]
    varies = (np.ptp(values, axis=0) > 0) & (np.ptp(indicator) > 0)  # (hidden,)
    np.divide(centred.T @ target, denominator, out=correlation, where=varies & (denominator > 0))
    correlation = np.clip(correlation, -1.0, 1.0)
    order = np.argsort(-correlation, kind="stable")[:top]
    return [(int(i), float(correlation[i])) for i in order]
