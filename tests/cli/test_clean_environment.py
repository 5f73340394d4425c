"""A newcomer's first run: `python -m gru_studio` as a real process on a fresh clone.

Nothing beside the checkout (no ../shared), an empty home and cache, and no
network: every socket's connect is refused in the process (sitecustomize.py).
This is the machine the README's first commands must work on; the Time Machine
comes with the package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.test_cli import TINY

REPO = Path(__file__).resolve().parents[2]
# Imported by Python at start-up (from PYTHONPATH): the process has no network.
NO_NETWORK = """
import socket

def _refuse(self, address):
    raise OSError(101, "Network is unreachable (no network in this test)")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
"""


@dataclass
class CleanMachine:
    env: dict[str, str]
    cwd: Path
    cache: Path

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        # The timeout only keeps a hang from stalling the suite; a run here takes seconds.
        return subprocess.run(
            [sys.executable, "-m", "gru_studio", *argv],
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=300,
        )


@pytest.fixture
def machine(tmp_path: Path) -> CleanMachine:
    home = tmp_path / "home"
    cwd = tmp_path / "somewhere"
    offline = tmp_path / "offline"
    for folder in (home, cwd, offline):
        folder.mkdir()
    (offline / "sitecustomize.py").write_text(NO_NETWORK)
    # Start from this process's environment (PATH, locale, Windows' system
    # variables) minus everything that could point at a copy of the corpus or
    # at the developer's own folders.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("GRU_STUDIO_", "XDG_")) and name != "PYTHONPATH"
    }
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        # The package under test is this checkout, whatever else is installed.
        PYTHONPATH=os.pathsep.join([str(offline), str(REPO)]),
    )
    # Where the engine's user_cache_dir() lands with this home on each OS.
    if sys.platform == "win32":
        cache = Path(env["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        cache = home / "Library" / "Caches"
    else:
        cache = Path(env["XDG_CACHE_HOME"])
    return CleanMachine(env, cwd, cache / "gru-studio")


def assert_one_clear_line(result: subprocess.CompletedProcess[str]) -> str:
    err = result.stderr
    assert result.returncode == 1, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("gru-studio: error: ")
    return err


def test_the_process_runs_this_checkout(machine: CleanMachine) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import gru_studio; print(gru_studio.__file__)"],
        env=machine.env,
        cwd=machine.cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()) == REPO / "gru_studio" / "__init__.py"


def test_this_process_has_no_network(machine: CleanMachine) -> None:
    probe = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=machine.env, cwd=machine.cwd, capture_output=True, text=True
    )
    assert result.returncode == 1 and "no network in this test" in result.stderr


@pytest.mark.parametrize("command", ["train", "bench"])
def test_an_unknown_device_is_one_clear_line(machine: CleanMachine, command: str) -> None:
    err = assert_one_clear_line(machine.run(command, "--device", "tpu"))
    assert "Unknown device 'tpu'" in err


def test_the_book_trains_offline_on_a_fresh_home(machine: CleanMachine) -> None:
    result = machine.run("train", "--hidden", "16", "--epochs", "1", "--sample-every", "0", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["corpus"] == "The Time Machine" and report["tokens"] == 10_000
    assert not machine.cache.exists()  # nothing fetched, nothing cached


def test_the_sample_trains_saves_and_generates_with_no_device_flag(machine: CleanMachine) -> None:
    saved = machine.cwd / "first.pt"
    train = machine.run("train", *TINY, "--epochs", "2", "--sample-every", "0", "--save", str(saved), "--json")
    assert train.returncode == 0, train.stderr
    report = json.loads(train.stdout)
    assert report["corpus"] == "Bundled sample" and report["epochs"] == 2 and report["saved"] == str(saved)
    assert report["sample"].startswith("time traveller")
    assert saved.is_file()

    generate = machine.run("generate", "--checkpoint", str(saved), "--length", "20")
    assert generate.returncode == 0, generate.stderr
    text = generate.stdout.rstrip("\n")
    assert text.startswith("time traveller") and len(text) == len("time traveller") + 20
    assert "Traceback" not in generate.stderr
