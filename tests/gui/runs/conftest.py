"""The Runs tab's tests run with the run store barred from the GUI thread (issue 23, item 5).

SQLite on the GUI thread would keep the window waiting whenever another process
writes the file (a writer can hold it for seconds: BUSY_TIMEOUT_S), so the
view reads and writes on job threads only. Here any store opened on the main
thread raises WrongThreadError: in a slot, pytest-qt fails the test with it.
The tests themselves fill and read the store through `open_store`, which lifts
the guard for that one open (no event is handled meanwhile).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest

from gru_studio.engine.history import store
from gru_studio.engine.history.store import RunStore


@pytest.fixture(autouse=True)
def no_store_on_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "forbidden_thread", threading.main_thread())


@contextlib.contextmanager
def unguarded() -> Iterator[None]:
    guard, store.forbidden_thread = store.forbidden_thread, None
    try:
        yield
    finally:
        store.forbidden_thread = guard


def open_store() -> RunStore:
    """The store, opened by the test itself on the main thread (the guard is for the window)."""
    with unguarded():
        return RunStore()
