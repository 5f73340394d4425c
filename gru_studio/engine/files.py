"""Where a user's files go and how they are written.

The per-user folders are found here, without Qt, so that the command line, the
window and the tests agree on them: the corpus cache, the autosave and the logs.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The classes, not platformdirs' own pick by sys.platform, so that the tests can play each OS.
from platformdirs.unix import Unix
from platformdirs.windows import Windows

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


# A temporary file of ours that no writer holds locked was left by a save that
# was killed: the next save into that folder removes it (25 kills in a row had
# left seven of them, 357 MB). A writer locks its file just after creating it,
# so a file younger than LOCK_GRACE_S may simply not be locked yet. Where locks
# cannot be taken (Windows, some network file systems) age alone decides, and
# only a file older than STALE_TEMP_S goes.
LOCK_GRACE_S = 5.0
STALE_TEMP_S = 60.0
TEMP_SUFFIX = ".tmp"  # with the prefix `.NAME.`: the pattern of our temporary files


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` so that `path` holds either the old content or the new, never a mix.

    The bytes go to a temporary file in the same folder (so the final rename
    stays on one file system), are flushed to disk, then renamed over `path`.
    A symbolic link is written through: its target is replaced and the link
    stays. A file that is replaced keeps its permission bits; a new one gets
    the usual ones (0666 less the umask), not mkstemp's private 0600.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    _remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            _lock(f.fileno())  # held until closed: tells a later save that this file is not stale
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _remove_stale_temps(path: Path) -> None:
    """Remove the temporary files an interrupted save of `path` left behind.

    Only our own pattern (`.NAME.<random>.tmp` beside NAME), only when no
    live writer holds it locked (see LOCK_GRACE_S and STALE_TEMP_S). A file
    that cannot be removed is left: cleaning is a courtesy, the save goes on.
    """
    prefix = _temp_prefix(path)
    now = time.time()
    try:
        candidates = [p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for candidate in candidates:
        try:
            if candidate.is_symlink() or not candidate.is_file():
                continue
            age = now - candidate.stat().st_mtime
            locked = _locked(candidate)
            if locked or age < LOCK_GRACE_S or (locked is None and age < STALE_TEMP_S):
                continue
            candidate.unlink()
        except OSError:
            continue


def _lock(fd: int) -> None:
    """An advisory lock that the OS drops when the writer dies; none where fcntl is missing (Windows)."""
    if fcntl is not None:
        # On a file system without locks this fails, and the age test alone decides.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _locked(path: Path) -> bool | None:
    """True when a writer holds the file locked, False when none does, None when locks cannot tell."""
    if fcntl is None:
        return None
    with open(path, "rb") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        return False  # closing the file drops the lock we just took


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows (os.umask sets it to read it,
    and another thread creating a file in that instant would get the wrong mode)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


# Set, everything GRU Studio keeps for a user lives below this one folder (cache/,
# data/, logs/): a portable install, a test run, a second profile.
HOME_ENV = "GRU_STUDIO_HOME"
APP_FOLDER = "gru-studio"


@dataclass(frozen=True)
class _Place:
    """Where one kind of per-user folder lives on each OS."""

    below_override: str  # below $GRU_STUDIO_HOME
    xdg: str  # the platformdirs folder on Linux and other Unixes (the XDG one) ...
    windows: str  # ... and on Windows (below a known folder)
    mac: str  # below the user's home on macOS
    roaming: bool = False  # on Windows, below the Roaming known folder instead of the Local one
    windows_below: str = ""  # below APP_FOLDER, where two kinds share a Windows folder


CACHE = _Place("cache", "user_cache_dir", "user_cache_dir", "Library/Caches")
# Roaming on Windows, where Qt's AppDataLocation kept the autosave before this module did.
DATA = _Place("data", "user_data_dir", "user_data_dir", "Library/Application Support", roaming=True)
# XDG has no log folder: logs are the "state" it describes (platformdirs' own log folder
# would be a log/ below it; ours were always the state folder itself). Windows has none
# either, so they go in a folder of their own beside the cache's files.
LOGS = _Place("logs", "user_state_dir", "user_cache_dir", "Library/Logs", windows_below="logs")


def user_cache_dir() -> Path:
    """The per-user cache: files that can be made again (none now: the Time Machine ships in the package)."""
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
    if sys.platform == "darwin":
        # Fixed below the home: there is nothing to ask. Not platformdirs' MacOS, which
        # (since 4.6) lets XDG_* move these folders: they never did here, and following
        # a variable set for Linux tools now would lose sight of the autosave and the runs.
        return Path.home() / place.mac / APP_FOLDER
    if sys.platform == "win32":
        # Windows is asked for its known folders (SHGetKnownFolderPath), not
        # %LOCALAPPDATA% and %APPDATA%, which any parent process can set to anything
        # (platformdirs' own WIN_PD_OVERRIDE_LOCAL_APPDATA and _APPDATA, set on purpose,
        # still win). No author level, and no Cache/ below the cache folder (opinion=False).
        windows = Windows(APP_FOLDER, appauthor=False, roaming=place.roaming, opinion=False)
        return Path(getattr(windows, place.windows)) / place.windows_below
    # The XDG variables, or their defaults below the home; a relative or empty one is
    # ignored, as the XDG specification asks (it would land wherever the program started).
    return Path(getattr(Unix(APP_FOLDER, appauthor=False), place.xdg))
