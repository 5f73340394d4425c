"""The book's character vocabulary, with vectorised encoding and decoding."""

from __future__ import annotations

import numpy as np

UNK = "<unk>"


class Vocab:
    """`<unk>` at index 0, then tokens by descending frequency.

    Ties keep the order in which the tokens first appear in the text, which is
    what the book's Counter-based vocabulary does; so the Time Machine gives
    exactly the book's 28 indices.
    """

    def __init__(self, tokens: list[str]) -> None:
        if not tokens or tokens[0] != UNK:
            tokens = [UNK, *tokens]
        self.idx_to_token = list(tokens)
        self.token_to_idx = {t: i for i, t in enumerate(self.idx_to_token)}
        # A codepoint -> index table makes encoding one numpy gather.
        codes = [ord(t) for t in self.idx_to_token[1:]]
        self._lut = np.zeros(max(codes, default=0) + 1, dtype=np.int32)
        self._lut[codes] = np.arange(1, len(self.idx_to_token), dtype=np.int32)

    @classmethod
    def from_codes(cls, codes: np.ndarray) -> Vocab:
        """Build from a token stream given as unicode codepoints."""
        if codes.size == 0:
            return cls([UNK])
        counts = np.bincount(codes)
        first = np.full(counts.shape, -1, dtype=np.int64)
        present = np.flatnonzero(counts)
        first[present] = first_occurrence(codes, present)
        return cls.from_counts(counts, first)

    @classmethod
    def from_counts(cls, counts: np.ndarray, first: np.ndarray) -> Vocab:
        """Build from how often each codepoint occurs and where it first does.

        `counts[c]` and `first[c]` describe codepoint c (`first` is read only
        where `counts` is not zero), so a text read in pieces gives the same
        vocabulary as the whole of it at once.
        """
        present = np.flatnonzero(counts)
        order = np.lexsort((first[present], -counts[present]))
        return cls([UNK, *(chr(int(c)) for c in present[order])])

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocab) and other.idx_to_token == self.idx_to_token

    def encode_codes(self, codes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Codepoints -> indices; anything outside the vocabulary becomes 0 (`<unk>`).

        `out`, an integer array of the same length wide enough for the
        vocabulary's indices, receives them in place:
        the corpus fills its one big token array piece by piece that way,
        without a second copy of it.
        """
        if out is None:
            out = np.zeros(codes.shape, dtype=np.int32)
        if codes.size and int(codes.max()) < len(self._lut):
            return np.take(self._lut, codes, out=out)  # all known (a corpus's own text): one gather
        out[:] = 0
        inside = codes < len(self._lut)
        out[inside] = self._lut[codes[inside]]
        return out

    def encode(self, text: str) -> np.ndarray:
        return self.encode_codes(codepoints(text))

    def unknown_chars(self, text: str) -> list[str]:
        """Distinct characters of `text` that the vocabulary lacks, in order of appearance."""
        return [c for c in dict.fromkeys(text) if c not in self.token_to_idx or c == UNK]

    def decode(self, indices: np.ndarray | list[int]) -> str:
        tokens = self.idx_to_token
        return "".join(tokens[int(i)] if int(i) else "\ufffd" for i in indices)


def codepoints(text: str) -> np.ndarray:
    """A str as a uint32 array of its codepoints, without a Python loop."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def first_occurrence(codes: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Index of the first appearance of each value in `present` (sorted) within `codes`.

    `present` may name only some of the values in `codes` (a text read in
    pieces asks only about the characters it has not met before); each must
    occur in `codes`.

    Sorting the whole stream would cost seconds on a 50 MB text; the common
    characters all appear within the first stretch, so only that stretch is
    sorted and the rare rest are found with one table lookup over the stream.
    """
    head = codes[: 1 << 20]
    values, index = np.unique(head, return_index=True)
    slot = np.searchsorted(present, values)
    asked = slot < present.size
    asked[asked] = present[slot[asked]] == values[asked]
    first = np.full(present.shape, -1, dtype=np.int64)
    first[slot[asked]] = index[asked]
    missing = present[first < 0]
    if missing.size:
        wanted = np.zeros(int(codes.max()) + 1, dtype=bool)
        wanted[missing] = True
        hits = np.flatnonzero(wanted[codes])
        values, index = np.unique(codes[hits], return_index=True)
        first[np.searchsorted(present, values)] = hits[index]
    return first
