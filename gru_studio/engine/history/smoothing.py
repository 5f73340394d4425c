"""Smoothing a noisy curve the way TensorBoard does: an exponential moving average, debiased.

    smoothed = ema(perplexities, weight=0.6)      # the whole series at once
    average = Ema(0.6); average.add(value)         # one point at a time, for a live curve

A plain moving average started at zero drags the first points towards zero;
dividing by 1 - weight**n (the weight the zero start still holds after n
points, as Adam does) removes that, so a constant series stays that constant
and the first point is itself. Values that are not finite pass through
unsmoothed and leave the average alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MAX_WEIGHT = 0.999  # at 1 the average would never move


class Ema:
    """The debiased exponential moving average of the values added so far."""

    def __init__(self, weight: float) -> None:
        if not 0.0 <= weight <= MAX_WEIGHT:
            raise ValueError(f"smoothing weight {weight} is not between 0 and {MAX_WEIGHT}")
        self.weight = weight
        self._average = 0.0
        self._kept = 1.0  # weight**n: the share of the zero start still in the average

    def add(self, value: float) -> float:
        """Take in one point; the smoothed value there."""
        if not math.isfinite(value):
            return value
        self._average = self.weight * self._average + (1.0 - self.weight) * value
        self._kept *= self.weight
        return self._average / (1.0 - self._kept)


def ema(values: Iterable[float], weight: float) -> list[float]:
    """Every point of a series smoothed (weight 0: the series itself)."""
    average = Ema(weight)
    return [average.add(float(value)) for value in values]
