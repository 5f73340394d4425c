"""scripts/gpu_check.py is run once, on a borrowed GPU machine: it must work the first time there."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "gpu_check.py"


def test_the_gpu_checks_run_end_to_end_on_the_cpu(tmp_path, capsys) -> None:
    spec = importlib.util.spec_from_file_location("gpu_check", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--device", "cpu", "--quick", "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "gpu_check.json").read_text())
    assert report["device"] == "cpu"
    same = report["same_math"]
    assert same["gradcheck_float64"] is True
    assert same["max_logit_difference"] < 1e-5 and same["max_relative_gradient_difference"] < 1e-4
    assert report["book_run"]["epochs"] == 5 and 1 < report["book_run"]["perplexity"] < 28
    assert set(report["bench"]["models"]) == {"scratch-book", "scratch", "builtin"}
    assert report["bench"]["product_floor"]["tokens_per_s_median"] > 0
    # Off CUDA the graph is the eager stand-in: these check the script's own logic, not a GPU.
    graphed = report["graph_vs_eager"]
    assert graphed["cuda_graph"] == "on" and graphed["batches"] > 0
    assert all(value == 0.0 for value in graphed["max_relative_difference"].values())
    assert report["book_run"]["cuda_graph"] == "no CUDA"
    fallback = report["fallback"]
    assert fallback["off"] == "off"
    assert fallback["disagreeing"]["cuda_graph"].startswith("graph and eager step disagree")
    assert fallback["failing"]["cuda_graph"] == "capture failed: RuntimeError: capture refused on purpose"
    assert all(v == 0.0 for v in fallback["disagreeing"]["max_relative_difference_from_off"].values())
    out = capsys.readouterr().out
    assert "same_math" in out and json.loads(out.strip().splitlines()[-1])["seconds"] > 0
