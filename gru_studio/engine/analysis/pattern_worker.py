"""The unit finder's matcher, run as its own process: `python -I -S pattern_worker.py`.

It reads {"pattern": ..., "text": ...} as JSON on stdin and writes the
matches' [start, end] spans as JSON on stdout. A separate process, because
Python's `re` backtracks without limit (`(a+)+$` over 34 a's and a "!" takes
minutes) and holds the GIL all the while, so a thread could not keep the
window responsive; a process can be killed when it runs too long or a new
search replaces it. It imports nothing but the standard library, so that it
starts in a few hundredths of a second.
"""

from __future__ import annotations

import json
import re
import sys


def spans(pattern: str, text: str) -> list[list[int]]:
    return [list(match.span()) for match in re.finditer(pattern, text) if match.end() > match.start()]


def main() -> None:
    # Bytes both ways, JSON's ASCII escapes inside: whatever the locale's encoding, nothing is lost.
    request = json.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(json.dumps(spans(request["pattern"], request["text"])).encode("ascii"))


if __name__ == "__main__":
    main()
