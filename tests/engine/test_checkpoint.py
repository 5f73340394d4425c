import dataclasses
import os
import pickle

import pytest
import torch

from gru_studio.engine import checkpoint
from gru_studio.engine.corpus import load_corpus
from gru_studio.engine.errors import CheckpointError
from gru_studio.engine.generate import complete
from gru_studio.engine.trainer import create_trainer


@pytest.fixture
def trained(tiny_settings):
    corpus_config, model_config, train_config = tiny_settings
    corpus = load_corpus(corpus_config)
    trainer = create_trainer(corpus, corpus_config, model_config, dataclasses.replace(train_config, epochs=2))
    list(trainer.run())
    return trainer.checkpoint()


def test_round_trip_generates_the_same_text(trained, tmp_path) -> None:
    path = tmp_path / "model.pt"
    checkpoint.save(path, trained)
    loaded = checkpoint.load(path)
    assert loaded.vocab == trained.vocab
    assert loaded.model_config == trained.model_config and loaded.epoch == 2
    assert [h["perplexity"] for h in loaded.history] == [h["perplexity"] for h in trained.history]
    expected = complete(trained.model, trained.vocab, "time", 40)
    assert complete(loaded.model, loaded.vocab, "time", 40) == expected


class Payload:
    def __reduce__(self):
        return (os.system, (f"touch {Payload.marker}",))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")  # torch's note on the crafted file
def test_a_crafted_pickle_is_refused_and_its_payload_never_runs(tmp_path) -> None:
    Payload.marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    torch.save({"format": checkpoint.FORMAT, "version": 1, "x": Payload()}, evil)
    with pytest.raises(CheckpointError, match="refused"):
        checkpoint.load(evil)
    assert not Payload.marker.exists()
    plain = tmp_path / "plain.pickle"
    plain.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(CheckpointError):
        checkpoint.load(plain)
    assert not Payload.marker.exists()


def test_truncated_foreign_and_missing_files(trained, tmp_path) -> None:
    path = tmp_path / "model.pt"
    checkpoint.save(path, trained)
    data = path.read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        checkpoint.load(tmp_path / "cut.pt")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="not a GRU Studio checkpoint"):
        checkpoint.load(tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="does not exist"):
        checkpoint.load(tmp_path / "none.pt")


def test_a_failed_save_leaves_the_previous_file(trained, tmp_path, monkeypatch) -> None:
    path = tmp_path / "model.pt"
    checkpoint.save(path, trained)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(CheckpointError, match="No space left"):
        checkpoint.save(path, trained)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]
