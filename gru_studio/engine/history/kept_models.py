"""Every run keeps its final model: one file per run id under the data folder, within a size budget.

The window saves each run's last weights here when the run ends (and records the file with
the run), so Open model and Continue work for any run still kept, not only the last one:
the single autosave file was replaced by each new run. The oldest files go first when the
folder outgrows its budget. A book-sized model (256 hidden units, 28 characters) is a
0.9 MB file and one of 1024 hidden units 13 MB, so the default 2 GiB keeps about 2,000 of
the first or 150 of the second: months of a student's runs, a small share of a disk.
A run the user pinned (RunStore.set_pinned) keeps its model whatever the budget.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Collection
from pathlib import Path

from gru_studio.engine.files import user_data_dir

BUDGET_BYTES = 2 * 2**30


def models_folder() -> Path:
    return user_data_dir() / "models"


def kept_model_path(run_id: int, folder: Path | None = None) -> Path:
    return (folder or models_folder()) / f"run-{int(run_id)}.pt"


KEPT_NAME = re.compile(r"run-(\d+)\.pt")


def prune(
    folder: Path, budget: int = BUDGET_BYTES, keep: Path | None = None, pinned: Collection[int] | None = None
) -> list[Path]:
    """Delete the oldest unpinned kept models until the folder holds at most `budget` bytes; never
    `keep`, never the model of a pinned run.

    `pinned`: the ids of the pinned runs; None reads them from the run store beside the folder
    (the data folder's runs.sqlite3), and when that store exists but cannot be read, nothing is
    deleted: a pin that cannot be seen is still a pin. Returns the files deleted. Only files
    this module names (run-N.pt) are counted or touched; pinned ones count towards the budget.
    """
    if pinned is None:
        pinned = pinned_beside(folder)
        if pinned is None:
            return []
    files = []
    for path in folder.glob("run-*.pt"):
        try:
            stat = path.stat()
        except OSError:
            continue  # gone meanwhile
        files.append((stat.st_mtime_ns, stat.st_size, path))
    total = sum(size for _, size, _ in files)
    deleted = []
    for _, size, path in sorted(files, key=lambda item: item[0]):  # the oldest first
        if total <= budget:
            break
        if keep is not None and path == keep:
            continue
        named = KEPT_NAME.fullmatch(path.name)
        if named is not None and int(named.group(1)) in pinned:
            continue
        try:
            os.remove(path)
        except OSError:
            continue
        total -= size
        deleted.append(path)
    return deleted


def pinned_beside(folder: Path) -> set[int] | None:
    """The pinned runs' ids in the run store beside `folder`: none when there is no store; None when
    it cannot be read (locked for seconds, damaged)."""
    # Imported here: the store imports this module (delete_kept_model), so not at load.
    from gru_studio.engine.history.store import FILE_NAME, RunStore, StoreUnavailableError

    path = folder.parent / FILE_NAME
    if not path.is_file():
        return set()
    # Read-only and never RunStore.open: pruning must not move a damaged store aside nor mark runs crashed.
    try:
        with RunStore(path, read_only=True, wait_s=2.0, retries=0) as store:
            return store.pinned_ids()
    except (StoreUnavailableError, sqlite3.Error, OSError):
        return None
