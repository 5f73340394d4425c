"""Texts to train on: where they come from and how they are preprocessed into tokens.

Preprocessing is vectorised with numpy over codepoints, so a 50 MB file is
tokenised in about a second and the loop never holds the GIL for long.

A text is read and decoded a piece at a time (text_file.py) and preprocessed
piece by piece here, so that memory follows the tokens kept rather than the
file: a 200 MB text in letters mode peaked at 6.1 GB when it was decoded and
preprocessed whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from gru_studio.engine.config import SAMPLE, TIME_MACHINE, CorpusConfig
from gru_studio.engine.errors import CorpusError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase
from gru_studio.engine.text import text_file, timemachine
from gru_studio.engine.text.text_file import Chunks, Source, check_regular_file, decode_chunks, file_chunks
from gru_studio.engine.text.vocab import Vocab, codepoints, first_occurrence

BOOK_MAX_TOKENS = 10_000
NEWLINE, RETURN, SPACE = 10, 13, 32
LETTER_A = 97


@dataclass(frozen=True)
class Corpus:
    """A preprocessed text: its vocabulary and its token indices.

    The indices are uint8 when every character of the text is below U+0100
    (the letters mode always, and any English or Western European text), else
    int32: a byte per token keeps a whole text near its file size in memory.
    The batches widen each window to int64 as the models need.
    """

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


def load_corpus(config: CorpusConfig) -> Corpus:
    """Read, preprocess and encode the text that `config` names."""
    if config.source == TIME_MACHINE:
        book = timemachine.read()  # the packaged copy, its SHA-1 checked
        # Phrases, so that the window names the two bundled texts in its language (a file keeps its name).
        name = phrase(QT_TRANSLATE_NOOP("engine", "The Time Machine"))
        source = Source(name, name, in_pieces(book), "utf-8", len(book))
    elif config.source == SAMPLE:
        data = sample_text().encode("utf-8")
        name = phrase(QT_TRANSLATE_NOOP("engine", "Bundled sample"))
        source = Source(name, name, in_pieces(data), "utf-8", len(data))
    else:
        path = Path(config.source).expanduser()
        size = check_regular_file(path)  # before anything opens it: opening a named pipe blocks
        source = Source(path.name, str(path), file_chunks(path), config.encoding, size)
    max_tokens = config.max_tokens
    if max_tokens is None:
        max_tokens = BOOK_MAX_TOKENS if config.source == TIME_MACHINE else 0
    return stream_corpus(source, config.mode, max_tokens)


def in_pieces(data: bytes) -> Chunks:
    """Bytes already in memory, handed out READ_BYTES at a time as a file's are."""
    return lambda: (data[start : start + text_file.READ_BYTES] for start in range(0, len(data), text_file.READ_BYTES))


def sample_text() -> str:
    return (resources.files("gru_studio") / "data" / "sample.txt").read_text(encoding="utf-8")


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
        if mode == "letters":
            raise CorpusError(
                QT_TRANSLATE_NOOP(
                    "engine", "{name} has no text to train on (it has no letters a-z; try the raw mode)."
                ),
                name=name,
            )
        raise CorpusError(QT_TRANSLATE_NOOP("engine", "{name} has no text to train on."), name=name)
    vocab = Vocab.from_counts(counter.counts, counter.first)
    if len(vocab) < 3:
        raise CorpusError(
            QT_TRANSLATE_NOOP(
                "engine", "{name} uses only {count} distinct character(s); a language model needs at least 2."
            ),
            name=name,
            count=len(vocab) - 1,
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

    Kept tokens are stored as codepoints straight into the array that becomes
    the corpus, and turned into indices there, in place, once the vocabulary is
    known: the peak is that one array and a piece's temporaries. (Kept in
    pieces of their own, freed ones stayed in the C heap: 5x the file.) The
    array holds bytes until a codepoint above U+00FF turns up, then is widened
    to int32 once: so a text of one byte per character peaks near its size,
    not 4 times it.
    """

    def __init__(self, limit: int, size_hint: int) -> None:
        self.limit = limit
        self.total = 0  # tokens seen
        self.kept = 0
        # Every character takes a byte or more, so the file's size bounds the
        # tokens. np.empty only reserves: pages are used once written.
        capacity = min(limit, size_hint) if limit else size_hint
        self.buffer = np.empty(max(capacity, 1), dtype=np.uint8)
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
        wide = take.dtype != np.uint8 and self.buffer.dtype == np.uint8
        if end > self.buffer.size or wide:  # the size hint was short (a file that grew, /proc)
            dtype = np.int32 if take.dtype != np.uint8 else self.buffer.dtype
            self.buffer = widened(self.buffer, self.kept, max(end, self.buffer.size * 3 // 2), dtype)
        self.buffer[self.kept : end] = take
        self.kept = end

    def encode(self, vocab: Vocab) -> np.ndarray:
        tokens, self.buffer = self.buffer, np.empty(0, dtype=np.uint8)
        if tokens.dtype == np.uint8 and len(vocab) > 256:
            # All 256 byte values occur, so the last index (256) needs more than a byte.
            tokens = widened(tokens, self.kept, self.kept, np.int32)
        # Give back the reserved tail that was never written (a realloc, no copy).
        tokens.resize(self.kept, refcheck=False)
        for start in range(0, self.kept, text_file.READ_BYTES):
            part = tokens[start : start + text_file.READ_BYTES]
            vocab.encode_codes(part.copy(), out=part)
        return tokens


def widened(buffer: np.ndarray, kept: int, size: int, dtype: type) -> np.ndarray:
    """A new array of `size` (reserved, not yet used) holding `buffer[:kept]` as `dtype`."""
    grown = np.empty(size, dtype=dtype)
    grown[:kept] = buffer[:kept]
    return grown


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
