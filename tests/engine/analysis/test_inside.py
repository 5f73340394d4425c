"""engine/analysis/inside.py: the gates and states traced over a text, against the models' own forward passes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from gru_studio.engine.analysis.inside import (
    SIGNAL_RANGE,
    SIGNALS,
    Trace,
    num_layers,
    pattern_indicator,
    rank_units,
    saturation,
    trace,
    variance_order,
)
from gru_studio.engine.config import CorpusConfig, ModelConfig
from gru_studio.engine.errors import GenerationError, GruStudioError
from gru_studio.engine.models import ScratchGRU, build_model
from gru_studio.engine.models.generate import prepare_prefix
from gru_studio.engine.text.corpus import Corpus, load_corpus

KINDS = ["scratch", "scratch-book", "builtin"]
PROBE = "the time traveller held up a little shining metal thing"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CorpusConfig(source="sample", max_tokens=2000))


def make_model(kind: str, vocab_size: int, *, hidden: int = 12, layers: int = 1, seed: int = 0) -> nn.Module:
    """A small model with weights large enough that gates and states spread over their ranges.

    The book's N(0, 0.01²) initialisation leaves every gate near 0.5 and every
    state near 0, which would let a wrong equation pass the comparisons.
    """
    torch.manual_seed(seed)
    model = build_model(ModelConfig(kind=kind, hidden=hidden, layers=layers), vocab_size)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0.0, 1.0)
    return model.eval()


def own_states(model: nn.Module, indices: list[int], layer: int) -> torch.Tensor:
    """H of `layer` after each character, from the model's own forward, one character at a time."""
    state = model.begin_state(1)
    states = []
    with torch.no_grad():
        for index in indices:
            _, state = model(torch.tensor([[index]]), state)
            states.append(state[layer, 0] if state.dim() == 3 else state[0])
    return torch.stack(states)  # (steps, hidden)


@pytest.mark.parametrize("kind", KINDS)
def test_signals_have_their_shapes_and_ranges(corpus: Corpus, kind: str) -> None:
    model = make_model(kind, len(corpus.vocab))
    result = trace(model, corpus.vocab, PROBE, mode=corpus.mode)
    steps, hidden = len(PROBE), 12
    assert result.text == PROBE and result.chars == list(PROBE)
    assert result.h0.shape == (hidden,) and result.probs.shape == (steps, len(corpus.vocab))
    for name in SIGNALS:
        values = result.signal(name)
        low, high = SIGNAL_RANGE[name]
        assert values.shape == (steps, hidden) and values.dtype == np.float32
        assert values.min() >= low and values.max() <= high
        assert values.std() > 0.05  # the planted spread is there, not a degenerate trace
    # Both gates reach well into their saturated ends with these weights.
    assert result.z.min() < 0.1 and result.z.max() > 0.9


@pytest.mark.parametrize(("kind", "layers", "layer"), [(k, 1, 0) for k in KINDS] + [("builtin", 3, 1)])
def test_h_is_the_update_gates_blend_of_the_previous_state_and_the_candidate(
    corpus: Corpus, kind: str, layers: int, layer: int
) -> None:
    model = make_model(kind, len(corpus.vocab), layers=layers)
    result = trace(model, corpus.vocab, PROBE, mode=corpus.mode, layer=layer)
    previous = np.vstack([result.h0[None], result.h[:-1]])  # (steps, hidden): H_prev of each step
    blended = result.z * previous + (1 - result.z) * result.h_tilde  # H = Z ⊙ H_prev + (1 - Z) ⊙ H̃
    np.testing.assert_allclose(result.h, blended, atol=1e-5, rtol=0)


@pytest.mark.parametrize(("kind", "layers"), [(k, 1) for k in KINDS] + [("builtin", 3)])
def test_traced_h_is_the_models_own_state_at_every_step(corpus: Corpus, kind: str, layers: int) -> None:
    model = make_model(kind, len(corpus.vocab), layers=layers)
    indices = [int(i) for i in corpus.vocab.encode(PROBE)]
    for layer in range(layers):
        result = trace(model, corpus.vocab, PROBE, mode=corpus.mode, layer=layer)
        np.testing.assert_allclose(result.h, own_states(model, indices, layer).numpy(), atol=1e-5, rtol=0)


