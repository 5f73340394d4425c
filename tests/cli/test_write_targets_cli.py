"""Issue 28 on the command line: every writer refuses what --save refuses, reads stat first, prints names as text."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from gru_studio.engine.files import is_checkpoint
from tests.cli.test_hostile_cli import SMALL, refused, run

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and /dev")


@pytest.fixture
def trained(capsys, home: Path) -> tuple[Path, Path]:
    """Run 1 in the store: trained on novel.txt, saved as model.pt."""
    text = home / "novel.txt"
    text.write_text("the time traveller looked up from his work and smiled " * 40)
    model = home / "model.pt"
    code, _, err = run(capsys, "train", "--corpus", str(text), *SMALL, "--epochs", "1", "--save", str(model))
    assert code == 0, err
    return text, model


# -- cause 1 -------------------------------------------------------------------------------------------


def test_runs_export_never_replaces_the_training_text_or_the_store(capsys, home, trained) -> None:
    text, _ = trained
    before = text.read_bytes()
    for target, words in ((text, "it is the training text"), (home / "data" / "runs.sqlite3", "it is the run store")):
        for force in ([], ["--force"]):
            err = refused(capsys, "runs", "export", "1", "--csv", str(target), *force)
            assert words in err
    assert text.read_bytes() == before
    code, out, _ = run(capsys, "runs", "list")
    assert code == 0 and "novel.txt" in out


def test_runs_export_replaces_a_checkpoint_only_with_force(capsys, home, trained) -> None:
    _, model = trained
    err = refused(capsys, "runs", "export", "1", "--csv", str(model))
    assert "is a GRU Studio checkpoint" in err and "--force" in err and is_checkpoint(model)
    code, out, err = run(capsys, "runs", "export", "1", "--csv", str(model), "--force")
    assert code == 0 and "wrote" in out, err


@posix_only
def test_runs_export_onto_a_device_or_into_a_missing_folder_is_one_line(capsys, home, trained) -> None:
    assert "it is a device" in refused(capsys, "runs", "export", "1", "--csv", "/dev/null", "--force")
    assert "does not exist" in refused(capsys, "runs", "export", "1", "--csv", str(home / "no" / "c.csv"))
    assert "bytes long" in refused(capsys, "runs", "export", "1", "--csv", str(home / ("c" * 300)))


@pytest.mark.parametrize("flag", ["--png", "--json"])
def test_inspect_never_writes_over_the_checkpoint_it_reads(capsys, home, trained, flag) -> None:
    _, model = trained
    before = model.read_bytes()
    for force in ([], ["--force"]):
        err = refused(capsys, "inspect", "--checkpoint", str(model), "--text", "the", flag, str(model), *force)
        assert "it is the checkpoint being read" in err
    assert model.read_bytes() == before


def test_inspect_writes_over_another_checkpoint_only_with_force(capsys, home, trained) -> None:
    _, model = trained
    other = home / "other.pt"
    other.write_bytes(model.read_bytes())
    err = refused(capsys, "inspect", "--checkpoint", str(model), "--text", "the", "--json", str(other))
    assert "is a GRU Studio checkpoint" in err and is_checkpoint(other)
    code, _, err = run(capsys, "inspect", "--checkpoint", str(model), "--text", "the", "--json", str(other), "--force")
    assert code == 0, err


# -- cause 2 -------------------------------------------------------------------------------------------


@posix_only
def test_save_onto_dev_full_is_refused_without_reading_it(capsys, home) -> None:
    err = refused(capsys, "train", "--corpus", "sample", *SMALL, "--max-tokens", "2000", "--save", "/dev/full")
    assert "it is a device" in err


@posix_only
def test_generate_and_inspect_refuse_a_device_and_a_link_to_one(capsys, home) -> None:
    link = home / "zero.pt"
    link.symlink_to("/dev/zero")
    for path in ("/dev/zero", str(link)):
        assert "is a device, not a checkpoint" in refused(capsys, "generate", "--checkpoint", path)
        err = refused(capsys, "inspect", "--checkpoint", path, "--text", "the", "--json", str(home / "o.json"))
        assert "is a device, not a checkpoint" in err


@posix_only
def test_generate_from_a_named_pipe_does_not_block(capsys, home) -> None:
    fifo = home / "f.pt"
    os.mkfifo(fifo)
    answer: list[int] = []
    thread = threading.Thread(target=lambda: answer.append(run(capsys, "generate", "--checkpoint", str(fifo))[0]))
    thread.daemon = True
    thread.start()
    thread.join(20)
    assert not thread.is_alive() and answer == [1]


# -- cause 9 -------------------------------------------------------------------------------------------


def test_runs_list_escapes_control_characters_in_a_file_name(capsys, home) -> None:
    text = home / "\x1b[2Jnovel.txt"
    text.write_text("the time traveller looked up from his work and smiled " * 40)
    code, _, err = run(capsys, "train", "--corpus", str(text), *SMALL, "--epochs", "1")
    assert code == 0, err
    code, out, _ = run(capsys, "runs", "list")
    assert code == 0 and "\x1b" not in out and "\\x1b[2Jnovel.txt" in out
    code, out, _ = run(capsys, "runs", "show", "1")
    assert code == 0 and "\x1b" not in out and "\\x1b[2Jnovel.txt" in out
