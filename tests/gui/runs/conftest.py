"""The Runs tab's tests run with the run store barred from the GUI thread (issue 23, item 5; issue 28, cause 4).

SQLite on the GUI thread would keep the window waiting whenever another process
writes the file (a writer can hold it for seconds: BUSY_TIMEOUT_S), so the
view reads and writes on job threads only. Here any store opened on the main
thread raises WrongThreadError, and so does any SQLite connection made there
(a write through a connection of its own, say) and any model file deleted
there: in a slot, pytest-qt fails the test with it. The tests themselves fill
and read the store through `open_store`, which lifts the guard for that one
open (no event is handled meanwhile), and hold its lock within `unguarded()`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator

import pytest

from gru_studio.engine.history import store
from gru_studio.engine.history.store import RunStore, WrongThreadError

_lifted = threading.local()


def _on_the_gui_thread(what: str) -> None:
    if threading.current_thread() is threading.main_thread() and not getattr(_lifted, "on", False):
        raise WrongThreadError(f"{what} on the GUI thread")


@pytest.fixture(autouse=True)
def no_store_on_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "forbidden_thread", threading.main_thread())
    connect, remove = sqlite3.connect, os.remove

    def guarded_connect(*args, **kwargs):
        _on_the_gui_thread("an SQLite connection")
        return connect(*args, **kwargs)

    def guarded_remove(path, *args, **kwargs):
        if str(path).endswith(".pt"):
            _on_the_gui_thread(f"a model file deleted ({path})")
        return remove(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", guarded_connect)
    monkeypatch.setattr(os, "remove", guarded_remove)


@contextlib.contextmanager
def unguarded() -> Iterator[None]:
    guard, store.forbidden_thread = store.forbidden_thread, None
    _lifted.on = True
    try:
        yield
    finally:
        store.forbidden_thread = guard
        _lifted.on = False


def open_store() -> RunStore:
    """The store, opened by the test itself on the main thread (the guard is for the window)."""
    with unguarded():
        return RunStore()


@contextlib.contextmanager
def store_locked() -> Iterator[sqlite3.Connection]:
    """Another process's writer, as far as the window can tell: a connection of its own holding
    the store's write lock (BEGIN IMMEDIATE) until the block ends."""
    with unguarded():
        holder = sqlite3.connect(store.default_path(), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()
