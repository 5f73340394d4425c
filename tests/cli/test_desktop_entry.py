"""The Linux desktop entry (issue 31): installed into a temporary XDG data folder, valid, and taken away again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gru_studio.cli import desktop
from tests.cli.test_cli import run

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="a desktop entry is a Linux desktop's")


@linux_only
def test_install_writes_a_valid_entry_icon_and_mime_type_and_uninstall_removes_them(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    code, out, err = run(capsys, "--install-desktop-entry")
    assert code == 0, err
    entry = tmp_path / "applications" / "gru-studio.desktop"
    icon = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "gru-studio.svg"
    mime = tmp_path / "mime" / "packages" / "gru-studio.xml"
    assert all(f"wrote {path}" in out for path in (entry, icon, mime))
    text = entry.read_text(encoding="utf-8")
    assert "Name=GRU Studio" in text and "Icon=gru-studio" in text and f"MimeType={desktop.MIME_TYPE};" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith("--open %f") and sys.executable in exec_line
    assert icon.read_bytes().startswith(b"<") and b"<svg" in icon.read_bytes()
    assert desktop.MIME_TYPE in mime.read_text(encoding="utf-8") and '<glob pattern="*.pt"/>' in mime.read_text()
    validator = shutil.which("desktop-file-validate")
    if validator:
        checked = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert checked.returncode == 0 and "error" not in checked.stdout.lower(), checked.stdout
    code, out, _ = run(capsys, "--uninstall-desktop-entry")
    assert code == 0 and "removed" in out and not entry.exists() and not icon.exists() and not mime.exists()
    code, out, _ = run(capsys, "--uninstall-desktop-entry")
    assert code == 0 and "no desktop entry was installed" in out


def test_the_flags_exclude_each_other_and_a_relative_xdg_folder_is_ignored(capsys, monkeypatch) -> None:
    with pytest.raises(SystemExit) as exited:
        run(capsys, "--install-desktop-entry", "--uninstall-desktop-entry")
    assert exited.value.code == 2 and "not allowed with" in capsys.readouterr().err
    monkeypatch.setenv("XDG_DATA_HOME", "relative/folder")
    assert desktop.data_home() == Path.home() / ".local" / "share"


def test_open_starts_the_window_with_the_file(monkeypatch, capsys, tmp_path: Path) -> None:
    opened: list[str | None] = []
    import gru_studio.gui.app.launch as launch

    monkeypatch.setattr(launch, "run_app", lambda argv=None, open_path=None: opened.append(open_path) or 0)
    code, _, _ = run(capsys, "--open", str(tmp_path / "m.pt"))
    assert code == 0 and opened == [str(tmp_path / "m.pt")]
