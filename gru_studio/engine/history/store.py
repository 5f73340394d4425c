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
write that still finds the file busy is retried, then given up (StoreLockedError).

What goes wrong while the store is in use is one of store_errors' kinds, each a
clear line: locked by another process (StoreLockedError), read-only (StoreReadOnlyError),
found damaged (StoreDamagedError: it is moved aside and a new one started, as on
open), a run still training (RunStillTrainingError).

sqlite3 connections belong to the thread that made them, so a RunStore is
used on one thread only; RunRecorder opens its own on the thread that
iterates the events (the training thread, in the window).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from gru_studio import __version__
from gru_studio.engine.errors import reason_of
from gru_studio.engine.files import check_target, run_store, training_text, write_atomic
from gru_studio.engine.history import kept_models

# Names other modules and tests import from here, where they lived before store.py was split.
from gru_studio.engine.history.export import CSV_COLUMNS, csv_text, text_cell  # noqa: F401
from gru_studio.engine.history.schema import (  # noqa: F401
    ADD_TO_FIGURES,
    MIGRATIONS,
    REFIGURE,
    RUN_COLUMN_COUNT,
    SCHEMA_VERSION,
)
from gru_studio.engine.history.store_errors import (  # noqa: F401
    RunStillTrainingError,
    StoreDamagedError,
    StoreError,
    StoreLockedError,
    StoreReadOnlyError,
    StoreUnavailableError,
    WrongThreadError,
    cannot_open,
    move_aside,
    moved_notice,
    not_replaced_notice,
    read_only,
)
from gru_studio.engine.history.store_file import (  # noqa: F401
    BUSY_TIMEOUT_S,
    FILE_NAME,
    INTERACTIVE_WAIT_S,
    NOTICE_AFTER_S,
    WRITE_RETRIES,
    StoreFile,
    default_path,
    guarded,
)
from gru_studio.engine.history.summary import EpochFigures, RunSummary, number, summarize, whole
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase
from gru_studio.engine.processes import process_alive
from gru_studio.engine.training.events import EpochRecord

STATUSES = ("running", "finished", "stopped", "diverged", "crashed")
ID_RANGE = range(-(2**63), 2**63)  # SQLite's INTEGER: an id outside it names no run

# A test's guard: a store opened on this thread raises WrongThreadError. The window's tests set it
# to the GUI thread, which must never wait for SQLite (tests/gui/runs/conftest.py); None: no check.
forbidden_thread: threading.Thread | None = None

# What a crashed run's error says when its process died: stored as this English text, which,
# having no fields, the window can still look up in the catalogue when it shows the run.
DIED_MID_RUN = QT_TRANSLATE_NOOP("engine", "its process ended mid-run")


