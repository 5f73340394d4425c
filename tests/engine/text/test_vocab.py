import numpy as np

from gru_studio.engine.text.vocab import UNK, Vocab, codepoints


def test_order_is_frequency_then_first_appearance() -> None:
    vocab = Vocab.from_codes(codepoints("bbaacdd c"))
    # b, a, c and d each appear twice; b comes first in the text.
    assert vocab.idx_to_token == [UNK, "b", "a", "c", "d", " "]


def test_encode_decode_round_trip_and_unknowns() -> None:
    vocab = Vocab.from_codes(codepoints("hello world"))
    encoded = vocab.encode("hello")
    assert encoded.dtype == np.int32
    assert vocab.decode(encoded) == "hello"
    assert vocab.encode("hex")[-1] == 0  # outside the vocabulary -> <unk>
    assert vocab.unknown_chars("hexé wold") == ["x", "é"]


def test_rare_characters_far_into_a_long_text_are_found() -> None:
    text = "ab" * 700_000 + "z" + "ab" * 10 + "q"
    vocab = Vocab.from_codes(codepoints(text))
    assert vocab.idx_to_token == [UNK, "a", "b", "z", "q"]
