"""Ctrl-C, SIGTERM and SIGHUP during `train` and `sweep`: the run stops at a batch boundary, is recorded
as stopped (not crashed), `train` saves to --save and says where, and the exit status is 128 + the signal.

Real signals to real processes training a tiny model: each test waits until
the run store holds an epoch of the run (so the run is training), sends the
signal and reads what the process left: its status, its stderr, the store and
the checkpoint.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gru_studio.cli import stopping
from gru_studio.cli.stopping import SignalStop, Stopped, stop_on_signals, stopping_signals
from gru_studio.engine.training import checkpoint
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

TINY = ["--corpus", "sample", "--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000"]
FOREVER = [*TINY, "--epochs", "1000000", "--sample-every", "0", "--device", "cpu", "--threads", "1"]
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def start(tmp_path: Path, *argv: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GRU_STUDIO_HOME": str(tmp_path / "home"), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "gru_studio", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def runs(tmp_path: Path) -> list[tuple[int, str, int]]:
    """(id, status, epochs recorded) of every run in the store, read as the process writes it."""
    path = tmp_path / "home" / "data" / "runs.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
        try:
            return db.execute(
                "SELECT id, status, (SELECT count(*) FROM epochs WHERE run_id = runs.id) FROM runs ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:  # the tables are being made
            return []


def wait_until_training(tmp_path: Path, process: subprocess.Popen, run: int = 1) -> None:
    """Until run `run` has recorded two epochs: then it is surely in the training loop."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ended before training: {process.communicate()[1][-2000:]}")
        if any(row[0] == run and row[2] >= 2 for row in runs(tmp_path)):
            return
        time.sleep(0.2)
    process.kill()
    pytest.fail("the run did not train within 240 s")


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out, err


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: s.name)
def test_train_stops_records_stopped_saves_and_exits_128_plus_the_signal(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "m.pt"
    process = start(tmp_path, "train", *FOREVER, "--save", str(target))
    wait_until_training(tmp_path, process)
    process.send_signal(signum)
    status, out, err = finish(process)
    assert status == 128 + signum, err
    assert "Traceback" not in err
    name = signal.Signals(signum).name
    assert f"gru-studio: {name}: stopping after this batch" in err
    ended = [line for line in err.splitlines() if line.startswith(f"gru-studio: stopped by {name} after ")]
    assert len(ended) == 1 and ended[0].endswith(f"; saved {target}"), err
    saved = checkpoint.load(target)  # whole and loadable: the save is the usual atomic one
    [(_run_id, run_status, epochs)] = runs(tmp_path)
    assert run_status == "stopped"
    assert len(saved.history) == epochs >= 2  # every epoch the store recorded is in the checkpoint
    assert f"after {epochs} epochs" in ended[0]
    assert out.strip()  # the report and the sample, as after a run that completed


def test_train_json_says_which_signal_stopped_it(tmp_path: Path) -> None:
    process = start(tmp_path, "train", *FOREVER, "--json")
    wait_until_training(tmp_path, process)
    process.send_signal(signal.SIGTERM)
    status, out, err = finish(process)
    assert status == 143, err
    report = json.loads(out)
    assert report["stopped_by"] == "SIGTERM" and report["saved"] is None
    assert [row[1] for row in runs(tmp_path)] == ["stopped"]
    assert err.strip().splitlines()[-1].startswith("gru-studio: stopped by SIGTERM after ")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_sweep_stops_the_run_under_way_and_starts_no_other(tmp_path: Path, signum: int) -> None:
    process = start(tmp_path, "sweep", *FOREVER[:2], "--hidden", "8,12", *FOREVER[4:])  # two runs of FOREVER
    wait_until_training(tmp_path, process)
    process.send_signal(signum)
    status, out, err = finish(process)
    assert status == 128 + signum, err
    assert "Traceback" not in err
    assert [row[1] for row in runs(tmp_path)] == ["stopped"]  # the second run never started
    assert "stopped" in out  # the table's row for it


@pytest.fixture(autouse=True)
def no_signal_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """SignalStop.handle notes the status asked for process-wide; a test's note ends with the test."""
    monkeypatch.setattr(stopping, "asked_status", None)


def test_a_second_signal_quits_at_once() -> None:
    """The first asks the run to stop at its next batch boundary; the second ends the command now."""
    stopper = SignalStop()
    control = stopper.begin()
    stopper.handle(signal.SIGTERM)
    assert control.stopped and stopper.status == 143
    assert stopping.asked_status == 143  # what main() exits with if the output then fails (SIGHUP)
    with pytest.raises(Stopped) as quit_now:
        stopper.handle(signal.SIGINT)
    assert quit_now.value.status == 130


def test_a_signal_before_the_run_trains_ends_the_command_at_once() -> None:
    stopper = SignalStop()
    with pytest.raises(Stopped) as ended:
        stopper.handle(signal.SIGHUP)
    assert ended.value.status == 129 and str(ended.value) == "SIGHUP"


def test_a_signal_after_the_run_lets_the_save_finish() -> None:
    stopper = SignalStop()
    stopper.begin()
    stopper.end()  # the loop ended: what follows is the save
    stopper.handle(signal.SIGTERM)  # remembered, not raised
    assert stopper.status == 143


def test_the_handlers_are_put_back() -> None:
    before = {signum: signal.getsignal(signum) for signum in stopping_signals()}
    with stop_on_signals() as stopper:
        assert all(signal.getsignal(signum) == stopper.handle for signum in stopping_signals())
    assert {signum: signal.getsignal(signum) for signum in stopping_signals()} == before


def past_epoch(output: bytes, epoch: int) -> bool:
    """Whether the progress bar in `output` has drawn an epoch from `epoch` on."""
    return any(int(number) >= epoch for number in re.findall(rb"epoch (\d+)/", output))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal closed under the process")
def test_a_closed_terminal_stops_saves_and_exits_129(tmp_path: Path) -> None:
    """The real SIGHUP: the process's terminal goes away, and every write to it fails from then on (EIO).
    The run still stops at a batch boundary, is recorded as stopped and saved; the status says SIGHUP."""
    import pty

    target = tmp_path / "m.pt"
    argv = [sys.executable, "-m", "gru_studio", "train", *FOREVER, "--save", str(target)]
    pid, terminal = pty.fork()
    if pid == 0:  # the child: its own session, the pseudo-terminal as its terminal
        os.environ.update(GRU_STUDIO_HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO), OMP_NUM_THREADS="1")
        os.chdir(REPO)
        os.execv(sys.executable, argv)
    seen, deadline = b"", time.monotonic() + 240
    try:
        # The bar, drawn on a terminal a few times a second: it may jump from epoch 1 to 15, so any
        # epoch from the third on will do (waiting for "epoch 3/" itself waited out the deadline).
        while not past_epoch(seen, 3) and time.monotonic() < deadline:
            seen += os.read(terminal, 4096)
    finally:
        os.close(terminal)  # the terminal goes away: the kernel sends SIGHUP
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 129, seen[-2000:]
    assert [row[1] for row in runs(tmp_path)] == ["stopped"]
    assert len(checkpoint.load(target).history) >= 3
