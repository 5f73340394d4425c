"""Every model GRU Studio can train, once: one `ModelSpec` per kind.

What a model is and supports used to be spread over eight files; now the settings
panel's picker, the command line's `--model` choices, the memory footprint, the
Inside view's refusal, `bench` and `sweep` all read this table. Adding a model is
its own module under `engine/models/` plus one `register(ModelSpec(...))` here
(docs/architecture.md, "Add a model").

This module sits at the engine's floor, beside `config`, because `ModelConfig.kind`
takes its choices from it; so it names each model's class by its import path
instead of importing it (the classes live in the `models` wing above), and
`build()` imports the class only when a model is built.

Words are marked with QT_TRANSLATE_NOOP under the catalogue's "engine" context:
the window translates them where it shows them, the command line prints them as
they are.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from gru_studio.engine.messages import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from torch import nn

# The settings that only some models read; every model reads the others (hidden units, ...).
LAYERS = "layers"
DROPOUT = "dropout"
GATES = "gates"


@dataclass(frozen=True)
class ModelSpec:
    """One model kind: its names, which optional settings apply, and how to build and size it."""

    name: str  # what settings, checkpoints, `--model` and the run history store
    label: str  # the picker's line (marked for translation)
    short: str  # the run history's and the plot legend's name (marked, or a name such as "nn.GRU")
    note: str  # the picker's explanation under the list (marked)
    describe: str  # the status line's template: {hidden}, {stacked}, {gates} (marked)
    model_class: str  # "module:Class"; the class has `from_config(config, vocab_size)`
    applies: frozenset[str] = frozenset()  # which of LAYERS, DROPOUT, GATES this model reads
    gate_sets: int = 3  # weight sets per layer: a GRU 3 (Z, R, H~), a plain RNN 1, an LSTM 4
    torch_layer: bool = False  # a torch.nn recurrent layer: two bias vectors per gate set
    # Its forward builds the one-hot inputs (batch x steps x vocabulary floats, F.one_hot's int64 first);
    # False where the input weights' rows are looked up instead (the fast scratch models).
    one_hot_inputs: bool = False
    # None where Inside the GRU (and `inspect`) can read the model; else what it lacks (marked).
    not_a_gru: str | None = None
    benched: bool = False  # in `bench` when --models is not given
    # The book's code as written: `bench` says how far the matrix products alone could go beyond it.
    book_reference: bool = False
    bench_against: tuple[str, ...] = ()  # the kinds `bench` divides this model's speed by

    @property
    def stacks(self) -> bool:
        return LAYERS in self.applies

    @property
    def has_gates(self) -> bool:
        """Whether the `gates` setting (the chapter's ablations) applies."""
        return GATES in self.applies

    @property
    def readable_inside(self) -> bool:
        return self.not_a_gru is None

    def load_class(self) -> type[nn.Module]:
        module, _, name = self.model_class.partition(":")
        return getattr(importlib.import_module(module), name)

    def build(self, config: Any, vocab_size: int) -> nn.Module:
        """A fresh model for `config` (a ModelConfig of this kind) and a vocabulary of `vocab_size`."""
        return self.load_class().from_config(config, vocab_size)


_SPECS: dict[str, ModelSpec] = {}


def register(spec: ModelSpec) -> ModelSpec:
    """Add a model kind; every list of models (flags, picker, bench) shows it from then on."""
    if spec.name in _SPECS:
        raise ValueError(f"model kind {spec.name!r} is registered already")
    _SPECS[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Take a kind away again (for tests that register a throw-away model)."""
    del _SPECS[name]


def spec(name: str) -> ModelSpec:
    """The spec of a kind; KeyError for a kind nobody registered (validation refuses those first)."""
    return _SPECS[name]


def specs() -> tuple[ModelSpec, ...]:
    """Every registered kind, in the order the picker and `--help` list them."""
    return tuple(_SPECS.values())


def kinds_where(test: Any) -> tuple[str, ...]:
    """The names of the kinds whose spec passes `test` (a function of a ModelSpec)."""
    return tuple(s.name for s in _SPECS.values() if test(s))


class KindNames(Sequence[str]):
    """The registered kinds' names, read when asked: `ModelConfig.kind`'s choices.

    A live view rather than a tuple taken at import, so that a kind registered later
    (a test's throw-away model) is a valid choice everywhere at once.
    """

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return tuple(_SPECS)[index]

    def __len__(self) -> int:
        return len(_SPECS)

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(_SPECS))

    def __contains__(self, name: object) -> bool:
        return name in _SPECS

    def __repr__(self) -> str:
        return repr(tuple(_SPECS))


KIND_NAMES = KindNames()

_MODELS = "gru_studio.engine.models"
DEFAULT_KIND = "scratch"  # what a new run trains unless told otherwise: the book's GRU, fast

register(
    ModelSpec(
        name=DEFAULT_KIND,
        label=QT_TRANSLATE_NOOP("engine", "GRU from scratch (the book, fast)"),
        short=QT_TRANSLATE_NOOP("engine", "scratch GRU"),
        note=QT_TRANSLATE_NOOP(
            "engine",
            "The book's equations and parameters, computed with fused products and a hand-written "
            "backward pass: same results, faster.",
        ),
        describe=QT_TRANSLATE_NOOP(
            "engine", "GRU from scratch, {hidden} hidden (the book's equations, fast path){gates}"
        ),
        model_class=f"{_MODELS}.fast_scratch:FastScratchGRU",
        applies=frozenset({GATES}),
        benched=True,
        bench_against=("scratch-book", "builtin"),
    )
)
register(
    ModelSpec(
        name="scratch-book",
        label=QT_TRANSLATE_NOOP("engine", "GRU from scratch (the book's step-by-step code)"),
        short=QT_TRANSLATE_NOOP("engine", "scratch GRU, book code"),
        note=QT_TRANSLATE_NOOP(
            "engine",
            "The book's code as written, one small operation per line and step: the teaching "
            "reference, slower. The reset gate scales H before the product with W_hh.",
        ),
        describe=QT_TRANSLATE_NOOP("engine", "GRU from scratch, {hidden} hidden, the book's step-by-step code{gates}"),
        model_class=f"{_MODELS}.scratch:ScratchGRU",
        applies=frozenset({GATES}),
        one_hot_inputs=True,
        benched=True,
        book_reference=True,
    )
)
register(
    ModelSpec(
        name="builtin",
        label=QT_TRANSLATE_NOOP("engine", "nn.GRU (PyTorch built-in)"),
        short="nn.GRU",
        note=QT_TRANSLATE_NOOP(
            "engine",
            "nn.GRU applies the reset gate after the product, r * (W_hn h + b_hn): a different model from the book's.",
        ),
        describe=QT_TRANSLATE_NOOP("engine", "nn.GRU, {stacked} (reset gate after the product)"),
        model_class=f"{_MODELS}.builtin:BuiltinGRU",
        applies=frozenset({LAYERS, DROPOUT}),
        torch_layer=True,
        one_hot_inputs=True,
        benched=True,
        bench_against=("scratch-book",),
    )
)
register(
    ModelSpec(
        name="rnn",
        label=QT_TRANSLATE_NOOP("engine", "plain RNN from scratch (the book, fast)"),
        short=QT_TRANSLATE_NOOP("engine", "scratch RNN"),
        note=QT_TRANSLATE_NOOP(
            "engine",
            "The book's plain RNN, H = tanh(X W_xh + H W_hh + b_h): no gates, so it forgets sooner than a GRU. "
            "Inside the GRU does not apply.",
        ),
        describe=QT_TRANSLATE_NOOP("engine", "RNN from scratch, {hidden} hidden (the book's plain RNN, fast path)"),
        model_class=f"{_MODELS}.rnn_scratch:FastScratchRNN",
        gate_sets=1,
        not_a_gru=QT_TRANSLATE_NOOP("engine", "the plain RNN from scratch has no gates"),
        bench_against=("scratch",),  # the plain RNN against the GRU, both from scratch
    )
)
register(
    ModelSpec(
        name="rnn-builtin",
        label=QT_TRANSLATE_NOOP("engine", "nn.RNN (PyTorch built-in)"),
        short="nn.RNN",
        note=QT_TRANSLATE_NOOP(
            "engine",
            "nn.RNN with tanh: the same plain RNN as PyTorch's layer, for the chapter's RNN-versus-GRU exercise. "
            "Inside the GRU does not apply.",
        ),
        describe=QT_TRANSLATE_NOOP("engine", "nn.RNN (tanh), {stacked}"),
        model_class=f"{_MODELS}.builtin:BuiltinRNN",
        applies=frozenset({LAYERS, DROPOUT}),
        gate_sets=1,
        torch_layer=True,
        one_hot_inputs=True,
        not_a_gru=QT_TRANSLATE_NOOP("engine", "nn.RNN has no gates"),
        bench_against=("builtin",),  # nn.RNN against nn.GRU: the chapter's exercise
    )
)
register(
    ModelSpec(
        name="lstm-builtin",
        label=QT_TRANSLATE_NOOP("engine", "nn.LSTM (PyTorch built-in)"),
        short="nn.LSTM",
        note=QT_TRANSLATE_NOOP(
            "engine",
            "nn.LSTM, the next chapter's model: input, forget and output gates and a memory cell. "
            "Inside the GRU does not apply.",
        ),
        describe=QT_TRANSLATE_NOOP("engine", "nn.LSTM, {stacked}"),
        model_class=f"{_MODELS}.builtin:BuiltinLSTM",
        applies=frozenset({LAYERS, DROPOUT}),
        gate_sets=4,
        torch_layer=True,
        one_hot_inputs=True,
        not_a_gru=QT_TRANSLATE_NOOP(
            "engine", "nn.LSTM has input, forget and output gates and a memory cell, not a GRU's Z and R"
        ),
        bench_against=("builtin",),
    )
)
