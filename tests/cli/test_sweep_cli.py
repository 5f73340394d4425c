"""`gru-studio sweep`: a grid of tiny runs, each recorded; bad values refused in one line; Ctrl-C keeps
the finished runs (issue 15)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gru_studio.engine.history.store import RunStore
from tests.cli.test_cli import TINY, run
from tests.conftest import REPO

# TINY without --hidden: the tests sweep it.
BASE = [flag for i, flag in enumerate(TINY) if "--hidden" not in TINY[max(i - 1, 0) : i + 1]]


def test_a_two_by_one_grid_trains_and_records_two_runs_with_their_settings(home: Path, capsys) -> None:
    assert "--hidden" not in BASE and "--corpus" in BASE
    code, out, err = run(capsys, "sweep", *BASE, "--lr", "0.5,2", "--hidden", "12", "--epochs", "2", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["planned"] == 2 and not report["interrupted"]
    assert [r["settings"] for r in report["runs"]] == [{"lr": 0.5}, {"lr": 2.0}]
    with RunStore() as store:
        stored = [store.get(r["id"]) for r in report["runs"]]
    assert [(s.status, s.settings["train"]["lr"], s.hidden) for s in stored] == [
        ("finished", 0.5, 12),
        ("finished", 2.0, 12),
    ]
    for r in report["runs"]:
        assert r["epochs"] == 2 and r["perplexity"] > 1 and r["tokens_per_s"] > 0
        assert r["sample"].startswith("time traveller") and r["best_val_perplexity"] is None


def test_a_two_by_two_grid_of_models_and_hidden_units_prints_a_table(home: Path, capsys) -> None:
    code, out, err = run(
        capsys, "sweep", *BASE, "--model", "rnn,lstm-builtin", "--hidden", "8,12", "--epochs", "1",
        "--val-fraction", "0.2", "--no-record",
    )  # fmt: skip
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].split()[:6] == ["model", "hidden", "status", "perplexity", "best", "val"]
    assert [line.split()[:3] for line in lines[1:]] == [
        ["rnn", "8", "finished"], ["rnn", "12", "finished"],
        ["lstm-builtin", "8", "finished"], ["lstm-builtin", "12", "finished"],
    ]  # fmt: skip
    for line in lines[1:]:
        cells = line.split()
        assert float(cells[4]) > 1 and cells[6] == "-"  # a best validation perplexity; not recorded: no run id
    assert "run 4/4: model lstm-builtin, hidden 12" in err


def test_a_two_by_two_grid_records_four_runs_with_their_settings(home: Path, capsys) -> None:
    code, out, err = run(
        capsys, "sweep", *BASE, "--lr", "0.5,2", "--hidden", "8,12", "--epochs", "1", "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    with RunStore() as store:
        stored = [store.get(r["id"]) for r in report["runs"]]
        assert len(store.list()) == 4  # nothing else recorded
    settings = sorted((s.settings["train"]["lr"], s.hidden) for s in stored)
    assert settings == [(0.5, 8), (0.5, 12), (2.0, 8), (2.0, 12)]
    assert all(s.status == "finished" and s.epochs == 1 for s in stored)


DIVERGES = ["--lr", "1000,1", "--clip", "0"]  # run 1 diverges in its first batch; run 2 trains
DIVERGED = "Training diverged: the loss exploded. The learning rate (1000) is probably too high"


def test_a_diverged_run_is_a_failed_row_and_the_next_run_trains(home: Path, capsys) -> None:
    code, out, err = run(capsys, "sweep", *BASE, "--hidden", "12", *DIVERGES, "--epochs", "2", "--json")
    assert code == 0, err  # the sweep ran; its runs' statuses are in the report
    report = json.loads(out)
    assert (report["planned"], report["failed"], report["interrupted"]) == (2, 1, False)
    failed, trained = report["runs"]
    assert (failed["settings"], failed["status"], failed["epochs"]) == ({"lr": 1000.0}, "failed", 0)
    assert failed["message"].startswith(DIVERGED) and failed["perplexity"] is None and failed["tokens_per_s"] is None
    assert (trained["settings"], trained["status"], trained["epochs"], trained["message"]) == (
        {"lr": 1.0}, "finished", 2, None,
    )  # fmt: skip
    assert trained["perplexity"] > 1 and trained["sample"].startswith("time traveller")
    with RunStore() as store:
        assert [store.get(r["id"]).status for r in report["runs"]] == ["diverged", "finished"]
    assert "Traceback" not in err


def test_a_diverged_run_shows_failed_in_the_table_and_why_on_stderr(home: Path, capsys) -> None:
    code, out, err = run(capsys, "sweep", *BASE, "--hidden", "12", *DIVERGES, "--epochs", "1", "--no-record")
    assert code == 0, err
    head, failed, trained = (line.split() for line in out.strip().splitlines())
    assert head[:3] == ["lr", "status", "perplexity"]
    assert failed == ["1000", "failed", "-", "-", "-", "-", "-"]  # nothing measured, nothing sampled
    assert trained[:2] == ["1", "finished"] and float(trained[2]) > 1
    assert f"run 1/2 failed: {DIVERGED}" in err
    assert err.index("run 1/2 failed") < err.index("run 2/2: lr 1")  # said when it happened, then run 2 trained
    assert err.strip().endswith("gru-studio: 1 of 2 runs failed")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--lr", "0.5,,1"], "--lr: has an empty value"),
        (["--lr", "0,1"], "--lr: 0: must be greater than 0"),
        (["--hidden", "8,1.5"], "--hidden: '1.5' is not a whole number"),
        (["--model", "scratch,gru"], "--model: 'gru' is not one of"),
        (["--lr", "1"], "nothing to sweep"),
        (["--lr", "1,2", "--hidden", "8,16", "--clip", "1,2"], "one or two settings at a time, not 3"),
        (["--model", "scratch,builtin", "--gates", "reset-only"], "the run with model builtin cannot train"),
    ],
)
def test_bad_values_are_refused_in_one_line_before_anything_trains(home: Path, capsys, flags, message) -> None:
    code, out, err = run(capsys, "sweep", *BASE, *flags, "--epochs", "1")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not (home / "data").exists() or not any((home / "data").rglob("*.sqlite3"))


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_ctrl_c_stops_the_run_under_way_and_keeps_the_finished_ones(home: Path) -> None:
    env = {**os.environ, "GRU_STUDIO_HOME": str(home), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "gru_studio", "sweep", *BASE, "--hidden", "8", "--threads", "1"]
    command += ["--epochs", "2,100000", "--json"]  # the second run trains until interrupted
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _second_run_recording(home):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the second run did not start in 60 s"
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 130 and "Traceback" not in err, err
    report = json.loads(out)
    assert report["interrupted"] and [r["settings"] for r in report["runs"]] == [{"epochs": 2}, {"epochs": 100000}]
    # The run under way stopped at a batch boundary (cli/stopping.py): a row of its own, with its figures.
    assert [r["status"] for r in report["runs"]] == ["finished", "stopped"]
    with RunStore() as store:
        assert [store.get(1).status, store.get(2).status] == ["finished", "stopped"]


def _second_run_recording(home: Path) -> bool:
    """Whether run 2 is in the store with an epoch recorded (its loop is under way)."""
    import sqlite3

    path = next(home.rglob("runs.sqlite3"), None)
    if path is None:
        return False
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM epochs WHERE run_id = 2").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def test_a_text_too_short_to_compare_models_is_said_once_under_the_table(home: Path, capsys) -> None:
    short = ["--corpus", "sample", "--hidden", "8", "--batch-size", "32", "--num-steps", "35", "--epochs", "1"]
    code, out, err = run(capsys, "sweep", *short, "--model", "scratch,rnn")
    assert code == 0 and err.count("too short to compare models") == 1
    code, out, _ = run(capsys, "sweep", *short, "--model", "scratch,rnn", "--json")
    data = json.loads(out)
    assert (
        code == 0
        and data["too_short_to_compare"]["batches_per_epoch"] < data["too_short_to_compare"]["least_to_compare"]
    )
    code, out, err = run(capsys, "sweep", *BASE, "--lr", "0.5,1", "--epochs", "1", "--json")
    assert code == 0 and json.loads(out)["too_short_to_compare"] is None and "too short" not in err
