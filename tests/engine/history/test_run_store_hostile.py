"""The run store against what a hostile round did to it (issue 28): a file damaged mid-way, rows edited by
hand, huge ids, deleting a run still training, a read-only store, another process's lock; and pins (issue 30)."""

from __future__ import annotations

import math
import os
import pickle
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.history import kept_models
from gru_studio.engine.history.columns import COLUMNS, differing, shown, sort_key
from gru_studio.engine.history.schema import MIGRATIONS
from gru_studio.engine.history.store import RunStore, default_path
from gru_studio.engine.history.store_errors import (
    RunStillTrainingError,
    StoreDamagedError,
    StoreLockedError,
    StoreReadOnlyError,
)
from gru_studio.engine.history.summary import settings_to_repeat
from gru_studio.engine.training.events import EpochRecord


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRU_STUDIO_HOME", str(tmp_path))
    return tmp_path


def start(store: RunStore, name: str = "", gates: str = "full") -> int:
    return store.start(
        CorpusConfig(source="sample"),
        ModelConfig(hidden=16, gates=gates),
        TrainConfig(epochs=4),
        corpus_name="sample",
        corpus_sha1=None,
        device="cpu",
        torch_version="test",
        name=name,
    )


def finished_runs(count: int, name: str = "") -> list[int]:
    with RunStore() as store:
        ids = [start(store, name) for _ in range(count)]
        for run_id in ids:
            store.add_epoch(run_id, EpochRecord(1, 5.0, 6.0, 1000.0, 0.5, 0.1))
            store.finish(run_id, "finished")
    return ids


