"""The frozen program's entry point (PyInstaller runs this file, not gru_studio/__main__.py)."""

import multiprocessing

# First of all: in a frozen build a child process re-runs this file, and must
# not start a second GRU Studio.
multiprocessing.freeze_support()

import os  # noqa: E402
import sys  # noqa: E402

if os.environ.get("GRU_STUDIO_PATTERN_WORKER"):
    # The Inside view's unit finder matching a regular expression in a process of its own
    # (gru_studio/gui/inside/pattern_search.py): the matcher alone, without torch or Qt.
    from gru_studio.engine.analysis import pattern_worker

    pattern_worker.main()
    sys.exit(0)

import torch  # noqa: E402, F401  (before PySide6: their DLLs clash on Windows the other way round)

from gru_studio.cli import main  # noqa: E402

sys.exit(main())
