"""Saving and loading a trained model: weights, vocabulary, settings and history.

The file is written by `torch.save` and read with `weights_only=True`, which
accepts only tensors and plain Python values: a crafted file cannot run code.
What it holds is then checked field by field (checkpoint_schema), weights
included: a damaged file is refused at load, naming the field, never later.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from gru_studio import __version__
from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig, ModelConfig, TrainConfig, validate_all
from gru_studio.engine.errors import CheckpointError, GruStudioError, reason_of
from gru_studio.engine.files import CHECKPOINT_FORMAT, SpecialFileError, open_regular, special_kind, write_atomic
from gru_studio.engine.files import is_checkpoint as is_checkpoint  # where the window and `train` have looked for it
from gru_studio.engine.messages import QT_TRANSLATE_NOOP
from gru_studio.engine.models import build_model
from gru_studio.engine.text.vocab import Vocab
from gru_studio.engine.training.checkpoint_schema import SchemaError, check_payload, check_training, check_weights
from gru_studio.engine.training.events import EpochRecord

FORMAT = CHECKPOINT_FORMAT
FINGERPRINT_PIECE = 1 << 20  # tokens hashed at a time: 4 MiB of int32
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
    text_sha1: str | None = None  # text_fingerprint of the tokens trained on; None in older files


def save(path: str | Path, checkpoint: Checkpoint) -> None:
    """Write atomically: an interrupted save leaves any earlier file as it was."""
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "vocab": checkpoint.vocab.idx_to_token,
        "mode": checkpoint.mode,
        # Absolute: a relative path would be read against wherever the file is opened next.
        "corpus_config": dataclasses.asdict(absolute_source(checkpoint.corpus_config)),
        "model_config": dataclasses.asdict(checkpoint.model_config),
        "train_config": dataclasses.asdict(checkpoint.train_config),
        "epoch": checkpoint.epoch,
        "history": [record.as_dict() for record in checkpoint.history],
        "training": checkpoint.training,
        "text_sha1": checkpoint.text_sha1,
        "state_dict": {k: v.detach().cpu() for k, v in checkpoint.model.state_dict().items()},
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    path = Path(path)
    try:
        write_atomic(path, buffer.getvalue())
    except OSError as exc:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "Could not save {path}: {reason}. Nothing was overwritten."),
            path=path,
            reason=exc.strerror or exc,
        ) from None


def load(path: str | Path, device: torch.device | str = "cpu") -> Checkpoint:
    """Read and check a checkpoint; its corpus source is where the text is found now (see locate_text)."""
    path = Path(path)
    try:
        # Stat first: a device or a named pipe is refused unopened (/dev/zero used to fill the memory,
        # a pipe to block forever); a regular file is read to its end.
        with os.fdopen(open_regular(path), "rb") as f:
            data = f.read()
    except SpecialFileError as exc:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "{path} is {kind}, not a checkpoint; only a regular file can be one."),
            path=path,
            kind=special_kind(exc.mode),
        ) from None
    except FileNotFoundError:
        raise CheckpointError(QT_TRANSLATE_NOOP("engine", "{path} does not exist."), path=path) from None
    except IsADirectoryError:
        raise CheckpointError(QT_TRANSLATE_NOOP("engine", "{path} is a folder, not a checkpoint."), path=path) from None
    except OSError as exc:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "{path} cannot be read: {reason}."), path=path, reason=exc.strerror or exc
        ) from None
    try:
        payload = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise CheckpointError(
            QT_TRANSLATE_NOOP(
                "engine",
                "{path} was refused: it holds objects other than tensors and plain values, "
                "so it is not a GRU Studio checkpoint and may not be safe.",
            ),
            path=path,
        ) from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError, KeyError, OSError):
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "{path} is not a GRU Studio checkpoint, or it is corrupt or truncated."),
            path=path,
        ) from None
    return _from_payload(payload, path, device)


def text_fingerprint(tokens: np.ndarray) -> str:
    """SHA-1 of the token stream a model trains on: the text after preprocessing and max_tokens.

    Hashing the tokens rather than the file's bytes means the same text
    re-encoded or with other line endings is still the same, and a change past
    max_tokens (that training never sees) does not count. ~0.2 s for 50 MB.
    The hash is of the tokens as int32, whatever width they are kept in, so
    checkpoints saved when the corpus was always int32 still match; they are
    widened a piece at a time, so a large text is not copied whole.
    """
    digest = hashlib.sha1()
    for start in range(0, len(tokens), FINGERPRINT_PIECE):
        digest.update(np.ascontiguousarray(tokens[start : start + FINGERPRINT_PIECE], dtype=np.int32).tobytes())
    return digest.hexdigest()


def absolute_source(config: CorpusConfig) -> CorpusConfig:
    """The config with a file source made absolute, so that the checkpoint names it from anywhere."""
    if config.source in (TIME_MACHINE, SAMPLE):
        return config
    return dataclasses.replace(config, source=str(Path(config.source).expanduser().absolute()))


def locate_text(config: CorpusConfig, checkpoint_path: Path) -> CorpusConfig:
    """Where the text of a checkpoint is now: its saved path if that exists, else a file of the
    same name next to the checkpoint (a model and its text moved or copied together), else the
    saved path made absolute against the checkpoint's folder (so an error names a real place)."""
    if config.source in (TIME_MACHINE, SAMPLE):
        return config
    saved = Path(config.source).expanduser()
    folder = checkpoint_path.expanduser().absolute().parent
    candidates = [saved] if saved.is_absolute() else [folder / saved]
    candidates.append(folder / saved.name)
    for candidate in candidates:
        if candidate.is_file():
            return dataclasses.replace(config, source=str(candidate))
    return dataclasses.replace(config, source=str(candidates[0]))


