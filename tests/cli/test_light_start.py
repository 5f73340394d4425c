"""--help, --version and a mistyped flag answer at once: without torch, numpy or Qt (issue 29, item 5).

torch alone takes over a second to import; it comes in when a command runs.
Each check is a fresh process, so that nothing this test session imported counts.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

HEAVY = ("torch", "numpy", "PySide6", "pyqtgraph")

ANSWERED_BY_THE_PARSER = [
    ["--help"],
    ["--version"],
    ["--no-such-flag"],
    ["train", "--help"],
    ["train", "--epochs", "many"],
    ["train", "--mode", "words"],
    ["bench", "--help"],
    ["bench", "--rounds", "x"],
    ["generate", "--help"],
    ["generate"],  # --checkpoint is required
    ["inspect", "--help"],
    ["inspect"],
    ["runs", "--help"],
    ["runs"],  # an action is required
    ["runs", "show", "one"],
    ["sweep", "--help"],
    ["sweep", "--hidden", "128", "--no-such-flag"],
]


def modules_loaded(argv: list[str]) -> tuple[int, set[str]]:
    """Run `python -X importtime -m gru_studio ARGV`; its exit status and the top-level packages it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gru_studio", *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return result.returncode, imported


@pytest.mark.parametrize("argv", ANSWERED_BY_THE_PARSER, ids=" ".join)
def test_the_parser_answers_without_torch(argv: list[str]) -> None:
    code, imported = modules_loaded(argv)
    assert code in (0, 2), argv  # 0: help or version; 2: argparse's refusal
    assert "gru_studio" in imported  # the probe does see the imports
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_a_command_that_runs_does_import_torch() -> None:
    """The other side of the probe: it would see torch if the parser brought it in."""
    code, imported = modules_loaded(["generate", "--checkpoint", "none.pt", "--device", "cpu"])
    assert code == 1 and "torch" in imported


def test_build_parser_alone_loads_nothing_heavy() -> None:
    probe = (
        "import sys\n"
        "from gru_studio.cli import build_parser\n"
        "build_parser().format_help()\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "[]"
