"""`gru-studio inspect`: a checkpoint traced over a text, written as JSON and as the window's heat strip PNG."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from gru_studio.cli import build_parser, main
from gru_studio.cli.inspect import SIGNAL_FLAGS
from gru_studio.engine.analysis.influence import reach
from gru_studio.engine.analysis.inside import SIGNALS, trace
from gru_studio.engine.config import CorpusConfig, ModelConfig, TrainConfig
from gru_studio.engine.models import build_model
from gru_studio.engine.text.corpus import load_corpus
from gru_studio.engine.training import checkpoint

REPO = Path(__file__).resolve().parents[2]
HEAT_STRIP = REPO / "gru_studio" / "gui" / "inside" / "heat_strip.py"
PROBE = "The Time Traveller"


def save_model(path: Path, kind: str = "scratch", layers: int = 1) -> checkpoint.Checkpoint:
    """A random tiny model on the sample text's vocabulary, saved as train --save would."""
    corpus_config = CorpusConfig(source="sample", max_tokens=2000)
    corpus = load_corpus(corpus_config)
    model_config = ModelConfig(kind=kind, hidden=12, layers=layers)
    torch.manual_seed(0)
    model = build_model(model_config, len(corpus.vocab))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0.0, 1.0)  # spread the gates, as tests/engine/analysis/test_inside.py does
    saved = checkpoint.Checkpoint(model, corpus.vocab, corpus.mode, corpus_config, model_config, TrainConfig(), 0, [])
    checkpoint.save(path, saved)
    return saved


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "m.pt"
    save_model(path)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("kind", "layers", "layer"), [("scratch", 1, 0), ("scratch-book", 1, 0), ("builtin", 2, 1)])
def test_json_holds_the_trace_of_the_text(capsys, tmp_path: Path, kind: str, layers: int, layer: int) -> None:
    saved = save_model(tmp_path / "m.pt", kind, layers)
    out_file = tmp_path / "trace.json"
    code, out, err = run(
        capsys, "inspect", "--checkpoint", str(tmp_path / "m.pt"), "--text", PROBE,
        "--layer", str(layer), "--json", str(out_file),
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {out_file}" in out and "18 characters x 12 units" in out
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert {"text", "chars", "z", "r", "h_tilde", "h", "h0", "top5"} <= set(data)
    assert data["text"] == "the time traveller" and data["chars"] == list("the time traveller")
    expected = trace(saved.model, saved.vocab, PROBE, mode=saved.mode, layer=layer)
    for name in SIGNALS:
        assert np.shape(data[name]) == (18, 12)
        np.testing.assert_allclose(data[name], expected.signal(name), atol=1e-6)
    assert data["h0"] == [0.0] * 12
    assert len(data["top5"]) == 18
    for step, top in enumerate(data["top5"]):
        assert [c for c, _ in top] == [c for c, _ in expected.top(step)]
        np.testing.assert_allclose([p for _, p in top], [p for _, p in expected.top(step)], atol=1e-6)


def test_signal_flags_name_the_engines_signals() -> None:
    assert tuple(SIGNAL_FLAGS.values()) == SIGNALS
    assert build_parser().parse_args(["inspect", "--checkpoint", "m", "--text", "t"]).signal == "h"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--checkpoint", "{tmp}/none.pt", "--text", "the", "--json", "{tmp}/t.json"], "does not exist"),
        (["--checkpoint", "{binary}", "--text", "the", "--json", "{tmp}/t.json"], "not a GRU Studio checkpoint"),
        (["--checkpoint", "{model}", "--text", "ζζζ", "--json", "{tmp}/t.json"], "never saw in training: 'ζ'"),
        (["--checkpoint", "{model}", "--text", "the ζeta", "--json", "{tmp}/t.json"], "never saw in training"),
        (["--checkpoint", "{model}", "--text", "?!", "--json", "{tmp}/t.json"], "empty"),
        (["--checkpoint", "{model}", "--text", "the", "--layer", "2", "--json", "{tmp}/t.json"], "has layer 0"),
        (["--checkpoint", "{model}", "--text", "the", "--json", "{tmp}/no/such/t.json"], "does not exist"),
        # Flags before the file: each of these checkpoints would fail too.
        (["--checkpoint", "{binary}", "--text", "", "--json", "{tmp}/t.json"], "--text is empty"),
        (["--checkpoint", "{binary}", "--text", "   ", "--json", "{tmp}/t.json"], "--text is empty"),
        (["--checkpoint", "{binary}", "--text", "the"], "Nothing to write"),
        (
            ["--checkpoint", "{binary}", "--text", "the", "--layer", "-1", "--json", "{tmp}/t.json"],
            "--layer: must be at least 0",
        ),
        (["--checkpoint", "{binary}", "--text", "the", "--png", "{tmp}/gone/t.png"], "does not exist"),
        (["--checkpoint", "{model}", "--text", "the", "--signal", "q", "--json", "{tmp}/t.json"], "invalid choice"),
        (["--text", "the", "--json", "{tmp}/t.json"], "required: --checkpoint"),
    ],
)
def test_bad_input_is_one_clear_line_and_a_nonzero_exit(capsys, tmp_path: Path, model_file: Path, argv, words) -> None:
    files = {"tmp": str(tmp_path), "model": str(model_file), "binary": write(tmp_path, "blob.bin", bytes(range(256)))}
    code, out, err = run(capsys, "inspect", *[a.format(**files) for a in argv])
    parse_time = ("invalid choice", "required: --checkpoint", "--layer: must be at least 0")  # argparse's
    assert code == (2 if words in parse_time else 1)
    assert words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "t.json").exists() and out == ""


