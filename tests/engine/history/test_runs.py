"""The run store: what a run records, what a dead or damaged store becomes, and the export."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gru_studio.engine.history.recorder import RunRecorder
from gru_studio.engine.history.store import SCHEMA_VERSION, RunStore, default_path
from gru_studio.engine.training.events import EpochEnd, EpochRecord, Event
from gru_studio.engine.training.run_state import RunState
from gru_studio.engine.training.session import Session
from gru_studio.engine.training.trainer import DivergenceError


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRU_STUDIO_HOME", str(tmp_path))
    return tmp_path


def record(epoch: int, ppl: float, val: float | None = None) -> EpochRecord:
    return EpochRecord(epoch, ppl, val, 1000.0 + epoch, 0.5, 0.1 * epoch)


def test_the_store_lives_in_gru_studio_home(home: Path) -> None:
    assert default_path() == home / "data" / "runs.sqlite3"
    store, notice = RunStore.open()
    assert store is not None and notice is None
    store.close()
    assert (home / "data" / "runs.sqlite3").is_file()


def test_stored_history_equals_what_the_trainer_emitted(home: Path, tiny_settings) -> None:
    corpus_config, model_config, train_config = tiny_settings
    session = Session.new(corpus_config, model_config, train_config)
    recorder = RunRecorder()
    emitted = [event for event in recorder.watch(session, session.train()) if isinstance(event, EpochEnd)]
    assert recorder.run_id is not None and recorder.notice is None

    with RunStore() as store:
        stored = store.history(recorder.run_id)
        run = store.get(recorder.run_id)
    assert stored == session.history  # every field, grad norm and elapsed time included
    assert [(r.epoch, r.perplexity, r.tokens_per_s, r.grad_norm) for r in stored] == [
        (e.epoch, e.perplexity, e.tokens_per_s, e.grad_norm) for e in emitted
    ]
    assert run is not None and run.status == "finished" and run.epochs == 3 and run.ended is not None
    assert run.settings["model"]["hidden"] == 16 and run.settings["train"]["epochs"] == 3
    assert run.corpus_name == session.corpus.name and run.corpus_sha1 and len(run.corpus_sha1) == 40
    assert run.device == "cpu" and run.torch_version and run.app_version


def test_best_is_the_minimum_with_its_epoch(home: Path) -> None:
    with RunStore() as store:
        with_val = _start(store)
        for epoch, (ppl, val) in enumerate([(9.0, 8.0), (7.0, 6.5), (5.0, 6.5), (4.0, 7.0)], start=1):
            store.add_epoch(with_val, record(epoch, ppl, val))
        without_val = _start(store)
        for epoch, ppl in enumerate([9.0, 3.0, 4.0], start=1):
            store.add_epoch(without_val, record(epoch, ppl))
        first, second = store.get(with_val), store.get(without_val)
    assert first is not None and second is not None
    # The lowest validation perplexity, first reached at epoch 2 (epoch 3 ties it), not the last epoch's.
    assert (first.best_perplexity, first.best_epoch, first.best_is_validation) == (6.5, 2, True)
    assert (first.perplexity, first.val_perplexity, first.last_epoch) == (4.0, 7.0, 4)
    assert (second.best_perplexity, second.best_epoch, second.best_is_validation) == (3.0, 2, False)


def _start(store: RunStore) -> int:
    from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig

    return store.start(
        CorpusConfig(source="sample"),
        ModelConfig(hidden=16),
        TrainConfig(epochs=4),
        corpus_name="sample",
        corpus_sha1=None,
        device="cpu",
        torch_version="test",
    )


def read_exported_csv(path: Path) -> list[tuple[dict[str, str], EpochRecord]]:
    """Each row of an exported CSV, with its epoch read back into an EpochRecord (empty cells: None)."""

    def number(text: str) -> float | None:
        return None if text == "" else float(text)

    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        (
            row,
            EpochRecord(
                int(row["epoch"]),
                float(row["perplexity"]),
                number(row["val_perplexity"]),
                float(row["tokens_per_s"]),
                number(row["grad_norm"]),
                number(row["elapsed_s"]),
            ),
        )
        for row in rows
    ]


def test_an_exported_csv_reads_back_to_the_same_numbers(home: Path) -> None:
    with RunStore() as store:
        ids = [_start(store), _start(store)]
        for run_id in ids:
            for epoch in (1, 2, 3):
                store.add_epoch(
                    run_id, EpochRecord(epoch, 1 / 3 + epoch, None if epoch == 2 else 0.1 / epoch, 1e5 / 7, None, 2 / 3)
                )
        store.rename(ids[1], "second, with a comma")
        assert store.export_csv(ids, home / "runs.csv") == 6
        expected = {run_id: store.history(run_id) for run_id in ids}
    rows = read_exported_csv(home / "runs.csv")
    assert len(rows) == 6 and rows[3][0]["name"] == "second, with a comma"
    for row, back in rows:
        assert back in expected[int(row["run"])]  # equal floats, to the last bit


def test_a_corrupt_store_is_moved_aside_and_a_new_one_used(home: Path) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database at all, but a text file of some length" * 100)
    store, notice = RunStore.open()
    assert store is not None and notice is not None and "moved to runs.sqlite3.corrupt-" in notice
    with store:
        run_id = _start(store)
        store.add_epoch(run_id, record(1, 5.0))
        assert [run.id for run in store.list()] == [run_id]
    aside = list(path.parent.glob("runs.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")


def test_a_store_from_a_newer_version_is_left_alone(home: Path) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    store, notice = RunStore.open()
    assert store is None and notice is not None and "newer GRU Studio" in notice
    assert path.read_bytes() == before and not list(path.parent.glob("*.corrupt-*"))


def test_an_empty_file_is_migrated_from_the_first_version(home: Path) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.touch()
    with RunStore() as store:
        _start(store)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_run_left_running_by_a_dead_process_is_marked_crashed(home: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: its pid names no process now
    with RunStore() as store:
        dead, alive = _start(store), _start(store)
        store.add_epoch(dead, record(1, 5.0))
        store._db.execute("UPDATE runs SET pid = ? WHERE id = ?", (gone.pid, dead))
    store, notice = RunStore.open()  # opening marks them
    assert store is not None and notice is None
    with store:
        crashed, running = store.get(dead), store.get(alive)
    assert crashed is not None and crashed.status == "crashed" and crashed.epochs == 1
    assert running is not None and running.status == "running"  # this test's own process still lives


def events_then(error: BaseException, session: Session) -> Iterator[Event]:
    """The session's events up to its first epoch's end, then `error`, as a loop that fails would."""
    for event in session.train():
        yield event
        if isinstance(event, EpochEnd):
            raise error
    raise AssertionError("no epoch ended")


@pytest.mark.parametrize(("error", "status"), [(DivergenceError("nan"), "diverged"), (RuntimeError("bug"), "crashed")])
def test_an_error_ends_the_run_as_diverged_or_crashed(home: Path, tiny_settings, error, status) -> None:
    session = Session.new(*tiny_settings)
    recorder = RunRecorder()
    with pytest.raises(type(error)):
        for _ in recorder.watch(session, events_then(error, session)):
            pass
    with RunStore() as store:
        run = store.get(recorder.run_id or 0)
    assert run is not None and run.status == status and run.error == str(error)


def test_a_consumer_that_walks_away_leaves_the_run_stopped(home: Path, tiny_settings) -> None:
    session = Session.new(*tiny_settings)
    recorder = RunRecorder()
    events = recorder.watch(session, session.train())
    next(event for event in events if isinstance(event, EpochEnd))
    events.close()
    with RunStore() as store:
        run = store.get(recorder.run_id or 0)
    assert run is not None and run.status == "stopped" and run.epochs == 1
    assert session.state == RunState.STOPPED  # the session's own loop was closed too, not left to the collector


def test_delete_and_rename(home: Path) -> None:
    with RunStore() as store:
        ids = [_start(store) for _ in range(3)]
        store.add_epoch(ids[0], record(1, 5.0))
        store.rename(ids[2], "keep")
        for run_id in ids[:2]:
            store.finish(run_id, "finished")  # a run still training is not deleted (test_run_store_hostile.py)
        assert store.delete([ids[0], ids[1], 999]) == 2
        assert [(run.id, run.name) for run in store.list()] == [(ids[2], "keep")]
        assert store.history(ids[0]) == []


def test_an_unusable_store_warns_once_and_the_run_goes_on(home: Path, tiny_settings) -> None:
    (home / "data").mkdir()
    default_path().mkdir()  # a folder where the file should be
    warnings: list[str] = []
    session = Session.new(*tiny_settings)
    recorder = RunRecorder(warn=warnings.append)
    epochs = [event for event in recorder.watch(session, session.train()) if isinstance(event, EpochEnd)]
    assert len(epochs) == 3 and recorder.run_id is None
    assert len(warnings) == 1 and "runs are not recorded" in warnings[0]


def test_the_list_reads_each_runs_figures_as_its_epochs_give_them(home: Path) -> None:
    """The list adds epochs up in SQL, all runs at once; the same figures as from the epochs themselves."""
    import random

    from gru_studio.engine.history.summary import figures_of

    chance = random.Random(14)
    with RunStore() as store:
        ids = [_start(store) for _ in range(6)]
        for n, run_id in enumerate(ids[1:]):  # the first run has no epoch yet
            for epoch in range(1, 2 + n * 7):
                # Few distinct values, so that ties happen; runs with an even n have validation.
                ppl, val = chance.choice([2.0, 3.0, 4.5]), chance.choice([2.5, 3.5]) if n % 2 == 0 else None
                store.add_epoch(run_id, EpochRecord(epoch, ppl, val, chance.random() * 1e5, None, None))
        listed = {run.id: run for run in store.list()}
        assert list(listed) == sorted(ids, reverse=True)  # the newest first
        for run_id in ids:
            rows = [(r.epoch, r.perplexity, r.val_perplexity, r.tokens_per_s) for r in store.history(run_id)]
            figures = figures_of(rows)
            run, alone = listed[run_id], store.get(run_id)
            assert run == alone or run.duration_s != alone.duration_s  # one run read alone reads the same
            assert (run.epochs, run.last_epoch, run.perplexity, run.val_perplexity) == figures[:1] + figures[2:5]
            assert run.tokens_per_s == pytest.approx(figures.tokens_per_s)
            best = figures[5:7] if figures.best_val_perplexity is not None else figures[7:9]
            assert (run.best_perplexity, run.best_epoch) == best
            assert run.best_is_validation == (figures.best_val_perplexity is not None)
        assert listed[ids[0]].epochs == 0 and listed[ids[0]].best_perplexity is None


def test_a_saved_file_belongs_to_the_last_run_that_saved_there(home: Path) -> None:
    with RunStore() as store:
        first, second = _start(store), _start(store)
        store.set_outputs(first, checkpoint=home / "autosave.pt", sample="the first")
        store.set_outputs(second, checkpoint=home / "autosave.pt")  # the next run's autosave replaces the file
        one, two = store.get(first), store.get(second)
    assert one is not None and two is not None
    assert one.checkpoint is None and one.sample == "the first"
    assert two.checkpoint == str(home / "autosave.pt")


def test_outputs_recorded_while_the_run_records_its_epochs_lose_nothing(home: Path, tiny_settings) -> None:
    """The window autosaves on a job thread during the run: set_outputs must not take the recorder's store."""
    session = Session.new(*tiny_settings)
    recorder = RunRecorder()
    events = recorder.watch(session, session.train())
    next(events)
    assert recorder.run_id is not None
    recorder.set_outputs(checkpoint=home / "model.pt")
    rest = list(events)
    assert recorder.notice is None and rest
    with RunStore() as store:
        run = store.get(recorder.run_id)
    assert run is not None and run.epochs == 3 and run.status == "finished"
    assert run.checkpoint == str(home / "model.pt")


