"""The automatic thread count's policy (threads.ThreadChooser) on a fake clock and fake timings.

A FakeMachine says how long a batch takes with each count at each moment of
training, and whether n threads stall (what parallel_stalls measures on a real
machine); `drive` trains batches on it as the trainer does. Nothing here
depends on the speed of the machine the tests run on.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from gru_studio.engine.hardware import threads
from gru_studio.engine.hardware.threads import (
    FASTER,
    FREED,
    RECHECK,
    SLOWER,
    STALLED,
    START,
    TUNING,
    ThreadChooser,
    Tuning,
)

TOKENS = 1000  # per batch


@dataclass
class FakeMachine:
    """Tokens/s of a batch with each count at training time t; n threads stall while `busy(t)`."""

    speed: Callable[[float, int], float]
    busy: Callable[[float], bool] = lambda t: False
    noise: float = 0.0  # each batch's duration varies by up to this share, either way
    now: float = 0.0  # the fake clock: advanced only by batches
    asked: list[float] = field(default_factory=list)  # when the chooser asked whether n threads stall
    rng: random.Random = field(default_factory=lambda: random.Random(26))

    def clock(self) -> float:
        return self.now

    def stalls(self, count: int) -> bool:
        self.asked.append(self.now)
        return count > 1 and self.busy(self.now)

    def train_batch(self, count: int) -> None:
        seconds = TOKENS / self.speed(self.now, count)
        self.now += seconds * (1 + self.rng.uniform(-self.noise, self.noise))


def quiet(one: float = 40_000, many: float = 54_000) -> Callable[[float, int], float]:
    return lambda t, count: one if count == 1 else many


def busy_loop(one: float = 38_000, many: float = 1_300) -> Callable[[float, int], float]:
    """One busy loop beside the run: 2 threads collapse (issue 13: 2,096 against 62,411 tokens/s)."""
    return lambda t, count: one if count == 1 else many


@dataclass
class Run:
    counts: list[int] = field(default_factory=list)  # the count each batch trained with
    steps: list[tuple[int, threads.Step]] = field(default_factory=list)  # (batch index, step) where end() said so


def drive(chooser: ThreadChooser, machine: FakeMachine, *, batches: int = 0, until_s: float = 0.0) -> Run:
    """Train `batches` batches, or until the fake clock reaches `until_s`, as the trainer does."""
    run = Run()
    while (batches and len(run.counts) < batches) or (until_s and machine.now < until_s):
        count = chooser.threads
        chooser.begin()
        machine.train_batch(count)
        run.counts.append(count)
        step = chooser.end(TOKENS)
        if step is not None:
            assert step.threads == chooser.threads
            run.steps.append((len(run.counts), step))
    return run


def new(machine: FakeMachine, cores: int = 2, tuning: Tuning = TUNING) -> ThreadChooser:
    return ThreadChooser(cores, machine.stalls, machine.clock, tuning)


def switches(chooser: ThreadChooser) -> list[tuple[int | None, int, str]]:
    return [(choice.previous, choice.threads, choice.reason) for choice in chooser.choices]


# -- the first measurement ------------------------------------------------------------------------------


def test_a_quiet_machine_keeps_the_faster_count_after_interleaved_blocks() -> None:
    machine = FakeMachine(quiet(one=40_000, many=54_000))
    chooser = new(machine)
    run = drive(chooser, machine, batches=100)
    block = TUNING.block
    # 1, 2, 1, 2, a block each, then the faster for good.
    assert run.counts[: 4 * block] == [1] * block + [2] * block + [1] * block + [2] * block
    assert set(run.counts[4 * block :]) == {2}
    assert switches(chooser) == [(None, 2, START)]
    speeds = dict(chooser.choices[0].tokens_per_s)
    assert speeds[1] == pytest.approx(40_000) and speeds[2] == pytest.approx(54_000)
    assert chooser.chosen == 2 and not chooser.measuring


def test_one_thread_is_kept_where_it_is_faster_or_about_as_fast() -> None:
    for many in (33_000, 41_000):  # 0.82x of 1 thread (threads.py's quietest moment), and 2.5 % faster
        machine = FakeMachine(quiet(one=40_000, many=many))
        chooser = new(machine)
        run = drive(chooser, machine, batches=100)
        assert chooser.chosen == 1 and set(run.counts[4 * TUNING.block :]) == {1}
        assert switches(chooser) == [(None, 1, START)]


def test_the_first_batch_of_each_block_is_not_timed() -> None:
    # Each block's first batch (the run's very first above all) is 2.5 times slower: it must not decide.
    def speed(t: float, count: int) -> float:
        return (40_000 if count == 1 else 54_000) / (2.5 if first[0] else 1)

    first = [True]
    machine = FakeMachine(speed)
    chooser = new(machine)
    previous = None
    for _ in range(4 * TUNING.block):
        first[0] = chooser.threads != previous
        previous = chooser.threads
        chooser.begin()
        machine.train_batch(chooser.threads)
        chooser.end(TOKENS)
    assert chooser.chosen == 2
    assert dict(chooser.choices[0].tokens_per_s) == {1: pytest.approx(40_000), 2: pytest.approx(54_000)}


def test_with_a_busy_loop_beside_it_no_batch_trains_with_stalling_threads() -> None:
    machine = FakeMachine(busy_loop(), busy=lambda t: True)
    chooser = new(machine)
    run = drive(chooser, machine, batches=200)
    assert set(run.counts) == {1}
    assert switches(chooser) == [(None, 1, START)]
    assert chooser.choices[0].tokens_per_s == ((1, pytest.approx(38_000)), (2, None))  # never trained with
    assert run.steps[0][0] == TUNING.block  # decided after one block of 1 thread
    assert machine.asked  # parallel_stalls was asked, at the start and since, every few seconds


def test_threads_that_collapse_unseen_by_the_stall_test_cost_one_batch() -> None:
    # parallel_stalls says all is well, yet 2 threads train 30 times slower: the block ends at its first batch.
    machine = FakeMachine(busy_loop(one=38_000, many=1_300))
    chooser = new(machine)
    run = drive(chooser, machine, batches=60)
    assert run.counts.count(2) == 1
    assert switches(chooser) == [(None, 1, START)]


def test_many_cores_far_faster_end_the_measurement_early() -> None:
    machine = FakeMachine(quiet(one=10_000, many=60_000))
    chooser = new(machine, cores=8)
    run = drive(chooser, machine, batches=40)
    block = TUNING.block
    assert run.counts[: 2 * block + 1] == [1] * block + [8] * block + [1]  # 1 thread gives up at once
    assert switches(chooser) == [(None, 8, START)]
    assert set(run.counts[2 * block + 1 :]) == {8}


def test_no_choice_without_two_cores() -> None:
    with pytest.raises(ValueError):
        ThreadChooser(1, lambda n: False)


# -- checking again while training -----------------------------------------------------------------------


def test_contention_that_arrives_is_left_after_one_slow_batch() -> None:
    start_at = 20.0  # seconds of training: a busy loop starts then
    busy = lambda t: t >= start_at  # noqa: E731
    machine = FakeMachine(lambda t, n: 40_000 if n == 1 else (1_300 if busy(t) else 54_000), busy=busy)
    chooser = new(machine)
    run = drive(chooser, machine, until_s=60)
    assert switches(chooser) == [(None, 2, START), (2, 1, STALLED)]
    slow = [i for i, n in enumerate(run.counts) if n == 2 and machine_time(run, machine, i) >= start_at]
    assert len(slow) == 1  # one batch with stalling threads, then 1 thread at once


def machine_time(run: Run, machine: FakeMachine, index: int) -> float:
    """The fake time at which batch `index` started (replayed: speeds depend only on time and count)."""
    replay = FakeMachine(machine.speed, machine.busy)
    for count in run.counts[:index]:
        replay.train_batch(count)
    return replay.now


def test_contention_that_leaves_is_noticed_within_seconds() -> None:
    end_at = 20.0  # a busy loop runs until then
    busy = lambda t: t < end_at  # noqa: E731
    machine = FakeMachine(lambda t, n: 38_000 if n == 1 else (1_300 if busy(t) else 54_000), busy=busy)
    chooser = new(machine)
    drive(chooser, machine, until_s=end_at)
    assert chooser.chosen == 1
    drive(chooser, machine, until_s=end_at + TUNING.gate_every_s + TUNING.hold_s + 2)
    assert switches(chooser) == [(None, 1, START), (1, 2, FREED)]
    assert dict(chooser.choices[-1].tokens_per_s) == {1: pytest.approx(38_000), 2: pytest.approx(54_000)}


def test_a_slowdown_of_many_threads_checks_again_and_a_speedup_of_one() -> None:
    # Mild contention: neither stalls, but 2 threads lose half their speed for a while (then 1 is faster).
    def speed(t: float, count: int) -> float:
        mild = 30 <= t < 60
        if count == 1:
            return 30_000 if mild else 40_000
        return 20_000 if mild else 54_000

    machine = FakeMachine(speed)
    chooser = new(machine)
    drive(chooser, machine, until_s=100)
    reasons = switches(chooser)
    assert reasons[:2] == [(None, 2, START), (2, 1, SLOWER)]
    assert reasons[2][:2] == (1, 2) and reasons[2][2] in (FASTER, RECHECK)
    assert len(reasons) == 3


def test_one_thread_that_speeds_up_checks_again() -> None:
    # Chosen at a moment when 2 threads were slower; then the other work leaves and both speed up.
    def speed(t: float, count: int) -> float:
        if t < 10:
            return 30_000 if count == 1 else 25_000
        return 40_000 if count == 1 else 54_000

    machine = FakeMachine(speed)
    chooser = new(machine)
    drive(chooser, machine, until_s=20)  # well before the first periodic check
    assert switches(chooser) == [(None, 1, START), (1, 2, FASTER)]


def test_periodic_checks_come_less_and_less_often() -> None:
    machine = FakeMachine(quiet())
    chooser = new(machine)
    # Each interval is counted from the end of a measurement (well under a second here).
    expected = {29: 0, 31: 1, 30 + 59: 1, 30 + 62: 2, 30 + 60 + 119: 2, 30 + 60 + 123: 3}
    expected |= {30 + 60 + 120 + 240 * 3 - 5: 5, 30 + 60 + 120 + 240 * 3 + 5: 6}  # at most recheck_max_s apart
    for until_s, checks in expected.items():
        drive(chooser, machine, until_s=until_s)
        assert chooser.checks == checks, until_s
    assert switches(chooser) == [(None, 2, START)]


def test_a_check_measures_as_the_start_did() -> None:
    machine = FakeMachine(quiet())
    chooser = new(machine)
    run = drive(chooser, machine, until_s=TUNING.recheck_s + 1)
    block = TUNING.block
    assert chooser.checks == 1
    check = run.counts.index(1, 4 * block)
    assert set(run.counts[4 * block : check]) == {2}
    assert run.counts[check : check + 4 * block + 1] == ([1] * block + [2] * block) * 2 + [2]


# -- no flapping ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("many", [54_000, 33_000])
def test_noisy_batches_never_switch_a_clear_choice(many: float) -> None:
    # Every batch 20 % faster or slower at random, for an hour of training: the first choice stays.
    machine = FakeMachine(quiet(one=40_000, many=many), noise=0.2)
    chooser = new(machine)
    drive(chooser, machine, until_s=3600)
    assert len(chooser.choices) == 1
    assert chooser.checks >= 10


def test_counts_about_as_fast_do_not_flap() -> None:
    machine = FakeMachine(quiet(one=40_000, many=41_500), noise=0.2)
    chooser = new(machine)
    drive(chooser, machine, until_s=3600)
    # Only a periodic check can switch here, when two measurements in a row say so: hardly ever.
    assert len(chooser.choices) <= 3
    assert chooser.checks >= 10


def test_contention_that_comes_and_goes_is_followed_less_and_less() -> None:
    # A busy loop for 3 s, then none for 3 s, over and over.
    busy = lambda t: int(t // 3) % 2 == 1  # noqa: E731
    machine = FakeMachine(lambda t, n: 40_000 if n == 1 else (1_300 if busy(t) else 54_000), busy=busy)
    chooser = new(machine)
    run = drive(chooser, machine, until_s=600)
    ups = [choice for choice in chooser.choices if choice.threads == 2 and choice.previous == 1]
    # The hold doubles with each switch up to hold_max_s: about 2+4+8+16+32 s, then one a minute.
    assert len(ups) <= 5 + 600 // TUNING.hold_max_s
    # Each time, 2 threads stalled for a batch or so before 1 thread took over.
    stalled = sum(1 for i, n in enumerate(run.counts) if n == 2 and busy(machine_time(run, machine, i)))
    assert stalled <= 2 * (len(ups) + 1)
    assert ups  # quiet spells are still tried now and then


def test_the_tuning_is_checked() -> None:
    with pytest.raises(ValueError):
        ThreadChooser(2, lambda n: False, tuning=Tuning(block=1))
