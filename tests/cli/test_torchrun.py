"""`gru-studio train` under torchrun: two CPU processes (gloo) compute what one does, and a dead rank ends the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from gru_studio.engine.training import checkpoint

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not torch.distributed.is_gloo_available(), reason="needs torch with gloo")


def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, GRU_STUDIO_HOME=str(tmp_path / "home"), OMP_NUM_THREADS="1")
    env.pop("WORLD_SIZE", None)
    return env


def torchrun(processes: int) -> list[str]:
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={processes}"]


def train(tmp_path: Path, launcher: list[str], batch_size: int, save: Path, *flags: str) -> dict:
    """Train, save, and return the report of `train --json` (printed by rank 0 alone)."""
    command = [*launcher, "-m", "gru_studio", "train", "--corpus", "sample", "--epochs", "3", "--json"]
    command += ["--batch-size", str(batch_size), "--no-record", "--save", str(save), *flags]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=REPO, env=environment(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # one report, not one per process
    return json.loads(lines[0])


def assert_same_run(one: checkpoint.Checkpoint, two: checkpoint.Checkpoint) -> None:
    assert [r.epoch for r in one.history] == [r.epoch for r in two.history] == [1, 2, 3]
    for a, b in zip(one.history, two.history, strict=True):
        assert b.perplexity == pytest.approx(a.perplexity, rel=1e-5)
        assert b.grad_norm == pytest.approx(a.grad_norm, rel=1e-5)
    weights_one, weights_two = one.model.state_dict(), two.model.state_dict()
    assert weights_one.keys() == weights_two.keys()
    for name, tensor in weights_one.items():
        assert torch.allclose(tensor, weights_two[name], rtol=1e-5, atol=1e-5), name
    # Three epochs of training moved the weights far more than the tolerance.
    assert one.history[0].perplexity > one.history[-1].perplexity


@pytest.mark.parametrize(
    ("model", "partition"),
    [("scratch", "sequential"), ("scratch-book", "sequential"), ("builtin", "sequential"), ("scratch", "random")],
)
def test_two_processes_of_16_rows_train_what_one_of_32_does(tmp_path, model: str, partition: str) -> None:
    flags = ("--model", model, "--partition", partition)
    single, double = tmp_path / "one.pt", tmp_path / "two.pt"
    assert train(tmp_path, [sys.executable], 32, single, *flags)["processes"] == 1
    report = train(tmp_path, torchrun(2), 32, double, *flags)
    assert report["processes"] == 2  # so each trained 16 rows of the 32
    one, two = checkpoint.load(single), checkpoint.load(double)
    assert_same_run(one, two)
    assert len(two.training["torch_rng_ranks"]) == 2  # each rank's generator, for --resume


def test_a_batch_that_does_not_split_evenly_is_refused(tmp_path) -> None:
    command = [*torchrun(2), "-m", "gru_studio", "train", "--corpus", "sample", "--epochs", "1"]
    command += ["--batch-size", "15", "--no-record"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=REPO, env=environment(tmp_path))
    assert done.returncode != 0
    assert "gru-studio: error: batch_size: 15 does not split into 2 processes' equal shares" in done.stderr
    # torchrun reports a failed process with a traceback of its own; none may come from GRU Studio.
    frames = [line for line in done.stderr.splitlines() if line.strip().startswith('File "')]
    assert not [line for line in frames if "gru_studio" in line]
    assert "Bundled sample" not in done.stderr  # refused before anything was read


def test_resume_under_torchrun_continues_the_single_process_run(tmp_path) -> None:
    single, double = tmp_path / "one.pt", tmp_path / "two.pt"
    train(tmp_path, torchrun(2), 32, double, "--epochs", "2")
    command = [*torchrun(2), "-m", "gru_studio", "train", "--resume", str(double), "--epochs", "3"]
    command += ["--no-record", "--save", str(double)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=REPO, env=environment(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    train(tmp_path, [sys.executable], 32, single)
    assert_same_run(checkpoint.load(single), checkpoint.load(double))


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def rank_of(pid: int) -> int | None:
    try:
        entries = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return None
    for entry in entries:
        if entry.startswith(b"RANK="):
            return int(entry[5:])
    return None


@pytest.mark.skipif(sys.platform != "linux", reason="finds the ranks through /proc")
def test_killing_one_rank_ends_the_job_and_keeps_the_checkpoint(tmp_path) -> None:
    target = tmp_path / "model.pt"
    train(tmp_path, [sys.executable], 32, target)
    before = target.read_bytes()
    command = [*torchrun(2), "-m", "gru_studio", "train", "--corpus", "sample", "--epochs", "100000"]
    command += ["--sample-every", "1", "--no-record", "--save", str(target)]
    job = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=REPO, env=environment(tmp_path)
    )
    try:
        assert job.stderr is not None
        for line in job.stderr:  # rank 0's sample lines: both ranks are training
            if line.startswith("epoch 2:"):
                break
        else:
            pytest.fail("the job ended before it trained")
        ranks = {rank_of(pid): pid for pid in children(job.pid)}
        os.kill(ranks[1], signal.SIGKILL)
        killed = time.monotonic()
        returncode = job.wait(timeout=60)
        assert returncode != 0
        assert time.monotonic() - killed < 60
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    assert target.read_bytes() == before
    checkpoint.load(target)  # still a whole, valid checkpoint
