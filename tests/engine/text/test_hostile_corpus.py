"""Hostile corpora (issue 13): special files, codecs that are not text encodings,
UTF-16/32, and texts too big to decode whole. Each ends in one clear CorpusError
or ConfigError, never a hang, a MemoryError or a traceback."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.errors import ConfigError, CorpusError, EncodingError
from gru_studio.engine.text import text_file
from gru_studio.engine.text.corpus import Corpus, TokenCounter, load_corpus
from gru_studio.engine.text.vocab import Vocab, codepoints
from gru_studio.engine.training.checkpoint import FINGERPRINT_PIECE, text_fingerprint
from tests.engine.text.test_corpus import book_preprocess

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev are POSIX")
REPO = Path(__file__).resolve().parents[3]


def load_in_thread(config: CorpusConfig, timeout: float = 10.0) -> BaseException | Corpus | None:
    """What load_corpus returns or raises, or None if it is still running after `timeout` seconds."""
    outcome: list[BaseException | Corpus] = []

    def target() -> None:
        try:
            outcome.append(load_corpus(config))
        except BaseException as exc:  # handed to the test to judge
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return outcome[0] if outcome else None


def release_reader(fifo: Path) -> None:
    """Let a reader stuck opening `fifo` go on (it then reads an empty file), so no thread is left blocked."""
    with contextlib.suppress(OSError):  # no reader waiting: nothing to release
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


@needs_posix
def test_a_named_pipe_is_refused_at_once_without_opening_it(tmp_path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    try:
        outcome = load_in_thread(CorpusConfig(source=str(fifo)))
    finally:
        release_reader(fifo)
    assert outcome is not None, "loading a named pipe hung"
    assert isinstance(outcome, CorpusError), outcome
    assert str(outcome) == f"{fifo} is a named pipe (FIFO), not a text file; only a regular file can be a corpus."


@needs_posix
def test_a_link_to_a_named_pipe_is_refused_too(tmp_path) -> None:
    fifo, link = tmp_path / "pipe", tmp_path / "book.txt"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    try:
        outcome = load_in_thread(CorpusConfig(source=str(link)))
    finally:
        release_reader(fifo)
    assert isinstance(outcome, CorpusError) and "named pipe" in str(outcome), outcome


@needs_posix
def test_a_socket_is_refused_by_name(tmp_path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(CorpusError, match="is a socket, not a text file"):
            load_corpus(CorpusConfig(source=str(path)))


def in_thread(call, timeout: float = 10.0) -> object:
    """What `call()` returns or raises, or None if it is still running after `timeout` seconds."""
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed to the test to judge
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    return outcome[0] if outcome else None


@needs_posix
def test_read_chunks_refuses_a_named_pipe_by_what_it_opened(tmp_path) -> None:
    # read_chunks judges what it opened, whatever was checked before: a named pipe, opened
    # without blocking, is refused by name, not read as an empty file.
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    try:
        outcome = in_thread(lambda: list(text_file.read_chunks(fifo)))
    finally:
        release_reader(fifo)
    assert outcome is not None, "reading a named pipe hung"
    assert isinstance(outcome, CorpusError), outcome
    assert str(outcome) == f"{fifo} is a named pipe (FIFO), not a text file; only a regular file can be a corpus."


@needs_posix
def test_a_file_swapped_for_a_named_pipe_after_its_stat_is_refused(tmp_path, monkeypatch) -> None:
    path = tmp_path / "book.txt"
    path.write_text("a regular book when it is looked at")
    real_open = os.open

    def swap_then_open(file, *args, **kwargs):  # between the stat and the open, the file becomes a pipe
        if Path(file) == path and path.is_file():
            path.unlink()
            os.mkfifo(path)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", swap_then_open)
    try:
        outcome = load_in_thread(CorpusConfig(source=str(path)))
    finally:
        monkeypatch.undo()
        release_reader(path)
    assert outcome is not None, "loading a file swapped for a named pipe hung"
    assert isinstance(outcome, CorpusError), outcome
    assert str(outcome) == f"{path} is a named pipe (FIFO), not a text file; only a regular file can be a corpus."


@needs_posix
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_special_file_is_refused_by_its_stat_and_never_opened(tmp_path, monkeypatch, special: str) -> None:
    if special == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
        kind = "a named pipe (FIFO)"
    else:
        path = Path(special)
        if not path.exists():
            pytest.skip(f"no {special} here")
        kind = "a device"
    opened: list[str] = []
    real_os_open, real_open = os.open, open

    def refuse(opener):
        def spy(file, *args, **kwargs):
            if not isinstance(file, int) and Path(file) == path:
                opened.append(opener)
                raise AssertionError(f"{path} was opened ({opener})")  # never read a pipe or /dev/zero here
            return (real_os_open if opener == "os.open" else real_open)(file, *args, **kwargs)

        return spy

    monkeypatch.setattr(os, "open", refuse("os.open"))
    monkeypatch.setattr("builtins.open", refuse("open"))
    monkeypatch.setattr("io.open", refuse("open"))  # Path.open's
    try:
        outcome = in_thread(lambda: load_corpus(CorpusConfig(source=str(path))))
    finally:
        monkeypatch.undo()
        if special == "fifo":
            release_reader(path)
    assert opened == []
    assert isinstance(outcome, CorpusError), outcome
    assert str(outcome) == f"{path} is {kind}, not a text file; only a regular file can be a corpus."


DEVICE_SCRIPT = """
import resource, sys
# A cap, so that a reader without one fails here with a MemoryError instead of
# taking the machine's memory (today's code read /dev/zero to 5.5 GB).
resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))
from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.errors import CorpusError
try:
    load_corpus(CorpusConfig(source=sys.argv[1]))
