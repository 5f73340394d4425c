"""`gru-studio --install-desktop-entry`: GRU Studio in a Linux desktop's applications menu.

Writes, under the user's XDG data folder ($XDG_DATA_HOME, else ~/.local/share), what
the freedesktop.org specifications ask for: a desktop entry (applications/), the icon
(icons/hicolor/scalable/apps/) and a MIME type for GRU Studio checkpoints
(mime/packages/), so that the menu starts the window and double-clicking a model opens
it there (`gru-studio --open FILE`). The menu's and the file manager's caches are
refreshed when their tools are installed; nothing needs root. `--uninstall-desktop-entry`
takes the three files away again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.files import write_atomic

APP_ID = "gru-studio"
MIME_TYPE = "application/x-gru-studio-checkpoint"


def data_home() -> Path:
    """$XDG_DATA_HOME when it is an absolute path (the spec ignores a relative one), else ~/.local/share."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if configured and os.path.isabs(configured) else Path.home() / ".local" / "share"


def command() -> str:
    """How the menu starts GRU Studio: the frozen bundle's executable, else this interpreter with the package."""
    if getattr(sys, "frozen", False):
        return f'"{sys.executable}"'
    return f'"{sys.executable}" -m gru_studio'


def desktop_entry(exec_line: str) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            "Name=GRU Studio",
            "GenericName=Language model workbench",
            "GenericName[zh_CN]=语言模型工作台",
            "Comment=Train and explore gated recurrent unit (GRU) language models",
            "Comment[zh_CN]=训练并探索门控循环单元（GRU）语言模型",  # noqa: RUF001  (Chinese punctuation)
            f"Exec={exec_line} --open %f",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Education;ArtificialIntelligence;",
            f"MimeType={MIME_TYPE};",
            "Keywords=GRU;RNN;neural;language model;deep learning;",
            f"StartupWMClass={APP_ID}",
            "",
        ]
    )


def mime_package() -> str:
    # A checkpoint is a PyTorch zip named *.pt; the name alone decides, as for other *.pt files.
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>GRU Studio model</comment>
    <comment xml:lang="zh_CN">GRU Studio 模型</comment>
    <sub-class-of type="application/zip"/>
    <glob pattern="*.pt"/>
  </mime-type>
</mime-info>
"""


def targets(home: Path) -> dict[str, Path]:
    return {
        "entry": home / "applications" / f"{APP_ID}.desktop",
        "icon": home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        "mime": home / "mime" / "packages" / f"{APP_ID}.xml",
    }


def install(home: Path | None = None, exec_line: str | None = None) -> list[Path]:
    """Write the entry, the icon and the MIME type; returns the files written."""
    from gru_studio.resources import resource_path

    home = home or data_home()
    paths = targets(home)
    icon = resource_path("icons/gru-studio.svg")
    try:
        for path in paths.values():
            path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(paths["entry"], desktop_entry(exec_line or command()).encode("utf-8"))
        write_atomic(paths["icon"], icon.read_bytes())
        write_atomic(paths["mime"], mime_package().encode("utf-8"))
    except OSError as exc:
        raise GruStudioError(f"Could not install the desktop entry under {home}: {exc.strerror or exc}.") from None
    _refresh(home)
    return list(paths.values())


def uninstall(home: Path | None = None) -> list[Path]:
    """Take the three files away; returns those that were there."""
    home = home or data_home()
    removed = []
    for path in targets(home).values():
        if path.is_file():
            path.unlink()
            removed.append(path)
    _refresh(home)
    return removed


def _refresh(home: Path) -> None:
    """The desktop's caches, where their tools exist: the menu and the file manager see the change now."""
    for tool, folder in (("update-desktop-database", "applications"), ("update-mime-database", "mime")):
        found = shutil.which(tool)
        if found and (home / folder).is_dir():
            subprocess.run([found, str(home / folder)], capture_output=True, check=False, timeout=60)


def run_desktop_entry(remove: bool) -> int:
    if sys.platform != "linux":
        raise GruStudioError("A desktop entry is a Linux desktop's; the installers make the menu entry elsewhere.")
    if remove:
        removed = uninstall()
        print("removed " + ", ".join(map(str, removed)) if removed else "no desktop entry was installed")
        return 0
    for path in install():
        print(f"wrote {path}")
    return 0
