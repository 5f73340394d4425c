"""Texts to train on: where they come from, how they are decoded and preprocessed.

Preprocessing is vectorised with numpy over codepoints, so a 50 MB file is
tokenised in about a second and the loop never holds the GIL for long.

A text is read, decoded and preprocessed a piece at a time (READ_BYTES), so
that memory follows the tokens kept rather than the file: a 200 MB text in
letters mode peaked at 6.1 GB when it was decoded and preprocessed whole.
Only regular files are read, and no more than MAX_CORPUS_BYTES of them: a
named pipe would block the reader forever, /dev/zero would fill the memory.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from gru_studio.engine import timemachine
from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig
from gru_studio.engine.errors import ConfigError, CorpusError, EncodingError
from gru_studio.engine.vocab import Vocab, codepoints, first_occurrence

BOOK_MAX_TOKENS = 10_000
NEWLINE, RETURN, SPACE = 10, 13, 32
LETTER_A = 97

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


@dataclass(frozen=True)
class Corpus:
    """A preprocessed text: its vocabulary and its token indices (int32)."""

    name: str
    mode: str
    vocab: Vocab
    tokens: np.ndarray
    num_chars: int

    def preview(self, length: int = 400) -> str:
        return self.vocab.decode(self.tokens[:length])

    def split(self, val_fraction: float) -> tuple[np.ndarray, np.ndarray]:
        """(training, validation) tokens; validation is the held-out tail."""
        n_val = int(len(self.tokens) * val_fraction)
        cut = len(self.tokens) - n_val
        return self.tokens[:cut], self.tokens[cut:]


def load_corpus(config: CorpusConfig, *, allow_download: bool = True) -> Corpus:
    """Read, preprocess and encode the text that `config` names."""
    if config.source == TIME_MACHINE:
        path = timemachine.locate(allow_download=allow_download)
        source = Source("The Time Machine", str(path), file_chunks(path), "utf-8", path.stat().st_size)
    elif config.source == SAMPLE:
        data = sample_text().encode("utf-8")
        source = Source("Bundled sample", "Bundled sample", lambda: iter([data]), "utf-8", len(data))
    else:
        path = Path(config.source).expanduser()
        size = check_regular_file(path)  # before anything opens it: opening a named pipe blocks
        source = Source(path.name, str(path), file_chunks(path), config.encoding, size)
    max_tokens = config.max_tokens
    if max_tokens is None:
        max_tokens = BOOK_MAX_TOKENS if config.source == TIME_MACHINE else 0
    return stream_corpus(source, config.mode, max_tokens)


def sample_text() -> str:
    return (resources.files("gru_studio") / "data" / "sample.txt").read_text(encoding="utf-8")


# -- reading ------------------------------------------------------------------

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
        return CorpusError(f"{path} does not exist.")
    if isinstance(exc, IsADirectoryError):
        return CorpusError(f"{path} is a folder, not a text file.")
    if isinstance(exc, PermissionError):
        return CorpusError(f"{path} cannot be read: permission denied.")
    return CorpusError(f"{path} cannot be read: {exc.strerror or exc}.")


def not_regular(path: Path, mode: int) -> CorpusError:
    if stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "a special file"
    return CorpusError(f"{path} is {kind}, not a text file; only a regular file can be a corpus.")


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
            raise CorpusError(too_large(path, info.st_size))
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
                raise CorpusError(too_large(path, total))
            yield chunk


def too_large(path: Path, size: int) -> str:
    return (
        f"{path} is too large for a corpus ({size_text(size)} or more; "
        f"the most GRU Studio reads is {size_text(MAX_CORPUS_BYTES)})."
    )


def size_text(size: int) -> str:
    if size >= 2**30:
        return f"{size / 2**30:.3g} GiB"
    return f"{size / 2**20:.3g} MiB" if size >= 2**20 else f"{size:,} bytes"


# -- decoding -----------------------------------------------------------------


def text_codec(encoding: str) -> codecs.CodecInfo:
    """The codec for `encoding`, if it is one that turns bytes into text."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ConfigError("encoding", f"unknown text encoding {encoding!r}") from None
    # rot13, base64, hex, zlib ... are codecs too, but of bytes to bytes or str
    # to str; str.decode refuses them with a LookupError of its own.
    if not getattr(info, "_is_text_encoding", True):
        raise ConfigError(
            "encoding", f"{encoding!r} is not a text encoding; choose one such as utf-8, utf-16 or cp1252"
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
        raise CorpusError(f"{name} is empty.")
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
            f"{name} contains NUL bytes, so it is not {label} text; it is probably {likely} "
            f"(without a byte-order mark): choose that encoding.",
            likely,
        )
    return CorpusError(f"{name} looks like a binary file (it contains NUL bytes), not text.")


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
        f"{name} is not valid {label} (byte {at}). It is probably {likely}: choose that encoding.",
        likely,
    )


