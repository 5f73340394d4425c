"""Every whole-number flag of every command has a range, checked as the flags are parsed.

A number past it is argparse's one line and status 2, before anything is
read: never a ValueError from torch.manual_seed or an OverflowError from a
tensor's shape or an SQLite query (`generate --seed 99999999999999999999999`
was a ValueError traceback). The flags are found by walking the parsers, so a
flag added later is covered without a new test.
"""

from __future__ import annotations

import argparse

import pytest
import torch

from gru_studio.cli import build_parser, main
from gru_studio.cli.flags import INT64_MAX, int_in

# `runs` takes run ids, the run store's (its own tests check them: tests/cli/test_runs_cli.py).
ELSEWHERE = {"runs"}
HUGE = "99999999999999999999999"


def whole_number_flags() -> list[tuple[str, str]]:
    """(command, flag) for every option of every command that takes a whole number."""
    found = []
    for command, parser in build_parser().commands.items():
        if command in ELSEWHERE:
            continue
        for action in parser._actions:
            if action.option_strings and getattr(action.type, "__name__", None) == "int":
                found.append((command, action.option_strings[0]))
    return found


FLAGS = whole_number_flags()


def refusal(capsys: pytest.CaptureFixture[str], command: str, flag: str, value: str) -> str:
    argv = [command, flag, value]
    if command in ("generate", "inspect"):
        argv += ["--checkpoint", "missing.pt"]
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_the_flags_are_found() -> None:
    names = {f"{command} {flag}" for command, flag in FLAGS}
    assert {"generate --seed", "generate --length", "train --seed", "train --hidden", "inspect --layer"} <= names
    assert {"bench --rounds", "sweep --threads", "generate --clamp-from"} <= names
    # Every whole-number flag goes through int_in: none is a bare `type=int` without a range.
    for command, parser in build_parser().commands.items():
        if command not in ELSEWHERE:
            assert not [a.dest for a in parser._actions if a.type is int], command


@pytest.mark.parametrize(("command", "flag"), FLAGS, ids=" ".join)
@pytest.mark.parametrize(
    "value", [HUGE, f"-{HUGE}", str(2**63), "9" * 5000], ids=["huge", "-huge", "2**63", "5000 digits"]
)
def test_a_number_past_the_range_is_one_argparse_line(capsys, command: str, flag: str, value: str) -> None:
    err = refusal(capsys, command, flag, value)
    assert f"gru-studio {command}: error: argument {flag}: " in err
    assert "must be at" in err or "invalid int value" in err
    assert len(err) < 300  # 5,000 digits are not echoed back whole


def test_the_seed_of_generate_fits_torch(capsys) -> None:
    err = refusal(capsys, "generate", "--seed", HUGE)
    assert "argument --seed: must be at most 2147483647, got 99999999999999999999999" in err
    torch.Generator().manual_seed(2**31 - 1)  # the largest one taken is one torch takes


def test_int_in_keeps_within_int64_and_to_its_bounds() -> None:
    unbounded = int_in(None, None)
    assert unbounded(str(INT64_MAX)) == INT64_MAX
    for bad in (str(INT64_MAX + 1), str(-INT64_MAX - 2), "1.5", "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            unbounded(bad)
    assert int_in(1, 8)(" 8 ") == 8
    with pytest.raises(argparse.ArgumentTypeError, match="must be at least 1, got 0"):
        int_in(1, 8)("0")
