"""The first click in a fresh process (issue 19): from Train to the 6th plotted epoch the GUI thread never
waits more than 100 ms, and the click pays for no first-use imports.

Each test starts a new process (`scripts/first_click_probe.py`, through the
app's own start-up and event loop), so nothing is imported or warmed before
the window opens: the same process a user starts. It runs offscreen in its own
home, settings and cache folders, with no network, on the bundled sample and
the window's default settings; a 10 ms QTimer beats on the GUI thread.

Why 100 ms, and why one retry. 100 ms is where a stall starts to be felt, and
the issue's bound. Before the warm-up every fresh process paid 0.7-2.2 s of
imports (torch._dynamo, 817 modules) on the training thread after the click,
with two full collections of those new objects holding the interpreter; the
GUI thread's longest wait was 47-137 ms, over 100 ms in 6 of 10 processes at
a load of 3-4.5 (docs/results.md, "The first click"). After it: 41-128 ms,
over 100 ms in 1 of 10, its gaps being the plot repainting while training
computes on 2 cores that other processes keep busy, which no warm-up removes
(steady-state gaps reached 127-147 ms at load 3.5-5, long after any first
use). So a process over the bound gets one more fresh process: a cost paid on
every first click shows in both, a hiccup of a busy machine rarely twice. On
a quiet machine the old stall stayed under the bound (48-50 ms at load 0.7),
so the test also counts the modules the click imported, which does not depend
on the load: after the warm-up 1, before it 817.
"""

from __future__ import annotations

import gc
import importlib.util
import threading
from pathlib import Path
from types import ModuleType

from PySide6.QtWidgets import QWidget

from gru_studio.gui.app.warmup import Warmup, warm_after_first_paint

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "first_click_bench.py"
BOUND_MS = 100.0
# Modules a first run may still import after the click: a few small lazy ones are harmless
# (measured: 0-3); torch._dynamo's import, the cost this test guards against, was 816.
FEW_IMPORTS = 30


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("first_click_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def first_run(script: ModuleType, *options: str) -> tuple[float, dict]:
    """The longest gap (ms) from the click on Train to the 6th plotted epoch of a fresh process, and its record."""
    record = script.probe("--steps", "train", *options, timeout_s=180)
    gaps = script.gaps(record, "train", until=f"epoch {script.TRAIN_EPOCHS}")
    return max(gap for gap, _ in gaps), record


def test_the_first_train_in_a_fresh_process_keeps_the_window_responsive(qtbot) -> None:
    """A user who clicks Train once the window has shown and warmed up (0.7-1.4 s measured): no wait
    over 100 ms, and no first-use imports left for the click."""
    script = bench()
    longest, record = first_run(script, "--click-after", "1", "--wait-warmup")
    imported = record["steps"][0]["imported"]
    if longest > BOUND_MS:  # once more, in another fresh process: see the module's docstring
        first = longest
        longest, _ = first_run(script, "--click-after", "1", "--wait-warmup")
        assert longest <= BOUND_MS, f"longest gap {first:.0f} ms, then {longest:.0f} ms in a second process"
    assert len(imported) <= FEW_IMPORTS, (
        f"longest gap {longest:.0f} ms, but the click paid for {len(imported)} imports: {imported[:8]}..."
    )


def test_a_click_before_the_warm_up_has_ended_trains_without_waiting_for_it(qtbot) -> None:
    """Train clicked the moment it is enabled, while the warm-up still imports: the training thread waits
    only for the module being imported (Python's import lock, not the interpreter), then trains; no
    deadlock, and the run's 6 epochs are plotted. Its gaps are not bounded here: such a click shares
    the import's own stalls (95-108 ms at a load of 4.6, docs/results.md), though not its collection."""
    script = bench()
    record = script.probe("--steps", "train", "--click-after", "0", timeout_s=180)  # raises if the run never ends
    warmup, train = record["warmup"], record["steps"][0]
    assert warmup is not None and warmup["done"], "the warm-up never ended"
    assert warmup["done_at"] > train["start"], "the click came after the warm-up: nothing was tested"
    assert f"epoch {script.TRAIN_EPOCHS}" in train["marks"] and "finished" in train["marks"]
    assert [name for name, _ in warmup["took"]] == ["import sympy", "import torch._dynamo"]


def test_the_warm_up_starts_at_the_first_paint_and_survives_a_failing_piece(qtbot, caplog) -> None:
    """Nothing runs before the window is painted; a piece that raises ends the warm-up quietly,
    with the collector as it found it, and the next pieces are skipped."""
    ran: list[str] = []

    def broken() -> None:
        raise ImportError("not in this build")

    pieces = [("first", lambda: ran.append("first")), ("broken", broken), ("last", lambda: ran.append("last"))]
    window = QWidget()
    qtbot.addWidget(window)
    warmup = warm_after_first_paint(window, pieces)
    assert warmup.wait(0) and ran == []  # not started: nothing to wait for (a window closed unpainted)
    collecting = gc.isenabled()
    window.show()
    qtbot.waitUntil(warmup.done.is_set, timeout=5_000)
    assert ran == ["first"] and [name for name, _ in warmup.took] == ["first"]
    assert gc.isenabled() == collecting
    assert "Warm-up stopped early" in caplog.text


def test_a_stopped_warm_up_ends_after_the_piece_under_way(qtbot) -> None:
    started, release, ran = threading.Event(), threading.Event(), []
    warmup = Warmup([("slow", lambda: started.set() or release.wait(5)), ("never", lambda: ran.append("never"))])
    warmup.start()
    assert started.wait(5)
    warmup.stop()
    release.set()
    assert warmup.wait(5) and [name for name, _ in warmup.took] == ["slow"] and ran == []
