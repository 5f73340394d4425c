"""Every run keeps its final model (issue 30): Open model works for a run trained before the last one."""

from __future__ import annotations

import os
from pathlib import Path

from gru_studio.engine.history import kept_models
from tests.gui.conftest import train_and_wait
from tests.gui.runs.conftest import open_store, unguarded


def train_and_keep(qtbot, window) -> int:
    with qtbot.waitSignal(window.controller.model_kept, timeout=30_000):
        train_and_wait(qtbot, window)
    return window.controller.run_id


def test_each_run_keeps_its_model_and_the_first_one_opens_after_three_more(qtbot, window, tmp_path: Path) -> None:
    window.controller.models_folder = tmp_path / "models"
    ids = []
    for hidden in (8, 12, 16, 20):
        window.settings_panel.set_values({"hidden": hidden, "epochs": 2})
        ids.append(train_and_keep(qtbot, window))
    with open_store() as store:
        first = store.get(ids[0])
    assert first is not None and first.checkpoint == str(kept_models.kept_model_path(ids[0], tmp_path / "models"))
    assert all((tmp_path / "models" / f"run-{run_id}.pt").is_file() for run_id in ids)
    with qtbot.waitSignal(window.controller.model_opened, timeout=20_000):
        window.files.open_model(first.checkpoint)
    assert window.controller.session.model_config.hidden == 8  # the first run's model, not the last


def test_the_oldest_models_go_first_past_the_budget(tmp_path: Path) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    for run_id in range(1, 6):
        path = kept_models.kept_model_path(run_id, folder)
        path.write_bytes(b"x" * 1000)
        os.utime(path, ns=(run_id * 10**9, run_id * 10**9))  # run 1 the oldest
    (folder / "notes.txt").write_bytes(b"y" * 10_000)  # not ours: never counted, never deleted
    newest = kept_models.kept_model_path(5, folder)
    with unguarded():  # the engine's function, called by the test itself (the window calls it on a job thread)
        deleted = kept_models.prune(folder, budget=2500, keep=newest, pinned=())
    assert [p.name for p in deleted] == ["run-1.pt", "run-2.pt", "run-3.pt"]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "run-4.pt", "run-5.pt"]
    # The file just kept survives even a budget it alone exceeds.
    with unguarded():
        assert kept_models.prune(folder, budget=0, keep=newest, pinned=()) == [kept_models.kept_model_path(4, folder)]
    assert newest.is_file()
