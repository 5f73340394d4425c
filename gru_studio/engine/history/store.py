"""The run store: every training run, its settings and its epochs, in one SQLite file.

    store, notice = RunStore.open()            # None and a message when it cannot be used
    recorder = RunRecorder()                   # or (run_recorder.py): record a Session's events
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
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from gru_studio import __version__
from gru_studio.engine.errors import reason_of
from gru_studio.engine.files import check_target, run_store, training_text, user_data_dir, write_atomic
from gru_studio.engine.history.summary import EpochFigures, RunSummary, summarize
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
from gru_studio.engine.processes import process_alive
from gru_studio.engine.training.events import EpochRecord

FILE_NAME = "runs.sqlite3"
BUSY_TIMEOUT_S = 10.0  # how long a writer waits for another process's transaction
WRITE_RETRIES = 3  # then the busy timeout again, this many times, before a write gives up
STATUSES = ("running", "finished", "stopped", "diverged", "crashed")

# A run's figures computed again from its epochs, for every run (`runs.id` is each row's own id).
# With a single min() or max(), SQLite takes the other columns from the row that holds it: for
# ties the first in the (run_id, epoch) index's order, the earliest epoch. Part of migration 2:
# never edit, add a migration.
REFIGURE = (
    "UPDATE runs SET (epoch_count, tokens_per_s_sum, last_epoch, last_perplexity, last_val_perplexity) = "
    "(SELECT COUNT(*), TOTAL(tokens_per_s), MAX(epoch), perplexity, val_perplexity FROM epochs "
    "WHERE run_id = runs.id)",
    "UPDATE runs SET (best_val_perplexity, best_val_epoch) = (SELECT MIN(val_perplexity), epoch FROM epochs "
    "WHERE run_id = runs.id AND val_perplexity IS NOT NULL)",
    "UPDATE runs SET (best_perplexity, best_epoch) = (SELECT MIN(perplexity), epoch FROM epochs "
    "WHERE run_id = runs.id)",
)
# One epoch more, in order: the figures follow without reading the run's other epochs. Every
# expression reads the row as it was, so each best's epoch is tested against the old best too.
ADD_TO_FIGURES = """
    UPDATE runs SET
        epoch_count = epoch_count + 1,
        tokens_per_s_sum = tokens_per_s_sum + :speed,
        last_epoch = :epoch, last_perplexity = :ppl, last_val_perplexity = :val,
        best_val_epoch = CASE WHEN :val < best_val_perplexity OR (best_val_perplexity IS NULL AND :val IS NOT NULL)
                         THEN :epoch ELSE best_val_epoch END,
        best_val_perplexity = CASE WHEN :val < best_val_perplexity OR best_val_perplexity IS NULL
                              THEN COALESCE(:val, best_val_perplexity) ELSE best_val_perplexity END,
        best_epoch = CASE WHEN :ppl < best_perplexity OR best_perplexity IS NULL THEN :epoch ELSE best_epoch END,
        best_perplexity = CASE WHEN :ppl < best_perplexity OR best_perplexity IS NULL THEN :ppl ELSE best_perplexity END
    WHERE id = :run
