"""A text's bytes, read and decoded a piece at a time, from regular files only.

Only regular files are read, and no more than MAX_CORPUS_BYTES of them: a
named pipe would block the reader forever, /dev/zero would fill the memory.
Binary files, empty ones and bytes that are not the encoding asked for are
refused with a message that names the file (and the likely encoding).
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gru_studio.engine.errors import ConfigError, CorpusError, EncodingError
from gru_studio.engine.files import special_kind
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase

# The largest file taken as a corpus. A text that large is already 4 GB of
# int32 tokens; anything bigger is far more likely a mistake (a disk image, a
# log gone wild) than a book, and must not take the computer's memory with it.
MAX_CORPUS_BYTES = 1 << 30
# Bytes read, decoded and preprocessed at a time. Big enough that the per-piece
# numpy calls cost little next to the work; small enough that a piece's
# temporaries (some 40 bytes per character in letters mode) stay near 10 MB.
# Measured on a 200 MB text, letters mode: 256 KiB pieces peaked 23 MB lower
# than 1 MiB ones and 110 MB lower than 4 MiB ones, in about the same time.
READ_BYTES = 1 << 18

# A byte-order mark names its encoding; UTF-32's little-endian mark begins
# with UTF-16's, so it is looked for first.
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WIDE_ENCODINGS = ("utf-16", "utf-32")  # codec names (as codecs.lookup spells them) that start so


Chunks = Callable[[], Iterator[bytes]]  # a fresh pass over a text's bytes each call


@dataclass(frozen=True)
class Source:
    """A text's bytes, and what to call it."""

    name: str  # the corpus's name: a file's name
    where: str  # for messages about its bytes: a file's whole path
    chunks: Chunks
    encoding: str
    size: int  # in bytes, or a guess: room for the tokens is reserved from it


