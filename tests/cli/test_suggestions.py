"""Every command or flag an error message suggests is one that works where the message is read."""

from __future__ import annotations

import re

import pytest

from gru_studio.cli import build_parser, main
from gru_studio.engine.errors import CorpusError
from gru_studio.engine.hardware.device import resolve_device
from gru_studio.engine.text import timemachine


def parses(argv: list[str]) -> None:
    """`argv` is accepted by the command line's parser (SystemExit otherwise)."""
    build_parser().parse_args(argv)


def suggested_flags(message: str) -> list[str]:
    """The `--flag value` pairs a message suggests, e.g. ['--corpus', 'sample']."""
    pairs = re.findall(r"(--[a-z-]+) ([a-z0-9](?:[\w.-]*\w)?)", message)
    assert pairs, message
    return [word for pair in pairs for word in pair]


def test_a_damaged_time_machine_names_a_flag_every_training_command_takes(monkeypatch) -> None:
    class Gone:
        def read_bytes(self) -> bytes:
            raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(timemachine, "bundled", Gone)
    with pytest.raises(CorpusError) as info:
        timemachine.read()
    flags = suggested_flags(str(info.value))
    assert flags == ["--corpus", "sample"]
    for command in (["train"], ["bench"], ["sweep", "--lr", "0.5,1"]):
        parses([*command, *flags])


def test_a_missing_device_names_a_flag_each_command_with_a_device_takes() -> None:
    with pytest.raises(Exception, match="Use --device cpu") as info:
        resolve_device("cuda:7")  # no machine here has eight GPUs
    flags = suggested_flags(str(info.value))
    for command in (["train"], ["bench"], ["generate", "--checkpoint", "m.pt"], ["sweep", "--lr", "0.5,1"]):
        parses([*command, *flags])


@pytest.mark.parametrize("command", ["train", "bench", "generate", "runs", "sweep", "inspect"])
def test_a_bad_flag_points_at_a_help_that_exists(capsys, command: str) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--no-such-flag"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    suggested = re.search(r"\(see gru-studio (.+) --help\)", err)
    assert suggested, err
    with pytest.raises(SystemExit) as info:
        main([*suggested.group(1).split(), "--help"])
    assert info.value.code == 0


def test_an_unknown_run_id_points_at_runs_list(capsys) -> None:
    assert main(["runs", "show", "999"]) == 1
    err = capsys.readouterr().err
    assert "(see gru-studio runs list)" in err
    assert main(["runs", "list"]) == 0


def test_a_short_text_in_bench_suggests_nothing_bench_lacks(capsys, tmp_path) -> None:
    """train's message says 'a smaller batch size'; bench has no such flag, so its own says what it can do."""
    short = tmp_path / "short.txt"
    short.write_text("A short text, far shorter than one batch.")
    assert main(["bench", "--corpus", str(short)]) == 1
    err = capsys.readouterr().err
    assert "fewer than one batch" in err and "batch size 32 x 35 steps, which bench does not change" in err
    assert "smaller batch" not in err
    assert main(["bench", "--corpus", "sample", "--max-tokens", "100"]) == 1
    err = capsys.readouterr().err
    assert "--max-tokens 0 uses all" in err
    parses(["bench", "--corpus", "sample", "--max-tokens", "0"])
