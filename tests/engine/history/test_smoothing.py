"""Smoothing a curve as TensorBoard does: a debiased exponential moving average."""

from __future__ import annotations

import math

import pytest

from gru_studio.engine.history.smoothing import Ema, ema


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.6, 0.9, 0.99, 0.999])
def test_smoothing_a_constant_gives_the_constant(weight: float) -> None:
    assert ema([3.7] * 500, weight) == pytest.approx([3.7] * 500, rel=1e-12)


def test_no_smoothing_is_the_series_itself() -> None:
    values = [5.0, 1.0, 4.0, 2.0]
    assert ema(values, 0.0) == values


def test_the_first_point_is_itself_and_later_ones_lag_behind() -> None:
    smoothed = ema([10.0, 0.0, 0.0], 0.5)
    # Debiased: 10; then (0.5*5 + 0)/(1-0.25) = 10/3; then (0.5*2.5)/(1-0.125) = 10/7.
    assert smoothed == pytest.approx([10.0, 10 / 3, 10 / 7])


def test_one_point_at_a_time_equals_the_whole_series() -> None:
    values = [math.sin(i) * 3 + 5 for i in range(200)]
    average = Ema(0.8)
    assert [average.add(v) for v in values] == ema(values, 0.8)


def test_values_that_are_not_finite_pass_through_and_leave_the_average_alone() -> None:
    smoothed = ema([2.0, math.inf, 2.0], 0.9)
    assert smoothed[0] == pytest.approx(2.0) and smoothed[1] == math.inf and smoothed[2] == pytest.approx(2.0)


def test_a_weight_of_one_is_refused() -> None:
    with pytest.raises(ValueError):
        Ema(1.0)
