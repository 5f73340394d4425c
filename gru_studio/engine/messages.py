"""What the engine says to the user, written so that the window can say it in another language.

The engine never imports Qt, yet its messages (bad settings, corpus errors,
divergence, out of memory) must reach a Chinese window in Chinese, from the
one catalogue the window's own words are in (resources/i18n/*.ts). So each
message is a template with named fields, marked with QT_TRANSLATE_NOOP: a
no-op here, but the name pyside6-lupdate looks for, so the templates land in
the catalogue under the context "engine". The window translates the template
and then fills it in (gui/engine_text.py); the command line and logs fill in
the English template (str() of an error).

A field's value may itself be a Phrase (a template and its own fields), for
words chosen at run time ("exploded" or "became not a number"); it is
translated the same way. Numbers, file names and setting names are not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

CONTEXT = "engine"  # the catalogue's context for every engine message

Translate = Callable[[str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate extracts
    """Marks `text` for the catalogue and returns it unchanged; `context` must be CONTEXT."""
    return text


def english(text: str) -> str:
    return text


class Phrase(str):
    """A marked template and the values of its fields, rendered in whichever language is asked for.

    It is also the English text itself (a str subclass): notes, notices and
    reasons the engine hands out as Phrases still print, join, compare and
    fill a Qt label as plain English wherever a caller treats them as text
    (the command line, logs, a window not yet translating them), while the
    window's engine_text() sees the template and translates it.
    """

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, params: Mapping[str, object] | None = None) -> Phrase:
        values = dict(params or {})
        self = super().__new__(cls, render(template, values))
        # Set through object.__setattr__: a Phrase is a value and must not change once made.
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", values)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Phrase cannot be changed ({name})")

    def __reduce__(self) -> tuple[type[Phrase], tuple[str, dict[str, object]]]:
        # Copies and pickles keep the template and fields, not only the English text.
        return (Phrase, (self.template, dict(self.params)))

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, {dict(self.params)!r})"

    def render(self, translate: Translate = english) -> str:
        return render(self.template, self.params, translate)


def phrase(template: str, **params: object) -> Phrase:
    """A Phrase of `template` (marked with QT_TRANSLATE_NOOP) and its fields, given by name."""
    return Phrase(template, params)


def render(template: str, params: Mapping[str, object], translate: Translate = english) -> str:
    """`template`, translated, with its fields filled in (Phrases among them translated too).

    A translation that lost or misspelt a field falls back to the English
    template rather than failing: a message is never lost to a catalogue slip.
    """
    values = {name: value.render(translate) if isinstance(value, Phrase) else value for name, value in params.items()}
    text = translate(template)
    if not params:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


def count(n: int, noun: str) -> str:
    """'1 epoch', '5 epochs' for the command line's English, so that no message says '1 epochs'.

    The window counts through Qt's plural forms (tr() with n) instead, which Chinese needs.
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
