"""The columns of the runs table, and which of them differ between runs.

Each column reads one plain value from a RunSummary: what the table sorts by
and what "only differing columns" compares. Settings columns can be hidden when
every listed run has the same value; the results (perplexities, speed, time,
status, date) always differ and always show. Wording and number formats are
the window's; this module holds no text a user reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gru_studio.engine.history.summary import RunSummary


def _setting(group: str, name: str) -> Callable[[RunSummary], Any]:
    return lambda run: run.settings.get(group, {}).get(name)


@dataclass(frozen=True)
class Column:
    key: str
    value: Callable[[RunSummary], Any]  # None where a run has no value (an older or damaged record)
    setting: bool = False  # a setting the run was started with, rather than a result


COLUMNS: tuple[Column, ...] = (
    Column("run", lambda run: run.id),
    Column("model", _setting("model", "kind"), setting=True),
    Column("gates", _setting("model", "gates"), setting=True),  # a gates sweep's runs differ only here
    Column("corpus", lambda run: run.corpus_name, setting=True),
    Column("hidden", _setting("model", "hidden"), setting=True),
    Column("layers", _setting("model", "layers"), setting=True),
    Column("lr", _setting("train", "lr"), setting=True),
    Column("num_steps", _setting("train", "num_steps"), setting=True),
    Column("batch_size", _setting("train", "batch_size"), setting=True),
    Column("clip", _setting("train", "clip"), setting=True),
    Column("partition", _setting("corpus", "partition"), setting=True),
    Column("optimizer", _setting("train", "optimizer"), setting=True),
    Column("seed", _setting("train", "seed"), setting=True),
    Column("device", lambda run: run.device, setting=True),
    Column("epochs", lambda run: run.target_epochs, setting=True),
    Column("best", lambda run: run.best_perplexity),
    Column("final", lambda run: run.perplexity),
    Column("tokens_per_s", lambda run: run.tokens_per_s),
    Column("duration", lambda run: run.duration_s),
    Column("status", lambda run: run.status),
    Column("date", lambda run: run.started),
)
KEYS = tuple(column.key for column in COLUMNS)


def differing(runs: Sequence[RunSummary], columns: Sequence[Column] = COLUMNS) -> set[str]:
    """The keys of the settings columns whose value is not the same in every run (none for one run)."""
    found = set()
    for column in columns:
        if column.setting and len({_comparable(column.value(run)) for run in runs}) > 1:
            found.add(column.key)
    return found


def shown(runs: Sequence[RunSummary], only_differing: bool, columns: Sequence[Column] = COLUMNS) -> list[str]:
    """The keys of the columns to show: all, or the results and the settings that differ."""
    if not only_differing:
        return [column.key for column in columns]
    differ = differing(runs, columns)
    return [column.key for column in columns if not column.setting or column.key in differ]


def sort_key(value: Any) -> tuple[int, Any]:
    """Orders a column's values: missing ones last, numbers by size, anything else by its text."""
    if value is None:
        return (2, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value)
    return (1, str(value))


def _comparable(value: Any) -> Any:
    # 1 and 1.0 are the same learning rate; a list (from JSON) cannot go in a set.
    return repr(value) if isinstance(value, (list, dict)) else value
