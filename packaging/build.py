"""Build a runnable GRU Studio for this OS from the current environment: `python packaging/build.py`.

Steps: render the icon, run PyInstaller on packaging/gru-studio.spec (onedir),
trim what the app never loads, check the bundle (no CUDA libraries, one Qt
binding, no QML or WebEngine), pack it (Linux: .tar.gz), and report sizes.
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
    archive = pack(APP)
    report: dict[str, object] = {
        "version": version(),
        "platform": platform.platform(),
        "unpacked_mb": round(folder_size(APP) / 1e6, 1),
        "pruned_mb": round(saved / 1e6, 1),
        "archive": archive.name if archive else None,
        "archive_mb": round(archive.stat().st_size / 1e6, 1) if archive else None,
        "build_s": round(time.perf_counter() - started, 1),
    }
    if args.smoke:
        report.update(smoke(APP))
    (DIST / "build-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
