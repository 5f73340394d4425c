"""Issue 28, causes 1, 2 and 9: one check before every file GRU Studio writes, stat first, names as text.

check_target (engine/files.py) refuses the text in use, the run store, a folder, a device, a
named pipe, a missing folder and an over-long name in one line; a checkpoint is written over only
when asked. Files are read stat first: a device or a pipe is never opened to be read whole.
"""

from __future__ import annotations

import csv
import os
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import CheckpointError, TargetError
from gru_studio.engine.files import CHECKPOINT_FORMAT, check_target, is_checkpoint, run_store, training_text
from gru_studio.engine.history.store import RunStore, default_path
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import EpochRecord

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and /dev")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRU_STUDIO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def model(tmp_path: Path) -> Path:
    """A file that looks like our checkpoint to is_checkpoint (the zip torch.save writes, with our marker)."""
    path = tmp_path / "model.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model/data.pkl", b"\x80\x02}q\x00X\x06\x00\x00\x00format" + CHECKPOINT_FORMAT.encode())
    return path


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.pt"
    os.mkfifo(path)
    return path


def finishes(call, seconds: float = 10.0):
    """What `call()` returned or raised, failing the test if it blocks (a pipe opened for reading)."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = call()
        except BaseException as exc:  # handed back to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("result")


# -- cause 1: one check for every writer ------------------------------------------------------------


def test_a_new_file_in_an_existing_folder_passes(home, tmp_path) -> None:
    assert check_target(tmp_path / "out.csv") == tmp_path / "out.csv"


def test_the_text_in_use_is_never_written_even_with_force(home, tmp_path) -> None:
    text = tmp_path / "novel.txt"
    text.write_text("a story")
    link = tmp_path / "alias.txt"
    link.symlink_to(text)
    for target in (text, link):
        for force in (False, True):
            with pytest.raises(TargetError, match="it is the training text") as caught:
                check_target(target, protected=[training_text(str(text))], force=force)
            assert not caught.value.ask
    assert training_text("sample")[0] is None and training_text("timemachine")[0] is None


def test_the_run_store_is_never_written(home) -> None:
    RunStore.open()[0].close()
    store = default_path()
    for target in (store, Path(f"{store}-wal")):
        with pytest.raises(TargetError, match="it is the run store"):
            check_target(target, force=True)
    other = home / "elsewhere.sqlite3"
    with pytest.raises(TargetError, match="it is the run store"):
        check_target(other, protected=run_store(other), force=True)


def test_a_checkpoint_is_replaced_only_when_asked(home, model) -> None:
    with pytest.raises(TargetError, match=r"is a GRU Studio checkpoint.*--force") as caught:
        check_target(model)
    assert caught.value.ask
    assert check_target(model, force=True) == model
    assert check_target(model, checkpoint=True) == model  # saving a model over a model


def test_saving_a_checkpoint_over_another_file_needs_force(home, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    with pytest.raises(TargetError, match=r"not a GRU Studio checkpoint.*--force") as caught:
        check_target(notes, checkpoint=True)
    assert caught.value.ask
    assert check_target(notes, checkpoint=True, force=True) == notes
    assert check_target(notes) == notes  # a CSV over a CSV: what exporting again means


@posix_only
def test_devices_pipes_and_folders_are_never_written(home, tmp_path, fifo) -> None:
    for target, words in (
        (Path("/dev/null"), "it is a device"),
        (Path("/dev/full"), "it is a device"),
        (fifo, r"it is a named pipe \(FIFO\)"),
        (tmp_path, "it is a folder"),
    ):
        for checkpoint_file in (False, True):
            with pytest.raises(TargetError, match=words) as caught:
                finishes(lambda t=target, c=checkpoint_file: check_target(t, force=True, checkpoint=c))
            assert not caught.value.ask and "\n" not in str(caught.value)


def test_a_missing_folder_and_an_over_long_name_are_one_clear_line(home, tmp_path) -> None:
    with pytest.raises(TargetError, match=r"the folder .*nowhere does not exist"):
        check_target(tmp_path / "nowhere" / "out.csv")
    (tmp_path / "file").write_text("x")
    with pytest.raises(TargetError, match="does not exist"):
        check_target(tmp_path / "file" / "out.csv")
    with pytest.raises(TargetError, match=r"its name is 300 bytes long; this folder allows 255\.") as caught:
        check_target(tmp_path / ("n" * 300))
    assert len(str(caught.value)) < 400  # the name shortened to show
    with pytest.raises(TargetError, match="the path is longer than this system allows"):
        check_target(tmp_path / "/".join(["d" * 200] * 30) / "out.csv")
    with pytest.raises(TargetError, match="No file name"):
        check_target("  ")


# -- cause 1, the run store's export --------------------------------------------------------------


def _run(store: RunStore, source: str, name: str = "") -> int:
    run_id = store.start(
        CorpusConfig(source=source),
        ModelConfig(hidden=16),
        TrainConfig(epochs=1),
        corpus_name=Path(source).name,
        corpus_sha1=None,
        device="cpu",
        torch_version="test",
        name=name,
    )
    store.add_epoch(run_id, EpochRecord(1, 9.0, None, 1000.0, 0.5, 0.1))
    return run_id


def test_the_export_never_replaces_the_store_or_a_runs_text_and_a_checkpoint_only_when_forced(home, tmp_path, model):
    text = tmp_path / "novel.txt"
    text.write_text("a story")
    before = text.read_bytes()
    with RunStore() as store:
        run_id = _run(store, str(text))
        for target in (text, store.path):
            with pytest.raises(TargetError, match=r"it is the (training text|run store)"):
                store.export_csv([run_id], target, force=True)
        assert text.read_bytes() == before and store.get(run_id) is not None
        with pytest.raises(TargetError, match="checkpoint"):
            store.export_csv([run_id], model)
        assert is_checkpoint(model)
        assert store.export_csv([run_id], model, force=True) == 1
    assert not is_checkpoint(model)


# -- cause 2: files read stat first ------------------------------------------------------------------


@posix_only
def test_a_device_or_a_link_to_one_is_no_checkpoint_and_is_not_read(tmp_path) -> None:
    link = tmp_path / "zero.pt"
    link.symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), link):
        assert not finishes(lambda p=path: is_checkpoint(p))
        with pytest.raises(CheckpointError, match="is a device, not a checkpoint"):
            finishes(lambda p=path: checkpoint.load(p))


@posix_only
def test_a_named_pipe_is_no_checkpoint_and_does_not_block(fifo) -> None:
    assert not finishes(lambda: is_checkpoint(fifo))
    with pytest.raises(CheckpointError, match=r"is a named pipe \(FIFO\), not a checkpoint"):
        finishes(lambda: checkpoint.load(fifo))


def test_a_folder_is_still_named_as_one(tmp_path) -> None:
    with pytest.raises(CheckpointError, match="is a folder, not a checkpoint"):
        checkpoint.load(tmp_path)


# -- cause 9: names that a spreadsheet would run -----------------------------------------------------


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_an_exported_name_is_never_a_formula(home, tmp_path, name) -> None:
    with RunStore() as store:
        run_id = _run(store, "sample", name=name)
        store.export_csv([run_id], tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv", newline="", encoding="utf-8") as f:
        [row] = list(csv.DictReader(f))
    assert row["name"] == "'" + name


def test_a_plain_name_is_exported_as_it_is(home, tmp_path) -> None:
    with RunStore() as store:
        run_id = _run(store, "sample", name="lr 0.5 = fast")
        store.export_csv([run_id], tmp_path / "runs.csv")
    with open(tmp_path / "runs.csv", newline="", encoding="utf-8") as f:
        assert next(csv.DictReader(f))["name"] == "lr 0.5 = fast"
