"""The .deb of the bundle (issue 31), built from a small fake bundle (no PyInstaller) and read back with
dpkg-deb: the program in /opt/gru-studio, a command on PATH, the desktop entry, icons and MIME type where
desktops look for them, owned by root, and an entry that desktop-file-validate accepts."""

from __future__ import annotations

import importlib.util
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from gru_studio.cli import build_parser, desktop

SPEC = importlib.util.spec_from_file_location("build", Path(__file__).parents[2] / "packaging" / "build.py")
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)

DPKG_DEB = shutil.which("dpkg-deb")
pytestmark = pytest.mark.skipif(DPKG_DEB is None, reason="dpkg-deb is not installed")


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = tmp_path_factory.mktemp("dist") / "gru-studio"
    (app / "_internal" / "torch").mkdir(parents=True)
    (app / "_internal" / "torch" / "libtorch_cpu.so").write_bytes(b"\x7fELF" + b"\0" * 60)
    program = app / "gru-studio"
    program.write_text("#!/bin/sh\necho gru-studio\n")
    program.chmod(0o700)  # as a umask 077 build leaves it: the package must still let every user run it
    return build.build_deb(app, app.parent, version_text="9.8.7")


def contents(deb: Path) -> dict[str, str]:
    """Path -> its `dpkg-deb --contents` line (mode, owner, size, date, name and a link's target)."""
    listing = subprocess.run([DPKG_DEB, "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    return {line.split()[5].removeprefix("."): line for line in listing.splitlines()}


def test_the_package_holds_the_bundle_the_command_and_the_desktop_files(deb: Path) -> None:
    assert deb.name == f"gru-studio_9.8.7_{build.deb_architecture()}.deb"
    files = contents(deb)
    assert files["/opt/gru-studio/gru-studio"].startswith("-rwxr-xr-x root/root")
    assert "/opt/gru-studio/_internal/torch/libtorch_cpu.so" in files
    assert files["/usr/bin/gru-studio"].startswith("lrwxrwxrwx root/root")
    assert files["/usr/bin/gru-studio"].endswith("-> /opt/gru-studio/gru-studio")
    assert "/usr/share/applications/gru-studio.desktop" in files
    assert "/usr/share/mime/packages/gru-studio.xml" in files
    assert "/usr/share/icons/hicolor/scalable/apps/gru-studio.svg" in files
    for size in build.ICON_SIZES:
        assert f"/usr/share/icons/hicolor/{size}x{size}/apps/gru-studio.png" in files
    assert all(" root/root " in line for line in files.values())
    fields = subprocess.run([DPKG_DEB, "--field", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: gru-studio" in fields and "Version: 9.8.7" in fields and "libxcb-cursor0" in fields
    scripts = subprocess.run([DPKG_DEB, "--ctrl-tarfile", str(deb)], capture_output=True, check=True).stdout
    assert b"postinst" in scripts and b"update-desktop-database" in scripts


def test_its_desktop_entry_is_valid_and_starts_the_window_with_or_without_a_file(deb: Path, tmp_path) -> None:
    subprocess.run([DPKG_DEB, "-x", str(deb), str(tmp_path)], check=True)
    entry = tmp_path / "usr" / "share" / "applications" / "gru-studio.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f"MimeType={desktop.MIME_TYPE};" in text and "Icon=gru-studio" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec=")).removeprefix("Exec=")
    argv = shlex.split(exec_line)
    assert argv[0] == "gru-studio"  # /usr/bin's: the menu finds it on PATH
    # A start from the menu drops %f; a double-click on a model puts its path there. Both must parse.
    plain, with_file = build_parser().parse_args(argv[1:-1]), build_parser().parse_args([*argv[1:-1], "m.pt"])
    assert plain.open is None and plain.command is None and with_file.open == "m.pt"
    png = tmp_path / "usr" / "share" / "icons" / "hicolor" / "48x48" / "apps" / "gru-studio.png"
    assert png.read_bytes().startswith(b"\x89PNG")
    validator = shutil.which("desktop-file-validate")
    if validator:
        checked = subprocess.run([validator, str(entry)], capture_output=True, text=True)
        assert checked.returncode == 0 and "error" not in checked.stdout.lower(), checked.stdout
