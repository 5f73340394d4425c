"""Build a runnable GRU Studio for this OS from the current environment: `python packaging/build.py`.

Steps: render the icon, run PyInstaller on packaging/gru-studio.spec (onedir),
trim what the app never loads, check the bundle (no CUDA libraries, one Qt
binding, no QML or WebEngine), add the desktop entry, icons and MIME type
(share/), pack it (Linux: .tar.gz, and a .deb where dpkg-deb is installed), and
report sizes.
`--smoke` then runs the built program's `--self-test` and checks its report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from textwrap import dedent

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
WORK = ROOT / "packaging" / "build"
APP = DIST / "gru-studio"

# Folders inside the bundle that GRU Studio never reads: headers, build files,
# torch's own tests and command-line tools, Qt's translations and the Qt
# plugins of modules it does not use.
PRUNE = [
    "torch/include",
    "torch/test",
    "torch/share",
    "torch/testing/_internal/data",
    "PySide6/Qt/translations",
    "PySide6/include",
    "PySide6/typesystems",
    "PySide6/glue",
    "PySide6/Qt/qml",
    "PySide6/Qt/metatypes",
    "PySide6/Qt/resources",
]
KEEP_QT_PLUGINS = {
    "platforms",
    "imageformats",
    "iconengines",
    "xcbglintegrations",
    "platformthemes",
    "platforminputcontexts",
    "styles",
    "wayland-shell-integration",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
}
FORBIDDEN = (
    "libcudart",
    "libcublas",
    "libcudnn",
    "libnccl",
    "libnvrtc",
    "libcufft",
    "libcusparse",
    "libQt6Qml",
    "libQt6Quick",
    "libQt6WebEngine",
    "Qt6Qml",
    "Qt6WebEngine",
    "PyQt5",
    "PyQt6",
    "PySide2",
)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def render_icons() -> None:
    """PNG and ICO (and ICNS where Qt can write it) from the SVG, for the executable and installers."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    WORK.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(ROOT / "resources" / "icons" / "gru-studio.svg"))
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    for name in ("gru-studio.png", "gru-studio.ico", "gru-studio.icns"):
        image.save(str(WORK / name))  # a format Qt cannot write is skipped; the spec checks


def run_pyinstaller() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK / "pyinstaller"),
            str(ROOT / "packaging" / "gru-studio.spec"),
        ],
        check=True,
        cwd=ROOT,
    )


def prune(internal: Path) -> int:
    before = folder_size(internal)
    for relative in PRUNE:
        shutil.rmtree(internal / relative, ignore_errors=True)
    for static in internal.rglob("*.a"):
        static.unlink()
    # torch/bin holds developer tools; `import torch` needs only its shared-memory manager.
    for tool in (internal / "torch" / "bin").glob("*"):
        if tool.is_dir():
            shutil.rmtree(tool)
        elif tool.name != "torch_shm_manager":
            tool.unlink()
    plugins = internal / "PySide6" / "Qt" / "plugins"
    if plugins.is_dir():
        for folder in plugins.iterdir():
            if folder.name not in KEEP_QT_PLUGINS:
                shutil.rmtree(folder, ignore_errors=True)
    return before - folder_size(internal)


def strip_symbols(internal: Path) -> int:
    """Drop the symbol tables that torch and Python carry for debuggers (Linux).

    libtorch_cpu.so alone shrinks from 434 to 345 MB; the dynamic symbols that
    loading needs stay (--strip-unneeded). Only these libraries: numpy's
    bundled OpenBLAS, rewritten by auditwheel, no longer loads once stripped
    ("ELF load command address/offset not page-aligned").
    """
    tool = shutil.which("strip")
    if not sys.platform.startswith("linux") or tool is None:
        return 0
    before = folder_size(internal)
    for library in [*internal.glob("torch/lib/libtorch*.so"), *internal.glob("libpython3*.so*")]:
        if library.is_file() and not library.is_symlink():
            subprocess.run([tool, "--strip-unneeded", str(library)], check=True, capture_output=True)
    return before - folder_size(internal)


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # the hicolor sizes desktops look for, and the SVG
# Where the .deb puts the bundle, and the command on PATH that starts it.
OPT = "opt/gru-studio"
# The X11 and OpenGL libraries Qt's xcb platform loads (the bundle carries Qt, not these); Debian and
# Ubuntu names. Without them the window does not open (issue 29: Qt then blames the wrong one).
DEB_DEPENDS = (
    "libc6, libgl1, libegl1, libfontconfig1, libfreetype6, libdbus-1-3, libxkbcommon0, libxkbcommon-x11-0, "
    "libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, "
    "libxcb-shape0, libxcb-xinerama0, libxcb-xkb1"
)


