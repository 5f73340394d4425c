"""How many CPU threads a run trains with: the setting, that a run applies it and reports it, the rule where
it is not measured. The measuring policy itself: test_thread_chooser.py."""

from __future__ import annotations

import argparse
import dataclasses
import json
import threading
from collections.abc import Iterator

import pytest
import torch

from gru_studio.cli import main
from gru_studio.cli.flags import add_config_flags, config_from_args
from gru_studio.engine.config import TrainConfig, validate
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.hardware import threads
from gru_studio.engine.hardware.threads import AUTO, START, ThreadChooser, choose_threads
from gru_studio.engine.training.events import ThreadsChosen
from gru_studio.engine.training.session import Session


@pytest.fixture(autouse=True)
def restore_torch_threads() -> Iterator[None]:
    """Runs here change torch's thread count for threads started later; put it back for the other tests."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_where_not_measured_a_loaded_machine_gets_fewer_threads() -> None:
    # The load average's rule, kept for runs whose batches cannot be timed (GPU, torchrun): 2 cores, one busy.
    assert choose_threads(AUTO, cores=2, load=1.14) == 1
    assert choose_threads(AUTO, cores=2, load=0.0) == 2
    assert choose_threads(AUTO, cores=8, load=2.5) == 5
    assert choose_threads(AUTO, cores=4, load=0.2) == 3  # a partly busy core counts as busy


def test_an_explicit_count_is_honoured_whatever_the_load() -> None:
    assert choose_threads(1, cores=16, load=0.0) == 1
    assert choose_threads(2, cores=2, load=9.0) == 2
    assert choose_threads(6, cores=2, load=0.0) == 6


@pytest.mark.parametrize("cores", [0, 1, 2, 16])
@pytest.mark.parametrize("load", [None, 0.0, 0.99, 1.0, 3.7, 1000.0, -1.0])
def test_never_zero_threads_nor_more_than_the_cores(cores: int, load: float | None) -> None:
    assert 1 <= choose_threads(AUTO, cores, load) <= max(cores, 1)


def test_an_unknown_load_counts_as_one_busy_core() -> None:
    # Windows has no load average: a 2-core machine still gets the 1 thread that never collapsed.
    assert choose_threads(AUTO, cores=2, load=None) == 1
    assert choose_threads(AUTO, cores=8, load=None) == 7


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        choose_threads(-1, cores=2, load=0.0)
    with pytest.raises(ConfigError, match="threads"):
        validate(TrainConfig(threads=-1))


def test_the_setting_is_automatic_by_default_and_a_flag() -> None:
    assert TrainConfig().threads == AUTO
    parser = argparse.ArgumentParser()
    add_config_flags(parser, TrainConfig, "training")
    assert config_from_args(parser.parse_args(["--threads", "3"]), TrainConfig).threads == 3
    assert "--threads" in parser.format_help()


class FakeClock:
    """A clock for a ThreadChooser that a run's batches advance by `seconds[n]`, n being torch's thread
    count on the thread that reads it (the training thread): so the counts the trainer applies decide
    which is faster, on any machine."""

    def __init__(self, seconds: dict[int, float]) -> None:
        self.seconds, self.now = seconds, 0.0

    def __call__(self) -> float:
        self.now += self.seconds[torch.get_num_threads()]  # read twice a batch: begin and end
        return self.now


def measured_by(monkeypatch, seconds: dict[int, float], stalls: bool = False) -> None:
    """Automatic runs choose between 1 and 2 threads on `seconds` (per batch, by count) from now on."""

    def chooser_for(requested: int) -> ThreadChooser | None:
        return ThreadChooser(2, lambda n: stalls, FakeClock(seconds)) if requested == AUTO else None

    monkeypatch.setattr(threads, "chooser_for", chooser_for)


def threads_seen_while_training(session: Session, events: list | None = None) -> list[int]:
    """Iterate the session's run on a thread of its own, as the window does, and note
    torch's thread count on that thread at every event."""
    seen: list[int] = []
    failures: list[BaseException] = []

    def consume() -> None:
        try:
            for event in session.train():
                seen.append(torch.get_num_threads())
                if events is not None:
                    events.append(event)
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    worker = threading.Thread(target=consume)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive() and not failures, failures
    assert seen
    return seen


def new_session(tiny_settings, threads_setting: int) -> Session:
    corpus_config, model_config, train_config = tiny_settings
    return Session.new(
        corpus_config, model_config, dataclasses.replace(train_config, epochs=1, threads=threads_setting)
    )


@pytest.mark.parametrize("count", [1, 2])
def test_a_run_trains_with_the_threads_asked_for(tiny_settings, count: int) -> None:
    torch.set_num_threads(3)  # neither 1 nor 2: the run must set its own count
    session = new_session(tiny_settings, count)
    assert set(threads_seen_while_training(session)) == {count}
    assert session.trainer.threads == count


