"""Engine messages: templates the window can translate, filled in the same way in every language."""

from __future__ import annotations

from gru_studio.engine.errors import ConfigError, CorpusError, GruStudioError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase, render

CATALOGUE = {
    "{name} is empty.": "{name} 是空的。",
    "must be at least {low}": "不能小于 {low}",
    "{field}: {problem}": "{field}：{problem}",
    "The loss {how}.": "损失{how}。",
    "exploded": "爆炸了",
    "Lost a field: {gone}": "丢了一个字段：{missing}",
}


def chinese(text: str) -> str:
    return CATALOGUE.get(text, text)


def test_an_error_is_english_as_text_and_translated_on_request() -> None:
    error = CorpusError(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name="novel.txt")
    assert str(error) == "novel.txt is empty."
    assert error.render(chinese) == "novel.txt 是空的。"


def test_a_config_error_translates_its_problem_and_keeps_the_setting_name() -> None:
    error = ConfigError("batch_size", phrase(QT_TRANSLATE_NOOP("engine", "must be at least {low}"), low=1))
    assert str(error) == "batch_size: must be at least 1"
    assert error.render(chinese) == "batch_size：不能小于 1"
    assert error.field == "batch_size"


def test_phrases_inside_fields_are_translated_too() -> None:
    how = phrase(QT_TRANSLATE_NOOP("engine", "exploded"))
    error = GruStudioError(QT_TRANSLATE_NOOP("engine", "The loss {how}."), how=how)
    assert str(error) == "The loss exploded."
    assert error.render(chinese) == "损失爆炸了。"


def test_a_translation_that_misspells_a_field_falls_back_to_english() -> None:
    assert render("Lost a field: {gone}", {"gone": "x"}, chinese) == "Lost a field: x"


def test_a_plain_message_with_braces_is_shown_as_it_is() -> None:
    assert str(GruStudioError("a {literal} brace")) == "a {literal} brace"
