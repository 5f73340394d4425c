"""Where a user's files go, what may be written over, and how they are written.

The per-user folders are found here, without Qt, so that the command line, the
window and the tests agree on them: the corpus cache, the autosave and the logs.
Every file GRU Studio writes (checkpoints, CSV, JSON, PNG) is first passed by
check_target, then written by write_atomic.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# The classes, not platformdirs' own pick by sys.platform, so that the tests can play each OS.
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from gru_studio.engine.config import SAMPLE, TIME_MACHINE
from gru_studio.engine.errors import ReplaceError, TargetError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

# The marker every checkpoint's pickled table holds (engine/training/checkpoint.py writes it).
CHECKPOINT_FORMAT = "gru-studio-checkpoint"
# The run store's file in the data folder (engine/history/store.py), and the files SQLite keeps beside it.
RUN_STORE_NAME = "runs.sqlite3"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
# A checkpoint's pickled table holds the vocabulary and the history, never the weights: far below this.
MAX_TABLE_BYTES = 256 << 20
NAME_MAX = 255  # where the file system does not say (pathconf)

Protected = Iterable[tuple["str | Path | None", Phrase]]  # (a file, what it is): never written over


def training_text(source: str | None) -> tuple[Path | None, Phrase]:
    """The text a run trains on as a protected file: None for the built-in texts (sample, Time Machine)."""
    what = phrase(QT_TRANSLATE_NOOP("engine", "the training text"))
    if source in (None, "", SAMPLE, TIME_MACHINE):
        return None, what
    return Path(str(source)).expanduser(), what


def run_store(path: str | Path) -> list[tuple[Path, Phrase]]:
    """A run store and the files SQLite keeps beside it, as protected files."""
    what = phrase(QT_TRANSLATE_NOOP("engine", "the run store"))
    return [(Path(f"{path}{side}"), what) for side in ("", *SQLITE_SIDE_FILES)]


def check_target(path: str | Path, *, protected: Protected = (), force: bool = False, checkpoint: bool = False) -> Path:
    """Refuse, in one line and before any work, a file that GRU Studio must not or cannot write; the path to write.

    Never, `force` or not: a folder, a device, a named pipe or a socket; a
    file in `protected` (the text in use, the checkpoint being read) or the
    run store; a name or path longer than the system allows; a folder that
    does not exist or is not writable. A checkpoint is written over only when
    asked (`force`) unless `checkpoint` says that a checkpoint is what is
    written; then any other existing file is the one that needs `force`.
    The errors that `force` would lift have `ask` set: the window asks then.
    """
    given = str(path)
    if not given.strip():
        raise TargetError(QT_TRANSLATE_NOOP("engine", "No file name was given."))
    target = Path(given).expanduser()
    folder = Path(os.path.realpath(target)).parent
    longest = _name_max(folder)
    if len(os.fsencode(target.name)) > longest:
        raise TargetError(
            QT_TRANSLATE_NOOP(
                "engine", "Cannot write {path}: its name is {length} bytes long; this folder allows {limit}."
            ),
            path=_short(given),
            length=len(os.fsencode(target.name)),
            limit=longest,
        )
    try:
        info: os.stat_result | None = os.stat(target)  # follows links: a link to a device is a device
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        info = None  # a file where a folder should be: said below, as the folder's problem
    except OSError as exc:
        raise _cannot_write(given, exc) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise TargetError(
            QT_TRANSLATE_NOOP("engine", "Cannot write {path}: it is a folder; name a file in it."), path=given
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise TargetError(
            QT_TRANSLATE_NOOP("engine", "Cannot write {path}: it is {kind}, not a regular file."),
            path=given,
            kind=special_kind(info.st_mode),
        )
    _check_folder(given, folder)
    default_store = user_data_dir() / RUN_STORE_NAME
    for other, what in [*protected, *run_store(default_store)]:
        if other is not None and _same_file(target, Path(other)):
            raise TargetError(
                QT_TRANSLATE_NOOP(
                    "engine", "Cannot write {path}: it is {what}, which is never written over. Choose another name."
                ),
                path=given,
                what=what,
            )
    if info is None or force:
        return target
    ours = is_checkpoint(target)
    if checkpoint and not ours:
        raise ReplaceError(
            QT_TRANSLATE_NOOP(
                "engine",
                "Cannot write {path}: it exists and is not a GRU Studio checkpoint. "
                "Choose another name, or add --force to replace it.",
            ),
            path=given,
        )
    if not checkpoint and ours:
        raise ReplaceError(
            QT_TRANSLATE_NOOP(
                "engine",
                "Cannot write {path}: it is a GRU Studio checkpoint, and the model in it would be lost. "
                "Choose another name, or add --force to replace it.",
            ),
            path=given,
        )
    return target


def _check_folder(given: str, folder: Path) -> None:
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise TargetError(
            QT_TRANSLATE_NOOP("engine", "Cannot write {path}: the folder {folder} does not exist."),
            path=given,
            folder=folder,
        ) from None
    except NotADirectoryError:
        info = None
    except OSError as exc:
        raise _cannot_write(given, exc) from None
    if info is None or not stat.S_ISDIR(info.st_mode):
        # The nearest part that exists is a file, not a folder.
        raise TargetError(
            QT_TRANSLATE_NOOP("engine", "Cannot write {path}: the folder {folder} does not exist."),
            path=given,
            folder=folder,
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetError(
            QT_TRANSLATE_NOOP("engine", "Cannot write {path}: the folder {folder} is not writable."),
            path=given,
            folder=folder,
        )


def _cannot_write(given: str, exc: OSError) -> TargetError:
    if exc.errno == errno.ENAMETOOLONG:
        return TargetError(
            QT_TRANSLATE_NOOP("engine", "Cannot write {path}: the path is longer than this system allows."),
            path=_short(given),
        )
    return TargetError(
        QT_TRANSLATE_NOOP("engine", "Cannot write {path}: {reason}."), path=_short(given), reason=exc.strerror or exc
    )


def _short(given: str, keep: int = 80) -> str:
    """A name too long to use, shortened to show: its start and end."""
    return given if len(given) <= 2 * keep else f"{given[:keep]}…{given[-keep:]}"


def _name_max(folder: Path) -> int:
    """The longest file name (in bytes) the folder's file system takes; NAME_MAX where it does not say."""
    for place in (folder, *folder.parents):
        try:
            return int(os.pathconf(place, "PC_NAME_MAX"))
        except (OSError, ValueError, AttributeError):
            continue
    return NAME_MAX


