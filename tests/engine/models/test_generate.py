import pytest
import torch

from gru_studio.engine.config import CorpusConfig, ModelConfig
from gru_studio.engine.errors import GenerationError
from gru_studio.engine.models import build_model
from gru_studio.engine.models.generate import complete, generate, prepare_prefix, usable_prefix
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.text.vocab import Vocab, codepoints


@pytest.fixture(scope="module")
def model_and_vocab():
    torch.manual_seed(0)
    corpus = load_corpus(CorpusConfig(source="sample"))
    model = build_model(ModelConfig(hidden=16), len(corpus.vocab))
    with torch.no_grad():  # random but confident weights, so that choices differ
        for p in model.parameters():
            p.normal_(0, 1)
    return model, corpus.vocab


def test_greedy_is_repeatable_and_yields_one_character_at_a_time(model_and_vocab) -> None:
    model, vocab = model_and_vocab
    stream = generate(model, vocab, "time traveller", 20)
    first = next(stream)
    assert len(first) == 1
    assert not torch.is_inference_mode_enabled()  # nothing leaks into the caller
    rest = "".join(stream)
    assert len(first + rest) == 20
    assert first + rest == "".join(generate(model, vocab, "time traveller", 20))


def test_sampling_follows_seed_and_top_1_is_greedy(model_and_vocab) -> None:
    model, vocab = model_and_vocab
    greedy = "".join(generate(model, vocab, "the", 30))
    a = "".join(generate(model, vocab, "the", 30, temperature=1.5, seed=1))
    b = "".join(generate(model, vocab, "the", 30, temperature=1.5, seed=1))
    c = "".join(generate(model, vocab, "the", 30, temperature=1.5, seed=2))
    assert a == b and a != c
    assert "".join(generate(model, vocab, "the", 30, temperature=1.0, top_k=1, seed=5)) == greedy
    assert "<unk>" not in a + c


def test_letters_mode_prefix_is_read_like_the_training_text(model_and_vocab) -> None:
    _, vocab = model_and_vocab
    assert prepare_prefix("The Time-Traveller!", vocab, "letters") == "the time traveller "


def test_unknown_characters_are_reported_not_mapped(model_and_vocab) -> None:
    model, vocab = model_and_vocab
    with pytest.raises(GenerationError, match="'é'") as info:
        next(generate(model, vocab, "café", 5))
    assert "never saw" in str(info.value)
    with pytest.raises(GenerationError, match="'Z'"):
        prepare_prefix("Z", vocab, "raw")  # raw mode keeps case, and the vocabulary is lowercase
    with pytest.raises(GenerationError, match="empty"):
        prepare_prefix("  ", vocab, "letters")


def test_complete_returns_prefix_and_continuation(model_and_vocab) -> None:
    model, vocab = model_and_vocab
    text = complete(model, vocab, "Time", 5)
    assert text.startswith("time") and len(text) == 9
    assert model.training  # generation restores the training mode


def test_default_prefix_falls_back_to_the_text_but_a_chosen_one_does_not(model_and_vocab) -> None:
    _, vocab = model_and_vocab
    assert usable_prefix("time traveller", "whatever", vocab, "letters") == "time traveller"
    with pytest.raises(GenerationError):
        usable_prefix("ζ", "the clock", vocab, "letters")
    small = Vocab.from_codes(codepoints("abc "))
    assert usable_prefix("time traveller", "abc cab bca", small, "letters") == "abc cab bc"
