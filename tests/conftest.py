"""Shared fixtures: the offline Time Machine, an isolated cache, tiny settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
TIME_MACHINE_FILE = SHARED_DATA / "timemachine.txt"


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real cache, or reaches the internet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))  # autosaves
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("GRU_STUDIO_TIMEMACHINE_URL", "http://127.0.0.1:9/timemachine.txt")
    if TIME_MACHINE_FILE.is_file():
        monkeypatch.setenv("GRU_STUDIO_DATA_DIR", str(SHARED_DATA))
    else:
        monkeypatch.delenv("GRU_STUDIO_DATA_DIR", raising=False)


needs_time_machine = pytest.mark.skipif(
    not TIME_MACHINE_FILE.is_file() and not os.environ.get("CI"),
    reason="../shared/data/timemachine.txt is not beside this checkout",
)


@pytest.fixture
def tiny_settings() -> tuple[CorpusConfig, ModelConfig, TrainConfig]:
    """A model and schedule small enough to train in well under a second."""
    return (
        CorpusConfig(source="sample", max_tokens=2000),
        ModelConfig(hidden=16),
        TrainConfig(epochs=3, batch_size=8, num_steps=8, sample_every=0, lr=1.0),
    )
