"""Where the window's file dialogs start: the folder last used, else the user's Documents folder.

Never the folder the program was started from (a repository, a bundle's folder): a dialog given
no folder, or a bare file name, opens there. The folder is remembered in the window's QSettings
(`use_settings`), so that the next session starts where this one left off.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

SETTING = "dialogs/lastFolder"
_memory: dict[str, QSettings | str] = {}  # "settings": the window's QSettings; "folder": this session's


def use_settings(settings: QSettings) -> None:
    """Remember the last folder in `settings` (the window's), from now on."""
    _memory["settings"] = settings


def documents_folder() -> Path:
    """The user's Documents folder where it exists, else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def start_folder() -> Path:
    settings = _memory.get("settings")
    last = settings.value(SETTING, "") if isinstance(settings, QSettings) else _memory.get("folder", "")
    return Path(str(last)) if last and Path(str(last)).is_dir() else documents_folder()


def remember(path: str) -> None:
    """The folder of a file the user picked (or opened another way) is where the next dialog starts."""
    folder = str(Path(path).parent)
    _memory["folder"] = folder
    settings = _memory.get("settings")
    if isinstance(settings, QSettings):
        settings.setValue(SETTING, folder)


def open_file_name(parent: QWidget, title: str, filters: str) -> str:
    """QFileDialog.getOpenFileName, started in the right folder; the folder chosen is remembered."""
    path = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filters)[0]
    if path:
        remember(path)
    return path


def save_file_name(parent: QWidget, title: str, name: str, filters: str, **options: object) -> str:
    """QFileDialog.getSaveFileName with `name` suggested in the right folder; the folder is remembered."""
    path = QFileDialog.getSaveFileName(parent, title, str(start_folder() / name), filters, **options)[0]
    if path:
        remember(path)
    return path
