"""The perplexity plot's reference lines and the stuck-at-unigram note, and the generation panel's
plain word on greedy decoding (issue 15, the window's half)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from gru_studio.engine.analysis.reference_lines import unigram_perplexity
from gru_studio.engine.training.events import EpochEnd
from tests.gui.app.test_translation_panels import HAN
from tests.gui.catalogue import chinese_switch
from tests.gui.conftest import train_and_wait


def epoch(n: int, perplexity: float) -> EpochEnd:
    return EpochEnd(epoch=n, epochs=100, perplexity=perplexity, val_perplexity=None, tokens_per_s=1.0, elapsed_s=n)


def test_the_lines_sit_at_the_vocabulary_size_and_the_engines_unigram_figure(window) -> None:
    corpus = window.corpus_panel.corpus
    plot = window.plot
    uniform, unigram = len(corpus.vocab), unigram_perplexity(corpus.tokens, len(corpus.vocab))
    assert plot.references == {"uniform": pytest.approx(uniform), "unigram": pytest.approx(unigram)}
    lines = plot.reference_lines
    assert lines["uniform"].value() == pytest.approx(uniform)
    assert lines["unigram"].value() == pytest.approx(unigram)
    assert all(line.isVisible() for line in lines.values())
    assert f"{uniform}" in lines["uniform"].label.toPlainText()
    assert f"{unigram:.1f}" in lines["unigram"].label.toPlainText()

    plot.log_scale.setChecked(True)  # the view's y is log10(perplexity) then
    assert lines["uniform"].value() == pytest.approx(math.log10(uniform))
    assert lines["unigram"].value() == pytest.approx(math.log10(unigram))
    plot.set_smoothing(0.6)
    plot.x_axis.setCurrentIndex(plot.x_axis.findData("time"))
    assert lines["unigram"].value() == pytest.approx(math.log10(unigram))  # neither option moves a line
    plot.log_scale.setChecked(False)
    assert lines["unigram"].value() == pytest.approx(unigram)


def test_the_lines_follow_the_text_and_go_without_one(window) -> None:
    plot = window.plot
    plot.set_corpus(None)
    assert plot.references == {}
    assert not any(line.isVisible() for line in plot.reference_lines.values())
    corpus = window.corpus_panel.corpus
    plot.set_corpus(corpus)
    assert plot.references["uniform"] == len(corpus.vocab)


def test_a_run_on_the_unigram_line_gets_the_note_once_and_a_learning_run_none(qtbot, window) -> None:
    plot, emit = window.plot, window.controller.events.send
    unigram = plot.references["unigram"]
    plot.begin_run("stuck")
    for n in range(1, 10):
        emit(epoch(n, unigram * 1.03))  # within 5 % of the line, nine epochs in a row
    assert not plot.note_shown
    emit(epoch(10, unigram * 0.98))  # the tenth
    assert plot.note_shown
    assert "since epoch 1" in plot.note.text() and "So far" in plot.note.text()
    emit(epoch(11, unigram * 0.6))  # it learnt more than the letter frequencies: the note goes
    assert not plot.note_shown
    for n in range(12, 30):
        emit(epoch(n, unigram))  # and does not come back in this run
    assert not plot.note_shown

    plot.begin_run("learning")
    for n in range(1, 40):
        emit(epoch(n, 1 + 27 * 0.9**n))  # falls through the unigram line without staying on it
        assert not plot.note_shown


def note_seen(qtbot, window, lr: float) -> tuple[bool, list[float]]:
    """Train 20 tiny epochs at `lr`; whether the note was up after any epoch, and the perplexities."""
    shown: list[bool] = []
    seen: list[float] = []

    def look(event: EpochEnd) -> None:
        seen.append(event.perplexity)
        shown.append(window.plot.note_shown)

    window.controller.events.on(EpochEnd, look)  # after the window's own handler, which feeds the plot
    window.settings_panel.set_values({"epochs": 20, "lr": lr})
    train_and_wait(qtbot, window, timeout=60_000)
    window.controller.events.off(EpochEnd, look)
    return any(shown), seen


def test_a_real_run_with_a_tiny_learning_rate_sits_on_the_line_and_is_told(qtbot, window) -> None:
    # lr 0.1 on the tiny model: near the unigram line from epoch 9 on (measured: 17.26, 17.15, ... 16.34).
    told, seen = note_seen(qtbot, window, lr=0.1)
    assert told, seen
    assert window.plot.note.isVisible()  # where the user looks: above the plot, in view
    assert "since epoch" in window.plot.note.text()


def test_a_real_learning_run_is_not_told(qtbot, window) -> None:
    told, seen = note_seen(qtbot, window, lr=2.0)
    assert not told, seen
    assert seen[-1] < 0.95 * window.plot.references["unigram"]  # it did learn more than the frequencies


def test_the_greedy_hint_says_what_the_choice_means(window) -> None:
    panel = window.generation
    panel.greedy.setChecked(True)
    greedy = panel.decoding_hint.text()
    assert "same" in greedy and panel.decoding_hint.isVisible()
    panel.greedy.setChecked(False)
    sampled = panel.decoding_hint.text()
    assert sampled != greedy and "temperature" in sampled and "seed" in sampled
    panel.greedy.click()
    assert panel.decoding_hint.text() == greedy


def test_the_new_views_switch_to_chinese_and_back(qtbot, window) -> None:
    """With the shipped Chinese installed, each new view says it at once; removed, English again."""

    def shown() -> list[str]:
        return [
            window.plot.reference_lines["uniform"].label.toPlainText(),
            window.gradients.title.text(),
            window.gradients.readout.text(),
            window.sweep.buttons["new"].text(),
            window.sweep.table.horizontalHeaderItem(2).text(),
            window.sweep.action.text(),
            window.generation.decoding_hint.text(),
        ]

    english = shown()
    with chinese_switch() as switch:
        switch(True)
        qtbot.waitUntil(lambda: all(HAN.search(text) for text in shown()), timeout=5000)  # LanguageChange is posted
        chinese = shown()
        assert "28" in chinese[0] and "贪心" in chinese[-1]
    qtbot.waitUntil(lambda: shown() == english, timeout=5000)


def test_validation_climbing_while_training_falls_is_called_overfitting_once(qtbot, window) -> None:
    plot, emit = window.plot, window.controller.events.send
    plot.begin_run("memorising")
    for n, (train, val) in enumerate([(9, 8), (5, 7), (3, 7.5), (2, 9), (1.5, 11), (1.2, 14)], 1):
        emit(dataclasses.replace(epoch(n, train), val_perplexity=val))
    assert not plot.note_shown  # two epochs above 1.5x the best (7 at epoch 2): could be noise
    emit(dataclasses.replace(epoch(7, 1.1), val_perplexity=20.0))  # the third
    assert plot.note_shown and "overfitting" in plot.note.text() and "epoch 2" in plot.note.text()
    emit(dataclasses.replace(epoch(8, 1.05), val_perplexity=6.0))  # said once: it stays for the run
    assert plot.note_shown
    plot.begin_run("next")
    assert not plot.note_shown
    for n in range(1, 30):
        emit(epoch(n, 10 / n + 1))  # without validation figures, never
    assert not plot.note_shown
