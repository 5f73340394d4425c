"""Shared fixtures: the offline Time Machine, an isolated cache, tiny settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.model_registry import ModelSpec
from gru_studio.engine.text.timemachine import DATA_DIR_ENV, FILE_NAME, URL
from tests import throwaway_model

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"  # the team's machines keep a copy beside the checkout
# Set (to 1) to run the suite as in a user's fresh clone: neither ../shared/data nor
# $GRU_STUDIO_DATA_DIR is looked at, so the tests that need the real text skip.
# CI's second run sets it, to prove the suite passes without the corpus.
FRESH_CLONE_ENV = "GRU_STUDIO_TEST_FRESH_CLONE"


def flag(name: str) -> bool:
    return os.environ.get(name, "").lower() not in ("", "0", "false")


def time_machine_dir() -> Path | None:
    """The folder holding the real Time Machine for these tests, or None.

    A user points $GRU_STUDIO_DATA_DIR at it when starting pytest; on the team's
    machines it is ../shared/data.
    """
    if flag(FRESH_CLONE_ENV):
        return None
    named = os.environ.get(DATA_DIR_ENV)
    for folder in ([Path(named)] if named else []) + [SHARED_DATA]:
        if (folder / FILE_NAME).is_file():
            return folder.resolve()
    return None


TIME_MACHINE_DIR = time_machine_dir()
# Where the tests that need it read it; when it is missing they skip (or, in CI, fail).
TIME_MACHINE_FILE = (TIME_MACHINE_DIR or SHARED_DATA) / FILE_NAME


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real cache, or reaches the internet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))  # autosaves
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("GRU_STUDIO_HOME", raising=False)  # it would move every folder above out of the tmp ones
    monkeypatch.setenv("GRU_STUDIO_TIMEMACHINE_URL", "http://127.0.0.1:9/timemachine.txt")
    if TIME_MACHINE_DIR is not None:
        monkeypatch.setenv(DATA_DIR_ENV, str(TIME_MACHINE_DIR))
    else:
        monkeypatch.delenv(DATA_DIR_ENV, raising=False)


# CI's first run has ../shared/data beside its clone: there a missing copy fails these
# tests instead of quietly skipping them. Everywhere else, and in CI's fresh-clone run, they skip.
needs_time_machine = pytest.mark.skipif(
    TIME_MACHINE_DIR is None and (flag(FRESH_CLONE_ENV) or not flag("CI")),
    reason=f"needs The Time Machine: set {DATA_DIR_ENV} to a folder holding {FILE_NAME} (from {URL})",
)


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
