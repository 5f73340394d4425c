"""Where the book's corpus, H. G. Wells' *The Time Machine*, comes from.

Looked up in $GRU_STUDIO_DATA_DIR, then in the user cache, else downloaded
from the d2l data hub and cached. Every copy is checked against the book's
SHA-1, so a truncated or edited file is never trained on silently.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from pathlib import Path

from gru_studio.engine.config import SAMPLE
from gru_studio.engine.errors import CorpusError
from gru_studio.engine.files import user_cache_dir, write_atomic
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase

FILE_NAME = "timemachine.txt"
URL = "http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt"
SHA1 = "090b5e7e70c295757f55df93cb0a180b9691891a"
DATA_DIR_ENV = "GRU_STUDIO_DATA_DIR"
URL_ENV = "GRU_STUDIO_TIMEMACHINE_URL"  # a mirror, for offline sites and tests


def how_to_get_it() -> Phrase:
    """The two ways on: the sample, as the exact flag to type (the quickest), or a copy put where it is looked for."""
    return phrase(
        QT_TRANSLATE_NOOP(
            "engine",
            "Train on the bundled sample instead with --corpus {sample}, or put {file} "
            "(SHA-1 {sha1}, from {url}) in the folder named by ${variable} or in {cache}.",
        ),
        sample=SAMPLE,
        file=FILE_NAME,
        sha1=SHA1,
        url=URL,
        variable=DATA_DIR_ENV,
        cache=user_cache_dir(),
    )


def sha1_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def find_local() -> Path | None:
    """The first good local copy, or None. A bad copy is an error, not a miss."""
    data_dir = os.environ.get(DATA_DIR_ENV)
    candidates = [Path(data_dir) / FILE_NAME] if data_dir else []
    candidates.append(user_cache_dir() / FILE_NAME)
    for path in candidates:
        if path.is_file():
            digest = sha1_of(path.read_bytes())
            if digest != SHA1:
                raise CorpusError(
                    QT_TRANSLATE_NOOP(
                        "engine",
                        "{path} is not the book's Time Machine (SHA-1 {digest}, expected {sha1}). Delete it. {how}",
                    ),
                    path=path,
                    digest=digest,
                    sha1=SHA1,
                    how=how_to_get_it(),
                )
            return path
    return None


def download(url: str = URL, *, timeout: float = 15.0) -> Path:
    """Fetch the corpus, verify it and store it in the user cache."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CorpusError(
            QT_TRANSLATE_NOOP(
                "engine",
                "The Time Machine is not on this computer and could not be downloaded from {url} ({reason}). {how}",
            ),
            url=url,
            reason=reason,
            how=how_to_get_it(),
        ) from None
    digest = sha1_of(data)
    if digest != SHA1:
        raise CorpusError(
            QT_TRANSLATE_NOOP(
                "engine",
                "The download from {url} has the wrong checksum (SHA-1 {digest}, expected {sha1}); "
                "nothing was saved. {how}",
            ),
            url=url,
            digest=digest,
            sha1=SHA1,
            how=how_to_get_it(),
        )
    target = user_cache_dir() / FILE_NAME
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as exc:
        raise CorpusError(
            QT_TRANSLATE_NOOP("engine", "Downloaded the Time Machine but could not cache it in {target}: {reason}"),
            target=target,
            reason=exc.strerror,
        ) from None
    return target


def locate(*, url: str | None = None, allow_download: bool = True) -> Path:
    """Path of a verified copy of the corpus, downloading it when allowed."""
    path = find_local()
    if path is not None:
        return path
    if not allow_download:
        raise CorpusError(
            QT_TRANSLATE_NOOP("engine", "The Time Machine has not been downloaded yet. {how}"), how=how_to_get_it()
        )
    return download(url or os.environ.get(URL_ENV) or URL)
