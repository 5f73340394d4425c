"""The first click in a fresh process (issue 19): from Train to the 6th plotted epoch the GUI thread never
waits more than 100 ms, and the click pays for no first-use imports.

Each test starts a new process (`scripts/first_click_probe.py`, through the
app's own start-up and event loop), so nothing is imported or warmed before
the window opens: the same process a user starts. It runs offscreen in its own
home, settings and cache folders, with no network, on the bundled sample and
the window's default settings; a 10 ms QTimer beats on the GUI thread.

Why 100 ms, and why one retry. 100 ms is where a stall starts to be felt, and
the issue's bound. Before the warm-up (main at 5179c45) every fresh process
paid about 0.8 s of imports on the training thread right after the click,
with one full garbage collection of those new objects that held the
interpreter for 48 ms on the quiet 2-core machine and 62-133 ms at a load
average of 3-4; with the plot's first repaints next to it, the longest gap
reached 98-145 ms on a busy machine (docs/results.md, "The first click"). After
the warm-up the longest gaps were 38-78 ms at the same load, all of them
training and painting sharing 2 busy cores, which no code of ours removes. A
loaded CI machine can still deschedule the GUI thread past 100 ms once in a
while (steady-state gaps of up to 110 ms were measured at load 3, well after
any first use), so a process over the bound gets one more fresh process: a
cost paid on every first click shows in both, a passing hiccup of the machine
rarely twice. The import count does not depend on the load, so it is asserted
without a retry: it is what catches a first-use cost coming back when the
machine is too quiet for its stall to cross 100 ms.
"""

from __future__ import annotations

import gc
import importlib.util
import threading
from pathlib import Path
from types import ModuleType

from PySide6.QtWidgets import QWidget

from gru_studio.gui.warmup import Warmup, warm_after_first_paint

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "first_click_bench.py"
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


def test_a_click_before_the_warm_up_has_ended_trains_and_stays_responsive(qtbot) -> None:
    """Train clicked the moment it is enabled, while the warm-up still imports: the run waits for nothing
    but that import (no deadlock), plots its 6 epochs, and the window stays as responsive."""
    script = bench()
    longest, record = first_run(script, "--click-after", "0")
    warmup = record["warmup"]
    assert warmup is not None and warmup["done"], "the warm-up never ended"
    assert warmup["done_at"] > record["steps"][0]["start"], "the click came after the warm-up: nothing was tested"
    if longest > BOUND_MS:
        first = longest
        longest, record = first_run(script, "--click-after", "0")
        assert longest <= BOUND_MS, f"longest gap {first:.0f} ms, then {longest:.0f} ms in a second process"


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
