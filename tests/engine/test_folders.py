"""Per-user folders: XDG on Linux, the usual places on macOS, Windows' known folders, all under $GRU_STUDIO_HOME if set.

platformdirs finds them on Linux and Windows; these tests play each OS on any machine.
"""

from __future__ import annotations

import types
from pathlib import Path

import platformdirs.windows
import pytest
from platformdirs.unix import Unix

from gru_studio.engine import files
from gru_studio.engine.files import HOME_ENV, user_cache_dir, user_data_dir, user_log_dir

FOLDER_VARIABLES = ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "LOCALAPPDATA", "APPDATA", HOME_ENV)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home and none of the variables that move the folders."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    for name in FOLDER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def on(platform: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the files module is told; the rest of Python keeps the real platform.
    monkeypatch.setattr(files, "sys", types.SimpleNamespace(platform=platform))
    if platform == "win32":
        # Windows' known folders as a fresh profile has them: only Windows itself can be asked.
        home = Path.home()
        known = {"CSIDL_LOCAL_APPDATA": home / "AppData" / "Local", "CSIDL_APPDATA": home / "AppData" / "Roaming"}
        monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: str(known[name]))


def folders() -> tuple[Path, Path, Path]:
    return user_cache_dir(), user_data_dir(), user_log_dir()


def test_linux_defaults_keep_the_folders_of_before(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("linux", monkeypatch)
    assert folders() == (
        home / ".cache" / "gru-studio",
        home / ".local" / "share" / "gru-studio",
        home / ".local" / "state" / "gru-studio",
    )


def test_linux_honours_xdg(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("linux", monkeypatch)
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name))
    assert folders() == (
        home / "XDG_CACHE_HOME" / "gru-studio",
        home / "XDG_DATA_HOME" / "gru-studio",
        home / "XDG_STATE_HOME" / "gru-studio",
    )


def test_a_relative_xdg_folder_is_ignored(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("linux", monkeypatch)
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert user_data_dir() == home / ".local" / "share" / "gru-studio"
    assert user_cache_dir() == home / ".cache" / "gru-studio"


def test_macos_folders(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("darwin", monkeypatch)
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "ignored"))  # XDG is a Linux convention
    library = home / "Library"
    assert folders() == (
        library / "Caches" / "gru-studio",
        library / "Application Support" / "gru-studio",
        library / "Logs" / "gru-studio",
    )


def test_windows_folders(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("win32", monkeypatch)
    before = (
        home / "AppData" / "Local" / "gru-studio",
        home / "AppData" / "Roaming" / "gru-studio",
        home / "AppData" / "Local" / "gru-studio" / "logs",
    )
    assert folders() == before
    # Windows is asked, not the environment, which whoever started the program can set to anything.
    monkeypatch.setenv("LOCALAPPDATA", str(home / "local"))
    monkeypatch.setenv("APPDATA", str(home / "roaming"))
    assert folders() == before


def test_windows_folders_follow_its_known_folders(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("win32", monkeypatch)
    asked: list[str] = []
    # A profile moved to another drive: the known folders say where, the variables may not.
    known = {"CSIDL_LOCAL_APPDATA": home / "D" / "Local", "CSIDL_APPDATA": home / "D" / "Roaming"}

    def known_folder(name: str) -> str:
        asked.append(name)
        return str(known[name])

    monkeypatch.setattr(platformdirs.windows, "get_win_folder", known_folder)
    assert folders() == (
        home / "D" / "Local" / "gru-studio",
        home / "D" / "Roaming" / "gru-studio",
        home / "D" / "Local" / "gru-studio" / "logs",
    )
    assert set(asked) == {"CSIDL_LOCAL_APPDATA", "CSIDL_APPDATA"}


def test_linux_folders_come_from_platformdirs(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on("linux", monkeypatch)
    for kind in ("user_cache_dir", "user_data_dir", "user_state_dir"):
        monkeypatch.setattr(Unix, kind, property(lambda dirs, kind=kind: f"/platformdirs/{kind}/{dirs.appname}"))
    assert folders() == (
        Path("/platformdirs/user_cache_dir/gru-studio"),
        Path("/platformdirs/user_data_dir/gru-studio"),
        Path("/platformdirs/user_state_dir/gru-studio"),
    )


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_gru_studio_home_holds_everything(home: Path, monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    on(platform, monkeypatch)
    for name in FOLDER_VARIABLES:
        monkeypatch.setenv(name, str(home / "elsewhere" / name))
    monkeypatch.setenv(HOME_ENV, str(home / "portable"))
    assert folders() == (home / "portable" / "cache", home / "portable" / "data", home / "portable" / "logs")


def test_a_relative_gru_studio_home_is_fixed_when_read(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(HOME_ENV, "studio")
    assert user_data_dir() == tmp_path / "studio" / "data"
    assert user_data_dir().is_absolute()


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_the_three_folders_differ(home: Path, monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    # Clearing the cache must never take the autosaved model with it.
    on(platform, monkeypatch)
    cache, data, logs = folders()
    assert len({cache, data, logs}) == 3
    assert not data.is_relative_to(cache) and not cache.is_relative_to(data)
