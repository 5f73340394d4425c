"""Errors a user can cause. Each carries a message fit to show as it is, in English or translated.

Raise them with a marked template and its fields, so that the window can show
the message in the user's language (see messages.py):

    raise CorpusError(QT_TRANSLATE_NOOP("engine", "{name} is empty."), name=path)

str() of the error is the English message, for the command line and logs.
"""

from __future__ import annotations

from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, Translate, english, render


class GruStudioError(Exception):
    """Base for every error whose message is meant for the user."""

    def __init__(self, template: str, /, **params: object) -> None:
        if isinstance(template, Phrase) and not params:
            # A message made earlier (a session's reason it cannot train, a run
            # store's notice) raised as it is: keep its template and fields, so
            # that it is still translated, rather than its English text.
            template, params = template.template, dict(template.params)
        self.template = template
        self.params = params
        super().__init__(render(template, params))

    def render(self, translate: Translate = english) -> str:
        """The message in the language `translate` gives (English by default)."""
        return render(self.template, self.params, translate)

    @property
    def phrase(self) -> Phrase:
        return Phrase(self.template, self.params)


def reason_of(exc: BaseException) -> Phrase | str:
    """What an error says, to put inside another message: its Phrase when it has one (a
    GruStudioError, a SchemaError), so that the window translates it; else its own text
    (an OS or torch message, which the engine has no words for)."""
    said = getattr(exc, "phrase", None)
    return said if isinstance(said, Phrase) else str(exc)


class ConfigError(GruStudioError):
    """A setting is out of range or of the wrong kind; `field` names it (as the engine spells it)."""

    def __init__(self, field: str, problem: str | Phrase, /) -> None:
        super().__init__(QT_TRANSLATE_NOOP("engine", "{field}: {problem}"), field=field, problem=problem)
        self.field = field
        self.problem = problem


class CorpusError(GruStudioError):
    """A text cannot be found, read, decoded or used for training."""


class EncodingError(CorpusError):
    """A file is not in the encoding asked for; `suggestion` is the likely one."""

    def __init__(self, template: str, suggestion: str, /, **params: object) -> None:
        super().__init__(template, **params)
        self.suggestion = suggestion


class DeviceError(GruStudioError):
    """The requested compute device is not available."""


class CheckpointError(GruStudioError):
    """A checkpoint cannot be written, read or used."""


class TargetError(GruStudioError):
    """A file GRU Studio was asked to write must not or cannot be written (engine/files.py: check_target).

    `ask` is True (a ReplaceError) where the user may have it written all the
    same: `--force` on the command line, a yes to a question in the window.
    """

    ask = False


class ReplaceError(TargetError):
    """A file that is written over only when the user says so (a checkpoint, or a file that is none)."""

    ask = True


class GenerationError(GruStudioError):
    """A prefix or a generation setting cannot be used."""
