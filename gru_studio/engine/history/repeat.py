"""Training a recorded run again, as a RunRequest: what the window's Train again hands to the entry point."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gru_studio.engine.history.summary import RunSummary, settings_to_repeat
from gru_studio.engine.training.run_request import RunRequest, same_text


@dataclass(frozen=True)
class Repeat:
    """Training a recorded run again: the request, and the stored settings this version cannot use."""

    request: RunRequest
    refused: list[str]
    device: str | None  # the run's device; the caller keeps its own when this one is not here

    @property
    def needs_text(self) -> bool:
        """The run's text must be read first: another file, other characters, or none read yet."""
        return self.request.corpus is None


def repeat(run: RunSummary, base: RunRequest) -> Repeat:
    """A request that trains `run` again, on top of `base` (the panels' request now).

    The run's settings replace base's, but the threads (this machine's) and the device (kept as
    `device`, for the caller to take when this machine has it). Stored values this version no
    longer accepts keep base's value and are named in `refused`. The text is base's when the run's
    reads the same text; otherwise the request has none and must be given it (`needs_text`).
    """
    values, corpus_values, refused = settings_to_repeat(run)
    device = values.pop("device", None)
    values.pop("threads", None)
    request = base.with_values(values)
    corpus_config = dataclasses.replace(request.corpus_config, **corpus_values)
    corpus = request.corpus if same_text(corpus_config, base.corpus_config) else None
    request = dataclasses.replace(request, corpus_config=corpus_config, corpus=corpus, continues=False)
    return Repeat(request, refused, None if device is None else str(device))
