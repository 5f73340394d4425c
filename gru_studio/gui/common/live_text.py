"""Texts shown now that must be shown again, in the new language, when the language changes.

A widget that shows a message keeps what the message was made from, not its
English rendering: on LanguageChange it renders it again. An engine error or
phrase is rendered from its template (i18n.engine_text); a callable is called
again, so it can hold a tr() of the widget's own and the values to fill in;
a plain string is shown as it is (a file's name, the user's own text, or a
caller's message that is not translatable yet).
"""

from __future__ import annotations

from collections.abc import Callable

from gru_studio.engine.errors import GruStudioError
from gru_studio.engine.messages import Phrase
from gru_studio.gui.common.i18n import engine_text

LiveText = str | Phrase | GruStudioError | Callable[[], str]


def render(text: LiveText) -> str:
    """`text` in the window's present language."""
    if isinstance(text, (str, Phrase, GruStudioError)):
        return engine_text(text)
    return text()
