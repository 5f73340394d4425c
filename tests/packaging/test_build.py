"""The bundle checks and trimming of packaging/build.py, on a small fake bundle."""

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location("build", Path(__file__).parents[2] / "packaging" / "build.py")
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)


def make(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 10)


def test_prune_keeps_what_import_torch_needs_and_drops_the_rest(tmp_path) -> None:
    make(
        tmp_path,
        "torch/bin/torch_shm_manager",
        "torch/bin/protoc",
        "torch/bin/upgrader_models/a.ptl",
        "torch/include/ATen/ATen.h",
        "torch/lib/libtorch_cpu.so",
        "torch/lib/libfoo.a",
        "PySide6/Qt/translations/qt_de.qm",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
    )
    assert build.prune(tmp_path) > 0
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "torch/bin/torch_shm_manager",
        "torch/lib/libtorch_cpu.so",
    ]


@pytest.mark.parametrize("name", ["torch/lib/libcudart.so.12", "PySide6/Qt/lib/libQt6Qml.so.6", "PyQt5/QtCore.so"])
def test_check_refuses_cuda_qml_and_other_bindings(tmp_path, name) -> None:
    make(tmp_path, "torch/lib/libtorch_cpu.so", name)
    with pytest.raises(SystemExit, match="must not"):
        build.check(tmp_path)
    (tmp_path / name).unlink()
    if name.startswith("PyQt5"):
        (tmp_path / "PyQt5").rmdir()  # the folder of another binding is refused too
    build.check(tmp_path)
