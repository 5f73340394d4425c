"""The window's language: the choice, the catalogues it installs, the engine's messages in it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from gru_studio.engine.errors import ConfigError, CorpusError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, phrase
from gru_studio.gui.common import i18n

REPO = Path(__file__).resolve().parents[3]
TS = REPO / "resources" / "i18n" / "gru_studio_zh_CN.ts"


@pytest.fixture
def translations(settings):
    chosen = i18n.Translations(settings)
    yield chosen
    chosen.apply(i18n.ENGLISH)  # leave the application as the other tests expect it


@pytest.mark.parametrize(
    ("choice", "system", "expected"),
    [
        ("system", "zh_CN", i18n.CHINESE),
        ("system", "zh_TW", i18n.CHINESE),
        ("system", "de_DE", i18n.ENGLISH),
        ("system", "en_US", i18n.ENGLISH),
        ("en", "zh_CN", i18n.ENGLISH),
        ("zh_CN", "en_US", i18n.CHINESE),
    ],
)
def test_a_choice_resolves_to_a_language(choice: str, system: str, expected: str) -> None:
    assert i18n.resolve(choice, QLocale(system)) == expected


def test_the_choice_is_remembered_and_a_stored_oddity_means_system(settings, translations) -> None:
    assert translations.choice == i18n.SYSTEM
    translations.apply(i18n.CHINESE)
    assert settings.value(i18n.SETTING) == i18n.CHINESE
    assert i18n.Translations(settings).choice == i18n.CHINESE
    settings.setValue(i18n.SETTING, "klingon")
    assert i18n.Translations(settings).choice == i18n.SYSTEM


def test_chinese_installs_the_catalogues_and_english_removes_them(qapp, translations) -> None:
    before = QLocale()
    assert translations.apply(i18n.CHINESE) == i18n.CHINESE
    # Qt's own words come with it: a message box's Cancel button.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QLocale().language() == QLocale.Language.Chinese
    translations.apply(i18n.ENGLISH)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert QLocale() == before  # English keeps the system's way of writing numbers


def test_engine_text_renders_an_engine_error_through_the_catalogue(qapp, monkeypatch) -> None:
    catalogue = {
        "{name} is empty.": "{name} 是空的。",
        "{field}: {problem}": "{field}：{problem}",
        "must be at least {low}": "不能小于 {low}",
    }
    monkeypatch.setattr(i18n, "translate_engine", lambda text: catalogue.get(text, text))
    error = CorpusError(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name="novel.txt")
    assert i18n.engine_text(error) == "novel.txt 是空的。"
    problem = phrase(QT_TRANSLATE_NOOP("engine", "must be at least {low}"), low=1)
    assert i18n.engine_text(ConfigError("batch_size", problem)) == "batch_size：不能小于 1"
    assert i18n.engine_text("as it is") == "as it is"


def test_every_string_of_the_code_is_in_the_catalogue_translated_and_compiled() -> None:
    """pyside6-lupdate over gui and engine finds nothing the .ts lacks, every message has its Chinese,
    and the shipped .qm is the .ts compiled (scripts/translations.py --check)."""
    if not Path(sys.executable).with_name("pyside6-lupdate").exists() and not shutil.which("pyside6-lupdate"):
        pytest.skip("pyside6-lupdate is not installed")
    spec = importlib.util.spec_from_file_location("translations_script", REPO / "scripts" / "translations.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.check("zh_CN") == []