def test_a_text_over_5000_characters_is_refused(capsys, tmp_path: Path, model_file: Path) -> None:
    code, _, err = run(
        capsys, "inspect", "--checkpoint", str(model_file), "--text", "ab " * 1700, "--json", str(tmp_path / "t.json")
    )
    assert code == 1 and "at most 5,000 can be traced" in err


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])  # IHDR's width and height


@pytest.mark.skipif(not HEAT_STRIP.is_file(), reason="the heat strip (gui/inside/heat_strip.py) is not there")
def test_png_is_the_windows_heat_strip_drawn_offscreen(capsys, tmp_path: Path, model_file: Path, monkeypatch) -> None:
    pytest.importorskip("PySide6")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    png, data = tmp_path / "strip.png", tmp_path / "t.json"
    code, out, err = run(
        capsys, "inspect", "--checkpoint", str(model_file), "--text", PROBE, "--signal", "htilde",
        "--order", "variance", "--png", str(png), "--json", str(data),
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {png}" in out and "htilde, rows by variance" in out and data.is_file()
    width, height = png_size(png)
    assert width > 100 and height > 100


@pytest.mark.parametrize(("kind", "layers"), [("scratch", 1), ("builtin", 2), ("rnn", 1), ("lstm-builtin", 1)])
def test_influence_is_in_the_json_for_every_kind(capsys, tmp_path: Path, kind: str, layers: int) -> None:
    saved = save_model(tmp_path / "m.pt", kind, layers)
    out_file = tmp_path / "reach.json"
    code, out, err = run(
        capsys, "inspect", "--checkpoint", str(tmp_path / "m.pt"), "--text", PROBE, "--influence",
        "--json", str(out_file),
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {out_file}" in out and "half-life" in out
    data = json.loads(out_file.read_text(encoding="utf-8"))
    expected = reach(saved.model, saved.vocab, PROBE, mode=saved.mode)
    assert np.shape(data["influence"]) == np.shape(data["attribution"]) == (17, 18)
    np.testing.assert_allclose(data["influence"], expected.influence, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(data["reach"], expected.reach, rtol=1e-6, atol=1e-9)
    assert data["half_life"] == expected.half_life
    assert all(value == 0 for t, row in enumerate(data["influence"]) for value in row[t + 1 :])  # never the future
    # The gate signals stay a GRU's.
    assert ("z" in data) is (kind in ("scratch", "builtin"))


def test_influence_png_is_the_triangle(capsys, tmp_path: Path, model_file: Path, monkeypatch) -> None:
    pytest.importorskip("PySide6")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    png = tmp_path / "triangle.png"
    code, out, err = run(
        capsys, "inspect", "--checkpoint", str(model_file), "--text", PROBE, "--influence", "--png", str(png)
    )
    assert code == 0, err
    assert "the influence triangle" in out
    width, height = png_size(png)
    assert width >= 400 and height >= 400


def test_the_json_has_each_terms_numbers_and_names_the_clamp(capsys, tmp_path: Path, model_file: Path) -> None:
    out_file = tmp_path / "what-if.json"
    code, _out, err = run(
        capsys, "inspect", "--checkpoint", str(model_file), "--text", PROBE, "--json", str(out_file),
        "--clamp", "z=1", "--clamp-from", "4", "--clamp-to", "9", "--clamp-units", "0,2",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out_file.read_text(encoding="utf-8"))
    z = np.array(data["z"])
    assert (z[4:9, [0, 2]] == 1).all() and not (z[:4, [0, 2]] == 1).all()
    assert data["clamps"] == [{"gate": "z", "value": 1.0, "from": 4, "to": 9, "units": [0, 2]}]
    assert data["perplexity"] != data["perplexity_unclamped"] and data["perplexity_unclamped"] > 1
    terms = data["terms"]["r"]
    total = np.array(terms["input"]) + np.array(terms["recurrent"]) + np.array(terms["bias"])
    np.testing.assert_allclose(1 / (1 + np.exp(-total)), data["r"], atol=2e-5)


def test_generate_with_the_update_gate_held_repeats_one_character(capsys, tmp_path: Path, model_file: Path) -> None:
    code, out, err = run(capsys, "generate", "--checkpoint", str(model_file), "--prefix", "t", "--length", "20",
                         "--device", "cpu", "--clamp", "z=1")  # fmt: skip
    assert code == 0, err
    written = out.strip()[1:]
    assert len(written) == 20 and len(set(written)) == 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--clamp", "z=2"], "between 0 and 1"),
        (["--clamp", "x=1"], "z or r"),
        (["--clamp", "z=1", "--clamp-units", "99"], "no unit 99"),
        (["--clamp", "z=1", "--clamp-from", "5", "--clamp-to", "2"], "holds no character"),
    ],
)
def test_a_bad_clamp_is_one_line_and_status_1(capsys, tmp_path: Path, model_file: Path, argv, words) -> None:
    code, _out, err = run(
        capsys, "inspect", "--checkpoint", str(model_file), "--text", PROBE, "--json", str(tmp_path / "x.json"), *argv
    )
    assert code == 1 and words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