def _same_file(a: Path, b: Path) -> bool:
    """The same file (links followed); for a file not there yet, the same path once links are resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return os.path.realpath(a) == os.path.realpath(b)
        except (OSError, ValueError):
            return False


def special_kind(mode: int) -> Phrase:
    """What a file that is not a regular one (nor a folder) is, in words."""
    if stat.S_ISFIFO(mode):
        return phrase(QT_TRANSLATE_NOOP("engine", "a named pipe (FIFO)"))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return phrase(QT_TRANSLATE_NOOP("engine", "a device"))
    if stat.S_ISSOCK(mode):
        return phrase(QT_TRANSLATE_NOOP("engine", "a socket"))
    return phrase(QT_TRANSLATE_NOOP("engine", "a special file"))


def open_regular(path: str | Path) -> int:
    """A file descriptor open for reading on `path`, a regular file: the stat-first rule of every file read.

    The stat refuses a folder, a device or a named pipe before opening it (a pipe
    would block the open, /dev/zero would fill the memory); the open does not
    block, and fstat judges what was really opened (a file swapped after the
    stat). OSError as open() raises it; IsADirectoryError for a folder, and
    SpecialFileError (an OSError with the file's mode) for the rest.
    """
    info = os.stat(path)
    _must_be_regular(path, info.st_mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        _must_be_regular(path, os.fstat(fd).st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


class SpecialFileError(OSError):
    """A file that is neither regular nor a folder; `mode` says which (special_kind)."""

    def __init__(self, path: str | Path, mode: int) -> None:
        super().__init__(errno.EINVAL, "not a regular file", str(path))
        self.mode = mode


def _must_be_regular(path: str | Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if not stat.S_ISREG(mode):
        raise SpecialFileError(path, mode)


def is_checkpoint(path: str | Path) -> bool:
    """Whether `path` is a file that GRU Studio wrote as a checkpoint: safe to overwrite with another.

    Cheap: it opens the zip that torch.save writes and looks for our format
    marker in its pickled table, without unpickling anything. False for a
    missing file, a folder, a device, a pipe, a text, another program's torch
    file: only a regular file is opened, and only its table read.
    """
    try:
        fd = open_regular(path)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "rb") as f, zipfile.ZipFile(f) as archive:
            tables = [info for info in archive.infolist() if info.filename.endswith("/data.pkl")]
            if len(tables) != 1 or tables[0].file_size > MAX_TABLE_BYTES:
                return False
            return CHECKPOINT_FORMAT.encode() in archive.read(tables[0])
    except (OSError, zipfile.BadZipFile, ValueError, KeyError, RuntimeError, EOFError):
        return False


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