def damage_mid_file(path: Path) -> None:
    """Overwrite a stretch in the middle of the file: the header and the schema (page 1) stay intact."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every run in the main file, none left in the WAL
    size = path.stat().st_size
    assert size > 64 * 1024, "too small a store to damage past its first pages"
    with open(path, "r+b") as f:
        f.seek(size // 2)
        f.write(b"\xff" * 16384)


def test_a_store_damaged_mid_file_is_moved_aside_when_read_and_a_new_one_records(home: Path) -> None:
    finished_runs(200, name="a long name to fill the pages " * 4)
    damage_mid_file(default_path())
    store = RunStore(default_path())  # the header is intact: it opens
    with store:
        with pytest.raises(StoreDamagedError, match=r"was damaged; it was moved to runs\.sqlite3\.corrupt-"):
            store.list()
        assert store.list() == []  # the same store goes on, on a new file
        run_id = start(store)
    aside = [p for p in default_path().parent.glob("runs.sqlite3.corrupt-*") if not p.name.endswith(("wal", "shm"))]
    assert len(aside) == 1
    with RunStore() as store:
        assert [run.id for run in store.list()] == [run_id]


def test_opening_a_store_damaged_mid_file_says_so_once_and_records_again(home: Path) -> None:
    finished_runs(200, name="a long name to fill the pages " * 4)
    with sqlite3.connect(default_path()) as db:  # a run left running: opening looks at it (mark_dead_runs)
        db.execute("UPDATE runs SET status = 'running', pid = 0, host = 'elsewhere' WHERE id = 150")
    damage_mid_file(default_path())
    store, notice = RunStore.open()
    if store is not None and notice is None:  # the damage was not in what opening reads: the first list finds it
        with store, pytest.raises(StoreDamagedError):
            store.list()
    else:
        assert store is not None and notice is not None and "moved to runs.sqlite3.corrupt-" in notice
        store.close()
    with RunStore() as store:
        start(store)
        assert len(store.list()) == 1


def test_a_sound_store_is_not_moved_for_a_broken_constraint(home: Path) -> None:
    [run_id] = finished_runs(1)
    with RunStore() as store, pytest.raises(sqlite3.IntegrityError):
        store.add_epoch(run_id + 1, EpochRecord(1, 5.0, None, 1.0, None, None))  # no such run: FOREIGN KEY
    assert not list(default_path().parent.glob("runs.sqlite3.corrupt-*"))


def test_hand_edited_rows_read_as_unknown_values_never_a_type_error(home: Path) -> None:
    ids = finished_runs(3)
    with sqlite3.connect(default_path()) as db:
        db.execute(
            "UPDATE runs SET started = 'yesterday', ended = x'00ff', name = 42, status = 7, settings = ?, "
            "epoch_count = 'many', tokens_per_s_sum = 'fast', last_perplexity = 'high', best_val_epoch = 2.5, "
            "start_epoch = 'zero', pinned = 'yes' WHERE id = ?",
            ('{"model": 5, "train": {"epochs": "many", "lr": [1]}, "corpus": {"source": 3}}', ids[0]),
        )
        db.execute("UPDATE runs SET started = 1e300, settings = '[1, 2]' WHERE id = ?", (ids[1],))
        db.execute("UPDATE runs SET started = 'NaN' WHERE id = ?", (ids[2],))
        db.execute(
            "UPDATE epochs SET perplexity = 'abc', tokens_per_s = 'x', grad_norm = 'g' WHERE run_id = ?", (ids[0],)
        )
        db.execute("INSERT INTO epochs VALUES (?, 'two', 1.0, NULL, 1.0, NULL, NULL)", (ids[0],))
    with RunStore() as store:
        runs = store.list()
        edited = store.get(ids[0])
        history = store.history(ids[0])
        assert store.export_csv(ids, home / "out.csv") == 3
    assert edited is not None and edited.started is None and edited.ended is None and edited.duration_s is None
    assert (edited.name, edited.status, edited.start_epoch, edited.epochs) == ("42", "7", 0, 0)
    assert edited.perplexity is None and edited.tokens_per_s is None and edited.best_epoch is None
    assert edited.hidden is None and edited.target_epochs is None and edited.model == "?"
    assert [run.started for run in runs if run.id != ids[0]] == [None, None]  # 1e300 s and NaN: no date
    assert len(history) == 1 and math.isnan(history[0].perplexity) and history[0].grad_norm is None
    # What the window's table does with them: values, differing columns, sorting, "train again".
    for column in COLUMNS:
        sorted((column.value(run) for run in runs), key=sort_key)
    assert shown(runs, only_differing=True) and isinstance(differing(runs), set)
    for run in runs:
        settings_to_repeat(run)
        run.as_dict()


def test_ids_outside_sqlites_integers_name_no_run(home: Path) -> None:
    finished_runs(1)
    with RunStore() as store:
        for run_id in (10**23, -(10**23), 0, -1):
            assert store.get(run_id) is None and store.history(run_id) == []
            assert store.delete([run_id]) == 0 and store.set_pinned(run_id, True) is False


def test_a_run_still_training_is_not_deleted_and_a_dead_one_is(home: Path) -> None:
    with RunStore() as store:
        alive = start(store)  # this process: alive
        dead = start(store)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with sqlite3.connect(default_path()) as db:
        db.execute("UPDATE runs SET pid = ? WHERE id = ?", (int(ended.stdout), dead))
    with RunStore() as store:
        with pytest.raises(RunStillTrainingError, match=f"run {alive} is still training"):
            store.delete([dead, alive])
        assert {run.id for run in store.list()} == {alive, dead}  # nothing deleted: the whole call refused
        store.add_epoch(alive, EpochRecord(1, 5.0, None, 1.0, None, None))  # its trainer goes on recording
        assert store.delete([dead]) == 1
        store.finish(alive, "stopped")
        assert store.delete([alive]) == 1


def test_another_processes_lock_is_waited_for_a_bounded_time_then_said(home: Path) -> None:
    finished_runs(1)
    holder = sqlite3.connect(default_path(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waits: list[object] = []
        with RunStore(wait_s=0.3, retries=1, on_wait=waits.append) as store:
            began = time.monotonic()
            with pytest.raises(StoreLockedError, match="locked by another GRU Studio process; try again"):
                store.rename(1, "new")
            assert time.monotonic() - began < 5
            assert store.list()[0].name == ""  # reading is not blocked by a writer (WAL)
            with pytest.raises(StoreLockedError):
                store.set_pinned(1, True)
        assert len(waits) == 1 and "waiting up to 1 s" in str(waits[0])  # once per store, not per write
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_writer_that_waits_says_so_once_and_writes_when_the_lock_goes(home: Path) -> None:
    finished_runs(1)
    holder = sqlite3.connect(default_path(), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: holder.execute("ROLLBACK"))
    release.start()
    waits: list[object] = []
    try:
        with RunStore(on_wait=waits.append) as store:
            store.rename(1, "after the wait")
            store.rename(1, "again")
            assert store.get(1).name == "again"
    finally:
        release.join()
        holder.close()
    assert len(waits) == 1 and "is locked by another GRU Studio process; waiting up to 40 s" in str(waits[0])


def test_the_list_is_newest_first_by_start_time_whatever_the_status(home: Path) -> None:
    statuses = ["finished", "stopped", "crashed", "diverged", "finished", "stopped"]
    ids = finished_runs(len(statuses))
    # Start times out of id order (a clock set back, a run of another machine): the time decides.
    started = [500.0, 100.0, 600.0, 300.0, 200.0, 400.0]
    with sqlite3.connect(default_path()) as db:
        for run_id, status, when in zip(ids, statuses, started, strict=True):
            db.execute("UPDATE runs SET status = ?, started = ? WHERE id = ?", (status, when, run_id))
        db.execute("UPDATE runs SET started = 'later' WHERE id = ?", (ids[4],))  # unknown: last
    with RunStore() as store:
        order = [run.id for run in store.list()]
    assert order == [ids[2], ids[0], ids[5], ids[3], ids[1], ids[4]]


def old_store(path: Path, version: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        for migration in MIGRATIONS[:version]:
            db.executescript(migration)
        db.execute(f"PRAGMA user_version = {version}")
        db.execute("INSERT INTO runs (status, started, settings) VALUES ('finished', 1.0, '{}')")


def test_an_older_store_opens_with_every_run_unpinned_and_pins_stick(home: Path) -> None:
    old_store(default_path(), 2)
    with RunStore() as store:
        assert [run.pinned for run in store.list()] == [False]
        assert store.set_pinned(1, True) is True and store.get(1).pinned is True
        assert store.pinned_ids() == {1}
    with RunStore() as store:
        assert store.get(1).pinned and store.set_pinned(1, False) and not store.get(1).pinned


def test_pruning_skips_pinned_models_the_oldest_unpinned_go_first(home: Path) -> None:
    ids = finished_runs(5)
    folder = kept_models.models_folder()
    folder.mkdir(parents=True)
    for age, run_id in enumerate(ids):
        path = kept_models.kept_model_path(run_id, folder)
        path.write_bytes(b"x" * 1000)
        os.utime(path, ns=((age + 1) * 10**9, (age + 1) * 10**9))  # the first run's the oldest
    with RunStore() as store:
        store.set_pinned(ids[0], True)
        store.set_pinned(ids[2], True)
    newest = kept_models.kept_model_path(ids[4], folder)
    deleted = kept_models.prune(folder, budget=2500, keep=newest)  # pins read from the store beside the folder
    assert deleted == [kept_models.kept_model_path(run_id, folder) for run_id in (ids[1], ids[3])]
    # Pinned models alone over the budget: still kept.
    assert kept_models.prune(folder, budget=0, pinned={ids[0], ids[2], ids[4]}) == []
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"run-{i}.pt" for i in (ids[0], ids[2], ids[4]))


def test_a_store_that_cannot_be_read_prunes_nothing(home: Path) -> None:
    folder = kept_models.models_folder()
    folder.mkdir(parents=True)
    kept_models.kept_model_path(1, folder).write_bytes(b"x" * 100)
    default_path().write_bytes(b"not a database, so no pin can be seen " * 50)
    assert kept_models.prune(folder, budget=0) == []
    assert kept_models.kept_model_path(1, folder).is_file()


def test_deleting_a_runs_kept_model_forgets_it_and_leaves_other_saves(home: Path) -> None:
    kept, saved = finished_runs(2)
    with RunStore() as store:
        path = kept_models.kept_model_path(kept, store.models_folder())
        path.parent.mkdir(parents=True)
        path.write_bytes(b"model")
        store.set_outputs(kept, checkpoint=path)
        elsewhere = home / f"run-{saved}.pt"  # `train --save` named it so: not a kept model
        elsewhere.write_bytes(b"model")
        store.set_outputs(saved, checkpoint=elsewhere)
        assert store.delete_kept_model(kept) == path and not path.exists()
        assert store.get(kept).checkpoint is None
        assert store.delete_kept_model(saved) is None and elsewhere.is_file()
        assert store.get(saved).checkpoint == str(elsewhere)


def as_other_user(action: Callable[[], object]) -> object:
    """What `action()` returns, run by a user who cannot write the files the test made read-only.

    Tests run as root here, and root writes whatever the modes say: then the action runs in a
    forked child that became `nobody` (a fork, not a new interpreter: the interpreter's own files
    may sit where nobody cannot read them; what the action needs is imported already)."""
    if os.geteuid() != 0:
        return action()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's coverage is not collected)
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result: object = ("ok", action())
        except BaseException as exc:
            result = ("raised", f"{type(exc).__name__}: {exc}")
        with os.fdopen(write, "wb") as out:
            pickle.dump(result, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    os.waitpid(child, 0)
    kind, value = pickle.loads(data)
    assert kind == "ok", value
    return value


def make_read_only(base: Path) -> None:
    """The store's folder and files read-only; every folder above it open to look into."""
    for folder in (base, *base.parents):
        if folder.stat().st_mode & 0o005 != 0o005:
            folder.chmod(folder.stat().st_mode | 0o005)
    for path in default_path().parent.iterdir():
        path.chmod(0o444)
    default_path().parent.chmod(0o555)


@pytest.fixture
def read_only_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    base = Path(tmp_path_factory.mktemp("ro"))
    monkeypatch.setenv("GRU_STUDIO_HOME", str(base))
    finished_runs(2)
    make_read_only(base)
    yield base
    default_path().parent.chmod(0o755)


def read_only_look() -> tuple[object, ...]:
    store, notice = RunStore.open(reading=True)
    assert store is not None
    with store:
        seen = (store.read_only, notice, [run.id for run in store.list()], store.get(1).epochs)
        try:
            store.rename(1, "x")
        except StoreReadOnlyError as exc:
            refused = str(exc)
    plain, why = RunStore.open()  # a writer (train): not recorded, and why
    return (*seen, refused, plain is None, str(why))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and users")
def test_a_read_only_store_is_read_and_says_it_cannot_be_changed(read_only_home: Path) -> None:
    read_only, notice, ids, epochs, refused, not_opened, why = as_other_user(read_only_look)
    assert (read_only, notice, ids, epochs) == (True, None, [2, 1], 1)
    assert refused == f"the run store {default_path()} is read-only; nothing in it can be changed"
    assert not_opened and "runs are not recorded" in why
