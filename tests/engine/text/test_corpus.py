import io
import re
from collections import Counter

import numpy as np
import pytest

from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.errors import ConfigError, CorpusError
from gru_studio.engine.text import text_file
from gru_studio.engine.text.corpus import letters_only, load_corpus, preprocess, sample_text
from gru_studio.engine.text.vocab import codepoints
from tests.conftest import TIME_MACHINE_FILE

BOOK_VOCAB = list(" etainoshrdlmucfwgypbvkxzjq")


def book_preprocess(text: str) -> str:
    """The book's per-line recipe, written the slow way as a reference."""
    lines = io.StringIO(text, newline=None).readlines()
    return "".join(re.sub("[^A-Za-z]+", " ", line).strip().lower() for line in lines)


def as_text(codes: np.ndarray) -> str:
    return "".join(map(chr, codes))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hello, World!\nSecond line.  \n\n  --Third--\n",
        "a\n\nb",
        "...\n!!!",
        "x1y2z\r\nEnd of file",
        "ÆON café: naïve\ttabs\tand  spaces\n",
        "trailing ",
        "old\rmac\rlines",
        "form\x0cfeed and\x0bvertical tab",
    ],
)
def test_letters_mode_matches_the_books_regex(text: str) -> None:
    assert as_text(letters_only(codepoints(text))) == book_preprocess(text)


def test_letters_mode_matches_the_book_on_random_text() -> None:
    rng = np.random.default_rng(1)
    alphabet = list("abcXYZ \n\r.,1é\t")
    for _ in range(50):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 80))))
        assert as_text(letters_only(codepoints(text))) == book_preprocess(text)


def test_time_machine_gives_the_books_corpus_and_vocabulary() -> None:
    corpus = load_corpus(CorpusConfig())
    assert len(corpus.tokens) == 10_000  # the book's max_tokens
    assert corpus.vocab.idx_to_token == ["<unk>", *BOOK_VOCAB]
    assert len(corpus.vocab) == 28
    everything = load_corpus(CorpusConfig(max_tokens=0))
    assert len(everything.tokens) == 170_580  # the book's len(corpus) for characters
    assert everything.preview(27) == "the time machine by h g wel"
    reference = book_preprocess(TIME_MACHINE_FILE.read_text())
    assert corpus.vocab.decode(everything.tokens) == reference
    by_count = sorted(Counter(reference).items(), key=lambda item: item[1], reverse=True)
    assert [token for token, _ in by_count] == BOOK_VOCAB


@pytest.mark.parametrize("mode", ["letters", "raw"])
def test_the_book_read_in_small_pieces_is_the_book_read_whole(monkeypatch, mode: str) -> None:
    whole = load_corpus(CorpusConfig(mode=mode, max_tokens=0))
    monkeypatch.setattr(text_file, "READ_BYTES", 997)  # pieces that end anywhere: in words, in lines
    pieces = load_corpus(CorpusConfig(mode=mode, max_tokens=0))
    assert pieces.vocab == whole.vocab
    assert np.array_equal(pieces.tokens, whole.tokens)
    assert pieces.num_chars == whole.num_chars == len(TIME_MACHINE_FILE.read_text())
    if mode == "letters":
        assert pieces.vocab.idx_to_token == ["<unk>", *BOOK_VOCAB]


def test_raw_mode_keeps_every_character(tmp_path) -> None:
    path = tmp_path / "poem.txt"
    path.write_text("床前明月光，\r\n疑是地上霜。\n", encoding="utf-8")
    corpus = load_corpus(CorpusConfig(source=str(path), mode="raw"))
    assert corpus.preview() == "床前明月光，\n疑是地上霜。\n"
    assert "光" in corpus.vocab.token_to_idx
    assert corpus.name == "poem.txt"


def test_utf8_with_and_without_bom_read_the_same(tmp_path) -> None:
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    plain.write_bytes("Über alles, the end.".encode())
    bom.write_bytes(b"\xef\xbb\xbf" + "Über alles, the end.".encode())
    a = load_corpus(CorpusConfig(source=str(plain), mode="raw"))
    b = load_corpus(CorpusConfig(source=str(bom), mode="raw"))
    assert a.preview() == b.preview() == "Über alles, the end."


def test_other_files_use_all_tokens_and_max_tokens_cuts(tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("abc def " * 5000)
    assert len(load_corpus(CorpusConfig(source=str(path))).tokens) == 8 * 5000 - 1
    assert len(load_corpus(CorpusConfig(source=str(path), max_tokens=100)).tokens) == 100


def test_bundled_sample_is_there_and_usable() -> None:
    assert 2_000 < len(sample_text()) < 20_000
    corpus = load_corpus(CorpusConfig(source="sample"))
    assert len(corpus.vocab) >= 20
    assert all(c in corpus.vocab.token_to_idx for c in "time traveller")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"text\x00\x01\x02binary", "binary"),
        ("caf\xe9 au lait".encode("latin-1"), "not valid utf-8"),
        (b"1234 5678 !!!", "no letters"),
        (b"aaaaaaaa", "distinct"),
    ],
)
def test_bad_files_give_clear_messages(tmp_path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=words):
        load_corpus(CorpusConfig(source=str(path)))


def test_invalid_utf8_names_a_likely_encoding_which_then_works(tmp_path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Déjà vu – naïve café".encode("cp1252"))
    with pytest.raises(CorpusError, match="cp1252"):
        load_corpus(CorpusConfig(source=str(path), mode="raw"))
    corpus = load_corpus(CorpusConfig(source=str(path), mode="raw", encoding="cp1252"))
    assert corpus.preview() == "Déjà vu – naïve café"


def test_missing_file_folder_and_unknown_encoding(tmp_path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(CorpusConfig(source=str(tmp_path / "nope.txt")))
    with pytest.raises(CorpusError, match="is a folder"):
        load_corpus(CorpusConfig(source=str(tmp_path)))
    (tmp_path / "a.txt").write_text("some text here")
    with pytest.raises(ConfigError, match="encoding"):
        load_corpus(CorpusConfig(source=str(tmp_path / "a.txt"), encoding="klingon-8"))


def test_split_holds_out_the_tail() -> None:
    corpus = load_corpus(CorpusConfig(source="sample"))
    train, val = corpus.split(0.1)
    assert len(val) == int(len(corpus.tokens) * 0.1)
    assert np.array_equal(np.concatenate([train, val]), corpus.tokens)
    assert preprocess("Ab", "raw").tolist() == [65, 98]