except CorpusError as exc:
    print(exc)
"""


@needs_posix
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_at_once(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    done = subprocess.run(
        [sys.executable, "-c", DEVICE_SCRIPT, device], capture_output=True, text=True, timeout=20, cwd=REPO
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == f"{device} is a device, not a text file; only a regular file can be a corpus."


def test_the_size_cap_is_named_and_said(tmp_path, monkeypatch) -> None:
    assert text_file.MAX_CORPUS_BYTES == 1 << 30
    assert text_file.size_text(text_file.MAX_CORPUS_BYTES) == "1 GiB"
    monkeypatch.setattr(text_file, "MAX_CORPUS_BYTES", 4096)
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(CorpusError, match=r"big.txt is too large for a corpus \(5,000 bytes or more; .* 4,096 bytes\)"):
        load_corpus(CorpusConfig(source=str(path)))


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="needs Linux's /proc")
def test_reading_stops_at_the_cap_even_where_the_size_says_zero(monkeypatch) -> None:
    # /proc files are regular and say they hold 0 bytes, whatever they hold.
    monkeypatch.setattr(text_file, "MAX_CORPUS_BYTES", 64)
    monkeypatch.setattr(text_file, "READ_BYTES", 16)
    with pytest.raises(CorpusError, match="too large for a corpus"):
        load_corpus(CorpusConfig(source="/proc/self/maps", mode="raw"))


# -- encodings ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib"])
def test_a_codec_that_is_not_a_text_encoding_is_a_config_error(tmp_path, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text("some text here")
    with pytest.raises(ConfigError, match=f"encoding: '{encoding}' is not a text encoding") as info:
        load_corpus(CorpusConfig(source=str(path), encoding=encoding))
    assert info.value.field == "encoding"


TEXT = "Über the hill, the time traveller said: “ça va”.\nSecond line 😀.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be", "utf-32-le"])
def test_a_byte_order_mark_names_the_encoding_without_the_flag(tmp_path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}.get(encoding, b"")
    path.write_bytes(bom + TEXT.encode(encoding))
    corpus = load_corpus(CorpusConfig(source=str(path), mode="raw"))
    assert corpus.preview() == TEXT
    assert corpus.num_chars == len(TEXT)


@pytest.mark.parametrize(
    ("written", "declared"), [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"), ("utf-32", "utf-32")]
)
def test_wide_text_is_read_in_the_encoding_declared(tmp_path, written: str, declared: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(TEXT.encode(written))
    corpus = load_corpus(CorpusConfig(source=str(path), mode="raw", encoding=declared))
    assert corpus.preview() == TEXT
    letters = load_corpus(CorpusConfig(source=str(path), encoding=declared))
    assert letters.preview() == book_preprocess(TEXT)


def test_utf16_without_a_mark_names_that_encoding_which_then_works(tmp_path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(EncodingError, match="probably utf-16-le") as info:
        load_corpus(CorpusConfig(source=str(path), mode="raw"))
    assert info.value.suggestion == "utf-16-le"
    assert load_corpus(CorpusConfig(source=str(path), mode="raw", encoding="utf-16-le")).preview() == TEXT


def test_nul_characters_in_wide_text_still_mean_binary(tmp_path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes("text\x00\x01binary".encode("utf-16"))
    with pytest.raises(CorpusError, match="binary"):
        load_corpus(CorpusConfig(source=str(path)))


def test_a_bad_byte_deep_in_a_long_file_is_placed_exactly(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(text_file, "READ_BYTES", 1000)
    path = tmp_path / "old.txt"
    data = ("é" * 2000).encode() + "café".encode("cp1252")  # the bad byte lies across many pieces
    path.write_bytes(data)
    with pytest.raises(EncodingError, match=f"not valid utf-8 \\(byte {len(data) - 1}\\). It is probably cp1252"):
        load_corpus(CorpusConfig(source=str(path), mode="raw"))


# -- reading in pieces gives what reading whole gave --------------------------


def random_text(rng: np.random.Generator, size: int) -> str:
    alphabet = list("abcXYZ \n\r.,1é\t—😀") + ["\r\n"] * 3
    return "".join(rng.choice(alphabet, size=size))


@pytest.mark.parametrize("read_bytes", [4, 5, 7, 64, 1 << 18])
@pytest.mark.parametrize("mode", ["letters", "raw"])
def test_pieces_of_any_size_give_the_whole_texts_corpus(tmp_path, monkeypatch, read_bytes: int, mode: str) -> None:
    monkeypatch.setattr(text_file, "READ_BYTES", read_bytes)
    rng = np.random.default_rng(read_bytes)
    for trial in range(8):
        text = random_text(rng, int(rng.integers(1, 600)))
        path = tmp_path / f"t{trial}.txt"
        path.write_bytes(text.encode())
        expected = book_preprocess(text) if mode == "letters" else text.replace("\r\n", "\n")
        if len(set(expected)) < 2:
            continue  # too few characters to be a corpus at all
        corpus = load_corpus(CorpusConfig(source=str(path), mode=mode))
        assert corpus.vocab.decode(corpus.tokens) == expected
        assert corpus.vocab == Vocab.from_codes(codepoints(expected))  # by frequency, then first seen
        assert corpus.num_chars == len(text)
        cut = load_corpus(CorpusConfig(source=str(path), mode=mode, max_tokens=10))
        assert cut.vocab == corpus.vocab  # the whole text's, as in the book
        assert np.array_equal(cut.tokens, corpus.tokens[:10])


def test_tokens_are_bytes_unless_the_text_needs_wider(tmp_path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("hello world " * 100)
    corpus = load_corpus(CorpusConfig(source=str(path), max_tokens=50))
    assert corpus.tokens.dtype == np.uint8 and corpus.tokens.shape == (50,)
    assert corpus.tokens.base is None  # not a view holding on to a larger buffer
    # A character above U+00FF late in the text widens what was kept so far.
    path.write_text("hello world " * 30_000 + "时间机器", encoding="utf-8")
    wide = load_corpus(CorpusConfig(source=str(path), mode="raw"))
    assert wide.tokens.dtype == np.int32
    assert wide.vocab.decode(wide.tokens) == path.read_text(encoding="utf-8")


def test_a_text_using_all_256_byte_values_still_gets_distinct_indices() -> None:
    # 256 characters and <unk> make 257 indices: one more than a byte holds.
    # (A file cannot hold them all: NUL marks a binary file; so the counter is fed directly.)
    counter = TokenCounter(0, 1024)
    codes = np.arange(256, dtype=np.uint8).repeat(2)
    counter.add(codes)
    vocab = Vocab.from_counts(counter.counts, counter.first)
    tokens = counter.encode(vocab)
    assert len(vocab) == 257 and tokens.dtype == np.int32
    assert sorted(set(tokens.tolist())) == list(range(1, 257))
    assert vocab.decode(tokens) == "".join(chr(c) * 2 for c in range(256))


def test_the_text_fingerprint_does_not_depend_on_the_token_width() -> None:
    tokens = np.arange(FINGERPRINT_PIECE * 2 + 7) % 200
    assert text_fingerprint(tokens.astype(np.uint8)) == text_fingerprint(tokens.astype(np.int32))
    whole = hashlib.sha1(tokens.astype(np.int32).tobytes()).hexdigest()  # what checkpoints saved so far hold
    assert text_fingerprint(tokens.astype(np.uint8)) == whole


# -- memory --------------------------------------------------------------------

MEMORY_SCRIPT = """
import json, resource, sys
from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.text.corpus import load_corpus
load_corpus(CorpusConfig(source="sample"))  # everything imported and warmed up
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
corpus = load_corpus(CorpusConfig(source=sys.argv[1], mode=sys.argv[2], max_tokens=int(sys.argv[3])))
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"grown": grown * 1024, "tokens": len(corpus.tokens), "width": corpus.tokens.itemsize}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux only")
@pytest.mark.parametrize(("mode", "max_tokens"), [("letters", 0), ("letters", 100_000), ("raw", 0), ("raw", 100_000)])
def test_peak_memory_follows_the_tokens_kept_not_the_file(tmp_path, mode: str, max_tokens: int) -> None:
    line = b"The Time Traveller (for so it will be convenient to speak of him), 1895!\n"
    path = tmp_path / "long.txt"
    path.write_bytes(line * (24 * 2**20 // len(line)))  # 24 MiB
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(path), mode, str(max_tokens)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    # The tokens themselves, a byte each for this text, and a working set that
    # does not grow with the file (the pieces' temporaries). Decoding whole
    # took 29 times the file; int32 tokens took 4 times it.
    assert report["width"] == 1
    allowed = report["tokens"] + 32 * 2**20
    assert report["grown"] < allowed, f"grew {report['grown'] / 2**20:.0f} MiB for {report['tokens']:,} tokens"


@pytest.mark.parametrize(("content", "words"), [(b"  \n", "is empty."), (b"a\x00b", "looks like a binary file")])
def test_messages_about_a_files_bytes_name_its_whole_path(tmp_path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        load_corpus(CorpusConfig(source=str(path)))
    assert str(info.value).startswith(f"{path} {words}")