def test_the_nn_gru_recomputation_matches_nn_grus_output(corpus: Corpus) -> None:
    """The gates in r, z, n order with the reset gate after the product give nn.GRU's own numbers."""
    layers = 3
    model = make_model("builtin", len(corpus.vocab), hidden=16, layers=layers)
    X = nn.functional.one_hot(torch.as_tensor(corpus.vocab.encode(PROBE), dtype=torch.long), len(corpus.vocab))
    with torch.no_grad():
        output, final = model.rnn(X[:, None].float(), model.begin_state(1))  # (steps, 1, hidden), (layers, 1, hidden)
    traces = [trace(model, corpus.vocab, PROBE, mode=corpus.mode, layer=k) for k in range(layers)]
    np.testing.assert_allclose(traces[-1].h, output[:, 0].numpy(), atol=1e-5, rtol=0)
    for k in range(layers):
        np.testing.assert_allclose(traces[k].h[-1], final[k, 0].numpy(), atol=1e-5, rtol=0)
    # The layers differ: each one is its own, not the top one's gates under another name.
    assert np.abs(traces[0].z - traces[2].z).max() > 0.1


def test_the_book_placement_of_the_reset_gate_is_not_nn_grus(corpus: Corpus) -> None:
    """A ScratchGRU with reset_after is traced with its own equation, and that equation matters."""
    torch.manual_seed(1)
    after = ScratchGRU(len(corpus.vocab), 12, reset_after=True)
    with torch.no_grad():
        for parameter in after.parameters():
            parameter.normal_(0.0, 1.0)
    book = ScratchGRU(len(corpus.vocab), 12)
    book.load_state_dict({k: v for k, v in after.state_dict().items() if k != "b_hn"})
    indices = [int(i) for i in corpus.vocab.encode(PROBE)]
    traced = trace(after, corpus.vocab, PROBE, mode=corpus.mode)
    np.testing.assert_allclose(traced.h, own_states(after, indices, 0).numpy(), atol=1e-5, rtol=0)
    assert np.abs(traced.h - trace(book, corpus.vocab, PROBE, mode=corpus.mode).h).max() > 1e-2


@pytest.mark.parametrize(("kind", "layers"), [(k, 1) for k in KINDS] + [("builtin", 2)])
def test_top5_are_the_softmax_of_that_steps_logits_without_unk(corpus: Corpus, kind: str, layers: int) -> None:
    model = make_model(kind, len(corpus.vocab), layers=layers)
    inputs = torch.as_tensor(corpus.vocab.encode(PROBE), dtype=torch.long)[None]
    with torch.no_grad():
        logits, _ = model(inputs, model.begin_state(1))  # (steps, vocab): batch of one
    expected = torch.softmax(logits[:, 1:], dim=-1).numpy()  # generate never emits <unk> (index 0)
    result = trace(model, corpus.vocab, PROBE, mode=corpus.mode, layer=layers - 1)
    np.testing.assert_allclose(result.probs[:, 1:], expected, atol=1e-5, rtol=0)
    assert (result.probs[:, 0] == 0).all()
    for step in range(len(PROBE)):
        top = result.top(step)
        best = np.argsort(-expected[step], kind="stable")[:5] + 1
        assert [c for c, _ in top] == [corpus.vocab.idx_to_token[i] for i in best]
        np.testing.assert_allclose([p for _, p in top], expected[step, best - 1], atol=1e-5)


def test_top_never_offers_unk_even_when_asked_for_every_character(corpus: Corpus) -> None:
    result = trace(make_model("scratch", len(corpus.vocab)), corpus.vocab, "the", mode=corpus.mode)
    everything = result.top(0, k=len(corpus.vocab))
    assert len(everything) == len(corpus.vocab) - 1 and "<unk>" not in dict(everything)
    assert sum(p for _, p in everything) == pytest.approx(1.0, abs=1e-5)
    assert [p for _, p in everything] == sorted((p for _, p in everything), reverse=True)


