"""A newcomer's first run: `python -m gru_studio` as a real process on a fresh clone.

Nothing beside the checkout (no ../shared), no $GRU_STUDIO_DATA_DIR, an empty
home and cache, and no network: the Time Machine's download URL points at a
closed port, or at a local server that counts what asks it for the file. This
is the machine the README's first commands must work on.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.test_cli import TINY

REPO = Path(__file__).resolve().parents[2]
# Port 9 (discard) has nothing listening here: a connection is refused at once, as offline.
REFUSED_URL = "http://127.0.0.1:9/timemachine.txt"


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
    for folder in (home, cwd):
        folder.mkdir()
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
        GRU_STUDIO_TIMEMACHINE_URL=REFUSED_URL,
        # The package under test is this checkout, whatever else is installed.
        PYTHONPATH=str(REPO),
    )
    # Where the engine's user_cache_dir() lands with this home on each OS.
    if sys.platform == "win32":
        cache = Path(env["LOCALAPPDATA"])
    elif sys.platform == "darwin":
        cache = home / "Library" / "Caches"
    else:
        cache = Path(env["XDG_CACHE_HOME"])
    return CleanMachine(env, cwd, cache / "gru-studio")


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A download URL that answers 404 and records every request made to it."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/timemachine.txt", requests
    finally:
        server.shutdown()
        server.server_close()


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


@pytest.mark.parametrize("command", ["train", "bench"])
def test_an_unknown_device_is_reported_before_any_download(
    machine: CleanMachine, counting_server: tuple[str, list[str]], command: str
) -> None:
    url, requests = counting_server
    machine.env["GRU_STUDIO_TIMEMACHINE_URL"] = url
    err = assert_one_clear_line(machine.run(command, "--device", "tpu"))
    assert "Unknown device 'tpu'" in err
    assert "download" not in err
    assert requests == []  # the corpus was never asked for
    assert not machine.cache.exists()


def test_the_default_corpus_offline_names_the_flag_that_works(machine: CleanMachine) -> None:
    err = assert_one_clear_line(machine.run("train", "--epochs", "1"))
    assert "could not be downloaded" in err and REFUSED_URL in err
    assert "--corpus sample" in err
    assert "GRU_STUDIO_DATA_DIR" in err and str(machine.cache) in err  # the two places a copy is looked for


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