def _from_payload(payload: object, path: Path, device: torch.device | str) -> Checkpoint:
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(QT_TRANSLATE_NOOP("engine", "{path} is not a GRU Studio checkpoint."), path=path)
    if payload.get("version") != VERSION:
        raise CheckpointError(
            QT_TRANSLATE_NOOP(
                "engine",
                "{path} is a checkpoint of format version {version}; "
                "this GRU Studio ({app_version}) reads version {known}.",
            ),
            path=path,
            version=payload.get("version"),
            app_version=__version__,
            known=VERSION,
        )
    try:
        check_payload(payload)
        corpus_config = CorpusConfig(**payload["corpus_config"])
        model_config = ModelConfig(**payload["model_config"])
        train_config = TrainConfig(**payload["train_config"])
        validate_all(corpus_config, model_config, train_config)
        vocab = Vocab(list(payload["vocab"]))
        model = build_model(model_config, len(vocab))
        check_weights(payload["state_dict"], model.state_dict())
        model.load_state_dict(payload["state_dict"])
        check_training(payload.get("training"), list(model.parameters()), train_config.optimizer)
        history = [EpochRecord.from_dict(record) for record in payload["history"]]
    except SchemaError as exc:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "{path} is damaged or does not fit this version of GRU Studio: {error}."),
            path=path,
            error=exc.phrase,
        ) from None
    except TypeError as exc:  # a settings table with a key the dataclass does not know (Python's words)
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "{path} does not fit this version of GRU Studio: {error}"),
            path=path,
            error=str(exc),
        ) from None
    except (KeyError, ValueError, RuntimeError, GruStudioError) as exc:
        # A ConfigError's words are translated; torch's (a state_dict that does not load) are its own.
        raise CheckpointError(
            QT_TRANSLATE_NOOP("engine", "{path} does not fit this version of GRU Studio: {error}"),
            path=path,
            error=reason_of(exc),
        ) from None
    return Checkpoint(
        model.to(device),
        vocab,
        str(payload["mode"]),
        locate_text(corpus_config, path),
        model_config,
        train_config,
        payload["epoch"],
        history,
        payload.get("training"),
        payload.get("text_sha1"),
    )
