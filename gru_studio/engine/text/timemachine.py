"""The book's corpus, H. G. Wells' *The Time Machine* (public domain), shipped in the package.

gru_studio/data/timemachine.txt is d2l's copy, byte for byte: the window, `train`,
`bench` and the tests read it from the installed package, offline included, and
nothing is downloaded. Its SHA-1 is checked each time it is read, so a damaged or
edited copy is never trained on silently.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import TYPE_CHECKING

from gru_studio.engine.config import SAMPLE
from gru_studio.engine.errors import CorpusError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

FILE_NAME = "timemachine.txt"
ORIGIN = "http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt"  # where the copy came from
SHA1 = "090b5e7e70c295757f55df93cb0a180b9691891a"


def sha1_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def bundled() -> Traversable:
    """The packaged copy: a file beside the code, in a wheel, an editable checkout and the frozen build alike."""
    return resources.files("gru_studio") / "data" / FILE_NAME


def read() -> bytes:
    """The book's text as bytes, checked against its SHA-1."""
    where = bundled()
    try:
        data = where.read_bytes()
    except OSError as exc:
        problem = exc.strerror or str(exc)
    else:
        digest = sha1_of(data)
        if digest == SHA1:
            return data
        problem = f"SHA-1 {digest}, expected {SHA1}"
    raise CorpusError(
        QT_TRANSLATE_NOOP(
            "engine",
            "The Time Machine that comes with GRU Studio is missing or damaged ({path}: {problem}). "
            "Reinstall GRU Studio, or train on the bundled sample with --corpus {sample}.",
        ),
        path=where,
        problem=problem,
        sample=SAMPLE,
    )