def guess_encoding(chunks: Iterator[bytes]) -> str:
    """Windows-1252 where it decodes (common for old Western texts), else Latin-1."""
    try:
        for chunk in chunks:
            chunk.decode("cp1252")  # one byte per character: pieces decode as the whole would
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


# -- preprocessing, piece by piece -------------------------------------------


def stream_corpus(source: Source, mode: str, max_tokens: int) -> Corpus:
    """Decode and preprocess a text a piece at a time and keep its first `max_tokens` tokens (0: all).

    The vocabulary is still the whole text's, as in the book (its Vocab counts
    every token, then the corpus is cut to max_tokens): every piece is counted,
    so a long text is read to its end even when only its start is kept.
    """
    counter = TokenCounter(max_tokens, source.size)
    name = source.name
    num_chars = 0
    if mode == "raw":
        pending_return = ""  # a piece's last \r, held back in case the next piece begins with \n
        for text in decode_chunks(source):
            num_chars += len(text)
            text = pending_return + text
            pending_return = "\r" if text.endswith("\r") else ""
            if pending_return:
                text = text[:-1]
            counter.add(codepoints(text.replace("\r\n", "\n")))
        counter.add(codepoints(pending_return))
    else:
        letters = LettersStream()
        for text in decode_chunks(source):
            num_chars += len(text)
            counter.add(letters.feed(codepoints(text)))
    if counter.total == 0:
        hint = " (it has no letters a-z; try the raw mode)" if mode == "letters" else ""
        raise CorpusError(f"{name} has no text to train on{hint}.")
    vocab = Vocab.from_counts(counter.counts, counter.first)
    if len(vocab) < 3:
        raise CorpusError(
            f"{name} uses only {len(vocab) - 1} distinct character(s); a language model needs at least 2."
        )
    return Corpus(name, mode, vocab, counter.encode(vocab), num_chars)


class LettersStream:
    """The book's letters-only preprocessing (see letters_only) over a text given in pieces.

    Whether a run of non-letters becomes a space depends on what lies on both
    sides of it, which may be in different pieces. All that matters of the
    past is: was there a letter, and is the run since the last one empty,
    free of line ends, or holding one? That is carried into the next piece as
    a stand-in prefix ("a", "a " or "a\n") whose own letter is dropped again.
    """

    def __init__(self) -> None:
        self.prefix = np.zeros(0, dtype=np.uint32)

    def feed(self, codes: np.ndarray) -> np.ndarray:
        if self.prefix.size:
            codes = np.concatenate([self.prefix, codes])
        out = letters_only(codes)
        if self.prefix.size:
            out = out[1:]  # the stand-in letter
        self.prefix = self.carry(codes)
        return out

    def carry(self, codes: np.ndarray) -> np.ndarray:
        is_letter = ((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))
        letter_at = np.flatnonzero(is_letter)
        if letter_at.size == 0:
            return self.prefix  # no letter yet (with one, the stand-in prefix is one)
        run = codes[letter_at[-1] + 1 :]
        tail: list[int]
        if run.size == 0:
            tail = []
        elif ((run == NEWLINE) | (run == RETURN)).any():
            tail = [NEWLINE]
        else:
            tail = [SPACE]
        return np.array([LETTER_A, *tail], dtype=np.uint32)


