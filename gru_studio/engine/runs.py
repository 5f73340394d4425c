"""The run store: every training run, its settings and its epochs, in one SQLite file.

    store, notice = RunStore.open()            # None and a message when it cannot be used
    recorder = RunRecorder()                   # or: record a Session's events as they pass
    for event in recorder.watch(session, session.train()):
        ...

The file is `runs.sqlite3` in the per-user data folder (so $GRU_STUDIO_HOME
moves it with the autosave). It is written as the run goes, one short
transaction per epoch, in WAL mode: a killed process loses at most the epoch
it was in, and its run, left "running", is marked crashed by the next process
that opens the store (`mark_dead_runs`). Several processes may write at once:
SQLite's busy timeout makes a writer wait for another's transaction, and a
write that still finds the file busy is retried.

sqlite3 connections belong to the thread that made them, so a RunStore is
used on one thread only; RunRecorder opens its own on the thread that
iterates the events (the training thread, in the window).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gru_studio import __version__
from gru_studio.engine.events import EpochEnd, EpochRecord, Event, Finished
from gru_studio.engine.files import user_data_dir, write_atomic

FILE_NAME = "runs.sqlite3"
BUSY_TIMEOUT_S = 10.0  # how long a writer waits for another process's transaction
WRITE_RETRIES = 3  # then the busy timeout again, this many times, before a write gives up
STATUSES = ("running", "finished", "stopped", "diverged", "crashed")

# Each entry takes the schema from version i to i + 1; PRAGMA user_version holds
# the version a file has. Never edit an entry once released: add one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        started REAL NOT NULL,
        ended REAL,
        pid INTEGER,
        host TEXT,
        corpus_name TEXT,
        corpus_path TEXT,
        corpus_sha1 TEXT,
        device TEXT,
        torch_version TEXT,
        app_version TEXT,
        settings TEXT NOT NULL,
        start_epoch INTEGER NOT NULL DEFAULT 0,
        sample TEXT,
        checkpoint TEXT,
        error TEXT
    );
    CREATE TABLE epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        perplexity REAL NOT NULL,
        val_perplexity REAL,
        tokens_per_s REAL NOT NULL,
        grad_norm REAL,
        elapsed_s REAL,
        PRIMARY KEY (run_id, epoch)
    );
    CREATE INDEX runs_status ON runs(status);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

CSV_COLUMNS = ("run", "name", "epoch", "perplexity", "val_perplexity", "tokens_per_s", "grad_norm", "elapsed_s")


class StoreUnavailableError(Exception):
    """The store cannot be used; the message says why and what happened to the file."""


@dataclass(frozen=True)
class RunSummary:
    """One run as the list shows it, with everything it was started with."""

    id: int
    name: str
    status: str
    started: float  # Unix time
    ended: float | None
    corpus_name: str | None
    corpus_path: str | None
    corpus_sha1: str | None
    device: str | None
    torch_version: str | None
    app_version: str | None
    settings: dict[str, dict[str, Any]]  # {"corpus": ..., "model": ..., "train": ...}
    start_epoch: int  # the model's epoch when the run started (0 unless continued)
    sample: str | None
    checkpoint: str | None
    error: str | None
    epochs: int  # epochs this run recorded
    last_epoch: int | None  # over the model's life
    perplexity: float | None  # of the last recorded epoch
    val_perplexity: float | None
    best_perplexity: float | None  # the lowest validation perplexity, or training perplexity without validation
    best_epoch: int | None  # where it was reached (the first such epoch)
    best_is_validation: bool
    tokens_per_s: float | None  # mean over the recorded epochs
    duration_s: float | None  # wall time from start to end (or to now, while running)

    @property
    def model(self) -> str:
        return str(self.settings.get("model", {}).get("kind", "?"))

    @property
    def hidden(self) -> int | None:
        return self.settings.get("model", {}).get("hidden")

    @property
    def target_epochs(self) -> int | None:
        return self.settings.get("train", {}).get("epochs")

    def as_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values.update(model=self.model, hidden=self.hidden, target_epochs=self.target_epochs)
        return values


def default_path() -> Path:
    return user_data_dir() / FILE_NAME


class RunStore:
    """The run database, opened (and migrated) on the calling thread; use it on that thread only.

    Raises StoreUnavailableError when the file cannot be used; `RunStore.open` turns that
    into a message and deals with a corrupt file.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit (isolation_level=None): every transaction below is an explicit BEGIN IMMEDIATE,
            # which takes the write lock at once instead of failing halfway on a lock upgrade.
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"cannot open the run store {self.path}: {exc}") from exc
        try:
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def open(cls, path: Path | None = None) -> tuple[RunStore | None, str | None]:
        """The store and a notice for the user, or None and why runs will not be recorded.

        A file that is not a database (or is damaged) is moved aside as
        `runs.sqlite3.corrupt-<time>` and a new one started; a file that is
        locked for too long, or written by a newer GRU Studio, is left alone.
        Runs that a dead process left running are marked crashed.
        """
        target = Path(path) if path is not None else default_path()
        notice = None
        try:
            store = cls(target)
        except OSError as exc:  # the folder cannot be made
            return None, f"cannot open the run store {target}: {exc}; runs are not recorded"
        except StoreUnavailableError as exc:
            if not isinstance(exc.__cause__, sqlite3.DatabaseError) or isinstance(
                exc.__cause__, sqlite3.OperationalError
            ):
                return None, f"{exc}; runs are not recorded"
            try:
                moved = move_aside(target)
                store = cls(target)
            except (OSError, StoreUnavailableError) as again:
                return (
                    None,
                    f"the run store {target} is damaged and could not be replaced ({again}); runs are not recorded",
                )
            notice = f"the run store {target} was damaged; it was moved to {moved.name} and a new one started"
        try:
            store.mark_dead_runs()
        except sqlite3.Error as exc:  # a store that opens but cannot be written: keep reading it
            notice = notice or f"the run store {target} cannot be written ({exc})"
        return store, notice

    def _prepare(self) -> None:
        try:
            # A damaged file shows itself at the first read; that is a DatabaseError, not an OperationalError.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:  # before any change to the file, WAL mode included
                raise StoreUnavailableError(
                    f"the run store {self.path} was written by a newer GRU Studio (schema {version}, "
                    f"this one knows {SCHEMA_VERSION}); it is left as it is"
                )
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            if self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise sqlite3.OperationalError("cannot switch to WAL mode")
            # A killed process loses nothing committed in WAL mode with NORMAL; only a power cut could.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            if version < SCHEMA_VERSION:
                self._migrate()
            # A file that is a database but not ours (or lost a table) cannot record runs.
            self._db.execute("SELECT id FROM runs LIMIT 0")
            self._db.execute("SELECT run_id FROM epochs LIMIT 0")
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"cannot open the run store {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        with self._write():
            # Read again inside the lock: another process may have migrated meanwhile.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One short write transaction; waits for other writers (busy timeout), then retries."""
        for attempt in range(WRITE_RETRIES + 1):
            try:
                self._db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if attempt == WRITE_RETRIES or not _busy(exc):
                    raise
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- recording ------------------------------------------------------------------

    def start(
        self,
        corpus_config: Any,
        model_config: Any,
        train_config: Any,
        *,
        corpus_name: str,
        corpus_sha1: str | None,
        device: str,
        start_epoch: int = 0,
        torch_version: str | None = None,
        name: str = "",
    ) -> int:
        """Record a run that starts now, by this process; returns its id."""
        settings = {
            "corpus": dataclasses.asdict(corpus_config),
            "model": dataclasses.asdict(model_config),
            "train": dataclasses.asdict(train_config),
        }
        source = str(getattr(corpus_config, "source", ""))
        path = str(Path(source).expanduser().absolute()) if Path(source).expanduser().exists() else source
        if torch_version is None:
            import torch

            torch_version = torch.__version__
        with self._write():
            cursor = self._db.execute(
                "INSERT INTO runs (name, status, started, pid, host, corpus_name, corpus_path, corpus_sha1, "
                "device, torch_version, app_version, settings, start_epoch) "
                "VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    time.time(),
                    os.getpid(),
                    socket.gethostname(),
                    corpus_name,
                    path,
                    corpus_sha1,
                    device,
                    torch_version,
                    __version__,
                    json.dumps(settings, default=str),
                    start_epoch,
                ),
            )
        run_id = cursor.lastrowid
        assert run_id is not None
        return run_id

    def add_epoch(self, run_id: int, record: EpochRecord) -> None:
        with self._write():
            self._db.execute(
                "INSERT OR REPLACE INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    record.epoch,
                    record.perplexity,
                    record.val_perplexity,
                    record.tokens_per_s,
                    record.grad_norm,
                    record.elapsed_s,
                ),
            )

    def finish(
        self,
        run_id: int,
        status: str,
        *,
        sample: str | None = None,
        checkpoint: str | Path | None = None,
        error: str | None = None,
    ) -> None:
        """Record how the run ended; a sample or checkpoint given later goes through `set_outputs`."""
        if status not in STATUSES or status == "running":
            raise ValueError(f"not an end status: {status!r}")
        with self._write():
            self._db.execute(
                "UPDATE runs SET status = ?, ended = ?, error = COALESCE(?, error) WHERE id = ?",
                (status, time.time(), error, run_id),
            )
        if sample is not None or checkpoint is not None:
            self.set_outputs(run_id, sample=sample, checkpoint=checkpoint)

    def set_outputs(self, run_id: int, *, sample: str | None = None, checkpoint: str | Path | None = None) -> None:
        """The final sample and the checkpoint file, known only once the loop is over."""
        saved = str(Path(checkpoint).expanduser().absolute()) if checkpoint is not None else None
        with self._write():
            self._db.execute(
                "UPDATE runs SET sample = COALESCE(?, sample), checkpoint = COALESCE(?, checkpoint) WHERE id = ?",
                (sample, saved, run_id),
            )

    def mark_dead_runs(self) -> int:
        """Mark crashed the runs left "running" by a process of this machine that is gone; how many.

        A run of another machine is left alone: its process cannot be looked at from here.
        """
        host = socket.gethostname()
        rows = self._db.execute("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", (host,)).fetchall()
        dead = [run_id for run_id, pid in rows if pid is None or not process_alive(int(pid))]
        if dead:
            with self._write():
                self._db.executemany(
                    # `ended` stays unknown: nothing says when the process died, only that it did.
                    "UPDATE runs SET status = 'crashed', error = COALESCE(error, 'its process ended mid-run') "
                    "WHERE id = ? AND status = 'running'",
                    [(run_id,) for run_id in dead],
                )
        return len(dead)

    # -- reading and tidying -----------------------------------------------------------

    def list(self) -> list[RunSummary]:
        """Every run, the newest first."""
        return self._summaries("", ())

    def get(self, run_id: int) -> RunSummary | None:
        found = self._summaries("WHERE id = ?", (run_id,))
        return found[0] if found else None

    def history(self, run_id: int) -> list[EpochRecord]:
        rows = self._db.execute(
            "SELECT epoch, perplexity, val_perplexity, tokens_per_s, grad_norm, elapsed_s FROM epochs "
            "WHERE run_id = ? ORDER BY epoch",
            (run_id,),
        ).fetchall()
        return [EpochRecord(*row) for row in rows]

    def rename(self, run_id: int, name: str) -> None:
        with self._write():
            self._db.execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))

    def delete(self, run_ids: Iterable[int]) -> int:
        """Delete runs and their epochs; how many runs there were."""
        ids = [(int(run_id),) for run_id in run_ids]
        with self._write():
            self._db.executemany("DELETE FROM epochs WHERE run_id = ?", ids)
            before = self._db.total_changes
            self._db.executemany("DELETE FROM runs WHERE id = ?", ids)
            return self._db.total_changes - before

    def export_csv(self, run_ids: Sequence[int], path: str | Path) -> int:
        """Write the runs' epochs, one line each, to a CSV file (replaced whole or not at all); rows written.

        Floats are written with repr, so they read back to the very same numbers.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        rows = 0
        for run_id in run_ids:
            summary = self.get(run_id)
            if summary is None:
                raise KeyError(run_id)
            for record in self.history(run_id):
                values = (record.perplexity, record.val_perplexity, record.tokens_per_s, record.grad_norm)
                writer.writerow(
                    (run_id, summary.name, record.epoch, *[_cell(v) for v in values], _cell(record.elapsed_s))
                )
                rows += 1
        write_atomic(Path(path), buffer.getvalue().encode("utf-8"))
        return rows

    def _summaries(self, where: str, params: tuple[Any, ...]) -> list[RunSummary]:
        columns = (
            "id, name, status, started, ended, corpus_name, corpus_path, corpus_sha1, device, "
            "torch_version, app_version, settings, start_epoch, sample, checkpoint, error"
        )
        runs = self._db.execute(f"SELECT {columns} FROM runs {where} ORDER BY id DESC", params).fetchall()
        summaries = []
        for row in runs:
            epochs = self._db.execute(
                "SELECT epoch, perplexity, val_perplexity, tokens_per_s FROM epochs WHERE run_id = ? ORDER BY epoch",
                (row[0],),
            ).fetchall()
            summaries.append(_summary(row, epochs))
        return summaries


def _summary(row: tuple[Any, ...], epochs: list[tuple[Any, ...]]) -> RunSummary:
    run_id, name, status, started, ended, *rest = row
    corpus_name, corpus_path, corpus_sha1, device, torch_version, app_version, settings, start_epoch = rest[:8]
    sample, checkpoint, error = rest[8:]
    with_val = [(ppl, epoch) for epoch, _, ppl, _ in epochs if ppl is not None]
    candidates = with_val or [(ppl, epoch) for epoch, ppl, _, _ in epochs]
    best = min(candidates) if candidates else None  # ties: the earlier epoch, by the tuple's order
    last = epochs[-1] if epochs else None
    end = ended if ended is not None else (time.time() if status == "running" else None)
    try:
        parsed = json.loads(settings)
    except ValueError:
        parsed = {}
    return RunSummary(
        id=run_id,
        name=name,
        status=status,
        started=started,
        ended=ended,
        corpus_name=corpus_name,
        corpus_path=corpus_path,
        corpus_sha1=corpus_sha1,
        device=device,
        torch_version=torch_version,
        app_version=app_version,
        settings=parsed,
        start_epoch=start_epoch,
        sample=sample,
        checkpoint=checkpoint,
        error=error,
        epochs=len(epochs),
        last_epoch=last[0] if last else None,
        perplexity=last[1] if last else None,
        val_perplexity=last[2] if last else None,
        best_perplexity=best[0] if best else None,
        best_epoch=best[1] if best else None,
        best_is_validation=bool(with_val),
        tokens_per_s=sum(e[3] for e in epochs) / len(epochs) if epochs else None,
        duration_s=None if end is None else max(end - started, 0.0),
    )


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


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


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a reused id reads as alive: no harm done)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _windows_process_alive(pid: int) -> bool:
    # os.kill on Windows would terminate the process, whatever the signal: ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


class RunRecorder:
    """Records a Session's runs in the store as their events pass by; the loop does not know.

    The store is opened on the thread that iterates (sqlite3 connections stay
    on the thread that made them). When it cannot be opened, or a write fails,
    `warn` is called once with the reason and the run goes on unrecorded:
    recording is never a reason for training to stop.
    """

    def __init__(self, path: Path | None = None, warn: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.warn = warn or (lambda text: None)
        self.run_id: int | None = None
        self.notice: str | None = None  # the last thing passed to warn
        self._store: RunStore | None = None
        self._ended = False  # the run's end is recorded

    def watch(self, session: Any, events: Iterator[Event]) -> Iterator[Event]:
        """`events` (from `session.train()`), unchanged, recording the run as they pass."""
        self.run_id, self._ended = None, False
        self._store = self._open()
        try:
            self._safely(lambda store: self._start(store, session))
            for event in events:
                if isinstance(event, EpochEnd) and session.history:
                    record = session.history[-1]  # the same epoch, with the model's training time
                    self._safely(lambda store, record=record: store.add_epoch(self._id(), record))
                elif isinstance(event, Finished):
                    status = "finished" if event.reason == "completed" else "stopped"
                    self._safely(lambda store, status=status: store.finish(self._id(), status))
                    self._ended = True
                yield event
        except GeneratorExit:
            self._end("stopped")  # the consumer walked away (the window's Stop, Ctrl-C): nothing trains on
            raise
        except Exception as exc:
            from gru_studio.engine.trainer import DivergenceError  # the trainer pulls in torch; this module need not

            self._end("diverged" if isinstance(exc, DivergenceError) else "crashed", str(exc))
            raise
        except BaseException:
            self._end("stopped")  # KeyboardInterrupt, SystemExit: the user ended it
            raise
        finally:
            close = getattr(events, "close", None)
            if close is not None:
                close()  # the session's loop ends now (its state: stopped), not whenever it is collected
            self.close()

    def set_outputs(self, *, sample: str | None = None, checkpoint: str | Path | None = None) -> None:
        """The final sample and the saved checkpoint, once the run's loop is over; on any thread."""
        if self.run_id is None:
            return
        # A store of its own: this may be another thread than the one that recorded the run.
        self._store, _ = RunStore.open(self.path)
        try:
            self._safely(lambda store: store.set_outputs(self._id(), sample=sample, checkpoint=checkpoint))
        finally:
            self.close()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def _open(self) -> RunStore | None:
        if self._store is not None:
            return self._store
        store, notice = RunStore.open(self.path)
        if notice is not None:
            self._say(notice)
        return store

    def _start(self, store: RunStore, session: Any) -> None:
        from gru_studio.engine.checkpoint import text_fingerprint

        self.run_id = store.start(
            session.corpus_config,
            session.model_config,
            session.train_config,
            corpus_name=session.corpus.name,
            corpus_sha1=text_fingerprint(session.corpus.tokens),
            device=str(session.device),
            start_epoch=session.epoch,
        )

    def _end(self, status: str, error: str | None = None) -> None:
        if self.run_id is not None and not self._ended:
            self._safely(lambda store: store.finish(self._id(), status, error=error))
            self._ended = True

    def _id(self) -> int:
        assert self.run_id is not None
        return self.run_id

    def _safely(self, action: Callable[[RunStore], Any]) -> Any:
        if self._store is None:
            return None
        try:
            return action(self._store)
        except sqlite3.Error as exc:
            self._say(f"the run store {self._store.path} could not be written ({exc}); this run is not recorded")
            self._store.close()
            self._store = None
            return None

    def _say(self, text: str) -> None:
        self.notice = text
        self.warn(text)