def test_a_first_version_store_is_migrated_with_each_runs_figures(home: Path) -> None:
    """Schema 1 kept no figures in the runs' rows; migration 2 adds them up from the epochs already there."""
    from gru_studio.engine.history.store import MIGRATIONS

    path = default_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        for run_id in (1, 2, 3):
            db.execute("INSERT INTO runs (id, status, started, settings) VALUES (?, 'finished', 1.0, '{}')", (run_id,))
        rows = [(1, 1, 9.0, 8.0, 100.0), (1, 2, 7.0, 6.5, 300.0), (1, 3, 5.0, 6.5, 200.0), (2, 1, 4.0, None, 50.0)]
        db.executemany("INSERT INTO epochs VALUES (?, ?, ?, ?, ?, NULL, NULL)", rows)
    with RunStore() as store:
        one, two, three = store.get(1), store.get(2), store.get(3)
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert one is not None and two is not None and three is not None
    assert (one.epochs, one.last_epoch, one.perplexity, one.val_perplexity) == (3, 3, 5.0, 6.5)
    assert (one.best_perplexity, one.best_epoch, one.best_is_validation, one.tokens_per_s) == (6.5, 2, True, 200.0)
    assert (two.best_perplexity, two.best_epoch, two.best_is_validation) == (4.0, 1, False)
    assert (three.epochs, three.best_perplexity, three.tokens_per_s) == (0, None, None)


def test_an_epoch_recorded_again_leaves_the_figures_right(home: Path) -> None:
    with RunStore() as store:
        run_id = _start(store)
        for epoch, ppl in ((1, 9.0), (2, 3.0), (3, 4.0)):
            store.add_epoch(run_id, record(epoch, ppl))
        store.add_epoch(run_id, record(2, 8.0))  # epoch 2 again, worse: the best is now epoch 3's
        run = store.get(run_id)
    assert run is not None and (run.epochs, run.last_epoch, run.perplexity) == (3, 3, 4.0)
    assert (run.best_perplexity, run.best_epoch) == (4.0, 3)
