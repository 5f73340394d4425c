"""What if a gate were fixed: a clamp holds Z or R at a value, over a span of characters and a set of units.

The chapter's first exercise asks which gate values make the state use only the
input at one step; three clamps answer it and its neighbours: Z = 1 (the state
is kept, nothing new is written), Z = 0 (the state is replaced by the candidate
at every step) and R = 0 (the candidate ignores the past). The trace
(`inside.trace`) and generation (`inside.generate_clamped`) apply clamps inside
the recurrence, so everything downstream (H, the next characters) follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gru_studio.engine.errors import GenerationError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP

GATES = ("z", "r")


@dataclass(frozen=True)
class Clamp:
    """Gate `gate` held at `value` from character `start` up to `stop` (exclusive; None: to the end),
    for `units` (None: every unit). Positions count from the first character of the text read."""

    gate: str
    value: float
    start: int = 0
    stop: int | None = None
    units: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.gate not in GATES:
            raise GenerationError(QT_TRANSLATE_NOOP("engine", "A clamp fixes z or r, not {gate!r}."), gate=self.gate)
        if not 0.0 <= self.value <= 1.0:
            raise GenerationError(
                QT_TRANSLATE_NOOP("engine", "A gate is between 0 and 1: {value} cannot be clamped."), value=self.value
            )
        if self.start < 0 or (self.stop is not None and self.stop <= self.start):
            raise GenerationError(
                QT_TRANSLATE_NOOP("engine", "The clamp's span {start} to {stop} holds no character."),
                start=self.start,
                stop=self.stop,
            )

    def covers(self, step: int) -> bool:
        return self.start <= step and (self.stop is None or step < self.stop)

    def check_units(self, hidden: int) -> None:
        wrong = [unit for unit in self.units or () if not 0 <= unit < hidden]
        if wrong:
            raise GenerationError(
                QT_TRANSLATE_NOOP("engine", "This model's units are 0 to {last}; there is no unit {unit}."),
                last=hidden - 1,
                unit=wrong[0],
            )

    def describe(self) -> dict[str, object]:
        """As the command line's JSON names it."""
        return {"gate": self.gate, "value": self.value, "from": self.start, "to": self.stop, "units": self.units}


def parse_clamps(
    texts: Sequence[str], start: int = 0, stop: int | None = None, units: str | None = None
) -> tuple[Clamp, ...]:
    """`--clamp z=0.5 --clamp r=0 --clamp-from 3 --clamp-to 9 --clamp-units 0,3,5` as clamps."""
    chosen: tuple[int, ...] | None = None
    if units:
        try:
            chosen = tuple(int(item) for item in units.split(","))
        except ValueError:
            raise GenerationError(
                QT_TRANSLATE_NOOP("engine", "--clamp-units takes unit numbers such as 0,3,5, not {text!r}."),
                text=units,
            ) from None
    clamps = []
    for text in texts:
        gate, sign, value = text.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sign or number != number:  # NaN: not a number
            raise GenerationError(
                QT_TRANSLATE_NOOP("engine", "--clamp takes z=V or r=V with V between 0 and 1, not {text!r}."),
                text=text,
            )
        clamps.append(Clamp(gate.strip().lower(), number, start, stop, chosen))
    return tuple(clamps)