@pytest.mark.parametrize("kind", KINDS)
def test_trace_never_changes_the_model(corpus: Corpus, kind: str) -> None:
    model = make_model(kind, len(corpus.vocab), layers=2 if kind == "builtin" else 1).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    grads = [p.requires_grad for p in model.parameters()]
    for _ in range(2):  # a second trace sees the same weights and gives the same numbers
        result = trace(model, corpus.vocab, PROBE, mode=corpus.mode)
    first = trace(model, corpus.vocab, PROBE, mode=corpus.mode)
    np.testing.assert_array_equal(first.h, result.h)
    assert model.training and grads == [p.requires_grad for p in model.parameters()]
    for name, value in model.state_dict().items():
        torch.testing.assert_close(value, before[name], atol=0, rtol=0)


def test_trace_leaves_torchs_thread_count_as_it_was(corpus: Corpus) -> None:
    """It traces on one thread (a busy 2-core machine made two threads 5-10 times slower) and restores the count."""
    model = make_model("scratch", len(corpus.vocab))
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        trace(model, corpus.vocab, PROBE, mode=corpus.mode)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_the_text_is_read_as_generation_reads_a_prefix(corpus: Corpus) -> None:
    model = make_model("scratch", len(corpus.vocab))
    result = trace(model, corpus.vocab, "The Time-Traveller!", mode=corpus.mode)
    assert result.text == "the time traveller " == "".join(result.chars)
    assert result.steps == len(result.text)


@pytest.mark.parametrize("text", ["", "   ", "123 !!", "the ζeta", "ζ"])
def test_empty_text_and_unknown_characters_are_reported_as_generation_reports_them(corpus: Corpus, text: str) -> None:
    model = make_model("scratch", len(corpus.vocab))
    with pytest.raises(GenerationError) as expected:
        prepare_prefix(text, corpus.vocab, corpus.mode)
    with pytest.raises(GenerationError) as got:
        trace(model, corpus.vocab, text, mode=corpus.mode)
    assert str(got.value) == str(expected.value)


def test_a_text_over_the_limit_is_refused(corpus: Corpus) -> None:
    model = make_model("scratch", len(corpus.vocab))
    with pytest.raises(GenerationError, match="at most 10 can be traced"):
        trace(model, corpus.vocab, "the time traveller", mode=corpus.mode, max_chars=10)
    assert trace(model, corpus.vocab, "the time t", mode=corpus.mode, max_chars=10).steps == 10


@pytest.mark.parametrize(("kind", "layers", "bad", "words"), [
    ("scratch", 1, 1, "has layer 0"),
    ("builtin", 3, 3, "has layers 0 to 2"),
    ("builtin", 2, -1, "has layers 0 to 1"),
])  # fmt: skip
def test_a_layer_the_model_lacks_is_a_user_error_naming_the_layers(
    corpus: Corpus, kind: str, layers: int, bad: int, words: str
) -> None:
    model = make_model(kind, len(corpus.vocab), layers=layers)
    assert num_layers(model) == layers
    with pytest.raises(GruStudioError, match=words):
        trace(model, corpus.vocab, PROBE, mode=corpus.mode, layer=bad)


def test_unknown_signal_names_the_signals(corpus: Corpus) -> None:
    result = trace(make_model("scratch", len(corpus.vocab)), corpus.vocab, "the", mode=corpus.mode)
    with pytest.raises(GruStudioError, match="z, r, h_tilde, h"):
        result.signal("htilde")


def test_to_json_has_the_command_lines_keys(corpus: Corpus) -> None:
    result = trace(make_model("builtin", len(corpus.vocab), layers=2), corpus.vocab, "the cat", mode=corpus.mode)
    data = result.to_json()
    assert {"text", "chars", "z", "r", "h_tilde", "h", "h0", "top5"} <= set(data)
    assert data["text"] == "the cat" and data["chars"] == list("the cat") and data["layer"] == 0
    for name in SIGNALS:
        assert len(data[name]) == 7 and all(len(row) == 12 for row in data[name])
        np.testing.assert_allclose(data[name], result.signal(name), atol=1e-6)
    assert data["h0"] == [0.0] * 12
    assert data["top5"][3] == [[c, pytest.approx(p, abs=1e-6)] for c, p in result.top(3)]