@pytest.mark.parametrize(("seconds", "kept"), [({1: 1.0, 2: 0.6}, 2), ({1: 0.6, 2: 1.0}, 1)])
def test_an_automatic_run_trains_on_with_the_count_it_measured_faster(
    tiny_settings, monkeypatch, seconds, kept
) -> None:
    measured_by(monkeypatch, seconds)
    events: list = []
    seen = threads_seen_while_training(new_session(tiny_settings, AUTO), events)
    chosen = [event for event in events if isinstance(event, ThreadsChosen)]
    assert [(c.epoch, c.threads, c.previous, c.reason) for c in chosen] == [(1, kept, None, START)]
    assert dict(chosen[0].tokens_per_s) == {1: pytest.approx(64 / seconds[1]), 2: pytest.approx(64 / seconds[2])}
    after = events.index(chosen[0]) + 1  # torch's count on the training thread, from the next event on
    assert set(seen[: after - 2]) == {1, 2} and set(seen[after:]) == {kept}


def test_an_automatic_run_never_trains_with_threads_that_stall(tiny_settings, monkeypatch) -> None:
    measured_by(monkeypatch, {1: 1.0, 2: 0.5}, stalls=True)  # 2 threads would be faster, but they stall now
    session = new_session(tiny_settings, AUTO)
    assert set(threads_seen_while_training(session)) == {1}
    assert session.trainer.threads == 1


def test_a_fixed_count_or_one_core_is_not_measured(monkeypatch) -> None:
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    assert threads.chooser_for(1) is None and threads.chooser_for(2) is None
    assert isinstance(threads.chooser_for(AUTO), ThreadChooser)
    monkeypatch.setattr(threads, "usable_cores", lambda: 1)
    assert threads.chooser_for(AUTO) is None


def test_the_stall_test_answers_and_leaves_the_count_as_it_was() -> None:
    torch.set_num_threads(1)
    assert threads.parallel_stalls(2) in (True, False)  # which one depends on what else runs now
    assert torch.get_num_threads() == 1


def test_the_command_line_reports_the_threads_it_trained_with(capsys, monkeypatch) -> None:
    tiny = ["--corpus", "sample", "--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000"]
    assert main(["train", *tiny, "--epochs", "1", "--sample-every", "0", "--threads", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["threads"] == 1 and report["thread_switches"] == []
    assert main(["train", *tiny, "--epochs", "1", "--sample-every", "0", "--threads", "2"]) == 0
    assert "on cpu, 2 threads" in capsys.readouterr().out
    measured_by(monkeypatch, {1: 1.0, 2: 0.5})
    assert main(["train", *tiny, "--epochs", "2", "--sample-every", "0", "--json", "--no-record"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["threads"] == 2
    block = threads.TUNING.block
    assert report["thread_switches"] == [
        {
            "epoch": 1,
            "batch": 4 * block,
            "threads": 2,
            "previous": None,
            "reason": "start",
            "tokens_per_s": {"1": pytest.approx(64.0), "2": pytest.approx(128.0)},
        }
    ]


def test_a_resumed_run_takes_the_threads_of_this_machine_not_the_checkpoints(capsys, monkeypatch, tmp_path) -> None:
    # Like the device, the thread count belongs to the machine: 2 threads fixed on an idle one
    # must not follow the model onto a loaded one, where the automatic count measures 1 faster.
    tiny = ["--corpus", "sample", "--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000"]
    saved = str(tmp_path / "m.pt")
    assert main(["train", *tiny, "--epochs", "1", "--sample-every", "0", "--threads", "2", "--save", saved]) == 0
    measured_by(monkeypatch, {1: 0.5, 2: 1.0})
    capsys.readouterr()
    assert main(["train", "--resume", saved, "--epochs", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["threads"] == 1
    assert main(["train", "--resume", saved, "--epochs", "3", "--threads", "2", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out.strip().splitlines()[-1])["threads"] == 2
    assert "ignored" not in err


def test_generation_runs_on_one_thread_and_puts_the_count_back(tiny_settings) -> None:
    from gru_studio.engine.models.generate import generate

    corpus_config, model_config, train_config = tiny_settings
    session = Session.new(
        corpus_config, model_config, dataclasses.replace(train_config, epochs=2, threads=2, sample_every=1)
    )
    assert set(threads_seen_while_training(session)) == {2}  # the samples between epochs did not change it
    torch.set_num_threads(2)
    model, vocab = session.trainer.model, session.corpus.vocab
    during = [torch.get_num_threads() for _ in generate(model, vocab, "time traveller", 5)]
    assert during == [1] * 5 and torch.get_num_threads() == 2
