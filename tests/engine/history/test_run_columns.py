"""The runs table's columns: what each reads from a run, and which differ between runs."""

from __future__ import annotations

import dataclasses
import json

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.history.columns import COLUMNS, KEYS, differing, shown, sort_key
from gru_studio.engine.history.summary import RunSummary, figures_of, summarize


def run(run_id: int, *, lr: float = 1.0, ppl: float = 5.0, hidden: int = 256, gates: str = "full") -> RunSummary:
    settings = {
        "corpus": dataclasses.asdict(CorpusConfig(source="sample")),
        "model": dataclasses.asdict(ModelConfig(hidden=hidden, gates=gates)),
        "train": dataclasses.asdict(TrainConfig(lr=lr)),
    }
    row = (run_id, "", "finished", 1000.0 + run_id, 1060.0 + run_id, "sample", "/s", None, "cpu", "t", "v")
    row += (json.dumps(settings), 0, None, None, None)
    return summarize(row, figures_of([(1, ppl + 1, None, 1e4), (2, ppl, None, 1e4 + run_id)]))


def test_only_the_learning_rate_differs_between_two_runs_that_differ_only_in_it() -> None:
    runs = [run(1, lr=1.0, ppl=4.0), run(2, lr=0.5, ppl=6.0)]
    assert differing(runs) == {"lr"}
    results = [c.key for c in COLUMNS if not c.setting]
    assert shown(runs, only_differing=True) == ["run", "lr", *results[1:]]
    assert shown(runs, only_differing=False) == list(KEYS)


def test_every_setting_that_differs_is_found_and_one_run_has_none() -> None:
    assert differing([run(1, hidden=64), run(2, hidden=128, lr=2.0)]) == {"hidden", "lr"}
    assert differing([run(1)]) == set() and differing([]) == set()
    assert differing([run(1, lr=1), run(2, lr=1.0)]) == set()  # the same number, written two ways


def test_columns_read_the_runs_values() -> None:
    values = {c.key: c.value(run(3, lr=0.25, ppl=2.5, hidden=32)) for c in COLUMNS}
    assert values["lr"] == 0.25 and values["hidden"] == 32 and values["model"] == "scratch"
    assert values["best"] == 2.5 and values["final"] == 2.5 and values["tokens_per_s"] == 1e4 + 1.5
    assert values["duration"] == 60.0 and values["status"] == "finished" and values["run"] == 3


def test_missing_values_sort_last() -> None:
    assert sorted([3.0, None, 1, "b", "a"], key=sort_key) == [1, 3.0, "a", "b", None]


def test_a_gates_sweeps_runs_differ_in_the_gates_column() -> None:
    runs = [run(1), run(2, gates="reset-only"), run(3, gates="update-only")]
    assert differing(runs) == {"gates"}  # three rows that read alike without it
    assert "gates" in shown(runs, only_differing=True)
    assert [c.value(r) for r in runs for c in COLUMNS if c.key == "gates"] == ["full", "reset-only", "update-only"]