class TokenCounter:
    """Counts every token of a text (for the vocabulary) and keeps the first `limit` (0: all).

    Kept tokens are stored as codepoints straight into the int32 array that
    becomes the corpus, and turned into indices there, in place, once the
    vocabulary is known: the peak is that one array and a piece's temporaries.
    (Kept in pieces of their own, freed ones stayed in the C heap: 5x the file.)
    """

    def __init__(self, limit: int, size_hint: int) -> None:
        self.limit = limit
        self.total = 0  # tokens seen
        self.kept = 0
        # Every character takes a byte or more, so the file's size bounds the
        # tokens. np.empty only reserves: pages are used once written.
        capacity = min(limit, size_hint) if limit else size_hint
        self.buffer = np.empty(max(capacity, 1), dtype=np.int32)
        self.counts = np.zeros(0, dtype=np.int64)  # by codepoint
        self.first = np.zeros(0, dtype=np.int64)  # where each codepoint first appears; -1: not yet

    def add(self, codes: np.ndarray) -> None:
        if codes.size == 0:
            return
        if int(codes.max()) < 256:
            codes = codes.astype(np.uint8)  # bincount and first_occurrence go faster on it
        counts = np.bincount(codes)
        if counts.size > self.counts.size:
            grow = counts.size - self.counts.size
            self.counts = np.concatenate([self.counts, np.zeros(grow, dtype=np.int64)])
            self.first = np.concatenate([self.first, np.full(grow, -1, dtype=np.int64)])
        self.counts[: counts.size] += counts
        present = np.flatnonzero(counts)
        new = present[self.first[present] < 0]
        if new.size:
            self.first[new] = self.total + first_occurrence(codes, new)
        self.total += codes.size
        if self.limit and self.kept >= self.limit:
            return
        take = codes[: self.limit - self.kept] if self.limit else codes
        end = self.kept + take.size
        if end > self.buffer.size:  # the size hint was short (a file that grew, /proc)
            grown = np.empty(max(end, self.buffer.size * 3 // 2), dtype=np.int32)
            grown[: self.kept] = self.buffer[: self.kept]
            self.buffer = grown
        self.buffer[self.kept : end] = take
        self.kept = end

    def encode(self, vocab: Vocab) -> np.ndarray:
        tokens, self.buffer = self.buffer, np.empty(0, dtype=np.int32)
        # Give back the reserved tail that was never written (a realloc, no copy).
        tokens.resize(self.kept, refcheck=False)
        for start in range(0, self.kept, READ_BYTES):
            part = tokens[start : start + READ_BYTES]
            vocab.encode_codes(part.copy(), out=part)
        return tokens


def preprocess(text: str, mode: str) -> np.ndarray:
    """Text -> token stream as codepoints, per the preprocessing mode."""
    if mode == "raw":
        return codepoints(text.replace("\r\n", "\n"))
    return letters_only(codepoints(text))


def letters_only(codes: np.ndarray) -> np.ndarray:
    """The book's preprocessing, vectorised.

    The book maps each line with `re.sub('[^A-Za-z]+', ' ', line).strip().lower()`
    and joins the lines with nothing between them. So a run of non-letters
    becomes one space only when letters stand on both sides of it within the
    same line; letters are lowercased.
    """
    is_letter = ((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))
    letter_at = np.flatnonzero(is_letter)
    if letter_at.size == 0:
        return np.zeros(0, dtype=np.uint32)
    # The book reads lines in universal-newline mode: \n, \r and \r\n all end one.
    is_break = (codes == NEWLINE) | (codes == RETURN)
    # Candidate spaces: the first non-letter after a letter, unless it ends the line.
    run_start = np.flatnonzero(is_letter[:-1] & ~is_letter[1:] & ~is_break[1:]) + 1
    next_index = running_count(is_letter)[run_start]  # position of the next letter in letter_at
    has_next = next_index < letter_at.size
    run_start, next_letter = run_start[has_next], letter_at[next_index[has_next]]
    line = running_count(is_break)
    keep = is_letter.copy()
    keep[run_start[line[next_letter] == line[run_start]]] = True
    # Setting bit 5 lowercases an ASCII letter and leaves lowercase as it is.
    return np.where(is_letter[keep], codes[keep] | 32, SPACE).astype(np.uint32)


def running_count(mask: np.ndarray) -> np.ndarray:
    """How many True values up to and including each position.

    Summing bytes into int32 is several times faster than numpy's default
    bool -> int64 path on large arrays.
    """
    dtype = np.int32 if mask.size < 2**31 else np.int64
    return np.cumsum(mask.view(np.uint8), dtype=dtype)
