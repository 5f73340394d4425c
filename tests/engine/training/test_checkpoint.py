import dataclasses
import os
import pickle

import pytest
import torch

from gru_studio.engine.errors import CheckpointError
from gru_studio.engine.models.generate import complete
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training import checkpoint
from gru_studio.engine.training.events import EpochRecord
from gru_studio.engine.training.trainer import create_trainer


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
    assert loaded.history == trained.history
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


def test_history_is_saved_as_plain_values_and_read_back_as_records(trained, tmp_path) -> None:
    path = tmp_path / "model.pt"
    checkpoint.save(path, trained)
    raw = torch.load(path, weights_only=True)  # plain dicts: a crafted file cannot sneak a class in here
    assert raw["history"][0] == trained.history[0].as_dict()
    assert raw["history"][0]["grad_norm"] > 0 and raw["history"][0]["elapsed_s"] > 0
    assert all(isinstance(r, EpochRecord) for r in checkpoint.load(path).history)


def test_a_checkpoint_from_before_grad_norm_and_elapsed_time_still_loads(trained, tmp_path) -> None:
    path = tmp_path / "old.pt"
    checkpoint.save(path, trained)
    payload = torch.load(path, weights_only=True)
    payload["history"] = [
        {k: v for k, v in record.items() if k not in ("grad_norm", "elapsed_s")} for record in payload["history"]
    ]
    torch.save(payload, path)
    loaded = checkpoint.load(path)
    assert [r.perplexity for r in loaded.history] == [r.perplexity for r in trained.history]
    assert all(r.grad_norm is None and r.elapsed_s is None for r in loaded.history)


def test_a_history_that_is_not_records_is_a_clear_error(trained, tmp_path) -> None:
    path = tmp_path / "odd.pt"
    checkpoint.save(path, trained)
    payload = torch.load(path, weights_only=True)
    payload["history"] = [{"epoch": 1}]
    torch.save(payload, path)
    with pytest.raises(CheckpointError, match="does not fit"):
        checkpoint.load(path)


def test_a_checkpoint_from_before_the_text_fingerprint_still_loads_and_trains_on(trained, tmp_path) -> None:
    path = tmp_path / "old.pt"
    checkpoint.save(path, trained)
    payload = torch.load(path, weights_only=True)
    del payload["text_sha1"]
    payload["corpus_config"]["source"] = "sample"
    torch.save(payload, path)
    loaded = checkpoint.load(path)
    assert loaded.text_sha1 is None and loaded.epoch == 2
    resaved = tmp_path / "new.pt"
    checkpoint.save(resaved, loaded)
    assert checkpoint.is_checkpoint(resaved) and checkpoint.load(resaved).text_sha1 is None
