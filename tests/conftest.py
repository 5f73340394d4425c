"""Shared fixtures: isolated user folders, tiny settings, a throw-away model kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.model_registry import ModelSpec
from tests import throwaway_model

REPO = Path(__file__).resolve().parent.parent
# The book's text ships in the package (engine/text/timemachine.py): every test can read it, offline.
TIME_MACHINE_FILE = REPO / "gru_studio" / "data" / "timemachine.txt"


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real cache, data or settings folders."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))  # autosaves
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("GRU_STUDIO_HOME", raising=False)  # it would move every folder above out of the tmp ones


@pytest.fixture
def tiny_settings() -> tuple[CorpusConfig, ModelConfig, TrainConfig]:
    """A model and schedule small enough to train in well under a second."""
    return (
        CorpusConfig(source="sample", max_tokens=2000),
        ModelConfig(hidden=16),
        TrainConfig(epochs=3, batch_size=8, num_steps=8, sample_every=0, lr=1.0),
    )


@pytest.fixture
def throwaway() -> Iterator[ModelSpec]:
    """A throw-away model kind (tests/throwaway_model.py), registered for the test and taken away after."""
    yield from throwaway_model.registered()
