"""The run store's file: opening it (read-write or read-only), migrating it, its write transactions,
and what SQLite's errors mean for it (locked, read-only, damaged), for RunStore (store.py) to build on.

A write waits for another process's lock (SQLite's busy timeout), says once what it waits for
(`on_wait`), retries, then gives up with StoreLockedError. A read or write that fails with a
DatabaseError runs PRAGMA quick_check; a damaged file is moved aside, as opening one is, and a
new one started (StoreDamagedError says so), so that later runs are recorded again.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from gru_studio.engine.errors import reason_of
from gru_studio.engine.files import user_data_dir
from gru_studio.engine.history.schema import FIGURE_COLUMNS, MIGRATIONS, RUN_FIELDS, SCHEMA_VERSION
from gru_studio.engine.history.store_errors import (
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreUnavailableError,
    busy,
    cannot_open,
    damage_suspected,
    move_aside,
    moved_notice,
    not_replaced_notice,
    read_only,
)
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase

FILE_NAME = "runs.sqlite3"
BUSY_TIMEOUT_S = 10.0  # how long a writer waits for another process's transaction
WRITE_RETRIES = 3  # then the busy timeout again, this many times, before a write gives up (StoreLockedError)
# A command the user waits on (`runs delete`, the window's Rename) waits this long, once, then says
# the store is locked: a training run's epoch is a short transaction, a longer lock is a process at work.
INTERACTIVE_WAIT_S = 2.0
NOTICE_AFTER_S = 0.5  # a writer that waits longer than this says what it waits for (on_wait), once

Result = TypeVar("Result")
Store = TypeVar("Store", bound="StoreFile")


def default_path() -> Path:
    return user_data_dir() / FILE_NAME


def guarded(method: Callable[..., Result]) -> Callable[..., Result]:
    """Turn SQLite's errors into the store's own: locked, read-only, damaged (then moved aside)."""

    @functools.wraps(method)
    def wrapper(self: StoreFile, *args: Any, **kwargs: Any) -> Result:
        if self._broken is not None:
            raise self._broken
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except sqlite3.Error as exc:
            if busy(exc):
                raise StoreLockedError(self.path) from exc
            if read_only(exc):
                raise StoreReadOnlyError(self.path) from exc
            if damage_suspected(exc):
                self._check_damage(exc)
            raise

    return wrapper


class StoreFile:
    """The file under a RunStore: its connection, schema and transactions; used on one thread only.

    read_only: open the file with SQLite's mode=ro (reading needs no write access); writes
    raise StoreReadOnlyError. wait_s, retries: how long a write waits for another process's lock
    (wait_s, retries + 1 times) before it raises StoreLockedError. on_wait: called once, with what
    it waits for, when a write has waited NOTICE_AFTER_S (`train` says it on stderr).
    Raises StoreUnavailableError when the file cannot be used.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        wait_s: float = BUSY_TIMEOUT_S,
        retries: int = WRITE_RETRIES,
        on_wait: Callable[[Phrase], None] | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.read_only = read_only
        self.wait_s, self.retries, self.on_wait = wait_s, retries, on_wait
        self._waited = False  # on_wait was called
        self._broken: StoreDamagedError | None = None  # damaged and not replaced: every call says so
        self._columns: dict[str, str] = {}  # each column read, by name: itself, or a stand-in in an older file
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        """A connection to self.path, prepared (migrated unless read-only); StoreUnavailableError if not."""
        try:
            if self.read_only:
                return self._connect_read_only()
            # Autocommit (isolation_level=None): every transaction below is an explicit BEGIN IMMEDIATE,
            # which takes the write lock at once instead of failing halfway on a lock upgrade.
            db = sqlite3.connect(self.path, timeout=self.wait_s, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(cannot_open(self.path, exc)) from exc
        self._inode = _inode(self.path)
        try:
            self._prepare(db)
        except BaseException:
            db.close()
            raise
        return db

    def _connect_read_only(self) -> sqlite3.Connection:
        uri = "file:" + quote(str(self.path.absolute())) + "?mode=ro"
        db = None
        try:
            db = sqlite3.connect(uri, uri=True, timeout=self.wait_s, isolation_level=None)
            self._prepare(db)
        except StoreUnavailableError as exc:
            if db is not None:
                db.close()
            if not isinstance(exc.__cause__, sqlite3.OperationalError) or busy(exc.__cause__):
                raise
            # A WAL file's reader needs its -shm file; in a folder that cannot be written it cannot be
            # made, so the file is read as it is (immutable): what the last checkpoint wrote into it.
            db = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=self.wait_s, isolation_level=None)
            try:
                self._prepare(db)
            except BaseException:
                db.close()
                raise
        self._inode = _inode(self.path)
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        try:
            # A damaged file shows itself at the first read; that is a DatabaseError, not an OperationalError.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:  # before any change to the file, WAL mode included
                raise StoreUnavailableError(
                    phrase(
                        QT_TRANSLATE_NOOP(
                            "engine",
                            "the run store {path} was written by a newer GRU Studio (schema {version}, "
                            "this one knows {known}); it is left as it is",
                        ),
                        path=self.path,
                        version=version,
                        known=SCHEMA_VERSION,
                    )
                )
            db.execute(f"PRAGMA busy_timeout = {int(self.wait_s * 1000)}")
            if not self.read_only:
                if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                    raise sqlite3.OperationalError("cannot switch to WAL mode")
                # A killed process loses nothing committed in WAL mode with NORMAL; only a power cut could.
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("PRAGMA foreign_keys = ON")
                if version < SCHEMA_VERSION:
                    self._migrate(db)
            # A file that is a database but not ours (or lost a table) cannot record runs.
            db.execute("SELECT id FROM runs LIMIT 0")
            db.execute("SELECT run_id FROM epochs LIMIT 0")
            # A read-only file of an older schema cannot be migrated: its missing columns read as unknown.
            present = {row[1] for row in db.execute("PRAGMA table_info(runs)")}
            wanted = list(RUN_FIELDS) + [name.strip() for name in FIGURE_COLUMNS.split(",")]
            self._columns = {name: name if name in present else "NULL" for name in wanted}
        except sqlite3.Error as exc:
            raise StoreUnavailableError(cannot_open(self.path, exc)) from exc

    def _migrate(self, db: sqlite3.Connection) -> None:
        with self._write(db):
            # Read again inside the lock: another process may have migrated meanwhile.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number_ in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number_].split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self: Store) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self, db: sqlite3.Connection | None = None) -> Iterator[None]:
        """One short write transaction; waits for other writers (busy timeout), retries, then StoreLockedError."""
        if self.read_only:
            raise StoreReadOnlyError(self.path)
        db = db or self._db
        self._begin(db)
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the error that brought us here is the one to report
                    db.execute("ROLLBACK")
            raise

    def _begin(self, db: sqlite3.Connection) -> None:
        # A first try with a short wait, so that a longer wait is announced before it starts.
        db.execute(f"PRAGMA busy_timeout = {int(min(self.wait_s, NOTICE_AFTER_S) * 1000)}")
        try:
            if _took_lock(db):
                return
            if self.on_wait is not None and not self._waited:
                self._waited = True
                wait = round(self.wait_s * (self.retries + 1))
                self.on_wait(
                    phrase(
                        QT_TRANSLATE_NOOP(
                            "engine",
                            "the run store {path} is locked by another GRU Studio process; "
                            "waiting up to {seconds} s for it",
                        ),
                        path=self.path,
                        seconds=wait,
                    )
                )
            db.execute(f"PRAGMA busy_timeout = {int(self.wait_s * 1000)}")
            if any(_took_lock(db) for _ in range(self.retries + 1)):
                return
            raise StoreLockedError(self.path)
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(self.wait_s * 1000)}")

    def _check_damage(self, error: sqlite3.Error) -> None:
        """After `error`: if PRAGMA quick_check finds the file damaged, move it aside as `open` does, start a
        new one and raise StoreDamagedError saying so; else return (the caller raises `error`)."""
        try:
            if self._db.execute("PRAGMA quick_check").fetchall() == [("ok",)]:
                return
        except sqlite3.OperationalError as exc:
            # Locked, or an I/O error (a disk gone, a network share's hiccup): nothing says the file is
            # damaged, and a sound store moved aside would lose every run from the user's view.
            if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_CORRUPT"):
                return
        except sqlite3.DatabaseError:
            pass  # too damaged even to check (SQLITE_CORRUPT, SQLITE_NOTADB)
        self._db.close()
        try:
            if self.read_only:
                raise StoreReadOnlyError(self.path)
            if _inode(self.path) != self._inode:
                # Another process found the damage first and replaced the file: use its new one.
                self._db = self._connect()
                raise StoreDamagedError(
                    QT_TRANSLATE_NOOP("engine", "the run store {path} was damaged and has been replaced by a new one"),
                    path=self.path,
                ) from error
            moved = move_aside(self.path)
            self._db = self._connect()
        except (OSError, StoreUnavailableError, StoreReadOnlyError) as again:
            self._broken = StoreDamagedError(not_replaced_notice(self.path, reason_of(again)))
            self._db = sqlite3.connect(":memory:")  # closed or not, never the damaged file again
            raise self._broken from error
        raise StoreDamagedError(moved_notice(self.path, moved)) from error

    # -- recording ------------------------------------------------------------------


def _took_lock(db: sqlite3.Connection) -> bool:
    """Begin a write transaction (taking the write lock at once); False when another process holds it
    past the connection's busy timeout. Any other error is raised."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if not busy(exc):
            raise
        return False
    return True


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