def share_files(share: Path, exec_line: str = "gru-studio") -> list[Path]:
    """The freedesktop.org files under `share` (a usr/share): the desktop entry, the icon as PNGs of
    every size and as SVG, and the MIME type of checkpoints, the same ones --install-desktop-entry writes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from gru_studio.cli import desktop

    _app = QGuiApplication.instance() or QGuiApplication([])
    svg = ROOT / "resources" / "icons" / "gru-studio.svg"
    written = {
        share / "applications" / f"{desktop.APP_ID}.desktop": desktop.desktop_entry(exec_line).encode(),
        share / "mime" / "packages" / f"{desktop.APP_ID}.xml": desktop.mime_package().encode(),
        share / "icons" / "hicolor" / "scalable" / "apps" / f"{desktop.APP_ID}.svg": svg.read_bytes(),
    }
    for path, data in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    renderer = QSvgRenderer(str(svg))
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{desktop.APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"could not write {path}")
        written[path] = b""
    return sorted(written)


def deb_architecture() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)


def control(app: Path, version_text: str, architecture: str) -> str:
    return dedent(f"""\
        Package: gru-studio
        Version: {version_text}
        Architecture: {architecture}
        Maintainer: GRU Studio developers <gru-studio@users.noreply.github.com>
        Installed-Size: {max(1, folder_size(app) // 1024)}
        Depends: {DEB_DEPENDS}
        Section: science
        Priority: optional
        Description: workbench for gated recurrent unit (GRU) language models
         Train GRU language models on a text, watch perplexity fall, see what they
         write and look inside them, after the GRU chapter of Dive into Deep Learning.
         The whole program with its own Python, PyTorch (CPU) and Qt, in /opt/gru-studio.
        """)


# After installing and removing: the menu, the file manager's MIME types and the icon cache see the change.
MAINTAINER_SCRIPT = """#!/bin/sh
set -e
refresh() { if command -v "$1" >/dev/null 2>&1; then "$@" || true; fi; }
refresh update-desktop-database -q /usr/share/applications
refresh update-mime-database /usr/share/mime
refresh gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor
exit 0
"""


def build_deb(app: Path, out_dir: Path, version_text: str | None = None) -> Path:
    """A Debian package of the bundle: /opt/gru-studio, /usr/bin/gru-studio, and the desktop entry, icons
    and MIME type in /usr/share; owned by root whoever builds it (dpkg-deb --root-owner-group)."""
    tool = shutil.which("dpkg-deb")
    if tool is None:
        raise SystemExit("dpkg-deb is not installed (apt-get install dpkg): no .deb built")
    version_text = version_text or version()
    architecture = deb_architecture()
    stage = out_dir / "deb-root"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(app, stage / OPT, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / "gru-studio").symlink_to(f"/{OPT}/{executable(app).name}")
    share_files(stage / "usr" / "share")
    (stage / "DEBIAN").mkdir()
    (stage / "DEBIAN" / "control").write_text(control(stage / OPT, version_text, architecture))
    for script in ("postinst", "postrm"):
        (stage / "DEBIAN" / script).write_text(MAINTAINER_SCRIPT)
    for path in [stage, *stage.rglob("*")]:  # readable by every user; dpkg refuses group-writable DEBIAN
        if not path.is_symlink():
            executable_bit = path.is_dir() or os.access(path, os.X_OK) or path.name in ("postinst", "postrm")
            path.chmod(0o755 if executable_bit else 0o644)
    target = out_dir / f"gru-studio_{version_text}_{architecture}.deb"
    subprocess.run([tool, "--root-owner-group", "--build", str(stage), str(target)], check=True, capture_output=True)
    shutil.rmtree(stage)
    return target


def check(app: Path) -> None:
    bad = sorted({str(f.relative_to(app)) for f in app.rglob("*") if any(n in f.name for n in FORBIDDEN)})
    if bad:
        raise SystemExit("the bundle holds what it must not:\n  " + "\n  ".join(bad[:20]))


def pack(app: Path) -> Path | None:
    if not sys.platform.startswith("linux"):
        return None
    target = DIST / f"gru-studio-{version()}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname="gru-studio")
    return target


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from gru_studio import __version__

    return __version__


def executable(app: Path) -> Path:
    return app / ("gru-studio.exe" if sys.platform == "win32" else "gru-studio")


def smoke(app: Path, timeout_s: int = 120) -> dict:
    """Run the frozen program's self-test and check what it reports."""
    report_path = DIST / "self-test.json"
    report_path.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    result = subprocess.run(
        [str(executable(app)), "--self-test", "--report", str(report_path)],
        env=env,
        timeout=timeout_s,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0 or not report_path.is_file():
        output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        raise SystemExit(f"self-test failed (exit {result.returncode}):\n{output}")
    report = json.loads(report_path.read_text())
    if not (report.get("ok") and report.get("frozen") and report.get("icon_found")):
        raise SystemExit(f"self-test report is not right: {json.dumps(report, indent=2)}")
    return {"self_test_wall_s": round(wall, 2), **{k: round(v, 2) for k, v in report["timings_s"].items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="run the built program's --self-test afterwards")
    parser.add_argument("--skip-build", action="store_true", help="only check, pack and smoke-test dist/gru-studio")
    args = parser.parse_args()

    started = time.perf_counter()
    if not args.skip_build:
        render_icons()
        run_pyinstaller()
    internal = APP / "_internal"
    saved = (prune(internal) + strip_symbols(internal)) if internal.is_dir() else 0
    check(APP)
    if sys.platform.startswith("linux"):
        shutil.rmtree(APP / "share", ignore_errors=True)
        share_files(APP / "share")  # in the .tar.gz too: a desktop entry and icons to copy or look at
    archive = pack(APP)
    deb = build_deb(APP, DIST) if sys.platform.startswith("linux") and shutil.which("dpkg-deb") else None
    report: dict[str, object] = {
        "version": version(),
        "platform": platform.platform(),
        "unpacked_mb": round(folder_size(APP) / 1e6, 1),
        "pruned_mb": round(saved / 1e6, 1),
        "archive": archive.name if archive else None,
        "archive_mb": round(archive.stat().st_size / 1e6, 1) if archive else None,
        "deb": deb.name if deb else None,
        "deb_mb": round(deb.stat().st_size / 1e6, 1) if deb else None,
        "build_s": round(time.perf_counter() - started, 1),
    }
    if args.smoke:
        report.update(smoke(APP))
    (DIST / "build-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
