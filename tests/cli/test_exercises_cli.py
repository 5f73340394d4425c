"""The chapter's exercises on the command line: other models, gates, gradient figures (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import TINY, run


@pytest.mark.parametrize("model", ["rnn", "rnn-builtin", "lstm-builtin"])
def test_each_model_trains_saves_generates_and_inspect_says_it_needs_a_gru(capsys, tmp_path: Path, model) -> None:
    saved = tmp_path / "m.pt"
    code, out, err = run(
        capsys, "train", *TINY, "--model", model, "--epochs", "2", "--no-record", "--json", "--save", str(saved)
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["model"] == model and report["gates"] == "full" and report["perplexity"] > 1
    code, out, err = run(capsys, "generate", "--checkpoint", str(saved), "--length", "20", "--device", "cpu")
    assert code == 0 and out.startswith("time traveller"), err
    code, out, err = run(capsys, "inspect", "--checkpoint", str(saved), "--text", "the", "--json", str(tmp_path / "t"))
    assert code == 1 and err.count("\n") == 1 and "Inside the GRU reads a GRU's update gate" in err


def test_train_json_reports_the_gradient_norms_and_the_clipped_share(capsys) -> None:
    code, out, err = run(capsys, "train", *TINY, "--epochs", "2", "--clip", "1e-9", "--no-record", "--json")
    assert code == 0, err
    report = json.loads(out)
    gradients = report["gradients"]
    assert report["clip"] == 1e-9 and report["clipped_share"] == 1.0
    assert gradients["epochs"] == [1, 2] and gradients["clipped_share_per_epoch"] == [1.0, 1.0]
    per_batch = gradients["grad_norm_per_batch"]
    assert len(per_batch) % 2 == 0 and all(norm > 1e-9 for norm in per_batch)  # before clipping
    first_epoch = per_batch[: len(per_batch) // 2]
    assert gradients["grad_norm_per_epoch"][0] == pytest.approx(sum(first_epoch) / len(first_epoch))
    assert report["grad_norm"] == gradients["grad_norm_per_epoch"][-1]


def test_gates_train_and_are_refused_in_one_line_for_other_models(capsys) -> None:
    code, out, err = run(capsys, "train", *TINY, "--gates", "update-only", "--epochs", "1", "--no-record", "--json")
    assert code == 0 and json.loads(out)["gates"] == "update-only", err
    code, out, err = run(capsys, "train", *TINY, "--model", "lstm-builtin", "--gates", "reset-only", "--epochs", "1")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "gates: reset-only applies to the scratch GRU only" in err
