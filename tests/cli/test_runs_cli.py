"""`gru-studio runs` and the recording done by `train`, in-process and as real processes."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gru_studio.engine.history.store import RunStore, default_path
from tests.cli.test_cli import TINY, run
from tests.conftest import REPO

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="sends POSIX signals (SIGKILL, SIGINT)")


def train_json(capsys, *extra: str) -> dict:
    code, out, _ = run(capsys, "train", *TINY, "--epochs", "3", "--val-fraction", "0.2", "--json", *extra)
    assert code == 0
    return json.loads(out.strip().splitlines()[-1])


def test_train_records_the_run_and_runs_shows_it(home: Path, capsys) -> None:
    report = train_json(capsys, "--save", str(home / "model.pt"))
    run_id = report["id"]
    assert isinstance(run_id, int)

    code, out, _ = run(capsys, "runs", "list", "--json")
    [listed] = json.loads(out)
    assert code == 0 and listed["id"] == run_id and listed["status"] == "finished" and listed["epochs"] == 3
    assert listed["perplexity"] == report["perplexity"] and listed["val_perplexity"] == report["val_perplexity"]
    assert listed["sample"] == report["sample"] and listed["checkpoint"] == str(home / "model.pt")

    code, out, _ = run(capsys, "runs", "show", str(run_id), "--json")
    shown = json.loads(out)
    assert code == 0 and [r["epoch"] for r in shown["history"]] == [1, 2, 3]
    assert all(r["grad_norm"] is not None and r["elapsed_s"] is not None for r in shown["history"])

    code, out, _ = run(capsys, "runs", "list")
    assert code == 0 and "finished" in out and "scratch 16" in out and " @" in out
    code, out, _ = run(capsys, "runs", "show", str(run_id))
    assert code == 0 and "hidden=16" in out and "epoch  perplexity" in out

    code, out, _ = run(capsys, "runs", "export", str(run_id), "--csv", str(home / "runs.csv"))
    assert code == 0 and "3 epochs" in out
    with open(home / "runs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [float(row["perplexity"]) for row in rows] == [r["perplexity"] for r in shown["history"]]

    code, out, _ = run(capsys, "runs", "delete", str(run_id))
    assert code == 0 and "deleted 1 run" in out
    assert json.loads(run(capsys, "runs", "list", "--json")[1]) == []


def test_unknown_ids_are_refused_before_anything_is_done(home: Path, capsys) -> None:
    run_id = train_json(capsys)["id"]
    code, _, err = run(capsys, "runs", "delete", str(run_id), "77")
    assert code == 1 and "No run with id 77" in err
    code, _, err = run(capsys, "runs", "show", "77")
    assert code == 1 and "No run with id 77" in err
    assert [r["id"] for r in json.loads(run(capsys, "runs", "list", "--json")[1])] == [run_id]


def test_no_record_records_nothing(home: Path, capsys) -> None:
    assert train_json(capsys, "--no-record")["id"] is None
    assert not default_path().exists()


def test_a_store_that_cannot_be_opened_warns_and_training_goes_on(home: Path, capsys) -> None:
    default_path().mkdir(parents=True)  # a folder where the database should be
    code, out, err = run(capsys, "train", *TINY, "--epochs", "2", "--json")
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["id"] is None
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "runs are not recorded" in warnings[0]


def spawn_train(home: Path, epochs: int) -> subprocess.Popen:
    env = {**os.environ, "GRU_STUDIO_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "gru_studio", "train", *TINY, "--epochs", str(epochs), "--threads", "1"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def epochs_stored(path: Path) -> int:
    """Epochs in the store as another process sees them; 0 until its tables exist."""
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM epochs").fetchone()[0]
    except sqlite3.Error:
        return 0


def wait_for_epochs(process: subprocess.Popen, count: int) -> None:
    """Until the store holds `count` epochs, while `process` trains (a minute at most)."""
    deadline = time.monotonic() + 60
    while epochs_stored(default_path()) < count:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, f"fewer than {count} epochs recorded in 60 s"
        time.sleep(0.05)


@posix_only
def test_a_killed_run_keeps_its_epochs_and_shows_crashed(home: Path) -> None:
    process = spawn_train(home, 100_000)
    try:
        wait_for_epochs(process, 2)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait()  # reaped, so that its pid no longer names a process
        if process.stderr:
            process.stderr.close()
    store, notice = RunStore.open()  # the next start
    assert store is not None and notice is None
    with store:
        [killed] = store.list()
        history = store.history(killed.id)
    assert killed.status == "crashed" and killed.epochs >= 2
    assert [r.epoch for r in history] == list(range(1, len(history) + 1))


def epochs_of(path: Path, run_id: int) -> int:
    with sqlite3.connect(path, timeout=5) as db:
        return db.execute("SELECT COUNT(*) FROM epochs WHERE run_id = ?", (run_id,)).fetchone()[0]


@posix_only
def test_two_processes_training_at_once_both_record_every_epoch(home: Path) -> None:
    # The second run starts once the first has recorded an epoch, and the first is still training when
    # the second ends: their writes interleave for certain, however slowly either starts.
    first = spawn_train(home, 100_000)
    try:
        wait_for_epochs(first, 1)
        before = epochs_of(default_path(), 1)
        second = spawn_train(home, 30)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 0 and "warning" not in err, err
        assert epochs_of(default_path(), 1) > before  # the first kept writing meanwhile
        first.send_signal(signal.SIGINT)  # Ctrl-C: the first run ends as stopped
        _, err = first.communicate(timeout=60)
        assert first.returncode == 130 and "warning" not in err, err
    finally:
        first.kill()
        first.wait()
    with RunStore() as store:
        stopped, finished = store.get(1), store.get(2)
        histories = [store.history(1), store.history(2)]
    assert stopped is not None and stopped.status == "stopped"
    assert finished is not None and finished.status == "finished"
    assert [r.epoch for r in histories[0]] == list(range(1, len(histories[0]) + 1)) and len(histories[0]) > before
    assert [r.epoch for r in histories[1]] == list(range(1, 31))


def test_the_list_shows_the_gates_when_the_runs_differ_in_them(home: Path, capsys) -> None:
    train_json(capsys)
    code, out, _ = run(capsys, "runs", "list")
    assert code == 0 and "gates" not in out.splitlines()[0]  # one kind of gates: no column
    train_json(capsys, "--gates", "reset-only")
    code, out, _ = run(capsys, "runs", "list")
    header, newest, oldest = out.splitlines()[:3]
    assert header.split()[:5] == ["id", "started", "status", "model", "gates"]
    assert "reset-only" in newest and "full" in oldest
