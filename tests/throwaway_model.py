"""A throw-away model kind for the registry's tests: a bigram table, registered only while a test asks.

Used through the `throwaway` fixture (tests/conftest.py), by the engine's registry tests and
the window's picker test alike.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch import nn

from gru_studio.engine import model_registry
from gru_studio.engine.config import ModelConfig
from gru_studio.engine.model_registry import ModelSpec

THROWAWAY = "bigram-throwaway"


class Bigram(nn.Module):
    """Logits of the next character from the current one: a lookup table, trained like any model."""

    def __init__(self, vocab_size: int, hidden: int) -> None:
        super().__init__()
        self.vocab_size, self.hidden = vocab_size, hidden
        self.table = nn.Embedding(vocab_size, vocab_size)

    @classmethod
    def from_config(cls, config: ModelConfig, vocab_size: int) -> Bigram:
        return cls(vocab_size, config.hidden)

    def begin_state(self, batch_size: int, device: torch.device | str = "cpu") -> torch.Tensor:
        return torch.zeros(batch_size, 1, device=device)

    def forward(self, inputs: torch.Tensor, state: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.table(inputs.T).reshape(-1, self.vocab_size), state


def registered() -> Iterator[ModelSpec]:
    spec = model_registry.register(
        ModelSpec(
            name=THROWAWAY,
            label="bigram table (a test's model)",
            short="bigram",
            note="The next character from this one alone.",
            describe="bigram table over {hidden} (unused) hidden",
            model_class=f"{__name__}:Bigram",
            gate_sets=1,
            not_a_gru="a bigram table has no gates",
            benched=True,
            bench_against=("scratch",),
        )
    )
    yield spec
    model_registry.unregister(THROWAWAY)
