"""Sweep planning: values from text, the grid, and what is refused before any run (issue 15)."""

import pytest

from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.errors import ConfigError
from gru_studio.engine.experiments.sweep import MAX_RUNS, axes_from, fixed_values, parse_values, plan

BASE = (CorpusConfig(source="sample"), ModelConfig(), TrainConfig())


def test_values_are_read_as_their_settings_kind() -> None:
    assert parse_values("lr", " 0.5, 1,2e0 ") == (0.5, 1.0, 2.0)
    assert parse_values("hidden", "128,256") == (128, 256) and all(type(v) is int for v in (128, 256))
    assert parse_values("batch-size", "1e2") == (100,)
    assert parse_values("model", "rnn,builtin") == ("rnn", "builtin")
    assert parse_values("gates", "full,reset-only,update-only") == ("full", "reset-only", "update-only")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("lr", "1,,2", "empty value"),
        ("lr", "-1", "must be greater than 0"),
        ("hidden", "5000", "must be at most 4096"),
        ("hidden", "64.5", "not a whole number"),
        ("clip", "x", "not a number"),
        ("model", "gru", "not one of"),
        ("lr", "1,1.0", "twice"),
        ("prefix", "a,b", "cannot be swept"),
    ],
)
def test_a_bad_value_names_its_flag_and_the_value(name: str, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_values(name, text)
    assert caught.value.field == f"--{name}"


def test_the_grid_takes_every_combination_first_axis_slowest() -> None:
    axes = axes_from({"lr": "0.5,1,2", "hidden": "64,128", "epochs": "3"})
    runs = plan(axes, *BASE)
    assert [run.values for run in runs] == [
        {"lr": lr, "hidden": hidden} for lr in (0.5, 1.0, 2.0) for hidden in (64, 128)
    ]
    assert [run.index for run in runs] == list(range(1, 7))
    assert all(run.train_config.epochs == 3 for run in runs) and fixed_values(axes) == {"epochs": 3}
    assert (runs[3].train_config.lr, runs[3].model_config.hidden) == (1.0, 128)
    assert runs[3].label() == "lr 1, hidden 128"


def test_one_or_two_varied_settings_and_a_bounded_number_of_runs() -> None:
    with pytest.raises(ConfigError, match="nothing to sweep"):
        axes_from({"lr": "1"})
    with pytest.raises(ConfigError, match="not 3"):
        axes_from({"lr": "1,2", "hidden": "8,16", "seed": "1,2"})
    many = ",".join(str(n) for n in range(1, 12))
    with pytest.raises(ConfigError, match=f"at most {MAX_RUNS}"):
        plan(axes_from({"seed": many, "hidden": many}), *BASE)


def test_a_combination_that_cannot_train_is_refused_before_any_run() -> None:
    axes = axes_from({"model": "scratch,lstm-builtin", "gates": "update-only"})
    with pytest.raises(ConfigError, match="the run with model lstm-builtin cannot train: gates"):
        plan(axes, *BASE)


def test_a_result_takes_the_last_perplexity_and_the_best_validation_one() -> None:
    from gru_studio.engine.experiments.sweep import SweepResult
    from gru_studio.engine.training.events import EpochRecord, Finished

    run = plan(axes_from({"lr": "1,2"}), *BASE)[1]
    history = [EpochRecord(1, 9.0, 8.0, 1e4, 0.5, 1.0), EpochRecord(2, 7.0, 8.5, 1e4, 0.4, 2.0)]
    result = SweepResult.of(run, history, Finished("stopped", 2, 7.0, 8.5, 1e4, 2.0), "time traveller", 5)
    assert (result.status, result.perplexity, result.best_val_perplexity, result.run_id) == ("stopped", 7.0, 8.0, 5)
    assert result.as_dict()["settings"] == {"lr": 2.0} and result.as_dict()["run"] == 2
    completed = SweepResult.of(run, history[:1], Finished("completed", 1, 9.0, None, 1e4, 1.0), "", None)
    assert completed.status == "finished"
    assert SweepResult.of(run, [], Finished("stopped", 0, None, None, 0.0, 0.0), "", None).perplexity is None


def test_a_failed_result_keeps_the_epochs_it_completed_and_says_why() -> None:
    from gru_studio.engine.experiments.sweep import SweepResult
    from gru_studio.engine.training.events import EpochRecord

    run = plan(axes_from({"lr": "1,2"}), *BASE)[0]
    history = [EpochRecord(1, 9.0, 8.0, 1e4, 0.5, 1.0), EpochRecord(2, 7.0, 8.5, 1e4, 0.4, 2.0)]
    result = SweepResult.failed(run, history, "Training diverged: the loss exploded.", 3)
    assert (result.status, result.epochs, result.perplexity, result.best_val_perplexity) == ("failed", 2, 7.0, 8.0)
    assert result.as_dict() | {"settings": None} == {
        "run": 1,
        "settings": None,
        "status": "failed",
        "message": "Training diverged: the loss exploded.",
        "id": 3,
        "epochs": 2,
        "perplexity": 7.0,
        "best_val_perplexity": 8.0,
        "tokens_per_s": None,  # no Finished, nothing measured
        "train_seconds": None,
        "sample": "",
    }
    at_once = SweepResult.failed(run, [], "Out of memory", None)
    assert (at_once.epochs, at_once.perplexity, at_once.best_val_perplexity) == (0, None, None)
