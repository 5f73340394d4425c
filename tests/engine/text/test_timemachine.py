"""The Time Machine ships in the package: read offline, and checked against the book's SHA-1."""

from __future__ import annotations

import socket
import subprocess

import pytest

from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.errors import CorpusError
from gru_studio.engine.text import timemachine
from gru_studio.engine.text.corpus import load_corpus
from tests.conftest import REPO, TIME_MACHINE_FILE


class _Bytes:
    """Stands in for the packaged file."""

    def __init__(self, data: bytes | None) -> None:
        self.data = data

    def read_bytes(self) -> bytes:
        if self.data is None:
            raise FileNotFoundError(2, "No such file or directory")
        return self.data

    def __str__(self) -> str:
        return "/site-packages/gru_studio/data/timemachine.txt"


def test_the_packaged_copy_is_the_books(monkeypatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the Time Machine must not need the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert timemachine.sha1_of(TIME_MACHINE_FILE.read_bytes()) == timemachine.SHA1
    assert timemachine.read() == TIME_MACHINE_FILE.read_bytes()
    assert len(load_corpus(CorpusConfig()).tokens) == 10_000


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"truncated", "SHA-1 "), (None, "No such file or directory")],
    ids=["edited", "missing"],
)
def test_a_damaged_copy_is_an_error_not_a_silent_retrain(monkeypatch, data: bytes | None, problem: str) -> None:
    monkeypatch.setattr(timemachine, "bundled", lambda: _Bytes(data))
    with pytest.raises(CorpusError) as info:
        load_corpus(CorpusConfig())
    message = str(info.value)
    assert "missing or damaged" in message and problem in message and "\n" not in message
    assert "--corpus sample" in message  # a flag that works: train, bench and sweep all take it


def test_a_wheel_and_the_frozen_build_carry_it() -> None:
    assert 'gru_studio = ["data/*.txt"]' in (REPO / "pyproject.toml").read_text()  # the wheel's package-data
    assert '"gru_studio" / "data"), "gru_studio/data"' in (REPO / "packaging" / "gru-studio.spec").read_text()


def test_git_keeps_its_bytes_on_every_platform() -> None:
    """A checkout that turned its line ends into CRLF (git's autocrlf on Windows) would fail the SHA-1."""
    result = subprocess.run(
        ["git", "check-attr", "text", "--", "gru_studio/data/timemachine.txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"not a git checkout: {result.stderr.strip()}")
    assert result.stdout.strip().endswith("text: unset"), result.stdout
