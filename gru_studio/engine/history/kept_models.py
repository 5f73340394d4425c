"""Every run keeps its final model: one file per run id under the data folder, within a size budget.

The window saves each run's last weights here when the run ends (and records the file with
the run), so Open model and Continue work for any run still kept, not only the last one:
the single autosave file was replaced by each new run. The oldest files go first when the
folder outgrows its budget. A book-sized model (256 hidden units, 28 characters) is a
0.9 MB file and one of 1024 hidden units 13 MB, so the default 2 GiB keeps about 2,000 of
the first or 150 of the second: months of a student's runs, a small share of a disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from gru_studio.engine.files import user_data_dir

BUDGET_BYTES = 2 * 2**30


def models_folder() -> Path:
    return user_data_dir() / "models"


def kept_model_path(run_id: int, folder: Path | None = None) -> Path:
    return (folder or models_folder()) / f"run-{int(run_id)}.pt"


def prune(folder: Path, budget: int = BUDGET_BYTES, keep: Path | None = None) -> list[Path]:
    """Delete the oldest kept models until the folder holds at most `budget` bytes; never `keep`.

    Returns the files deleted. Only files this module names (run-N.pt) are counted or touched.
    """
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
        try:
            os.remove(path)
        except OSError:
            continue
        total -= size
        deleted.append(path)
    return deleted
