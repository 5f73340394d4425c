"""A reader that goes away (`gru-studio runs list | head -1`) ends the command quietly, with status 141.

Each command runs as a real process whose stdout is a pipe that the test
closes early: before the process writes anything, or after the first bytes of
a long stream. Python then gets EPIPE on its next write (it ignores SIGPIPE);
main() must turn that into a quiet exit, not a traceback or an "Exception
ignored ... BrokenPipeError" line at exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gru_studio.cli import READER_GONE
from tests.cli.test_cli import TINY
from tests.conftest import REPO


def environment(tmp_path: Path, *, buffered: bool = True) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GRU_STUDIO_HOME": str(tmp_path / "home")}
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:  # each write goes out at once, and fails at once
        env["PYTHONUNBUFFERED"] = "1"
    return env


def run_with_reader_gone(argv: list[str], env: dict[str, str], read_first: int = 0) -> tuple[int, str]:
    """Start `python -m gru_studio ARGV`, read `read_first` bytes of its stdout (0: none), close the pipe,
    and return its exit status and everything it wrote to stderr."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gru_studio", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
    )
    assert process.stdout is not None and process.stderr is not None
    if read_first:
        assert len(process.stdout.read(read_first)) == read_first
    process.stdout.close()
    try:
        err = process.stderr.read().decode()
        return process.wait(timeout=120), err
    finally:
        process.kill()


@pytest.mark.parametrize(
    "argv",
    [["runs", "list"], ["runs", "list", "--json"], ["--help"], ["train", "--help"], ["--version"]],
    ids=" ".join,
)
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_reader_gone_before_the_first_line(tmp_path, argv: list[str], buffered: bool) -> None:
    status, err = run_with_reader_gone(argv, environment(tmp_path, buffered=buffered))
    assert err == ""
    assert status == READER_GONE == 141


def test_a_reader_gone_in_the_middle_of_a_stream(tmp_path) -> None:
    """`generate ... | head -c 20`: the pipe closes while characters are still being written."""
    env = environment(tmp_path)
    model = tmp_path / "tiny.pt"
    train = ["train", *TINY, "--epochs", "1", "--sample-every", "0", "--no-record", "--save", str(model)]
    trained = subprocess.run(
        [sys.executable, "-m", "gru_studio", *train],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert trained.returncode == 0, trained.stderr
    status, err = run_with_reader_gone(
        ["generate", "--checkpoint", str(model), "--length", "1000000", "--device", "cpu"], env, read_first=20
    )
    assert err == ""
    assert status == READER_GONE


def test_a_reader_that_stays_sees_status_0(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gru_studio", "runs", "list"],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("no runs recorded yet")
