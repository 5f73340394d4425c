"""One fresh GRU Studio process, timed from its first click: run by scripts/first_click_bench.py and the test.

`python scripts/first_click_probe.py OUT.json [--click-after S] [--stacks]`
starts the window through the app's own start-up (`gru_studio.gui.app.launch.run_app`,
its event loop included), on the bundled sample and the default settings, and
then plays a user: Train (6 epochs), Generate, Save model, Open model,
Continue (to 9 epochs), each once the last has ended. A 10 ms QTimer on the
GUI thread beats all along; OUT.json gets the beats, when each step began and
ended, the time from launch to the window's first paint and, with --stacks,
what the other threads were doing whenever a beat was late (a watchdog thread
reading `sys._current_frames()`).

The caller isolates the process (its own home, settings and cache folders,
QT_QPA_PLATFORM=offscreen, no network): this script reads and writes the
user's folders, as the app does.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

LAUNCHED = float(os.environ.get("FIRST_CLICK_LAUNCHED", time.time()))  # wall clock, set by whoever started us
ORIGIN = time.perf_counter() - (time.time() - LAUNCHED)  # perf_counter at launch: every time below counts from it

import torch  # noqa: E402, F401  (before PySide6, as the app does)
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from gru_studio.engine.training.events import EpochEnd, Finished  # noqa: E402
from gru_studio.gui import APPLICATION, ORGANIZATION  # noqa: E402
from gru_studio.gui.app import launch as app_module  # noqa: E402
from gru_studio.gui.app.main_window import MainWindow  # noqa: E402

BEAT_MS = 10
TRAIN_EPOCHS, CONTINUE_EPOCHS = 6, 9
STEPS = ("train", "generate", "save", "open", "continue")
PAUSE_S = 0.5  # between two steps: each begins with a settled window, as a user's next click would
GIVE_UP_S = 180.0


def now() -> float:
    """Seconds since the process was launched."""
    return time.perf_counter() - ORIGIN


class FirstPaint(QObject):
    """Notes when the main window is first painted."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = now()
        return False


class Watchdog(threading.Thread):
    """Whenever the GUI thread's last beat is older than `late_s`, records every other thread's stack.

    The samples show who held the interpreter while the GUI thread waited for
    it. The watchdog itself needs the interpreter to take one, so a sample
    taken late (`waited_ms`) means a thread held it inside one long C call,
    and the stack shows the Python line that made that call.
    """

    def __init__(self, beats: list[float], late_s: float = 0.03) -> None:
        super().__init__(name="watchdog", daemon=True)
        self.beats, self.late_s = beats, late_s
        self.samples: list[dict] = []
        self.halt = threading.Event()
        self.gui = threading.main_thread().ident

    def run(self) -> None:
        period = 0.005
        while not self.halt.is_set():
            due = now() + period
            time.sleep(period)
            at = now()
            if self.beats and at - self.beats[-1] > self.late_s:
                frames = sys._current_frames()
                stacks = {
                    ("gui" if ident == self.gui else str(ident)): stack_of(frame)
                    for ident, frame in frames.items()
                    if ident != self.ident
                }
                self.samples.append({"at": at, "waited_ms": (at - due) * 1000, "stacks": stacks})


