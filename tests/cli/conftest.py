"""Fixtures shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """GRU_STUDIO_HOME in a fresh folder: the run store, autosave and logs of this test alone."""
    monkeypatch.setenv("GRU_STUDIO_HOME", str(tmp_path))
    return tmp_path