def check_regular_file(path: Path) -> int:
    """The size of `path`; anything but a regular file is refused, by its stat, without opening it.

    Opening a named pipe for reading waits for a writer that may never come;
    a device (/dev/zero, /dev/urandom) never ends; a socket cannot be opened.
    """
    try:
        info = path.stat()  # follows links: a link to a pipe is a pipe
    except OSError as exc:
        raise unreadable(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise unreadable(path, IsADirectoryError())
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(path, info.st_mode)
    return info.st_size


def unreadable(path: Path, exc: OSError) -> CorpusError:
    if isinstance(exc, FileNotFoundError):
        return CorpusError(QT_TRANSLATE_NOOP("engine", "{path} does not exist."), path=path)
    if isinstance(exc, IsADirectoryError):
        return CorpusError(QT_TRANSLATE_NOOP("engine", "{path} is a folder, not a text file."), path=path)
    if isinstance(exc, PermissionError):
        return CorpusError(QT_TRANSLATE_NOOP("engine", "{path} cannot be read: permission denied."), path=path)
    # The OS's own words (strerror) stay as the OS gave them: the engine has no catalogue for them.
    return CorpusError(
        QT_TRANSLATE_NOOP("engine", "{path} cannot be read: {reason}."), path=path, reason=exc.strerror or exc
    )


def not_regular(path: Path, mode: int) -> CorpusError:
    kind = special_kind(mode)  # the same words as every other refusal of a file that is not a regular one
    return CorpusError(
        QT_TRANSLATE_NOOP("engine", "{path} is {kind}, not a text file; only a regular file can be a corpus."),
        path=path,
        kind=kind,
    )


def file_chunks(path: Path) -> Chunks:
    return lambda: read_chunks(path)


def read_chunks(path: Path) -> Iterator[bytes]:
    """The bytes of a regular file, READ_BYTES at a time, never more than MAX_CORPUS_BYTES in all."""
    # Non-blocking, so that a file swapped for a named pipe after the stat
    # above cannot hang the open; fstat then judges what was really opened.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise unreadable(path, exc) from None
    with os.fdopen(fd, "rb", buffering=0) as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(path, info.st_mode)
        if info.st_size > MAX_CORPUS_BYTES:
            raise too_large(path, info.st_size)
        total = 0
        while True:
            try:
                chunk = f.read(READ_BYTES)
            except OSError as exc:
                raise unreadable(path, exc) from None
            if not chunk:
                return
            total += len(chunk)
            if total > MAX_CORPUS_BYTES:  # it grew while read, or its size lies (/proc)
                raise too_large(path, total)
            yield chunk


def too_large(path: Path, size: int) -> CorpusError:
    return CorpusError(
        QT_TRANSLATE_NOOP(
            "engine", "{path} is too large for a corpus ({size} or more; the most GRU Studio reads is {limit})."
        ),
        path=path,
        size=size_text(size),
        limit=size_text(MAX_CORPUS_BYTES),
    )


def size_text(size: int) -> Phrase:
    # The unit is a word of its own ("bytes" is translated; GiB and MiB stay as they are in every language).
    if size >= 2**30:
        return phrase(QT_TRANSLATE_NOOP("engine", "{size:.3g} GiB"), size=size / 2**30)
    if size >= 2**20:
        return phrase(QT_TRANSLATE_NOOP("engine", "{size:.3g} MiB"), size=size / 2**20)
    return phrase(QT_TRANSLATE_NOOP("engine", "{size:,} bytes"), size=size)


# -- decoding -----------------------------------------------------------------


def text_codec(encoding: str) -> codecs.CodecInfo:
    """The codec for `encoding`, if it is one that turns bytes into text."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(
            "encoding", phrase(QT_TRANSLATE_NOOP("engine", "unknown text encoding {encoding!r}"), encoding=encoding)
        ) from None
    # rot13, base64, hex, zlib ... are codecs too, but of bytes to bytes or str
    # to str; str.decode refuses them with a LookupError of its own.
    if not getattr(info, "_is_text_encoding", True):
        raise ConfigError(
            "encoding",
            phrase(
                QT_TRANSLATE_NOOP(
                    "engine", "{encoding!r} is not a text encoding; choose one such as utf-8, utf-16 or cp1252"
                ),
                encoding=encoding,
            ),
        )
    return info


def bom_encoding(head: bytes) -> str | None:
    """The UTF-16 or UTF-32 encoding that a byte-order mark at the start of a file names, if any."""
    for bom, encoding in WIDE_BOMS:
        if head.startswith(bom):
            return encoding
    return None


def decode_chunks(source: Source) -> Iterator[str]:
    """Decode a text piece by piece, refusing binary files and empty ones.

    A UTF-16 or UTF-32 byte-order mark wins over the encoding asked for: it
    is unambiguous, and the default (utf-8) would call such a file binary.
    """
    chunks, name = source.chunks, source.where
    codec = text_codec(source.encoding)
    label = source.encoding.removesuffix("-sig")
    pieces = chunks()
    first = next(pieces, b"")
    if (marked := bom_encoding(first)) is not None:
        codec, label = codecs.lookup(marked), marked
    elif codec.name == "utf-8":
        codec = codecs.lookup("utf-8-sig")  # UTF-8 accepts a leading BOM
    # NUL bytes say "binary" only in an encoding where a NUL byte is a NUL
    # character; in UTF-16 and UTF-32 text they are half the bytes. There the
    # decoded text is checked instead.
    wide = codec.name.startswith(WIDE_ENCODINGS)
    decoder = codec.incrementaldecoder("strict")
    consumed = 0
    has_text = False
    for chunk in _with_first(first, pieces):
        if not wide and b"\x00" in chunk:
            raise binary_file(name, label, chunk if consumed == 0 else b"")
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise bad_bytes(chunks, name, label, consumed - len(decoder.getstate()[0]) + exc.start) from None
        consumed += len(chunk)
        if wide and "\x00" in text:
            raise binary_file(name, label, b"")
        has_text = has_text or (bool(text) and not text.isspace())
        yield text
    try:
        text = decoder.decode(b"", True)
    except UnicodeDecodeError as exc:  # the file ends inside a character
        raise bad_bytes(chunks, name, label, consumed - len(decoder.getstate()[0]) + exc.start) from None
    has_text = has_text or (bool(text) and not text.isspace())
    if not has_text:
        raise CorpusError(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name=name)
    yield text


def _with_first(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
        yield from rest


def binary_file(name: str, label: str, head: bytes) -> CorpusError:
    """NUL bytes: binary, unless they fall where UTF-16 without a byte-order mark puts them."""
    likely = utf16_without_bom(head)
    if likely:
        # An EncodingError, so that the window offers to read it that way.
        return EncodingError(
            QT_TRANSLATE_NOOP(
                "engine",
                "{name} contains NUL bytes, so it is not {label} text; it is probably {likely} "
                "(without a byte-order mark): choose that encoding.",
            ),
            likely,
            name=name,
            label=label,
            likely=likely,
        )
    return CorpusError(
        QT_TRANSLATE_NOOP("engine", "{name} looks like a binary file (it contains NUL bytes), not text."), name=name
    )


def utf16_without_bom(head: bytes) -> str | None:
    """utf-16-le or -be when NUL bytes fill one byte of each pair, as in mostly-ASCII UTF-16 text."""
    sample = head[: 1 << 16]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd > 0.9 * pairs and even < 0.1 * pairs:
        return "utf-16-le"
    if even > 0.9 * pairs and odd < 0.1 * pairs:
        return "utf-16-be"
    return None


def bad_bytes(chunks: Chunks, name: str, label: str, at: int) -> EncodingError:
    likely = guess_encoding(chunks())
    return EncodingError(
        QT_TRANSLATE_NOOP(
            "engine", "{name} is not valid {label} (byte {at}). It is probably {likely}: choose that encoding."
        ),
        likely,
        name=name,
        label=label,
        at=at,
        likely=likely,
    )


def guess_encoding(chunks: Iterator[bytes]) -> str:
    """Windows-1252 where it decodes (common for old Western texts), else Latin-1."""
    try:
        for chunk in chunks:
            chunk.decode("cp1252")  # one byte per character: pieces decode as the whole would
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"
