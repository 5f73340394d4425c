"""`python -m gru_studio` runs the same entry point as the `gru-studio` command.

Nothing heavy is imported here: --help, --version and a mistyped flag answer
without torch. Each command imports what it needs when it runs; every way to
PySide6 goes through gru_studio.gui, whose __init__ imports torch first (their
DLLs clash on Windows the other way round).
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first, as in the frozen entry point

    from gru_studio.cli import main

    sys.exit(main())
