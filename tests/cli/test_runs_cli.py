"""`gru-studio runs` and the recording done by `train`, in-process and as real processes."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
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


# -- issue 28: the run store against hostile inputs; issue 30: pins ---------------------------------------


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_a_store_damaged_mid_file_is_moved_aside_in_one_line_and_runs_are_recorded_again(home: Path, capsys) -> None:
    from tests.engine.history.test_run_store_hostile import damage_mid_file, finished_runs

    finished_runs(200, name="a long name to fill the pages " * 4)
    damage_mid_file(default_path())
    code, _, err = run(capsys, "runs", "list")
    assert code == 1 and "was damaged; it was moved to runs.sqlite3.corrupt-" in one_line_error(err)
    run_id = train_json(capsys)["id"]  # recorded again, in a new store
    assert [r["id"] for r in json.loads(run(capsys, "runs", "list", "--json")[1])] == [run_id]


def test_train_on_a_store_damaged_mid_file_moves_it_aside_so_the_next_run_is_recorded(home: Path, capsys) -> None:
    from tests.engine.history.test_run_store_hostile import damage_mid_file, finished_runs

    finished_runs(200, name="a long name to fill the pages " * 4)
    with sqlite3.connect(default_path()) as db:  # where the next run's row goes: past the damage, say
        db.execute("DELETE FROM runs WHERE id > 100")
        db.execute("DELETE FROM epochs WHERE run_id > 100")
    damage_mid_file(default_path())
    code, out, err = run(capsys, "train", *TINY, "--epochs", "2", "--json")
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert code == 0 and len(warnings) <= 1, err
    if json.loads(out.strip().splitlines()[-1])["id"] is None:  # the damage was met while recording
        assert "moved to runs.sqlite3.corrupt-" in warnings[0]
    run_id = train_json(capsys)["id"]
    assert run_id is not None and run_id in [r["id"] for r in json.loads(run(capsys, "runs", "list", "--json")[1])]
    code, _, err = run(capsys, "runs", "list")
    assert code == 0 and "warning" not in err


def test_hand_edited_rows_are_listed_shown_and_exported(home: Path, capsys) -> None:
    run_id = train_json(capsys)["id"]
    with sqlite3.connect(default_path()) as db:
        db.execute(
            "UPDATE runs SET started = 'yesterday', ended = 'today', settings = '{\"model\": {\"hidden\": \"big\"}}', "
            "last_perplexity = 'high', tokens_per_s_sum = 'fast' WHERE id = ?",
            (run_id,),
        )
        db.execute("UPDATE epochs SET perplexity = 'abc', tokens_per_s = 'x' WHERE run_id = ? AND epoch = 1", (run_id,))
    code, out, err = run(capsys, "runs", "list")
    assert code == 0 and err == "" and " ? ? " in out  # the model's kind and size: unknown
    code, out, err = run(capsys, "runs", "show", str(run_id))
    assert code == 0 and err == "" and "started -, ended -" in out
    code, out, err = run(capsys, "runs", "export", str(run_id), "--csv", str(home / "out.csv"))
    assert code == 0 and err == ""
    assert run(capsys, "runs", "list", "--json")[0] == 0 and run(capsys, "runs", "show", str(run_id), "--json")[0] == 0


@pytest.mark.parametrize("action", [["show"], ["delete"], ["export", "--csv", "x.csv"], ["pin"], ["unpin"]])
@pytest.mark.parametrize("run_id", ["99999999999999999999999", "0", "-1"])
def test_run_ids_out_of_range_are_one_line_and_status_2(home: Path, capsys, action: list[str], run_id: str) -> None:
    with pytest.raises(SystemExit) as exited:
        run(capsys, "runs", action[0], run_id, *action[1:])
    assert exited.value.code == 2 and "argument ID" in one_line_error(capsys.readouterr().err)


def test_a_run_still_training_is_not_deleted(home: Path, capsys) -> None:
    from tests.engine.history.test_run_store_hostile import start

    with RunStore() as store:
        run_id = start(store)  # by this process, which is alive: still training
    code, _, err = run(capsys, "runs", "delete", str(run_id))
    assert code == 1 and f"run {run_id} is still training" in one_line_error(err)
    assert [r["id"] for r in json.loads(run(capsys, "runs", "list", "--json")[1])] == [run_id]


def test_a_locked_store_is_said_in_one_line_in_seconds_not_40(home: Path, capsys) -> None:
    run_id = train_json(capsys)["id"]
    holder = sqlite3.connect(default_path(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write, as `sqlite3 runs.sqlite3` can hold it
    try:
        for action in ("delete", "pin"):
            began = time.monotonic()
            code, _, err = run(capsys, "runs", action, str(run_id))
            assert time.monotonic() - began < 10
            assert code == 1 and "is locked by another GRU Studio process; try again when it finishes" in (
                one_line_error(err)
            )
        code, out, _ = run(capsys, "runs", "list")  # reading is not held up
        assert code == 0 and out.count("\n") == 2
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_train_says_once_what_it_waits_for(home: Path, capsys) -> None:
    train_json(capsys)
    holder = sqlite3.connect(default_path(), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        code, out, err = run(capsys, "train", *TINY, "--epochs", "2", "--json")
    finally:
        release.join()
        holder.close()
    waits = [line for line in err.splitlines() if "waiting" in line]
    assert code == 0 and len(waits) == 1 and "is locked by another GRU Studio process; waiting up to 40 s" in waits[0]
    assert json.loads(out.strip().splitlines()[-1])["id"] == 2  # recorded once the lock went


def cli_as_other_user(*argv: str) -> tuple[int, str, str]:
    """`gru-studio ARGV` by a user who cannot write the store (see as_other_user); its status and output."""
    import contextlib
    import io

    from gru_studio.cli import main
    from tests.engine.history.test_run_store_hostile import as_other_user

    def command() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        return code, out.getvalue(), err.getvalue()

    return as_other_user(command)


@posix_only
def test_a_read_only_store_is_listed_shown_exported_and_not_changed(home: Path, capsys, tmp_path_factory) -> None:
    from tests.engine.history.test_run_store_hostile import make_read_only

    run_id = train_json(capsys)["id"]
    out_folder = tmp_path_factory.mktemp("out")
    out_folder.chmod(0o777)
    make_read_only(home)
    try:
        code, out, err = cli_as_other_user("runs", "list")
        assert code == 0 and err == "" and "finished" in out and "no runs" not in out
        code, out, err = cli_as_other_user("runs", "show", str(run_id))
        assert code == 0 and err == "" and "epoch  perplexity" in out
        code, out, err = cli_as_other_user("runs", "export", str(run_id), "--csv", str(out_folder / "r.csv"))
        assert code == 0 and err == "" and (out_folder / "r.csv").is_file()
        for action in ("delete", "pin"):
            code, _, err = cli_as_other_user("runs", action, str(run_id))
            assert code == 1 and "is read-only; nothing in it can be changed" in one_line_error(err)
    finally:
        default_path().parent.chmod(0o755)


def test_pin_and_unpin_show_in_the_list_newest_first_whatever_the_status(home: Path, capsys) -> None:
    first, second = train_json(capsys)["id"], train_json(capsys)["id"]
    with sqlite3.connect(default_path()) as db:  # the first run stopped, and (a clock set back) started later
        db.execute("UPDATE runs SET status = 'stopped', started = started + 3600 WHERE id = ?", (first,))
    code, out, _ = run(capsys, "runs", "list")
    assert code == 0 and "pinned" not in out.splitlines()[0]
    code, out, _ = run(capsys, "runs", "pin", str(second))
    assert code == 0 and out.strip() == "pinned 1 run"
    code, out, _ = run(capsys, "runs", "list")
    header, top, below = out.splitlines()
    assert header.split()[:2] == ["id", "pinned"]
    assert top.split()[0] == str(first) and "stopped" in top and "pinned" not in top
    assert below.split()[:2] == [str(second), "pinned"]
    assert json.loads(run(capsys, "runs", "show", str(second), "--json")[1])["pinned"] is True
    code, out, _ = run(capsys, "runs", "unpin", str(second))
    assert code == 0 and out.strip() == "unpinned 1 run"
    assert "pinned" not in run(capsys, "runs", "list")[1]
