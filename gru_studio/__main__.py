"""`python -m gru_studio` runs the same entry point as the `gru-studio` command."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first, as in the frozen entry point

    import torch  # noqa: F401  (before PySide6, on purpose)

    from gru_studio.cli import main

    sys.exit(main())
