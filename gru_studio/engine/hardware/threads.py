"""How many CPU threads torch trains with: measured while it trains, and the one place it is applied.

Why measure: on the team's 2-core machines the right count depends on what
else runs *now*. With other work on the cores, 2 threads trained at 4 to 17 %
of the speed of 1 thread (20,812 against 193,678 tokens/s at a 1-minute load
of 1.1 to 2.9; 2,096 against 62,411 with one extra busy loop: docs/results.md,
"CPU threads on a busy machine"): OpenMP's threads spin at every barrier, so
one descheduled thread stalls the other, while 1 thread only slows in
proportion to the load. On the same machines, quiet, 2 threads trained 1.3 to
1.4 times as fast as 1 (issue 26). The load average, the rule before this one,
lags by a minute and counts this process's own start, so on 2 cores it always
chose 1 thread and gave up that quarter of the speed.

So an automatic count (`threads` 0, the default) is chosen by `ThreadChooser`,
a pure policy that the trainer calls around each batch; its clock is
injectable (tests/engine/training/test_thread_chooser.py runs it on fake
timings). Its numbers are `Tuning`'s:

- Measure: 1 thread and the usable cores n (`usable_cores`), interleaved in
  blocks of 4 batches, 1, n, 1, n. The first batch of a block warms up and is
  not timed; everything is counted in the run's time. Keep the faster median
  (n threads only when 5 % faster).
- Never collapse: before each block of n threads, `parallel_stalls` times a
  short parallel operation (3 ms): when the threads stall, as they do with a
  busy loop beside them, the block is not run and 1 thread is kept. A block
  also ends at once when a batch is 2 times slower than the other count
  (its first batch: 3 times). A collapse costs milliseconds, at worst a batch.
- Check again while training, measuring as at the start: after 30 s of
  training, then after 60, 120 and every 240 s; and at once on a sign that
  the other count may now win. With n threads: one batch 3 times slower than
  the chosen count's median, or 8 batches whose median is 1.5 times slower
  (contention arrived). With 1 thread: 8 batches 1.2 times faster, or, when n
  stalled at the last look, `parallel_stalls` saying they no longer do
  (asked every 5 s of training: contention left).
- Hysteresis: a check switches only when the other count is 10 % faster in
  two measurements in a row (unless the chosen count stalled or fell 2 times
  behind: then at once). Checks from 1 thread wait a hold after the last
  check: 2 s, doubling with every switch up to 60 s and halving with every
  check that keeps the count, so a load that comes and goes every few seconds
  is followed less and less often.

`--threads N` (the window's "CPU threads") fixes the count exactly. Runs whose
batches cannot be timed one by one (on a GPU, where work is asynchronous; or
under torchrun, where ranks wait for each other) keep the older rule,
`choose_threads`: one thread for every core that the 1-minute load average
does not show busy.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import torch

AUTO = 0  # the `threads` setting's value for "choose while training"

# Torch's own choice when this module is first imported, before any run changed it: the
# physical cores (or OMP_NUM_THREADS if the user set it). The automatic count never goes above
# it, so hyper-threads are not counted as cores.
TORCH_DEFAULT_THREADS = torch.get_num_threads()

# Where the load average cannot be read (Windows), assume one core is busy with other work:
# a 2-core machine then trains with 1 thread, the choice that never collapsed above.
UNKNOWN_LOAD = 1.0

# Why a count was chosen (ThreadChoice.reason): the first measurement, a periodic check, or a check
# set off by the chosen count's speed or by n threads no longer stalling.
START, RECHECK, STALLED, SLOWER, FASTER, FREED = "start", "recheck", "stalled", "slower", "faster", "freed"


@dataclass(frozen=True)
class Tuning:
    """The policy's numbers (the module's docstring says what each does)."""

    block: int = 4  # batches per count and turn of a measurement, the first of them not timed
    rounds: int = 2  # turns of each count in a measurement
    start_margin: float = 1.05  # n threads kept at the start only when this much faster than 1
    switch_margin: float = 1.10  # a check switches only when the other is this much faster, twice in a row
    give_up: float = 2.0  # a batch this much slower than the other count ends its count's block
    stall: float = 3.0  # with n threads, one batch this much slower than it gave; a block's first batch: give_up
    window: int = 8  # batches whose median is compared with what the chosen count gave
    slower: float = 1.5  # with n threads: the window this much slower
    faster: float = 1.2  # with 1 thread: the window this much faster
    gate_every_s: float = 5.0  # with 1 thread because n stalled: ask parallel_stalls this often
    recheck_s: float = 30.0  # of training between periodic checks, doubling after each
    recheck_max_s: float = 240.0
    hold_s: float = 2.0  # checks from 1 thread wait this long after the last check, doubling
    hold_max_s: float = 60.0  # with every switch (up to this) and halving with every check that keeps it


TUNING = Tuning()


@dataclass(frozen=True)
class ThreadChoice:
    """A count chosen by measuring: the first, or a switch."""

    threads: int
    previous: int | None  # None for the first choice of a run
    reason: str  # START, RECHECK, STALLED, SLOWER, FASTER or FREED
    # Each count's median speed in the measurement that chose, fewest threads first; None for a
    # count whose threads stalled (not trained with) or that this measurement did not time.
    tokens_per_s: tuple[tuple[int, float | None], ...]


class Step(NamedTuple):
    """What the trainer does after a batch: train the next with `threads`; `choice` when a count was chosen."""

    threads: int
    choice: ThreadChoice | None


class ThreadChooser:
    """The automatic count, from the durations of the batches (see the module's docstring).

    Per batch the trainer calls `begin()` before it and `end(tokens)` after it;
    `end` returns None (go on as before) or a Step. `stalls(n)` answers whether
    n threads stall now (`parallel_stalls`); `clock` gives seconds.
    """

    def __init__(
        self,
        cores: int,
        stalls: Callable[[int], bool],
        clock: Callable[[], float] = time.perf_counter,
        tuning: Tuning = TUNING,
    ) -> None:
        if cores < 2 or tuning.block < 2:
            raise ValueError("a choice needs 2 cores or more and blocks of 2 batches or more")
        self.low, self.high = 1, cores
        self.tuning = tuning
        self._stalls, self._clock = stalls, clock
        self.threads = self.low  # the count of the next batch
        self.chosen: int | None = None  # None until the first measurement ends
        self.choices: list[ThreadChoice] = []
        self.checks = 0  # measurements after the first
        self._trained = 0.0  # seconds of the batches timed so far (pauses and validation are not)
        self._started = 0.0
        self._fresh = True  # the next batch is the first with this count: not timed
        self._reference = math.inf  # seconds per token that the chosen count gave when chosen
        self._window: list[float] = []
        self._interval = tuning.recheck_s
        self._recheck_at = tuning.recheck_s
        self._hold = tuning.hold_s
        self._hold_until = 0.0
        self._gate_at = 0.0
        self._high_stalled = False  # at the last look, n threads stalled
        # The measurement under way: its blocks to come (the current one first), batches left in the
        # current one, each count's seconds per token, and the counts dropped from it.
        self._reason = START
        self._plan: list[int] = [self.low, self.high] * tuning.rounds
        self._left = tuning.block
        self._timings: dict[int, list[float]] = {self.low: [], self.high: []}
        self._out: set[int] = set()
        self._confirming = False  # measuring again before a switch

    @property
    def measuring(self) -> bool:
        return bool(self._plan)

    def begin(self) -> None:
        self._started = self._clock()

    def end(self, tokens: int) -> Step | None:
        seconds = self._clock() - self._started
        self._trained += seconds
        per_token = seconds / max(tokens, 1)
        fresh, self._fresh = self._fresh, False
        if self._plan:
            return self._measured(per_token, fresh)
        return self._watched(per_token, fresh)

    # -- measuring ------------------------------------------------------------------------------

    def _measured(self, per_token: float, fresh: bool) -> Step | None:
        count = self.threads
        other = self._timings[self.high if count == self.low else self.low]
        # A first batch warms up (after a change of count, the threads wake): it may be slower, not `stall` times.
        behind = self.tuning.stall if fresh else self.tuning.give_up
        if other and per_token > behind * statistics.median(other):
            self._timings[count].append(per_token)  # the evidence, first batch or not
            self._out.add(count)  # far behind the other: not worth timing precisely
            return self._decide()
        if not fresh:
            self._timings[count].append(per_token)
        self._left -= 1
        if self._left > 0:
            return None
        self._plan.pop(0)
        return self._next_block()

    def _next_block(self) -> Step | None:
        """Start the plan's next block, or decide when there is none."""
        if not self._plan:
            return self._decide()
        count = self._plan[0]
        if count == self.high:
            self._high_stalled = self._stalls(self.high)
            if self._high_stalled:
                self._out.add(self.high)
                return self._decide()
        self._left = self.tuning.block
        return self._switch_to(count)

    def _switch_to(self, count: int, choice: ThreadChoice | None = None) -> Step | None:
        if count != self.threads:
            self.threads, self._fresh = count, True
        elif choice is None:
            return None
        return Step(count, choice)

    def _decide(self) -> Step | None:
        tuning, previous = self.tuning, self.chosen
        medians = {count: statistics.median(timed) for count, timed in self._timings.items() if timed}
        standing = {count: m for count, m in medians.items() if count not in self._out}
        if len(standing) == 1:
            (winner,) = standing
        elif not standing:  # only when a block ends before any batch is timed: keep the safe count
            winner = self.low
        elif previous is None:
            winner = self.high if standing[self.high] * tuning.start_margin < standing[self.low] else self.low
        else:
            other = self.high if previous == self.low else self.low
            winner = other if standing[other] * tuning.switch_margin < standing[previous] else previous
            if winner != previous and not self._out and not self._confirming:
                self._confirming = True  # a switch only when a second measurement at once agrees
                return self._measure()
        self._confirming = False
        speeds = tuple((count, 1.0 / medians[count] if count in medians else None) for count in (self.low, self.high))
        choice = ThreadChoice(winner, previous, self._reason, speeds) if winner != previous else None
        if choice is not None:
            self.choices.append(choice)
        if previous is not None:  # a check: the hold grows with switches and shrinks with confirmations
            changed = self._hold * 2 if choice is not None else self._hold / 2
            self._hold = min(max(changed, tuning.hold_s), tuning.hold_max_s)
        if self._reason == RECHECK:
            self._interval = min(self._interval * 2, tuning.recheck_max_s)
        self.chosen = winner
        self._reference = medians.get(winner, math.inf)
        self._recheck_at = self._trained + self._interval
        self._hold_until = self._trained + self._hold
        self._gate_at = self._trained + tuning.gate_every_s
        self._plan, self._window = [], []
        return self._switch_to(winner, choice)

    # -- watching the chosen count -------------------------------------------------------------

    def _watched(self, per_token: float, fresh: bool) -> Step | None:
        tuning, reference = self.tuning, self._reference
        many = self.chosen == self.high
        waited = self._trained >= self._hold_until
        if not fresh:
            if many and per_token > tuning.stall * reference:
                return self._check(STALLED)
            self._window.append(per_token)
            if len(self._window) >= tuning.window:
                median = statistics.median(self._window)
                self._window = []
                if many and median > tuning.slower * reference:
                    return self._check(SLOWER)
                if not many and waited and median * tuning.faster < reference:
                    return self._check(FASTER)
        if not many and waited and self._high_stalled and self._trained >= self._gate_at:
            self._gate_at = self._trained + tuning.gate_every_s
            if not self._stalls(self.high):
                return self._check(FREED)
        if self._trained >= self._recheck_at and (many or waited):
            return self._check(RECHECK)
        return None

    def _check(self, reason: str) -> Step | None:
        self.checks += 1
        self._reason = reason
        return self._measure()

    def _measure(self) -> Step | None:
        """Measure both counts again, as at the start (1 thread first: it never stalls)."""
        self._plan = [self.low, self.high] * self.tuning.rounds
        self._timings = {self.low: [], self.high: []}
        self._out = set()
        self._left = self.tuning.block
        return self._switch_to(self.low)


def parallel_stalls(threads: int, seconds: float = 0.003) -> bool:
    """Whether `threads` threads stall each other now: True when other work holds the cores.

    Times an elementwise product big enough for torch to share among threads,
    first with 1 thread (1 ms), then with `threads` for `seconds`. Their
    threads wait for each other at the end of every such operation, so when
    one of them is descheduled the operation takes a scheduler's time slice
    (measured: 1 to 20 ms instead of 10 to 30 microseconds). It stops at the
    first operation that falls behind twice the speed of 1 thread, so the
    answer costs `seconds` plus 1 ms when the threads run, about one time
    slice when they stall. On the calling thread; torch's count is put back.
    """
    a, b = torch.ones(1 << 17), torch.ones(1 << 17)
    out = torch.empty_like(a)
    before = torch.get_num_threads()
    clock = time.perf_counter
    try:
        torch.set_num_threads(1)
        ops, start = 0, clock()
        while clock() - start < 0.001:
            torch.mul(a, b, out=out)
            ops += 1
        one = (clock() - start) / ops
        torch.set_num_threads(threads)
        torch.mul(a, b, out=out)  # wakes the other threads
        ops, start = 0, clock()
        while True:
            torch.mul(a, b, out=out)
            ops += 1
            elapsed = clock() - start
            if elapsed > 2 * one * ops + 0.0002:  # 0.2 ms: a thread woken late is not a stall
                return True
            if elapsed > seconds:
                return False
    finally:
        torch.set_num_threads(before)


def chooser_for(requested: int) -> ThreadChooser | None:
    """A ThreadChooser when the count is automatic and there is more than one core; None otherwise."""
    cores = usable_cores()
    if requested != AUTO or cores < 2:
        return None
    return ThreadChooser(cores, parallel_stalls)


def choose_threads(requested: int, cores: int, load: float | None) -> int:
    """The number of threads of a run whose count is not measured (see the module's docstring).

    `requested` > 0 is honoured exactly; AUTO (0) gives `cores` minus the busy
    cores that `load` (the 1-minute load average, None if unknown) shows,
    rounded up, clamped to 1..`cores`.
    """
    if requested < 0:
        raise ValueError(f"threads must be 0 (automatic) or more, not {requested}")
    if requested > 0:
        return requested
    cores = max(1, cores)
    busy = math.ceil(UNKNOWN_LOAD if load is None else max(0.0, load))
    return max(1, min(cores, cores - busy))


def usable_cores() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's share), at most torch's default."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity mask
        available = os.cpu_count() or 1
    return max(1, min(available, TORCH_DEFAULT_THREADS))


def system_load() -> float | None:
    """The 1-minute load average, or None where the system does not report one."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def threads_for(requested: int) -> int:
    """`choose_threads` for this machine as it is now."""
    return choose_threads(requested, usable_cores(), system_load())


def apply_threads(count: int) -> int:
    """Make torch use `count` threads from now on and return the number it took.

    Call it on the thread that trains: with OpenMP, a thread that has already
    run torch work keeps its own count, and only threads that start torch work
    later take the new one.
    """
    torch.set_num_threads(count)
    return torch.get_num_threads()
