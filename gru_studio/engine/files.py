"""Where a user's files go and how they are written.

The per-user folders are found here, without Qt, so that the command line, the
window and the tests agree on them: the corpus cache, the autosave and the logs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` so that `path` holds either the old content or the new, never a mix.

    The bytes go to a temporary file in the same folder (so the final rename
    stays on one file system), are flushed to disk, then renamed over `path`.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Set, everything GRU Studio keeps for a user lives below this one folder (cache/,
# data/, logs/): a portable install, a test run, a second profile.
HOME_ENV = "GRU_STUDIO_HOME"
APP_FOLDER = "gru-studio"


@dataclass(frozen=True)
class _Place:
    """Where one kind of per-user folder lives on each OS (paths below the user's home)."""

    below_override: str  # below $GRU_STUDIO_HOME
    xdg: str  # the XDG variable on Linux and other Unixes ...
    xdg_default: str  # ... and its default when unset
    mac: str
    windows: str  # a Windows variable ...
    windows_default: str  # ... and its default when unset
    windows_below: str = ""  # below APP_FOLDER, where two kinds share a Windows folder


CACHE = _Place("cache", "XDG_CACHE_HOME", ".cache", "Library/Caches", "LOCALAPPDATA", "AppData/Local")
# Roaming on Windows, where Qt's AppDataLocation kept the autosave before this module did.
DATA = _Place("data", "XDG_DATA_HOME", ".local/share", "Library/Application Support", "APPDATA", "AppData/Roaming")
# XDG has no log folder: logs are the "state" it describes. Windows has none
# either, so they go in a folder of their own beside the cache's files.
LOGS = _Place("logs", "XDG_STATE_HOME", ".local/state", "Library/Logs", "LOCALAPPDATA", "AppData/Local", "logs")


def user_cache_dir() -> Path:
    """Files that can be fetched again (the Time Machine download)."""
    return _user_dir(CACHE)


def user_data_dir() -> Path:
    """Files the user would miss (the autosaved model)."""
    return _user_dir(DATA)


def user_log_dir() -> Path:
    """The crash log and faults.log."""
    return _user_dir(LOGS)


def _user_dir(place: _Place) -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        # Absolute now, so that a later change of working folder cannot move it.
        return Path(override).expanduser().absolute() / place.below_override
    home = Path.home()
    if sys.platform == "win32":
        base = _absolute(os.environ.get(place.windows)) or home / place.windows_default
        return base / APP_FOLDER / place.windows_below
    if sys.platform == "darwin":
        return home / place.mac / APP_FOLDER
    return (_absolute(os.environ.get(place.xdg)) or home / place.xdg_default) / APP_FOLDER


def _absolute(value: str | None) -> Path | None:
    """The folder an environment variable names, if it names one absolutely.

    The XDG specification says a relative path there is invalid and must be
    ignored: it would land wherever the program happened to be started.
    """
    return Path(value) if value and Path(value).is_absolute() else None
