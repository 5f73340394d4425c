"""Issue 13, the command line's side: each hostile case ends in one line, exit 1, nothing lost."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
import torch

from gru_studio.cli import main
from gru_studio.engine.models import footprint as memory
from gru_studio.engine.text.corpus import sample_text

SMALL = ["--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--sample-every", "0", "--device", "cpu"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], *argv: str, started: bool = False) -> str:
    """Run a command that must be refused: exit 1, one error line on stderr, no traceback; returns it.

    A run refused before it starts prints that line alone; one that fails once
    `started` prints it after the progress it had shown.
    """
    code, _, err = run(capsys, *argv)
    assert code == 1, err
    lines = err.strip().splitlines()
    assert "Traceback" not in err and (started or len(lines) == 1), err
    assert lines[-1].startswith("gru-studio: error: ") and not any("error" in line for line in lines[:-1])
    return lines[-1]


@pytest.fixture
def novel(tmp_path: Path) -> Path:
    path = tmp_path / "novel.txt"
    path.write_text(sample_text()[:6000])
    return path


@pytest.fixture
def model(capsys: pytest.CaptureFixture[str], tmp_path: Path, novel: Path) -> Path:
    """A 2-epoch checkpoint of novel.txt."""
    path = tmp_path / "model.pt"
    code, _, err = run(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "2", "--save", str(path))
    assert code == 0, err
    return path


# -- 1: --save onto the training text ---------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_save_onto_the_training_text_is_refused_even_with_force(capsys, novel, force) -> None:
    before = novel.read_bytes()
    err = refused(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", "--save", str(novel), *force)
    assert "it is the training text" in err
    assert novel.read_bytes() == before


def test_save_onto_a_link_to_the_training_text_is_refused(capsys, novel, tmp_path) -> None:
    link = tmp_path / "alias.txt"
    link.symlink_to(novel)
    err = refused(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", "--save", str(link))
    assert "training text" in err and link.is_symlink()


def test_save_onto_another_file_needs_force(capsys, novel, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    err = refused(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", "--save", str(notes))
    assert "is not a GRU Studio checkpoint" in err and "--force" in err
    assert notes.read_text() == "my notes"
    code, _, err = run(
        capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", "--save", str(notes), "--force"
    )
    assert code == 0, err
    assert notes.read_bytes()[:2] == b"PK"  # asked for, so replaced by a checkpoint


def test_save_over_a_checkpoint_needs_no_force(capsys, novel, model) -> None:
    code, _, err = run(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "3", "--save", str(model))
    assert code == 0, err
    assert torch.load(model, weights_only=True)["epoch"] == 3


# -- 3: a relative corpus path ---------------------------------------------------------------------


def test_resume_and_generate_from_another_folder_with_a_relative_corpus(capsys, novel, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(novel.parent)
    assert run(capsys, "train", "--corpus", "novel.txt", *SMALL, "--epochs", "1", "--save", "rel.pt")[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out, err = run(capsys, "train", "--resume", str(novel.parent / "rel.pt"), "--epochs", "2", "--json")
    assert code == 0, err
    assert json.loads(out)["epochs"] == 2
    novel.unlink()  # the text gone: the model still generates, and --resume says what is missing
    code, out, err = run(capsys, "generate", "--checkpoint", str(novel.parent / "rel.pt"), "--length", "10")
    assert code == 0 and out.startswith("time traveller"), err
    err = refused(capsys, "train", "--resume", str(novel.parent / "rel.pt"), "--epochs", "3")
    assert "novel.txt does not exist" in err and "put it back, or next to the model" in err


# -- 4: a --save target that cannot be a file -----------------------------------------------------


@pytest.mark.parametrize(("target", "words"), [("{tmp}", "it is a folder"), ("", "--save needs a file name")])
def test_a_save_target_that_is_no_file_is_refused_before_training(capsys, novel, tmp_path, target, words) -> None:
    err = refused(
        capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", "--save", target.format(tmp=tmp_path)
    )
    assert words in err and "epoch 1/1" not in err  # refused before the first epoch


# -- 5: memory ---------------------------------------------------------------------------------------


def test_a_setting_that_cannot_fit_in_memory_is_refused_with_the_estimate(capsys, monkeypatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 4 * 2**30)
    err = refused(
        capsys, "train", "--corpus", "sample", "--max-tokens", "0", "--hidden", "4096", "--batch-size", "4096"
    )
    assert "GiB of memory to train, and 4.0 GiB is available" in err


def test_the_cpu_allocator_failing_mid_run_is_one_line(capsys, novel, monkeypatch) -> None:
    def no_memory(*args: object, **kwargs: object) -> None:
        raise RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate 98304 bytes")

    monkeypatch.setattr(torch.nn.functional, "cross_entropy", no_memory)
    err = refused(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", started=True)
    assert "Out of memory on cpu" in err


# -- 7 and 11: damaged checkpoints -----------------------------------------------------------------


def damage(model: Path, change) -> Path:
    payload = torch.load(model, weights_only=True)
    change(payload)
    path = model.with_name("damaged.pt")
    torch.save(payload, path)
    return path


def test_nan_weights_are_refused_by_generate_and_resume_naming_the_tensor(capsys, model) -> None:
    def poison(payload: dict) -> None:
        payload["state_dict"]["W_xh"].fill_(math.nan)

    bad = damage(model, poison)
    for argv in (["generate", "--checkpoint", str(bad)], ["train", "--resume", str(bad), "--epochs", "3"]):
        err = refused(capsys, *argv)
        assert "weight W_xh: holds" in err and "NaN" in err and "learning rate" not in err


@pytest.mark.parametrize(
    ("field", "value"),
    [("epoch", "2"), ("history", None), ("training", {"optimizer": {}, "numpy_rng": 0, "torch_rng": 0})],
)
def test_an_ill_typed_field_is_one_line(capsys, model, field, value) -> None:
    bad = damage(model, lambda payload: payload.__setitem__(field, value))
    err = refused(capsys, "train", "--resume", str(bad), "--epochs", "3")
    assert f"{field}" in err and "damaged" in err


# -- 12: nonsense accepted in silence ------------------------------------------------------------


def test_resume_with_no_more_epochs_is_refused(capsys, model) -> None:
    err = refused(capsys, "train", "--resume", str(model), "--epochs", "1")
    assert "has already trained 2 epochs" in err and "--epochs" in err


def test_resume_names_the_flags_it_ignores(capsys, model) -> None:
    code, _, err = run(capsys, "train", "--resume", str(model), "--epochs", "3", "--hidden", "64", "--lr", "0.5")
    assert code == 0, err
    assert "ignored: --hidden, --lr." in err
    payload = torch.load(model, weights_only=True)
    assert payload["model_config"]["hidden"] == 16  # the checkpoint's, as the warning says
    code, _, err = run(capsys, "train", "--resume", str(model), "--epochs", "3", "--sample-every", "1")
    assert code == 0 and "ignored" not in err and "epoch 3: time traveller" in err  # honoured, not ignored


@pytest.mark.parametrize("flag", [["--layers", "2"], ["--dropout", "0.2"]])
def test_layers_and_dropout_with_a_scratch_model_are_refused(capsys, novel, flag) -> None:
    err = refused(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "1", *flag)
    assert f"{flag[0]}: applies to --model builtin, rnn-builtin, lstm-builtin only" in err


def test_resume_on_a_changed_text_with_the_same_characters_says_so(capsys, model, novel) -> None:
    text = novel.read_text()
    i = next(i for i in range(len(text) // 2, len(text)) if text[i : i + 2].isalpha() and text[i] != text[i + 1])
    novel.write_text(text[:i] + text[i + 1] + text[i] + text[i + 2 :])  # same counts and first occurrences
    code, _, err = run(capsys, "train", "--resume", str(model), "--epochs", "3")
    assert code == 0, err
    assert "has changed since this model was saved" in err


# -- 13: saving onto a link, and the mode -------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX links and permission bits")
def test_saving_onto_a_link_keeps_the_link_and_the_mode(capsys, novel, model, tmp_path) -> None:
    model.chmod(0o644)
    link = tmp_path / "latest.pt"
    link.symlink_to(model)
    code, _, err = run(capsys, "train", "--corpus", str(novel), *SMALL, "--epochs", "3", "--save", str(link))
    assert code == 0, err
    assert link.is_symlink() and torch.load(model, weights_only=True)["epoch"] == 3
    assert model.stat().st_mode & 0o777 == 0o644
