"""The Qt binding must not lose references when signals are emitted.

PySide6 6.12.0 dropped a reference to a shared object (None, True or False) on
each emit; a long training run in the window then aborted with "Fatal Python
error: none_dealloc". Short tests never noticed, so this one counts.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal, Slot

from gru_studio.engine.training.events import EpochEnd
from gru_studio.gui.common.worker import IteratorWorker, WorkerHandle

EMITS = 300  # enough to see a per-emit leak, few enough not to crash on one


class Emitter(QObject):
    items = Signal(list)
    thing = Signal(object)
    text = Signal(str)
    bare = Signal()


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @Slot(list)
    def on_items(self, items: list) -> None:
        self.count += len(items)

    @Slot(object)
    def on_thing(self, thing: object) -> None:
        self.count += 1


def shared_refcounts() -> tuple[int, int, int]:
    # Free first what earlier tests left for later (windows waiting for their
    # deferred delete, cyclic garbage): freed in the middle of the measurement,
    # it would move these counts by hundreds.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def drifted(before: tuple[int, ...], after: tuple[int, ...]) -> int:
    return max(abs(a - b) for a, b in zip(before, after, strict=True))


def test_emitting_in_the_gui_thread_keeps_references(qapp) -> None:
    emitter, receiver = Emitter(), Receiver()
    emitter.items.connect(receiver.on_items)
    emitter.thing.connect(receiver.on_thing)
    emitter.text.connect(lambda s: None)
    emitter.bare.connect(lambda: None)
    before = shared_refcounts()
    for _ in range(EMITS):
        emitter.items.emit([EpochEnd(1, 2, 3.0, None, 4.0, 5.0)])
        emitter.thing.emit(None)
        emitter.text.emit("x")
        emitter.bare.emit()
    qapp.processEvents()
    assert receiver.count == 2 * EMITS
    assert drifted(before, shared_refcounts()) < 30  # a per-emit leak shows hundreds


def test_queued_batches_from_a_worker_thread_keep_references(qtbot) -> None:
    receiver = Receiver()
    worker = IteratorWorker(lambda: iter(range(EMITS)), interval_s=0.0)
    worker.items.connect(receiver.on_items)
    handle = WorkerHandle(worker)
    before = shared_refcounts()
    # `finished` comes after the thread has been joined, and after every batch it
    # sent has been delivered (queued in order): nothing is in flight when counting.
    with qtbot.waitSignal(handle.finished, timeout=20_000):
        handle.start()
    assert receiver.count == EMITS and handle.thread.isFinished()
    assert drifted(before, shared_refcounts()) < 30
