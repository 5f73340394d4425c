"""`inspect`'s two outputs: never one file for both, and no Qt chatter on the way to the PNG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_inspect import PROBE, run, save_model
from tests.conftest import REPO


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "m.pt"
    save_model(path)
    return path


@pytest.mark.parametrize("how", ["same name", "relative and absolute", "a link to the other", "both exist"])
def test_png_and_json_onto_one_file_is_refused_before_anything_is_written(
    capsys, tmp_path: Path, model_file: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "out.json"
    png, json_name = {
        "same name": ("out.json", "out.json"),
        "relative and absolute": ("out.json", str(target)),
        "a link to the other": ("link.json", "out.json"),
        "both exist": ("./sub/../out.json", "out.json"),
    }[how]
    if how == "a link to the other":
        (tmp_path / "link.json").symlink_to("out.json")  # dangling until something writes out.json
    if how == "both exist":
        (tmp_path / "sub").mkdir()
        target.write_text("kept")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(
        capsys,
        "inspect",
        "--checkpoint",
        str(model_file),
        "--text",
        PROBE,
        "--png",
        png,
        "--json",
        json_name,
        "--force",
    )
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"gru-studio: error: --png and --json name the same file ({png}): give each a file of its own."
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, nothing left behind
    if how == "both exist":
        assert target.read_text() == "kept"


def test_two_different_files_are_both_written(capsys, tmp_path: Path, model_file: Path) -> None:
    png, json_file = tmp_path / "a.png", tmp_path / "a.json"
    code, _out, err = run(
        capsys, "inspect", "--checkpoint", str(model_file), "--text", PROBE, "--png", str(png), "--json", str(json_file)
    )
    assert code == 0, err
    assert png.read_bytes().startswith(b"\x89PNG") and json_file.read_text().startswith("{")


@pytest.mark.parametrize("influence", [False, True], ids=["heat strip", "influence triangle"])
def test_the_png_is_drawn_without_qt_warnings(tmp_path: Path, model_file: Path, influence: bool) -> None:
    """Without a display, Qt's offscreen platform warned 'This plugin does not support
    propagateSizeHints()' on every PNG: nothing for the user to act on, so nothing is printed."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    argv = ["inspect", "--checkpoint", str(model_file), "--text", PROBE, "--png", str(tmp_path / "a.png")]
    done = subprocess.run(
        [sys.executable, "-m", "gru_studio", *argv, *(["--influence"] if influence else [])],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith(f"wrote {tmp_path / 'a.png'}")


def test_other_qt_messages_still_reach_stderr() -> None:
    """Only the offscreen platform's noise is dropped: a warning that matters still shows.
    (In a process of its own: pytest-qt catches Qt's messages in this one.)"""
    script = (
        "from PySide6.QtCore import qWarning\n"
        "from gru_studio.cli.inspect import quiet_qt_noise\n"
        "quiet_qt_noise()\n"
        "qWarning('This plugin does not support propagateSizeHints()')\n"
        "qWarning('something that matters')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "something that matters\n"
