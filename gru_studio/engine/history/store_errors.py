"""What can go wrong with the run store, each as its own error with a message fit to show.

The errors a command or the window meets while using an open store (StoreError and
its kinds) are both GruStudioErrors (one clear, translatable line) and sqlite3
errors, so that code which already catches `sqlite3.Error` around a store call
catches them too; code that wants to tell them apart catches the kind:

    try:
        store.delete([run_id])
    except StoreLockedError:      # another process is writing: try again later, nothing was done
        ...
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase


class StoreError(GruStudioError, sqlite3.DatabaseError):
    """The run store could not do what was asked; the message says why. Nothing was changed."""


class StoreLockedError(StoreError, sqlite3.OperationalError):
    """Another process held the store's write lock for longer than this one would wait."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "engine",
                "the run store {path} is locked by another GRU Studio process; try again when it finishes",
            ),
            path=path,
        )
        self.path = path


class StoreReadOnlyError(StoreError, sqlite3.OperationalError):
    """The store's file or folder cannot be written: it can be read, not changed."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP("engine", "the run store {path} is read-only; nothing in it can be changed"),
            path=path,
        )
        self.path = path


class StoreDamagedError(StoreError):
    """The file turned out damaged while in use; it was moved aside (or could not be) as on open."""


class RunStillTrainingError(StoreError):
    """A run asked to be deleted is still being trained by a live process."""


class StoreUnavailableError(Exception):
    """The store cannot be used; the message says why and what happened to the file.

    Not a GruStudioError (it never reaches the user as an error: `RunStore.open`
    turns it into a notice), but it carries its Phrase for that notice.
    """

    def __init__(self, message: Phrase) -> None:
        super().__init__(message)
        self.phrase = message


class WrongThreadError(RuntimeError):
    """A store was opened on `forbidden_thread`: a bug the tests catch, never caught by `RunStore.open`."""


def busy(exc: sqlite3.Error) -> bool:
    """SQLite found the file locked by another connection (SQLITE_BUSY, SQLITE_LOCKED)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text


def read_only(exc: BaseException) -> bool:
    """The file or its folder cannot be written (SQLITE_READONLY and its kinds, or the OS's EACCES/EROFS)."""
    if isinstance(exc, PermissionError):
        return True
    if isinstance(exc, OSError):
        return exc.errno == 30  # EROFS: a read-only file system
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_READONLY") or "readonly database" in str(exc).lower()


def damage_suspected(exc: sqlite3.Error) -> bool:
    """An error that a damaged file gives (SQLITE_CORRUPT, SQLITE_NOTADB, ...), worth a quick_check.

    A lock, a full disk, a read-only file or a broken constraint is not: those files are sound.
    """
    if isinstance(exc, (StoreError, sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)):
        return False
    if isinstance(exc, sqlite3.OperationalError):
        name = getattr(exc, "sqlite_errorname", "") or ""
        return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_IOERR"))
    return isinstance(exc, sqlite3.DatabaseError)


def cannot_open(path: Path, exc: Exception) -> Phrase:
    # The reason is SQLite's or the OS's own words.
    return phrase(QT_TRANSLATE_NOOP("engine", "cannot open the run store {path}: {reason}"), path=path, reason=str(exc))


def moved_notice(path: Path, moved: Path) -> Phrase:
    return phrase(
        QT_TRANSLATE_NOOP("engine", "the run store {path} was damaged; it was moved to {moved} and a new one started"),
        path=path,
        moved=moved.name,
    )


def not_replaced_notice(path: Path, reason: object) -> Phrase:
    return phrase(
        QT_TRANSLATE_NOOP(
            "engine", "the run store {path} is damaged and could not be replaced ({reason}); runs are not recorded"
        ),
        path=path,
        reason=reason,
    )


def move_aside(path: Path) -> Path:
    """Rename a damaged store (and its WAL files) out of the way; returns its new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            # A WAL file belongs to the database it was written for; replayed into a new one it would damage it.
            os.replace(companion, target.with_name(target.name + suffix))
    return target
