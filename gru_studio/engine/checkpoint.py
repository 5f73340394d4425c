"""Saving and loading a trained model: weights, vocabulary, settings and history.

The file is written by `torch.save` and read with `weights_only=True`, which
accepts only tensors and plain Python values: a crafted file cannot run code.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from gru_studio import __version__
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig, validate_all
from gru_studio.engine.errors import CheckpointError, GruStudioError
from gru_studio.engine.events import EpochRecord
from gru_studio.engine.files import write_atomic
from gru_studio.engine.models import build_model
from gru_studio.engine.vocab import Vocab

FORMAT = "gru-studio-checkpoint"
VERSION = 1


@dataclass
class Checkpoint:
    """A model ready to generate from, with everything needed to explain or continue it."""

    model: nn.Module
    vocab: Vocab
    mode: str
    corpus_config: CorpusConfig
    model_config: ModelConfig
    train_config: TrainConfig
    epoch: int
    history: list[EpochRecord]
    training: dict | None = None  # optimizer and RNG states, for an exact resume


def save(path: str | Path, checkpoint: Checkpoint) -> None:
    """Write atomically: an interrupted save leaves any earlier file as it was."""
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "vocab": checkpoint.vocab.idx_to_token,
        "mode": checkpoint.mode,
        "corpus_config": dataclasses.asdict(checkpoint.corpus_config),
        "model_config": dataclasses.asdict(checkpoint.model_config),
        "train_config": dataclasses.asdict(checkpoint.train_config),
        "epoch": checkpoint.epoch,
        "history": [record.as_dict() for record in checkpoint.history],
        "training": checkpoint.training,
        "state_dict": {k: v.detach().cpu() for k, v in checkpoint.model.state_dict().items()},
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    path = Path(path)
    try:
        write_atomic(path, buffer.getvalue())
    except OSError as exc:
        raise CheckpointError(f"Could not save {path}: {exc.strerror or exc}. Nothing was overwritten.") from None


def load(path: str | Path, device: torch.device | str = "cpu") -> Checkpoint:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CheckpointError(f"{path} does not exist.") from None
    except OSError as exc:
        raise CheckpointError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    try:
        payload = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise CheckpointError(
            f"{path} was refused: it holds objects other than tensors and plain values, "
            "so it is not a GRU Studio checkpoint and may not be safe."
        ) from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError, KeyError, OSError):
        raise CheckpointError(f"{path} is not a GRU Studio checkpoint, or it is corrupt or truncated.") from None
    return _from_payload(payload, path, device)


def _from_payload(payload: object, path: Path, device: torch.device | str) -> Checkpoint:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a GRU Studio checkpoint.")
    if payload.get("version") != VERSION:
        raise CheckpointError(
            f"{path} is a checkpoint of format version {payload.get('version')}; "
            f"this GRU Studio ({__version__}) reads version {VERSION}."
        )
    try:
        corpus_config = CorpusConfig(**payload["corpus_config"])
        model_config = ModelConfig(**payload["model_config"])
        train_config = TrainConfig(**payload["train_config"])
        validate_all(corpus_config, model_config, train_config)
        vocab = Vocab(list(payload["vocab"]))
        model = build_model(model_config, len(vocab))
        model.load_state_dict(payload["state_dict"])
        history = [EpochRecord.from_dict(record) for record in payload["history"]]
    except (KeyError, TypeError, ValueError, RuntimeError, GruStudioError) as exc:
        raise CheckpointError(f"{path} does not fit this version of GRU Studio: {exc}") from None
    return Checkpoint(
        model.to(device),
        vocab,
        str(payload["mode"]),
        corpus_config,
        model_config,
        train_config,
        int(payload["epoch"]),
        history,
        payload.get("training"),
    )