def test_a_planted_unit_equal_to_the_patterns_indicator_ranks_first(corpus: Corpus) -> None:
    text = "the time traveller said the thing that the others thought"
    result = trace(make_model("scratch", len(corpus.vocab), hidden=16), corpus.vocab, text, mode=corpus.mode)
    indicator = pattern_indicator(result.text, "the")
    values = result.h.copy()  # (steps, hidden)
    values[:, 11] = np.where(indicator > 0, 0.7, -0.2)  # a unit that is on exactly inside "the"
    ranked = rank_units(values, indicator, top=5)
    assert len(ranked) == 5
    assert ranked[0][0] == 11 and ranked[0][1] > 0.99
    correlations = [c for _, c in ranked]
    assert correlations == sorted(correlations, reverse=True)
    # Turned upside down it correlates -1 and ranks last.
    values[:, 11] *= -1
    assert rank_units(values, indicator, top=16)[-1] == (11, pytest.approx(-1.0))


def test_constant_units_and_indicators_correlate_zero_not_nan() -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(40, 4)).astype(np.float32)
    values[:, 2] = 0.3  # a saturated unit: the same value at every step
    indicator = (np.arange(40) % 3 == 0).astype(float)
    ranked = dict(rank_units(values, indicator, top=4))
    assert ranked[2] == 0.0
    assert all(np.isfinite(c) for c in ranked.values())
    assert all(c == 0.0 for _, c in rank_units(values, np.ones(40)))
    assert all(c == 0.0 for _, c in rank_units(values, np.zeros(40)))


def test_pattern_indicator_marks_every_character_of_each_match() -> None:
    np.testing.assert_array_equal(pattern_indicator("the cat the", "the"), [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(pattern_indicator("abcab", "[ab]"), [1, 1, 0, 1, 1])
    assert not pattern_indicator("abc", "x*").any()  # matches of no characters mark nothing
    assert not pattern_indicator("abc", "z").any()


@pytest.mark.parametrize(
    ("pattern", "words"), [("", "empty"), ("(the", "not a valid regular expression"), ("*", "not a valid")]
)
def test_a_bad_pattern_is_one_line(pattern: str, words: str) -> None:
    with pytest.raises(GruStudioError) as info:
        pattern_indicator("the cat", pattern)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_saturation_counts_the_steps_near_each_end_per_unit() -> None:
    values = np.array([[0.05, 0.5, 0.95], [0.02, 0.5, 0.5], [0.5, 0.95, 0.97], [0.5, 0.5, 0.99]])  # (steps, hidden)
    low, high = saturation(values)
    np.testing.assert_allclose(low, [0.5, 0.0, 0.0])
    np.testing.assert_allclose(high, [0.0, 0.25, 0.75])
    low, high = saturation(values, low=0.6, high=0.96)
    np.testing.assert_allclose(low, [1.0, 0.75, 0.25])
    np.testing.assert_allclose(high, [0.0, 0.0, 0.5])


def test_variance_order_puts_the_busiest_unit_first_and_keeps_ties_in_index_order() -> None:
    values = np.array([[0.0, 1.0, 0.0, 5.0], [0.0, -1.0, 0.0, -5.0], [0.0, 1.0, 0.0, 5.0]])
    assert variance_order(values).tolist() == [3, 1, 0, 2]


def test_trace_is_a_frozen_record(corpus: Corpus) -> None:
    result = trace(make_model("scratch", len(corpus.vocab)), corpus.vocab, "the", mode=corpus.mode)
    assert isinstance(result, Trace) and result.layer == 0 and result.tokens == corpus.vocab.idx_to_token
    with pytest.raises(AttributeError):
        result.layer = 1  # type: ignore[misc]