class RunStore(StoreFile):
    """The run database, opened (and migrated) on the calling thread; use it on that thread only.

    Raises StoreUnavailableError when the file cannot be used; `RunStore.open` turns that
    into a message and deals with a corrupt file.

    Its file, transactions and errors are StoreFile's (store_file.py), and so are its arguments.
    """

    def __init__(self, path: Path | None = None, **options: Any) -> None:
        if forbidden_thread is not None and threading.current_thread() is forbidden_thread:
            raise WrongThreadError(f"the run store was opened on the thread {forbidden_thread.name!r}")
        super().__init__(path, **options)

    @classmethod
    def open(
        cls,
        path: Path | None = None,
        *,
        reading: bool = False,
        wait_s: float = BUSY_TIMEOUT_S,
        retries: int = WRITE_RETRIES,
        on_wait: Callable[[Phrase], None] | None = None,
    ) -> tuple[RunStore | None, Phrase | None]:
        """The store and a notice for the user, or None and why runs will not be recorded.

        A file that is not a database (or is damaged) is moved aside as
        `runs.sqlite3.corrupt-<time>` and a new one started; a file that is
        locked for too long, or written by a newer GRU Studio, is left alone.
        Runs that a dead process left running are marked crashed. `reading`:
        a store that cannot be written is opened read-only (its `read_only` is
        True) rather than refused. The other arguments are RunStore's.

        The notice is a Phrase: English text to the command line, translated by the window.
        """
        target = Path(path) if path is not None else default_path()
        options: dict[str, Any] = {"wait_s": wait_s, "retries": retries, "on_wait": on_wait}
        notice: Phrase | None = None
        not_recorded = QT_TRANSLATE_NOOP("engine", "{reason}; runs are not recorded")
        try:
            store = cls(target, **options)
        except OSError as exc:  # the folder cannot be made
            if reading and read_only(exc) and target.is_file():
                return cls._open_read_only(target, options, cannot_open(target, exc))
            return None, phrase(not_recorded, reason=cannot_open(target, exc))
        except StoreUnavailableError as exc:
            cause = exc.__cause__
            if reading and isinstance(cause, sqlite3.Error) and read_only(cause) and target.is_file():
                return cls._open_read_only(target, options, exc.phrase)
            if not isinstance(cause, sqlite3.DatabaseError) or isinstance(cause, sqlite3.OperationalError):
                return None, phrase(not_recorded, reason=exc.phrase)
            try:
                moved = move_aside(target)
                store = cls(target, **options)
            except (OSError, StoreUnavailableError) as again:
                return None, not_replaced_notice(target, reason_of(again))
            notice = moved_notice(target, moved)
        try:
            store.mark_dead_runs()
        except StoreDamagedError as exc:  # damaged past its first page: moved aside (or not) as above
            if store._broken is not None:
                store.close()
                return None, exc.phrase
            notice = exc.phrase
        except sqlite3.Error as exc:  # a store that opens but cannot be written: keep reading it
            notice = notice or phrase(
                QT_TRANSLATE_NOOP("engine", "the run store {path} cannot be written ({reason})"),
                path=target,
                reason=reason_of(exc),
            )
        return store, notice

    @classmethod
    def _open_read_only(
        cls, target: Path, options: dict[str, Any], why: Phrase
    ) -> tuple[RunStore | None, Phrase | None]:
        try:
            return cls(target, read_only=True, **options), None
        except (OSError, StoreUnavailableError) as exc:
            return None, phrase(QT_TRANSLATE_NOOP("engine", "{reason}; runs are not recorded"), reason=why or exc)

    @guarded
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

    @guarded
    def add_epoch(self, run_id: int, record: EpochRecord) -> None:
        """One epoch, and the run's figures with it (in the same transaction, so they always agree)."""
        row = (run_id, record.epoch, record.perplexity, record.val_perplexity, record.tokens_per_s)
        row += (record.grad_norm, record.elapsed_s)
        with self._write():
            last = self._db.execute("SELECT last_epoch FROM runs WHERE id = ?", (run_id,)).fetchone()
            self._db.execute("INSERT OR REPLACE INTO epochs VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            if last is not None and whole(last[0]) is not None and record.epoch <= last[0]:
                self._refigure(run_id)  # an epoch again, or out of order: not what a loop sends, but kept right
            else:
                values = {"run": run_id, "epoch": record.epoch, "ppl": record.perplexity}
                values.update(val=record.val_perplexity, speed=record.tokens_per_s)
                self._db.execute(ADD_TO_FIGURES, values)

    def _refigure(self, run_id: int) -> None:
        for statement in REFIGURE:
            self._db.execute(statement + " WHERE id = ?", (run_id,))

    @guarded
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

    @guarded
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

    @guarded
    def mark_dead_runs(self) -> int:
        """Mark crashed the runs left "running" by a process of this machine that is gone; how many.

        A run of another machine is left alone: its process cannot be looked at from here.
        """
        if self.read_only:
            return 0
        rows = self._db.execute("SELECT id, pid, host FROM runs WHERE status = 'running'").fetchall()
        dead = [run_id for run_id, pid, host in rows if not still_training(pid, host)]
        if dead:
            with self._write():
                self._mark_crashed(dead)
        return len(dead)

    def _mark_crashed(self, run_ids: Sequence[int]) -> None:
        self._db.executemany(
            # `ended` stays unknown: nothing says when the process died, only that it did.
            "UPDATE runs SET status = 'crashed', error = COALESCE(error, ?) WHERE id = ? AND status = 'running'",
            [(DIED_MID_RUN, run_id) for run_id in run_ids],
        )

    # -- reading and tidying -----------------------------------------------------------

    @guarded
    def list(self) -> list[RunSummary]:
        """Every run, the newest first (by when it started, whatever its status; unknown times last)."""
        runs = self._summaries(None)
        return sorted(runs, key=lambda run: (run.started is not None, run.started or 0.0, run.id), reverse=True)

    @guarded
    def get(self, run_id: int) -> RunSummary | None:
        if int(run_id) not in ID_RANGE:
            return None  # no row has it, and SQLite could not even be asked
        found = self._summaries(int(run_id))
        return found[0] if found else None

    @guarded
    def history(self, run_id: int) -> list[EpochRecord]:
        """The run's epochs in order. A hand-edited value of the wrong kind reads as unknown (None, or NaN
        for a perplexity or a speed); a row whose epoch is not a whole number is left out."""
        if int(run_id) not in ID_RANGE:
            return []
        rows = self._db.execute(
            "SELECT epoch, perplexity, val_perplexity, tokens_per_s, grad_norm, elapsed_s FROM epochs "
            "WHERE run_id = ? ORDER BY epoch",
            (int(run_id),),
        ).fetchall()
        records = []
        for epoch, ppl, val, speed, grad, elapsed in rows:
            if whole(epoch) is None:
                continue
            known = (number(ppl), number(speed))
            records.append(
                EpochRecord(
                    whole(epoch),
                    math.nan if known[0] is None else known[0],
                    number(val),
                    math.nan if known[1] is None else known[1],
                    number(grad),
                    number(elapsed),
                )
            )
        return records

    @guarded
    def rename(self, run_id: int, name: str) -> None:
        with self._write():
            self._db.execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))

    @guarded
    def set_pinned(self, run_id: int, pinned: bool) -> bool:
        """Pin a run (its kept model is never pruned) or unpin it; False when there is no such run."""
        if int(run_id) not in ID_RANGE:
            return False
        with self._write():
            cursor = self._db.execute("UPDATE runs SET pinned = ? WHERE id = ?", (int(bool(pinned)), int(run_id)))
        return cursor.rowcount > 0

    @guarded
    def pinned_ids(self) -> set[int]:
        if self._columns.get("pinned") != "pinned":
            return set()  # a read-only file from before pins
        return {row[0] for row in self._db.execute("SELECT id FROM runs WHERE pinned != 0")}

    @guarded
    def delete(self, run_ids: Iterable[int]) -> int:
        """Delete runs and their epochs; how many runs there were.

        A run still training (its process alive, or on another machine) is refused, the whole
        call with it (RunStillTrainingError): its trainer would go on writing epochs of a run that
        is gone. One left "running" by a process that died is marked crashed, then deleted.
        """
        ids = [(int(run_id),) for run_id in run_ids if int(run_id) in ID_RANGE]
        with self._write():
            running = []
            for (run_id,) in ids:
                row = self._db.execute("SELECT pid, host FROM runs WHERE id = ? AND status = 'running'", (run_id,))
                found = row.fetchone()
                if found is not None:
                    running.append((run_id, *found))
            alive = [(run_id, pid) for run_id, pid, host in running if still_training(pid, host)]
            if alive:
                raise RunStillTrainingError(
                    QT_TRANSLATE_NOOP(
                        "engine", "run {run} is still training (process {pid}); stop it first, then delete it"
                    ),
                    run=alive[0][0],
                    pid=alive[0][1],
                )
            self._mark_crashed([run_id for run_id, _, _ in running])
            self._db.executemany("DELETE FROM epochs WHERE run_id = ?", ids)
            before = self._db.total_changes
            self._db.executemany("DELETE FROM runs WHERE id = ?", ids)
            return self._db.total_changes - before

    def models_folder(self) -> Path:
        """Where the window keeps each run's model: `models` beside this store (kept_models.models_folder)."""
        return self.path.parent / "models"

    @guarded
    def delete_kept_model(self, run_id: int, folder: Path | None = None) -> Path | None:
        """Delete the model kept for a run (kept_models: `run-<id>.pt` in `folder`, by default the
        models folder beside this store); the run no longer names it. The deleted file, or None
        when there was none. A checkpoint saved elsewhere (`train --save`) is never touched."""
        path = kept_models.kept_model_path(run_id, folder or self.models_folder())
        try:
            os.remove(path)
        except FileNotFoundError:
            return None
        with self._write():
            self._db.execute("UPDATE runs SET checkpoint = NULL WHERE checkpoint = ?", (str(path.absolute()),))
        return path

    @guarded
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
        texts = [training_text(source) for source in sources if source is None or isinstance(source, str)]
        target = check_target(path, protected=[*run_store(self.path), *texts], force=force)
        runs = [(summary, self.history(summary.id)) for summary in summaries]
        write_atomic(target, csv_text(runs).encode("utf-8"))
        return sum(len(history) for _, history in runs)

    def _summaries(self, run_id: int | None) -> list[RunSummary]:
        """Every run (or the one run) with its figures, read from the runs table alone.

        The figures are kept in each run's row as its epochs are added (schema 2).
        Adding them up from the epochs instead, all runs in one statement, took
        0.16 - 0.35 s for 1,000 runs of 500 epochs (2 cores, load 0.3 - 3); one query
        per run, as the first version did, 0.23 s and more.
        """
        where = "" if run_id is None else "WHERE id = ?"
        columns = ", ".join(self._columns.values())
        statement = f"SELECT {columns} FROM runs {where} ORDER BY id DESC"
        rows = self._db.execute(statement, () if run_id is None else (run_id,)).fetchall()
        return [summarize(row[:RUN_COLUMN_COUNT], figures(row[RUN_COLUMN_COUNT:])) for row in rows]


def still_training(pid: object, host: object) -> bool:
    """Whether a run left "running" by process `pid` of machine `host` may still be training: its
    process is alive, or it is of another machine, whose processes cannot be looked at from here."""
    if host != socket.gethostname():
        return host is not None
    known = whole(pid)
    return known is not None and known > 0 and process_alive(known)


def figures(row: tuple[Any, ...]) -> EpochFigures:
    count, speed_sum, *rest = row
    count, speed_sum = whole(count), number(speed_sum)
    mean = speed_sum / count if count and speed_sum is not None else None
    return EpochFigures(count, mean, *rest)
