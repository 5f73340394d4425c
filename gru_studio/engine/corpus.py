"""Texts to train on: where they come from, how they are decoded and preprocessed.

Preprocessing is vectorised with numpy over codepoints, so a 50 MB file is
tokenised in about a second and the loop never holds the GIL for long.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from gru_studio.engine import timemachine
from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig
from gru_studio.engine.errors import ConfigError, CorpusError, EncodingError
from gru_studio.engine.vocab import Vocab, codepoints

BOOK_MAX_TOKENS = 10_000
NEWLINE, RETURN, SPACE = 10, 13, 32


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
        text, name = decode(path.read_bytes(), "utf-8", str(path)), "The Time Machine"
    elif config.source == SAMPLE:
        text, name = sample_text(), "Bundled sample"
    else:
        path = Path(config.source).expanduser()
        text, name = decode(read_bytes(path), config.encoding, str(path)), path.name
    return build_corpus(text, name, config)


def build_corpus(text: str, name: str, config: CorpusConfig) -> Corpus:
    codes = preprocess(text, config.mode)
    if codes.size == 0:
        hint = " (it has no letters a-z; try the raw mode)" if config.mode == "letters" else ""
        raise CorpusError(f"{name} has no text to train on{hint}.")
    vocab = Vocab.from_codes(codes)
    if len(vocab) < 3:
        raise CorpusError(
            f"{name} uses only {len(vocab) - 1} distinct character(s); a language model needs at least 2."
        )
    max_tokens = config.max_tokens
    if max_tokens is None:
        max_tokens = BOOK_MAX_TOKENS if config.source == TIME_MACHINE else 0
    if max_tokens:
        codes = codes[:max_tokens]
    return Corpus(name, config.mode, vocab, vocab.encode_codes(codes), len(text))


def sample_text() -> str:
    return (resources.files("gru_studio") / "data" / "sample.txt").read_text(encoding="utf-8")


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise CorpusError(f"{path} is a folder, not a text file.") from None
    except PermissionError:
        raise CorpusError(f"{path} cannot be read: permission denied.") from None
    except OSError as exc:
        raise CorpusError(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if not data.strip():
        raise CorpusError(f"{path} is empty.")
    if b"\x00" in data:
        raise CorpusError(f"{path} looks like a binary file (it contains NUL bytes), not text.")
    return data


def decode(data: bytes, encoding: str, name: str) -> str:
    """Decode bytes; UTF-8 accepts a leading BOM. Bad bytes name a likely encoding."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigError("encoding", f"unknown text encoding {encoding!r}") from None
    if codecs.lookup(encoding).name == "utf-8":
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        likely = guess_encoding(data)
        raise EncodingError(
            f"{name} is not valid {encoding.removesuffix('-sig')} (byte {exc.start}). "
            f"It is probably {likely}: choose that encoding.",
            likely,
        ) from None


def guess_encoding(data: bytes) -> str:
    """Windows-1252 where it decodes (common for old Western texts), else Latin-1."""
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


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
