"""How many CPU threads torch trains with: the rule, and the one place it is applied.

Why not torch's own default (one thread per physical core): measured on the
team's 2-core machines with `scripts/threads_bench.py` (scratch model, the
bundled sample, medians of 5 interleaved runs; docs/results.md has the table),
2 threads trained at 4 to 17 % of the speed of 1 thread whenever other work
was running: 20,812 against 193,678 tokens/s at a 1-minute load of 1.1 to 2.9
(64 hidden units), 9,360 against 56,237 at load 2.0 to 2.9 (256 hidden units),
2,096 against 62,411 with one extra busy loop (load 5.7 to 10.4). OpenMP's
threads spin at every barrier, so one descheduled thread stalls the other. One
thread only gets slower in proportion to the load: the graceful way down. At
the quietest moment 2 threads were 0.82x of 1 (median; 1.05x at best), so
guessing too few threads costs little and too many costs up to 25x.
OMP_WAIT_POLICY=PASSIVE removes the collapse under the heaviest load (1.03x of
1 thread) but costs 15 to 75 % of the speed otherwise, and it has to be set
before torch is loaded: not used.

The automatic rule: one thread for every core that the 1-minute load average
does not show busy, counting a partly busy core as busy, at least 1 and at
most the cores torch would use by itself. The load average also counts this
process's own start and previous run, so it is hardly ever 0: in practice the
rule leaves one core to everything else (the window's GUI thread included),
and on 2 cores it trains with 1 thread, as the figures above ask.
"""

from __future__ import annotations

import math
import os

import torch

AUTO = 0  # the `threads` setting's value for "choose from the cores and the load"

# Torch's own choice when this module is first imported, before any run changed it: the
# physical cores (or OMP_NUM_THREADS if the user set it). The automatic rule never goes above
# it, so hyper-threads are not counted as cores.
TORCH_DEFAULT_THREADS = torch.get_num_threads()

# Where the load average cannot be read (Windows), assume one core is busy with other work:
# a 2-core machine then trains with 1 thread, the choice that never collapsed above.
UNKNOWN_LOAD = 1.0


def choose_threads(requested: int, cores: int, load: float | None) -> int:
    """The number of threads a run trains with.

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
