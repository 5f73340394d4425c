"""The `gru-studio` command, driven in-process (fast) and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gru_studio import __version__
from gru_studio.cli import main

TINY = ["--corpus", "sample", "--hidden", "16", "--batch-size", "8", "--num-steps", "8", "--max-tokens", "2000"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"gru-studio {__version__}"


def test_python_dash_m_and_console_script_agree() -> None:
    out = subprocess.run([sys.executable, "-m", "gru_studio", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"gru-studio {__version__}"


def test_train_json_reports_what_was_asked(capsys) -> None:
    code, out, err = run(capsys, "train", *TINY, "--epochs", "3", "--sample-every", "1", "--json")
    assert code == 0
    report = json.loads(out.strip().splitlines()[-1])
    assert report["model"] == "scratch" and report["device"] == "cpu" and report["epochs"] == 3
    assert report["tokens_per_s"] > 0 and report["perplexity"] > 1
    assert report["val_perplexity"] is None
    assert report["sample"].startswith("time traveller")
    assert "epoch 3/3" in err and "perplexity" in err and "tokens/s" in err  # the progress lines
    assert "epoch 1: time traveller" in err


def test_train_with_validation_and_builtin(capsys) -> None:
    code, out, _ = run(
        capsys,
        "train",
        *TINY,
        "--model",
        "builtin",
        "--layers",
        "2",
        "--dropout",
        "0.1",
        "--val-fraction",
        "0.2",
        "--epochs",
        "2",
        "--sample-every",
        "0",
        "--json",
    )
    report = json.loads(out)
    assert code == 0 and report["model"] == "builtin" and report["val_perplexity"] > 1


def test_save_then_generate_streams_from_the_checkpoint(capsys, tmp_path) -> None:
    path = tmp_path / "m.pt"
    code, out, _ = run(capsys, "train", *TINY, "--epochs", "2", "--sample-every", "0", "--save", str(path))
    assert code == 0 and path.is_file()
    assert out.splitlines()[0].startswith("perplexity ")
    code, out, err = run(capsys, "generate", "--checkpoint", str(path), "--prefix", "The Clock", "--length", "30")
    assert code == 0, err
    assert out.startswith("the clock") and len(out.rstrip("\n")) == len("the clock") + 30
    code, again, _ = run(capsys, "generate", "--checkpoint", str(path), "--prefix", "The Clock", "--length", "30")
    assert again == out  # greedy is repeatable
    code, sampled, _ = run(
        capsys,
        "generate",
        "--checkpoint",
        str(path),
        "--prefix",
        "the",
        "--temperature",
        "1",
        "--top-k",
        "5",
        "--seed",
        "3",
    )
    assert code == 0 and sampled.startswith("the")


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["train", "--lr", "-1"], "lr: must be greater than 0"),
        (["train", "--hidden", "0"], "hidden: must be at least 1"),
        (["train", "--epochs", "many"], "invalid int value"),
        (["train", "--model", "lstm"], "invalid choice"),
        (["train", "--device", "cuda"], "not available"),
        (["train", "--device", "tpu"], "Unknown device"),
        (["train", "--corpus", "{tmp}/missing.txt"], "does not exist"),
        (["train", "--corpus", "{empty}"], "is empty"),
        (["train", "--corpus", "{binary}"], "binary"),
        (["train", "--corpus", "{short}"], "fewer than one batch"),
        (["train", "--corpus", "sample", "--prefix", "ζ", "--epochs", "1"], "never saw"),
        (["generate", "--checkpoint", "{tmp}/none.pt"], "does not exist"),
        (["train", "--corpus", "sample", "--save", "{tmp}/no/such/folder/m.pt"], "does not exist"),
        (["generate", "--checkpoint", "{binary}"], "not a GRU Studio checkpoint"),
        # Flags and the device before any file: each of these files would fail too.
        (["train", "--resume", "{binary}", "--device", "tpu"], "Unknown device"),
        (["generate", "--checkpoint", "{binary}", "--device", "tpu"], "Unknown device"),
        (["generate", "--checkpoint", "{binary}", "--temperature", "-1"], "--temperature must be zero"),
        (["generate", "--checkpoint", "{binary}", "--temperature", "nan"], "--temperature must be zero"),
        (["generate", "--checkpoint", "{binary}", "--top-k", "-1"], "--top-k: must be at least 0, got -1"),
        (["generate", "--checkpoint", "{binary}", "--length", "-1"], "--length: must be at least 0, got -1"),
        (["bench", "--device", "tpu"], "Unknown device"),
        (["bench", "--corpus", "{tmp}/missing.txt"], "does not exist"),
        (["bench", "--corpus", "{short}"], "fewer than one batch"),
        (
            ["bench", "--max-tokens", "-1", "--device", "tpu"],
            "--max-tokens: must be at least 0",
        ),  # the settings first, as train
    ],
)
def test_bad_input_is_one_clear_line_and_a_nonzero_exit(capsys, tmp_path, argv, words) -> None:
    if "cuda" in argv and __import__("torch").cuda.is_available():
        pytest.skip("this machine has CUDA")
    files = {
        "tmp": str(tmp_path),
        "empty": write(tmp_path, "empty.txt", b""),
        "binary": write(tmp_path, "blob.bin", bytes(range(256)) * 4),
        "short": write(tmp_path, "short.txt", b"A short text, far shorter than one batch."),
    }
    argv = [a.format(**files) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code != 0
    assert words in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_a_real_process_never_shows_a_traceback(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gru_studio", "train", "--corpus", str(tmp_path / "gone.txt")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("gru-studio: error:") and "Traceback" not in result.stderr


def test_the_default_text_is_the_book_with_nothing_to_fetch(capsys) -> None:
    code, out, _ = run(capsys, "train", "--hidden", "16", "--epochs", "1", "--sample-every", "0", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["corpus"] == "The Time Machine" and report["tokens"] == 10_000 and report["vocab_size"] == 28


def train_help(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """`train --help` with its lines joined, so a range wrapped over two lines still reads as one."""
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_train_help_shows_each_settings_default_and_range(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = train_help(capsys, monkeypatch)
    for expected in (
        "--hidden HIDDEN hidden units (default: 256; 1 to 4096)",
        "--lr LR learning rate (default: 1.0; > 0, at most 1000)",  # 0 itself is refused
        "(default: 0.0; 0 to 0.5)",  # --val-fraction
        "(default: 500; 1 to 1000000)",  # --epochs: a number as it is typed
        "all otherwise (0 or more)",  # --max-tokens: no upper bound, no default shown
        "(default: 0; 0 to 2147483647)",  # --seed
    ):
        assert expected in text


def test_every_bounded_setting_shows_its_range(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from gru_studio.cli.flags import describe_range, flag_name
    from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig

    text = train_help(capsys, monkeypatch)
    for config_type in (CorpusConfig, ModelConfig, TrainConfig):
        for f in dataclasses.fields(config_type):
            if f.metadata["low"] is None and f.metadata["high"] is None:
                continue
            flag = f"--{flag_name(config_type, f.name)}"
            help_text = text.split(f"{flag} {flag[2:].upper().replace('-', '_')} ", 1)[1]
            assert describe_range(f.metadata) in help_text.split(" --", 1)[0], flag


def test_ranges_read_as_words() -> None:
    from gru_studio.cli.flags import describe_range

    assert describe_range({"low": 0.0, "high": None, "low_open": True}) == "> 0"
    assert describe_range({"low": None, "high": 2.5}) == "at most 2.5"
    assert describe_range({"low": None, "high": None}) == ""


def test_generate_picks_its_device_as_train_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gru_studio.cli import build_parser

    assert build_parser().parse_args(["generate", "--checkpoint", "m.pt"]).device == "auto"
    assert build_parser().parse_args(["train"]).__dict__["TrainConfig.device"] == "auto"
    monkeypatch.setenv("COLUMNS", "200")
    with pytest.raises(SystemExit):
        main(["generate", "--help"])
    assert "(default: auto" in capsys.readouterr().out


def test_no_display_is_a_clear_message_not_a_qt_abort(capsys, monkeypatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    if not sys.platform.startswith("linux"):
        pytest.skip("the check is for Linux")
    code, _, err = run(capsys)
    assert code == 1 and "no display" in err and "gru-studio train" in err


def test_bench_json_on_the_books_workload(capsys) -> None:
    code, out, err = run(capsys, "bench", "--rounds", "1", "--epochs", "1", "--gen-length", "20", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["workload"]["tokens"] == 10_000 and summary["workload"]["batch_size"] == 32
    assert summary["ratios_median"]["scratch/builtin"] > 0
    floor = summary["product_floor"]
    assert floor["over_scratch_book_median"] == pytest.approx(
        floor["tokens_per_s_median"] / summary["models"]["scratch-book"]["tokens_per_s_median"]
    )
    assert "round 1/1" in err and "matrix products alone" in err


def test_bench_text_names_the_workload_and_the_floor(capsys) -> None:
    code, out, _ = run(capsys, "bench", "--models", "scratch", "--rounds", "1", "--epochs", "1", "--gen-length", "5")
    assert code == 0
    assert "batch 32 x 35 steps, 256 hidden; 1 round of 1 epoch\n" in out
    assert "scratch's matrix products alone:" in out and "scratch-book" not in out  # no book, no ceiling
    assert "peak MiB  threads\n" in out  # the CPU threads each model trained with


def test_bench_takes_the_text_as_train_does(capsys, tmp_path) -> None:
    quick = ["--models", "scratch", "--rounds", "1", "--epochs", "1", "--gen-length", "5", "--json"]
    code, out, _ = run(capsys, "bench", "--corpus", "sample", *quick)
    assert code == 0
    workload = json.loads(out)["workload"]
    assert workload["corpus"] == "Bundled sample" and workload["tokens"] == 3_695
    text = tmp_path / "mine.txt"
    text.write_text("Call me Ishmael. " * 400)
    code, out, _ = run(capsys, "bench", "--corpus", str(text), "--max-tokens", "3000", *quick)
    assert code == 0
    assert json.loads(out)["workload"] == {**json.loads(out)["workload"], "corpus": "mine.txt", "tokens": 3000}


def test_resume_in_a_new_process_continues_exactly(capsys, tmp_path) -> None:
    import torch

    common = [*TINY, "--sample-every", "0", "--optimizer", "adam", "--lr", "0.01"]
    assert main(["train", *common, "--epochs", "2", "--save", str(tmp_path / "half.pt")]) == 0
    assert main(["train", *common, "--epochs", "4", "--save", str(tmp_path / "straight.pt")]) == 0
    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "gru_studio",
            "train",
            "--resume",
            str(tmp_path / "half.pt"),
            "--epochs",
            "4",
            "--save",
            str(tmp_path / "resumed.pt"),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["epochs"] == 4
    a, b = (torch.load(tmp_path / n, weights_only=True) for n in ("straight.pt", "resumed.pt"))
    assert [h["perplexity"] for h in a["history"]] == [h["perplexity"] for h in b["history"]]
    assert all(torch.equal(a["state_dict"][k], b["state_dict"][k]) for k in a["state_dict"])


def test_a_diverging_run_exits_nonzero_and_leaves_the_saved_file_alone(capsys, tmp_path) -> None:
    path = tmp_path / "good.pt"
    assert main(["train", *TINY, "--epochs", "1", "--sample-every", "0", "--save", str(path)]) == 0
    before = path.read_bytes()
    capsys.readouterr()
    code = main(["train", *TINY, "--epochs", "3", "--lr", "1000", "--clip", "0", "--save", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "diverged" in err and "learning rate" in err
    assert path.read_bytes() == before


def test_resume_on_another_text_is_refused(capsys, tmp_path) -> None:
    path = tmp_path / "m.pt"
    main(["train", *TINY, "--epochs", "1", "--sample-every", "0", "--save", str(path)])
    data = torch_load_and_change_source(path, tmp_path)
    code, _, err = run(capsys, "train", "--resume", str(data), "--epochs", "2")
    assert code == 1 and "not the one this model was trained on" in err


def torch_load_and_change_source(path, tmp_path):
    """The same checkpoint, pointing at a text with other characters."""
    import torch

    other = tmp_path / "other.txt"
    other.write_text("zzz yyy xxx qqq " * 500)
    payload = torch.load(path, weights_only=True)
    payload["corpus_config"]["source"] = str(other)
    changed = tmp_path / "changed.pt"
    torch.save(payload, changed)
    return changed


def test_a_text_too_short_to_compare_models_is_said_once_next_to_the_result(capsys) -> None:
    quick = ["--hidden", "16", "--epochs", "1", "--sample-every", "0", "--no-record"]
    code, out, err = run(capsys, "train", "--corpus", "sample", *quick)  # 3 batches an epoch of 32 x 35
    assert code == 0
    assert err.count("too short to compare models") == 1
    assert err.splitlines()[-1].startswith("gru-studio: note: This text is too short to compare models: 3 batch(es)")
    code, out, err = run(capsys, "train", "--corpus", "sample", *quick, "--json")
    assert json.loads(out)["too_short_to_compare"]["batches_per_epoch"] == 3
    assert err.count("too short to compare models") == 1
    code, out, err = run(capsys, "train", *quick, "--json")  # the book's own workload: 8 batches
    assert json.loads(out)["too_short_to_compare"] is None and "too short" not in err
