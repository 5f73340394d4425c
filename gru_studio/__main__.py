"""`python -m gru_studio` runs the same entry point as the `gru-studio` command."""

import sys

from gru_studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
