"""`train --json` says whether the run trained through a CUDA graph, and why not (engine/training/cuda_graph.py)."""

import json

from gru_studio.cli import main


def test_train_json_says_whether_the_graph_was_used(tmp_path, capsys) -> None:
    argv = ["train", "--corpus", "sample", "--max-tokens", "2000", "--hidden", "8", "--epochs", "1"]
    argv += ["--batch-size", "8", "--num-steps", "8", "--sample-every", "0", "--no-record", "--json"]
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["cuda_graph"] == "no CUDA"
    assert main([*argv, "--cuda-graph", "off"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["cuda_graph"] == "off"