def stack_of(frame, depth: int = 30) -> list[str]:
    """'file:line function' from the innermost frame out, paths shortened to the package."""
    lines = []
    while frame is not None and len(lines) < depth:
        path = frame.f_code.co_filename
        for marker in ("site-packages/", "gru_studio/", "lib/python3"):
            if marker in path:
                path = path[path.index(marker) + len(marker) :]
                break
        lines.append(f"{path}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return lines


class User:
    """Clicks through the steps, each when the one before has ended; the heartbeat drives it."""

    def __init__(
        self, out: Path, steps: list[str], model: Path | None, click_after: float, stacks: float | None
    ) -> None:
        self.out, self.click_after = out, click_after
        self.beats: list[float] = []
        self.steps: list[dict] = []  # {"name", "start", "end", "marks"}
        self.paint = FirstPaint()
        self.window: MainWindow | None = None
        self.watchdog = Watchdog(self.beats, stacks / 1000) if stacks is not None else None
        self.timer = QTimer()
        self.timer.setInterval(BEAT_MS)
        self.timer.timeout.connect(self._beat)
        self._waiting: Callable[[], bool] = self._ready
        self._next: Callable[[], None] = self._run_step
        self.todo = list(steps)
        self._epochs = 0
        self._warm_done_at: float | None = None
        self.ready_at: float | None = None
        self.wait_warmup = False  # click only once the app's warm-up has ended
        self._modules: set[str] = set()
        self._collecting: float | None = None
        self.collections: list[tuple[float, float, int, str]] = []  # start, end, generation, thread
        self.warmup = None  # the app's Warmup (gui/app/warmup.py), once run_app has made it
        self.model_file = model or Path(os.environ["GRU_STUDIO_HOME"]) / "first-click.pt"

    def _on_collection(self, phase: str, info: dict) -> None:
        # Python's collector holds the interpreter throughout: a long one stalls every thread.
        if phase == "start":
            self._collecting = now()
        elif self._collecting is not None:
            self.collections.append((self._collecting, now(), info["generation"], threading.current_thread().name))
            self._collecting = None

    def begin(self) -> None:
        """Runs as the app's event loop starts, once its window is shown."""
        gc.callbacks.append(self._on_collection)
        self.window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        c = self.window.controller
        c.events.on(EpochEnd, self._on_epoch).on(Finished, lambda _: self._mark("finished"))
        c.generation_ended.connect(lambda: self._mark("generated"))
        c.model_saved.connect(lambda _: self._mark("saved"))
        c.model_opened.connect(lambda _: self._mark("opened"))
        c.run_failed.connect(lambda message: self._fail(f"run failed: {message}"))
        c.model_open_failed.connect(lambda message: self._fail(f"open failed: {message}"))
        c.model_save_failed.connect(lambda message: self._fail(f"save failed: {message}"))
        self.window.settings_panel.set_values({"epochs": TRAIN_EPOCHS})
        self.beats.append(now())
        self.timer.start()
        if self.watchdog is not None:
            self.watchdog.start()

    # -- the steps ------------------------------------------------------------------

    def _beat(self) -> None:
        try:
            self._check()
        except Exception as exc:  # a slip here must end the process with a record, not hang it
            self._fail(f"probe error: {exc!r}")

    def _check(self) -> None:
        at = now()
        self.beats.append(at)
        if self._warm_done_at is None and self.warmup is not None and self.warmup.done.is_set():
            self._warm_done_at = at
        if at > GIVE_UP_S:
            self._fail("gave up waiting")
        elif self._waiting():
            self._waiting = lambda: False
            self._next()

    def _ready(self) -> bool:
        window = self.window
        painted = self.paint.at is not None
        loaded = window.corpus_panel.corpus is not None and window.buttons["train"].isEnabled()
        if painted and loaded and self.ready_at is None:
            self.ready_at = now()  # the window is usable: the first click could come now
        warm = not self.wait_warmup or self.warmup is None or self.warmup.done.is_set()
        return self.ready_at is not None and warm and now() >= max(self.ready_at, self.paint.at + self.click_after)

    def _run_step(self) -> None:
        """Clicks the next step's button; once it has ended (see `_ended`), the one after follows."""
        if not self.todo:
            self._quit()
            return
        name = self.todo.pop(0)
        self._modules = set(sys.modules)
        self.steps.append({"name": name, "start": now(), "end": None, "marks": {}})
        self._waiting = lambda: self._ended(name) and self._close_step()
        self._next = lambda: QTimer.singleShot(int(PAUSE_S * 1000), self._run_step)
        window = self.window
        if name == "train":
            window.buttons["train"].click()
        elif name == "generate":
            window.generation.button.click()
        elif name == "save":
            window.files.save_model(str(self.model_file))
        elif name == "open":
            window.files.open_model(str(self.model_file))
        elif name == "continue":
            window.settings_panel.set_values({"epochs": CONTINUE_EPOCHS})
            self._epochs = 0
            window.buttons["continue"].click()

    def _ended(self, name: str) -> bool:
        if name == "train":
            return self._marked(f"epoch {TRAIN_EPOCHS}") and self._marked("finished")
        return self._marked({"generate": "generated", "save": "saved", "open": "opened"}.get(name, "finished"))

    def _close_step(self) -> bool:
        self.steps[-1]["end"] = self.beats[-1]
        self.steps[-1]["imported"] = sorted(set(sys.modules) - self._modules)  # first-use imports it paid for
        return True

    # -- what happened ----------------------------------------------------------------

    def _mark(self, what: str) -> None:
        if self.steps:
            self.steps[-1]["marks"].setdefault(what, now())

    def _marked(self, what: str) -> bool:
        return what in self.steps[-1]["marks"]

    def _on_epoch(self, _event: object) -> None:
        self._epochs += 1
        self._mark(f"epoch {self._epochs}")

    def dialog(self, text: str) -> QMessageBox.StandardButton:
        QTimer.singleShot(0, lambda: self._fail(f"the window asked: {text}"))
        return QMessageBox.StandardButton.No

    def _warmup_record(self) -> dict | None:
        if self.warmup is None:
            return None
        return {"done": self.warmup.done.is_set(), "took": self.warmup.took, "done_at": self._warm_done_at}

    def _fail(self, why: str) -> None:
        self._quit(error=why)

    def _quit(self, error: str | None = None) -> None:
        self.timer.stop()
        if self.watchdog is not None:
            self.watchdog.halt.set()
            self.watchdog.join()
        result = {
            "first_paint_s": self.paint.at,
            "ready_s": self.ready_at,
            "beats": self.beats,
            "steps": self.steps,
            "error": error,
            "load": os.getloadavg(),
            "warmup": self._warmup_record(),
            "collections": self.collections,
            "samples": self.watchdog.samples if self.watchdog is not None else [],
        }
        self.out.write_text(json.dumps(result), encoding="utf-8")
        self.window.close()
        QApplication.instance().quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated, from {', '.join(STEPS)}")
    parser.add_argument("--model", type=Path, help="the model file that open opens (default: the one save wrote)")
    parser.add_argument("--click-after", type=float, default=1.0, help="seconds from the first paint to Train")
    parser.add_argument("--switch-interval-ms", type=float, help="the interpreter's switch interval, set before start")
    parser.add_argument("--wait-warmup", action="store_true", help="click only once the app's warm-up has ended")
    parser.add_argument("--no-warmup", action="store_true", help="start the app's warm-up with nothing to do")
    parser.add_argument(
        "--stacks",
        type=float,
        nargs="?",
        const=30.0,
        metavar="MS",
        help="sample every thread's stack while a beat is MS late",
    )
    args = parser.parse_args()
    QSettings(ORGANIZATION, APPLICATION).setValue("corpus/source", "sample")  # the user's own settings file
    QApplication(sys.argv)  # made here so that the timer below can be set; run_app takes it
    user = User(args.out, args.steps.split(","), args.model, args.click_after, args.stacks)
    create = app_module.create_main_window

    def create_and_watch(*a: object) -> MainWindow:
        window = create(*a)
        window.installEventFilter(user.paint)
        return window

    user.wait_warmup = args.wait_warmup
    app_module.create_main_window = create_and_watch
    warm = getattr(app_module, "warm_after_first_paint", None)  # absent before the warm-up existed
    if warm is not None:

        def warm_and_watch(window: MainWindow) -> object:
            user.warmup = warm(window, [] if args.no_warmup else None)
            return user.warmup

        app_module.warm_after_first_paint = warm_and_watch
    if args.switch_interval_ms is not None:  # for the comparison in docs/results.md
        sys.setswitchinterval(args.switch_interval_ms / 1000)
    # A message box would wait for a click that never comes: end with its text instead.
    for kind in ("warning", "critical", "information", "question"):
        setattr(QMessageBox, kind, staticmethod(lambda parent, title, text, *rest: user.dialog(f"{title}: {text}")))
    QTimer.singleShot(0, user.begin)  # the first thing the app's event loop does
    code = app_module.run_app(sys.argv)
    return code if args.out.is_file() else 1


if __name__ == "__main__":
    sys.exit(main())
