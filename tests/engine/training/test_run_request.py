"""One way into a run (issue 23): a RunRequest handed to `prepare`, for a new run, a continued one,
each run of a sweep and Train again on a recorded run, all without a window."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import ConfigError, GruStudioError
from gru_studio.engine.experiments.sweep import SweepResult, axes_from, plan
from gru_studio.engine.history.recorder import RunRecorder
from gru_studio.engine.history.repeat import repeat
from gru_studio.engine.history.store import RunStore
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training.events import Finished
from gru_studio.engine.training.run_request import RunRequest, prepare, same_text
from gru_studio.engine.training.run_state import RunState


@pytest.fixture
def request_(tiny_settings) -> RunRequest:
    corpus_config, model_config, train_config = tiny_settings
    return RunRequest(corpus_config, model_config, train_config, corpus=load_corpus(corpus_config))


def finish(session) -> Finished:
    events = list(session.train())
    assert isinstance(events[-1], Finished)
    return events[-1]


def test_values_are_read_and_changed_by_setting_name_and_a_new_text_drops_the_old(request_: RunRequest) -> None:
    values = request_.values()
    assert values["hidden"] == 16 and values["epochs"] == 3 and values["partition"] == "sequential"
    changed = request_.with_values({"lr": 0.5, "hidden": 8, "partition": "random", "not a setting": 1})
    assert changed.train_config.lr == 0.5 and changed.model_config.hidden == 8
    assert changed.corpus_config.partition == "random" and changed.corpus is request_.corpus  # same text
    assert request_.train_config.lr == 1.0  # a value: the original stays as it was
    other_text = request_.with_values({"max_tokens": 1000})
    assert other_text.corpus is None and not same_text(other_text.corpus_config, request_.corpus_config)


def test_a_new_run_is_checked_before_anything_is_built(request_: RunRequest) -> None:
    assert request_.problem() is None
    bad = request_.with_values({"kind": "builtin", "gates": "reset-only"})
    with pytest.raises(ConfigError, match="gates"):
        prepare(bad)
    assert isinstance(bad.problem(), GruStudioError)
    with pytest.raises(ValueError, match="no text"):
        request_.with_text(None).check()


def test_prepare_starts_a_new_run_and_continues_the_same_model(request_: RunRequest) -> None:
    session = prepare(request_)
    assert session.state is RunState.IDLE and session.corpus is request_.corpus
    assert finish(session).epoch == 3
    more = dataclasses.replace(request_.with_values({"epochs": 5, "threads": 1, "lr": 0.01}), continues=True)
    assert prepare(more, session) is session
    assert finish(session).epoch == 5
    # Only the epochs and the carried settings (this machine's threads) change; the model keeps its lr.
    assert session.train_config.threads == 1 and session.train_config.lr == 1.0
    with pytest.raises(RuntimeError, match="no model to continue"):
        prepare(more)


def test_the_command_line_reads_the_text_itself(tiny_settings) -> None:
    session = prepare(RunRequest(*tiny_settings))  # no corpus: prepare reads it, as `gru-studio train` does
    assert session.corpus.name and len(session.corpus.tokens) == 2000


def test_a_sweep_trains_each_planned_run_through_the_entry_point(request_: RunRequest) -> None:
    runs = plan(axes_from({"lr": "1, 0.5", "hidden": "8"}), *request_.configs())
    results = []
    for run in runs:
        session = prepare(run.request(request_.corpus))
        finished = finish(session)
        results.append(SweepResult.of(run, session.history, finished, session.sample(), None))
        assert session.train_config.lr == run.train_config.lr and session.model_config.hidden == 8
    assert [r.run.values for r in results] == [{"lr": 1.0}, {"lr": 0.5}]
    assert all(r.status == "finished" and r.epochs == 3 for r in results)
    assert results[0].perplexity != results[1].perplexity  # two runs, not one twice


def test_train_again_repeats_a_recorded_run_on_top_of_the_present_request(request_: RunRequest) -> None:
    recorded = request_.with_values({"lr": 0.5, "hidden": 8, "seed": 3})
    session = prepare(recorded)
    recorder = RunRecorder()
    first = [event for event in recorder.watch(session, session.train()) if isinstance(event, Finished)][-1]
    with RunStore() as store:
        run = store.get(recorder.run_id)
    assert run is not None

    base = request_.with_values({"lr": 2.0, "threads": 1})  # the panels show other settings now
    again = repeat(run, base)
    assert again.refused == [] and not again.needs_text and again.device == "auto"  # as the run asked
    assert again.request.train_config.lr == 0.5 and again.request.model_config.hidden == 8
    assert again.request.train_config.threads == 1  # this machine's, not the run's
    repeated = prepare(again.request)
    assert finish(repeated).perplexity == pytest.approx(first.perplexity)  # the same seed, the same run

    # A run on another text asks for it to be read first.
    on_other_text = repeat(
        run,
        base.with_values({"max_tokens": 1500}).with_text(load_corpus(CorpusConfig(source="sample", max_tokens=1500))),
    )
    assert on_other_text.needs_text and on_other_text.request.corpus_config.max_tokens == 2000


def test_a_stored_value_this_version_refuses_keeps_the_present_one(request_: RunRequest, tmp_path: Path) -> None:
    session = prepare(request_)
    recorder = RunRecorder()
    list(recorder.watch(session, session.train()))
    with RunStore() as store:
        run = store.get(recorder.run_id)
    assert run is not None
    settings = {**run.settings, "train": {**run.settings["train"], "lr": -3.0, "epochs": 4}}
    again = repeat(dataclasses.replace(run, settings=settings), request_.with_values({"lr": 0.25}))
    assert again.refused == ["lr"] and again.request.train_config.lr == 0.25
    assert again.request.train_config.epochs == 4
    assert isinstance(again.request.model_config, ModelConfig) and isinstance(again.request.train_config, TrainConfig)
