"""Every command's stdout, whatever it is: a reader that goes away, a full disk, an ASCII-only terminal.

Handled once, in main() (gru_studio/cli/__init__.py), for every command:
a closed pipe ends the command quietly with 141; `> /dev/full` is one line
("the output could not be written: no space left on device") and status 1;
characters the output's encoding lacks come out as replacement characters.
Each case runs a real process, since the streams are the process's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gru_studio.cli import READER_GONE
from tests.cli.test_closed_pipe import run_with_reader_gone
from tests.conftest import REPO

SMALL = [
    "--mode",
    "raw",
    "--hidden",
    "16",
    "--batch-size",
    "8",
    "--num-steps",
    "8",
    "--sample-every",
    "0",
    "--device",
    "cpu",
]
TEXT = "Über die Zeitmaschine, schöne Grüße. " * 60  # non-ASCII characters in the text, its name and samples


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with one recorded run of a text named über.txt, and its checkpoint m.pt."""
    root = tmp_path_factory.mktemp("streams")
    (root / "über.txt").write_text(TEXT, encoding="utf-8")
    done = gru(root, "train", "--corpus", str(root / "über.txt"), *SMALL, "--epochs", "1", "--save", str(root / "m.pt"))
    assert done.returncode == 0, done.stderr
    return root


def environment(root: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GRU_STUDIO_HOME": str(root / "home"), **extra}
    env.pop("PYTHONUNBUFFERED", None)
    return env


def gru(root: Path, *argv: str, stdout: object = subprocess.PIPE, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gru_studio", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=environment(root, **extra),
        cwd=REPO,
        timeout=300,
    )


def commands(root: Path) -> dict[str, list[str]]:
    """One of each command that prints, by name."""
    model, text = str(root / "m.pt"), str(root / "über.txt")
    return {
        "runs list": ["runs", "list"],
        "runs show": ["runs", "show", "1"],
        "generate": ["generate", "--checkpoint", model, "--prefix", "über", "--length", "200", "--device", "cpu"],
        "train --json": ["train", "--corpus", text, *SMALL, "--epochs", "1", "--no-record", "--json"],
        "train": ["train", "--corpus", text, *SMALL, "--epochs", "1", "--no-record"],
    }


NAMES = ["runs list", "runs show", "generate", "train --json", "train"]


@pytest.mark.parametrize("name", NAMES)
def test_a_reader_gone_ends_every_printing_command_quietly(home: Path, name: str) -> None:
    status, err = run_with_reader_gone(commands(home)[name], environment(home))
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert status == READER_GONE


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("name", [*NAMES, "--help"])
def test_a_full_disk_under_stdout_is_one_line_and_status_1(home: Path, name: str) -> None:
    argv = commands(home).get(name, [name])
    with open("/dev/full", "w") as full:
        done = gru(home, *argv, stdout=full)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "error" in line]  # train also says what it trains
    assert "Traceback" not in done.stderr
    assert lines == ["gru-studio: error: the output could not be written: no space left on device"], done.stderr


@pytest.mark.parametrize("setting", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}], ids=str)
@pytest.mark.parametrize("name", ["runs list", "runs show", "generate", "train"])
def test_characters_the_output_cannot_encode_are_replaced(home: Path, name: str, setting: dict[str, str]) -> None:
    done = gru(home, *commands(home)[name], **setting)
    assert done.returncode == 0, done.stderr
    assert "UnicodeEncodeError" not in done.stderr and "Traceback" not in done.stderr
    if setting.get("PYTHONIOENCODING") == "ascii":
        assert done.stdout.isascii() and "?" in done.stdout  # ü as ?
    else:  # the C locale: Python's UTF-8 mode writes the characters themselves
        assert "ü" in done.stdout.lower()
