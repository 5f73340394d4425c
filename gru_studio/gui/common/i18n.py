"""The window's language: English or Simplified Chinese, switched while it runs.

Qt's own workflow: every string of the window goes through tr() (or
QCoreApplication.translate), pyside6-lupdate collects them, with the engine's
marked messages, into resources/i18n/gru_studio_zh_CN.ts, and
scripts/translations.py compiles that to the .qm loaded here. Qt's base
catalogue (qtbase_zh_CN.qm: file dialogs, message-box buttons) is loaded beside
it, from the bundle's resources/i18n or from the Qt installation.

Switching installs or removes the translators; Qt then sends every widget a
LanguageChange event, and each widget sets its texts again (its retranslate()).
Nothing else changes: a run in progress and the plot go on.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QDateTime, QLibraryInfo, QLocale, QObject, QSettings, QTranslator
from PySide6.QtGui import QFontDatabase

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.messages import CONTEXT, Phrase
from gru_studio.resources import resource_path

SETTING = "language"
SYSTEM, ENGLISH, CHINESE = "system", "en", "zh_CN"
# Each choice and its name in its own language, as language menus show them.
CHOICES = ((ENGLISH, "English"), (CHINESE, "简体中文"))
CATALOGUE = "gru_studio_{}.qm"
QT_CATALOGUE = "qtbase_{}.qm"


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language a choice means here: "system" follows the system's locale (Chinese for any zh)."""
    if choice in (ENGLISH, CHINESE):
        return choice
    locale = system if system is not None else QLocale.system()
    return CHINESE if locale.language() == QLocale.Language.Chinese else ENGLISH


def translate_engine(template: str) -> str:
    return QCoreApplication.translate(CONTEXT, template)


def engine_text(what: GruStudioError | Phrase | str) -> str:
    """An engine error or phrase in the window's language (a plain string is shown as it is)."""
    if isinstance(what, (GruStudioError, Phrase)):
        return what.render(translate_engine)
    return what


def date_time_text(when: QDateTime) -> str:
    """A date and time as the window's locale writes them (QLocale's short form: 07/12/2026 17:23 in
    en_GB, 2026/12/7 17:23 in zh_CN). The C locale, which a session without LANG gets (a bare X
    server, a desktop launcher), writes "7 12 2026 17:23", which no one reads as a date: ISO 8601 there."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return when.toString("yyyy-MM-dd HH:mm")
    return locale.toString(when, QLocale.FormatType.ShortFormat)


def has_cjk_font() -> bool:
    """Whether Qt can draw Chinese here; without a font it draws boxes, silently."""
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


class Translations(QObject):
    """Installs the catalogues of the chosen language into the application and remembers the choice."""

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._installed: list[QTranslator] = []
        self.language = ENGLISH
        # The locale numbers and dates follow in English: the system's, as before any switch.
        self._english_locale = QLocale()

    @property
    def choice(self) -> str:
        value = self.settings.value(SETTING, SYSTEM)
        return value if value in (SYSTEM, ENGLISH, CHINESE) else SYSTEM

    def apply(self, choice: str | None = None) -> str:
        """Switch to `choice` (None: the remembered one) and return the language in use."""
        if choice is not None:
            self.settings.setValue(SETTING, choice)
        language = resolve(self.choice)
        app = QCoreApplication.instance()
        for translator in self._installed:
            app.removeTranslator(translator)
        self._installed = []
        if language != ENGLISH:
            for path in catalogue_paths(language):
                translator = QTranslator(self)
                if translator.load(str(path)):
                    app.installTranslator(translator)
                    self._installed.append(translator)
        QLocale.setDefault(self._english_locale if language == ENGLISH else QLocale(language))
        self.language = language
        return language


def catalogue_paths(language: str) -> list[str]:
    """The app's catalogue, then Qt's base one: from the bundle's resources, else from Qt's own folder."""
    own = resource_path(f"i18n/{CATALOGUE.format(language)}")
    bundled_qt = resource_path(f"i18n/{QT_CATALOGUE.format(language)}")
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = bundled_qt if bundled_qt.exists() else f"{qt_folder}/{QT_CATALOGUE.format(language)}"
    return [str(own), str(qt)]