"""

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
    # 2: what each run's epochs add up to, kept in its row as the epochs come, so that listing
    # 1,000 runs reads 1,000 rows instead of 500,000 epochs (RunStore.list); old runs are filled here.
    """
    ALTER TABLE runs ADD COLUMN epoch_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN tokens_per_s_sum REAL NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN last_epoch INTEGER;
    ALTER TABLE runs ADD COLUMN last_perplexity REAL;
    ALTER TABLE runs ADD COLUMN last_val_perplexity REAL;
    ALTER TABLE runs ADD COLUMN best_val_perplexity REAL;
    ALTER TABLE runs ADD COLUMN best_val_epoch INTEGER;
    ALTER TABLE runs ADD COLUMN best_perplexity REAL;
    ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
    """
    + ";\n".join(REFIGURE),
)
SCHEMA_VERSION = len(MIGRATIONS)

# The runs table's columns as `summarize` takes them, in its order.
RUN_FIELDS = ("id", "name", "status", "started", "ended", "corpus_name", "corpus_path", "corpus_sha1", "device")
RUN_FIELDS += ("torch_version", "app_version", "settings", "start_epoch", "sample", "checkpoint", "error")
RUN_COLUMNS = ", ".join(RUN_FIELDS)
# And the figures, in EpochFigures' order (the mean speed is the sum over the count).
FIGURE_COLUMNS = "epoch_count, tokens_per_s_sum, last_epoch, last_perplexity, last_val_perplexity, "
FIGURE_COLUMNS += "best_val_perplexity, best_val_epoch, best_perplexity, best_epoch"
RUN_COLUMN_COUNT = len(RUN_FIELDS)

# A test's guard: a store opened on this thread raises WrongThreadError. The window's tests set it
# to the GUI thread, which must never wait for SQLite (tests/gui/runs/conftest.py); None: no check.
forbidden_thread: threading.Thread | None = None

CSV_COLUMNS = ("run", "name", "epoch", "perplexity", "val_perplexity", "tokens_per_s", "grad_norm", "elapsed_s")


# What a crashed run's error says when its process died: stored as this English text, which,
# having no fields, the window can still look up in the catalogue when it shows the run.
DIED_MID_RUN = QT_TRANSLATE_NOOP("engine", "its process ended mid-run")


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


def default_path() -> Path:
    return user_data_dir() / FILE_NAME


class RunStore:
    """The run database, opened (and migrated) on the calling thread; use it on that thread only.

    Raises StoreUnavailableError when the file cannot be used; `RunStore.open` turns that
    into a message and deals with a corrupt file.
    """

    def __init__(self, path: Path | None = None) -> None:
        if forbidden_thread is not None and threading.current_thread() is forbidden_thread:
            raise WrongThreadError(f"the run store was opened on the thread {forbidden_thread.name!r}")
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit (isolation_level=None): every transaction below is an explicit BEGIN IMMEDIATE,
            # which takes the write lock at once instead of failing halfway on a lock upgrade.
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(cannot_open(self.path, exc)) from exc
        try:
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    @classmethod
    def open(cls, path: Path | None = None) -> tuple[RunStore | None, Phrase | None]:
        """The store and a notice for the user, or None and why runs will not be recorded.

        A file that is not a database (or is damaged) is moved aside as
        `runs.sqlite3.corrupt-<time>` and a new one started; a file that is
        locked for too long, or written by a newer GRU Studio, is left alone.
        Runs that a dead process left running are marked crashed.

        The notice is a Phrase: English text to the command line, translated by the window.
        """
        target = Path(path) if path is not None else default_path()
        notice: Phrase | None = None
        not_recorded = QT_TRANSLATE_NOOP("engine", "{reason}; runs are not recorded")
        try:
            store = cls(target)
        except OSError as exc:  # the folder cannot be made
            return None, phrase(not_recorded, reason=cannot_open(target, exc))
        except StoreUnavailableError as exc:
            if not isinstance(exc.__cause__, sqlite3.DatabaseError) or isinstance(
                exc.__cause__, sqlite3.OperationalError
            ):
                return None, phrase(not_recorded, reason=exc.phrase)
            try:
                moved = move_aside(target)
                store = cls(target)
            except (OSError, StoreUnavailableError) as again:
                return None, phrase(
                    QT_TRANSLATE_NOOP(
                        "engine",
                        "the run store {path} is damaged and could not be replaced ({reason}); runs are not recorded",
                    ),
                    path=target,
                    reason=reason_of(again),
                )
            notice = phrase(
                QT_TRANSLATE_NOOP(
                    "engine", "the run store {path} was damaged; it was moved to {moved} and a new one started"
                ),
                path=target,
                moved=moved.name,
            )
        try:
            store.mark_dead_runs()
        except sqlite3.Error as exc:  # a store that opens but cannot be written: keep reading it
            notice = notice or phrase(
                QT_TRANSLATE_NOOP("engine", "the run store {path} cannot be written ({reason})"),
                path=target,
                reason=str(exc),
            )
        return store, notice

    def _prepare(self) -> None:
        try:
            # A damaged file shows itself at the first read; that is a DatabaseError, not an OperationalError.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
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
            raise StoreUnavailableError(cannot_open(self.path, exc)) from exc

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
        """One epoch, and the run's figures with it (in the same transaction, so they always agree)."""
        row = (run_id, record.epoch, record.perplexity, record.val_perplexity, record.tokens_per_s)
        row += (record.grad_norm, record.elapsed_s)
        with self._write():
            last = self._db.execute("SELECT last_epoch FROM runs WHERE id = ?", (run_id,)).fetchone()
            self._db.execute("INSERT OR REPLACE INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            if last is not None and last[0] is not None and record.epoch <= last[0]:
                self._refigure(run_id)  # an epoch again, or out of order: not what a loop sends, but kept right
            else:
                values = {"run": run_id, "epoch": record.epoch, "ppl": record.perplexity}
                values.update(val=record.val_perplexity, speed=record.tokens_per_s)
                self._db.execute(ADD_TO_FIGURES, values)

    def _refigure(self, run_id: int) -> None:
        for statement in REFIGURE:
            self._db.execute(statement + " WHERE id = ?", (run_id,))

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
        """The final sample and the checkpoint file, known only once the loop is over (or at an autosave).

        A file holds one model: an earlier run that named the same file no longer
        has its model there (a later run's save or autosave replaced it), so it
        loses that name, and "open its model" never opens another run's.
        """
        saved = str(Path(checkpoint).expanduser().absolute()) if checkpoint is not None else None
        with self._write():
            self._db.execute(
                "UPDATE runs SET sample = COALESCE(?, sample), checkpoint = COALESCE(?, checkpoint) WHERE id = ?",
                (sample, saved, run_id),
            )
            if saved is not None:
                self._db.execute("UPDATE runs SET checkpoint = NULL WHERE checkpoint = ? AND id != ?", (saved, run_id))

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
                    "UPDATE runs SET status = 'crashed', error = COALESCE(error, ?) "
                    "WHERE id = ? AND status = 'running'",
                    [(DIED_MID_RUN, run_id) for run_id in dead],
                )
        return len(dead)

    # -- reading and tidying -----------------------------------------------------------

    def list(self) -> list[RunSummary]:
        """Every run, the newest first."""
        return self._summaries(None)

    def get(self, run_id: int) -> RunSummary | None:
        found = self._summaries(int(run_id))
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

    def export_csv(self, run_ids: Sequence[int], path: str | Path, *, force: bool = False) -> int:
        """Write the runs' epochs, one line each, to a CSV file (replaced whole or not at all); rows written.

        Floats are written with repr, so they read back to the very same numbers.
        The file is checked first (files.check_target): never this store nor a
        run's training text; a checkpoint only with `force` (TargetError).
        """
        summaries = []
        for run_id in run_ids:
            summary = self.get(run_id)
            if summary is None:
                raise KeyError(run_id)
            summaries.append(summary)
        sources = {
            source for run in summaries for source in (run.corpus_path, run.settings.get("corpus", {}).get("source"))
        }
        texts = [training_text(source) for source in sources]
        target = check_target(path, protected=[*run_store(self.path), *texts], force=force)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        rows = 0
        for summary in summaries:
            for record in self.history(summary.id):
                values = (record.perplexity, record.val_perplexity, record.tokens_per_s, record.grad_norm)
                writer.writerow(
                    (
                        summary.id,
                        text_cell(summary.name),
                        record.epoch,
                        *[_cell(v) for v in values],
                        _cell(record.elapsed_s),
                    )
                )
                rows += 1
        write_atomic(target, buffer.getvalue().encode("utf-8"))
        return rows

    def _summaries(self, run_id: int | None) -> list[RunSummary]:
        """Every run (or the one run) with its figures, read from the runs table alone.

        The figures are kept in each run's row as its epochs are added (schema 2).
        Adding them up from the epochs instead, all runs in one statement, took
        0.16 - 0.35 s for 1,000 runs of 500 epochs (2 cores, load 0.3 - 3); one query
        per run, as the first version did, 0.23 s and more.
        """
        where = "" if run_id is None else "WHERE id = ?"
        statement = f"SELECT {RUN_COLUMNS}, {FIGURE_COLUMNS} FROM runs {where} ORDER BY id DESC"
        rows = self._db.execute(statement, () if run_id is None else (run_id,)).fetchall()
        return [summarize(row[:RUN_COLUMN_COUNT], figures(row[RUN_COLUMN_COUNT:])) for row in rows]


def figures(row: tuple[Any, ...]) -> EpochFigures:
    count, speed_sum, *rest = row
    return EpochFigures(count, speed_sum / count if count else None, *rest)


# A cell a spreadsheet would read as a formula (OWASP, "CSV injection"): such text is written
# after a single quote, which shows it as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """A name as a CSV cell: as it is, unless a spreadsheet would run it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def cannot_open(path: Path, exc: Exception) -> Phrase:
    # The reason is SQLite's or the OS's own words.
    return phrase(QT_TRANSLATE_NOOP("engine", "cannot open the run store {path}: {reason}"), path=path, reason=str(exc))


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
