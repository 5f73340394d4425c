"""Hostile corpora on the command line (issue 13): one line, exit 1, no traceback, no hang.

The hangs of the past (a named pipe as the text) are run in a child process
with a timeout, so a regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gru_studio.cli import main

REPO = Path(__file__).resolve().parents[2]
TINY = ["--hidden", "16", "--batch-size", "4", "--num-steps", "8", "--sample-every", "0"]
needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev are POSIX")


# The child caps its own memory: a MemoryError at 4 GiB of data rather than the
# machine's memory (today's code read /dev/zero until 5.5 GB), then runs the command.
CHILD = (
    "import resource, runpy; "
    "resource.setrlimit(resource.RLIMIT_DATA, (4 << 30, 4 << 30)); "
    "runpy.run_module('gru_studio', run_name='__main__', alter_sys=True)"
)


def gru_studio(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, timeout=20, cwd=REPO)


def assert_one_line_error(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gru-studio: error: "), done.stderr[-2000:]
    for word in words:
        assert word in lines[0]


def release_reader(fifo: Path) -> None:
    with contextlib.suppress(OSError):  # nobody is waiting to read it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@needs_posix
def test_a_named_pipe_as_the_text_is_refused_at_once(tmp_path) -> None:
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    done = gru_studio("train", "--corpus", str(fifo), "--epochs", "1", *TINY)
    assert_one_line_error(done, str(fifo), "named pipe", "only a regular file")


@needs_posix
def test_resuming_a_checkpoint_whose_text_is_now_a_named_pipe(tmp_path) -> None:
    text, saved = tmp_path / "story.txt", tmp_path / "model.pt"
    text.write_text("the time traveller smiled and said nothing at all " * 40)
    assert main(["train", "--corpus", str(text), "--epochs", "1", *TINY, "--save", str(saved)]) == 0
    text.unlink()
    os.mkfifo(text)
    before = saved.read_bytes()
    try:
        done = gru_studio("train", "--resume", str(saved), "--epochs", "2")
    finally:
        release_reader(text)
    assert_one_line_error(done, str(text), "named pipe")
    assert saved.read_bytes() == before  # nothing lost: the checkpoint is as it was


@needs_posix
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_as_the_text_is_refused_at_once(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    done = gru_studio("train", "--corpus", device, "--epochs", "1", *TINY)
    assert_one_line_error(done, device, "is a device", "only a regular file")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex"])
def test_a_codec_that_is_not_a_text_encoding(capsys, tmp_path, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text("the time traveller " * 50)
    code = main(["train", "--corpus", str(path), "--encoding", encoding, "--epochs", "1", *TINY])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"gru-studio: error: encoding: '{encoding}' is not a text encoding; " + (
        "choose one such as utf-8, utf-16 or cp1252\n"
    )


@pytest.mark.parametrize("flags", [[], ["--encoding", "utf-16"]])
def test_utf16_text_trains_with_or_without_the_flag(capsys, tmp_path, flags: list[str]) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(("the time traveller smiled and said nothing at all\n" * 40).encode("utf-16"))
    code = main(["train", "--corpus", str(path), *flags, "--epochs", "1", *TINY])
    assert code == 0, capsys.readouterr().err
