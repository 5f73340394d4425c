"""Where the shipped resources (icons, style sheets) are: in the frozen bundle or beside the package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller in a frozen build
    if bundle:
        return Path(bundle) / "resources"
    beside = Path(__file__).resolve().parent.parent / "resources"  # a source checkout
    if beside.is_dir():
        return beside
    spec = importlib.util.find_spec("gru_studio_resources")  # an installed wheel (a namespace package)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return beside


def resource_path(relative: str) -> Path:
    return resources_dir() / relative
