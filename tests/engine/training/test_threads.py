"""How many CPU threads a run trains with: the rule, the setting, and that a run applies it."""

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
from gru_studio.engine.training import threads
from gru_studio.engine.training.session import Session
from gru_studio.engine.training.threads import AUTO, choose_threads


@pytest.fixture(autouse=True)
def restore_torch_threads() -> Iterator[None]:
    """Runs here change torch's thread count for threads started later; put it back for the other tests."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def test_a_loaded_machine_gets_fewer_threads() -> None:
    # The case measured in threads.py: 2 cores, one of them busy with other work.
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


def threads_seen_while_training(session: Session) -> list[int]:
    """Iterate the session's run on a thread of its own, as the window does, and note
    torch's thread count on that thread at every event."""
    seen: list[int] = []
    failures: list[BaseException] = []

    def consume() -> None:
        try:
            for _ in session.train():
                seen.append(torch.get_num_threads())
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


def test_an_automatic_run_trains_with_fewer_threads_on_a_loaded_machine(tiny_settings, monkeypatch) -> None:
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    monkeypatch.setattr(threads, "system_load", lambda: 1.5)
    session = new_session(tiny_settings, AUTO)
    assert set(threads_seen_while_training(session)) == {1}
    assert session.trainer.threads == 1

    monkeypatch.setattr(threads, "system_load", lambda: 0.0)  # the load has gone: the next run uses both cores
    session = new_session(tiny_settings, AUTO)
    assert set(threads_seen_while_training(session)) == {2}
    assert session.trainer.threads == 2


def test_the_command_line_reports_the_threads_it_trained_with(capsys) -> None:
    tiny = ["--corpus", "sample", "--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000"]
    assert main(["train", *tiny, "--epochs", "1", "--sample-every", "0", "--threads", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["threads"] == 1
    assert main(["train", *tiny, "--epochs", "1", "--sample-every", "0", "--threads", "2"]) == 0
    assert "on cpu, 2 threads" in capsys.readouterr().out


def test_a_resumed_run_takes_the_threads_of_this_machine_not_the_checkpoints(capsys, monkeypatch, tmp_path) -> None:
    # Like the device, the thread count belongs to the machine: 2 threads chosen on an idle one
    # must not follow the model onto a loaded one.
    tiny = ["--corpus", "sample", "--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000"]
    saved = str(tmp_path / "m.pt")
    assert main(["train", *tiny, "--epochs", "1", "--sample-every", "0", "--threads", "2", "--save", saved]) == 0
    monkeypatch.setattr(threads, "usable_cores", lambda: 2)
    monkeypatch.setattr(threads, "system_load", lambda: 1.5)
    capsys.readouterr()
    assert main(["train", "--resume", saved, "--epochs", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["threads"] == 1
    assert main(["train", "--resume", saved, "--epochs", "3", "--threads", "2", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out.strip().splitlines()[-1])["threads"] == 2
    assert "ignored" not in err
