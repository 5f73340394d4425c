"""The wheel carries what the app needs at run time: the two texts, the icon and the style sheet."""

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_wheel_ships_the_data_and_resources(tmp_path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("gru_studio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "gru_studio/data/sample.txt",
        "gru_studio/data/timemachine.txt",
        "gru_studio_resources/icons/gru-studio.svg",
        "gru_studio_resources/styles/gru-studio.qss",
        "gru_studio_resources/i18n/gru_studio_zh_CN.qm",
        "gru_studio/engine/models/fast_scratch.py",
        "gru_studio/gui/app/main_window.py",
    ):
        assert needed in names, needed
    book = zipfile.ZipFile(wheel).read("gru_studio/data/timemachine.txt")
    assert hashlib.sha1(book).hexdigest() == "090b5e7e70c295757f55df93cb0a180b9691891a"  # byte for byte
    # Every package of the source tree, each new wing included, is in the wheel.
    for init in (ROOT / "gru_studio").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names, init
