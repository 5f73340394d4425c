"""Errors a user can cause. Each carries a message fit to show as it is."""


class GruStudioError(Exception):
    """Base for every error whose message is meant for the user."""


class ConfigError(GruStudioError):
    """A setting is out of range or of the wrong kind."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class CorpusError(GruStudioError):
    """A text cannot be found, read, decoded or used for training."""


class EncodingError(CorpusError):
    """A file is not in the encoding asked for; `suggestion` is the likely one."""

    def __init__(self, message: str, suggestion: str) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class DeviceError(GruStudioError):
    """The requested compute device is not available."""


class CheckpointError(GruStudioError):
    """A checkpoint cannot be written, read or used."""


class GenerationError(GruStudioError):
    """A prefix or a generation setting cannot be used."""
